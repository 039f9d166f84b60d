"""Parse an archived HTML page into an Article, or say why it is not one.

Pure: bytes and a URL in, a record out; no network, no downloads, no global state beyond caches.

- newspaper3k for metadata (title, authors, top image); its body only as a fallback.
  Traps handled: never `nlp()`, no `download()` (HTML is passed in), memoize and image fetching off,
  and newspaper's module-level `tldextract.extract` (which fetches the public-suffix list on first use)
  replaced by an instance that only reads the bundled snapshot.
- trafilatura for the body text (it measures best on real pages, see tests/benchmarks/parse_quality.py).
- dates from transforms.htmldates (page metadata before the URL), language from markup or stopwords.
"""

from __future__ import annotations

import codecs
import logging
import re
import signal
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from transforms.htmldates import (
    ARTICLE_TYPES,
    find_published_at,
    jsonld_objects,
    schema_types,
)
from transforms.fetch import declared_charset
from transforms.records import Article, ParseRejection

log = logging.getLogger(__name__)

# Bump when the output for the same HTML would change (extractor choice, thresholds, date order).
PARSER_VERSION = "parse-1.1"

# The shipped body-text strategy; tests/benchmarks/parse_quality.py measures the alternatives.
# trafilatura-first strategies tie on quality on both measured sets; this one only pays for
# newspaper3k when trafilatura keeps almost nothing, so it is the fastest with a safety net.
DEFAULT_TEXT_STRATEGY = "trafilatura>newspaper3k"

# Below this many characters of body text a page is not worth keeping (a caption, a teaser).
MIN_TEXT_CHARS = 250
# A page that declares itself an article may be a short brief.
MIN_TEXT_CHARS_DECLARED = 120
# trafilatura output shorter than this makes us ask newspaper3k too.
FALLBACK_BELOW_CHARS = 500

# Types that describe a whole page that is not a story; VideoObject etc. only count when no
# article type is present (articles often embed a VideoObject).
NON_ARTICLE_PAGE_TYPES = frozenset(
    t.lower() for t in ("CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage",
                        "VideoObject", "VideoGallery", "AboutPage", "ContactPage")
)
NON_ARTICLE_OG_PREFIXES = ("video", "profile", "music", "book", "product")


# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
# WHATWG: these labels mean windows-1252 in practice
_AS_WINDOWS_1252 = {"iso8859-1", "latin-1", "ascii", "us-ascii", "iso-8859-1", "cp819"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec_name(label: str | None, *, in_markup: bool = False) -> str | None:
    """Normalised Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _AS_WINDOWS_1252 or label in _AS_WINDOWS_1252:
        return "cp1252"
    if in_markup and (name.startswith("utf-16") or name.startswith("utf-32")):
        return "utf-8"  # WHATWG: a <meta> readable as ASCII cannot really mean utf-16
    return name


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding used): HTTP charset, BOM, <meta> charset, UTF-8, then windows-1252.

    A declared charset that fails on the bytes is skipped rather than trusted; the last resort
    decodes with replacement characters, so this never raises.
    """
    if label := declared_charset(content_type):
        if (encoding := _codec_name(label)) and (text := _try_decode(body, encoding)) is not None:
            return text.lstrip("\ufeff"), encoding
    for bom, encoding in _BOMS:
        if body.startswith(bom) and (text := _try_decode(body[len(bom):], encoding)) is not None:
            return text, encoding.removesuffix("-sig")
    if match := _META_CHARSET.search(body[:4096]):
        if (encoding := _codec_name(match.group(1).decode("ascii", "ignore"), in_markup=True)) and (
            text := _try_decode(body, encoding)
        ) is not None:
            return text, encoding
    if (text := _try_decode(body, "utf-8")) is not None:
        return text, "utf-8"
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    return body.decode("cp1252", errors="replace"), "cp1252"


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few damaged bytes (a truncated character, one stray byte) rather than a legacy
    encoding: valid multi-byte sequences outnumber invalid bytes. cp1252 text almost never forms
    valid UTF-8 sequences, so one bad byte no longer turns a whole UTF-8 page into mojibake."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count("\xef\xbf\xbd".encode("latin-1"))
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return multibyte > 2 * bad


_UNDECODED = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    """Replacement characters or control bytes in bulk: an image or PDF served as HTML."""
    sample = text[:20000]
    if not sample:
        return False
    return len(_UNDECODED.findall(sample)) / len(sample) > 0.05


# ---------------------------------------------------------------- HTML tree

# Extractors slow down linearly with size; beyond this we drop scripts and then cut.
MAX_MARKUP_CHARS = 2_000_000
_OPEN_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b", re.IGNORECASE)
_MAX_TAG_CHARS = 4_096


def strip_scripts(markup: str) -> str:
    """Drop <script> and <style> elements (JSON-LD scripts stay) in one linear pass.

    A backtracking regex over `<script ... </script>` is quadratic when the tags are not closed;
    here each search starts where the last one ended, and an element that is never closed takes
    the rest of the page with it (a browser would treat that rest as script text too).
    """
    lowered = markup.lower()
    kept: list[str] = []
    position = 0
    while match := _OPEN_SCRIPT_OR_STYLE.search(markup, position):
        start, name = match.start(), match.group(1).lower()
        tag_end = lowered.find(">", match.end(), match.end() + _MAX_TAG_CHARS)
        if tag_end != -1 and "application/ld+json" in lowered[start:tag_end]:
            kept.append(markup[position:tag_end + 1])
            position = tag_end + 1
            continue
        kept.append(markup[position:start])
        close = lowered.find(f"</{name}", match.end())
        if close == -1:
            return "".join(kept)
        close_end = lowered.find(">", close)
        position = len(markup) if close_end == -1 else close_end + 1
    kept.append(markup[position:])
    return "".join(kept)


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def clean_markup(text: str) -> str:
    """What lxml refuses: an XML encoding declaration in a str, control characters."""
    return _CONTROL.sub("", _XML_DECL.sub("", text, count=1))


def clean_field(value: str | None) -> str | None:
    """Control characters out of a parsed value: JSON-LD escapes (\\u0000) decode to them after
    the markup was cleaned, and a NUL in a title breaks BI tools downstream."""
    return _CONTROL.sub("", value) if value else value


# ---------------------------------------------------------------- time budget

# Normal pages parse in tens of milliseconds and a 2 MB page in about a second; a page still
# being parsed after this long is hostile or pathological and is rejected as parse_timeout.
PARSE_BUDGET_SECONDS = 20.0


class ParseTimeout(BaseException):
    """BaseException: the extractors' own `except Exception` blocks must not swallow it."""


_budget = threading.local()


def check_budget() -> None:
    """Raise ParseTimeout when the current page's budget is spent (called between parse stages)."""
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise ParseTimeout()


def _on_alarm(signum, frame) -> None:
    raise ParseTimeout()


class _Budget:
    """A deadline for one page. Checked between stages; in a process's main thread a SIGALRM
    timer also interrupts a stage that runs long inside Python code (e.g. the text extractor)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._alarm = False

    def __enter__(self) -> "_Budget":
        _budget.deadline = time.monotonic() + self.seconds
        if (self.seconds > 0 and threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
                and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)):
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._alarm = True
        return self

    def __exit__(self, *exc) -> None:
        if self._alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _budget.deadline = None


def build_tree(markup: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


# ---------------------------------------------------------------- newspaper3k


_newspaper_lock = threading.Lock()
_newspaper_ready = False


def _prepare_newspaper() -> None:
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
    _prepare_newspaper()
    from newspaper import settings

    return frozenset(
        p.stem.removeprefix("stopwords-") for p in Path(settings.STOPWORDS_DIR).glob("stopwords-*.txt")
    )


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
    _prepare_newspaper()
    from newspaper.extractors import ContentExtractor

    return ContentExtractor(_newspaper_config("en")).get_title(tree) or ""


def newspaper_authors(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    """newspaper3k's byline heuristics (meta author, rel=author, byline classes)."""
    _prepare_newspaper()
    from newspaper.extractors import ContentExtractor

    return tuple(ContentExtractor(_newspaper_config("en")).get_authors(tree) or ())


def newspaper_text(markup: str, url: str, language: str | None) -> str:
    """Body text by newspaper3k's full parse (never download(), never nlp())."""
    _prepare_newspaper()
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
        markup, url=None, fast=fast, favor_precision=precision, include_comments=False,
        include_tables=True, include_images=False, include_links=False, deduplicate=False,
        output_format="txt", with_metadata=False, prune_xpath=PRUNE_XPATHS,
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
HEAD_PARAGRAPHS = 5            # how far down a kicker, headline or byline line can sit
BODY_MIN_WORDS = 12            # a paragraph this long starts the story proper


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
    prose_chars: int        # characters in the page's <p> paragraphs of ≥ 12 words


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
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))


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


