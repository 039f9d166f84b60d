"""The BI copy (transforms/publish.py): atomic swaps, a storage format 1.x drivers read, Parquet."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from tests.test_dbt_warehouse import shared_day_1_warehouse
from transforms.publish import (
    KEEP_SNAPSHOTS,
    MART_TABLES,
    PUBLISHED_DB_NAME,
    STORAGE_VERSION_NUMBER,
    PublishError,
    publish,
    storage_version_number,
)


def synthetic_marts(path: Path, n_incidents: int) -> Path:
    """A warehouse whose marts are big enough that a publish takes a while (readers overlap it)."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists marts")
        for table in MART_TABLES:
            rows = n_incidents if table == "fct_incidents" else n_incidents // 10
            con.execute(f"drop table if exists marts.{table}")
            con.execute(
                f"create table marts.{table} as select i as id, 'incident ' || i as label, random() as score"
                f" from range({rows}) t(i)"
            )
    finally:
        con.close()
    return path


READER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    import duckdb

    publish_dir, stop_file = Path(sys.argv[1]), Path(sys.argv[2])
    tables = sys.argv[3].split(",")
    observed, errors = [], []
    while not stop_file.exists():
        try:
            con = duckdb.connect(str(publish_dir / "newsevents_bi.duckdb"), read_only=True)
            try:
                expected = dict(con.execute("select table_name, n_rows from _snapshot").fetchall())
                snapshot_id = con.execute("select any_value(snapshot_id) from _snapshot").fetchone()[0]
                actual = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
            finally:
                con.close()
            parquet = duckdb.sql(
                f"select count(*) from read_parquet('{publish_dir / 'parquet' / 'fct_incidents.parquet'}')"
            ).fetchone()[0]
            # one snapshot across formats: resolve `current` once, read everything below it
            snapshot = Path(os.path.realpath(publish_dir / "current"))
            con = duckdb.connect(str(snapshot / "newsevents_bi.duckdb"), read_only=True)
            try:
                db_view = con.execute(
                    "select any_value(snapshot_id), max(n_rows) filter (where table_name = 'fct_incidents')"
                    " from _snapshot"
                ).fetchone()
            finally:
                con.close()
            manifest = json.loads((snapshot / "manifest.json").read_text())
            snapshot_parquet = duckdb.sql(
                f"select count(*) from read_parquet('{snapshot / 'parquet' / 'fct_incidents.parquet'}')"
            ).fetchone()[0]
            observed.append({"snapshot_id": snapshot_id, "expected": expected, "actual": actual,
                             "parquet_fct_incidents": parquet,
                             "one_snapshot": [db_view[0], db_view[1]] == [manifest["snapshot_id"],
                                 manifest["tables"]["fct_incidents"]["rows"]] and db_view[1] == snapshot_parquet})
        except Exception as error:  # the test fails on any: lock, missing table, torn file
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"observed": observed, "errors": errors}))
    """
)


def test_reader_sees_only_complete_snapshots_and_never_fails_while_publishing(tmp_path):
    small = synthetic_marts(tmp_path / "small.duckdb", 200_000)
    large = synthetic_marts(tmp_path / "large.duckdb", 300_000)
    publish_dir = tmp_path / "published"
    publish(small, publish_dir)
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(publish_dir), str(stop_file), ",".join(MART_TABLES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        snapshots = []
        for index in range(12):
            snapshots.append(publish(large if index % 2 == 0 else small, publish_dir).snapshot_id)
            time.sleep(0.05)
    finally:
        stop_file.touch()
        out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["errors"] == []
    observed = report["observed"]
    assert len(observed) >= 5, "the reader should have read several times during the publishes"
    for reading in observed:
        assert reading["actual"] == reading["expected"]
        assert reading["actual"]["fct_incidents"] in (200_000, 300_000)
        assert reading["parquet_fct_incidents"] in (200_000, 300_000)
        assert reading["one_snapshot"], reading
    assert len({reading["snapshot_id"] for reading in observed}) >= 2, "readers should see new snapshots"
    # nothing left behind but the snapshots kept, `current` and the documented paths through it
    assert sorted(p.name for p in publish_dir.iterdir()) == [
        ".publish.lock",
        "current",
        "manifest.json",
        "newsevents_bi.duckdb",
        "parquet",
        "snapshots",
    ]
    assert sorted(p.name for p in (publish_dir / "snapshots").iterdir()) == sorted(snapshots[-KEEP_SNAPSHOTS:])
    assert sorted(p.name for p in (publish_dir / "parquet").iterdir()) == sorted(f"{t}.parquet" for t in MART_TABLES)


def test_published_copy_of_real_marts_opens_read_only_in_v1_storage(tmp_path):
    warehouse = shared_day_1_warehouse()
    result = publish(warehouse, tmp_path / "published")

    # header storage number 64 = the v1.0.0 format every DuckDB 1.x reads
    assert storage_version_number(result.duckdb_path) == STORAGE_VERSION_NUMBER
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        (tags,) = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchone()
        assert tags["storage_version"].startswith("v1.0.0")
        assert con.execute("select count(*) from fct_incidents").fetchone()[0] == 6
        assert result.rows["fct_incidents"] == 6
        with pytest.raises(duckdb.Error):
            con.execute("delete from fct_incidents")
    finally:
        con.close()
    # The Parquet copy holds the same rows as the DuckDB copy.
    headlines = duckdb.sql(
        f"select headline from read_parquet('{result.parquet_dir / 'fct_incidents.parquet'}') order by 1"
    ).fetchall()
    source = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert headlines == source.execute("select headline from marts.fct_incidents order by 1").fetchall()
    finally:
        source.close()
    manifest = json.loads((tmp_path / "published" / "manifest.json").read_text())
    assert manifest["snapshot_id"] == result.snapshot_id
    assert manifest["tables"]["fct_incidents"]["rows"] == 6


def test_failed_publish_keeps_previous_copy_and_leaves_no_temp_files(tmp_path):
    publish_dir = tmp_path / "published"
    first = publish(synthetic_marts(tmp_path / "good.duckdb", 1_000), publish_dir)
    before = first.duckdb_path.read_bytes()

    incomplete = tmp_path / "incomplete.duckdb"
    con = duckdb.connect(str(incomplete))
    con.execute("create schema marts")
    con.execute("create table marts.fct_incidents as select 1 as id")
    con.close()
    with pytest.raises(PublishError, match="lacks marts"):
        publish(incomplete, publish_dir)
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "missing.duckdb", publish_dir)

    assert (publish_dir / PUBLISHED_DB_NAME).read_bytes() == before
    assert not [p for p in publish_dir.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".wal")]


def test_killed_publish_leaves_the_previous_snapshot_whole_and_the_next_publish_cleans_up(tmp_path):
    """kill -9 of a publisher half-way (after the DuckDB copy, before the switch): readers keep the
    previous snapshot in every format; the next publish removes the leftovers."""
    publish_dir = tmp_path / "published"
    first = publish(synthetic_marts(tmp_path / "first.duckdb", 1_000), publish_dir)
    second_marts = synthetic_marts(tmp_path / "second.duckdb", 2_000)
    killer = textwrap.dedent(
        """
        import os, sys
        from transforms import publish as p
        real = p._write_snapshot
        def dying(*args):
            real(*args)
            os.kill(os.getpid(), 9)  # everything written, nothing switched
        p._write_snapshot = dying
        p.publish(sys.argv[1], sys.argv[2])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", killer, str(second_marts), str(publish_dir)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -9, done.stderr
    leftovers = [p for p in (publish_dir / "snapshots").iterdir() if p.name.startswith(".tmp-")]
    assert leftovers, "the killed publish should have left its work folder"

    manifest = json.loads((publish_dir / "manifest.json").read_text())
    assert manifest["snapshot_id"] == first.snapshot_id
    con = duckdb.connect(str(publish_dir / PUBLISHED_DB_NAME), read_only=True)
    try:
        assert con.execute("select count(*) from fct_incidents").fetchone()[0] == 1_000
    finally:
        con.close()
    assert (
        duckdb.sql(f"select count(*) from '{publish_dir / 'parquet' / 'fct_incidents.parquet'}'").fetchone()[0] == 1_000
    )

    third = publish(second_marts, publish_dir)
    assert not [p for p in publish_dir.rglob("*") if p.name.startswith(".tmp-") or p.name.endswith(".tmp")]
    assert json.loads((publish_dir / "manifest.json").read_text())["snapshot_id"] == third.snapshot_id
    assert (
        duckdb.sql(f"select count(*) from '{publish_dir / 'parquet' / 'fct_incidents.parquet'}'").fetchone()[0] == 2_000
    )


def test_a_publish_dir_in_the_old_flat_layout_is_taken_over(tmp_path):
    publish_dir = tmp_path / "published"
    (publish_dir / "parquet").mkdir(parents=True)
    (publish_dir / PUBLISHED_DB_NAME).write_bytes(b"old copy")
    (publish_dir / "parquet" / "fct_incidents.parquet").write_bytes(b"old")
    (publish_dir / "parquet" / ".fct_incidents.x.parquet.tmp").write_bytes(b"torn")
    result = publish(synthetic_marts(tmp_path / "day.duckdb", 500), publish_dir)
    assert (publish_dir / PUBLISHED_DB_NAME).is_symlink() and (publish_dir / "parquet").is_symlink()
    assert duckdb.sql(f"select count(*) from '{result.parquet_dir / 'fct_incidents.parquet'}'").fetchone()[0] == 500
    assert not [p for p in publish_dir.rglob("*") if p.name.endswith(".tmp")]
