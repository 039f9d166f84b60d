"""The dbt warehouse built for real (`dbt build`) on a temporary DuckDB file of synthetic staging rows.

The synthetic corpus (`staging_day_1`, `staging_day_2`) is written here: several outlets report the
same incidents in different words, plus distinct incidents on the same day in the same city. Other
test modules (test_publish.py, test_dbt_assets.py) reuse `build_warehouse`.
"""

from __future__ import annotations

import atexit
import csv
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
SCHEMA_SQL = REPO / "warehouse" / "schema.sql"
DATA_DIR = REPO / "transforms" / "data"
DBT = Path(sys.executable).with_name("dbt")

# The actor dictionary in the extractor's columns (transforms/data/actors.csv: name, actor_type,
# country_iso2, aliases '|'-separated). Tests use their own copy so they do not depend on its content.
ACTOR_DICTIONARY_HEADER = ["name", "actor_type", "country_iso2", "aliases"]
ACTOR_DICTIONARY = [
    ("Islamic State", "Rebel group", "", "IS|ISIS|ISIL|Daesh"),
    ("Al-Shabaab", "Rebel group", "SO", "al-Shabab|Al Shabaab|Shabaab"),
    ("Boko Haram", "Rebel group", "NG", "JAS|Jama'atu Ahlis Sunna"),
    ("Islamic State West Africa Province", "Rebel group", "NG", "ISWAP|Iswap"),
    ("Military forces of Somalia", "State forces", "SO", "Somali army|Somali National Army"),
]
# Affiliates of a parent group (transforms/data/actor_affiliates.csv: parent, affiliate, countries, note).
ACTOR_AFFILIATES_HEADER = ["parent", "affiliate", "countries", "note"]
ACTOR_AFFILIATES = [
    ("Islamic State", "Islamic State West Africa Province", "NG|TD|CM", ""),
]
TAXONOMY_HEADER = ["event_type", "sub_event_type", "definition", "cameo_root", "plover_root"]


# ------------------------------------------------------------------ synthetic staging rows


@dataclass(frozen=True)
class Actor:
    role: str
    surface_text: str
    actor_name: str
    actor_type: str
    country_iso2: str | None = None


@dataclass(frozen=True)
class Mention:
    event_type: str
    sub_event_type: str
    event_date: date | None
    location: str | None
    admin1: str | None
    country_iso2: str
    latitude: float | None
    longitude: float | None
    fatalities: int | None
    actors: tuple[Actor, ...] = ()
    geo_precision: int = 1
    date_precision: str = "day"
    civilian_targeting: bool = False
    confidence: float = 0.8
    evidence_text: str = "evidence sentence"


@dataclass(frozen=True)
class SyntheticArticle:
    source_id: str
    slug: str
    published_at: datetime
    partition_date: date
    title: str
    mentions: tuple[Mention, ...] = field(default_factory=tuple)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:8765/{self.source_id}/{self.published_at:%Y/%m/%d}/{self.slug}.html"

    @property
    def article_id(self) -> str:
        return hashlib.sha256(self.url.encode()).hexdigest()[:16]


def _id(*parts: object, length: int = 20) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:length]


COUNTRY_NAMES = {"IQ": "Iraq", "SO": "Somalia", "NG": "Nigeria"}
AL_SHABAAB = Actor("perpetrator", "al-Shabab militants", "Al-Shabaab", "Rebel group", "SO")
UAG_IQ = Actor("perpetrator", "unidentified gunmen", "Unidentified armed group", "Political militia", "IQ")
CIVILIANS = Actor("target", "shoppers", "Civilians", "Civilians")

ROCKETS_BAGHDAD = dict(
    event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack",
    event_date=date(2026, 11, 14),
    location="Baghdad",
    admin1="Baghdad",
    country_iso2="IQ",
)
IED_MOGADISHU = dict(
    event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED",
    event_date=date(2026, 11, 14),
    location="Mogadishu",
    admin1="Banaadir",
    country_iso2="SO",
)
CLASH_MOGADISHU = dict(
    event_type="Battles",
    sub_event_type="Armed clash",
    event_date=date(2026, 11, 14),
    location="Mogadishu",
    admin1="Banaadir",
    country_iso2="SO",
)
KIRKUK_BOMB = dict(
    event_type="Explosions/Remote violence",
    sub_event_type="Suicide bomb",
    event_date=date(2026, 11, 13),
    location="Kirkuk",
    admin1="Kirkuk",
    country_iso2="IQ",
)


