"""DuckDB edge of the pipeline: connect, apply the staging DDL, read state, write stage output.

All writes are idempotent (keys + ON CONFLICT), batched in transactions, so re-running a day adds
nothing and a crash leaves only whole batches behind.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from transforms.records import (
    ArchivedDoc,
    Article,
    CrawlLogRow,
    CrawlState,
    EventMention,
    Page,
    Source,
    StoredArticle,
    StoredPage,
)
from transforms.settings import SCHEMA_SQL, Settings

# duckdb's parameter binding tries `import pandas` for every bound value; without pandas each failed
# import walks sys.path (~80 us). Recording the absence once makes it fail fast (same ImportError).
if importlib.util.find_spec("pandas") is None:
    sys.modules.setdefault("pandas", None)

INSERT_CHUNK = 500  # rows per multi-row INSERT; executemany runs one statement per row


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: explicit argument, else the settings' ($NEWSEVENTS_DB or warehouse/newsevents.duckdb)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    return Settings.from_env().db_path


def connect(path: str | os.PathLike[str] | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    target = db_path(path)
    if read_only:
        return duckdb.connect(str(target), read_only=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(target))
    conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    return conn


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    conn.execute("begin transaction")
    try:
        yield
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def insert_rows(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    suffix: str = "",
) -> None:
    """Insert rows with multi-row VALUES statements (much faster than executemany in DuckDB)."""
    placeholder = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        conn.execute(
            f"insert into {table} ({', '.join(columns)}) values {', '.join([placeholder] * len(chunk))} {suffix}",
            [value for row in chunk for value in row],
        )


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def short_hash(*parts: object, length: int = 20) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:length]


# ---------------------------------------------------------------------------- crawl


def write_sources(conn: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    """Upsert the configured sources (a source removed from the config keeps its last row)."""
    columns = (
        "source_id",
        "name",
        "homepage",
        "country_iso2",
        "language",
        "feeds",
        "sitemaps",
        "enabled",
        "updated_at",
    )
    now = utcnow()
    with transaction(conn):
        insert_rows(
            conn,
            "sources",
            columns,
            [
                (
                    s.source_id,
                    s.name,
                    s.homepage,
                    s.country_iso2,
                    s.language,
                    list(s.feeds),
                    list(s.sitemaps),
                    s.enabled,
                    now,
                )
                for s in sources
            ],
            "on conflict (source_id) do update set " + ", ".join(f"{c} = excluded.{c}" for c in columns[1:]),
        )


class _ArchivedArticles:
    """The crawl's view of archived articles: asked only about the URLs and hashes a day meets."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self._conn = conn

    def known_urls(self, urls: list[str]) -> set[str]:
        # a URL is known when any archived article has it as its url, final_url or canonical_url
        rows = self._conn.execute(
            """
            with wanted as (select unnest(?::varchar[]) as u)
            select u from wanted semi join pages p on p.page_kind = 'article' and p.url = u
            union select u from wanted semi join pages p on p.page_kind = 'article' and p.final_url = u
            union select u from wanted semi join pages p on p.page_kind = 'article' and p.canonical_url = u
            """,
            [urls],
        ).fetchall()
        return {row[0] for row in rows}

    def known_hashes(self, hashes: list[str]) -> set[str]:
        rows = self._conn.execute(
            "with wanted as (select unnest(?::varchar[]) as h)"
            " select h from wanted semi join pages p on p.page_kind = 'article' and p.content_hash = h",
            [hashes],
        ).fetchall()
        return {row[0] for row in rows}


def load_crawl_state(conn: duckdb.DuckDBPyConnection) -> CrawlState:
    """Discovery documents for conditional requests; articles are looked up on demand, so the
    state does not grow with the archive. Use `conn` only from the thread iterating the crawl."""
    state = CrawlState(archive=_ArchivedArticles(conn))
    for url, etag, last_modified, html_gz in conn.execute(
        """
        select url, etag, last_modified, html_gz
        from pages
        where page_kind <> 'article'
        qualify row_number() over (partition by url order by fetched_at desc) = 1
        """
    ).fetchall():
        state.discovery_docs[url] = ArchivedDoc(etag, last_modified, bytes(html_gz))
    return state


_CRAWL_LOG_COLUMNS = (
    "run_id",
    "partition_date",
    "source_id",
    "url",
    "final_url",
    "canonical_url",
    "page_kind",
    "attempted_at",
    "attempt",
    "http_status",
    "bytes",
    "elapsed_ms",
    "outcome",
    "error",
    "content_hash",
    "etag",
    "last_modified",
)


_PAGE_COLUMNS = (
    "page_id",
    "source_id",
    "page_kind",
    "url",
    "final_url",
    "canonical_url",
    "content_hash",
    "http_status",
    "content_type",
    "encoding",
    "etag",
    "last_modified",
    "fetched_at",
    "partition_date",
    "run_id",
    "bytes",
    "html_gz",
)


