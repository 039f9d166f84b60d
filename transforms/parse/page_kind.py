"""Article or not: the signals of a page (declared types, teaser cards, link density) and the
reason a page is rejected."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import html as lxml_html

from transforms.parse.dates import (
    ARTICLE_TYPES,
    schema_types,
)
from transforms.parse.language import TOKEN
from transforms.records import ParseRejection

log = logging.getLogger(__name__)

# Below this many characters of body text a page is not worth keeping (a caption, a teaser).
MIN_TEXT_CHARS = 250
# A page that declares itself an article may be a short brief.
MIN_TEXT_CHARS_DECLARED = 120

# Types that describe a whole page that is not a story; VideoObject etc. only count when no
# article type is present (articles often embed a VideoObject).
NON_ARTICLE_PAGE_TYPES = frozenset(
    t.lower()
    for t in (
        "CollectionPage",
        "ItemList",
        "SearchResultsPage",
        "ProfilePage",
        "VideoObject",
        "VideoGallery",
        "AboutPage",
        "ContactPage",
    )
)
NON_ARTICLE_OG_PREFIXES = ("video", "profile", "music", "book", "product")


# ---------------------------------------------------------------- page signals


@dataclass(frozen=True)
class PageSignals:
    """What the markup says about the page kind, for the article/non-article decision."""

    declared_article: bool
    declared_other: str | None  # e.g. "jsonld:collectionpage", "og:video.other"
    link_density: float  # anchor text / all text in <body>
    teasers: tuple[str, ...]  # texts of teaser cards: a headline link plus a short blurb
    body_chars: int


_BOILERPLATE_TAGS = frozenset({"nav", "footer", "header", "aside"})
HEADLINE_MIN_WORDS = 4
TEASER_MAX_CHARS = 400  # a card's headline + blurb; longer blocks are prose
TEASER_MIN_LINK_SHARE = 0.25  # the headline is a big part of a card, unlike a link inside prose


def _words(element: lxml_html.HtmlElement) -> str:
    # itertext with a separator: "Africa" + "Police raise..." must not fuse into one word
    return " ".join(" ".join(element.itertext()).split())


def _teaser_cards(body: lxml_html.HtmlElement) -> tuple[str, ...]:
    """Texts of blocks made of one headline link and a short blurb (index, tag, section pages)."""
    cards: list[str] = []
    # each container is judged once (a mega-menu div holds hundreds of links); the elements
    # themselves are the keys, since lxml proxies' id() is reused
    judged: set[lxml_html.HtmlElement] = set()
    texts: dict[lxml_html.HtmlElement, str] = {}

    def words(element: lxml_html.HtmlElement) -> str:
        if element not in texts:
            texts[element] = _words(element)
        return texts[element]

    for anchor in body.iter("a"):
        link_text = words(anchor)
        if len(link_text.split()) < HEADLINE_MIN_WORDS:
            continue
        if any(a.tag in _BOILERPLATE_TAGS for a in anchor.iterancestors()):
            continue
        container = anchor.getparent()
        for _ in range(3):  # the card is the nearest ancestor that holds more than the link
            if container is None or len(words(container)) > len(link_text) + 20:
                break
            container = container.getparent()
        if container is None or container in judged or container.tag in ("body", "html"):
            continue
        judged.add(container)
        card_text = words(container)
        if len(card_text) > TEASER_MAX_CHARS or len(link_text) < TEASER_MIN_LINK_SHARE * len(card_text):
            continue
        headline_links = sum(1 for a in container.iter("a") if len(words(a).split()) >= HEADLINE_MIN_WORDS)
        if headline_links == 1:
            cards.append(card_text)
    return tuple(cards)


def page_signals(tree: lxml_html.HtmlElement, jsonld: list[dict]) -> PageSignals:
    types: set[str] = set()
    for obj in jsonld:
        types |= schema_types(obj)
    og_type = ""
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:type":
            og_type = (meta.get("content") or "").strip().lower()
            break
    declared_article = bool(types & ARTICLE_TYPES) or og_type == "article"
    declared_other = None
    if not declared_article:
        if page_types := sorted(types & NON_ARTICLE_PAGE_TYPES):
            declared_other = f"jsonld:{page_types[0]}"
        elif og_type.startswith(NON_ARTICLE_OG_PREFIXES):
            declared_other = f"og:{og_type}"

    body = tree.find("body")
    body_chars = anchor_chars = 0
    teasers: tuple[str, ...] = ()
    if body is not None:
        for element in body.iter("script", "style", "noscript", "template"):
            element.text = None
        body_chars = len(_words(body))
        anchor_chars = sum(len(_words(anchor)) for anchor in body.iter("a"))
        teasers = _teaser_cards(body)
    return PageSignals(
        declared_article=declared_article,
        declared_other=declared_other,
        link_density=anchor_chars / body_chars if body_chars else 0.0,
        teasers=teasers,
        body_chars=body_chars,
    )


MIN_TEASERS = 4
# a page typed as video/collection/profile is kept only if it also carries a real text
DECLARED_OTHER_MAX_CHARS = 600
LINK_FARM_DENSITY = 0.6
LINK_FARM_MAX_TEXT_CHARS = 1000
# share of the extracted text found in teaser cards that makes a page an index; stricter when the
# page calls itself an article (some CMSs put og:type=article on every page)
INDEX_TEXT_SHARE = 0.5
INDEX_TEXT_SHARE_DECLARED = 0.8
INDEX_TEXT_SHARE_FEW_CARDS = 0.9


def _trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = [t.lower() for t in TOKEN.findall(text)]
    return {tuple(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))}


def teaser_share(text: str, teasers: tuple[str, ...]) -> float:
    """Share of the text (by length) in paragraphs that come from teaser cards.

    Compared by word trigrams, not substrings: extractors glue a card's label to its blurb
    ("EuropeRail, schools...") or keep a trailing "more »".
    """
    if not text or not teasers:
        return 0.0
    card_grams: set[tuple[str, ...]] = set()
    for teaser in teasers:
        card_grams |= _trigrams(teaser)
    inside = total = 0
    for paragraph in text.split("\n\n"):
        grams = _trigrams(paragraph)
        total += len(paragraph)
        if grams and len(grams & card_grams) >= 0.7 * len(grams):
            inside += len(paragraph)
    return inside / total if total else 0.0


def reject_reason(signals: PageSignals, text: str) -> ParseRejection | None:
    """Why this page is not an article worth keeping, or None if it is one."""
    n = len(text)
    if signals.declared_other and n < DECLARED_OTHER_MAX_CHARS:
        return ParseRejection("not_article", f"page declares {signals.declared_other}; {n} chars of text")
    if len(signals.teasers) >= 2:
        share = teaser_share(text, signals.teasers)
        needed = INDEX_TEXT_SHARE_DECLARED if signals.declared_article else INDEX_TEXT_SHARE
        many = len(signals.teasers) >= MIN_TEASERS
        # few cards count too when they are nearly all the text there is (a thin section front)
        if (many and (share >= needed or (n < MIN_TEXT_CHARS and not signals.declared_article))) or (
            share >= INDEX_TEXT_SHARE_FEW_CARDS
        ):
            return ParseRejection(
                "not_article",
                f"index page: {len(signals.teasers)} teaser cards hold {share:.0%} of {n} chars of text",
            )
    # a link farm; a real story on a page with a huge menu still has its own paragraphs
    if (
        not signals.declared_article
        and signals.link_density > LINK_FARM_DENSITY
        and n < LINK_FARM_MAX_TEXT_CHARS
        and signals.body_chars > 300
    ):
        return ParseRejection("not_article", f"link density {signals.link_density:.2f}")
    if n == 0:
        return ParseRejection("empty_text", "no body text found")
    if n < (MIN_TEXT_CHARS_DECLARED if signals.declared_article else MIN_TEXT_CHARS):
        return ParseRejection("empty_text", f"body text too short ({n} chars)")
    return None
