"""Scale-out configuration, run for real: workers push shards into a DuckLake at once, the same dbt
project builds on the lake (catalog in SQLite, and in a private PostgreSQL server on 127.0.0.1),
and the daily job runs under Dagster's multiprocess executor with its run storage in PostgreSQL.

The PostgreSQL tests start their own server from the Debian packages (initdb, pg_ctl) on a free
loopback port and stop it afterwards; they are skipped when those programs are not installed.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURE_SOURCES, REPO, needs
from transforms import lake, pipeline, settings, warehouse

try:
    lake.extension_directory()
except lake.LakeError as exc:  # the `scale` extra is not installed
    needs(str(exc), module=True)

DAY = date(2026, 11, 20)
SHARDS = {"a": ("herald", "courier"), "b": ("ledger", "observer")}
STAGING = (
    "sources",
    "crawl_log",
    "pages",
    "articles",
    "parse_rejects",
    "event_mentions",
    "actor_mentions",
    "extraction_log",
)
MARTS = (
    "fct_incidents",
    "fct_incident_reports",
    "bridge_incident_actors",
    "dim_actors",
    "dim_locations",
    "dim_sources",
    "dim_dates",
)
DBT_DIR = REPO / "dbt_project"


# ---------------------------------------------------------------------------- services and shards


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1 (trust auth, user postgres); yields its port."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        needs("PostgreSQL server programs (Debian package postgresql)")
    bin_dir = Path(binaries[-1])
    data = Path(tempfile.mkdtemp(prefix="newsevents-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the packages' postgres user
        os.chown(data, pwd.getpwnam("postgres").pw_uid, pwd.getpwnam("postgres").pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data / "db"),
            "-l",
            str(data / "log"),
            "-w",
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        for name in ("dagster", "lake"):
            subprocess.run(
                [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name],
                check=True,
                capture_output=True,
            )
        yield port
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def shard_files(fixture_config, tmp_path_factory):
    """Two workers' DuckDB files: the fixture day crawled, parsed and extracted per shard of sources."""
    folder = tmp_path_factory.mktemp("shards")
    files = {}
    for name, source_ids in SHARDS.items():
        config = dataclasses.replace(
            fixture_config, sources=tuple(s for s in fixture_config.sources if s.source_id in source_ids)
        )
        files[name] = folder / f"{name}.duckdb"
        conn = warehouse.connect(files[name])
        pipeline.run_crawl(conn, config, DAY, run_id=f"shard-{name}")
        pipeline.run_parse(conn, DAY)
        pipeline.run_extract(conn, DAY)
        conn.close()
    return files


def _dbt_build(target: str, env: dict[str, str], target_path: Path) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--target",
            target,
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(target_path),
        ],
        cwd=DBT_DIR,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture(scope="module")
def single_file_marts(shard_files, tmp_path_factory):
    """The reference: both shards in one DuckDB file, built with the default (single-file) target."""
    folder = tmp_path_factory.mktemp("single")
    db = folder / "single.duckdb"
    conn = warehouse.connect(db)
    for name, path in shard_files.items():
        conn.execute(f"attach '{path}' as {name} (read_only)")
        for table in STAGING:
            conn.execute(f"insert into main.{table} select * from {name}.main.{table}")
        conn.execute(f"detach {name}")
    conn.close()
    _dbt_build("test", {settings.DB_ENV: str(db)}, folder / "target")
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {table: sorted(conn.execute(f"select * from marts.{table}").fetchall(), key=repr) for table in MARTS}
    finally:
        conn.close()


