"""Load and validate the fixture article corpus (orchestration/fixture_sites/articles/<outlet>/*.yml).

Each YAML file is one article written for the offline fixture sites; the format is described in
orchestration/fixture_sites/README.md. Loading is strict: a bad file raises CorpusError naming the file and field,
so a typo in a fixture never silently becomes a missing article in a crawl test.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"

OUTLETS: tuple[str, ...] = ("herald", "courier", "ledger", "observer")
SECTIONS: frozenset[str] = frozenset(
    {"world", "africa", "middle-east", "asia", "americas", "europe", "business", "sport", "culture", "politics"}
)
DATE_PRECISIONS: frozenset[str] = frozenset({"day", "week", "month"})

# ACLED event types -> sub-event types, spelled as in the project brief. Only used to catch typos
# in the gold labels; the project's own taxonomy file is the reference for the pipeline.
TAXONOMY: dict[str, frozenset[str]] = {
    "Battles": frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}),
    "Explosions/Remote violence": frozenset(
        {
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        }
    ),
    "Violence against civilians": frozenset({"Sexual violence", "Attack", "Abduction/forced disappearance"}),
    "Protests": frozenset({"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}),
    "Riots": frozenset({"Violent demonstration", "Mob violence"}),
    "Strategic developments": frozenset(
        {
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        }
    ),
}

# libyaml's parser when available: same results, several times faster on ~100 files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_ISO2_RE = re.compile(r"^[A-Z]{2}$")


class CorpusError(ValueError):
    """A fixture article file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class GoldIncident:
    """One incident a careful human coder would extract from the article (ACLED rules)."""

    incident_id: str
    event_type: str
    sub_event_type: str
    event_date: date
    date_precision: str
    country_iso2: str
    admin1: str | None
    location: str
    latitude: float
    longitude: float
    fatalities: int | None
    injured: int | None
    perpetrator: str | None
    target: str | None
    civilian_targeting: bool


@dataclass(frozen=True)
class FixtureArticle:
    """One article of the fixture corpus, plus where the fixture server publishes it."""

    outlet: str
    slug: str
    published: datetime  # timezone-aware
    updated: datetime | None  # timezone-aware
    section: str
    title: str
    standfirst: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    language: str
    body: tuple[str, ...]  # paragraphs, plain text
    gold: tuple[GoldIncident, ...]
    file: Path
    path: str  # path (and query) on the fixture host, e.g. /herald/2026/11/15/<slug>

    @property
    def key(self) -> str:
        """Corpus-wide identifier, '<outlet>/<slug>'."""
        return f"{self.outlet}/{self.slug}"

    @property
    def last_modified(self) -> datetime:
        return self.updated or self.published

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)


# ---------------------------------------------------------------- URL scheme


def _slug_number(slug: str, lo: int, span: int) -> int:
    """A stable number derived from the slug (sha1, not hash(): that one changes per process)."""
    return lo + int(hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8], 16) % span


def article_path(outlet: str, slug: str, published: datetime, section: str) -> str:
    """Path of an article on the fixture host; each outlet has its own URL style."""
    if outlet == "herald":
        return f"/herald/{published:%Y/%m/%d}/{slug}"
    if outlet == "courier":
        return f"/courier/news/{section}/{slug}"
    if outlet == "ledger":
        return f"/ledger/story/{slug}-{_slug_number(slug, 1_000_000, 9_000_000)}"
    if outlet == "observer":
        # The legacy site has two URL generations: old numeric CMS ids and newer static .html pages.
        number = _slug_number(slug, 10_000, 90_000)
        if number % 2 == 0:
            return f"/observer/index.php?id={number}"
        return f"/observer/{section}/{slug}.html"
    raise CorpusError(f"unknown outlet {outlet!r}")


# ---------------------------------------------------------------- field validation


def _fail(file: Path, field: str, problem: str) -> CorpusError:
    return CorpusError(f"{file}: field '{field}': {problem}")


def _req(data: dict[str, Any], field: str, file: Path) -> Any:
    if field not in data or data[field] is None:
        raise _fail(file, field, "missing")
    return data[field]


