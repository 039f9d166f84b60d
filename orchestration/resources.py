"""Resources, configured in one place from environment variables with local defaults."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource, EnvVar

from transforms import warehouse
from transforms.config import SourcesConfig, load_sources

REPO_ROOT = warehouse.REPO_ROOT
DEFAULT_SOURCES = REPO_ROOT / "sources.yml"
SOURCES_ENV = "NEWSEVENTS_SOURCES"
# DuckDB allows one writer per file: every asset that writes (or snapshots) the warehouse is in
# this pool, limited to one op at a time in orchestration/dagster.yaml.
WRITER_POOL = "duckdb_writer"


def default_db_path() -> str:
    return str(warehouse.db_path())


def default_sources_path() -> str:
    return str(Path(os.environ.get(SOURCES_ENV) or DEFAULT_SOURCES).resolve())


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file and the sources config that feeds it."""

    db_path: str
    sources_path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = warehouse.connect(self.db_path)
        try:
            yield conn
        finally:
            conn.close()

    def load_sources(self) -> SourcesConfig:
        return load_sources(self.sources_path)


def build_resources() -> dict:
    """Resources for Definitions; paths read from the environment when the code location loads."""
    from orchestration.dbt_assets import dbt_resource

    db = default_db_path()
    # dbt reads the same variable: one setting points both at the same file.
    os.environ[warehouse.DB_ENV] = db
    return {
        "warehouse": WarehouseResource(db_path=db, sources_path=default_sources_path()),
        "dbt": dbt_resource,
    }
