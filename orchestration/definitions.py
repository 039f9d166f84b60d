"""The Dagster code location: one Definitions object for the whole pipeline, built from Settings."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, build_schedule_from_partitioned_job, define_asset_job

from orchestration.assets import build_daily_assets
from orchestration.dbt_assets import bi_copy, dbt_warehouse_assets
from orchestration.partitions import daily_partitions
from orchestration.resources import build_resources
from orchestration.watch_assets import build_watch_alerts, watch_resources
from transforms.settings import Settings


def build_defs(settings: Settings | None = None) -> Definitions:
    """Definitions for these settings (default: the environment's, read now)."""
    settings = settings or Settings.from_env()
    partitions = daily_partitions(settings)
    daily_job = define_asset_job(
        "daily_job",
        selection=AssetSelection.all(),
        description="Crawl, parse, extract and model one day of news.",
    )
    # At 01:00 UTC, run the day that just ended.
    daily_schedule = build_schedule_from_partitioned_job(
        daily_job,
        hour_of_day=1,
        minute_of_hour=0,
        description="Every day at 01:00 UTC: crawl, parse and extract the day that just ended, rebuild the "
        "marts and publish the BI copy. Switch it on here; backfills run one day per run.",
    )
    return Definitions(
        assets=[*build_daily_assets(partitions), dbt_warehouse_assets, bi_copy, build_watch_alerts(partitions)],
        jobs=[daily_job],
        schedules=[daily_schedule],
        resources={**build_resources(settings), **watch_resources(settings)},
    )


defs = build_defs()
