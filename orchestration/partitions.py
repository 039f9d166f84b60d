"""The one partitioning scheme: a day of crawling (UTC)."""

from dagster import DailyPartitionsDefinition

daily_partitions = DailyPartitionsDefinition(start_date="2026-11-01", timezone="UTC")