def _push_at_once(catalog: str, data: Path, shard_files: dict[str, Path]) -> list[int]:
    """Both workers push their shard in separate processes, released together by a barrier."""
    lake.connect_lake(catalog, data).close()  # the lake is created once, then shared
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(shard_files))
    workers = [
        context.Process(target=_push_worker, args=(catalog, str(data), str(path), SHARDS[name], barrier), daemon=True)
        for name, path in shard_files.items()
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    return [worker.exitcode for worker in workers]


def _push_worker(catalog: str, data: str, shard: str, source_ids, barrier) -> None:
    conn = lake.connect_lake(catalog, data)
    barrier.wait(timeout=120)
    lake.push_shard(shard, DAY, source_ids, conn)
    conn.close()


def _lake_counts(catalog: str, data: Path) -> dict[str, int]:
    conn = lake.connect_lake(catalog, data)
    try:
        return {t: conn.execute(f"select count(*) from lake.main.{t}").fetchone()[0] for t in STAGING}
    finally:
        conn.close()


def _shard_counts(shard_files) -> dict[str, int]:
    totals = dict.fromkeys(STAGING, 0)
    for path in shard_files.values():
        conn = duckdb.connect(str(path), read_only=True)
        for table, count in warehouse.count_rows(conn, STAGING).items():
            totals[table] += count
        conn.close()
    return totals


# ---------------------------------------------------------------------------- the tests


@pytest.fixture(params=["sqlite", "postgres"])
def catalog(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'catalog.sqlite'}"
    port = request.getfixturevalue("postgres")
    return f"postgres:dbname=lake host=127.0.0.1 port={port} user=postgres"


def test_workers_push_shards_at_once_and_dbt_builds_the_same_marts_on_the_lake(
    catalog, shard_files, single_file_marts, tmp_path
):
    data = tmp_path / "lake_data"
    if catalog.startswith("postgres:"):  # one catalog database per module: start from an empty lake
        conn = lake.connect_lake(catalog, data)
        for schema, table in conn.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'lake'"
        ).fetchall():
            conn.execute(f"drop table lake.{schema}.{table}")
        conn.close()
    assert _push_at_once(catalog, data, shard_files) == [0, 0]
    landed = _lake_counts(catalog, data)
    assert landed == _shard_counts(shard_files)
    assert landed["event_mentions"] > 20

    # pushing a shard again replaces its rows: nothing doubles
    lake.push_shard(shard_files["a"], DAY, SHARDS["a"], lake.connect_lake(catalog, data))
    assert _lake_counts(catalog, data) == landed

    _dbt_build(
        "lake",
        {
            settings.LAKE_CATALOG_ENV: catalog,
            settings.LAKE_DATA_ENV: str(data) + "/",
            settings.EXTENSIONS_ENV: str(lake.extension_directory()),
        },
        tmp_path / "target",
    )
    conn = lake.connect_lake(catalog, data)
    try:
        for table in MARTS:
            rows = sorted(conn.execute(f"select * from lake.marts.{table}").fetchall(), key=repr)
            assert rows == single_file_marts[table], table
    finally:
        conn.close()
    assert single_file_marts["fct_incidents"]
    assert list(data.rglob("*.parquet")), "DuckLake keeps the data as Parquet files"


def test_daily_job_on_the_multiprocess_executor_with_postgres_run_storage(postgres, fixture_server, tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        json.dumps(
            {  # JSON is YAML
                "storage": {
                    "postgres": {
                        "postgres_db": {
                            "hostname": "127.0.0.1",
                            "port": postgres,
                            "username": "postgres",
                            "password": "",
                            "db_name": "dagster",
                            "scheme": "postgresql+psycopg2",
                        }
                    }
                },
                "concurrency": {"pools": {"default_limit": 1}},
                "telemetry": {"enabled": False},
            }
        )
    )
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "NEWSEVENTS_FIXTURE_URL": fixture_server.base_url,
        "NEWSEVENTS_SOURCES": str(FIXTURE_SOURCES),
        settings.DB_ENV: str(tmp_path / "warehouse.duckdb"),
        "NEWSEVENTS_PUBLISH_DIR": str(tmp_path / "published"),
    }
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [
            str(dagster),
            "job",
            "execute",
            "-m",
            "orchestration.definitions",
            "-j",
            "daily_job",
            "--tags",
            json.dumps({"dagster/partition": DAY.isoformat()}),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    from dagster import DagsterInstance, DagsterRunStatus
    from dagster._core.storage.runs import SqlRunStorage

    instance = DagsterInstance.from_config(str(home))
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert isinstance(instance.run_storage, SqlRunStorage)
        (run,) = instance.get_runs()
        assert run.status == DagsterRunStatus.SUCCESS
        assert run.tags["dagster/partition"] == DAY.isoformat()
        logs = instance.all_logs(run.run_id)
        step_pids = {
            e.dagster_event.step_key: e.dagster_event.pid
            for e in logs
            if e.dagster_event and e.dagster_event.event_type_value == "STEP_SUCCESS"
        }
        assert {"raw_pages", "articles", "event_mentions", "bi_copy"} <= set(step_pids)
        assert len(set(step_pids.values())) == len(step_pids), "each step in its own process"
    finally:
        instance.dispose()
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        assert conn.execute("select count(*) from marts.fct_incidents").fetchone()[0] > 20
    finally:
        conn.close()


def test_a_newer_shard_pushes_into_a_lake_created_before_a_column_existed(shard_files, tmp_path):
    """Schema evolution: a lake made by an older release (event_mentions without admin2) takes a newer
    worker's shard; the column is added and its values land by name, not by position."""
    catalog, data = f"sqlite:{tmp_path / 'old.sqlite'}", tmp_path / "old_data"
    conn = lake.connect_lake(catalog, data)
    path = shard_files["a"]
    conn.execute(f"attach '{path}' as shard (read_only)")
    conn.execute(
        "create table lake.main.event_mentions as select * exclude (admin2) from shard.main.event_mentions limit 0"
    )
    conn.execute("detach shard")
    lake.push_shard(path, DAY, SHARDS["a"], conn)
    pushed = conn.execute(
        "select count(*), count(admin2), count(*) filter (where country_iso2 is not null) from lake.main.event_mentions"
    ).fetchone()
    conn.close()
    local = duckdb.connect(str(path), read_only=True)
    expected = local.execute(
        "select count(*), count(admin2), count(*) filter (where country_iso2 is not null) from event_mentions"
    ).fetchone()
    local.close()
    assert pushed == expected and pushed[0] > 0
