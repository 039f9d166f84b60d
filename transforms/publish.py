"""Publish the marts as a read-only BI copy: a DuckDB file swapped in atomically, plus Parquet.

Dashboards and ad-hoc SQL read the copy, never the warehouse the daily run writes, so they never
block the run and never see a half-written state:
- the DuckDB copy is written to a temporary file next to the target, then `os.replace`d over it.
  A reader that already has the old file open keeps reading that snapshot; the next open gets the
  new one. No lock is shared between the writer and readers (different files/inodes).
- it is written with an explicit storage version, so DuckDB 1.x drivers embedded in BI tools open
  it even when the pipeline runs a newer DuckDB (a 2.x default file is unreadable to 1.x).
- each Parquet file is likewise written aside and replaced; a manifest lists the snapshot. The
  DuckDB copy is the consistent snapshot across tables; Parquet files are each complete.
- the copy carries a `_snapshot` table (snapshot id, table, row count) so a reader can check it
  got a complete snapshot.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from transforms import warehouse

PUBLISH_DIR_ENV = "NEWSEVENTS_PUBLISH_DIR"
DEFAULT_PUBLISH_DIR = warehouse.REPO_ROOT / "warehouse" / "published"
PUBLISHED_DB_NAME = "newsevents_bi.duckdb"
PARQUET_DIR_NAME = "parquet"
MANIFEST_NAME = "manifest.json"
MARTS_SCHEMA = "marts"
MART_TABLES = (
    "fct_incidents",
    "fct_incident_reports",
    "bridge_incident_actors",
    "dim_actors",
    "dim_locations",
    "dim_sources",
    "dim_dates",
    "acled_events",
    "fct_crawl_days",
)
# The storage format DuckDB 1.0 .. 1.4 all read (header version 64). Newer defaults may not be.
STORAGE_VERSION = "v1.0.0"
STORAGE_VERSION_NUMBER = 64


class PublishError(RuntimeError):
    """The warehouse could not be published (missing marts, unreadable warehouse)."""


@dataclass(frozen=True)
class PublishResult:
    snapshot_id: str
    published_at: datetime
    duckdb_path: Path
    parquet_dir: Path
    row_counts: tuple[tuple[str, int], ...]
    seconds: float

    @property
    def rows(self) -> dict[str, int]:
        return dict(self.row_counts)


def publish_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The BI directory: explicit argument, else $NEWSEVENTS_PUBLISH_DIR, else warehouse/published."""
    chosen = explicit or os.environ.get(PUBLISH_DIR_ENV) or DEFAULT_PUBLISH_DIR
    return Path(chosen).expanduser().resolve()


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    # The rename is atomic; fsync first so a crash cannot leave a renamed but empty file.
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def storage_version_number(path: str | os.PathLike[str]) -> int:
    """The storage version number in a DuckDB file header (64 = v1.0.0 format, readable by all 1.x)."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    if header[8:12] != b"DUCK":
        raise PublishError(f"{path} is not a DuckDB database file")
    return int.from_bytes(header[12:20], "little")


def publish(
    warehouse_path: str | os.PathLike[str] | None = None,
    target_dir: str | os.PathLike[str] | None = None,
    tables: tuple[str, ...] = MART_TABLES,
    schema: str = MARTS_SCHEMA,
) -> PublishResult:
    """Copy the marts of the warehouse into the BI directory, atomically replacing the last copy."""
    started = time.monotonic()
    source = warehouse.db_path(warehouse_path)
    if not source.exists():
        raise PublishError(f"warehouse {source} does not exist: run the pipeline (dbt build) first")
    out_dir = publish_dir(target_dir)
    parquet_dir = out_dir / PARQUET_DIR_NAME
    parquet_dir.mkdir(parents=True, exist_ok=True)

    published_at = datetime.now(timezone.utc).replace(microsecond=0)
    snapshot_id = f"{published_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    final_db = out_dir / PUBLISHED_DB_NAME
    # Unique temp names: two publishers never write the same temp file.
    tmp_db = out_dir / f".{PUBLISHED_DB_NAME}.{snapshot_id}.tmp"
    tmp_parquet = {table: parquet_dir / f".{table}.{snapshot_id}.parquet.tmp" for table in tables}

    row_counts: list[tuple[str, int]] = []
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"attach {_quote_literal(str(source))} as src (read_only)")
        except duckdb.Error as error:
            raise PublishError(f"cannot open warehouse {source} read-only: {error}") from error
        present = {
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'src' and schema_name = ?",
                [schema],
            ).fetchall()
        }
        missing = [table for table in tables if table not in present]
        if missing:
            raise PublishError(f"warehouse {source} lacks marts {missing} in schema {schema}: run dbt build first")

        con.execute(f"attach {_quote_literal(str(tmp_db))} as pub (storage_version '{STORAGE_VERSION}')")
        con.execute("begin transaction")
        for table in tables:
            source_table = f"src.{_quote_identifier(schema)}.{_quote_identifier(table)}"
            con.execute(f"create table pub.main.{_quote_identifier(table)} as select * from {source_table}")
            count = con.execute(f"select count(*) from pub.main.{_quote_identifier(table)}").fetchone()[0]
            row_counts.append((table, int(count)))
        con.execute(
            "create table pub.main._snapshot (snapshot_id varchar, published_at timestamp,"
            " table_name varchar, n_rows bigint)"
        )
        con.executemany(
            "insert into pub.main._snapshot values (?, ?, ?, ?)",
            [(snapshot_id, published_at.replace(tzinfo=None), table, count) for table, count in row_counts],
        )
        con.execute("commit")
        # Parquet from the copy just written, so both formats hold the same snapshot.
        for table in tables:
            con.execute(
                f"copy pub.main.{_quote_identifier(table)} to {_quote_literal(str(tmp_parquet[table]))}"
                " (format parquet, compression zstd)"
            )
        con.execute("detach pub")  # checkpoints: the temp file is complete, no WAL left behind
        con.execute("detach src")
    except BaseException:
        con.close()
        for path in (tmp_db, Path(f"{tmp_db}.wal"), *tmp_parquet.values()):
            path.unlink(missing_ok=True)
        raise
    con.close()

    _fsync(tmp_db)
    os.replace(tmp_db, final_db)
    for table, path in tmp_parquet.items():
        _fsync(path)
        os.replace(path, parquet_dir / f"{table}.parquet")
    manifest = {
        "snapshot_id": snapshot_id,
        "published_at": published_at.isoformat(),
        "warehouse": str(source),
        "duckdb": PUBLISHED_DB_NAME,
        "storage_version": STORAGE_VERSION,
        "tables": {table: {"rows": count, "parquet": f"{PARQUET_DIR_NAME}/{table}.parquet"} for table, count in row_counts},
    }
    tmp_manifest = out_dir / f".{MANIFEST_NAME}.{snapshot_id}.tmp"
    tmp_manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, out_dir / MANIFEST_NAME)

    return PublishResult(
        snapshot_id=snapshot_id,
        published_at=published_at,
        duckdb_path=final_db,
        parquet_dir=parquet_dir,
        row_counts=tuple(row_counts),
        seconds=round(time.monotonic() - started, 3),
    )
