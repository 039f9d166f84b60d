"""Parse an archived HTML page into an Article, or say why it is not one.

Pure: bytes and a URL in, a record out; no network, no downloads, no global state beyond caches.
One module per job:

- decoding: bytes to text (shared with the fetcher and the crawler)
- markup: the cleaned HTML tree and the per-page time budget
- body: the body text (trafilatura first, newspaper3k as the fallback; alternatives for the benchmark)
- language: declared or guessed language
- page_kind: article or not, and why not
- metadata: title, authors, canonical URL, top image
- dates: the publication date (page metadata before the URL)
"""

from __future__ import annotations

import logging

from transforms.parse.body import (
    DEFAULT_TEXT_STRATEGY,
    TEXT_STRATEGIES,
    TextInput,
    finish_text,
    newspaper_authors,
    newspaper_title,
    prepare_markup,
    prose_chars,
)
from transforms.parse.dates import (
    find_published_at,
    jsonld_objects,
)
from transforms.parse.decoding import decode_html, looks_binary
from transforms.parse.language import choose_language, declared_language, guess_language
from transforms.parse.markup import (
    MAX_MARKUP_CHARS,
    PARSE_BUDGET_SECONDS,
    Budget,
    ParseTimeout,
    build_tree,
    check_budget,
    clean_field,
    clean_markup,
    strip_scripts,
)
from transforms.parse.metadata import (
    canonical_link,
    jsonld_authors,
    meta_authors,
    meta_content,
    page_title,
    strip_site_name,
)
from transforms.parse.page_kind import page_signals, reject_reason
from transforms.records import Article, ParsedPage, ParseRejection

log = logging.getLogger(__name__)

# Bump when the output for the same HTML would change (extractor choice, thresholds, date order).
PARSER_VERSION = "parse-1.1"
# What a page with no article gives (its fields for batch evaluation are empty).
EMPTY_ARTICLE = Article(
    title=None,
    authors=(),
    published_at=None,
    published_at_source=None,
    language=None,
    text="",
    text_extractor="none",
    top_image=None,
    canonical_url=None,
)


# ---------------------------------------------------------------- the parse


def analyse_markup(
    markup: str, url: str, *, encoding: str = "utf-8", strategy: str = DEFAULT_TEXT_STRATEGY
) -> ParsedPage:
    """The parse of already-decoded HTML. Raises only on bugs; parse_page wraps it."""
    empty = EMPTY_ARTICLE
    markup = clean_markup(markup)
    if len(markup) > MAX_MARKUP_CHARS:
        # inline scripts and data blobs are what make pages huge; the story is never that long
        markup = strip_scripts(markup)[:MAX_MARKUP_CHARS]
    tree = build_tree(markup) if markup.strip() else None
    if tree is None:
        return ParsedPage(empty, ParseRejection("empty_text", "document is empty"), encoding)

    check_budget()
    jsonld = jsonld_objects(tree)
    title = page_title(tree, newspaper_title(tree), jsonld)
    authors = jsonld_authors(jsonld) or meta_authors(tree) or newspaper_authors(tree)
    canonical_url = canonical_link(tree)
    top_image = meta_content(tree, "og:image", "twitter:image", "twitter:image:src")
    declared = declared_language(tree, jsonld)
    body = tree.find("body")
    # newspaper3k scores paragraphs by stopwords: it needs the language before it extracts
    language_hint = declared or guess_language(body.text_content()[:5000] if body is not None else "")

    check_budget()
    # the text strategy gets the markup string: each extractor builds and mutates its own tree
    result = TEXT_STRATEGIES[strategy](TextInput(prepare_markup(markup), url, language_hint, prose_chars(tree)))
    check_budget()
    text = clean_field(finish_text(result.text, title, tree)) or ""
    language = choose_language(declared, text)
    signals = page_signals(tree, jsonld)  # clears scripts: after jsonld/metadata
    check_budget()
    published_at, published_source = find_published_at(tree, url, title)  # drops canonical: last

    title = clean_field(title)
    authors = tuple(a for a in (clean_field(a) for a in authors) if a)
    top_image, canonical_url = clean_field(top_image), clean_field(canonical_url)
    article = Article(
        title=title,
        authors=authors,
        published_at=published_at,
        published_at_source=published_source,
        language=language,
        text=text,
        text_extractor=result.extractor if text else "none",
        top_image=top_image,
        canonical_url=canonical_url,
    )
    return ParsedPage(article, reject_reason(signals, text), encoding)


def analyse_page(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    strategy: str = DEFAULT_TEXT_STRATEGY,
    budget_seconds: float = PARSE_BUDGET_SECONDS,
) -> ParsedPage:
    """Decode and parse within `budget_seconds`; never raises (a failure becomes a parser_error
    rejection, a page over its budget a parse_timeout one)."""
    empty = EMPTY_ARTICLE
    try:
        with Budget(budget_seconds):
            return _analyse_page(body, url, content_type, strategy, empty)
    except ParseTimeout:
        log.warning("parse of %s exceeded its %.0f s budget", url, budget_seconds)
        return ParsedPage(empty, ParseRejection("parse_timeout", f"parse exceeded {budget_seconds:g}s"), "")


def _analyse_page(body, url, content_type, strategy, empty) -> ParsedPage:
    try:
        if not body or not body.strip():
            return ParsedPage(empty, ParseRejection("empty_text", "empty document"), "")
        if isinstance(body, str):  # already decoded by the caller
            markup, encoding = body, "utf-8"
        else:
            markup, encoding = decode_html(body, content_type)
        if looks_binary(markup):
            return ParsedPage(
                empty,
                ParseRejection("undecodable", f"binary or undecodable content as {encoding}"),
                encoding,
            )
        return analyse_markup(markup, url, encoding=encoding, strategy=strategy)
    except RecursionError:
        return ParsedPage(empty, ParseRejection("parser_error", "document nested too deeply"), "")
    except ParseTimeout:
        raise
    except Exception as exc:  # one bad page must never stop a batch; the reason is kept
        log.warning("parse failed for %s: %s: %s", url, type(exc).__name__, exc)
        return ParsedPage(empty, ParseRejection("parser_error", f"{type(exc).__name__}: {exc}"[:500]), "")


def parse_page(body: bytes, url: str, *, content_type: str | None = None) -> Article | ParseRejection:
    """An Article, or a ParseRejection (not_article | empty_text | undecodable | parser_error |
    parse_timeout)."""
    parsed = analyse_page(body, url, content_type=content_type)
    return parsed.rejection or parsed.article


def article_to_json(article: Article) -> dict:
    """The JSON shape printed by `newsevents parse`."""
    return {
        "title": article.title,
        "authors": list(article.authors),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "published_at_source": article.published_at_source,
        "language": article.language,
        "text": article.text,
        "text_extractor": article.text_extractor,
    }


__all__ = [
    "PARSER_VERSION",
    "DEFAULT_TEXT_STRATEGY",
    "TEXT_STRATEGIES",
    "ParsedPage",
    "analyse_page",
    "analyse_markup",
    "article_to_json",
    "decode_html",
    "guess_language",
    "parse_page",
    "strip_scripts",
    "strip_site_name",
]
