"""Find article URLs in RSS/Atom feeds, XML sitemaps and homepages. Pure: bytes in, links out."""

from __future__ import annotations

import calendar
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from transforms.records import Link
from transforms.urls import normalize_url

# Feeds and sitemaps are untrusted XML: no entities, no network, no DTDs.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False)
_NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "topic",
        "topics",
        "category",
        "categories",
        "section",
        "author",
        "authors",
        "about",
        "contact",
        "login",
        "signin",
        "register",
        "subscribe",
        "account",
        "search",
        "privacy",
        "terms",
        "cookies",
        "newsletter",
        "newsletters",
        "jobs",
        "advertise",
        "feed",
        "rss",
        "sitemap",
        "video",
        "videos",
        "gallery",
        "galleries",
        "podcast",
        "podcasts",
        "live-tv",
        "weather",
    }
)
# The sitemap protocol's own limit on an uncompressed sitemap.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){2,}")
_ARTICLE_ID = re.compile(r"\d{4,}")


@dataclass(frozen=True)
class SitemapResult:
    links: tuple[Link, ...]
    child_sitemaps: tuple[str, ...]


def parse_feed(body: bytes, feed_url: str, source_id: str) -> list[Link]:
    """Article links of an RSS 0.9x/1.0/2.0 or Atom feed, with their entry dates (UTC)."""
    parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    links: list[Link] = []
    for entry in parsed.entries:
        url = normalize_url(entry.get("link") or entry.get("id") or "", base=feed_url)
        if not url:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = _from_struct(stamp) if stamp else None
        links.append(
            Link(url=url, source_id=source_id, found_in=feed_url, published_at=published, title=entry.get("title"))
        )
    return _dedupe(links)


def gunzip_bounded(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes | None:
    """A gzip file's content, or None when it is corrupt or inflates past `limit` (a gzip bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error:
        return None
    return None if len(data) > limit or inflater.unconsumed_tail else data


def parse_sitemap(body: bytes, sitemap_url: str, source_id: str) -> SitemapResult:
    """Links of a <urlset> (plain or Google News) and child sitemaps of a <sitemapindex>.

    A `.xml.gz` sitemap is often served as a gzip file without Content-Encoding: the bytes are
    inflated here (bounded), whatever the URL or headers said."""
    if body[:2] == b"\x1f\x8b":
        inflated = gunzip_bounded(body)
        if inflated is None:
            return SitemapResult((), ())
        body = inflated
    try:
        root = etree.fromstring(body, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return SitemapResult((), ())
    if root is None:
        return SitemapResult((), ())
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        children = [normalize_url(_text(node, "loc") or "", base=sitemap_url) for node in _children(root, "sitemap")]
        return SitemapResult((), tuple(c for c in children if c))
    links: list[Link] = []
    for node in _children(root, "url"):
        url = normalize_url(_text(node, "loc") or "", base=sitemap_url)
        if not url:
            continue
        stamp = _descendant_text(node, "publication_date") or _text(node, "lastmod")
        title = _descendant_text(node, "title")
        links.append(
            Link(
                url=url, source_id=source_id, found_in=sitemap_url, published_at=parse_w3c_datetime(stamp), title=title
            )
        )
    return SitemapResult(tuple(_dedupe(links)), ())


def parse_homepage(body: str, homepage_url: str, source_id: str) -> list[Link]:
    """Links on a homepage that look like articles of the same site."""
    try:
        doc = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    links = []
    for anchor in doc.iter("a"):
        url = normalize_url(anchor.get("href") or "", base=homepage_url)
        if url and looks_like_article_url(url, homepage_url):
            text = " ".join(anchor.text_content().split()) or None
            links.append(Link(url=url, source_id=source_id, found_in=homepage_url, title=text))
    return _dedupe(links)


def looks_like_article_url(url: str, homepage_url: str) -> bool:
    """Same site, below the homepage path, and a path that reads like a story (slug or id)."""
    parts, home = urlsplit(url), urlsplit(homepage_url)
    if parts.netloc != home.netloc or not parts.path.startswith(home.path.rstrip("/") or "/"):
        return False
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments or normalize_url(url) == normalize_url(homepage_url):
        return False
    if any(s in _NON_ARTICLE_SEGMENTS for s in segments):
        return False
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1])
    return bool(_SLUG.search(last) or _ARTICLE_ID.search(last) or _ARTICLE_ID.search(parts.query))


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A sitemap/feed timestamp ('2026-11-14', '2026-11-14T07:45:00+03:00', 'Z') as naive UTC."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _from_struct(stamp) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC).replace(tzinfo=None)
    except (OverflowError, ValueError, TypeError):
        return None


def _children(node, name: str):
    return [child for child in node if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _text(node, name: str) -> str | None:
    for child in _children(node, name):
        return (child.text or "").strip() or None
    return None


def _descendant_text(node, name: str) -> str | None:
    for child in node.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip() or None
    return None


def _dedupe(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique
