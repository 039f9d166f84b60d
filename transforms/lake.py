"""Scale-out edge: a DuckLake (catalog in SQLite or PostgreSQL, data as Parquet files) that many
writers fill at once, and that the dbt project builds on as its `lake` target.

Each worker (one machine, one shard of sources) runs crawl, parse and extract into its own DuckDB
file with the ordinary code (transforms.pipeline), then `push_shard` copies that shard's day into the
lake in one lake transaction. DuckLake has no primary keys or ON CONFLICT, so a push replaces the
shard's rows (delete, then insert) instead of upserting; pushing the same shard again changes nothing.
Two writers whose commits collide are serialised by retrying the later one.

No extension is downloaded: DuckDB loads ducklake, sqlite_scanner and postgres_scanner from the pip
packages duckdb-ext-* (the `scale` extra), found by `extension_directory()`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import random
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from transforms.settings import LAKE_CATALOG_ENV, LAKE_DATA_ENV, Settings

log = logging.getLogger(__name__)

LAKE = "lake"
PUSH_ATTEMPTS = 8

# Staging tables keyed by day and source: a shard's rows are `partition_date = ? and source_id in (...)`.
_BY_DAY_AND_SOURCE = ("crawl_log", "pages", "articles", "parse_rejects", "event_mentions")


class LakeError(RuntimeError):
    """The lake cannot be reached or set up (missing extension package, bad catalog setting)."""


def extension_directory() -> Path:
    """Where the duckdb-ext-* packages put the extensions, in DuckDB's <dir>/<version>/<platform> layout."""
    explicit = Settings.from_env().duckdb_extensions
    if explicit:
        return Path(explicit)
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise LakeError(
            "the DuckLake extension is not installed: pip install -e '.[scale]' "
            "(packages duckdb-ext-ducklake, duckdb-ext-sqlite, duckdb-ext-postgres)"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "extensions"


def connect_lake(
    catalog: str | None = None, data_path: str | os.PathLike[str] | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` (settings default to the environment)."""
    settings = Settings.from_env()
    catalog = catalog or settings.lake_catalog
    data_path = data_path or settings.lake_data
    if not catalog or not data_path:
        raise LakeError(f"set {LAKE_CATALOG_ENV} (e.g. sqlite:/path/catalog.sqlite) and {LAKE_DATA_ENV} (a directory)")
    conn = duckdb.connect(
        config={"extension_directory": str(extension_directory()), "autoinstall_known_extensions": False}
    )
    data = str(data_path)
    if "://" not in data:
        Path(data).mkdir(parents=True, exist_ok=True)
        data = data.rstrip("/") + "/"
    attach = f"attach 'ducklake:{_quote(catalog)}' as {LAKE} (data_path '{_quote(data)}')"
    _retrying(lambda: conn.execute(attach), f"attaching {catalog}")
    return conn


def _is_contention(exc: duckdb.Error) -> bool:
    """Another writer got there first: a DuckLake commit conflict, or SQLite's lock on the catalog."""
    message = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) or "conflict" in message or "database is locked" in message


def _retrying(action, what: str):
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            return action()
        except duckdb.Error as exc:
            if attempt == PUSH_ATTEMPTS or not _is_contention(exc):
                raise
            log.info("%s: another writer was first (%s); retrying", what, exc)
            time.sleep(random.uniform(0.05, 0.3) * attempt)
    raise AssertionError("unreachable")


def _quote(value: str) -> str:
    return value.replace("'", "''")


def ensure_tables(conn: duckdb.DuckDBPyConnection, local: str) -> None:
    """Create the staging tables in the lake with the local file's columns (no keys: DuckLake has none)."""
    for (table,) in conn.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main' order by 1",
        [local],
    ).fetchall():
        conn.execute(f"create table if not exists {LAKE}.main.{table} as select * from {local}.main.{table} limit 0")
        # A column added to the staging schema after the lake was created (e.g. admin2) is added here too,
        # so a newer worker can push into an older lake; inserts go by name, so column order never matters.
        have = {
            name
            for (name,) in conn.execute(
                "select column_name from information_schema.columns where table_catalog = ? and table_name = ?",
                [LAKE, table],
            ).fetchall()
        }
        for name, kind in conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = 'main' and table_name = ? order by ordinal_position",
            [local, table],
        ).fetchall():
            if name not in have:
                conn.execute(f'alter table {LAKE}.main.{table} add column "{name}" {kind}')


def push_shard(
    local_db: str | os.PathLike[str],
    partition_date: date,
    source_ids: Sequence[str],
    conn: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, int]:
    """Replace the lake's rows of (day, sources) with those of a worker's DuckDB file; rows per table.

    The worker's file must not be open for writing elsewhere (its stages are done).
    """
    own = conn is None
    conn = conn or connect_lake()
    local = "shard"
    conn.execute(f"attach '{_quote(str(Path(local_db).resolve()))}' as {local} (read_only)")
    try:

        def push() -> dict[str, int]:
            ensure_tables(conn, local)
            return _push(conn, local, partition_date, list(source_ids))

        return _retrying(push, f"pushing {partition_date} {list(source_ids)}")
    finally:
        conn.execute(f"detach {local}")
        if own:
            conn.close()


def _push(conn: duckdb.DuckDBPyConnection, local: str, day: date, sources: list[str]) -> dict[str, int]:
    marks = ", ".join("?" * len(sources))
    shard = f"partition_date = ? and source_id in ({marks})"
    params = [day, *sources]
    events_of_shard = f"select event_mention_id from {{db}}.main.event_mentions where {shard}"
    articles_of_shard = f"select article_id from {{db}}.main.articles where {shard}"
    counts = {}
    conn.execute("begin transaction")
    try:
        # children first: actor rows hang off event mentions, the log off articles
        conn.execute(
            f"delete from {LAKE}.main.actor_mentions where event_mention_id in ({events_of_shard.format(db=LAKE)})",
            params,
        )
        conn.execute(
            f"delete from {LAKE}.main.extraction_log where partition_date = ? and article_id in "
            f"({articles_of_shard.format(db=LAKE)})",
            [day, *params],
        )
        for table in _BY_DAY_AND_SOURCE:
            conn.execute(f"delete from {LAKE}.main.{table} where {shard}", params)
        for table in _BY_DAY_AND_SOURCE:
            counts[table] = conn.execute(
                f"insert into {LAKE}.main.{table} by name select * from {local}.main.{table} where {shard}", params
            ).fetchone()[0]
        counts["actor_mentions"] = conn.execute(
            f"insert into {LAKE}.main.actor_mentions by name select * from {local}.main.actor_mentions "
            f"where event_mention_id in ({events_of_shard.format(db=local)})",
            params,
        ).fetchone()[0]
        counts["extraction_log"] = conn.execute(
            f"insert into {LAKE}.main.extraction_log by name select * from {local}.main.extraction_log "
            f"where partition_date = ? and article_id in ({articles_of_shard.format(db=local)})",
            [day, *params],
        ).fetchone()[0]
        conn.execute(f"delete from {LAKE}.main.sources where source_id in ({marks})", sources)
        counts["sources"] = conn.execute(
            f"insert into {LAKE}.main.sources by name select * from {local}.main.sources where source_id in ({marks})",
            sources,
        ).fetchone()[0]
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return counts
