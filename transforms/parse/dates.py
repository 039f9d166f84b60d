"""Publication dates and structured metadata from an HTML tree.

The order is deliberate: JSON-LD `datePublished`, then meta tags (OpenGraph/article, itemprop,
Dublin Core, common CMS names), then the visible page (htmldate, extensive search, without the URL),
and the URL only last. newspaper3k looks at the URL first, which goes wrong when a CMS files a story
under the day it was created or an archive path; a date stated by the page wins over one in the URL.

All datetimes returned are naive UTC. A date without a time is midnight; a datetime without an offset
is taken as UTC, since nothing on the page says otherwise.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser
from lxml import html as lxml_html

log = logging.getLogger(__name__)

# Schema.org types that are articles (for dates and for the article/non-article decision).
ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article",
        "NewsArticle",
        "ReportageNews",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "SatiricalArticle",
        "ScholarlyArticle",
        "TechArticle",
        "SocialMediaPosting",
        "DiscussionForumPosting",
    )
)

# Meta tags carrying the publication date, best first. Keys are lower-cased attribute values of
# property= / name= / itemprop= / http-equiv=.
PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "datepublished",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "article.published",
    "original-publish-date",
    "rnews:datepublished",
    "date",
)
_META_RANK = {key: rank for rank, key in enumerate(PUBLISHED_META_KEYS)}

# Earliest date we accept as a news publication date; anything later than now + 2 days is a typo
# or an event date ("the summit on 3 March 2031"), not a publication date.
MIN_DATE = datetime(1995, 1, 1)
FUTURE_SLACK = timedelta(days=2)

_URL_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[/_.-]?(0[1-9]|1[0-2])[/_.-]?(0[1-9]|[12][0-9]|3[01])(?![0-9])")
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_CANONICAL_XPATH = (
    '//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", "canonical")), " "), " canonical ")]'
)


# ---------------------------------------------------------------- datetime parsing


def to_utc_naive(value: datetime) -> datetime:
    """Aware → UTC naive; naive is taken as UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def plausible(value: datetime, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return MIN_DATE <= value <= now + FUTURE_SLACK


def parse_datetime(text: str | None) -> datetime | None:
    """Parse an ISO-8601 or common written date into naive UTC, or None. Never raises."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 80:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            # default= fills missing fields; a string without a year is not a usable date
            if not re.search(r"(?:19|20)[0-9]{2}", text):
                return None
            value = dateutil_parser.parse(text, default=datetime(2000, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
    try:
        value = to_utc_naive(value)
    except (OverflowError, ValueError):
        return None
    return value if plausible(value) else None


# ---------------------------------------------------------------- JSON-LD


def _walk(node: object) -> Iterator[dict]:
    """Every dict in a JSON-LD document (handles @graph, lists, nested mainEntity)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def jsonld_blocks(tree: lxml_html.HtmlElement) -> list[str]:
    return [
        (script.text or "")
        for script in tree.iter("script")
        if (script.get("type") or "").strip().lower() == "application/ld+json"
    ]


def jsonld_objects(tree: lxml_html.HtmlElement) -> list[dict]:
    """All JSON-LD objects of the page; blocks that are not valid JSON are skipped."""
    objects: list[dict] = []
    for block in jsonld_blocks(tree):
        try:
            data = json.loads(block.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        objects.extend(_walk(data))
    return objects


def schema_types(obj: dict) -> set[str]:
    raw = obj.get("@type")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return set()
    # "http://schema.org/NewsArticle" and "schema:NewsArticle" both occur
    return {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in raw}


def jsonld_published(tree: lxml_html.HtmlElement) -> datetime | None:
    objects = jsonld_objects(tree)
    articles = [o for o in objects if schema_types(o) & ARTICLE_TYPES]
    for obj in articles + [o for o in objects if o not in articles]:
        value = obj.get("datePublished")
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and (parsed := parse_datetime(value)):
            return parsed
    # broken JSON (trailing commas, bad escapes) still often carries a readable date
    for block in jsonld_blocks(tree):
        if (match := _JSON_DATE.search(block)) and (parsed := parse_datetime(match.group(1))):
            return parsed
    return None


# ---------------------------------------------------------------- meta tags


def meta_published(tree: lxml_html.HtmlElement) -> datetime | None:
    candidates: list[tuple[int, int, str]] = []
    for position, element in enumerate(tree.xpath("//meta | //*[@itemprop]")):
        if element.tag == "meta":
            keys = (element.get("property"), element.get("name"), element.get("itemprop"), element.get("http-equiv"))
            value = element.get("content")
        else:
            # microdata on visible elements: <time itemprop="datePublished" datetime="...">
            keys = (element.get("itemprop"),)
            value = element.get("datetime") or element.get("content") or element.text_content()
        for key in keys:
            rank = _META_RANK.get((key or "").strip().lower())
            if rank is not None and value:
                candidates.append((rank, position, value))
    for _, _, value in sorted(candidates):
        if parsed := parse_datetime(value):
            return parsed
    return None


# ---------------------------------------------------------------- visible page (htmldate)


def _without_canonical(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """htmldate reads a date from the canonical URL when no URL is given; we want the page only."""
    for link in tree.xpath(_CANONICAL_XPATH):
        link.drop_tree()
    for meta in tree.xpath('//meta[@property="og:url" or @name="og:url"]'):
        meta.drop_tree()
    return tree


def _htmldate(tree: lxml_html.HtmlElement) -> datetime | None:
    from htmldate import find_date  # heavy import, only when the metadata had nothing

    try:
        found = find_date(tree, extensive_search=True, original_date=True, outputformat="%Y-%m-%d", url=None)
    except Exception as exc:  # htmldate has many internal edge cases; a date is optional
        log.debug("htmldate failed: %s", exc)
        return None
    return parse_datetime(found) if found else None


_SKIP_TEXT_PARENTS = frozenset({"script", "style", "noscript", "template", "title"})
BYLINE_BEFORE_NODES = 3  # a dateline above the headline ("Friday, November 13, 2026")
BYLINE_AFTER_CHARS = 500  # text below it that may hold the byline (standfirst included)
BYLINE_AFTER_NODES = 12
BYLINE_MAX_NODE_CHARS = 150  # a longer text node is body copy, not a byline


def _headline_index(nodes: list, headline: str | None) -> int | None:
    """Index of the text node holding the headline: the page's title text, else the first <h1>."""
    wanted = " ".join((headline or "").split()).lower()
    if len(wanted) >= 15:
        for index, node in enumerate(nodes):
            text = " ".join(str(node).split()).lower()
            if len(text) >= 15 and (text == wanted or text in wanted or wanted in text):
                return index
    for index, node in enumerate(nodes):
        parent = node.getparent()
        if parent is not None and (parent.tag == "h1" or any(a.tag == "h1" for a in parent.iterancestors())):
            return index
    return None


def byline_published(tree: lxml_html.HtmlElement, headline: str | None) -> datetime | None:
    """Date written next to the headline (byline/dateline), read by htmldate from that text only.

    A whole-page search picks up dates of related stories, comments and sidebars; the byline is
    where the page states its own date.
    """
    body = tree.find("body")
    if body is None:
        return None
    nodes = [
        node
        for node in body.xpath(".//text()[normalize-space()]")
        if node.getparent() is not None and node.getparent().tag not in _SKIP_TEXT_PARENTS
    ]
    index = _headline_index(nodes, headline)
    if index is None:
        return None
    window = [
        n for n in nodes[max(0, index - BYLINE_BEFORE_NODES) : index] if len(str(n).strip()) <= BYLINE_MAX_NODE_CHARS
    ]
    total = 0
    for node in nodes[index + 1 : index + 1 + BYLINE_AFTER_NODES]:
        text = str(node).strip()
        if total > BYLINE_AFTER_CHARS:
            break
        total += len(text)
        if len(text) <= BYLINE_MAX_NODE_CHARS:  # a standfirst may sit between headline and byline
            window.append(node)
    for node in window:  # <time datetime="..."> in the byline carries hour and offset
        parent = node.getparent()
        if parent.tag == "time" and (stamp := parse_datetime(parent.get("datetime"))):
            return stamp
    if not window:
        return None
    texts = [" ".join(str(node).split()) for node in window]
    fragment = lxml_html.document_fromstring("<html><body><div></div></body></html>")
    holder = fragment.find(".//div")
    for text in texts:
        paragraph = lxml_html.Element("p")
        paragraph.text = text
        holder.append(paragraph)
    day = _htmldate(fragment)
    if day is None:
        return None
    return byline_time(texts, day) or day


# Zone names newsrooms print after a byline time, as UTC offsets in minutes. Ambiguous names take
# their most common news-site meaning (IST = India, CST = US Central); unknown names are ignored.
ZONE_OFFSETS_MINUTES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "CET": 60,
    "WAT": 60,
    "WEST": 60,
    "CEST": 120,
    "CAT": 120,
    "SAST": 120,
    "EET": 120,
    "EEST": 180,
    "EAT": 180,
    "MSK": 180,
    "TRT": 180,
    "AST": 180,
    "IRST": 210,
    "GST": 240,
    "AFT": 270,
    "PKT": 300,
    "IST": 330,
    "NPT": 345,
    "BDT": 360,
    "MMT": 390,
    "ICT": 420,
    "WIB": 420,
    "SGT": 480,
    "HKT": 480,
    "PHT": 480,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "ART": -180,
    "BRT": -180,
    "EDT": -240,
    "EST": -300,
    "COT": -300,
    "PET": -300,
    "CDT": -300,
    "CST": -360,
    "MDT": -360,
    "MST": -420,
    "PDT": -420,
    "PST": -480,
}
_BYLINE_TIME = re.compile(
    r"(?<![\d:.])([01]?\d|2[0-3])\s*[:.h]\s*([0-5]\d)(?::[0-5]\d)?(?![\d.])\s*"
    r"(?P<ampm>[ap]\.?\s?m\b\.?)?\s*\(?\s*"
    r"(?:(?:UTC|GMT)\s*(?P<sign>[+\-\u2212])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?|(?P<zone>[A-Z]{1,5})\b)?",
    re.IGNORECASE,
)
_DATEISH = re.compile(r"(?:19|20)\d{2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def byline_time(texts: list[str], day: datetime) -> datetime | None:
    """The byline's time of day on `day`, in UTC when it names a zone or offset.

    Only a time written in the same text as a date (or right after it) counts, so "12:30" in a
    headline does not. Without a zone the time is taken as UTC, like a datetime without an offset.
    """
    for index, text in enumerate(texts):
        if not _DATEISH.search(text) and not (index and _DATEISH.search(texts[index - 1])):
            continue
        match = _BYLINE_TIME.search(text)
        if not match:
            continue
        hour, minute = int(match.group(1)), int(match.group(2))
        if ampm := match.group("ampm"):
            if hour > 12:
                continue
            hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
        offset = 0
        if match.group("sign"):
            offset = int(match.group("oh")) * 60 + int(match.group("om") or 0)
            offset = -offset if match.group("sign") in "-\u2212" else offset
        elif zone := match.group("zone"):
            offset = ZONE_OFFSETS_MINUTES.get(zone.upper(), 0) if zone.isupper() else 0
        local = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return local - timedelta(minutes=offset)
    return None


def visible_published(tree: lxml_html.HtmlElement, headline: str | None = None) -> datetime | None:
    """Date from the visible page via htmldate (no URL): byline first, then the whole page.

    The tree is modified (canonical links dropped, which htmldate would otherwise read a date from).
    """
    if (found := byline_published(tree, headline)) is not None:
        return found
    return _htmldate(_without_canonical(tree))


# ---------------------------------------------------------------- URL (last resort)


def url_published(url: str | None) -> datetime | None:
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for match in _URL_DATE.finditer(path):
        try:
            value = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        if plausible(value):
            return value
    return None


def find_published_at(
    tree: lxml_html.HtmlElement, url: str | None, headline: str | None = None
) -> tuple[datetime | None, str | None]:
    """(published_at, source) with source in jsonld | meta | htmldate | url, or (None, None).

    `tree` may be modified (the htmldate step drops canonical links); pass a tree you own.
    """
    finders = (
        ("jsonld", jsonld_published),
        ("meta", meta_published),
        ("htmldate", lambda t: visible_published(t, headline)),
    )
    for source, finder in finders:
        try:
            value = finder(tree)
        except Exception as exc:  # one broken block must not cost the other sources
            log.debug("date source %s failed: %s", source, exc)
            value = None
        if value is not None:
            return value, source
    value = url_published(url)
    return (value, "url") if value is not None else (None, None)
