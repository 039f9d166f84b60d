"""Dagster resources, built from one Settings object (transforms.settings)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from dagster import ConfigurableResource

from transforms import warehouse
from transforms.config import SourcesConfig, load_sources
from transforms.settings import Settings

# DuckDB allows one writer per file: every asset that writes (or snapshots) the warehouse is in
# this pool, limited to one op at a time in orchestration/dagster.yaml.
WRITER_POOL = "duckdb_writer"


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file, the sources config that feeds it and the BI copy built from it."""

    db_path: str
    sources_path: str
    publish_dir: str = ""  # empty: the settings' default
    # ${VAR} values the sources config sees besides the process environment (the demo's fixture URL)
    config_vars: dict[str, str] = {}

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = warehouse.connect(self.db_path)
        try:
            yield conn
        finally:
            conn.close()

    def load_sources(self) -> SourcesConfig:
        return load_sources(self.sources_path, Settings.from_env().with_vars(**self.config_vars).config_env())


def warehouse_resource(settings: Settings) -> WarehouseResource:
    return WarehouseResource(
        db_path=str(settings.db_path),
        sources_path=str(settings.sources_path),
        publish_dir=str(settings.publish_dir),
        config_vars=dict(settings.config_vars),
    )


def build_resources(settings: Settings) -> dict:
    """Resources for Definitions: the warehouse and dbt, pointed at the same file."""
    from orchestration.dbt_assets import dbt_resource

    return {"warehouse": warehouse_resource(settings), "dbt": dbt_resource(settings)}
