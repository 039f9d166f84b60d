"""Publish the marts as a read-only BI copy: DuckDB file, Parquet files and manifest of one snapshot.

Dashboards and ad-hoc SQL read the copy, never the warehouse the daily run writes, so they never
block the run and never see a half-written state. The publish directory holds

    snapshots/<snapshot_id>/newsevents_bi.duckdb, parquet/<table>.parquet, manifest.json
    current -> snapshots/<snapshot_id>            the published snapshot (a symlink)
    newsevents_bi.duckdb -> current/newsevents_bi.duckdb, parquet -> current/parquet,
    manifest.json -> current/manifest.json        the documented paths, through `current`

- a snapshot is written whole in a temporary folder, renamed to its final name, and published by
  replacing `current` with one `os.replace` of a symlink: every path resolves to the old snapshot
  or to the new one, never to a mix. A reader that wants several files of the same snapshot
  resolves `current` once (`os.path.realpath`) and reads below that folder.
- the previous snapshots stay (KEEP_SNAPSHOTS in all) so readers that resolved them keep working;
  older ones are removed, as are leftovers of a publish killed half-way (temporary folders and
  links), at the next publish. An open file survives the removal of its snapshot (POSIX).
- the DuckDB copy is written with an explicit storage version, so DuckDB 1.x drivers embedded in
  BI tools open it even when the pipeline runs a newer DuckDB (a 2.x default file is unreadable to
  1.x); it carries a `_snapshot` table (snapshot id, table, row count) so a reader can check it.
- publishers take a lock file, so two never interleave.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from transforms import warehouse
from transforms.settings import Settings

PUBLISHED_DB_NAME = "newsevents_bi.duckdb"
PARQUET_DIR_NAME = "parquet"
MANIFEST_NAME = "manifest.json"
SNAPSHOTS_DIR_NAME = "snapshots"
CURRENT_NAME = "current"
LOCK_NAME = ".publish.lock"
KEEP_SNAPSHOTS = 3  # the current one and the two before it
_TMP_PREFIX = ".tmp-"
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
    duckdb_path: Path  # the documented path (through `current`)
    parquet_dir: Path
    snapshot_dir: Path  # this snapshot's own folder
    row_counts: tuple[tuple[str, int], ...]
    seconds: float

    @property
    def rows(self) -> dict[str, int]:
        return dict(self.row_counts)


def publish_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The BI directory: explicit argument, else the settings' ($NEWSEVENTS_PUBLISH_DIR or warehouse/published)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    return Settings.from_env().publish_dir


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    # The rename is atomic; fsync first so a crash cannot leave a renamed but empty file.
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _publish_lock(out_dir: Path):
    with open(out_dir / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _remove_leftovers(out_dir: Path) -> None:
    """What a killed publish leaves: temporary snapshot folders and links, old-layout temp files.
    Only called under the publish lock, so no live publisher owns them."""
    snapshots = out_dir / SNAPSHOTS_DIR_NAME
    candidates = list(snapshots.glob(f"{_TMP_PREFIX}*")) if snapshots.is_dir() else []
    candidates += [p for p in out_dir.glob(".*.tmp*")]
    parquet = out_dir / PARQUET_DIR_NAME
    if parquet.is_dir() and not parquet.is_symlink():
        candidates += list(parquet.glob(".*.tmp"))
    for path in candidates:
        _remove(path)


def _link(target: str, at: Path) -> None:
    """Point the symlink `at` to `target` in one atomic step (replacing a file or link there)."""
    tmp = at.with_name(f".{at.name}.{uuid.uuid4().hex[:8]}.tmp")
    os.symlink(target, tmp)
    os.replace(tmp, at)


def _link_documented_paths(out_dir: Path) -> None:
    """The documented paths as links through `current`; an old-layout file or folder is replaced."""
    for name in (PUBLISHED_DB_NAME, MANIFEST_NAME, PARQUET_DIR_NAME):
        path, target = out_dir / name, f"{CURRENT_NAME}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.is_dir() and not path.is_symlink():  # the old parquet/ folder: a rename cannot replace it
            aside = out_dir / f".{name}.old.tmp"
            _remove(aside)
            os.rename(path, aside)
            _link(target, path)
            _remove(aside)
        else:
            _link(target, path)


def _prune(out_dir: Path, current: str) -> None:
    snapshots = out_dir / SNAPSHOTS_DIR_NAME
    done = [p for p in snapshots.iterdir() if not p.name.startswith(_TMP_PREFIX) and p.name != current]
    done.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in done[KEEP_SNAPSHOTS - 1 :]:
        _remove(old)


def current_snapshot(target_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder of the published snapshot (resolve once, then read every file below it)."""
    current = publish_dir(target_dir) / CURRENT_NAME
    return Path(os.path.realpath(current)) if current.is_symlink() else None


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
    (out_dir / SNAPSHOTS_DIR_NAME).mkdir(parents=True, exist_ok=True)
    with _publish_lock(out_dir):
        _remove_leftovers(out_dir)
        published_at = datetime.now(UTC).replace(microsecond=0)
        snapshot_id = f"{published_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        work = out_dir / SNAPSHOTS_DIR_NAME / f"{_TMP_PREFIX}{snapshot_id}"
        try:
            row_counts = _write_snapshot(source, work, snapshot_id, published_at, tables, schema)
        except BaseException:
            _remove(work)
            raise
        final = out_dir / SNAPSHOTS_DIR_NAME / snapshot_id
        os.rename(work, final)
        _fsync(final.parent)
        _link(f"{SNAPSHOTS_DIR_NAME}/{snapshot_id}", out_dir / CURRENT_NAME)  # the one switch
        _link_documented_paths(out_dir)
        _fsync(out_dir)
        _prune(out_dir, snapshot_id)

    return PublishResult(
        snapshot_id=snapshot_id,
        published_at=published_at,
        duckdb_path=out_dir / PUBLISHED_DB_NAME,
        parquet_dir=out_dir / PARQUET_DIR_NAME,
        snapshot_dir=final,
        row_counts=tuple(row_counts),
        seconds=round(time.monotonic() - started, 3),
    )


def _write_snapshot(
    source: Path, work: Path, snapshot_id: str, published_at: datetime, tables: tuple[str, ...], schema: str
) -> list[tuple[str, int]]:
    """DuckDB copy, Parquet files and manifest of one snapshot into the folder `work`."""
    parquet_dir = work / PARQUET_DIR_NAME
    parquet_dir.mkdir(parents=True)
    db_path = work / PUBLISHED_DB_NAME
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

        con.execute(f"attach {_quote_literal(str(db_path))} as pub (storage_version '{STORAGE_VERSION}')")
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
                f"copy pub.main.{_quote_identifier(table)} to {_quote_literal(str(parquet_dir / f'{table}.parquet'))}"
                " (format parquet, compression zstd)"
            )
        con.execute("detach pub")  # checkpoints: the temp file is complete, no WAL left behind
        con.execute("detach src")
    finally:
        con.close()
    manifest = {
        "snapshot_id": snapshot_id,
        "published_at": published_at.isoformat(),
        "warehouse": str(source),
        "duckdb": PUBLISHED_DB_NAME,
        "storage_version": STORAGE_VERSION,
        "tables": {
            table: {"rows": count, "parquet": f"{PARQUET_DIR_NAME}/{table}.parquet"} for table, count in row_counts
        },
    }
    (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for path in (db_path, work / MANIFEST_NAME, *parquet_dir.iterdir()):
        _fsync(path)
    _fsync(parquet_dir)
    return row_counts
