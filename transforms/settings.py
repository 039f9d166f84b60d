"""The one settings object: every path root, and every value read from the environment.

`Settings.from_env()` is the only place that reads `os.environ`. Everything else takes a Settings
(or a value from one) as an argument; nothing writes the environment to pass a value along. A run
that needs other values (the demo's warehouse, a test's files) builds `settings.replace(...)`.

Environment variables (all optional):
    NEWSEVENTS_DB            the warehouse DuckDB file (default warehouse/newsevents.duckdb)
    NEWSEVENTS_SOURCES       the sources config (default sources.yml)
    NEWSEVENTS_PUBLISH_DIR   the BI copy's directory (default warehouse/published)
    NEWSEVENTS_WATCHLIST     the watchlist (default watchlist.yml when it exists)
    NEWSEVENTS_START_DATE    the first daily partition, YYYY-MM-DD (default a year before today)
    NEWSEVENTS_WORKERS       processes for parse and extract (default: the usable CPUs)
    NEWSEVENTS_LAKE_CATALOG, NEWSEVENTS_LAKE_DATA, NEWSEVENTS_DUCKDB_EXTENSIONS   the DuckLake target
    NEWSEVENTS_GAZETTEER     a GeoNames dump the gazetteer adds to its shipped places
    NEWSEVENTS_CACHE_DIR     where built indexes are cached (default $XDG_CACHE_HOME/newsevents)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

# Path roots, defined once.
REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DATA_DIR = REPO_ROOT / "transforms" / "data"
WAREHOUSE_DIR = REPO_ROOT / "warehouse"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SCHEMA_SQL = WAREHOUSE_DIR / "schema.sql"
DEFAULT_DB = WAREHOUSE_DIR / "newsevents.duckdb"
DEFAULT_PUBLISH_DIR = WAREHOUSE_DIR / "published"
DEMO_DB = WAREHOUSE_DIR / "demo.duckdb"
DEMO_PUBLISH_DIR = WAREHOUSE_DIR / "demo_published"
DEFAULT_SOURCES = REPO_ROOT / "sources.yml"
DEFAULT_WATCHLIST = REPO_ROOT / "watchlist.yml"

DB_ENV = "NEWSEVENTS_DB"
SOURCES_ENV = "NEWSEVENTS_SOURCES"
PUBLISH_DIR_ENV = "NEWSEVENTS_PUBLISH_DIR"
WATCHLIST_ENV = "NEWSEVENTS_WATCHLIST"
START_DATE_ENV = "NEWSEVENTS_START_DATE"
WORKERS_ENV = "NEWSEVENTS_WORKERS"
LAKE_CATALOG_ENV = "NEWSEVENTS_LAKE_CATALOG"  # sqlite:/path/catalog.sqlite | postgres:dbname=... host=...
LAKE_DATA_ENV = "NEWSEVENTS_LAKE_DATA"  # directory (or object-store URL) of the Parquet files
EXTENSIONS_ENV = "NEWSEVENTS_DUCKDB_EXTENSIONS"
GAZETTEER_ENV = "NEWSEVENTS_GAZETTEER"  # a GeoNames dump to add to the shipped gazetteer
CACHE_DIR_ENV = "NEWSEVENTS_CACHE_DIR"  # where built indexes are kept (else $XDG_CACHE_HOME/newsevents)


def _path(value: str | os.PathLike[str]) -> Path:
    return Path(value).expanduser().resolve()


@dataclass(frozen=True)
class Settings:
    """Where the warehouse, its inputs and outputs are, and how the run is set up."""

    db_path: Path = DEFAULT_DB
    sources_path: Path = DEFAULT_SOURCES
    publish_dir: Path = DEFAULT_PUBLISH_DIR
    watchlist_path: Path | None = None
    # As written; orchestration.partitions and transforms.pipeline check them where they are used,
    # so a bad value fails the command that needs it, not every command.
    start_date: str = ""
    workers: str = ""
    lake_catalog: str = ""
    lake_data: str = ""
    duckdb_extensions: str = ""
    gazetteer_dump: str = ""
    cache_dir: Path = Path("~/.cache/newsevents").expanduser()
    # Which of the paths were chosen (environment or caller) rather than defaulted: the summary and
    # the dashboard look for the newest warehouse / BI copy only when none was chosen.
    db_chosen: bool = False
    publish_dir_chosen: bool = False
    # The process environment, which child processes (dbt) inherit and ${VAR} in config files expand
    # from, plus the variables a caller adds for config files only (the demo's fixture URL).
    environ: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)
    config_vars: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)

        def get(name: str) -> str:
            return env.get(name, "").strip()

        watchlist = get(WATCHLIST_ENV)
        return cls(
            db_path=_path(get(DB_ENV) or DEFAULT_DB),
            sources_path=_path(get(SOURCES_ENV) or DEFAULT_SOURCES),
            publish_dir=_path(get(PUBLISH_DIR_ENV) or DEFAULT_PUBLISH_DIR),
            watchlist_path=_path(watchlist)
            if watchlist
            else (DEFAULT_WATCHLIST if DEFAULT_WATCHLIST.exists() else None),
            start_date=get(START_DATE_ENV),
            workers=get(WORKERS_ENV),
            lake_catalog=get(LAKE_CATALOG_ENV),
            lake_data=get(LAKE_DATA_ENV),
            duckdb_extensions=get(EXTENSIONS_ENV),
            gazetteer_dump=get(GAZETTEER_ENV),
            cache_dir=Path(get(CACHE_DIR_ENV) or Path(get("XDG_CACHE_HOME") or "~/.cache").expanduser() / "newsevents"),
            db_chosen=bool(get(DB_ENV)),
            publish_dir_chosen=bool(get(PUBLISH_DIR_ENV)),
            environ=MappingProxyType(env),
        )

    def replace(self, **changes) -> Settings:
        """A copy with some values changed; paths are made absolute, and a path given counts as chosen."""
        for name in ("db_path", "sources_path", "publish_dir", "watchlist_path"):
            if changes.get(name) is not None:
                changes[name] = _path(changes[name])
        if changes.get("db_path") is not None:
            changes.setdefault("db_chosen", True)
        if changes.get("publish_dir") is not None:
            changes.setdefault("publish_dir_chosen", True)
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def with_vars(self, **variables: str) -> Settings:
        """A copy whose config files see these ${VAR} values too (the demo's fixture URL)."""
        return dataclasses.replace(self, config_vars=MappingProxyType({**self.config_vars, **variables}))

    def config_env(self) -> dict[str, str]:
        """What ${VAR} in a config file expands from."""
        return {**self.environ, **self.config_vars}

    def dbt_vars(self) -> dict[str, str]:
        """The settings dbt reads (profiles.yml): the warehouse, and the lake when one is set."""
        env = {DB_ENV: str(self.db_path)}
        for name, value in (
            (LAKE_CATALOG_ENV, self.lake_catalog),
            (LAKE_DATA_ENV, self.lake_data),
            (EXTENSIONS_ENV, self.duckdb_extensions),
        ):
            if value:
                env[name] = value
        return env

    def child_env(self) -> dict[str, str]:
        """The environment of a dbt process: this one's, with the settings dbt reads."""
        return {**self.environ, **self.dbt_vars(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
