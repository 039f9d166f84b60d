"""The page's language: declared in the markup, else guessed from its script and stopwords."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache
from pathlib import Path

from lxml import html as lxml_html

from transforms.parse.body import prepare_newspaper

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- language


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
TOKEN = re.compile(r"\w+", re.UNICODE)
# Languages the stopword heuristic chooses between (Latin and Cyrillic script ones; other scripts
# are told apart by script first).
_HEURISTIC_LANGUAGES = (
    "en",
    "fr",
    "es",
    "pt",
    "de",
    "it",
    "nl",
    "sw",
    "id",
    "tr",
    "pl",
    "ro",
    "sv",
    "da",
    "nb",
    "fi",
    "hu",
    "hr",
    "ru",
    "uk",
    "bg",
    "sr",
    "mk",
)


@cache
def _stopwords(language: str) -> frozenset[str]:
    prepare_newspaper()
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
