"""dbt models as Dagster assets: graph wiring, and a real partitioned materialisation with the BI copy."""

from __future__ import annotations

import duckdb
from dagster import AssetKey, DagsterInstance, materialize

from orchestration.dbt_assets import MART_ASSET_KEYS, bi_copy, dbt_project, dbt_resource, dbt_warehouse_assets
from orchestration.partitions import daily_partitions
from tests.test_dbt_warehouse import insert_articles, staging_day_1, write_data_dir


def test_dbt_sources_map_to_python_assets_and_marts_are_daily_partitioned():
    keys = set(dbt_warehouse_assets.keys)
    assert set(MART_ASSET_KEYS) <= keys
    upstream = {dep.asset_key for spec in dbt_warehouse_assets.specs for dep in spec.deps} - keys
    assert upstream == {AssetKey("raw_pages"), AssetKey("articles"), AssetKey("event_mentions")}
    assert dbt_warehouse_assets.partitions_def == daily_partitions
    assert bi_copy.partitions_def == daily_partitions
    assert dbt_project.manifest_path.exists()
    # dbt tests surface as asset checks on the marts
    checked = {check.asset_key for check in dbt_warehouse_assets.check_specs}
    assert AssetKey(["marts", "fct_incidents"]) in checked


def test_materialising_dbt_assets_builds_marts_runs_checks_and_publishes(tmp_path, monkeypatch):
    db_path = tmp_path / "warehouse.duckdb"
    insert_articles(db_path, staging_day_1())
    monkeypatch.setenv("NEWSEVENTS_DB", str(db_path))
    monkeypatch.setenv("NEWSEVENTS_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    monkeypatch.setenv("NEWSEVENTS_PUBLISH_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [dbt_warehouse_assets, bi_copy],
            partition_key="2026-11-15",
            resources={"dbt": dbt_resource},
            instance=instance,
        )
    assert result.success
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert set(MART_ASSET_KEYS) | {AssetKey("bi_copy")} <= materialized
    checks = result.get_asset_check_evaluations()
    assert checks and all(check.passed for check in checks)

    published = duckdb.connect(str(tmp_path / "published" / "newsevents_bi.duckdb"), read_only=True)
    try:
        assert published.execute("select count(*) from fct_incidents").fetchone()[0] == 6
    finally:
        published.close()
