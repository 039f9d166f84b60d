"""Parse and extract on worker processes: the same rows as one process, batches in order, failures clear."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date

import duckdb
import pytest

from transforms import pipeline, warehouse

DAY = date(2026, 11, 20)

# Every column the stages write, less the wall-clock ones (parsed_at, extracted_at).
COMPARED = {
    "articles": "* exclude (parsed_at)",
    "parse_rejects": "* exclude (parsed_at)",
    "event_mentions": "* exclude (extracted_at)",
    "actor_mentions": "*",
    "extraction_log": "* exclude (extracted_at)",
}


def _rows(db, table: str) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(f"select {COMPARED[table]} from {table} order by all").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crawled_day(fixture_config, tmp_path_factory):
    """The fixture sites' day crawled once into a DuckDB file (parse and extract not run yet)."""
    db = tmp_path_factory.mktemp("parallel") / "crawled.duckdb"
    conn = warehouse.connect(db)
    pipeline.run_crawl(conn, fixture_config, DAY, run_id="crawl")
    conn.close()
    return db


def _parse_and_extract(source_db, target_db, workers: int) -> tuple[dict, dict]:
    shutil.copy(source_db, target_db)
    conn = warehouse.connect(target_db)
    try:
        parsed = pipeline.run_parse(conn, DAY, workers=workers).counts
        extracted = pipeline.run_extract(conn, DAY, workers=workers).counts
    finally:
        conn.close()
    parsed.pop("seconds"), extracted.pop("seconds")
    return parsed, extracted


def test_two_workers_write_the_same_rows_as_one_process(crawled_day, tmp_path):
    one = _parse_and_extract(crawled_day, tmp_path / "one.duckdb", workers=1)
    two = _parse_and_extract(crawled_day, tmp_path / "two.duckdb", workers=2)
    assert one == two
    assert one[0]["articles"] > 50 and one[1]["event_mentions"] > 20
    for table in COMPARED:
        rows_one, rows_two = _rows(tmp_path / "one.duckdb", table), _rows(tmp_path / "two.duckdb", table)
        assert rows_one == rows_two, table
        assert rows_one or table == "parse_rejects", table


def test_re_extracting_a_batch_replaces_its_rows(crawled_day, tmp_path):
    db = tmp_path / "again.duckdb"
    _parse_and_extract(crawled_day, db, workers=2)
    conn = warehouse.connect(db)
    try:
        before = warehouse.count_rows(conn, ["event_mentions", "actor_mentions", "extraction_log"])
        conn.execute("delete from extraction_log")  # as if the log were lost: everything is redone
        again = pipeline.run_extract(conn, DAY, workers=2)
        after = warehouse.count_rows(conn, ["event_mentions", "actor_mentions", "extraction_log"])
    finally:
        conn.close()
    assert again.counts["articles"] == before["extraction_log"]
    assert after == before


# Work functions for map_batches run on real worker processes: module level, so they pickle.


def _slow_for_small_batches(items: list[int]) -> list[int]:
    time.sleep(0.02 * (5 - len(items)))  # later, shorter batches finish first
    return [item * 10 for item in items]


def _die_on_the_third_batch(items: list[int]) -> list[int]:
    if 20 in items:
        time.sleep(0.5)  # the batches before it are done by then
        os._exit(3)  # a worker killed mid-batch (OOM killer, segfault)
    return items


def test_map_batches_writes_in_batch_order_whatever_finishes_first():
    written: list[list[int]] = []
    batches = [list(range(start, min(start + size, 14))) for start, size in ((0, 5), (5, 4), (9, 3), (12, 2))]
    pipeline.map_batches(
        batches, list, _slow_for_small_batches, lambda items, results: written.append(results), workers=2
    )
    assert written == [[i * 10 for i in batch] for batch in batches]


def test_a_dead_worker_fails_the_stage_clearly_and_keeps_the_batches_written_before():
    written: list[list[int]] = []
    batches = [list(range(start, start + 10)) for start in range(0, 60, 10)]
    with pytest.raises(RuntimeError, match="worker process died"):
        pipeline.map_batches(
            batches, list, _die_on_the_third_batch, lambda items, results: written.append(results), workers=2
        )
    assert written == batches[:2]


def test_worker_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(pipeline.WORKERS_ENV, "3")
    assert pipeline.default_workers() == 3
    monkeypatch.setenv(pipeline.WORKERS_ENV, "0")
    assert pipeline.default_workers() == 1
    monkeypatch.setenv(pipeline.WORKERS_ENV, "two")
    with pytest.raises(ValueError, match="NEWSEVENTS_WORKERS must be a whole number"):
        pipeline.default_workers()
    monkeypatch.delenv(pipeline.WORKERS_ENV)
    assert pipeline.default_workers() >= 1


def test_batches_cover_every_id_once_and_give_each_worker_several_on_a_small_day():
    ids = [f"id{i}" for i in range(99)]
    small = pipeline.batches(ids, 100, workers=2)
    assert [i for batch in small for i in batch] == ids
    assert len(small) >= 8
    large = pipeline.batches([str(i) for i in range(5000)], 100, workers=2)
    assert len(large) == 50 and {len(b) for b in large} == {100}
    assert pipeline.batches([], 100, workers=2) == []