def staging_day_1() -> list[SyntheticArticle]:
    """Crawl day 2026-11-15: four outlets, six real incidents, two of them in Mogadishu on the 14th."""
    day = date(2026, 11, 15)
    return [
        SyntheticArticle(
            "herald",
            "rockets-baghdad",
            datetime(2026, 11, 15, 4, 45),
            day,
            "Two rockets fired at US embassy compound in Baghdad",
            (Mention(**ROCKETS_BAGHDAD, latitude=33.3406, longitude=44.4009, fatalities=0, actors=(UAG_IQ,)),),
        ),
        SyntheticArticle(
            "courier",
            "baghdad-embassy-attack",
            datetime(2026, 11, 15, 9, 0),
            day,
            "Embassy defences intercept rocket over Baghdad",
            (
                Mention(
                    **ROCKETS_BAGHDAD,
                    latitude=33.3152,
                    longitude=44.3661,
                    fatalities=0,
                    actors=(Actor("perpetrator", "militants", "Unidentified armed group", "Political militia"),),
                ),
            ),
        ),
        # Two incidents in Mogadishu on the same day, told in one article: they stay apart.
        SyntheticArticle(
            "herald",
            "mogadishu-market-bomb",
            datetime(2026, 11, 15, 6, 0),
            day,
            "Bomb tears through Mogadishu market",
            (
                Mention(
                    **IED_MOGADISHU,
                    latitude=2.0469,
                    longitude=45.3182,
                    fatalities=7,
                    actors=(AL_SHABAAB, CIVILIANS),
                    civilian_targeting=True,
                ),
                Mention(
                    **CLASH_MOGADISHU,
                    latitude=2.0371,
                    longitude=45.3438,
                    fatalities=3,
                    actors=(
                        Actor("perpetrator", "Somali troops", "Military forces of Somalia", "State forces", "SO"),
                        Actor("target", "Shabaab fighters", "Al-Shabaab", "Rebel group", "SO"),
                    ),
                ),
            ),
        ),
        SyntheticArticle(
            "observer",
            "somali-troops-clash",
            datetime(2026, 11, 15, 11, 30),
            day,
            "Somali army and militants trade fire in capital",
            (
                Mention(
                    **CLASH_MOGADISHU,
                    latitude=2.0400,
                    longitude=45.3400,
                    fatalities=4,
                    actors=(
                        Actor("perpetrator", "Somali National Army", "Somali National Army", "State forces", "SO"),
                        Actor("target", "al-Shabab", "al-Shabab", "Rebel group", "SO"),
                    ),
                ),
            ),
        ),
        # The same suicide bombing in Kirkuk, the group spelled three ways.
        SyntheticArticle(
            "herald",
            "kirkuk-suicide-bombing",
            datetime(2026, 11, 15, 5, 0),
            day,
            "Suicide bomber kills five at Kirkuk checkpoint",
            (
                Mention(
                    **KIRKUK_BOMB,
                    latitude=35.4681,
                    longitude=44.3922,
                    fatalities=5,
                    actors=(Actor("perpetrator", "IS", "IS", "Rebel group"),),
                ),
            ),
        ),
        SyntheticArticle(
            "ledger",
            "kirkuk-blast",
            datetime(2026, 11, 15, 8, 0),
            day,
            "Blast at Kirkuk checkpoint claimed by ISIS",
            (
                Mention(
                    **KIRKUK_BOMB,
                    latitude=35.4700,
                    longitude=44.3900,
                    fatalities=6,
                    actors=(Actor("perpetrator", "ISIS", "Islamic State", "Rebel group"),),
                ),
            ),
        ),
        SyntheticArticle(
            "courier",
            "iraq-checkpoint-bombing",
            datetime(2026, 11, 15, 10, 0),
            day,
            "Islamic State claims Kirkuk attack",
            (
                Mention(
                    **KIRKUK_BOMB,
                    latitude=None,
                    longitude=None,
                    fatalities=5,
                    geo_precision=3,
                    actors=(Actor("perpetrator", "the Islamic State group", "Islamic State", "Rebel group"),),
                ),
            ),
        ),
        # Same day, same city as the rockets, but a protest: a different incident.
        SyntheticArticle(
            "ledger",
            "baghdad-protest",
            datetime(2026, 11, 15, 7, 0),
            day,
            "Thousands rally in Baghdad over power cuts",
            (
                Mention(
                    "Protests",
                    "Peaceful protest",
                    date(2026, 11, 14),
                    "Baghdad",
                    "Baghdad",
                    "IQ",
                    33.3128,
                    44.3615,
                    None,
                    actors=(Actor("perpetrator", "protesters", "Protesters", "Protesters"),),
                ),
            ),
        ),
        # Generic actors stay per country: an unidentified armed group in Nigeria is not the Iraqi one.
        SyntheticArticle(
            "observer",
            "maiduguri-abduction",
            datetime(2026, 11, 15, 9, 0),
            day,
            "Gunmen abduct traders near Maiduguri",
            (
                Mention(
                    "Violence against civilians",
                    "Abduction/forced disappearance",
                    date(2026, 11, 13),
                    "Maiduguri",
                    "Borno",
                    "NG",
                    11.8333,
                    13.15,
                    0,
                    actors=(
                        Actor("perpetrator", "gunmen", "Unidentified armed group", "Political militia", "NG"),
                        CIVILIANS,
                    ),
                    civilian_targeting=True,
                ),
            ),
        ),
    ]