# ---------------------------------------------------------------- language


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Languages the stopword heuristic chooses between (Latin and Cyrillic script ones; other scripts
# are told apart by script first).
_HEURISTIC_LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "nl", "sw", "id", "tr", "pl", "ro",
                        "sv", "da", "nb", "fi", "hu", "hr", "ru", "uk", "bg", "sr", "mk")


@lru_cache(maxsize=None)
def _stopwords(language: str) -> frozenset[str]:
    _prepare_newspaper()
    from newspaper import settings

    path = Path(settings.STOPWORDS_DIR) / f"stopwords-{language}.txt"
    try:
        words = path.read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return frozenset(w.lower() for w in words)


def _script_language(text: str) -> str | None:
    """Language implied by a dominant non-Latin script, when the script alone says enough."""
    counts: Counter = Counter()
    for ch in text[:5000]:
        code = ord(ch)
        if 0x0600 <= code <= 0x06FF:
            counts["arabic"] += 1
        elif 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif 0x4E00 <= code <= 0x9FFF:
            counts["han"] += 1
        elif 0xAC00 <= code <= 0xD7AF:
            counts["ko"] += 1
        elif 0x0900 <= code <= 0x097F:
            counts["hi"] += 1
        elif 0x0370 <= code <= 0x03FF:
            counts["el"] += 1
        elif 0x0590 <= code <= 0x05FF:
            counts["he"] += 1
        elif 0x0E00 <= code <= 0x0E7F:
            counts["th"] += 1
        elif ch.isalpha():
            counts["other"] += 1
    if not counts:
        return None
    script, n = counts.most_common(1)[0]
    if script == "other" or n < 20:
        return None
    if script in ("kana", "han"):
        return "ja" if counts["kana"] > 0.1 * (counts["kana"] + counts["han"]) else "zh"
    if script == "arabic":
        return _best_stopword_language(text, ("ar", "fa")) or "ar"
    return script


def _best_stopword_language(text: str, candidates: tuple[str, ...]) -> str | None:
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 8:
        return None
    scores = []
    for language in candidates:
        stop = _stopwords(language)
        if stop:
            scores.append((sum(1 for w in words if w in stop) / len(words), language))
    if not scores:
        return None
    scores.sort(reverse=True)
    best_score, best = scores[0]
    # large stopword lists overlap; a winner needs a real share of the words and a margin
    if best_score < 0.15 or (len(scores) > 1 and best_score - scores[1][0] < 0.03):
        return None
    return best


def guess_language(text: str) -> str | None:
    """Language from the text alone: script, then stopword share. None when unsure."""
    return _script_language(text) or _best_stopword_language(text, _HEURISTIC_LANGUAGES)


