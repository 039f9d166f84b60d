"""dbt models as Dagster assets: graph wiring. (Real materialisations run in the daily-job tests:
tests/test_dbt_daily_job.py and tests/test_daily_job.py.)"""

from __future__ import annotations

from dagster import AssetKey

from orchestration.dbt_assets import MART_ASSET_KEYS, bi_copy, dbt_project, dbt_warehouse_assets
from orchestration.partitions import daily_partitions


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
    assert set(bi_copy.dependency_keys) == set(MART_ASSET_KEYS)
