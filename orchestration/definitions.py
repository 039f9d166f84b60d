"""The Dagster code location: one Definitions object for the whole pipeline."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, build_schedule_from_partitioned_job, define_asset_job

from orchestration.assets import articles, event_mentions, raw_pages
from orchestration.dbt_assets import bi_copy, dbt_warehouse_assets
from orchestration.resources import build_resources
from orchestration.watch_assets import watch_alerts, watch_resources

daily_job = define_asset_job(
    "daily_job",
    selection=AssetSelection.all(),
    description="Crawl, parse, extract and model one day of news.",
)

# At 01:00 UTC, run the day that just ended.
daily_schedule = build_schedule_from_partitioned_job(
    daily_job, hour_of_day=1, minute_of_hour=0,
    description="Every day at 01:00 UTC: crawl, parse and extract the day that just ended, rebuild the "
                "marts and publish the BI copy. Switch it on here; backfills run one day per run.",
)


def build_defs() -> Definitions:
    """Definitions with resources read from the environment now (tests call this after setting it)."""
    return Definitions(
        assets=[raw_pages, articles, event_mentions, dbt_warehouse_assets, bi_copy, watch_alerts],
        jobs=[daily_job],
        schedules=[daily_schedule],
        resources={**build_resources(), **watch_resources()},
    )


defs = build_defs()
