"""The body text: trafilatura, newspaper3k and the strategies that combine them.

The shipped strategy is DEFAULT_TEXT_STRATEGY; the others stay because the quality benchmark
(tests/benchmarks/parse_quality.py) measures each of them against it.
newspaper3k traps handled: never `nlp()`, no `download()` (HTML is passed in), memoize and image
fetching off, and newspaper's module-level `tldextract.extract` (which fetches the public-suffix
list on first use) replaced by an instance that only reads the bundled snapshot."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import html as lxml_html

log = logging.getLogger(__name__)

# The shipped body-text strategy; tests/benchmarks/parse_quality.py measures the alternatives.
# trafilatura-first strategies tie on quality on both measured sets; this one only pays for
# newspaper3k when trafilatura keeps almost nothing, so it is the fastest with a safety net.
DEFAULT_TEXT_STRATEGY = "trafilatura>newspaper3k"

# trafilatura output shorter than this makes us ask newspaper3k too.
FALLBACK_BELOW_CHARS = 500

# ---------------------------------------------------------------- newspaper3k


_newspaper_lock = threading.Lock()
_newspaper_ready = False


def prepare_newspaper() -> None:
    """Import newspaper3k and make its tldextract calls offline (once per process)."""
    global _newspaper_ready
    if _newspaper_ready:
        return
    with _newspaper_lock:
        if _newspaper_ready:
            return
        import types

        import tldextract
        from newspaper import extractors, source, urls

        # suffix_list_urls=() → bundled snapshot only; cache_dir=None → no cache files either
        offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        shim = types.SimpleNamespace(extract=offline, TLDExtract=tldextract.TLDExtract)
        for module in (extractors, source, urls):
            module.tldextract = shim
        _newspaper_ready = True


@lru_cache(maxsize=1)
def _stopword_languages() -> frozenset[str]:
    prepare_newspaper()
    from newspaper import settings

    return frozenset(p.stem.removeprefix("stopwords-") for p in Path(settings.STOPWORDS_DIR).glob("stopwords-*.txt"))


def _newspaper_config(language: str | None):
    from newspaper import Config

    config = Config()
    config.memoize_articles = False
    config.fetch_images = False
    config.follow_meta_refresh = False
    config.keep_article_html = False
    config.MAX_TEXT = 500_000
    # our own language detection beats newspaper's meta reading; unknown languages use English rules
    config.language = language if language in _stopword_languages() else "en"
    return config


def newspaper_title(tree: lxml_html.HtmlElement) -> str:
    """newspaper3k's title heuristics, on our tree (they only read it)."""
    prepare_newspaper()
    from newspaper.extractors import ContentExtractor

    return ContentExtractor(_newspaper_config("en")).get_title(tree) or ""


