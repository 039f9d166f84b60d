"""French and Spanish news text read by the English rules: a lexicon gloss with an offset map.

`gloss(text, language)` rewrites the words and phrases listed in transforms/data/lexicons/<lang>/
("ont été tués" -> "were killed", "jeudi" -> "Thursday", "une dizaine" -> "about ten",
"près de" -> "near") into the English the extractor's rules read, and leaves every other word
(names of places, people and groups) as written. The result keeps a map from each glossed offset
back to the article text, so evidence offsets still index the original.

Why a gloss rather than a second set of rules: every rule of the extractor (negation, claims,
background, tolls, places, roles) then holds for each language without a copy, and a language is
data only: one folder of CSV files with the columns phrase,english,note. Phrases match whole
words, case-insensitively, longest first; an apostrophe matches ' and ’; a # stands for a number
written in digits and is carried into the English ("de # años" -> "aged #"); a {} in the English
takes the name that follows the phrase, for the word order the place rules read ("dans la province
du Soum" -> "in Soum province"); a {n} takes the count and noun that follow, for a verb before its
subject ("murieron dos guerrilleros" -> "two guerrillas died"), a {t} a count of time ("hace cinco
años" -> "five years ago"); "with|without" gives the English for when nothing fills the slot
("il y a" -> "{t} ago|there were"); a < marks an adjective that follows its noun and goes before
the glossed noun ("soldats maliens" -> "Malian soldiers"), with "<adjective|noun" for the noun use
("des Maliens" -> "some Malians"). A capitalised article or
preposition directly before a capitalised word the lexicon does not know is kept: it is part of a
name (El Plateado, La Paz, Le Caire).

Not covered: word order (a gloss reads "soldiers Malian"), verb forms not listed, languages
without a folder (their articles keep no events, as before).
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicons"
# The file whose rows are function words (articles, prepositions): the ones a name can start with.
_FUNCTION_FILE = "function_words.csv"
# Count words ("doce", "al menos") and time words ("días"): a count is never a span of time.
_NUMBERS_FILE = "numbers.csv"
_DATES_FILE = "dates.csv"
_APOSTROPHES = "'’"


def glossed_languages() -> frozenset[str]:
    """Languages with a lexicon folder (English needs none)."""
    if not LEXICON_DIR.is_dir():
        return frozenset()
    return frozenset(p.name for p in LEXICON_DIR.iterdir() if p.is_dir() and any(p.glob("*.csv")))


def normalise_language(language: str | None) -> str | None:
    """'fr-FR', 'es_ES', 'FR' -> 'fr'; None stays None."""
    if not language:
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or None


@dataclass(frozen=True)
class Lexicon:
    language: str
    pattern: re.Pattern[str]  # every phrase, longest first
    # the phrases by their first word (lower case, digits as #): one small pattern tried per word
    by_first_word: dict[str, re.Pattern[str]]
    english: dict[str, str]  # phrase key (lower case, apostrophes as ') -> English
    function_words: frozenset[str]
    # a count and its noun after a verb: "al menos doce personas" (numbers.csv words, digits)
    count_after: re.Pattern[str]
    time_after: re.Pattern[str]  # a count of time: "cinco años", "dix jours"


_DIGITS = re.compile(r"\d{1,3}")


def _key(phrase: str) -> str:
    low = _DIGITS.sub("#", phrase.lower())
    for a in _APOSTROPHES:
        low = low.replace(a, "'")
    return re.sub(r"\s+", " ", low)


def _phrase_regex(phrase: str) -> str:
    parts = []
    for ch in phrase:
        if ch in _APOSTROPHES:
            parts.append("['’]")
        elif ch.isspace():
            parts.append(r"\s+")
        elif ch == "#":
            parts.append(r"\d{1,3}")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    # whole words only, and never a piece of a hyphenated name (Port-au-Prince, Pétion-Ville)
    left = r"(?<![\w-])" if phrase[0].isalnum() or phrase[0] == "#" else ""
    right = r"(?![\w-])" if phrase[-1].isalnum() or phrase[-1] == "#" else ""
    return left + body + right


@lru_cache(maxsize=8)
def lexicon(language: str) -> Lexicon:
    """The language's rows from every CSV in its folder; a phrase listed twice must mean one thing."""
    folder = LEXICON_DIR / language
    english: dict[str, str] = {}
    function_words: set[str] = set()
    count_words: set[str] = set()
    time_words: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                phrase = (row.get("phrase") or "").strip()
                if not phrase:
                    continue
                if row.get("english") is None:
                    raise ValueError(f"{path}:{line}: no english column for {phrase!r}")
                key = _key(phrase)
                if key in english:
                    if english[key] != row["english"].strip():
                        raise ValueError(
                            f"{path}:{line}: {phrase!r} is {row['english'].strip()!r} here and"
                            f" {english[key]!r} in an earlier row of {folder}"
                        )
                    continue
                english[key] = row["english"].strip()
                if path.name == _FUNCTION_FILE:
                    function_words.add(key)
                elif path.name == _NUMBERS_FILE and "#" not in key:
                    count_words.add(key)
                elif path.name == _DATES_FILE:
                    time_words.add(key)
    if not english:
        raise ValueError(f"no lexicon rows for language {language!r} in {folder}")
    phrases = sorted(english, key=lambda k: (-len(k), k))
    pattern = re.compile("|".join(_phrase_regex(p) for p in phrases), re.IGNORECASE)
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        grouped.setdefault(_first_word(phrase), []).append(phrase)
    by_first_word = {
        word: re.compile("|".join(_phrase_regex(p) for p in group), re.IGNORECASE) for word, group in grouped.items()
    }
    counts = "|".join(_phrase_regex(p) for p in sorted(count_words, key=lambda k: (-len(k), k)))
    single_time_words = sorted(p for p in time_words if " " not in p)
    not_time = "".join(f"(?!{_phrase_regex(p)})" for p in single_time_words)
    count = rf"(?:(?:{counts}|\d{{1,3}}(?:[.,]\d{{3}})*)\s+)+"
    count_after = re.compile(rf"\s+({count}{not_time}[^\W\d_][\w'’-]*)", re.IGNORECASE)
    time_after = re.compile(rf"\s+({count}(?:{'|'.join(_phrase_regex(p) for p in single_time_words)}))", re.IGNORECASE)
    return Lexicon(
        language=language,
        pattern=pattern,
        by_first_word=by_first_word,
        english=english,
        function_words=frozenset(function_words),
        count_after=count_after,
        time_after=time_after,
    )


_WORD_START = re.compile(r"(?<![\w-])[\w#]+")


def _first_word(phrase_or_text: str) -> str:
    return _DIGITS.sub("#", _WORD_START.match(phrase_or_text).group(0).lower())


def _matches(lex: Lexicon, text: str):
    """What `lex.pattern.finditer(text)` finds, found faster: only at word starts, only the phrases
    whose first word is there."""
    position = 0
    for word in _WORD_START.finditer(text):
        if word.start() < position:
            continue
        candidates = lex.by_first_word.get(_DIGITS.sub("#", word.group(0).lower()))
        if candidates is None:
            continue
        match = candidates.match(text, word.start())
        if match:
            position = match.end()
            yield match


@dataclass(frozen=True)
class Glossed:
    """English-reading text and, per changed span, where it came from in the original."""

    text: str
    original: str
    # parallel lists, one entry per span of the glossed text, in order
    gloss_starts: tuple[int, ...]
    original_starts: tuple[int, ...]
    changed: tuple[bool, ...]

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """The original offset of a glossed one; inside a rewritten phrase, its start (or its end)."""
        if not self.gloss_starts:
            return offset
        i = bisect.bisect_right(self.gloss_starts, offset) - 1
        if end and i > 0 and self.gloss_starts[i] == offset:
            i -= 1  # an end offset belongs to the span it closes
        i = max(i, 0)
        g0, o0 = self.gloss_starts[i], self.original_starts[i]
        o1 = self.original_starts[i + 1] if i + 1 < len(self.original_starts) else len(self.original)
        if self.changed[i]:
            return o1 if end and offset > g0 else o0
        return min(o0 + (offset - g0), o1)


# « » as the English quotation marks the quote rules know; one character for one, so offsets hold
_QUOTES = str.maketrans({"«": "“", "»": "”", "‹": "‘", "›": "’"})
# "1.200" and "1 200" are thousands in French and Spanish: written "1,200", one character for one
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[. \u00a0\u202f]\d{3})+)(?![\d]|[.,]\d)")
_ARTICLE = re.compile(r"((?i:the|a|an|some)\s+)?(.*)", re.S)
_NEXT_WORD = re.compile(r"\s*([\w'’-]+)")
# a place name after "la province de": capitalised words, joined by hyphens or spaces
_NAME_AFTER = re.compile(r"\s+([^\W\d_a-z][\w'’-]*(?:\s+[^\W\d_a-z][\w'’-]*){0,3})")