def _text(data: dict[str, Any], field: str, file: Path, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None:
        if required:
            raise _fail(file, field, "missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, field, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _aware(value: Any, field: str, file: Path) -> datetime:
    # PyYAML already turns ISO timestamps into datetimes; quoted ones arrive as strings.
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise _fail(file, field, f"not an ISO 8601 timestamp: {value!r}") from None
    if not isinstance(value, datetime):
        raise _fail(file, field, f"expected a timestamp with UTC offset, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise _fail(file, field, f"timestamp has no UTC offset: {value.isoformat()}")
    return value


def _date(value: Any, field: str, file: Path) -> date:
    if isinstance(value, datetime):
        raise _fail(file, field, f"expected a date (YYYY-MM-DD), got a timestamp {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(file, field, f"expected a date (YYYY-MM-DD), got {value!r}")


def _str_list(data: dict[str, Any], field: str, file: Path) -> tuple[str, ...]:
    value = data.get(field, [])
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(file, field, f"expected a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _opt_int(value: Any, field: str, file: Path) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(file, field, f"expected a non-negative integer or null, got {value!r}")
    return value


def _number(value: Any, field: str, file: Path, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise _fail(file, field, f"expected a number in [{lo}, {hi}], got {value!r}")
    return float(value)


def _opt_text(value: Any, field: str, file: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, field, f"expected a non-empty string or null, got {value!r}")
    return value.strip()


def _gold_incident(raw: Any, index: int, file: Path) -> GoldIncident:
    where = f"gold.incidents[{index}]"
    if not isinstance(raw, dict):
        raise _fail(file, where, f"expected a mapping, got {raw!r}")

    def f(name: str) -> str:
        return f"{where}.{name}"

    event_type = _text(raw, "event_type", file)
    sub_event_type = _text(raw, "sub_event_type", file)
    if event_type not in TAXONOMY:
        raise _fail(file, f("event_type"), f"unknown ACLED event type {event_type!r}")
    if sub_event_type not in TAXONOMY[event_type]:
        raise _fail(file, f("sub_event_type"), f"{sub_event_type!r} is not a sub-event type of {event_type!r}")
    incident_id = _text(raw, "incident_id", file)
    if not _SLUG_RE.match(incident_id or ""):
        raise _fail(file, f("incident_id"), f"expected lowercase-hyphenated id, got {incident_id!r}")
    precision = raw.get("date_precision", "day")
    if precision not in DATE_PRECISIONS:
        raise _fail(file, f("date_precision"), f"expected one of {sorted(DATE_PRECISIONS)}, got {precision!r}")
    country = raw.get("country_iso2")
    if not isinstance(country, str) or not _ISO2_RE.match(country):
        raise _fail(file, f("country_iso2"), f"expected an ISO 3166-1 alpha-2 code, got {country!r}")
    civilian = raw.get("civilian_targeting", False)
    if not isinstance(civilian, bool):
        raise _fail(file, f("civilian_targeting"), f"expected true/false, got {civilian!r}")
    location = _opt_text(raw.get("location"), f("location"), file)
    if location is None:
        raise _fail(file, f("location"), "missing")
    return GoldIncident(
        incident_id=incident_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=_date(_req(raw, "event_date", file), f("event_date"), file),
        date_precision=precision,
        country_iso2=country,
        admin1=_opt_text(raw.get("admin1"), f("admin1"), file),
        location=location,
        latitude=_number(_req(raw, "latitude", file), f("latitude"), file, -90, 90),
        longitude=_number(_req(raw, "longitude", file), f("longitude"), file, -180, 180),
        fatalities=_opt_int(raw.get("fatalities"), f("fatalities"), file),
        injured=_opt_int(raw.get("injured"), f("injured"), file),
        perpetrator=_opt_text(raw.get("perpetrator"), f("perpetrator"), file),
        target=_opt_text(raw.get("target"), f("target"), file),
        civilian_targeting=civilian,
    )


def _paragraphs(body: str) -> tuple[str, ...]:
    # Paragraphs are separated by blank lines; single newlines inside one are soft wraps.
    blocks = re.split(r"\n\s*\n", body.strip())
    return tuple(" ".join(line.strip() for line in block.splitlines()).strip() for block in blocks if block.strip())


def parse_article(file: Path) -> FixtureArticle:
    """Read and validate one article file."""
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (safe loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{file}: not valid UTF-8 YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{file}: expected a mapping at the top level")

    outlet = _text(data, "outlet", file)
    if outlet not in OUTLETS:
        raise _fail(file, "outlet", f"expected one of {list(OUTLETS)}, got {outlet!r}")
    if file.parent.name != outlet:
        raise _fail(file, "outlet", f"{outlet!r} but the file is in the {file.parent.name!r} folder")
    slug = _text(data, "slug", file)
    if not _SLUG_RE.match(slug):
        raise _fail(file, "slug", f"expected lowercase-hyphenated, got {slug!r}")
    if not file.stem.endswith(slug):
        raise _fail(file, "slug", f"{slug!r} does not match the file name (expected <YYYY-MM-DD>-{slug}.yml)")
    published = _aware(_req(data, "published", file), "published", file)
    updated = _aware(data["updated"], "updated", file) if data.get("updated") is not None else None
    if updated is not None and updated < published:
        raise _fail(file, "updated", f"{updated.isoformat()} is before published {published.isoformat()}")
    section = _text(data, "section", file)
    if section not in SECTIONS:
        raise _fail(file, "section", f"expected one of {sorted(SECTIONS)}, got {section!r}")
    language = data.get("language", "en")
    if not isinstance(language, str) or not _LANG_RE.match(language):
        raise _fail(file, "language", f"expected an ISO 639-1 code such as 'en', got {language!r}")
    body = _paragraphs(_text(data, "body", file))
    if len(body) < 2:
        raise _fail(file, "body", "expected at least two paragraphs separated by a blank line")

    gold_raw = data.get("gold")
    if not isinstance(gold_raw, dict) or not isinstance(gold_raw.get("incidents"), list):
        raise _fail(file, "gold.incidents", "missing: use 'gold: {incidents: []}' for non-incident news")
    gold = tuple(_gold_incident(raw, i, file) for i, raw in enumerate(gold_raw["incidents"]))
    if len({g.incident_id for g in gold}) != len(gold):
        raise _fail(file, "gold.incidents", "the same incident_id appears twice in one article")

    return FixtureArticle(
        outlet=outlet,
        slug=slug,
        published=published,
        updated=updated,
        section=section,
        title=_text(data, "title", file),
        standfirst=_text(data, "standfirst", file, required=False) or "",
        authors=_str_list(data, "authors", file),
        tags=_str_list(data, "tags", file),
        language=language,
        body=body,
        gold=gold,
        file=file,
        path=article_path(outlet, slug, published, section),
    )


def load_corpus(root: Path = ARTICLES_DIR) -> tuple[FixtureArticle, ...]:
    """All articles under root, newest first (ties broken by key), validated as a whole."""
    files = sorted(p for outlet in OUTLETS for p in (root / outlet).glob("*.yml"))
    articles = [parse_article(p) for p in files]
    seen_keys: dict[str, Path] = {}
    seen_paths: dict[str, Path] = {}
    for article in articles:
        if article.key in seen_keys:
            raise _fail(article.file, "slug", f"{article.slug!r} already used by {seen_keys[article.key]}")
        seen_keys[article.key] = article.file
        if article.path in seen_paths:
            raise _fail(article.file, "slug", f"URL {article.path} collides with {seen_paths[article.path]}")
        seen_paths[article.path] = article.file
    articles.sort(key=lambda a: (-a.published.timestamp(), a.key))
    return tuple(articles)


@lru_cache(maxsize=1)
def default_corpus() -> tuple[FixtureArticle, ...]:
    """The corpus in this folder, loaded once per process."""
    return load_corpus(ARTICLES_DIR)


def gold_incidents(articles: tuple[FixtureArticle, ...] | None = None) -> dict[str, list[str]]:
    """{incident_id: [article keys reporting it]}: the gold clustering for the merging evaluation."""
    clusters: dict[str, list[str]] = {}
    for article in articles if articles is not None else default_corpus():
        for incident in article.gold:
            clusters.setdefault(incident.incident_id, []).append(article.key)
    return {incident_id: sorted(keys) for incident_id, keys in sorted(clusters.items())}


def gold_inconsistencies(articles: tuple[FixtureArticle, ...] | None = None) -> list[str]:
    """Reports of one incident that disagree on what cannot differ between outlets.

    Tolls, spellings and precision may legitimately differ between reports; the kind of event,
    the country and the day (within a week, for late reports) may not.
    """
    by_id: dict[str, list[tuple[FixtureArticle, GoldIncident]]] = {}
    for article in articles if articles is not None else default_corpus():
        for incident in article.gold:
            by_id.setdefault(incident.incident_id, []).append((article, incident))
    problems: list[str] = []
    for incident_id, reports in sorted(by_id.items()):
        first_article, first = reports[0]
        for article, other in reports[1:]:
            for field in ("event_type", "country_iso2"):
                if getattr(other, field) != getattr(first, field):
                    problems.append(
                        f"{incident_id}: {field} is {getattr(first, field)!r} in {first_article.key} "
                        f"but {getattr(other, field)!r} in {article.key}"
                    )
            if abs((other.event_date - first.event_date).days) > 7:
                problems.append(
                    f"{incident_id}: event_date differs by more than a week between "
                    f"{first_article.key} and {article.key}"
                )
    return problems
