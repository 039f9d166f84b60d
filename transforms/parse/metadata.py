"""Title, authors, canonical URL and top image from JSON-LD, meta tags and newspaper3k."""

from __future__ import annotations

import logging
import re

from lxml import html as lxml_html

from transforms.parse.dates import (
    ARTICLE_TYPES,
    schema_types,
)

log = logging.getLogger(__name__)


def _first_str(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def jsonld_authors(objects: list[dict]) -> tuple[str, ...]:
    names: list[str] = []
    for obj in objects:
        if not schema_types(obj) & ARTICLE_TYPES:
            continue
        raw = obj.get("author")
        for item in raw if isinstance(raw, list) else [raw]:
            name = _first_str(item)
            if name and not name.startswith("http") and name not in names:
                names.append(name)
    return tuple(names[:10])


_AUTHOR_META_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
)


def meta_authors(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    """Author names from meta tags (URLs, as Facebook's article:author often is, are skipped)."""
    names: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in _AUTHOR_META_KEYS:
            value = " ".join((meta.get("content") or "").split())
            value = re.sub(r"^by\s+", "", value, flags=re.IGNORECASE)
            for name in re.split(r"\s*(?:,|;|\band\b|&)\s*", value):
                if name and "://" not in name and len(name) <= 80 and name not in names:
                    names.append(name)
    return tuple(names[:10])


def meta_content(tree: lxml_html.HtmlElement, *keys: str) -> str | None:
    wanted = set(keys)
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in wanted:
            if content := (meta.get("content") or "").strip():
                return content
    return None


_TITLE_SEPARATOR = re.compile(r"\s+(?:\||–|—|-{1,2}|::|»|·|•)\s+")
MAX_TITLE_CHARS = 300
SITE_NAME_MAX_WORDS = 6


def strip_site_name(title: str) -> str:
    """ "Headline | Outlet" / "Outlet :: Headline" → "Headline" (the shorter, name-like side goes)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _TITLE_SEPARATOR.findall(title)
    head = title[: title.rfind(separators[-1])]
    tail = parts[-1]
    if len(tail.split()) <= SITE_NAME_MAX_WORDS and len(tail) < len(head):
        return head.strip()
    first = parts[0]
    rest = title[len(first) + len(separators[0]) :]
    if len(first.split()) <= SITE_NAME_MAX_WORDS and len(first) < len(rest):
        return rest.strip()
    return title


def _clean_title(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text if 0 < len(text) <= MAX_TITLE_CHARS else None


def page_title(tree: lxml_html.HtmlElement, newspaper_title: str, jsonld: list[dict]) -> str | None:
    """JSON-LD headline, og:title, an <h1> that the <title> repeats, newspaper3k, then <title>."""
    for obj in jsonld:
        if schema_types(obj) & ARTICLE_TYPES and (headline := _clean_title(_first_str(obj.get("headline")))):
            return headline
    if og := _clean_title(meta_content(tree, "og:title", "twitter:title")):
        return strip_site_name(og)
    title_element = tree.find(".//title")
    page_title = _clean_title(title_element.text_content()) if title_element is not None else None
    for h1 in tree.iter("h1"):
        if (heading := _clean_title(h1.text_content())) and (
            page_title is None or heading.lower() in page_title.lower()
        ):
            return heading
        break
    news = _clean_title(newspaper_title)
    if news and news != page_title:
        return news  # newspaper3k already cut the site name off
    if page_title:
        return strip_site_name(page_title)
    return news


def canonical_link(tree: lxml_html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (href := link.get("href")):
            return href.strip()
    return meta_content(tree, "og:url")
