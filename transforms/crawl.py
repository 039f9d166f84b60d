"""One day's crawl: discover article links per source, fetch what is new, archive what is distinct.

`Crawl(...).run()` yields `CrawlLogRow`s (every attempt) and `Page`s (every new distinct document)
as fetches complete, so the caller can write them in batches and a crash loses little. What the
warehouse already holds comes in as a `CrawlState`, so this module does no database I/O: the state
asks an `ArchiveIndex` (given by the warehouse) only about the URLs and hashes this day meets.

Memory stays flat in the size of the day: article fetches are scheduled a few at a time (at most
`concurrency` in flight, at most `per_host_concurrency` per host, the host that may go soonest
first, so many hosts are fetched in parallel within their politeness delays), and each body is
dropped once its records are yielded.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import threading
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from datetime import date, datetime, time, timedelta

from transforms.config import SourcesConfig
from transforms.discover import parse_feed, parse_homepage, parse_sitemap
from transforms.fetch import Fetcher, FetchResult
from transforms.parse.decoding import declared_charset, decode_html
from transforms.records import CrawlLogRow, CrawlState, Link, Page, Source, StageStats
from transforms.robots import RobotsPolicy
from transforms.urls import host_key, normalize_url

log = logging.getLogger(__name__)

_MAX_CHILD_SITEMAPS = 50
_CANONICAL_HEAD_BYTES = 300_000
_MAX_TAG_BYTES = 4_096  # a <link> tag longer than this is not one we read
# One attribute; applied only inside one bounded tag, so linear in the page.
_ATTRIBUTE = re.compile(rb"""([a-z][a-z0-9_:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Fetched bodies waiting for their archive lookup; bounded so memory does not follow the day.
LOOKUP_BATCH = 100


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def page_id(canonical_url: str, body_hash: str) -> str:
    return hashlib.sha256(f"{canonical_url}\n{body_hash}".encode()).hexdigest()[:32]


def _decode_text(body: bytes, content_type: str | None) -> str:
    """Bytes to text by the parser's decoding rules (one place: transforms.parse.decoding)."""
    return decode_html(body, content_type)[0]


def _link_tags(lowered: bytes) -> Iterator[dict[bytes, tuple[int, int]]]:
    """For each <link ...> tag of the lower-cased markup: attribute name -> (start, end) of its
    value. Linear: a tag over _MAX_TAG_BYTES or without a closing '>' is skipped, never rescanned."""
    position = 0
    while (start := lowered.find(b"<link", position)) != -1:
        end = lowered.find(b">", start, start + _MAX_TAG_BYTES)
        if end == -1:
            position = start + 5
            continue
        position = end + 1
        # "<link rel=x <link rel=canonical ...>": a tag left open; read the last one it swallowed
        start = max(start, lowered.rfind(b"<link", start + 5, end))
        if lowered[start + 5 : start + 6] not in (b" ", b"\t", b"\n", b"\r", b"/", b"\f"):
            continue  # <linkfoo>
        attributes = {}
        for match in _ATTRIBUTE.finditer(lowered, start + 5, end):
            group = next(g for g in (2, 3, 4) if match.group(g) is not None)
            attributes.setdefault(match.group(1), match.span(group))
        yield attributes


def find_canonical(body: bytes, final_url: str) -> str:
    """rel=canonical of the page when it points at the same host, else the final URL.

    Another host's canonical (syndicated copy) would merge two outlets' identities, so it is ignored.
    """
    head = body[:_CANONICAL_HEAD_BYTES]
    lowered = head.lower()  # ASCII lower-casing keeps every offset
    for attributes in _link_tags(lowered):
        rel, href = attributes.get(b"rel"), attributes.get(b"href")
        if rel is None or href is None or b"canonical" not in lowered[rel[0] : rel[1]].split():
            continue
        candidate = normalize_url(head[href[0] : href[1]].decode("latin-1").strip(), base=final_url)
        if candidate and host_key(candidate) == host_key(final_url):
            return candidate
    return final_url


def in_window(link: Link, partition_date: date, max_age_days: int) -> bool:
    """Entries dated after the crawl day belong to a later partition; too old ones are history."""
    if link.published_at is None:
        return True
    end = datetime.combine(partition_date + timedelta(days=1), time())
    start = datetime.combine(partition_date - timedelta(days=max_age_days), time())
    return start <= link.published_at < end


class Crawl:
    def __init__(
        self,
        config: SourcesConfig,
        partition_date: date,
        state: CrawlState,
        run_id: str,
        fetcher: Fetcher | None = None,
    ):
        self.config = config
        self.settings = config.crawler
        self.partition_date = partition_date
        self.state = state
        self.run_id = run_id
        self.fetcher = fetcher or Fetcher(config.crawler)
        self.stats = StageStats()
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._pending: list[CrawlLogRow | Page] = []  # discovery output, drained by run()

    # ------------------------------------------------------------------ public

    def run(self) -> Iterator[CrawlLogRow | Page]:
        sources = self.config.enabled_sources()
        with ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="crawl") as pool:
            discovered: list[tuple[Source, list[Link]]] = []
            futures = {pool.submit(self._discover_source, s): s for s in sources}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    links = future.result()
                except Exception:  # one broken source must not stop the others
                    log.exception("discovery failed for source %s", source.source_id)
                    self.stats.add("source_errors")
                    links = []
                discovered.append((source, links))
                yield from self._drain()
            yield from self._drain()
            del futures

            self.state.look_up(urls=[link.url for _, links in discovered for link in links])
            queues: dict[str, deque[tuple[Source, Link]]] = {}
            for source, links in discovered:
                for link in self._select(source, links):
                    queues.setdefault(host_key(link.url), deque()).append((source, link))
            del discovered
            yield from self._fetch_articles(pool, queues)

    def _fetch_articles(
        self, pool: ThreadPoolExecutor, queues: dict[str, deque[tuple[Source, Link]]]
    ) -> Iterator[CrawlLogRow | Page]:
        """Keep up to `concurrency` fetches in flight, per host at most `per_host_concurrency`, the
        host whose politeness delay ends first going next; decide on fetched bodies in batches
        (one archive lookup per batch) and let them go."""
        in_flight: dict[Future, tuple[Source, Link, str]] = {}
        busy: Counter[str] = Counter()
        done_results: list[tuple[Source, Link, FetchResult]] = []
        while queues or in_flight:
            while len(in_flight) < self.settings.concurrency:
                hosts = [h for h in queues if busy[h] < self.settings.per_host_concurrency]
                if not hosts:
                    break
                host = min(hosts, key=lambda h: (busy[h], self.fetcher.throttle.ready_at(h)))
                source, link = queues[host].popleft()
                if not queues[host]:
                    del queues[host]
                in_flight[pool.submit(self._fetch_article, source, link)] = (source, link, host)
                busy[host] += 1
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                source, link, host = in_flight.pop(future)
                busy[host] -= 1
                try:
                    done_results.append((source, link, future.result()))
                except Exception:
                    log.exception("fetch failed for %s", link.url)
                    self.stats.add("fetch_exceptions")
            if len(done_results) >= LOOKUP_BATCH or not (queues or in_flight):
                yield from self._decide(done_results)
                done_results = []
            yield from self._drain()  # robots.txt of hosts first met through a redirect

    def _decide(self, fetched: list[tuple[Source, Link, FetchResult]]) -> Iterator[CrawlLogRow | Page]:
        identities = [self._identity(link, result) for _, link, result in fetched]
        self.state.look_up(urls=[u for i in identities if i for u in i[:2]], hashes=[i[2] for i in identities if i])
        for index, (source, link, result) in enumerate(fetched):
            yield from self._article_records(source, link, result, identities[index])
            fetched[index] = None  # type: ignore[call-overload]  # the body goes now, not with the batch

    @staticmethod
    def _identity(link: Link, result: FetchResult) -> tuple[str, str, str] | None:
        """(final URL, canonical URL, content hash) of a fetched article."""
        if not result.ok:
            return None
        body = result.body or b""
        final = result.final_url or link.url
        return final, find_canonical(body, final), content_hash(body)

    # ------------------------------------------------------------------ discovery

    def _discover_source(self, source: Source) -> list[Link]:
        """The source's unique links (not yet filtered against the archive: see `_select`)."""
        links: list[Link] = []
        for feed_url in source.feeds:
            body = self._fetch_discovery_doc(source, feed_url, "feed")
            if body is not None:
                links.extend(parse_feed(body, feed_url, source.source_id))
        for sitemap_url in source.sitemaps:
            links.extend(self._sitemap_links(source, sitemap_url, depth=0))
        if not source.feeds and not source.sitemaps:
            body = self._fetch_discovery_doc(source, source.homepage, "homepage")
            if body is not None:
                text = _decode_text(body, None)
                links.extend(parse_homepage(text, source.homepage, source.source_id))
        unique: dict[str, Link] = {}
        for link in links:
            unique.setdefault(link.url, link)
        return list(unique.values())

    def _sitemap_links(self, source: Source, url: str, depth: int) -> list[Link]:
        body = self._fetch_discovery_doc(source, url, "sitemap")
        if body is None:
            return []
        result = parse_sitemap(body, url, source.source_id)
        links = list(result.links)
        if depth < 2:
            for child in result.child_sitemaps[:_MAX_CHILD_SITEMAPS]:
                links.extend(self._sitemap_links(source, child, depth + 1))
        return links

    def _select(self, source: Source, links: list[Link]) -> list[Link]:
        """Links in the window and not archived yet, newest first, up to the source's cap."""
        self.stats.add("links_discovered", len(links))
        selected = []
        for link in links:
            if not in_window(link, self.partition_date, source.max_age_days):
                self.stats.add("links_out_of_window")
            elif link.url in self.state.known_urls:
                self.stats.add("links_already_archived")
            else:
                selected.append(link)
        # Newest first, undated last, so the cap keeps the freshest stories.
        selected.sort(key=lambda link: (link.published_at is not None, link.published_at or datetime.min), reverse=True)
        if len(selected) > source.max_articles:
            self.stats.add("links_over_cap", len(selected) - source.max_articles)
            selected = selected[: source.max_articles]
        return selected

    def _fetch_discovery_doc(self, source: Source, url: str, kind: str) -> bytes | None:
        """Fetch a feed/sitemap/homepage conditionally; on 304 use the archived copy."""
        archived = self.state.discovery_docs.get(url)
        result = self.fetcher.fetch(
            url,
            delay_seconds=self._delay(source, url),
            etag=archived.etag if archived else None,
            last_modified=archived.last_modified if archived else None,
            allowed=self._robots_allows(source),
        )
        body = result.body if result.ok else None
        if result.outcome == "not_modified" and archived is not None:
            body = gzip.decompress(archived.html_gz)
        hash_ = content_hash(result.body) if result.ok else None
        final = result.final_url or url
        self._queue_log(source, url, kind, result, canonical=final if result.ok else None, body_hash=hash_)
        if result.ok:
            self._queue(self._page(source, kind, url, final, final, result, hash_))
        elif result.outcome != "not_modified":
            log.warning("source %s: %s %s: %s", source.source_id, kind, url, result.error or result.outcome)
            self.stats.add(f"{kind}_failures")
        return body

    # ------------------------------------------------------------------ robots & politeness

    def _robots_allows(self, source: Source):
        if not self.settings.respect_robots:
            return None
        user_agent = self.settings.user_agent

        def allowed(url: str) -> bool:
            return self._robots_policy(source, url).allows(url, user_agent)

        return allowed

    def _robots_policy(self, source: Source, url: str) -> RobotsPolicy:
        host = host_key(url)
        with self._lock:
            policy = self._robots.get(host)
            if policy is not None:
                return policy
            host_lock = self._robots_locks.setdefault(host, threading.Lock())
        with host_lock:
            if host in self._robots:
                return self._robots[host]
            robots_url = f"{host}/robots.txt"
            result = self.fetcher.fetch(robots_url)
            if result.ok:
                text = _decode_text(result.body or b"", result.content_type)
                policy = RobotsPolicy.from_text(text)
            else:
                policy = RobotsPolicy.from_status(result.http_status)
                if policy.deny_all:
                    log.warning(
                        "robots.txt of %s unreachable (%s): skipping the host this run",
                        host,
                        result.error or result.http_status,
                    )
            self._queue_log(source, robots_url, "robots", result, canonical=None, body_hash=None)
            with self._lock:
                self._robots[host] = policy
            return policy

    def _delay(self, source: Source, url: str) -> float:
        delay = source.delay_seconds
        if self.settings.respect_robots:
            robots_delay = self._robots_policy(source, url).crawl_delay(self.settings.user_agent)
            if robots_delay:
                delay = max(delay, min(robots_delay, self.settings.max_crawl_delay_seconds))
        return delay

    # ------------------------------------------------------------------ articles

    def _fetch_article(self, source: Source, link: Link) -> FetchResult:
        return self.fetcher.fetch(
            link.url, delay_seconds=self._delay(source, link.url), allowed=self._robots_allows(source)
        )

    def _article_records(
        self, source: Source, link: Link, result: FetchResult, identity: tuple[str, str, str] | None
    ) -> Iterator[CrawlLogRow | Page]:
        self.stats.add(f"article_{result.outcome}")
        if identity is None:
            yield from self._log_rows(source, link.url, "article", result, None, None, None)
            return
        final, canonical, hash_ = identity
        outcome = None
        if not self.state.claim(link.url, final, canonical):
            outcome = "duplicate_url"
        elif not self.state.claim_hash(hash_):
            outcome = "duplicate_content"
        yield from self._log_rows(source, link.url, "article", result, canonical, hash_, outcome)
        if outcome:
            self.stats.add(outcome)
            return
        yield self._page(source, "article", link.url, final, canonical, result, hash_)

    # ------------------------------------------------------------------ records

    def _page(
        self, source: Source, kind: str, url: str, final: str, canonical: str, result: FetchResult, body_hash: str
    ) -> Page:
        body = result.body or b""
        return Page(
            page_id=page_id(canonical, body_hash),
            source_id=source.source_id,
            page_kind=kind,
            url=url,
            final_url=final,
            canonical_url=canonical,
            content_hash=body_hash,
            http_status=result.http_status or 200,
            content_type=result.content_type,
            encoding=declared_charset(result.content_type),
            etag=result.etag,
            last_modified=result.last_modified,
            fetched_at=result.attempts[-1].attempted_at,
            body=body,
        )

    def _log_rows(
        self,
        source: Source,
        url: str,
        kind: str,
        result: FetchResult,
        canonical: str | None,
        body_hash: str | None,
        last_outcome: str | None,
    ) -> Iterator[CrawlLogRow]:
        for i, attempt in enumerate(result.attempts):
            last = i == len(result.attempts) - 1
            yield CrawlLogRow(
                run_id=self.run_id,
                partition_date=self.partition_date,
                source_id=source.source_id,
                url=url,
                final_url=result.final_url if last else None,
                canonical_url=canonical if last else None,
                page_kind=kind,
                attempted_at=attempt.attempted_at,
                attempt=attempt.attempt,
                http_status=attempt.http_status,
                bytes=attempt.bytes,
                elapsed_ms=attempt.elapsed_ms,
                outcome=(last_outcome or attempt.outcome) if last else attempt.outcome,
                error=attempt.error,
                content_hash=body_hash if last else None,
                etag=result.etag if last else None,
                last_modified=result.last_modified if last else None,
            )

    def _queue_log(self, source, url, kind, result, canonical, body_hash) -> None:
        for row in self._log_rows(source, url, kind, result, canonical, body_hash, None):
            self._queue(row)

    def _queue(self, record: CrawlLogRow | Page) -> None:
        with self._lock:
            self._pending.append(record)

    def _drain(self) -> Iterator[CrawlLogRow | Page]:
        with self._lock:
            pending, self._pending = self._pending, []
        yield from pending
