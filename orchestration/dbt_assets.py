"""dbt models as Dagster assets (dagster-dbt), downstream of the Python assets, plus the BI copy.

- `dbt_project`: the DbtProject (dbt_project/, profiles inside it, manifest in dbt_project/target).
- `dbt_warehouse_assets`: every dbt seed/model, daily-partitioned like the Python assets so they
  sit in the same daily job; each run is a `dbt build` of the selection (tests surface as asset
  checks). dbt sources map to the Python assets that write them (raw_pages, articles,
  event_mentions).
- `bi_copy`: after the marts are built, publishes the read-only BI copy (transforms.publish).
- `dbt_resource`: the DbtCliResource, to be bound under the resource key "dbt".

The dbt subprocess reads the warehouse path from $NEWSEVENTS_DB, which
orchestration.resources.build_resources exports (absolute) before any run.
"""


import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.partitions import daily_partitions

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
# DuckDB allows one writer per file: dbt writes it, so it shares the writers' pool
# (same name as orchestration.assets.WRITER_POOL; limit 1 in dagster.yaml).
WRITER_POOL = "duckdb_writer"
GROUP_NAME = "warehouse"
# dbt asset keys are <schema>/<model>, e.g. marts/fct_incidents.
MART_ASSET_KEYS = tuple(
    AssetKey(["marts", name])
    for name in (
        "fct_incidents",
        "fct_incident_reports",
        "bridge_incident_actors",
        "dim_actors",
        "dim_locations",
        "dim_sources",
        "dim_dates",
    )
)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed at load; elsewhere the set-up step prepares it
# (`newsevents prepare-dbt`, i.e. `dbt parse`). A missing manifest is parsed locally once rather
# than failing the code location: parsing reads only this repository, nothing is downloaded.
dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    log.warning("dbt manifest missing at %s: parsing the project now (run `newsevents prepare-dbt` in set-up)",
                dbt_project.manifest_path)
    dbt_project.preparer.prepare(dbt_project)


class NewsEventsDbtTranslator(DagsterDbtTranslator):
    """dbt sources -> the Python assets that write them (source meta `dagster_asset_key`);
    dbt models and seeds keep their names as keys, in the `warehouse` group."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            upstream = dbt_resource_props.get("meta", {}).get("dagster_asset_key")
            if upstream:
                return AssetKey(upstream)
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return GROUP_NAME


dbt_translator = NewsEventsDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # several staging tables are written by one Python asset (e.g. articles + parse_rejects)
        enable_duplicate_source_asset_keys=True,
    )
)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    partitions_def=daily_partitions,
    pool=WRITER_POOL,
    name="dbt_warehouse_assets",
)
def dbt_warehouse_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` of the selected models: the marts are rebuilt from all staging rows, so any
    day's run (or a re-run) yields the same warehouse; incident ids do not move."""
    yield from dbt.cli(["build"], context=context).stream()


@asset(
    key="bi_copy",
    deps=list(MART_ASSET_KEYS),
    partitions_def=daily_partitions,
    group_name=GROUP_NAME,
    pool=WRITER_POOL,  # reads the warehouse: not while a writer holds it
    kinds={"duckdb", "parquet"},
    description="Read-only BI copy of the marts (DuckDB file in v1.0.0 storage + Parquet), swapped in atomically.",
)
def bi_copy(context: AssetExecutionContext) -> MaterializeResult:
    from transforms.publish import publish

    result = publish()
    context.log.info("published snapshot %s to %s", result.snapshot_id, result.duckdb_path)
    return MaterializeResult(
        metadata={
            "snapshot_id": result.snapshot_id,
            "duckdb_path": str(result.duckdb_path),
            "parquet_dir": str(result.parquet_dir),
            "seconds": result.seconds,
            **{f"rows_{table}": count for table, count in result.row_counts},
        }
    )


# The dbt next to this interpreter: the venv's bin is not always on PATH (tests, schedulers).
_venv_dbt = Path(sys.executable).with_name("dbt")
dbt_resource = DbtCliResource(
    project_dir=dbt_project,
    profiles_dir=str(DBT_PROJECT_DIR),
    dbt_executable=str(_venv_dbt) if _venv_dbt.exists() else "dbt",
)
