"""Stage runners: one day's crawl, parse and extract against a DuckDB connection.

These are what the Dagster assets, the CLI and the benchmarks call, so all three run the same code.
Each returns StageStats for the orchestrator to show.

Parse and extract spread batches of ids over worker processes (`map_batches`): this process reads
each batch from DuckDB, a worker computes, and this process, the one writer, writes the batch's
output in one transaction, in batch order, so any number of workers gives the same rows.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import TypeVar

import duckdb

from transforms import warehouse
from transforms.config import SourcesConfig
from transforms.crawl import Crawl
from transforms.records import Article, Extraction, ParseRejection, StageStats, StoredArticle, StoredPage
from transforms.settings import WORKERS_ENV, Settings

log = logging.getLogger(__name__)

CRAWL_BATCH = 50
PARSE_BATCH = 100  # most pages per batch: a worker's unit of work and one write transaction
EXTRACT_BATCH = 100  # most articles per batch, likewise

T = TypeVar("T")
R = TypeVar("R")


def run_crawl(conn: duckdb.DuckDBPyConnection, config: SourcesConfig, partition_date: date, run_id: str) -> StageStats:
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


def default_workers() -> int:
    """Processes for parse and extract: $NEWSEVENTS_WORKERS, else the CPUs this process may use."""
    value = Settings.from_env().workers
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"{WORKERS_ENV} must be a whole number of processes, got {value!r}") from None
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_batches(
    batches: Sequence[Sequence[str]],
    load: Callable[[Sequence[str]], list[T]],
    work: Callable[[list[T]], list[R]],
    write: Callable[[list[T], list[R]], None],
    workers: int,
) -> None:
    """For each batch of ids: `load` here (the one DuckDB connection), `work` on a worker process,
    `write` here again, in batch order, so the output is the same whatever the number of workers.

    `work` must be a module-level function (it is pickled). With one worker everything runs in this
    process. Workers are forked after the caller has loaded what they share (the gazetteer), and
    at most two batches per worker are in flight, so memory stays flat however large the day.
    """
    workers = min(workers, len(batches))
    if workers <= 1:
        for ids in batches:
            items = load(ids)
            write(items, work(items))
        return
    gc.collect()
    gc.freeze()  # shared objects stay out of the children's collections: fewer copied pages
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            in_flight: deque = deque()
            pending = iter(batches)
            while True:
                while len(in_flight) < 2 * workers and (ids := next(pending, None)) is not None:
                    items = load(ids)
                    in_flight.append((items, pool.submit(work, items)))
                if not in_flight:
                    break
                items, future = in_flight.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool as exc:
                    raise RuntimeError(
                        "a worker process died (killed or crashed); the batches written so far "
                        "are kept and the next run does the rest"
                    ) from exc
                write(items, results)
    finally:
        gc.unfreeze()


def _pool_context():
    # fork shares the parent's loaded gazetteer and lexicons (copy-on-write); elsewhere each worker
    # loads its own on first use
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def batches(ids: Sequence[str], size: int, workers: int) -> list[Sequence[str]]:
    """Batches of at most `size` ids, smaller on a small day so that every worker gets several."""
    size = max(1, min(size, -(-len(ids) // (4 * workers))))
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def parse_batch(pages: list[StoredPage]) -> list[Article | ParseRejection]:
    """The parse of each page (a worker's job: pure, no database)."""
    from transforms.parse import parse_page

    return [parse_page(page.body, page.final_url, content_type=page.content_type) for page in pages]


def run_parse(conn: duckdb.DuckDBPyConnection, partition_date: date, workers: int | None = None) -> StageStats:
    from transforms.parse import PARSER_VERSION

    started = time.monotonic()
    stats = StageStats()

    def write(pages: list[StoredPage], results: list[Article | ParseRejection]) -> None:
        parsed, rejected = [], []
        for page, result in zip(pages, results, strict=True):
            if isinstance(result, Article):
                parsed.append((page, result))
                stats.add("articles")
            else:
                rejected.append((page, result.reason, result.detail))
                stats.add(f"rejected_{result.reason}")
                log.info("not an article: %s (%s: %s)", page.final_url, result.reason, result.detail)
        warehouse.write_articles(conn, parsed, rejected, PARSER_VERSION)

    # Ids first, bodies a batch at a time: memory stays flat however large the day, and no result
    # set is open while a batch's output is written (DuckDB cannot write under an open result).
    workers = workers or default_workers()
    page_ids = warehouse.pages_to_parse(conn, partition_date, PARSER_VERSION)
    map_batches(
        batches(page_ids, PARSE_BATCH, workers),
        lambda ids: warehouse.load_pages(conn, ids),
        parse_batch,
        write,
        workers,
    )
    stats.counts["seconds"] = round(time.monotonic() - started)
    log.info("parse %s: %s", partition_date, stats.counts)
    return stats


def extract_batch(articles: list[StoredArticle]) -> list[Extraction]:
    """The extraction of each article (a worker's job: pure, no database)."""
    from transforms.extract import extract_events, supported_language

    results = []
    for article in articles:
        if not supported_language(article.language):
            results.append(Extraction())  # English, French and Spanish are read; others are done with no events
            continue
        published = (article.published_at or article.fetched_at).date()
        try:
            events = extract_events(
                article.text,
                published,
                title=article.title,
                source_country=article.source_country,
                language=article.language,
            )
        except Exception:  # one bad article is logged and retried next run, never fatal
            results.append(Extraction(error=traceback.format_exc(limit=8)))
            continue
        results.append(Extraction(events=tuple(events)))
    return results


def warm_extractor() -> None:
    """Load the gazetteer and compile the lexicons once, before workers fork and share them."""
    from transforms.extract import extract_events, lang
    from transforms.extract.gazetteer import load_gazetteer

    load_gazetteer()
    extract_events("Gunmen killed two people in an attack on a market in Kano on Monday.", date(2026, 1, 6))
    for language in lang.glossed_languages():
        lang.lexicon(language)


def run_extract(conn: duckdb.DuckDBPyConnection, partition_date: date, workers: int | None = None) -> StageStats:
    from transforms.extract import EXTRACTOR_VERSION, supported_language

    started = time.monotonic()
    stats = StageStats()

    def write(articles: list[StoredArticle], results: list[Extraction]) -> None:
        done = []
        for article, result in zip(articles, results, strict=True):
            if result.error is not None:
                log.error("extraction failed for article %s (%s):\n%s", article.article_id, article.url, result.error)
                stats.add("errors")
                continue
            if not supported_language(article.language):
                stats.add("skipped_language")
            done.append((article, result.events))
            stats.add("articles")
            stats.add("event_mentions", len(result.events))
        warehouse.write_events(conn, done, EXTRACTOR_VERSION)

    workers = workers or default_workers()
    article_ids = warehouse.articles_to_extract(conn, partition_date, EXTRACTOR_VERSION)
    if article_ids:
        warm_extractor()
    map_batches(
        batches(article_ids, EXTRACT_BATCH, workers),
        lambda ids: warehouse.load_articles(conn, ids),
        extract_batch,
        write,
        workers,
    )
    stats.counts["seconds"] = round(time.monotonic() - started)
    log.info("extract %s: %s", partition_date, stats.counts)
    return stats
