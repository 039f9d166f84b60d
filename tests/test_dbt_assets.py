"""dbt models as Dagster assets: graph wiring. (Real materialisations run in the daily-job tests:
tests/test_dbt_daily_job.py and tests/test_daily_job.py.)"""

from __future__ import annotations

from dagster import AssetKey

from orchestration.dbt_assets import MART_ASSET_KEYS, bi_copy, dbt_project, dbt_warehouse_assets


def test_dbt_sources_map_to_python_assets_marts_are_whole_and_grouped_by_layer():
    keys = set(dbt_warehouse_assets.keys)
    assert set(MART_ASSET_KEYS) <= keys
    upstream = {dep.asset_key for spec in dbt_warehouse_assets.specs for dep in spec.deps} - keys
    assert upstream == {AssetKey("raw_pages"), AssetKey("articles"), AssetKey("event_mentions")}
    # rebuilt whole by every run: no partitions to show as missing
    assert dbt_warehouse_assets.partitions_def is None and bi_copy.partitions_def is None
    groups = dbt_warehouse_assets.group_names_by_key
    assert groups[AssetKey(["marts", "fct_incidents"])] == "marts"
    assert groups[AssetKey(["intermediate", "int_event_mentions_clustered"])] == "intermediate"
    assert groups[AssetKey(["staging", "stg_articles"])] == "staging"
    assert dbt_project.manifest_path.exists()
    # dbt tests surface as asset checks on the marts
    checked = {check.asset_key for check in dbt_warehouse_assets.check_specs}
    assert AssetKey(["marts", "fct_incidents"]) in checked
    assert all(check.description for check in dbt_warehouse_assets.check_specs)
    assert set(bi_copy.dependency_keys) == set(MART_ASSET_KEYS)
