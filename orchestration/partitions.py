"""The one partitioning scheme: a day of crawling (UTC), one day per run.

The first day is the settings' start date ($NEWSEVENTS_START_DATE, YYYY-MM-DD), by default a year
before today, so a backfill of last year works without editing code; the last is yesterday, the
last complete day.
"""

from datetime import UTC, date, datetime, timedelta

from dagster import BackfillPolicy, DailyPartitionsDefinition

from transforms.settings import START_DATE_ENV, Settings


class PartitionDayError(ValueError):
    """A day outside the daily partitions, or an unreadable start date."""


def start_date(settings: Settings | None = None) -> date:
    value = (settings or Settings.from_env()).start_date
    if not value:
        return datetime.now(UTC).date() - timedelta(days=365)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PartitionDayError(f"{START_DATE_ENV} must be YYYY-MM-DD, got {value!r}") from None


def check_day(day: date, settings: Settings | None = None) -> None:
    """Raise PartitionDayError, in one line saying what to do, when `day` is not a partition."""
    first, last = start_date(settings), datetime.now(UTC).date() - timedelta(days=1)
    if day < first:
        raise PartitionDayError(
            f"{day} is before the first daily partition {first}: set {START_DATE_ENV}={day} (or earlier) to run it"
        )
    if day > last:
        raise PartitionDayError(f"{day} is not a complete day yet (UTC): the last daily partition is {last}")


def daily_partitions(settings: Settings) -> DailyPartitionsDefinition:
    return DailyPartitionsDefinition(start_date=start_date(settings).isoformat(), timezone="UTC")


# A backfill runs each day on its own: the crawl window and the checks are per day.
one_day_per_run = BackfillPolicy.multi_run(max_partitions_per_run=1)