def write_crawl_output(
    conn: duckdb.DuckDBPyConnection, records: Sequence[CrawlLogRow | Page], partition_date: date, run_id: str
) -> int:
    """Write one batch of crawler output in one transaction. Returns the number of new pages."""
    log_rows = [tuple(getattr(r, c) for c in _CRAWL_LOG_COLUMNS) for r in records if isinstance(r, CrawlLogRow)]
    pages = [r for r in records if isinstance(r, Page)]
    with transaction(conn):
        insert_rows(conn, "crawl_log", _CRAWL_LOG_COLUMNS, log_rows)
        before = conn.execute("select count(*) from pages").fetchone()[0]
        insert_rows(
            conn,
            "pages",
            _PAGE_COLUMNS,
            [
                (
                    p.page_id,
                    p.source_id,
                    p.page_kind,
                    p.url,
                    p.final_url,
                    p.canonical_url,
                    p.content_hash,
                    p.http_status,
                    p.content_type,
                    p.encoding,
                    p.etag,
                    p.last_modified,
                    p.fetched_at,
                    partition_date,
                    run_id,
                    len(p.body),
                    gzip.compress(p.body, 6),
                )
                for p in pages
            ],
            "on conflict (page_id) do nothing",
        )
        after = conn.execute("select count(*) from pages").fetchone()[0]
    return after - before


# ---------------------------------------------------------------------------- parse


def pages_to_parse(conn: duckdb.DuckDBPyConnection, partition_date: date, parser_version: str) -> list[str]:
    """Ids of the day's article pages that this parser version has not handled yet (parsed or rejected)."""
    rows = conn.execute(
        """
        select p.page_id
        from pages p
        where p.page_kind = 'article'
          and p.partition_date = ?
          and not exists (select 1 from articles a where a.page_id = p.page_id and a.parser_version = ?)
          and not exists (select 1 from parse_rejects r where r.page_id = p.page_id and r.parser_version = ?)
        order by p.fetched_at, p.page_id
        """,
        [partition_date, parser_version, parser_version],
    ).fetchall()
    return [page_id for (page_id,) in rows]


def load_pages(conn: duckdb.DuckDBPyConnection, page_ids: Sequence[str]) -> list[StoredPage]:
    """Archived pages by id, bodies decompressed (load in chunks: bodies can be large)."""
    if not page_ids:
        return []
    rows = conn.execute(
        f"""
        select page_id, source_id, url, final_url, canonical_url, content_type, fetched_at,
               partition_date, html_gz
        from pages where page_id in ({", ".join("?" * len(page_ids))})
        order by fetched_at, page_id
        """,
        list(page_ids),
    ).fetchall()
    return [StoredPage(*row[:8], body=gzip.decompress(bytes(row[8]))) for row in rows]


def article_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode()).hexdigest()[:16]


_ARTICLE_COLUMNS = (
    "article_id",
    "page_id",
    "source_id",
    "url",
    "canonical_url",
    "title",
    "authors",
    "published_at",
    "published_at_source",
    "language",
    "text",
    "text_extractor",
    "top_image",
    "n_chars",
    "fetched_at",
    "partition_date",
    "parser_version",
    "parsed_at",
)


def write_articles(
    conn: duckdb.DuckDBPyConnection,
    parsed: Sequence[tuple[StoredPage, Article]],
    rejected: Sequence[tuple[StoredPage, str, str]],
    parser_version: str,
) -> None:
    """Upsert parsed articles (a newer fetch of the same canonical URL wins) and record rejects."""
    now = utcnow()
    with transaction(conn):
        # One row per article id in a statement (DuckDB cannot update a row twice in one command).
        newest: dict[str, tuple[StoredPage, Article]] = {}
        for page, article in parsed:
            key = article_id(page.canonical_url)
            if key not in newest or page.fetched_at >= newest[key][0].fetched_at:
                newest[key] = (page, article)
        insert_rows(
            conn,
            "articles",
            _ARTICLE_COLUMNS,
            [
                (
                    key,
                    page.page_id,
                    page.source_id,
                    page.final_url,
                    page.canonical_url,
                    a.title,
                    list(a.authors),
                    a.published_at,
                    a.published_at_source,
                    a.language,
                    a.text,
                    a.text_extractor,
                    a.top_image,
                    len(a.text),
                    page.fetched_at,
                    page.partition_date,
                    parser_version,
                    now,
                )
                for key, (page, a) in newest.items()
            ],
            "on conflict (article_id) do update set "
            + ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS if c not in ("article_id", "canonical_url"))
            + " where excluded.fetched_at >= articles.fetched_at",
        )
        insert_rows(
            conn,
            "parse_rejects",
            ("page_id", "source_id", "url", "partition_date", "reason", "detail", "parser_version", "parsed_at"),
            [
                (page.page_id, page.source_id, page.final_url, page.partition_date, reason, detail, parser_version, now)
                for page, reason, detail in rejected
            ],
            "on conflict (page_id, parser_version) do nothing",
        )