def newspaper_authors(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    """newspaper3k's byline heuristics (meta author, rel=author, byline classes)."""
    prepare_newspaper()
    from newspaper.extractors import ContentExtractor

    return tuple(ContentExtractor(_newspaper_config("en")).get_authors(tree) or ())


def newspaper_text(markup: str, url: str, language: str | None) -> str:
    """Body text by newspaper3k's full parse (never download(), never nlp())."""
    prepare_newspaper()
    from newspaper import Article as NewspaperArticle

    article = NewspaperArticle(url or "http://localhost/", config=_newspaper_config(language))
    article.download(input_html=markup)
    article.parse()
    return article.text or ""


# Pruned before trafilatura reads the page. Embedded social posts repeat (or contradict) the story
# in someone else's words; a paragraph that is nothing but one link is a "Read also:" teaser.
PRUNE_XPATHS = [
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed') or contains(@class, 'embed') or contains(@class, 'social')]",
    "//div[contains(@class, 'fb-post')]",
    "//p[count(.//a) = 1 and string-length(normalize-space(.//a)) > 0.6 * string-length(normalize-space(.))]",
]
_DOUBLE_BR = re.compile(r"<[bB][rR]\s*/?>(?:\s*<[bB][rR]\s*/?>)+")


def prepare_markup(markup: str) -> str:
    """Two or more <br> in a row mark a paragraph in old layouts; make it one for the extractors."""
    return _DOUBLE_BR.sub("\n<p>", markup)


def trafilatura_text(markup: str, *, fast: bool = False, precision: bool = False) -> str:
    import trafilatura

    text = trafilatura.extract(
        markup,
        url=None,
        fast=fast,
        favor_precision=precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        output_format="txt",
        with_metadata=False,
        prune_xpath=PRUNE_XPATHS,
    )
    return text or ""


# ---------------------------------------------------------------- text strategies


def _caption_texts(tree: lxml_html.HtmlElement) -> list[str]:
    captions = []
    for caption in tree.iter("figcaption"):
        text = " ".join(caption.text_content().split())
        if len(text) >= 40 and text not in captions:
            captions.append(text)
    return captions


_PIPE_CELLS = re.compile(r"\s*\|\s*")
HEAD_PARAGRAPHS = 5  # how far down a kicker, headline or byline line can sit
BODY_MIN_WORDS = 12  # a paragraph this long starts the story proper


def _is_furniture(paragraph: str) -> bool:
    """Layout debris: no letters at all, or a table row of one- and two-word cells ("| Share: |")."""
    if not any(ch.isalpha() for ch in paragraph):
        return True
    if "|" in paragraph:
        cells = [c for c in _PIPE_CELLS.split(paragraph) if c]
        return all(len(c.split()) <= 2 for c in cells)
    return False


def trim_head(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop what extractors keep above the story: the headline again, kickers and section labels,
    the "By ..." line. Only before the first real paragraph, so body subheadings stay."""
    wanted = " ".join((title or "").split()).casefold()
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        words = paragraph.split()
        if index < HEAD_PARAGRAPHS and paragraph.casefold() == wanted:
            continue
        if index >= HEAD_PARAGRAPHS or (len(words) >= BODY_MIN_WORDS and not paragraph.startswith("By ")):
            return kept + paragraphs[index:]
        if len(words) <= 3:
            continue
        if paragraph.startswith("By ") and len(paragraph) <= 120:
            continue
        kept.append(paragraph)
    return kept


def finish_text(text: str, title: str | None, tree: lxml_html.HtmlElement) -> str:
    """Extractor output → body: normalised, headline not repeated, gallery captions kept."""
    text = normalise_text(text)
    # trafilatura renders table cells as "| cell |": keep the words, drop the rules
    paragraphs = [p.strip("| ") if "|" in p else p for p in text.split("\n\n") if not _is_furniture(p)]
    paragraphs = trim_head([p for p in paragraphs if p], title)
    # in a photo gallery the captions are the story; extractors drop them as image furniture
    captions = [c for c in _caption_texts(tree) if c not in text]
    if len(captions) >= 3 and sum(map(len, captions)) >= sum(map(len, paragraphs)):
        paragraphs += captions
    return "\n\n".join(paragraphs)


def normalise_text(text: str) -> str:
    """NFC, one space between words, one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r", "\n").replace("\xa0", " "))
    paragraphs = (re.sub(r"[ \t\f\v]+", " ", p).strip() for p in re.split(r"\n\s*", text))
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(frozen=True)
class TextResult:
    text: str
    extractor: str


@dataclass(frozen=True)
class TextInput:
    """What a text strategy gets: the markup (each extractor parses it itself) and page facts."""

    markup: str
    url: str
    language: str | None
    prose_chars: int  # characters in the page's <p> paragraphs of ≥ 12 words


def _strategy_newspaper(page: TextInput) -> TextResult:
    return TextResult(newspaper_text(page.markup, page.url, page.language), "newspaper3k")


def _strategy_trafilatura(page: TextInput) -> TextResult:
    return TextResult(trafilatura_text(page.markup), "trafilatura")


def _strategy_trafilatura_fast(page: TextInput) -> TextResult:
    return TextResult(trafilatura_text(page.markup, fast=True), "trafilatura")


def _longer(first: TextResult, second: TextResult) -> TextResult:
    return second if len(second.text) > len(first.text) else first


def _strategy_trafilatura_then_newspaper(page: TextInput) -> TextResult:
    """trafilatura; when it keeps little, newspaper3k too, and the longer body wins."""
    primary = _strategy_trafilatura(page)
    if len(primary.text) >= FALLBACK_BELOW_CHARS:
        return primary
    return _longer(primary, _strategy_newspaper(page))


def _strategy_newspaper_then_trafilatura(page: TextInput) -> TextResult:
    primary = _strategy_newspaper(page)
    if len(primary.text) >= FALLBACK_BELOW_CHARS:
        return primary
    return _longer(primary, _strategy_trafilatura(page))


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def _choose(traf: TextResult, news: TextResult) -> TextResult:
    """newspaper3k wins only when it holds nearly all of trafilatura's text and clearly more
    (trafilatura dropped paragraphs), not when it merely adds boilerplate."""
    if not traf.text:
        return news
    if not news.text:
        return traf
    traf_sh, news_sh = _shingles(traf.text), _shingles(news.text)
    contained = sum((traf_sh & news_sh).values()) / max(1, sum(traf_sh.values()))
    if contained > 0.9 and sum(news_sh.values()) > 1.25 * sum(traf_sh.values()):
        return news
    return traf


def _strategy_best_of(page: TextInput) -> TextResult:
    return _choose(_strategy_trafilatura(page), _strategy_newspaper(page))


def _strategy_checked(page: TextInput) -> TextResult:
    """trafilatura, with newspaper3k as a second opinion only when trafilatura's text looks short:
    under FALLBACK_BELOW_CHARS, or under half the prose the page visibly holds."""
    primary = _strategy_trafilatura(page)
    if len(primary.text) >= FALLBACK_BELOW_CHARS and len(primary.text) >= 0.5 * page.prose_chars:
        return primary
    return _choose(primary, _strategy_newspaper(page))


TEXT_STRATEGIES: dict[str, Callable[[TextInput], TextResult]] = {
    "newspaper3k": _strategy_newspaper,
    "trafilatura": _strategy_trafilatura,
    "trafilatura-fast": _strategy_trafilatura_fast,
    "trafilatura>newspaper3k": _strategy_trafilatura_then_newspaper,
    "newspaper3k>trafilatura": _strategy_newspaper_then_trafilatura,
    "best-of": _strategy_best_of,
    "trafilatura+check": _strategy_checked,
}


def prose_chars(tree: lxml_html.HtmlElement) -> int:
    """Characters in <p> elements of at least BODY_MIN_WORDS words: roughly the page's prose."""
    total = 0
    for paragraph in tree.iter("p"):
        text = paragraph.text_content()
        if len(text.split()) >= BODY_MIN_WORDS:
            total += len(" ".join(text.split()))
    return total
