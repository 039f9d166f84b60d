"""Incremental merging is exact: a history of busy synthetic days built day by day by real `dbt build`s
(the merging models incremental) gives the same pairs, reports, incidents and incident ids as one
`dbt build --full-refresh` of the same data.

The days are made to reach into each other's merge windows: reports dated days or weeks before the
day they appear (week and month precision), reports placed only to the region or the country, and a
re-extraction (a new extractor version) that changes and drops reports of an earlier day."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_dbt_merge_order import KINDS, OUTLETS, PLACES
from tests.test_dbt_warehouse import Mention, SyntheticArticle, dbt_build, insert_articles, query

FIRST_DAY = date(2026, 11, 9)
N_DAYS = 6


def crawl_day(day: date, seed: int) -> list[SyntheticArticle]:
    """A crawl day: incidents of the last days told by several outlets, some stories weeks old."""
    rng = random.Random(seed)
    articles = []
    for incident in range(30):
        place, admin1, country, lat, lon = rng.choice(PLACES)
        event_type, sub_types = rng.choice(KINDS)
        back, precision_of_date = rng.choices(
            ((0, "day"), (1, "day"), (2, "day"), (9, "week"), (20, "month")), (4, 4, 2, 1, 1)
        )[0]
        when = day - timedelta(days=back)
        toll = rng.choice((None, 0, 3, 8))
        for outlet in rng.sample(OUTLETS, rng.randint(1, 3)):
            placed = rng.choices(("town", "near", "region", "country"), (7, 1, 1, 1))[0]
            located = placed in ("town", "near")
            mention = Mention(
                event_type=event_type,
                sub_event_type=rng.choice(sub_types) if rng.random() < 0.3 else sub_types[0],
                event_date=when + timedelta(days=rng.choice((0, 0, 0, 1))),
                location=place if located else admin1 if placed == "region" else None,
                admin1=None if placed == "country" else admin1,
                country_iso2=country,
                latitude=(lat + rng.uniform(-0.02, 0.02)) if located else lat + 0.3 if placed == "region" else None,
                longitude=(lon + rng.uniform(-0.02, 0.02)) if located else lon + 0.3 if placed == "region" else None,
                fatalities=None if toll is None else toll + rng.choice((0, 0, 1, 2)),
                geo_precision={"town": 1, "near": 2}.get(placed, 3),
                date_precision=precision_of_date,
                confidence=rng.choice((0.6, 0.8, 0.9)),
            )
            published = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randrange(24))
            slug = f"{day:%m%d}-story-{incident}-{outlet}"
            articles.append(SyntheticArticle(outlet, slug, published, day, f"Story {slug}", (mention,)))
    return articles


def re_extracted(articles: list[SyntheticArticle]) -> list[SyntheticArticle]:
    """A newer extractor on stored articles: one report moves to another sub-type, one finds no event,
    one gains a second event."""
    changed = []
    for index, article in enumerate(articles):
        (mention,) = article.mentions
        if index % 3 == 0:
            other_type = replace(mention, event_type="Violence against civilians", sub_event_type="Attack")
            changed.append(replace(article, mentions=(other_type,)))
        elif index % 3 == 1:
            changed.append(replace(article, mentions=()))
        else:
            second = replace(mention, fatalities=(mention.fatalities or 0) + 5)
            changed.append(replace(article, mentions=(mention, second)))
    return changed


def merged_state(db_path: Path) -> dict[str, list[tuple]]:
    return {
        "pairs": query(db_path, "select * from intermediate.int_mention_pairs_scored order by all"),
        "clustered": query(
            db_path,
            "select event_mention_id, incident_id, parent_mention_id, link_score, root_mention_id, is_first_report,"
            " mention_hash from intermediate.int_event_mentions_clustered order by all",
        ),
        "reports": query(db_path, "select * from marts.fct_incident_reports order by all"),
        "incidents": sorted(
            query(db_path, "select * exclude (confidence), round(confidence, 6) from marts.fct_incidents"), key=repr
        ),
    }


@pytest.fixture(scope="module")
def day_by_day(tmp_path_factory) -> tuple[Path, list[str]]:
    """The history built one crawl day at a time (day 5 also re-extracts some of day 2's articles;
    the last day first builds the clustering without the pairs)."""
    work = tmp_path_factory.mktemp("incremental")
    db_path = work / "warehouse.duckdb"
    outputs = []
    days = [crawl_day(FIRST_DAY + timedelta(days=k), seed=k) for k in range(N_DAYS)]
    for k, articles in enumerate(days):
        insert_articles(db_path, articles)
        if k == 4:
            insert_articles(db_path, re_extracted(days[1][:12]), extractor_version="x2")
        if k == N_DAYS - 1:
            # the clustering built alone first (a partial selection), on the last day so that no later
            # day's window covers for it: the next build must still merge this day with its pairs
            partial = dbt_build(db_path, work, "--select", "int_event_mentions_current", "int_event_mentions_clustered")
            assert partial.returncode == 0, partial.stdout[-4000:] + partial.stderr[-2000:]
        result = dbt_build(db_path, work)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        outputs.append(result.stdout)
    return db_path, outputs


def test_daily_incremental_builds_equal_a_full_refresh(day_by_day, tmp_path):
    db_path, outputs = day_by_day
    # every build after the first merged incrementally
    for output in outputs[1:]:
        assert "incremental model intermediate.int_mention_pairs_scored" in output
        assert "incremental model intermediate.int_event_mentions_clustered" in output
    incremental = merged_state(db_path)
    n_reports, n_incidents = len(incremental["reports"]), len(incremental["incidents"])
    # busy enough to exercise merging across days: many reports join others, not all into one
    assert n_reports > 300 and 100 <= n_incidents < 0.8 * n_reports
    assert len(incremental["pairs"]) > n_reports

    full_path = tmp_path / "full.duckdb"
    shutil.copy(db_path, full_path)
    result = dbt_build(full_path, tmp_path, "--full-refresh")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    full = merged_state(full_path)
    for name in full:
        assert incremental[name] == full[name], name


def test_a_build_with_nothing_new_changes_nothing(day_by_day, tmp_path):
    db_path, _ = day_by_day
    copy = tmp_path / "again.duckdb"
    shutil.copy(db_path, copy)
    before = merged_state(copy)
    result = dbt_build(copy, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert merged_state(copy) == before