def _keeps_name(lex: Lexicon, text: str, match: re.Match[str]) -> bool:
    """A capitalised function word before a capitalised word the lexicon does not gloss: a name."""
    if not match.group(0)[:1].isupper() or _key(match.group(0)) not in lex.function_words:
        return False
    following = _NEXT_WORD.match(text, match.end())
    if not following or not following.group(1)[:1].isupper():
        return False
    return lex.pattern.fullmatch(following.group(1)) is None


def _fill_slot(lex: Lexicon, text: str, english: str, end: int) -> tuple[str, int]:
    """A row's English with its slot filled from the words after `end`, and where the row now ends."""
    with_slot, bar, without = english.partition("|")
    slots = (("{n}", lex.count_after, False), ("{t}", lex.time_after, False), ("{}", _NAME_AFTER, True))
    for slot, pattern, as_name in slots:
        if slot not in with_slot:
            continue
        found = pattern.match(text, end)
        if found and (not as_name or found.group(1)[:1].isupper()):
            filler = found.group(1) if as_name else gloss(found.group(1), lex.language).text
            return with_slot.replace(slot, filler), found.end()
        if bar:
            return without.strip(), end
        return re.sub(r"\s*" + re.escape(slot) + r"\s*", " ", with_slot).strip(), end
    return english, end


def _cased(english: str, source: str) -> str:
    if english and source[:1].isupper():
        return english[:1].upper() + english[1:]
    return english


def gloss(text: str, language: str) -> Glossed:
    """`text` with the language's lexicon phrases in English; the original offsets kept."""
    lex = lexicon(language)
    out: list[str] = []
    gloss_starts: list[int] = []
    original_starts: list[int] = []
    changed: list[bool] = []
    length = 0
    last = 0
    previous_key: str | None = None  # the phrase behind the last glossed span

    def span(piece: str, original_start: int, is_changed: bool) -> None:
        nonlocal length
        gloss_starts.append(length)
        original_starts.append(original_start)
        changed.append(is_changed)
        out.append(piece)
        length += len(piece)

    for match in _matches(lex, text):
        if _keeps_name(lex, text, match):
            continue
        english = lex.english[_key(match.group(0))]
        if "#" in english:
            english = english.replace("#", _DIGITS.search(match.group(0)).group(0))
        if match.start() < last:
            continue  # inside a name already taken by the phrase before
        if english.startswith("<"):
            adjective, _, noun = english[1:].partition("|")
            between = text[last : match.start()]
            after_noun = changed and changed[-1] and previous_key not in lex.function_words
            if match.group(0)[:1].islower() and after_noun and between.isspace() and "\n" not in between:
                # "soldats maliens" -> "Malian soldiers", "el Ejército colombiano" -> "the Colombian army"
                previous = out.pop()
                length = gloss_starts.pop()
                start = original_starts.pop()
                changed.pop()
                article, noun_words = _ARTICLE.match(previous).groups()
                if noun_words[1:2].islower():
                    noun_words = noun_words[:1].lower() + noun_words[1:]
                span(f"{article or ''}{adjective} {noun_words}", start, True)
                last = match.end()
                previous_key = None
                continue
            # a capitalised demonym is the people ("des Maliens"); a lowercase one stays an adjective
            english = noun if noun and match.group(0)[:1].isupper() else adjective
        previous_key = _key(match.group(0))
        english, end = _fill_slot(lex, text, english, match.end())
        if match.start() > last:
            span(text[last : match.start()], last, False)
        piece = _cased(english, match.group(0))
        # an elided article ("l'", "d'") glosses to a word: keep a space before the next one
        if piece and match.group(0)[-1] in _APOSTROPHES and not piece.endswith(" "):
            piece += " "
        span(piece, match.start(), True)
        last = end
    if last < len(text):
        span(text[last:], last, False)
    glossed = "".join(out).translate(_QUOTES)
    glossed = _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"[. \u00a0\u202f]", ",", m.group(2)), glossed)
    # a phrase glossed to nothing can leave two spaces; harmless for the rules, kept for the map
    return Glossed(glossed, text, tuple(gloss_starts), tuple(original_starts), tuple(changed))
