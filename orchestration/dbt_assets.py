"""dbt models as Dagster assets (dagster-dbt), downstream of the Python assets, plus the BI copy.

- `dbt_project`: the DbtProject (dbt_project/, profiles inside it, manifest in dbt_project/target,
  prepared by the set-up step `newsevents prepare-dbt`, or by dagster-dbt under `dagster dev`).
- `dbt_warehouse_assets`: every dbt seed/model, grouped by layer (staging, intermediate, marts);
  each run is a `dbt build` (tests surface as asset checks, with a description each) and every
  model reports its row count. They are not partitioned: each build brings them up to date with
  all staging rows (the merging models incrementally, exactly as a full build would), so one
  materialisation is the state of every day (a partitioned mart would show the days it was not
  built on as "missing"). They still run in the daily job, after the
  day's partitioned Python assets. dbt sources map to the Python assets that write them.
- `bi_copy`: after the marts are built, publishes the read-only BI copy (transforms.publish).
- `dbt_resource(settings)`: the DbtCliResource for the settings' warehouse, bound as "dbt".

dbt start-up is paid once per build: dbt's version comes from the installed package (no `dbt
--version` process), and each warehouse keeps its own dbt target folder, seeded from the
set-up step's, so dbt's partial parsing stays valid from one run to the next.
"""

import hashlib
import importlib.metadata
import logging
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, Output, asset
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from orchestration import dbt_child
from orchestration.dbt_cli import TARGET_DIR, dbt_executable
from orchestration.resources import WRITER_POOL, WarehouseResource
from transforms.publish import MART_TABLES, MARTS_SCHEMA, publish
from transforms.settings import DBT_PROJECT_DIR, Settings

log = logging.getLogger(__name__)

GROUP_NAME = "marts"  # the BI copy sits with the marts it publishes
DBT_LAYERS = ("staging", "intermediate", "marts")
# dbt asset keys are <schema>/<model>, e.g. marts/fct_incidents; the BI copy publishes these.
MART_ASSET_KEYS = tuple(AssetKey([MARTS_SCHEMA, name]) for name in MART_TABLES)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` dagster-dbt re-parses the project on load; elsewhere the set-up step did.
dbt_project.prepare_if_dev()


class NewsEventsDbtTranslator(DagsterDbtTranslator):
    """dbt sources -> the Python assets that write them (source meta `dagster_asset_key`);
    dbt models and seeds keep their names as keys, in a group per layer; generic tests get a description."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            upstream = dbt_resource_props.get("meta", {}).get("dagster_asset_key")
            if upstream:
                return AssetKey(upstream)
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # the model's folder is its layer; seeds read data files like the staging models do
        folders = dbt_resource_props.get("fqn", [])[1:-1]
        return next((folder for folder in folders if folder in DBT_LAYERS), "staging")

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_dbt_test(manifest["nodes"].get(unique_id, {})))


def describe_dbt_test(test_node: Mapping[str, Any]) -> str:
    """A sentence for a generic dbt test, which has no description of its own in the YAML."""
    if test_node.get("description"):
        return test_node["description"]
    metadata = test_node.get("test_metadata") or {}
    name, kwargs = metadata.get("name"), metadata.get("kwargs") or {}
    column = kwargs.get("column_name") or test_node.get("column_name")
    arguments = kwargs.get("arguments") or kwargs
    if name == "not_null":
        return f"{column} is never null."
    if name == "unique":
        return f"{column} is unique."
    if name == "accepted_values":
        return f"{column} is one of: {', '.join(map(str, arguments.get('values', [])))}."
    if name == "relationships":
        target = str(arguments.get("to", "")).replace("ref('", "").replace("')", "")
        return f"every {column} is a {arguments.get('field')} of {target}."
    if name == "expression_is_true":
        return f"every row satisfies: {arguments.get('expression')}."
    if name:
        shown = ", ".join(f"{k}={v}" for k, v in arguments.items() if k != "model")
        return f"dbt test {name}" + (f" ({shown})." if shown else ".")
    where = f"dbt_project/{test_node.get('original_file_path', 'tests')}"
    return f"dbt singular test {test_node.get('name', '')} ({where}): no rows may fail it."


def with_row_counts(events, manifest: Mapping[str, Any], db: Path):
    """dbt's events, with `dagster/row_count` on each model's materialisation.

    The counts are read once dbt has exited: DuckDB lets no other process open the file while
    dbt writes it. Check results pass straight through (the progress bar moves); model outputs
    wait for the counts."""
    import duckdb

    outputs = []
    for event in events:
        if isinstance(event, Output):
            outputs.append(event)
        else:
            yield event
    counts: dict[str, int] = {}
    if outputs:
        try:
            with duckdb.connect(str(db), read_only=True) as conn:
                for event in outputs:
                    node = manifest["nodes"].get(str(event.metadata["unique_id"].value), {})
                    if node.get("resource_type") in ("model", "seed") and node.get("schema"):
                        relation = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
                        counts[node["unique_id"]] = conn.execute(f"select count(*) from {relation}").fetchone()[0]
        except duckdb.Error as error:  # the counts are a convenience: never fail the build for them
            log.warning("row counts of the dbt models not read: %s", error)
    for event in outputs:
        count = counts.get(str(event.metadata["unique_id"].value))
        yield event if count is None else event.with_metadata({**event.metadata, "dagster/row_count": count})


dbt_translator = NewsEventsDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # several staging tables are written by one Python asset (e.g. articles + parse_rejects)
        enable_duplicate_source_asset_keys=True,
    )
)


def run_target_path(db: Path) -> Path:
    """dbt's target folder for one warehouse: its partial-parse state is for that file's profile."""
    return TARGET_DIR / "runs" / f"{db.stem}-{hashlib.sha256(str(db).encode()).hexdigest()[:8]}"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    pool=WRITER_POOL,
    name="dbt_warehouse_assets",
)
def dbt_warehouse_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of the selected models: they follow all staging rows (merging incrementally,
    equal to a full build), so any day's run (or a re-run) yields the same warehouse."""
    db = Path(warehouse.db_path)
    invocation = dbt.cli(["build"], context=context, target_path=run_target_path(db))
    yield from with_row_counts(invocation.stream(), invocation.manifest, db)


@asset(
    key="bi_copy",
    deps=list(MART_ASSET_KEYS),
    group_name=GROUP_NAME,
    pool=WRITER_POOL,  # reads the warehouse: not while a writer holds it
    kinds={"duckdb", "parquet"},
    description="Read-only BI copy of the marts (DuckDB file in v1.0.0 storage + Parquet), swapped in atomically.",
)
def bi_copy(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    result = publish(warehouse.db_path, warehouse.publish_dir or None)
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


class NewsEventsDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, minus its `dbt --version` process per run: dbt is the installed dbt-core."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_resource(settings: Settings) -> DbtCliResource:
    """dbt for the settings' warehouse. It runs through orchestration/dbt_child.py, which hands dbt
    the settings it reads and makes it die with this process (no orphan holding the DuckDB lock
    after a kill -9 of the pipeline alone)."""
    return NewsEventsDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=dbt_child.__file__,
        global_config_flags=dbt_child.wrapper_args(dbt_executable(), settings.dbt_vars()),
    )