def staging_day_2() -> list[SyntheticArticle]:
    """Crawl day 2026-11-16: later reports of two known incidents (a higher toll) and a new one."""
    day = date(2026, 11, 16)
    return [
        SyntheticArticle(
            "observer",
            "baghdad-rockets-followup",
            datetime(2026, 11, 16, 6, 0),
            day,
            "Investigation opens into embassy rocket fire",
            (Mention(**ROCKETS_BAGHDAD, latitude=33.34, longitude=44.40, fatalities=0, actors=(UAG_IQ,)),),
        ),
        SyntheticArticle(
            "ledger",
            "mogadishu-toll-rises",
            datetime(2026, 11, 16, 7, 0),
            day,
            "Mogadishu market bombing toll rises to nine",
            (
                Mention(
                    **IED_MOGADISHU,
                    latitude=2.0469,
                    longitude=45.3182,
                    fatalities=9,
                    actors=(Actor("perpetrator", "Al Shabaab", "Al Shabaab", "Rebel group", "SO"), CIVILIANS),
                    civilian_targeting=True,
                ),
            ),
        ),
        SyntheticArticle(
            "courier",
            "basra-pipeline-blast",
            datetime(2026, 11, 16, 8, 0),
            day,
            "Explosion damages pipeline near Basra",
            (
                Mention(
                    "Explosions/Remote violence",
                    "Remote explosive/landmine/IED",
                    date(2026, 11, 15),
                    "Basra",
                    "Basra",
                    "IQ",
                    30.5085,
                    47.7804,
                    0,
                    actors=(UAG_IQ,),
                ),
            ),
        ),
    ]


# Gold clusters of the synthetic corpus by (source_id, slug, event_index), used by the tests.
GOLD_DAY_1 = {
    "rockets": {("herald", "rockets-baghdad", 0), ("courier", "baghdad-embassy-attack", 0)},
    "ied": {("herald", "mogadishu-market-bomb", 0)},
    "clash": {("herald", "mogadishu-market-bomb", 1), ("observer", "somali-troops-clash", 0)},
    "kirkuk": {
        ("herald", "kirkuk-suicide-bombing", 0),
        ("ledger", "kirkuk-blast", 0),
        ("courier", "iraq-checkpoint-bombing", 0),
    },
    "protest": {("ledger", "baghdad-protest", 0)},
    "abduction": {("observer", "maiduguri-abduction", 0)},
}


