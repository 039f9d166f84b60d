"""Python assets of the daily job. Thin: each calls a stage runner in transforms.pipeline.

Built for the run's daily partitions (their first day is a setting), by `build_daily_assets`.
"""

from datetime import date

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    PartitionsDefinition,
    asset,
)

from orchestration.partitions import one_day_per_run
from orchestration.resources import WRITER_POOL, WarehouseResource
from transforms import pipeline

MAX_FAILED_SHARE = 0.5


def _partition_date(context: AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)


def build_daily_assets(partitions: PartitionsDefinition) -> list[AssetsDefinition]:
    """raw_pages -> articles -> event_mentions, partitioned by `partitions`."""

    @asset(
        partitions_def=partitions,
        backfill_policy=one_day_per_run,
        group_name="ingest",
        pool=WRITER_POOL,
        kinds={"python", "duckdb"},
        description="Crawl every enabled source for the day: crawl_log (every attempt) and pages (archived HTML).",
        check_specs=[
            AssetCheckSpec(
                "day_has_pages",
                asset="raw_pages",
                blocking=True,
                description="The day holds at least one archived article page.",
            ),
            AssetCheckSpec(
                "most_fetches_succeed",
                asset="raw_pages",
                blocking=True,
                description=f"At most {MAX_FAILED_SHARE:.0%} of the day's article URLs failed to fetch.",
            ),
        ],
    )
    def raw_pages(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        day = _partition_date(context)
        config = warehouse.load_sources()
        with warehouse.connect() as conn:
            stats = pipeline.run_crawl(conn, config, day, run_id=context.run.run_id)
            day_pages = conn.execute(
                "select count(*) from pages where partition_date = ? and page_kind = 'article'", [day]
            ).fetchone()[0]
            # Judged over the whole day (all runs), so a re-run that only retries the few failures
            # does not look like a broken crawl: the latest attempt of each article URL of the day.
            attempted, failed = conn.execute(
                """
                select count(*), count(*) filter (where outcome in
                       ('http_error', 'timeout', 'network_error', 'too_large', 'blocked_address'))
                from (
                    select outcome,
                           row_number() over (partition by url order by attempted_at desc, attempt desc) as nth
                    from crawl_log
                    where partition_date = ? and page_kind = 'article' and outcome <> 'robots_disallowed'
                )
                where nth = 1
                """,
                [day],
            ).fetchone()
        failed_share = failed / attempted if attempted else 0.0
        return MaterializeResult(
            metadata={**stats.counts, "day_article_pages": day_pages, "failed_share": round(failed_share, 3)},
            check_results=[
                AssetCheckResult(
                    check_name="day_has_pages",
                    passed=day_pages > 0,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"day_article_pages": day_pages},
                ),
                AssetCheckResult(
                    check_name="most_fetches_succeed",
                    passed=failed_share <= MAX_FAILED_SHARE,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"attempted": attempted, "failed": failed},
                ),
            ],
        )

    @asset(
        deps=[raw_pages],
        partitions_def=partitions,
        backfill_policy=one_day_per_run,
        group_name="ingest",
        pool=WRITER_POOL,
        kinds={"python", "duckdb"},
        description="Parse the day's archived pages into articles (newspaper3k metadata, best-measured body); "
        "pages that are not articles go to parse_rejects with a reason.",
        check_specs=[
            AssetCheckSpec(
                "day_has_articles",
                asset="articles",
                blocking=True,
                description="The day's pages produced at least one article.",
            )
        ],
    )
    def articles(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        day = _partition_date(context)
        with warehouse.connect() as conn:
            stats = pipeline.run_parse(conn, day)
            day_articles = conn.execute("select count(*) from articles where partition_date = ?", [day]).fetchone()[0]
        return MaterializeResult(
            metadata={**stats.counts, "day_articles": day_articles},
            check_results=[
                AssetCheckResult(
                    check_name="day_has_articles",
                    passed=day_articles > 0,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"day_articles": day_articles},
                )
            ],
        )

    @asset(
        deps=[articles],
        partitions_def=partitions,
        backfill_policy=one_day_per_run,
        group_name="extract",
        pool=WRITER_POOL,
        kinds={"python", "duckdb"},
        description="Extract incidents from the day's articles into event_mentions and actor_mentions, "
        "once per extractor version (a new version re-extracts from stored articles).",
    )
    def event_mentions(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        day = _partition_date(context)
        with warehouse.connect() as conn:
            stats = pipeline.run_extract(conn, day)
            day_events = conn.execute("select count(*) from event_mentions where partition_date = ?", [day]).fetchone()[
                0
            ]
        return MaterializeResult(metadata={**stats.counts, "day_event_mentions": day_events})

    return [raw_pages, articles, event_mentions]
