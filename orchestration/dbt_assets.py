"""dbt models as Dagster assets (dagster-dbt), downstream of the Python assets, plus the BI copy.

- `dbt_project`: the DbtProject (dbt_project/, profiles inside it, manifest in dbt_project/target).
- `dbt_warehouse_assets`: every dbt seed/model, grouped by layer (staging, intermediate, marts);
  each run is a `dbt build` (tests surface as asset checks, with a description each) and every
  model reports its row count. They are not partitioned: each build rebuilds the marts whole from
  all staging rows, so one materialisation is the state of every day (a partitioned mart would
  show the days it was not built on as "missing"). They still run in the daily job, after the
  day's partitioned Python assets. dbt sources map to the Python assets that write them.
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

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, Output, asset
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.resources import WRITER_POOL
from transforms import warehouse
from transforms.publish import MART_TABLES, MARTS_SCHEMA, publish

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
GROUP_NAME = "marts"  # the BI copy sits with the marts it publishes
DBT_LAYERS = ("staging", "intermediate", "marts")
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

    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project) -> AssetCheckSpec | None:
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
    return f"dbt singular test {test_node.get('name', '')} (dbt_project/{test_node.get('original_file_path', 'tests')}): no rows may fail it."


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


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    pool=WRITER_POOL,
    name="dbt_warehouse_assets",
)
def dbt_warehouse_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` of the selected models: the marts are rebuilt from all staging rows, so any
    day's run (or a re-run) yields the same warehouse; incident ids do not move."""
    invocation = dbt.cli(["build"], context=context)
    yield from with_row_counts(invocation.stream(), invocation.manifest, warehouse.db_path())


@asset(
    key="bi_copy",
    deps=list(MART_ASSET_KEYS),
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
