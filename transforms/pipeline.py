"""Stage runners: one day's crawl, parse and extract against a DuckDB connection.

These are what the Dagster assets, the CLI and the benchmarks call, so all three run the same code.
Each returns StageStats for the orchestrator to show.
"""

from __future__ import annotations

import logging
import time
from datetime import date

import duckdb

from transforms import warehouse
from transforms.config import SourcesConfig
from transforms.crawl import Crawl
from transforms.records import Article, StageStats

log = logging.getLogger(__name__)

CRAWL_BATCH = 50
PARSE_BATCH = 100


def run_crawl(conn: duckdb.DuckDBPyConnection, config: SourcesConfig, partition_date: date,
              run_id: str) -> StageStats:
    started = time.monotonic()
    warehouse.write_sources(conn, config.sources)
    state = warehouse.load_crawl_state(conn)
    crawl = Crawl(config, partition_date, state, run_id=run_id)
    batch: list = []
    new_pages = 0
    for record in crawl.run():
        batch.append(record)
        if len(batch) >= CRAWL_BATCH:
            new_pages += warehouse.write_crawl_output(conn, batch, partition_date, run_id)
            batch = []
    if batch:
        new_pages += warehouse.write_crawl_output(conn, batch, partition_date, run_id)
    stats = crawl.stats
    stats.add("pages_archived", new_pages)
    stats.counts["seconds"] = round(time.monotonic() - started)
    log.info("crawl %s: %s", partition_date, stats.counts)
    return stats


def run_parse(conn: duckdb.DuckDBPyConnection, partition_date: date) -> StageStats:
    from transforms.parse import PARSER_VERSION, parse_page

    started = time.monotonic()
    stats = StageStats()
    parsed: list = []
    rejected: list = []

    def flush() -> None:
        warehouse.write_articles(conn, parsed, rejected, PARSER_VERSION)
        parsed.clear()
        rejected.clear()

    # Ids first, bodies a chunk at a time: memory stays flat however large the day, and no result
    # set is open while the chunk's output is written (DuckDB cannot write under an open result).
    page_ids = warehouse.pages_to_parse(conn, partition_date, PARSER_VERSION)
    for start in range(0, len(page_ids), PARSE_BATCH):
        for page in warehouse.load_pages(conn, page_ids[start:start + PARSE_BATCH]):
            result = parse_page(page.body, page.final_url, content_type=page.content_type)
            if isinstance(result, Article):
                parsed.append((page, result))
                stats.add("articles")
            else:
                rejected.append((page, result.reason, result.detail))
                stats.add(f"rejected_{result.reason}")
                log.info("not an article: %s (%s: %s)", page.final_url, result.reason, result.detail)
        flush()
    stats.counts["seconds"] = round(time.monotonic() - started)
    log.info("parse %s: %s", partition_date, stats.counts)
    return stats


def run_extract(conn: duckdb.DuckDBPyConnection, partition_date: date) -> StageStats:
    from transforms.extract import EXTRACTOR_VERSION, extract_events

    started = time.monotonic()
    stats = StageStats()
    for article in warehouse.articles_to_extract(conn, partition_date, EXTRACTOR_VERSION):
        published = (article.published_at or article.fetched_at).date()
        if article.language not in (None, "en"):
            events = []  # the extractor reads English; others are logged as done with no events
            stats.add("skipped_language")
        else:
            try:
                events = extract_events(article.text, published, title=article.title,
                                        source_country=article.source_country)
            except Exception:  # one bad article is logged and retried next run, never fatal
                log.exception("extraction failed for article %s (%s)", article.article_id, article.url)
                stats.add("errors")
                continue
        warehouse.write_events(conn, article, events, EXTRACTOR_VERSION)
        stats.add("articles")
        stats.add("event_mentions", len(events))
    stats.counts["seconds"] = round(time.monotonic() - started)
    log.info("extract %s: %s", partition_date, stats.counts)
    return stats
