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
import os
import subprocess
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

from orchestration.partitions import daily_partitions, one_day_per_run
from orchestration.resources import WRITER_POOL
from transforms.publish import MART_TABLES, MARTS_SCHEMA, publish

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
GROUP_NAME = "warehouse"
# dbt asset keys are <schema>/<model>, e.g. marts/fct_incidents; the BI copy publishes these.
MART_ASSET_KEYS = tuple(AssetKey([MARTS_SCHEMA, name]) for name in MART_TABLES)


def manifest_is_stale(project_dir: Path, manifest_path: Path) -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    if not manifest_path.exists():
        return True
    built = manifest_path.stat().st_mtime
    sources = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests", "analyses"):
        sources.extend(path for path in (project_dir / folder).rglob("*") if path.is_file())
    return any(path.stat().st_mtime > built for path in sources if path.exists())


def dbt_executable() -> str:
    """The dbt next to this interpreter: the venv's bin is not always on PATH (make, tests, schedulers)."""
    venv_dbt = Path(sys.executable).with_name("dbt")
    return str(venv_dbt) if venv_dbt.exists() else "dbt"


def prepare_manifest(project_dir: Path = DBT_PROJECT_DIR) -> None:
    """`dbt parse`: writes target/manifest.json from this repository alone (nothing is downloaded)."""
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)],
        check=True, cwd=project_dir, env=env,
    )


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# The set-up step prepares the manifest (`newsevents prepare-dbt`, i.e. `dbt parse`). Under
# `dagster dev`, or when the manifest is missing or older than the project's files, it is re-parsed
# here rather than loading assets that disagree with the SQL dbt will run.
if os.environ.get("DAGSTER_IS_DEV_CLI") or manifest_is_stale(DBT_PROJECT_DIR, dbt_project.manifest_path):
    log.info("preparing the dbt manifest at %s", dbt_project.manifest_path)
    prepare_manifest()


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
    backfill_policy=one_day_per_run,
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
    backfill_policy=one_day_per_run,
    group_name=GROUP_NAME,
    pool=WRITER_POOL,  # reads the warehouse: not while a writer holds it
    kinds={"duckdb", "parquet"},
    description="Read-only BI copy of the marts (DuckDB file in v1.0.0 storage + Parquet), swapped in atomically.",
)
def bi_copy(context: AssetExecutionContext) -> MaterializeResult:
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


# dbt runs through orchestration/dbt_child.py so it dies with this process (no orphan holding the
# DuckDB lock after a kill -9 of the pipeline alone).
os.environ.setdefault("NEWSEVENTS_DBT", dbt_executable())
dbt_resource = DbtCliResource(
    project_dir=dbt_project,
    profiles_dir=str(DBT_PROJECT_DIR),
    dbt_executable=str(Path(__file__).with_name("dbt_child.py")),
)
