"""Every record type passed between stages, in the order of the pipeline.

Small typed records, no behaviour beyond convenience properties -- except CrawlState, the
crawl's view of what the archive already holds, which the warehouse builds and the crawler updates.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

# ---------------------------------------------------------------- crawling


@dataclass(frozen=True)
class Source:
    """One news outlet as configured in sources.yml (validated by transforms.config)."""

    source_id: str
    name: str
    homepage: str
    country_iso2: str | None
    language: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    max_articles: int = 200  # per run
    max_age_days: int = 3  # feed/sitemap entries older than this (before the crawl day) are skipped
    delay_seconds: float = 1.0  # minimum gap between two requests to the same host
    enabled: bool = True


@dataclass(frozen=True)
class CrawlSettings:
    """Crawler-wide settings (the `crawler:` block of sources.yml)."""

    user_agent: str = "newsevents/0.1 (+https://example.invalid/newsevents)"
    timeout_seconds: float = 20.0  # total per request, connect + read
    max_page_bytes: int = 5_000_000
    max_retries: int = 2  # extra tries after the first, on timeouts and 5xx
    backoff_seconds: float = 1.0  # first back-off; doubles each retry
    max_redirects: int = 5
    concurrency: int = 8  # requests in flight over all hosts
    per_host_concurrency: int = 2
    allow_private_addresses: bool = False  # only fixtures and local tests opt in
    respect_robots: bool = True
    max_crawl_delay_seconds: float = 10.0  # cap on a robots.txt Crawl-delay we honour


@dataclass(frozen=True)
class Link:
    """A discovered article URL, with what the feed/sitemap said about it."""

    url: str  # normalised
    source_id: str
    found_in: str  # the feed/sitemap/homepage URL
    published_at: datetime | None = None
    title: str | None = None


@dataclass(frozen=True)
class Page:
    """An archived document (the `pages` table)."""

    page_id: str
    source_id: str
    page_kind: str
    url: str
    final_url: str
    canonical_url: str
    content_hash: str
    http_status: int
    content_type: str | None
    encoding: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    body: bytes


@dataclass(frozen=True)
class CrawlLogRow:
    run_id: str
    partition_date: date
    source_id: str
    url: str
    final_url: str | None
    canonical_url: str | None
    page_kind: str
    attempted_at: datetime
    attempt: int
    http_status: int | None
    bytes: int | None
    elapsed_ms: int | None
    outcome: str
    error: str | None
    content_hash: str | None
    etag: str | None
    last_modified: str | None


@dataclass
class ArchivedDoc:
    """The newest archived version of a feed/sitemap/homepage, for conditional requests."""

    etag: str | None
    last_modified: str | None
    html_gz: bytes


class ArchiveIndex(Protocol):
    """Which of these article URLs / content hashes the archive already holds (the warehouse)."""

    def known_urls(self, urls: list[str]) -> set[str]: ...

    def known_hashes(self, hashes: list[str]) -> set[str]: ...


@dataclass
class CrawlState:
    """What the warehouse already holds. Updated during the run so duplicates within it are seen.

    `known_urls`/`known_hashes` hold what this run has met (claimed, or found archived); with an
    `archive`, `look_up` asks it about new URLs and hashes in batches, so the state never loads
    every URL ever archived. Without one, the sets are the whole truth (tests, benchmarks).
    """

    known_urls: set[str] = field(default_factory=set)
    known_hashes: set[str] = field(default_factory=set)
    discovery_docs: dict[str, ArchivedDoc] = field(default_factory=dict)
    archive: ArchiveIndex | None = None
    _asked: set[str] = field(default_factory=set, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def look_up(self, urls: Iterable[str | None] = (), hashes: Iterable[str | None] = ()) -> None:
        """Load what the archive knows about these URLs and hashes (once per value). Call it from
        the thread that owns the archive's connection (the one iterating `Crawl.run()`)."""
        if self.archive is None:
            return
        with self._lock:
            new_urls = sorted({u for u in urls if u and u not in self.known_urls and u not in self._asked})
            new_hashes = sorted({h for h in hashes if h and h not in self.known_hashes and h not in self._asked})
            self._asked.update(new_urls, new_hashes)
        found_urls = self.archive.known_urls(new_urls) if new_urls else set()
        found_hashes = self.archive.known_hashes(new_hashes) if new_hashes else set()
        with self._lock:
            self.known_urls |= found_urls
            self.known_hashes |= found_hashes

    def claim(self, *urls: str | None) -> bool:
        """Mark URLs as taken; False when one of them was already known."""
        with self._lock:
            wanted = {u for u in urls if u}
            if wanted & self.known_urls:
                self.known_urls |= wanted
                return False
            self.known_urls |= wanted
            return True

    def claim_hash(self, content_hash: str) -> bool:
        with self._lock:
            if content_hash in self.known_hashes:
                return False
            self.known_hashes.add(content_hash)
            return True


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True)
class StoredPage:
    """An archived article page as the parser reads it back (warehouse -> parse)."""

    page_id: str
    source_id: str
    url: str
    final_url: str
    canonical_url: str
    content_type: str | None
    fetched_at: datetime
    partition_date: date
    body: bytes


@dataclass(frozen=True)
class Article:
    """A parsed news article (the `articles` table, less load bookkeeping)."""

    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None  # UTC, naive
    published_at_source: str | None
    language: str | None
    text: str
    text_extractor: str
    top_image: str | None
    canonical_url: str | None


@dataclass(frozen=True)
class ParseRejection:
    reason: str  # not_article | empty_text | undecodable | parser_error
    detail: str = ""


@dataclass(frozen=True)
class ParsedPage:
    """Everything the parse found, also for pages it rejects (batch evaluation wants the text)."""

    article: Article
    rejection: ParseRejection | None
    encoding: str


# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class StoredArticle:
    """A stored article as the extractor reads it back (warehouse -> extract)."""

    article_id: str
    source_id: str
    url: str
    title: str | None
    text: str
    published_at: datetime | None
    language: str | None
    fetched_at: datetime
    partition_date: date
    source_country: str | None = None  # where the outlet's newsroom is (sources table)


@dataclass(frozen=True)
class ActorMention:
    role: str  # perpetrator | target | associated
    name: str  # normalised: dictionary canonical name or generic label
    actor_type: str  # taxonomy actor type, e.g. "State forces"
    country_iso2: str | None
    surface_text: str  # as written in the article


@dataclass(frozen=True)
class EventMention:
    event_type: str
    sub_event_type: str
    confidence: float
    event_date: date | None
    date_precision: str  # day | week | month | unknown
    date_is_fallback: bool  # the publication date stood in for a missing one
    location: str | None
    admin1: str | None
    country: str | None
    country_iso2: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # 1 town, 2 near town / part of region, 3 region or country
    fatalities: int | None
    injured: int | None
    weapon: str | None
    civilian_targeting: bool
    actors: tuple[ActorMention, ...] = ()
    evidence: tuple[tuple[int, int], ...] = ()  # character offsets into the article text
    evidence_text: str = ""
    admin2: str | None = None  # district (second level), when the text or gazetteer gives one

    @property
    def perpetrators(self) -> list[ActorMention]:
        return [a for a in self.actors if a.role == "perpetrator"]

    @property
    def targets(self) -> list[ActorMention]:
        return [a for a in self.actors if a.role == "target"]


@dataclass(frozen=True)
class Extraction:
    """One article's extraction: its events, or the error that stopped it (retried next run)."""

    events: tuple[EventMention, ...] = ()
    error: str | None = None


@dataclass
class StageStats:
    """Counts a stage reports to the orchestrator (shown as Dagster metadata)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