# ---------------------------------------------------------------------------- extract


def articles_to_extract(conn: duckdb.DuckDBPyConnection, partition_date: date, extractor_version: str) -> list[str]:
    """Ids of the day's articles without an extraction by this extractor version (texts: load_articles)."""
    rows = conn.execute(
        """
        select a.article_id
        from articles a
        where a.partition_date = ?
          and not exists (select 1 from extraction_log x
                          where x.article_id = a.article_id and x.extractor_version = ?)
        order by a.article_id
        """,
        [partition_date, extractor_version],
    ).fetchall()
    return [article_id for (article_id,) in rows]


def load_articles(conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[StoredArticle]:
    """Stored articles by id, with their outlet's country, in id order (load in chunks: texts are long)."""
    if not article_ids:
        return []
    rows = conn.execute(
        f"""
        select a.article_id, a.source_id, a.url, a.title, a.text, a.published_at, a.language,
               a.fetched_at, a.partition_date, s.country_iso2
        from articles a
        left join sources s on s.source_id = a.source_id
        where a.article_id in ({", ".join("?" * len(article_ids))})
        order by a.article_id
        """,
        list(article_ids),
    ).fetchall()
    return [StoredArticle(*row) for row in rows]


_EVENT_COLUMNS = (
    "event_mention_id",
    "article_id",
    "source_id",
    "partition_date",
    "extractor_version",
    "event_index",
    "event_type",
    "sub_event_type",
    "event_date",
    "date_precision",
    "date_is_fallback",
    "location",
    "admin1",
    "admin2",
    "country",
    "country_iso2",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "weapon",
    "civilian_targeting",
    "confidence",
    "evidence_text",
    "evidence_offsets",
    "extracted_at",
)
_ACTOR_COLUMNS = (
    "actor_mention_id",
    "event_mention_id",
    "article_id",
    "extractor_version",
    "role",
    "surface_text",
    "actor_name",
    "actor_type",
    "country_iso2",
)


def write_events(
    conn: duckdb.DuckDBPyConnection,
    extractions: Sequence[tuple[StoredArticle, Sequence[EventMention]]],
    extractor_version: str,
) -> None:
    """Replace a batch of articles' events for this extractor version and log them as done, in one
    transaction with one statement per table (not per article)."""
    if not extractions:
        return
    now = utcnow()
    event_rows, actor_rows, log_rows = [], [], []
    for article, events in extractions:
        log_rows.append((article.article_id, extractor_version, article.partition_date, len(events), now))
        for index, event in enumerate(events):
            mention_id = short_hash(article.article_id, extractor_version, index)
            event_rows.append(
                (
                    mention_id,
                    article.article_id,
                    article.source_id,
                    article.partition_date,
                    extractor_version,
                    index,
                    event.event_type,
                    event.sub_event_type,
                    event.event_date,
                    event.date_precision,
                    event.date_is_fallback,
                    event.location,
                    event.admin1,
                    event.admin2,
                    event.country,
                    event.country_iso2,
                    event.latitude,
                    event.longitude,
                    event.geo_precision,
                    event.fatalities,
                    event.injured,
                    event.weapon,
                    event.civilian_targeting,
                    event.confidence,
                    event.evidence_text,
                    json.dumps([list(span) for span in event.evidence]),
                    now,
                )
            )
            for actor_index, actor in enumerate(event.actors):
                actor_rows.append(
                    (
                        short_hash(mention_id, actor.role, actor.name, actor_index),
                        mention_id,
                        article.article_id,
                        extractor_version,
                        actor.role,
                        actor.surface_text,
                        actor.name,
                        actor.actor_type,
                        actor.country_iso2,
                    )
                )
    article_ids = [article.article_id for article, _ in extractions]
    in_batch = f"article_id in ({', '.join('?' * len(article_ids))}) and extractor_version = ?"
    with transaction(conn):
        conn.execute(f"delete from actor_mentions where {in_batch}", [*article_ids, extractor_version])
        conn.execute(f"delete from event_mentions where {in_batch}", [*article_ids, extractor_version])
        insert_rows(conn, "event_mentions", _EVENT_COLUMNS, event_rows)
        insert_rows(conn, "actor_mentions", _ACTOR_COLUMNS, actor_rows)
        insert_rows(
            conn,
            "extraction_log",
            ("article_id", "extractor_version", "partition_date", "n_events", "extracted_at"),
            log_rows,
            "on conflict (article_id, extractor_version) do update set "
            "n_events = excluded.n_events, extracted_at = excluded.extracted_at",
        )


def count_rows(conn: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
