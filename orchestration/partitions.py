"""The one partitioning scheme: a day of crawling (UTC), one day per run."""

from dagster import BackfillPolicy, DailyPartitionsDefinition

daily_partitions = DailyPartitionsDefinition(start_date="2026-11-01", timezone="UTC")

# A backfill runs each day on its own: the crawl window, checks and dbt build are per day.
one_day_per_run = BackfillPolicy.multi_run(max_partitions_per_run=1)
