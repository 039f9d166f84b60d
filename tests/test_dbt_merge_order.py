"""Incidents do not depend on the order the rows were written in: a busy synthetic day (several
outlets, many reports of the same incidents at a few places, reports placed to the town, near it, to
the region or only the country, tolls that differ, reports published at the same minute) is loaded
in two orders into two fresh warehouses, built by a real `dbt build`, and the incidents compared;
and the same pages served from another port (other URLs, so other article ids) make the same
incidents."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_dbt_warehouse import Mention, SyntheticArticle, build_warehouse, clusters, query, report_keys

DAY = date(2026, 11, 15)
OUTLETS = ("herald", "courier", "ledger", "observer", "gazette")
# (place, admin1, country, latitude, longitude): two cities with several incidents a day, towns
# 15-40 km apart, all invented for the test
PLACES = [
    ("Port Amsel", "Coast", "SO", 2.04, 45.34),
    ("Kerrow", "Coast", "SO", 2.16, 45.20),
    ("Belhaven", "Lakes", "NG", 11.84, 13.15),
    ("Dunmoor", "Lakes", "NG", 11.70, 13.05),
    ("Ostrava Nova", "River", "IQ", 33.34, 44.40),
    ("Tessel", "River", "IQ", 33.50, 44.55),
]
KINDS = [
    ("Battles", ("Armed clash", "Non-state actor overtakes territory")),
    ("Explosions/Remote violence", ("Remote explosive/landmine/IED", "Suicide bomb")),
    ("Explosions/Remote violence", ("Air/drone strike", "Shelling/artillery/missile attack")),
    ("Violence against civilians", ("Attack", "Abduction/forced disappearance")),
    ("Protests", ("Peaceful protest", "Protest with intervention")),
]


def busy_day(seed: int = 7, n_incidents: int = 40) -> list[SyntheticArticle]:
    rng = random.Random(seed)
    reports: list[tuple[str, Mention]] = []
    for _incident in range(n_incidents):
        place, admin1, country, lat, lon = rng.choice(PLACES)
        event_type, sub_types = rng.choice(KINDS)
        when = DAY - timedelta(days=rng.choice((0, 1, 1, 2)))
        toll = rng.choice((None, 0, 2, 5, 12))
        for outlet in rng.sample(OUTLETS, rng.randint(1, 4)):
            precision = rng.choices(("town", "near", "region", "country"), (7, 1, 1, 1))[0]
            located = precision in ("town", "near")
            mention = Mention(
                event_type=event_type,
                sub_event_type=rng.choice(sub_types) if rng.random() < 0.3 else sub_types[0],
                event_date=when + timedelta(days=rng.choice((0, 0, 0, 0, 1))),
                location=place if located else admin1 if precision == "region" else None,
                admin1=None if precision == "country" else admin1,
                country_iso2=country,
                latitude=(lat + rng.uniform(-0.02, 0.02)) if located else lat + 0.3 if precision == "region" else None,
                longitude=(lon + rng.uniform(-0.02, 0.02)) if located else lon + 0.3 if precision == "region" else None,
                fatalities=None if toll is None else toll + rng.choice((0, 0, 1, 3)),
                geo_precision={"town": 1, "near": 2}.get(precision, 3),
                confidence=rng.choice((0.6, 0.7, 0.8, 0.9)),
            )
            reports.append((outlet, mention))
    rng.shuffle(reports)
    articles = []
    for index, (outlet, mention) in enumerate(reports):
        # published on the hour, so several reports share a publication time
        published = datetime(2026, 11, 15, 0, 0) + timedelta(hours=index % 20)
        mentions = (mention,)
        if index % 9 == 0 and index + 1 < len(reports):  # a round-up also tells the next report's incident
            mentions = (mention, reports[index + 1][1])
        articles.append(SyntheticArticle(outlet, f"story-{index}", published, DAY, f"Story {index}", mentions))
    return articles


def incidents(db_path) -> tuple[list[tuple], list[tuple]]:
    reports = query(db_path, "select event_mention_id, incident_id from marts.fct_incident_reports order by all")
    marts = query(db_path, "select * exclude (confidence), round(confidence, 6) from marts.fct_incidents")
    return reports, sorted(marts, key=repr)


@pytest.fixture(scope="module")
def day() -> list[SyntheticArticle]:
    return busy_day() + chain_published_together()


@pytest.fixture(scope="module")
def forward_build(day, tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("forward"), day)


def test_incidents_do_not_depend_on_the_order_rows_were_written(day, forward_build, tmp_path):
    forward = incidents(forward_build)
    backward = incidents(build_warehouse(tmp_path / "backward", list(reversed(day))))
    reports, marts = forward
    n_reports, n_incidents = len(reports), len(marts)
    # the day is busy enough to exercise merging: many reports join others, not all into one
    assert n_reports > 80 and 25 <= n_incidents < 0.8 * n_reports
    assert backward[0] == reports
    assert len(backward[1]) == n_incidents
    assert backward[1] == marts


@dataclass(frozen=True)
class MirroredArticle(SyntheticArticle):
    """The same page served from another port: another URL and article id, the same path."""

    @property
    def url(self) -> str:
        return super().url.replace("127.0.0.1:8765/", "127.0.0.1:8799/")


def chain_published_together() -> list[SyntheticArticle]:
    """A town report, a report near it (11 km) and a town 9 km beyond that, the last two published
    the same minute: the middle report links all three only if it arrives before the far one.
    Their slugs are chosen so that the order of their article ids flips between the two ports."""
    shelling = dict(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=DAY,
        admin1="Valley",
        country_iso2="IQ",
        longitude=44.0,
    )
    published = datetime(2026, 11, 15, 21, 30)
    first = SyntheticArticle(
        "herald",
        "valley-shelling",
        datetime(2026, 11, 15, 21, 0),
        DAY,
        "Shelling",
        (Mention(**shelling, location="Amber", latitude=34.0, fatalities=2),),
    )
    for k in range(100):
        near = SyntheticArticle(
            "courier",
            f"shells-near-amber-{k}",
            published,
            DAY,
            "Shells near Amber",
            (Mention(**shelling, location="Amber", latitude=34.1, fatalities=4, geo_precision=2),),
        )
        far = SyntheticArticle(
            "ledger",
            f"shells-hit-birch-{k}",
            published,
            DAY,
            "Shells hit Birch",
            (Mention(**shelling, location="Birch", latitude=34.18, fatalities=4),),
        )
        if (near.article_id < far.article_id) != (mirror(near).article_id < mirror(far).article_id):
            return [first, near, far]
    raise AssertionError("no slugs whose id order flips")


def mirror(article: SyntheticArticle) -> MirroredArticle:
    return MirroredArticle(**{f.name: getattr(article, f.name) for f in fields(article)})


def test_incidents_do_not_depend_on_the_host_the_pages_came_from(day, forward_build, tmp_path):
    # reports published at the same time are ordered by their URL path, not by an id hashed from
    # the whole URL, which changes with the host and port they were fetched from
    mirrored = [mirror(article) for article in day]
    assert {a.article_id for a in day}.isdisjoint(a.article_id for a in mirrored)
    original = clusters(report_keys(forward_build))
    assert clusters(report_keys(build_warehouse(tmp_path / "mirror", mirrored))) == original
