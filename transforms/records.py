"""Small typed records passed between stages. No behaviour beyond convenience properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


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
    max_articles: int = 200          # per run
    max_age_days: int = 3            # feed/sitemap entries older than this (before the crawl day) are skipped
    delay_seconds: float = 1.0       # minimum gap between two requests to the same host
    enabled: bool = True


@dataclass(frozen=True)
class CrawlSettings:
    """Crawler-wide settings (the `crawler:` block of sources.yml)."""

    user_agent: str = "newsevents/0.1 (+https://example.invalid/newsevents)"
    timeout_seconds: float = 20.0          # total per request, connect + read
    max_page_bytes: int = 5_000_000
    max_retries: int = 2                   # extra tries after the first, on timeouts and 5xx
    backoff_seconds: float = 1.0           # first back-off; doubles each retry
    max_redirects: int = 5
    concurrency: int = 8                   # requests in flight over all hosts
    per_host_concurrency: int = 2
    allow_private_addresses: bool = False  # only fixtures and local tests opt in
    respect_robots: bool = True
    max_crawl_delay_seconds: float = 10.0  # cap on a robots.txt Crawl-delay we honour


@dataclass(frozen=True)
class Link:
    """A discovered article URL, with what the feed/sitemap said about it."""

    url: str                        # normalised
    source_id: str
    found_in: str                   # the feed/sitemap/homepage URL
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


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Article:
    """A parsed news article (the `articles` table, less load bookkeeping)."""

    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None       # UTC, naive
    published_at_source: str | None
    language: str | None
    text: str
    text_extractor: str
    top_image: str | None
    canonical_url: str | None


@dataclass(frozen=True)
class ParseRejection:
    reason: str                         # not_article | empty_text | undecodable | parser_error
    detail: str = ""


# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class ActorMention:
    role: str                           # perpetrator | target | associated
    name: str                           # normalised: dictionary canonical name or generic label
    actor_type: str                     # taxonomy actor type, e.g. "State forces"
    country_iso2: str | None
    surface_text: str                   # as written in the article


@dataclass(frozen=True)
class EventMention:
    event_type: str
    sub_event_type: str
    confidence: float
    event_date: date | None
    date_precision: str                 # day | week | month | unknown
    date_is_fallback: bool              # the publication date stood in for a missing one
    location: str | None
    admin1: str | None
    country: str | None
    country_iso2: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None           # 1 town, 2 near town / part of region, 3 region or country
    fatalities: int | None
    injured: int | None
    weapon: str | None
    civilian_targeting: bool
    actors: tuple[ActorMention, ...] = ()
    evidence: tuple[tuple[int, int], ...] = ()   # character offsets into the article text
    evidence_text: str = ""
    admin2: str | None = None           # district (second level), when the text or gazetteer gives one

    @property
    def perpetrators(self) -> list[ActorMention]:
        return [a for a in self.actors if a.role == "perpetrator"]

    @property
    def targets(self) -> list[ActorMention]:
        return [a for a in self.actors if a.role == "target"]


@dataclass
class StageStats:
    """Counts a stage reports to the orchestrator (shown as Dagster metadata)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
