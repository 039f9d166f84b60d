"""The daily job end to end: real Dagster materialisations on the fixture sites into a temporary DuckDB file."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance

from tests.conftest import FIXTURE_SOURCES
from transforms import pipeline, warehouse
from transforms.crawl import Crawl

DAY = "2026-11-20"
STAGING = ["crawl_log", "pages", "articles", "parse_rejects", "event_mentions", "actor_mentions", "extraction_log"]


@pytest.fixture()
def job_env(fixture_server, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_FIXTURE_URL", fixture_server.base_url)
    monkeypatch.setenv("NEWSEVENTS_SOURCES", str(FIXTURE_SOURCES))
    monkeypatch.setenv(warehouse.DB_ENV, str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("NEWSEVENTS_PUBLISH_DIR", str(tmp_path / "published"))
    return tmp_path / "warehouse.duckdb"


def _run(partition: str):
    from orchestration.definitions import build_defs

    job = build_defs().resolve_job_def("daily_job")
    return job.execute_in_process(partition_key=partition, instance=DagsterInstance.ephemeral(),
                                  raise_on_error=False)


def _counts(db) -> dict[str, int]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return warehouse.count_rows(conn, STAGING)
    finally:
        conn.close()


@pytest.mark.e2e
def test_daily_job_lands_the_fixture_day_and_a_second_run_adds_nothing(job_env):
    first = _run(DAY)
    assert first.success
    checks = [e.event_specific_data for e in first.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert checks and all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
    counts = _counts(job_env)
    assert counts["pages"] > 80 and counts["articles"] > 70
    assert counts["parse_rejects"] >= 3
    assert counts["event_mentions"] > 20 and counts["actor_mentions"] > 20
    assert counts["extraction_log"] == counts["articles"]

    second = _run(DAY)
    assert second.success
    after = _counts(job_env)
    grew = {t: (counts[t], after[t]) for t in STAGING if t != "crawl_log" and after[t] != counts[t]}
    assert grew == {}


def test_interrupted_crawl_leaves_whole_batches_and_the_next_run_completes_it(fixture_config, tmp_path):
    day = date.fromisoformat(DAY)
    clean = warehouse.connect(tmp_path / "clean.duckdb")
    pipeline.run_crawl(clean, fixture_config, day, run_id="clean")
    expected = clean.execute("select count(*) from pages where page_kind = 'article'").fetchone()[0]

    conn = warehouse.connect(tmp_path / "crashed.duckdb")
    crawl = Crawl(fixture_config, day, warehouse.load_crawl_state(conn), run_id="crashed")
    records = crawl.run()
    batch = [next(records) for _ in range(40)]
    warehouse.write_crawl_output(conn, batch, day, "crashed")
    records.close()  # the process "dies" here: the rest of the crawl never lands
    partial = conn.execute("select count(*) from pages where page_kind = 'article'").fetchone()[0]
    assert 0 < partial < expected

    pipeline.run_crawl(conn, fixture_config, day, run_id="resumed")
    assert conn.execute("select count(*) from pages where page_kind = 'article'").fetchone()[0] == expected


def test_definitions_load_with_the_asset_graph_schedule_and_checks():
    from orchestration.definitions import build_defs

    defs = build_defs()
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw_pages", "articles", "event_mentions", "marts/fct_incidents", "marts/dim_actors", "bi_copy"} <= keys
    assert graph.get(AssetKey("articles")).parent_keys == {AssetKey("raw_pages")}
    assert graph.get(AssetKey("event_mentions")).parent_keys == {AssetKey("articles")}
    check_names = {c.name for c in graph.asset_check_keys}
    assert {"day_has_pages", "most_fetches_succeed", "day_has_articles"} <= check_names
    schedule = defs.resolve_schedule_def("daily_job_schedule")
    assert schedule.cron_schedule == "0 1 * * *"
    assert defs.resolve_job_def("daily_job").partitions_def is not None


def test_dagster_cli_validates_the_code_location():
    import subprocess
    import sys
    from pathlib import Path

    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run([str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Validation successful" in result.stderr + result.stdout


def test_new_extractor_version_re_extracts_stored_articles_without_crawling(fixture_config, tmp_path, monkeypatch):
    import transforms.extract as extract

    day = date.fromisoformat(DAY)
    conn = warehouse.connect(tmp_path / "versions.duckdb")
    pipeline.run_crawl(conn, fixture_config, day, run_id="crawl")
    pipeline.run_parse(conn, day)
    first = pipeline.run_extract(conn, day)
    assert first.counts["articles"] > 50
    assert pipeline.run_extract(conn, day).counts.get("articles", 0) == 0  # same version: nothing to do
    crawl_rows = conn.execute("select count(*) from crawl_log").fetchone()[0]

    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", extract.EXTRACTOR_VERSION + "+next")
    again = pipeline.run_extract(conn, day)
    assert again.counts["articles"] == first.counts["articles"]
    versions = dict(conn.execute("select extractor_version, count(*) from extraction_log group by 1").fetchall())
    assert len(versions) == 2 and len(set(versions.values())) == 1
    assert conn.execute("select count(*) from crawl_log").fetchone()[0] == crawl_rows