def insert_articles(db_path: Path, articles: list[SyntheticArticle], extractor_version: str = "x1") -> None:
    """Write the staging rows the Python side would write for these articles."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute(SCHEMA_SQL.read_text())
        for article in articles:
            page_id = _id(article.url, "content", length=32)
            fetched_at = datetime.combine(article.partition_date, datetime.min.time()).replace(hour=12)
            con.execute(
                "insert or replace into pages values (?, ?, 'article', ?, ?, ?, ?, 200, 'text/html', 'utf-8',"
                " null, null, ?, ?, 'run-1', 1000, ?)",
                [
                    page_id,
                    article.source_id,
                    article.url,
                    article.url,
                    article.url,
                    _id(article.url, "hash"),
                    fetched_at,
                    article.partition_date,
                    b"\x1f\x8b",
                ],
            )
            con.execute(
                "insert into crawl_log values ('run-1', ?, ?, ?, ?, ?, 'article', ?, 1, 200, 1000, 50, 'fetched',"
                " null, ?, null, null)",
                [
                    article.partition_date,
                    article.source_id,
                    article.url,
                    article.url,
                    article.url,
                    fetched_at,
                    _id(article.url, "hash"),
                ],
            )
            con.execute(
                "insert or replace into articles values (?, ?, ?, ?, ?, ?, ['A Reporter'], ?, 'jsonld', 'en', ?,"
                " 'newspaper', null, 100, ?, ?, 'p1', ?)",
                [
                    article.article_id,
                    page_id,
                    article.source_id,
                    article.url,
                    article.url,
                    article.title,
                    article.published_at,
                    f"{article.title}. Body text.",
                    fetched_at,
                    article.partition_date,
                    fetched_at,
                ],
            )
            con.execute(
                "insert or replace into extraction_log values (?, ?, ?, ?, ?)",
                [article.article_id, extractor_version, article.partition_date, len(article.mentions), fetched_at],
            )
            for index, mention in enumerate(article.mentions):
                mention_id = _id(article.article_id, extractor_version, index)
                con.execute(
                    "insert or replace into event_mentions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?,"
                    " ?, ?, ?, ?, null, null, ?, ?, ?, '[[0, 10]]', ?, null)",
                    [
                        mention_id,
                        article.article_id,
                        article.source_id,
                        article.partition_date,
                        extractor_version,
                        index,
                        mention.event_type,
                        mention.sub_event_type,
                        mention.event_date,
                        mention.date_precision,
                        mention.location,
                        mention.admin1,
                        COUNTRY_NAMES.get(mention.country_iso2),
                        mention.country_iso2,
                        mention.latitude,
                        mention.longitude,
                        mention.geo_precision,
                        mention.fatalities,
                        mention.civilian_targeting,
                        mention.confidence,
                        mention.evidence_text,
                        fetched_at,
                    ],
                )
                for actor_index, actor in enumerate(mention.actors):
                    con.execute(
                        "insert or replace into actor_mentions values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            _id(mention_id, actor.role, actor.actor_name, actor_index),
                            mention_id,
                            article.article_id,
                            extractor_version,
                            actor.role,
                            actor.surface_text,
                            actor.actor_name,
                            actor.actor_type,
                            actor.country_iso2,
                        ],
                    )
    finally:
        con.close()


def write_data_dir(target: Path) -> Path:
    """A data dir like transforms/data with the shared files, a fixture actor dictionary and affiliates."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("taxonomy.csv", "actor_types.csv", "countries.csv", "generic_actors.csv"):
        shutil.copy(DATA_DIR / name, target / name)
    with open(target / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACTOR_DICTIONARY_HEADER)
        writer.writerows(ACTOR_DICTIONARY)
    with open(target / "actor_affiliates.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACTOR_AFFILIATES_HEADER)
        writer.writerows(ACTOR_AFFILIATES)
    return target


def dbt_build(db_path: Path, work_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a real `dbt build` (test target) against db_path; targets and logs stay in work_dir."""
    env = dict(
        os.environ,
        NEWSEVENTS_DB=str(db_path),
        NEWSEVENTS_DATA_DIR=str(write_data_dir(work_dir / "data")),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    command = [
        str(DBT),
        "build",
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target",
        "test",
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        *args,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=DBT_PROJECT, timeout=600)


MART_TABLES = (
    "fct_incidents",
    "fct_incident_reports",
    "bridge_incident_actors",
    "dim_actors",
    "dim_locations",
    "dim_sources",
    "dim_dates",
)


def build_warehouse(work_dir: Path, *days: list[SyntheticArticle]) -> Path:
    """A fresh warehouse file with the given crawl days loaded and built by dbt, one build per day."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "warehouse.duckdb"
    for articles in days:
        insert_articles(db_path, articles)
        result = dbt_build(db_path, work_dir)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return db_path


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def report_keys(db_path: Path) -> dict[tuple[str, str, int], str]:
    """(source_id, slug, event_index) -> incident_id, from fct_incident_reports."""
    rows = query(
        db_path,
        """
        select r.source_id, regexp_extract(r.url, '/([^/]+)\\.html$', 1), m.event_index, r.incident_id
        from marts.fct_incident_reports r
        join main.event_mentions m using (event_mention_id)
    """,
    )
    return {(source, slug, index): incident for source, slug, index, incident in rows}


def clusters(keys: dict[tuple[str, str, int], str]) -> set[frozenset]:
    grouped: dict[str, set] = {}
    for key, incident in keys.items():
        grouped.setdefault(incident, set()).add(key)
    return {frozenset(members) for members in grouped.values()}


def mart_contents(db_path: Path) -> dict[str, list[tuple]]:
    return {table: sorted(query(db_path, f"select * from marts.{table}"), key=repr) for table in MART_TABLES}


@functools.cache
def shared_day_1_warehouse() -> Path:
    """Day 1 built once per test session and shared by modules that only read it (keeps CI short)."""
    work_dir = Path(tempfile.mkdtemp(prefix="newsevents-dbt-day1-"))
    atexit.register(shutil.rmtree, work_dir, ignore_errors=True)
    return build_warehouse(work_dir, staging_day_1())


@pytest.fixture(scope="module")
def day_1_warehouse() -> Path:
    return shared_day_1_warehouse()


# ------------------------------------------------------------------ tests


def test_reports_of_one_incident_merge_across_outlets_and_same_city_incidents_stay_apart(day_1_warehouse):
    assert clusters(report_keys(day_1_warehouse)) == {frozenset(members) for members in GOLD_DAY_1.values()}
    by_headline = {
        row[0]: row[1:]
        for row in query(
            day_1_warehouse, "select headline, n_articles, n_sources, event_type, location from marts.fct_incidents"
        )
    }
    assert by_headline["Suicide bomber kills five at Kirkuk checkpoint"][:2] == (3, 3)
    assert by_headline["Two rockets fired at US embassy compound in Baghdad"][:2] == (2, 2)
    # Mogadishu, 14 November: the market bomb and the army clash are two incidents.
    mogadishu = query(
        day_1_warehouse,
        "select sub_event_type, fatalities_best from marts.fct_incidents where location = 'Mogadishu' order by 1",
    )
    assert mogadishu == [("Armed clash", 4), ("Remote explosive/landmine/IED", 7)]


def test_merged_incident_takes_precise_location_toll_range_and_summary(day_1_warehouse):
    (row,) = query(
        day_1_warehouse,
        """
        select event_date, location, latitude is not null, fatalities_low, fatalities_best, fatalities_high,
               perpetrator, summary
        from marts.fct_incidents where sub_event_type = 'Suicide bomb'
    """,
    )
    event_date, location, has_coordinates, low, best, high, perpetrator, summary = row
    assert (event_date, location, has_coordinates) == (date(2026, 11, 13), "Kirkuk", True)
    assert (low, best, high) == (5, 5, 6)  # latest report (courier, 10:00) says 5
    assert perpetrator == "Islamic State"
    assert summary.startswith("Suicide bomb by Islamic State in Kirkuk, Iraq on 13 November 2026, 5 killed")
    assert summary.endswith("reported in 3 articles from 3 sources.")


def test_actor_spellings_collapse_and_generic_actors_stay_per_country(day_1_warehouse):
    actors = {
        row[0]: row[1:]
        for row in query(
            day_1_warehouse, "select actor_name, aliases, actor_type, n_incidents, is_generic from marts.dim_actors"
        )
    }
    islamic_state = actors["Islamic State"]
    # names as written; "the Islamic State group" is a description, not a name
    assert set(islamic_state[0].split("; ")) == {"IS", "ISIS"}
    written = [alias for aliases, *_ in actors.values() if aliases for alias in aliases.split("; ")]
    assert written and all(alias.strip() for alias in written)
    assert not {alias.lower() for alias in written} & {"soldiers", "army", "gunmen", "militants", "police"}
    assert islamic_state[1:3] == ("Rebel group", 1)
    # "al-Shabab militants", "al-Shabab", "Shabaab fighters" -> one actor in two incidents
    assert actors["Al-Shabaab"][2] == 2
    assert actors["Military forces of Somalia"][2] == 1
    assert actors["Unidentified armed group (Iraq)"][1:] == ("Political militia", 1, True)
    assert actors["Unidentified armed group (Nigeria)"][1:] == ("Political militia", 1, True)
    assert not [
        name
        for name in actors
        if name in {"IS", "ISIS", "al-Shabab", "Somali National Army", "Unidentified armed group"}
    ]


def test_later_report_joins_existing_incident_keeps_ids_and_rerun_changes_nothing(tmp_path):
    db_path = tmp_path / "warehouse.duckdb"
    shutil.copy(shared_day_1_warehouse(), db_path)  # day 1 as built by dbt
    day_1_ids = report_keys(db_path)
    day_1_incidents = {row[0] for row in query(db_path, "select incident_id from marts.fct_incidents")}

    insert_articles(db_path, staging_day_2())
    assert dbt_build(db_path, tmp_path).returncode == 0
    day_2_ids = report_keys(db_path)
    assert {key: day_2_ids[key] for key in day_1_ids} == day_1_ids
    assert day_2_ids[("observer", "baghdad-rockets-followup", 0)] == day_1_ids[("herald", "rockets-baghdad", 0)]
    assert day_2_ids[("ledger", "mogadishu-toll-rises", 0)] == day_1_ids[("herald", "mogadishu-market-bomb", 0)]
    assert day_2_ids[("courier", "basra-pipeline-blast", 0)] not in day_1_incidents

    (ied,) = query(
        db_path,
        """
        select n_articles, n_sources, fatalities_low, fatalities_best, fatalities_high, first_source_id
        from marts.fct_incidents where incident_id = ?
    """,
        [day_1_ids[("herald", "mogadishu-market-bomb", 0)]],
    )
    assert ied == (2, 2, 7, 9, 9, "herald")

    before = mart_contents(db_path)
    assert dbt_build(db_path, tmp_path).returncode == 0
    assert mart_contents(db_path) == before


def borno_day() -> list[SyntheticArticle]:
    """Four Borno towns on 10 November, each story told by two outlets with differently coded
    sub-event types, so a perpetrator conflict (-0.3) decides whether they merge (0.6 vs 0.3)."""
    day, when = date(2026, 11, 11), date(2026, 11, 10)
    clash = dict(event_type="Battles", sub_event_type="Armed clash", event_date=when, admin1="Borno", country_iso2="NG")
    overrun = dict(clash, sub_event_type="Non-state actor overtakes territory")
    iswap = Actor("perpetrator", "ISWAP fighters", "ISWAP", "Rebel group", "NG")
    army = Actor("target", "soldiers", "Military forces of Nigeria", "State forces", "NG")
    return [
        # Damboa: one outlet has the soldiers as perpetrators (a role error); state forces never conflict.
        SyntheticArticle(
            "herald",
            "damboa-base-stormed",
            datetime(2026, 11, 11, 6, 0),
            day,
            "Militants storm army base in Damboa",
            (
                Mention(
                    **clash, location="Damboa", latitude=11.155, longitude=12.756, fatalities=9, actors=(iswap, army)
                ),
            ),
        ),
        SyntheticArticle(
            "courier",
            "damboa-garrison-falls",
            datetime(2026, 11, 11, 8, 0),
            day,
            "Soldiers killed as Damboa garrison is overrun",
            (
                Mention(
                    **overrun,
                    location="Damboa",
                    latitude=11.155,
                    longitude=12.756,
                    fatalities=11,
                    actors=(
                        Actor("perpetrator", "troops", "Military forces of Nigeria", "State forces", "NG"),
                        CIVILIANS,
                    ),
                ),
            ),
        ),
        # Gwoza: the two outlets name the same two groups with swapped roles.
        SyntheticArticle(
            "herald",
            "gwoza-rival-fighting",
            datetime(2026, 11, 11, 7, 0),
            day,
            "Rival jihadist factions fight near Gwoza",
            (
                Mention(
                    **clash,
                    location="Gwoza",
                    latitude=11.083,
                    longitude=13.692,
                    fatalities=6,
                    actors=(
                        Actor("perpetrator", "Boko Haram", "Boko Haram", "Rebel group", "NG"),
                        Actor("target", "ISWAP", "ISWAP", "Rebel group", "NG"),
                    ),
                ),
            ),
        ),
        SyntheticArticle(
            "ledger",
            "gwoza-camp-seized",
            datetime(2026, 11, 11, 9, 0),
            day,
            "ISWAP seizes rival camp outside Gwoza",
            (
                Mention(
                    **overrun,
                    location="Gwoza",
                    latitude=11.083,
                    longitude=13.692,
                    fatalities=6,
                    actors=(iswap, Actor("target", "JAS fighters", "JAS", "Rebel group", "NG")),
                ),
            ),
        ),
        # Monguno: one outlet blames the West Africa branch, the other the parent group.
        SyntheticArticle(
            "courier",
            "monguno-attack",
            datetime(2026, 11, 11, 7, 30),
            day,
            "Insurgents attack Monguno outpost",
            (
                Mention(
                    **clash, location="Monguno", latitude=12.67, longitude=13.61, fatalities=4, actors=(iswap, army)
                ),
            ),
        ),
        SyntheticArticle(
            "observer",
            "monguno-outpost-captured",
            datetime(2026, 11, 11, 10, 0),
            day,
            "Islamic State says it captured Monguno outpost",
            (
                Mention(
                    **overrun,
                    location="Monguno",
                    latitude=12.67,
                    longitude=13.61,
                    fatalities=4,
                    actors=(Actor("perpetrator", "Islamic State", "Islamic State", "Rebel group"),),
                ),
            ),
        ),
        # Bama: two unrelated groups blamed, neither named by the other report: two incidents.
        SyntheticArticle(
            "herald",
            "bama-ambush",
            datetime(2026, 11, 11, 8, 30),
            day,
            "Boko Haram ambushes patrol near Bama",
            (
                Mention(
                    **clash,
                    location="Bama",
                    latitude=11.52,
                    longitude=13.69,
                    fatalities=3,
                    actors=(Actor("perpetrator", "Boko Haram", "Boko Haram", "Rebel group", "NG"), army),
                ),
            ),
        ),
        SyntheticArticle(
            "observer",
            "bama-village-taken",
            datetime(2026, 11, 11, 11, 0),
            day,
            "ISWAP takes village outside Bama",
            (
                Mention(
                    **overrun, location="Bama", latitude=11.52, longitude=13.69, fatalities=2, actors=(iswap, CIVILIANS)
                ),
            ),
        ),
    ]


def test_role_errors_and_branches_do_not_split_incidents_but_unrelated_groups_stay_apart(tmp_path):
    db_path = build_warehouse(tmp_path, borno_day())
    assert clusters(report_keys(db_path)) == {
        frozenset({("herald", "damboa-base-stormed", 0), ("courier", "damboa-garrison-falls", 0)}),
        frozenset({("herald", "gwoza-rival-fighting", 0), ("ledger", "gwoza-camp-seized", 0)}),
        frozenset({("courier", "monguno-attack", 0), ("observer", "monguno-outpost-captured", 0)}),
        frozenset({("herald", "bama-ambush", 0)}),
        frozenset({("observer", "bama-village-taken", 0)}),
    }


def test_build_fails_on_sub_event_type_outside_taxonomy(tmp_path):
    bad = SyntheticArticle(
        "herald",
        "odd-type",
        datetime(2026, 11, 15, 4, 0),
        date(2026, 11, 15),
        "Odd",
        (Mention("Battles", "Skirmish", date(2026, 11, 14), "Aleppo", "Aleppo", "SY", 36.2, 37.15, 1),),
    )
    db_path = tmp_path / "warehouse.duckdb"
    insert_articles(db_path, [bad])
    result = dbt_build(db_path, tmp_path, "--select", "stg_event_mentions", "stg_taxonomy")
    assert result.returncode != 0
    assert "relationships_composite_stg_event_mentions" in result.stdout
    assert "FAIL 1 relationships_composite_stg_event_mentions" in result.stdout


if __name__ == "__main__":
    # Debug helper: build a synthetic warehouse in the given directory (day 1, and day 2 with any 2nd arg).
    work = Path(sys.argv[1])
    (work / "warehouse.duckdb").unlink(missing_ok=True)
    days = [staging_day_1()] + ([staging_day_2()] if len(sys.argv) > 2 else [])
    print(build_warehouse(work, *days))