def _primary_subtag(value: str | None) -> str | None:
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def declared_language(tree: lxml_html.HtmlElement, jsonld: list[dict]) -> str | None:
    """<html lang>, then content-language / language / dc.language meta, og:locale, JSON-LD."""
    if code := _primary_subtag(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")):
        return code
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").lower()
        if key in ("content-language", "language", "dc.language", "dcterms.language", "og:locale"):
            if code := _primary_subtag(meta.get("content")):
                return code
    for obj in jsonld:
        value = obj.get("inLanguage")
        if isinstance(value, str) and (code := _primary_subtag(value)):
            return code
    return None


def choose_language(declared: str | None, text: str) -> str | None:
    """The declared language, unless a long text plainly reads as another (template lang="en")."""
    guessed = guess_language(text)
    if declared is None:
        return guessed
    if guessed and guessed != declared and len(text) > 600:
        stop = _stopwords(declared)
        words = [w.lower() for w in _WORD.findall(text[:20000])]
        if stop and words and sum(1 for w in words if w in stop) / len(words) < 0.05:
            return guessed
    return declared


# ---------------------------------------------------------------- page signals


@dataclass(frozen=True)
class PageSignals:
    """What the markup says about the page kind, for the article/non-article decision."""

    declared_article: bool
    declared_other: str | None      # e.g. "jsonld:collectionpage", "og:video.other"
    link_density: float             # anchor text / all text in <body>
    teasers: tuple[str, ...]        # texts of teaser cards: a headline link plus a short blurb
    body_chars: int


_BOILERPLATE_TAGS = frozenset({"nav", "footer", "header", "aside"})
HEADLINE_MIN_WORDS = 4
TEASER_MAX_CHARS = 400          # a card's headline + blurb; longer blocks are prose
TEASER_MIN_LINK_SHARE = 0.25    # the headline is a big part of a card, unlike a link inside prose


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
        headline_links = sum(
            1 for a in container.iter("a") if len(words(a).split()) >= HEADLINE_MIN_WORDS
        )
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
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    return {tuple(tokens[i:i + 3]) for i in range(max(1, len(tokens) - 2))}


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
    if (not signals.declared_article and signals.link_density > LINK_FARM_DENSITY
            and n < LINK_FARM_MAX_TEXT_CHARS and signals.body_chars > 300):
        return ParseRejection("not_article", f"link density {signals.link_density:.2f}")
    if n == 0:
        return ParseRejection("empty_text", "no body text found")
    if n < (MIN_TEXT_CHARS_DECLARED if signals.declared_article else MIN_TEXT_CHARS):
        return ParseRejection("empty_text", f"body text too short ({n} chars)")
    return None


# ---------------------------------------------------------------- the parse


@dataclass(frozen=True)
class ParsedPage:
    """Everything the parse found, also for pages it rejects (batch evaluation wants the text)."""

    article: Article
    rejection: ParseRejection | None
    encoding: str


def _first_str(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _jsonld_authors(objects: list[dict]) -> tuple[str, ...]:
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


_AUTHOR_META_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author",
                     "parsely-author", "byl")


def _meta_authors(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
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


def _meta_content(tree: lxml_html.HtmlElement, *keys: str) -> str | None:
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
    """"Headline | Outlet" / "Outlet :: Headline" → "Headline" (the shorter, name-like side goes)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _TITLE_SEPARATOR.findall(title)
    head = title[: title.rfind(separators[-1])]
    tail = parts[-1]
    if len(tail.split()) <= SITE_NAME_MAX_WORDS and len(tail) < len(head):
        return head.strip()
    first = parts[0]
    rest = title[len(first) + len(separators[0]):]
    if len(first.split()) <= SITE_NAME_MAX_WORDS and len(first) < len(rest):
        return rest.strip()
    return title


def _clean_title(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text if 0 < len(text) <= MAX_TITLE_CHARS else None


def _title(tree: lxml_html.HtmlElement, newspaper_title: str, jsonld: list[dict]) -> str | None:
    """JSON-LD headline, og:title, an <h1> that the <title> repeats, newspaper3k, then <title>."""
    for obj in jsonld:
        if schema_types(obj) & ARTICLE_TYPES and (headline := _clean_title(_first_str(obj.get("headline")))):
            return headline
    if og := _clean_title(_meta_content(tree, "og:title", "twitter:title")):
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
        return news            # newspaper3k already cut the site name off
    if page_title:
        return strip_site_name(page_title)
    return news


def _canonical(tree: lxml_html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (href := link.get("href")):
            return href.strip()
    return _meta_content(tree, "og:url")


def analyse_markup(
    markup: str, url: str, *, encoding: str = "utf-8", strategy: str = DEFAULT_TEXT_STRATEGY
) -> ParsedPage:
    """The parse of already-decoded HTML. Raises only on bugs; parse_page wraps it."""
    empty = Article(title=None, authors=(), published_at=None, published_at_source=None,
                    language=None, text="", text_extractor="none", top_image=None,
                    canonical_url=None)
    markup = clean_markup(markup)
    if len(markup) > MAX_MARKUP_CHARS:
        # inline scripts and data blobs are what make pages huge; the story is never that long
        markup = strip_scripts(markup)[:MAX_MARKUP_CHARS]
    tree = build_tree(markup) if markup.strip() else None
    if tree is None:
        return ParsedPage(empty, ParseRejection("empty_text", "document is empty"), encoding)

    check_budget()
    jsonld = jsonld_objects(tree)
    title = _title(tree, newspaper_title(tree), jsonld)
    authors = _jsonld_authors(jsonld) or _meta_authors(tree) or newspaper_authors(tree)
    canonical_url = _canonical(tree)
    top_image = _meta_content(tree, "og:image", "twitter:image", "twitter:image:src")
    declared = declared_language(tree, jsonld)
    body = tree.find("body")
    # newspaper3k scores paragraphs by stopwords: it needs the language before it extracts
    language_hint = declared or guess_language(body.text_content()[:5000] if body is not None else "")

    check_budget()
    # the text strategy gets the markup string: each extractor builds and mutates its own tree
    result = TEXT_STRATEGIES[strategy](
        TextInput(prepare_markup(markup), url, language_hint, prose_chars(tree))
    )
    check_budget()
    text = clean_field(finish_text(result.text, title, tree)) or ""
    language = choose_language(declared, text)
    signals = page_signals(tree, jsonld)                 # clears scripts: after jsonld/metadata
    check_budget()
    published_at, published_source = find_published_at(tree, url, title)  # drops canonical: last

    title = clean_field(title)
    authors = tuple(a for a in (clean_field(a) for a in authors) if a)
    top_image, canonical_url = clean_field(top_image), clean_field(canonical_url)
    article = Article(
        title=title, authors=authors, published_at=published_at,
        published_at_source=published_source, language=language, text=text,
        text_extractor=result.extractor if text else "none", top_image=top_image,
        canonical_url=canonical_url,
    )
    return ParsedPage(article, reject_reason(signals, text), encoding)


def analyse_page(
    body: bytes, url: str, *, content_type: str | None = None,
    strategy: str = DEFAULT_TEXT_STRATEGY, budget_seconds: float = PARSE_BUDGET_SECONDS,
) -> ParsedPage:
    """Decode and parse within `budget_seconds`; never raises (a failure becomes a parser_error
    rejection, a page over its budget a parse_timeout one)."""
    empty = Article(title=None, authors=(), published_at=None, published_at_source=None,
                    language=None, text="", text_extractor="none", top_image=None,
                    canonical_url=None)
    try:
        with _Budget(budget_seconds):
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
        if _looks_binary(markup):
            return ParsedPage(
                empty, ParseRejection("undecodable", f"binary or undecodable content as {encoding}"),
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


def parse_page(
    body: bytes, url: str, *, content_type: str | None = None
) -> Article | ParseRejection:
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
    "PARSER_VERSION", "DEFAULT_TEXT_STRATEGY", "TEXT_STRATEGIES", "ParsedPage", "analyse_page",
    "analyse_markup", "article_to_json", "decode_html", "guess_language", "parse_page",
]
