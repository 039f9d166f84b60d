"""Offline fixture news sites: four fictional outlets served over real HTTP on 127.0.0.1.

    with FixtureServer(port=0) as srv:
        urllib.request.urlopen(srv.base_url + "/herald/rss.xml")
        srv.requests          # every request seen, for assertions on crawler behaviour

    python -m orchestration.fixture_sites.server --port 8765      # serve until Ctrl-C

Everything is deterministic: the pages are rendered from the article YAML files with fixed dates,
so the same request always gets the same bytes (and the same ETag). The edge cases a crawler must
survive (redirects, tracking parameters, duplicates, odd encodings, huge/empty/slow/failing pages,
robots.txt) are listed in `edge_cases()` and in README.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

from orchestration.fixture_sites import templates as t
from orchestration.fixture_sites.corpus import OUTLETS, SECTIONS, FixtureArticle, default_corpus

HOST = "127.0.0.1"  # loopback only, by house rule

# The fixture's own edge-case articles (orchestration/fixture_sites/articles, written for this purpose).
HERALD_REDIRECTED = "drone-strike-el-obeid-market"  # RSS links its old URL, which 301s to the article
HERALD_FLAKY = "tbilisi-police-tear-gas-protest"  # 500 on the first GET, 200 afterwards
COURIER_AMP = "al-shabaab-attack-mandera-police-post"  # Atom links the AMP copy, homepage the main URL
COURIER_CHAIN = "gunmen-abduct-passengers-lamu-road"  # Atom links a two-hop 302 chain
LEDGER_HUGE = "sensex-rural-demand-kharif"  # reader comments push the page past 6 MB
LEDGER_SLOW = "third-test-squad-unchanged"  # answers after SLOW_SECONDS
OBSERVER_CP1252 = "gunmen-kill-villagers-near-niono"  # windows-1252 bytes, curly quotes and accents
OBSERVER_MALFORMED = "boko-haram-raid-konduga"  # broken markup around an intact article
OBSERVER_FRENCH = "niamey-manifestation-prix-carburant"  # language: fr

EDGE_ARTICLE_KEYS = (
    f"herald/{HERALD_REDIRECTED}",
    f"herald/{HERALD_FLAKY}",
    f"courier/{COURIER_AMP}",
    f"courier/{COURIER_CHAIN}",
    f"ledger/{LEDGER_HUGE}",
    f"ledger/{LEDGER_SLOW}",
    f"observer/{OBSERVER_CP1252}",
    f"observer/{OBSERVER_MALFORMED}",
    f"observer/{OBSERVER_FRENCH}",
)

HUGE_PAGE_BYTES = 6_500_000
SLOW_SECONDS = 3.0
TRACKING_RSS = "utm_source=rss&utm_medium=feed"
GZIP_OUTLETS = frozenset({"herald", "courier"})  # modern CDNs compress on request

# Non-article documents that feeds/sitemaps link to, with fixed dates.
VIDEO_PATH = "/herald/video/floodwaters-sweep-cars-valencia-suburb"
VIDEO_TITLE = "Video: Floodwaters sweep cars through the streets of a Valencia suburb"
VIDEO_CAPTION = "Footage filmed by residents shows cars carried along a street after overnight storms."
VIDEO_DATE = datetime(2026, 11, 14, 12, 0, tzinfo=UTC)
HERALD_DEAD_PATH = "/herald/2026/11/17/ministers-resignation-letter-leaked"
HERALD_DEAD_DATE = datetime(2026, 11, 17, 21, 0, tzinfo=UTC)
LEDGER_EMPTY_PATH = "/ledger/story/live-updates-assembly-by-election-results-5550001"
LEDGER_PRIVATE_PATH = "/ledger/private/subscriber-briefing-kashmir"
SITE_DATE = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # "now" for pages without an article date

SELECTED_HEADERS = (
    "User-Agent",
    "If-None-Match",
    "If-Modified-Since",
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Referer",
    "Range",
    "Host",
)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None
    last_modified: datetime | None = None
    etag: str | None = None
    delay_seconds: float = 0.0
    send_length: bool = True  # False: body delimited by connection close (no Content-Length)
    content_encoding: str | None = None


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # path and query as sent
    headers: Mapping[str, str]  # SELECTED_HEADERS that were present
    status: int
    at: float  # time.monotonic() when the request arrived


@dataclass(frozen=True)
class EdgeCase:
    name: str
    path: str
    found_in: str
    expected: str
    article_key: str | None = None  # the fixture article behind the case, if any


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _ok(
    body: str | bytes, content_type: str = "text/html; charset=utf-8", last_modified: datetime = SITE_DATE, **kw: object
) -> Response:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return Response(200, raw, content_type, last_modified=last_modified, etag=_etag(raw), **kw)  # type: ignore[arg-type]


def _redirect(status: int, location: str) -> Response:
    return Response(
        status, f'<html><body>Moved to <a href="{location}">{location}</a></body></html>'.encode(), location=location
    )


def _not_found(outlet: str | None) -> Response:
    return Response(404, t.not_found_page(outlet).encode("utf-8"))


class FixtureSite:
    """Routing and rendering for all four outlets on one host; no sockets here."""

    def __init__(
        self,
        articles: Sequence[FixtureArticle],
        base_url: str,
        *,
        crawl_delay: int = 0,
        slow_seconds: float = SLOW_SECONDS,
        require_edge_articles: bool = True,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.crawl_delay = crawl_delay
        self.slow_seconds = slow_seconds
        self.articles = tuple(articles)
        self.by_outlet: dict[str, tuple[FixtureArticle, ...]] = {
            o: tuple(a for a in self.articles if a.outlet == o) for o in OUTLETS
        }
        self.by_path: dict[str, FixtureArticle] = {a.path: a for a in self.articles}
        self.by_key: dict[str, FixtureArticle] = {a.key: a for a in self.articles}
        missing = [key for key in EDGE_ARTICLE_KEYS if key not in self.by_key]
        if missing and require_edge_articles:
            raise ValueError(
                f"edge-case articles missing from orchestration/fixture_sites/articles: {', '.join(missing)}"
            )
        flaky = self.by_key.get(f"herald/{HERALD_FLAKY}")
        self.flaky_paths = frozenset({flaky.path} if flaky else ())
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ helpers

    def _article(self, outlet: str, slug: str) -> FixtureArticle:
        return self.by_key[f"{outlet}/{slug}"]

    def _neighbours(self, article: FixtureArticle, n: int = 4) -> list[FixtureArticle]:
        """The n articles of the same outlet closest in time: stable 'related stories'."""
        same = self.by_outlet[article.outlet]
        i = same.index(article)
        ordered = sorted((a for a in same if a is not article), key=lambda a: (abs(same.index(a) - i), a.key))
        return ordered[:n]

    def _latest(self, outlet: str) -> datetime:
        items = self.by_outlet[outlet]
        return max((a.last_modified for a in items), default=SITE_DATE)

    @staticmethod
    def route_key(path_qs: str) -> str:
        """The resource a request names: tracking parameters dropped, observer's ?id= kept."""
        parts = urlsplit(path_qs)
        if parts.path == "/observer/index.php":
            ids = parse_qs(parts.query).get("id")
            return f"/observer/index.php?id={ids[0]}" if ids else "/observer/"
        return parts.path or "/"

    # ------------------------------------------------------------ entry point

    def respond(self, path_qs: str) -> Response:
        key = self.route_key(path_qs)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        response = self._render(key, path_qs)
        if response.status in (200, 404):
            with self._lock:
                self._cache[key] = response
        return response

    def _render(self, key: str, path_qs: str) -> Response:
        if key == "/robots.txt":
            return _ok(self.robots_txt(), "text/plain; charset=utf-8")
        if key == "/":
            links = "".join(f'<li><a href="/{o}/">{t.e(t.OUTLET_NAMES[o])}</a></li>' for o in OUTLETS)
            return _ok(
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fixture news host</title></head>'
                f"<body><h1>Fixture news host</h1><ul>{links}</ul></body></html>"
            )
        outlet = key.strip("/").split("/", 1)[0]
        if key == f"/{outlet}" and outlet in OUTLETS:
            return _redirect(301, f"{self.base}/{outlet}/")
        handler: Callable[[str], Response | None] | None = getattr(self, f"_route_{outlet}", None)
        if outlet not in OUTLETS or handler is None:
            return _not_found(None)
        return handler(key) or _not_found(outlet)

    # ------------------------------------------------------------ robots

    def robots_txt(self) -> str:
        return (
            "# One robots.txt for the whole fixture host (all four outlets share it).\n"
            "User-agent: GreedyArchiveBot\n"
            "Crawl-delay: 30\n"
            "Disallow: /\n"
            "\n"
            "User-agent: *\n"
            f"Crawl-delay: {self.crawl_delay}\n"
            "Disallow: /ledger/private/\n"
            "Disallow: /observer/cgi-bin/\n"
            "Disallow: /herald/search\n"
            "\n"
            f"Sitemap: {self.base}/ledger/sitemap.xml\n"
        )

    # ------------------------------------------------------------ herald

    def _route_herald(self, key: str) -> Response | None:
        items = self.by_outlet["herald"]
        if key == "/herald/":
            return _ok(
                t.herald_listing(
                    "The Meridian Herald", items, top_ref="home", top_count=3, canonical=f"{self.base}/herald/"
                ),
                last_modified=self._latest("herald"),
            )
        if key == "/herald/rss.xml":
            return self.herald_rss()
        if key in self.by_path and key.startswith("/herald/"):
            article = self.by_path[key]
            return _ok(
                t.herald_article(article, self.base, self._neighbours(article)), last_modified=article.last_modified
            )
        if key.startswith("/herald/news/") and key.endswith(".html"):
            # Old CMS URL scheme; permanently redirected to the dated URL.
            slug = key[len("/herald/news/") : -len(".html")]
            if f"herald/{slug}" in self.by_key:
                return _redirect(301, self.base + self._article("herald", slug).path)
            return None
        if key == VIDEO_PATH:
            return _ok(
                t.herald_video(self.base, VIDEO_PATH, VIDEO_TITLE, VIDEO_CAPTION, VIDEO_DATE), last_modified=VIDEO_DATE
            )
        if key.startswith("/herald/section/"):
            section = key.rsplit("/", 1)[1]
            if section not in SECTIONS:
                return None
            chosen = [a for a in items if a.section == section]
            return _ok(t.herald_listing(t.SECTION_LABELS[section], chosen, canonical=self.base + key))
        if key.startswith("/herald/tag/"):
            tag = key.rsplit("/", 1)[1]
            chosen = [a for a in items if tag in a.tags]
            return _ok(t.herald_listing(f"Tag: {tag}", chosen, canonical=self.base + key)) if chosen else None
        return None

    def herald_rss(self) -> Response:
        items: list[tuple[FixtureArticle | None, tuple]] = []
        for a in self.by_outlet["herald"]:
            path = f"/herald/news/{a.slug}.html" if a.slug == HERALD_REDIRECTED else a.path
            items.append(
                (
                    a,
                    (
                        a.title,
                        f"{self.base}{path}?{TRACKING_RSS}",
                        a.standfirst,
                        a.published,
                        f"herald-{a.slug}",
                        a.authors,
                        t.SECTION_LABELS[a.section],
                    ),
                )
            )
        items.append(
            (
                None,
                (
                    VIDEO_TITLE,
                    f"{self.base}{VIDEO_PATH}?{TRACKING_RSS}",
                    VIDEO_CAPTION,
                    VIDEO_DATE,
                    "herald-video-floodwaters",
                    (),
                    "Video",
                ),
            )
        )
        items.append(
            (
                None,
                (
                    "Minister's resignation letter leaked",
                    f"{self.base}{HERALD_DEAD_PATH}?{TRACKING_RSS}",
                    "The letter, seen by the Herald, criticises the handling of the budget.",
                    HERALD_DEAD_DATE,
                    "herald-resignation-letter",
                    ("Tom Ashdown",),
                    "Politics",
                ),
            )
        )
        items.sort(key=lambda item: item[1][3], reverse=True)
        rows = [row for _, row in items]
        latest = max(self._latest("herald"), VIDEO_DATE, HERALD_DEAD_DATE)
        return _ok(t.herald_rss(self.base, rows, latest), "application/rss+xml; charset=utf-8", latest)

    # ------------------------------------------------------------ courier

    def _route_courier(self, key: str) -> Response | None:
        items = self.by_outlet["courier"]
        if key == "/courier/":
            return _ok(
                t.courier_listing("Coastal Courier: latest news", items, canonical=f"{self.base}/courier/"),
                last_modified=self._latest("courier"),
            )
        if key == "/courier/atom.xml":
            return self.courier_atom()
        if key in self.by_path and key.startswith("/courier/"):
            article = self.by_path[key]
            return _ok(
                t.courier_article(article, self.base, self._neighbours(article)), last_modified=article.last_modified
            )
        parts = key.strip("/").split("/")
        if len(parts) == 3 and parts[1] == "amp" and f"courier/{parts[2]}" in self.by_key:
            article = self._article("courier", parts[2])
            return _ok(t.courier_article(article, self.base, (), amp=True), last_modified=article.last_modified)
        if len(parts) == 3 and parts[1] == "go" and f"courier/{parts[2]}" in self.by_key:
            return _redirect(302, f"{self.base}/courier/r/{parts[2]}?src=atom")  # first hop
        if len(parts) == 3 and parts[1] == "r" and f"courier/{parts[2]}" in self.by_key:
            return _redirect(302, self.base + self._article("courier", parts[2]).path)  # second hop
        if len(parts) == 3 and parts[1] == "news" and key.endswith("/") and parts[2] in SECTIONS:
            chosen = [a for a in items if a.section == parts[2]]
            return _ok(t.courier_listing(f"{t.SECTION_LABELS[parts[2]]} News", chosen, canonical=self.base + key))
        if len(parts) == 3 and parts[1] == "tag":
            chosen = [a for a in items if parts[2] in a.tags]
            return _ok(t.courier_listing(f"Tag: {parts[2]}", chosen, canonical=self.base + key)) if chosen else None
        return None

    def courier_atom(self) -> Response:
        entries = []
        for a in self.by_outlet["courier"]:
            if a.slug == COURIER_AMP:
                link = f"{self.base}/courier/amp/{a.slug}"
            elif a.slug == COURIER_CHAIN:
                link = f"{self.base}/courier/go/{a.slug}"
            else:
                link = self.base + a.path
            entries.append(
                (
                    a.title,
                    link,
                    a.standfirst,
                    a.published,
                    a.last_modified,
                    a.authors,
                    f"tag:coastal-courier.example,2026:{a.slug}",
                )
            )
        # Non-article pages some CMSs push into their feeds.
        entries.append(
            (
                "Security: all our coverage",
                f"{self.base}/courier/tag/security",
                "Every Courier story tagged security.",
                datetime(2026, 11, 19, 7, 0, tzinfo=UTC),
                datetime(2026, 11, 19, 7, 0, tzinfo=UTC),
                (),
                "tag:coastal-courier.example,2026:tag-security",
            )
        )
        entries.append(
            (
                "Africa News",
                f"{self.base}/courier/news/africa/",
                "Latest news from across the continent.",
                datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
                datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
                (),
                "tag:coastal-courier.example,2026:section-africa",
            )
        )
        entries.sort(key=lambda entry: entry[3], reverse=True)
        latest = max(entry[4] for entry in entries)
        return _ok(t.courier_atom(self.base, entries, latest), "application/atom+xml; charset=utf-8", latest)

    # ------------------------------------------------------------ ledger

    def _route_ledger(self, key: str) -> Response | None:
        items = self.by_outlet["ledger"]
        if key == "/ledger/":
            return _ok(
                t.ledger_listing("Frontier Ledger", items, canonical=f"{self.base}/ledger/"),
                last_modified=self._latest("ledger"),
            )
        if key == "/ledger/sitemap.xml":
            latest = self._latest("ledger")
            return _ok(
                t.sitemap_index(
                    [
                        (f"{self.base}/ledger/sitemap-news.xml", latest),
                        (f"{self.base}/ledger/sitemap-pages.xml", SITE_DATE),
                    ]
                ),
                "application/xml; charset=utf-8",
                max(latest, SITE_DATE),
            )
        if key == "/ledger/sitemap-news.xml":
            return self.ledger_news_sitemap()
        if key == "/ledger/sitemap-pages.xml":
            pages = [(f"{self.base}/ledger/about", SITE_DATE)] + [
                (f"{self.base}/ledger/section/{s}", SITE_DATE) for s in sorted({a.section for a in items})
            ]
            return _ok(t.plain_sitemap(pages), "application/xml; charset=utf-8")
        if key == LEDGER_EMPTY_PATH:
            return _ok(b"", last_modified=datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
        if key == LEDGER_PRIVATE_PATH:
            return _ok(
                t.ledger_static(
                    "Subscriber briefing: what the new Kashmir security plan means",
                    [
                        "This briefing is for subscribers only and is not meant to be indexed.",
                        "Crawlers that respect robots.txt never fetch this page.",
                    ],
                    canonical=self.base + key,
                )
            )
        if key == "/ledger/about":
            return _ok(
                t.ledger_static(
                    "About the Frontier Ledger",
                    [
                        "The Frontier Ledger is an independent daily founded in 1998.",
                        "Our newsroom covers politics, business and sport across India and the region.",
                    ],
                    canonical=self.base + key,
                )
            )
        if key.startswith("/ledger/section/"):
            section = key.rsplit("/", 1)[1]
            if section not in SECTIONS:
                return None
            chosen = [a for a in items if a.section == section]
            return _ok(t.ledger_listing(t.SECTION_LABELS[section], chosen, canonical=self.base + key))
        if key in self.by_path and key.startswith("/ledger/"):
            article = self.by_path[key]
            comments = t.ledger_comment_thread(HUGE_PAGE_BYTES) if article.slug == LEDGER_HUGE else ""
            html = t.ledger_article(article, self.base, self._neighbours(article), comments_html=comments)
            if article.slug == LEDGER_HUGE:
                return _ok(html, last_modified=article.last_modified, send_length=False)
            if article.slug == LEDGER_SLOW:
                return _ok(html, last_modified=article.last_modified, delay_seconds=self.slow_seconds)
            return _ok(html, last_modified=article.last_modified)
        return None

    def ledger_news_sitemap(self) -> Response:
        entries = [(self.base + a.path, a.published, a.title, a.language) for a in self.by_outlet["ledger"]]
        ist = datetime.fromisoformat("2026-11-20T08:00:00+05:30").tzinfo
        entries += [
            (
                self.base + LEDGER_PRIVATE_PATH,
                datetime(2026, 11, 18, 21, 0, tzinfo=ist),
                "Subscriber briefing: what the new Kashmir security plan means",
                "en",
            ),
            (
                self.base + LEDGER_EMPTY_PATH,
                datetime(2026, 11, 20, 8, 0, tzinfo=ist),
                "Live updates: assembly by-election results",
                "en",
            ),
            (f"{self.base}/ledger/section/politics", datetime(2026, 11, 20, 9, 0, tzinfo=ist), "Politics", "en"),
        ]
        entries.sort(key=lambda entry: entry[1], reverse=True)
        latest = max(max(entry[1] for entry in entries), self._latest("ledger"))
        return _ok(t.ledger_news_sitemap(entries), "application/xml; charset=utf-8", latest)

    # ------------------------------------------------------------ observer

    def _route_observer(self, key: str) -> Response | None:
        items = self.by_outlet["observer"]
        # The old server sends no charset in Content-Type; the <meta> declares it.
        legacy = "text/html"
        if key == "/observer/":
            return _ok(
                t.observer_listing("Latest News", items, items[:6], canonical=f"{self.base}/observer/"),
                legacy,
                self._latest("observer"),
            )
        if key in self.by_path and key.startswith("/observer/"):
            article = self.by_path[key]
            others = [a for a in items if a is not article][:8]
            if article.slug == OBSERVER_CP1252:
                html = t.observer_article(article, self.base, others, charset="windows-1252")
                return _ok(html.encode("windows-1252"), "text/html; charset=windows-1252", article.last_modified)
            html = t.observer_article(article, self.base, others, malformed=article.slug == OBSERVER_MALFORMED)
            return _ok(html, legacy, article.last_modified)
        if key == "/observer/about.html":
            return _ok(
                t.observer_static(
                    "About Us",
                    "The Sahel Observer has reported from Kano, Niamey and Bamako since 2003.",
                    canonical=self.base + key,
                ),
                legacy,
            )
        if key == "/observer/contact.php":
            return _ok(
                t.observer_static("Contact", "Send news tips to our Kano office.", canonical=self.base + key), legacy
            )
        parts = key.strip("/").split("/")
        if len(parts) == 2 and key.endswith("/") and parts[1] in SECTIONS:
            chosen = [a for a in items if a.section == parts[1]]
            return _ok(
                t.observer_listing(t.SECTION_LABELS[parts[1]], chosen, items[:6], canonical=self.base + key), legacy
            )
        return None

    # ------------------------------------------------------------ catalogue

    def edge_cases(self) -> list[EdgeCase]:
        """The deliberate traps, where a crawler meets them and what it should do."""

        def p(outlet: str, slug: str) -> str:
            article = self.by_key.get(f"{outlet}/{slug}")
            return article.path if article else ""

        cases = [
            EdgeCase(
                "301 redirect",
                f"/herald/news/{HERALD_REDIRECTED}.html",
                "/herald/rss.xml",
                f"follow to {p('herald', HERALD_REDIRECTED)}; store the final URL",
                article_key=f"herald/{HERALD_REDIRECTED}",
            ),
            EdgeCase(
                "302 chain, two hops",
                f"/courier/go/{COURIER_CHAIN}",
                "/courier/atom.xml",
                f"follow /courier/r/... then {p('courier', COURIER_CHAIN)}",
                article_key=f"courier/{COURIER_CHAIN}",
            ),
            EdgeCase(
                "tracking parameters",
                f"<article>?{TRACKING_RSS}",
                "/herald/rss.xml",
                "strip utm_* before deduplicating; same page as without them",
            ),
            EdgeCase(
                "tracking parameters",
                "<article>?ref=home",
                "/herald/ (top stories), /observer/ sidebar",
                "strip ref=; the same articles are also linked without it",
            ),
            EdgeCase(
                "same story at two URLs",
                f"/courier/amp/{COURIER_AMP}",
                "/courier/atom.xml",
                f"rel=canonical points to {p('courier', COURIER_AMP)} (linked from /courier/): keep one",
                article_key=f"courier/{COURIER_AMP}",
            ),
            EdgeCase(
                "non-article: video",
                VIDEO_PATH,
                "/herald/rss.xml",
                "og:type video.other, one-line caption: reject as not an article",
            ),
            EdgeCase("non-article: tag page", "/courier/tag/security", "/courier/atom.xml", "reject as not an article"),
            EdgeCase(
                "non-article: section index", "/courier/news/africa/", "/courier/atom.xml", "reject as not an article"
            ),
            EdgeCase(
                "non-article: section index",
                "/ledger/section/politics",
                "/ledger/sitemap-news.xml",
                "reject as not an article",
            ),
            EdgeCase(
                "non-English article",
                p("observer", OBSERVER_FRENCH),
                "/observer/",
                "language fr; keep, detect the language",
                article_key=f"observer/{OBSERVER_FRENCH}",
            ),
            EdgeCase(
                "legacy encoding",
                p("observer", OBSERVER_CP1252),
                "/observer/",
                "windows-1252 bytes (header and <meta>): decode to ’ “ ” é correctly",
                article_key=f"observer/{OBSERVER_CP1252}",
            ),
            EdgeCase(
                "huge page",
                p("ledger", LEDGER_HUGE),
                "/ledger/sitemap-news.xml",
                f"{HUGE_PAGE_BYTES / 1e6:.1f}+ MB, no Content-Length: stop reading at max_page_bytes, log it",
                article_key=f"ledger/{LEDGER_HUGE}",
            ),
            EdgeCase(
                "empty 200",
                LEDGER_EMPTY_PATH,
                "/ledger/sitemap-news.xml",
                "200 with a zero-byte body: log and reject, no crash",
            ),
            EdgeCase(
                "malformed HTML",
                p("observer", OBSERVER_MALFORMED),
                "/observer/",
                "mis-nested tags, duplicate <body>, cut off mid-tag: still parse the article",
                article_key=f"observer/{OBSERVER_MALFORMED}",
            ),
            EdgeCase("404 in a feed", HERALD_DEAD_PATH, "/herald/rss.xml", "log the 404, no retry, carry on"),
            EdgeCase(
                "500 then 200",
                p("herald", HERALD_FLAKY),
                "/herald/rss.xml",
                "500 on the first GET: retry after back-off and get the article",
                article_key=f"herald/{HERALD_FLAKY}",
            ),
            EdgeCase(
                "slow page",
                p("ledger", LEDGER_SLOW),
                "/ledger/sitemap-news.xml",
                f"answers after {self.slow_seconds:g} s, past timeout_seconds: time out, log, carry on",
                article_key=f"ledger/{LEDGER_SLOW}",
            ),
            EdgeCase(
                "robots.txt disallow",
                LEDGER_PRIVATE_PATH,
                "/ledger/sitemap-news.xml and /ledger/ header",
                "Disallow: /ledger/private/: never fetch it",
            ),
            EdgeCase(
                "conditional GET",
                "every article and feed",
                "-",
                "send If-None-Match / If-Modified-Since on re-crawl; 304 means unchanged",
            ),
        ]
        # A custom corpus without the edge-case articles keeps only the cases that do not need them.
        return [c for c in cases if c.article_key is None or c.article_key in self.by_key]

    def unreachable_keys(self) -> frozenset[str]:
        """Articles a well-behaved crawler with sources.yml settings cannot get (slow, oversized)."""
        return frozenset({f"ledger/{LEDGER_SLOW}", f"ledger/{LEDGER_HUGE}"}) & frozenset(self.by_key)


# ================================================================ HTTP


def _not_modified(request_headers: Mapping[str, str], response: Response) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    inm = request_headers.get("If-None-Match")
    if inm is not None:
        tags = {tag.strip().removeprefix("W/") for tag in inm.split(",")}
        return response.etag is not None and (response.etag in tags or "*" in tags)
    ims = request_headers.get("If-Modified-Since")
    if ims is not None and response.last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return response.last_modified.replace(microsecond=0) <= since
    return False


def _wants_gzip(request_headers: Mapping[str, str], key: str, response: Response) -> bool:
    """The modern outlets compress for clients that ask; the old ones never do."""
    accepted = request_headers.get("Accept-Encoding", "")
    return (
        response.status == 200
        and bool(response.body)
        and key.split("/")[1] in GZIP_OUTLETS
        and "gzip" in {part.split(";")[0].strip() for part in accepted.split(",")}
    )


def _gzipped(response: Response) -> Response:
    # mtime=0 keeps the bytes deterministic; a distinct ETag per representation, as RFC 9110 asks.
    etag = response.etag[:-1] + '-gz"' if response.etag else None
    return replace(response, body=gzip.compress(response.body, mtime=0), etag=etag, content_encoding="gzip")


class _Handler(BaseHTTPRequestHandler):
    server_version = "FixtureNews/1.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        fixture: FixtureServer = self.server.fixture  # type: ignore[attr-defined]
        site = fixture.site
        arrived = time.monotonic()
        headers = {name: self.headers[name] for name in SELECTED_HEADERS if self.headers.get(name) is not None}
        key = site.route_key(self.path)
        response = site.respond(self.path)
        if send_body and key in site.flaky_paths and fixture._count_hit(key) == 1:
            response = Response(500, t.error_page(500).encode("utf-8"))
        if _wants_gzip(headers, key, response):
            response = _gzipped(response)
        status = response.status
        if status == 200 and _not_modified(headers, response):
            status = 304
        fixture._record(RecordedRequest(self.command, self.path, MappingProxyType(headers), status, arrived))
        if response.delay_seconds:
            time.sleep(response.delay_seconds)
        try:
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", response.content_type)
            if response.location:
                self.send_header("Location", response.location)
            if response.content_encoding:
                self.send_header("Content-Encoding", response.content_encoding)
            if key.split("/")[1] in GZIP_OUTLETS:
                self.send_header("Vary", "Accept-Encoding")
            if response.etag:
                self.send_header("ETag", response.etag)
            if response.last_modified:
                self.send_header("Last-Modified", t.http_date(response.last_modified))
            if status == 304:
                self.end_headers()
                return
            if response.send_length:
                self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if send_body:
                view = memoryview(response.body)
                for start in range(0, len(view), 65536):
                    self.wfile.write(view[start : start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # a crawler that stops reading a huge page is doing the right thing

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.fixture.verbose:  # type: ignore[attr-defined]
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default backlog of 5 makes concurrent crawlers wait for SYN retries
    fixture: FixtureServer


class FixtureServer:
    """The fixture sites on 127.0.0.1, in a daemon thread. Use as a context manager."""

    def __init__(
        self,
        port: int = 0,
        *,
        articles: Sequence[FixtureArticle] | None = None,
        crawl_delay: int = 0,
        slow_seconds: float = SLOW_SECONDS,
        verbose: bool = False,
    ) -> None:
        self.port = port
        self.verbose = verbose
        self._articles = tuple(articles) if articles is not None else default_corpus()
        self._custom_corpus = articles is not None  # a test's own corpus need not hold the edge-case articles
        self._crawl_delay = crawl_delay
        self._slow_seconds = slow_seconds
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._requests: list[RecordedRequest] = []
        self._hits: Counter[str] = Counter()
        self._state_lock = threading.Lock()
        self.site: FixtureSite

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("FixtureServer is not running")
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> FixtureServer:
        httpd = _HTTPServer((HOST, self.port), _Handler)
        httpd.fixture = self
        self._httpd = httpd
        self.site = FixtureSite(
            self._articles,
            self.base_url,
            crawl_delay=self._crawl_delay,
            slow_seconds=self._slow_seconds,
            require_edge_articles=not self._custom_corpus,
        )
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fixture-sites-{self.base_url}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ request log and state

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state_lock:
            return list(self._requests)

    def requests_for(self, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def reset(self) -> None:
        """Forget the request log and per-path state (the 500-then-200 page fails again)."""
        with self._state_lock:
            self._requests.clear()
            self._hits.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._state_lock:
            self._requests.append(request)

    def _count_hit(self, key: str) -> int:
        with self._state_lock:
            self._hits[key] += 1
            return self._hits[key]


def bench() -> None:
    """Print start-up and serving figures (a command, not an assertion on time)."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    default_corpus.cache_clear()
    with FixtureServer(port=0) as srv:
        urllib.request.urlopen(srv.url("/robots.txt")).read()
        print(f"load {len(srv.site.articles)} articles + start + first response: {time.perf_counter() - started:.3f} s")
        skip = srv.site.unreachable_keys()
        paths = [a.path for a in srv.site.articles if a.key not in skip and a.path not in srv.site.flaky_paths]

        def get(path: str) -> int:
            return len(urllib.request.urlopen(srv.url(path)).read())

        for label in ("cold, sequential", "warm, sequential"):
            t0 = time.perf_counter()
            total = sum(map(get, paths))
            print(f"{len(paths)} article pages ({total / 1e6:.2f} MB), {label}: {time.perf_counter() - t0:.3f} s")
        t0 = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            sum(pool.map(get, paths))
        print(f"{len(paths)} article pages, 8 client threads: {time.perf_counter() - t0:.3f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the offline fixture news sites on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (default 8765)")
    parser.add_argument("--crawl-delay", type=int, default=0, help="Crawl-delay for User-agent: * in robots.txt")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--bench", action="store_true", help="print start-up and serving figures, then exit")
    args = parser.parse_args(argv)
    if args.bench:
        bench()
        return 0
    with FixtureServer(port=args.port, crawl_delay=args.crawl_delay, verbose=args.verbose) as srv:
        print(srv.base_url, flush=True)
        print(f"  export NEWSEVENTS_FIXTURE_URL={srv.base_url}", file=sys.stderr, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
