"""Sentence-level event mentions, filtered for background and non-events, merged into incidents.

`extract` runs four named steps per article:
1. article context (`_article_context`, places via places.article_places): is it a sports report,
   a commemoration, a denial, an accident story; where is it filed from;
2. mentions (in `_extract`): split sentences -> find trigger phrases (event_triggers.csv) -> drop
   sentences that are hypothetical, denied, generic, historical, fictional, accidents, crime or
   metaphor (context_cues.csv) -> attach places, dates, casualties and actors;
3. incidents (`_incidents`): merge mentions of the same incident (same place and day), split on a
   different town or day, attach claims and casualty sentences;
4. coding (`_code`, `_build`): the sub-type (rules, then the learned classifier where it is sure,
   then who did what to whom), place, date, toll and actors.
When the rules find nothing, the learned classifier may name the lead's incident and the same
steps run again on it (`_learned_triggers`).
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from transforms.extract import actors as actor_mod
from transforms.extract import classifier
from transforms.extract import roles as role_mod
from transforms.extract.dates import NUMBER_WORDS, DateMention, find_dates, heading_date, is_historical
from transforms.extract.fastre import compile_guarded, partition_by_leads, word_leads, word_pairs
from transforms.extract.numbers import combine_fatalities, find_casualties
from transforms.extract.places import (
    ArticlePlaces,
    ResolvedPlace,
    article_places,
    event_place,
    location_fields,
    mention_town,
    same_place,
)
from transforms.extract.taxonomy import event_type_of, protest_rank, with_trait
from transforms.records import ActorMention, EventMention
from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR

MAX_TEXT_CHARS = 100_000
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# Facts of the taxonomy the rules act on (the `traits` column of taxonomy.csv).
PROTEST_FAMILY = with_trait("protest")
WEAK_SUBTYPES = with_trait("weak")
_NO_DEATHS_BY_DEFINITION = with_trait("no_deaths")
VIOLENT_SUBTYPES = with_trait("violent")
STRATEGIC = with_trait("strategic")
WEAPON_NAMED = with_trait("weapon")

_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|Brig|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Gov|Sen|Rep|U\.S|U\.N|U\.K|a\.m|p\.m|e\.g|i\.e|vs|approx|est))\.$"
)
# Headlines run together with a bare ";" ("... to be destroyed;Attacks kill 18") are two items.
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*\s+|\n+|;(?=[A-Z])")


@dataclass(frozen=True)
class Trigger:
    sub_event_type: str
    priority: int
    weapon: str | None
    start: int
    end: int


@dataclass
class Mention:
    sentence: tuple[int, int]
    trigger: Trigger
    places: list[ResolvedPlace]
    dates: list[DateMention]
    fatalities: int | None
    injured: int | None
    none_reported: bool
    actors: list[actor_mod.ActorHit]
    separate: bool
    fatality_groups: tuple = ()
    follow_up: bool = False  # anaphoric ("the attack ..."), quoted or embedded post: never a new incident
    text: str = ""

    @property
    def town(self) -> ResolvedPlace | None:
        return mention_town(self.places)

    @property
    def event_dates(self) -> list[DateMention]:
        return [d for d in self.dates if not d.statement_date and d.precision in ("day", "week", "month")]


@dataclass
class Incident:
    mentions: list[Mention] = field(default_factory=list)
    extra_sentences: list[tuple[int, int]] = field(default_factory=list)
    extra_groups: list[tuple] = field(default_factory=list)
    extra_injured: list[int | None] = field(default_factory=list)
    extra_none: bool = False
    dateline: ResolvedPlace | None = None
    claimed: list = field(default_factory=list)
    claim_explicit: bool = False  # a group claimed it, rather than being blamed
    claim_elsewhere: bool = False  # the article's claim names another of its incidents

    _seen: int = 0  # mentions already scanned for town and day
    _town: ResolvedPlace | None = None
    _day: DateMention | None = None

    def _scan(self) -> None:
        # Incremental, so merging stays linear even for a page repeating one story 5,000 times.
        for m in self.mentions[self._seen :]:
            if self._town is None and m.town:
                self._town = m.town
            if self._day is None:
                self._day = next((d for d in m.event_dates if d.precision == "day"), None)
        self._seen = len(self.mentions)

    @property
    def town(self) -> ResolvedPlace | None:
        self._scan()
        return self._town

    @property
    def day(self) -> DateMention | None:
        self._scan()
        return self._day


# ---------------------------------------------------------------- lexicons


def _literal_stems(pattern: str) -> tuple[str, ...]:
    """Letter runs of a pattern; a sentence holding none of them cannot match it (cheap prefilter)."""
    cleaned = re.sub(r"\\[a-zA-Z]", " ", pattern)  # drop \b, \w, \s escapes
    cleaned = re.sub(r"\(\?[:!=<]+", " ", cleaned)  # group openers
    stems = {run.lower()[:4] for run in re.findall(r"[A-Za-z]{3,}", cleaned)}
    return tuple(sorted(stems - _SUFFIX_STEMS))


# The first 3 and the first 3-4 letters of each letter run of 3+ ([a-z]{3,}), found in C.
_WORD_START3 = re.compile(r"(?<![a-z])[a-z]{3}")
_WORD_START4 = re.compile(r"(?<![a-z])[a-z]{3,4}")
_TOLL_ANAPHOR = re.compile(
    r"\b(?:the|bringing the|put the) (?:death )?toll\b|\bthe dead\b|\bthe wounded\b|\bthe victims\b|\bbodies\b", re.I
)
_CASUALTY_WORD = re.compile(
    r"dead|died|kill|injur|wound|hurt|casualt|death|toll|bodies|lives|perish|slain|neutrali|loss of", re.I
)

# Letter runs that only ever appear as optional suffixes or fillers in our patterns.
_SUFFIX_STEMS = {
    "ing",
    "ers",
    "ied",
    "ies",
    "ins",
    "ion",
    "ions",
    "ors",
    "ment",
    "the",
    "and",
    "its",
    "from",
    "into",
    "agai",
    "betw",
    "ed",
    "ly",
}


@lru_cache(maxsize=1)
def trigger_stems() -> list[tuple[str, ...]]:
    with (DATA_DIR / "event_triggers.csv").open(encoding="utf-8") as fh:
        return [_literal_stems(row["pattern"]) for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def trigger_index() -> dict[str, tuple[int, ...]]:
    """Trigger numbers by literal stem: a sentence's word prefixes name the few patterns worth
    scanning, without testing each pattern's stems in turn."""
    index: dict[str, list[int]] = {}
    for number, stems in enumerate(trigger_stems()):
        for stem in stems:
            index.setdefault(stem, []).append(number)
    return {stem: tuple(numbers) for stem, numbers in index.items()}


@lru_cache(maxsize=1)
def trigger_leads() -> list[frozenset[str] | None]:
    """How each trigger's matches can begin (fastre.word_leads): triggers match at a word start."""
    with (DATA_DIR / "event_triggers.csv").open(encoding="utf-8") as fh:
        return [word_leads(row["pattern"].lower()) for row in csv.DictReader(fh)]


WordPairs = tuple[frozenset[str], dict[str, frozenset[str]], re.Pattern[str] | None]


def _word_pair_filter(pattern: str, at_word_start: bool = True, probe: bool = False) -> WordPairs | None:
    """How a lower-cased pattern's matches can begin and go on (fastre.word_pairs): the first
    words any next word can follow, the next words of the other first words and, with probe,
    a pattern of the alternatives whose first word is unknown ("hallmark" inside a word)."""
    known, unknown = partition_by_leads(pattern, at_word_start) if probe else (pattern, "")
    pairs = word_pairs(known, at_word_start) if known else None
    if pairs is None:
        return None
    free = frozenset(first for first, seconds in pairs.items() if seconds is None)
    need = {first: seconds for first, seconds in pairs.items() if seconds is not None}
    return free, need, compile_guarded(unknown) if unknown else None


@lru_cache(maxsize=1)
def trigger_pairs() -> list[WordPairs | None]:
    """Word pairs of each trigger: a sentence with "police" but no word that can follow it in
    a trigger is not scanned for that trigger."""
    with (DATA_DIR / "event_triggers.csv").open(encoding="utf-8") as fh:
        return [_word_pair_filter(row["pattern"].lower()) for row in csv.DictReader(fh)]


def _next_word_in(pairs: WordPairs | None, prefixes: frozenset[str], low: str) -> bool:
    """Whether a pattern with these word pairs can match the lower-cased text low, whose word
    prefixes are prefixes."""
    if pairs is None:
        return True
    free, need, unknown = pairs
    if not prefixes.isdisjoint(free):
        return True
    for first in need.keys() & prefixes:
        if not prefixes.isdisjoint(need[first]):
            return True
    return unknown is not None and unknown.search(low) is not None


@lru_cache(maxsize=1)
def triggers() -> list[tuple[str, int, str | None, re.Pattern[str]]]:
    with (DATA_DIR / "event_triggers.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        event_type_of(row["sub_event_type"])  # fail fast on a misspelt type
        # Acronym alternatives (IED) are case-sensitive by their own \b; words are not.
        out.append(
            (
                row["sub_event_type"],
                int(row["priority"]),
                row["weapon"] or None,
                LowerPattern(r"(?<![\w-])(?:" + row["pattern"] + r")"),
            )
        )
    return out


@lru_cache(maxsize=1)
def cues() -> dict[str, LowerPattern]:
    with (DATA_DIR / "context_cues.csv").open(encoding="utf-8") as fh:
        return {row["cue"]: LowerPattern(row["pattern"]) for row in csv.DictReader(fh)}


class LowerPattern:
    """A case-insensitive pattern run on lower-cased text without re.I, which is about twice
    as fast in Python's engine. Falls back to re.I when lower-casing changes the length."""

    def __init__(self, pattern: str) -> None:
        self.lower = compile_guarded(pattern.lower())  # same matches, fewer positions tried
        self.folded = re.compile(pattern, re.I)
        # Word-start stems of the pattern's literal runs: a text none of whose words starts with
        # one cannot match (all our cue alternatives begin at a word boundary).
        runs = [run.lower() for run in re.findall(r"[A-Za-z]{3,}", re.sub(r"\\[a-zA-Z]|\(\?[:!=<]+", " ", pattern))]
        self.stems = frozenset(run[:4] for run in runs) | frozenset(run[:3] for run in runs)
        # How its matches' first long word can begin (exact, unlike the stems): see fastre.word_leads.
        self.leads = word_leads(pattern.lower(), at_word_start=False)
        self._source = pattern.lower()

    @cached_property
    def pairs(self) -> WordPairs | None:
        """Its word pairs (worked out when first needed: most patterns never are)."""
        return _word_pair_filter(self._source, at_word_start=False, probe=True)

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        return (self.lower, low) if len(low) == len(text) else (self.folded, text)

    def search(self, text: str):
        pattern, subject = self._pick(text)
        return pattern.search(subject)

    def search_folded(self, text: str, lowered: str, prefixes: frozenset[str] | None = None):
        """search() when the caller has already lower-cased the text (once for many patterns)
        and, optionally, collected the 3- and 4-letter prefixes of its words."""
        if prefixes is not None and prefixes.isdisjoint(self.stems):
            return None
        if len(lowered) != len(text):
            return self.folded.search(text)
        if prefixes is not None and self.leads is not None and prefixes.isdisjoint(self.leads):
            return None
        if prefixes is not None and not _next_word_in(self.pairs, prefixes, lowered):
            return None
        return self.lower.search(lowered)

    def match(self, text: str):
        pattern, subject = self._pick(text)
        return pattern.match(subject)

    def findall(self, text: str) -> list:
        pattern, subject = self._pick(text)
        return pattern.findall(subject)

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        pattern, subject = self._pick(text)
        return pattern.finditer(subject, start, len(text) if end is None else end)


@lru_cache(maxsize=1)
def weapons() -> list[tuple[str, re.Pattern[str]]]:
    with (DATA_DIR / "weapons.csv").open(encoding="utf-8") as fh:
        return [(row["weapon"], re.compile(row["pattern"], re.I)) for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def _weapons_lowered() -> list[tuple[str, re.Pattern[str]]]:
    """weapons() for lower-cased text, without re.I (several times faster in Python's engine)."""
    return [(name, re.compile(_lowered(pattern.pattern))) for name, pattern in weapons()]


def _lowered(pattern: str) -> str:
    """pattern with its literal letters lower-cased; escapes (\\B, \\W, \\S) keep their case."""
    return re.sub(r"(\\.)|[A-Z]+", lambda m: m.group(1) or m.group(0).lower(), pattern)


# ---------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; abbreviations like "Dec." and "U.S." do not end one."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + (1 if text[m.start()] in ".!?" else 0)
        piece = text[start : m.end()].rstrip()
        if text[m.start()] == "." and "\n" not in m.group(0) and _ABBREV.search(piece.rstrip("'\"”’)")):
            continue
        nxt = text[m.end() : m.end() + 1]
        if text[m.start()] in ".!?" and nxt and nxt.islower():
            continue
        if text[start:end].strip():
            spans.append(_trim(text, start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


# Wire-service slugs before a headline ("UPDATE 2-", "WRAPUP 1-"): not part of the sentence.
_WIRE_TAG = re.compile(
    r"(?:UPDATE|WRAPUP|REFILE|CORRECTED|RPT|INSIGHT|ANALYSIS|EXCLUSIVE|FACTBOX|COLUMN)(?: \d+)?\s?[-–]\s*"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while (tag := _WIRE_TAG.match(text, start, end)) is not None and tag.end() < end:
        start = tag.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- mentions


def find_triggers(text: str, start: int, end: int) -> list[Trigger]:
    """Trigger phrases in text[start:end], lower-cased once; a pattern none of whose literal
    stems begins a word of the sentence is skipped without scanning."""
    segment = text[start:end]
    low = segment.lower()
    same = len(low) == len(segment)
    index = trigger_index()
    prefixes = _word_prefixes(low)
    wanted: set[int] = set()
    for prefix in prefixes:
        wanted.update(index.get(prefix, ()))
    if same:
        # A match starts a word: skip patterns none of whose openings starts one (most of them).
        leads, pairs = trigger_leads(), trigger_pairs()
        wanted = {
            n
            for n in wanted
            if leads[n] is None or (not prefixes.isdisjoint(leads[n]) and _next_word_in(pairs[n], prefixes, low))
        }
    found = []
    rules = triggers()
    for number in sorted(wanted):
        sub, priority, weapon, pattern = rules[number]
        for m in pattern.lower.finditer(low) if same else pattern.folded.finditer(segment):
            found.append(Trigger(sub, priority, weapon, m.start() + start, m.end() + start))
    return found


@lru_cache(maxsize=64)
def _word_prefixes(low: str) -> frozenset[str]:
    """The 3- and 4-letter starts of the words (letter runs of 3+) of low; a sentence's are
    asked for by find_triggers and again by each _blocked check, hence the small cache."""
    return frozenset(_WORD_START3.findall(low)).union(_WORD_START4.findall(low))


def _blocked(text: str, start: int, end: int, trigger: Trigger, published: date, dates: list[DateMention]) -> str:
    """Why the sentence does not report an incident that happened ("" when it does)."""
    sentence = text[start:end]
    low = sentence.lower()
    prefixes = _word_prefixes(low)
    c = cues()
    before = text[max(start, trigger.start - 80) : trigger.start]
    # Groups announce changes in the future tense ("will dissolve", "would join the army").
    hypothetical = c["hypothetical"].search(before) if trigger.sub_event_type != "Change to group/activity" else None
    if hypothetical and re.match(r"feared\s+(?:dead|killed|drowned)", before[hypothetical.start() :], re.I):
        hypothetical = None  # "officers feared dead after their vehicle hit a mine": a toll not yet confirmed
    if hypothetical and re.search(r"\b(?:after|following)\b", before[hypothetical.end() :], re.I):
        hypothetical = None  # "UN warns against reprisals after blasts kill 73": the after-clause happened
    if hypothetical and not (trigger.sub_event_type in PROTEST_FAMILY and _DEMAND.match(hypothetical.group(0))):
        return "hypothetical"
    if c["denial"].search_folded(sentence, low, prefixes):
        return "denial"
    recent_day = any(
        d.precision == "day" and not d.statement_date and not is_historical(d, published) and d.value <= published
        for d in dates
    )
    if _THAT_YEAR.search(low):
        return "that year"  # "On June 25 that year, ...": a retold past, protest or not
    if _PAST_POSSESSIVE.search(before):
        return "past possessive"  # "vowed on Friday to respond to last month's attack": a retold past
    if _TIME_AFTER.search(before):
        return "time after"  # "four years after insurgents overran the town, ...": the act is the past
    if (
        trigger.sub_event_type == "Peaceful protest"
        and text[trigger.start : trigger.start + 4].lower() == "rall"
        and _CAMPAIGN.search(sentence)
    ):
        return "campaign"  # a candidate's rally is campaigning, not a demonstration (unless it turns violent)
    # Protests often mark anniversaries; everything else that does is background.
    strong = c["historical_strong"].search_folded(sentence, low, prefixes)
    if (
        strong
        and trigger.sub_event_type not in PROTEST_FAMILY
        and not _ON_ANNIVERSARY.search(text, trigger.end, start + strong.end())
    ):
        return "historical_strong"
    after = text[trigger.end : min(end, trigger.end + 30)]
    if (
        re.search(
            r"\b(?:would|will|could|might|shall|planned|are expected"
            r"|(?:for|on|set for) next (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
            after,
            re.I,
        )
        and trigger.sub_event_type != "Change to group/activity"
    ):
        return "future after"
    if _UNVERIFIED.search(sentence):
        return "unverified"
    if _dated_to_past_year(text[trigger.end : min(end, trigger.end + 70)], published):
        return "past years"  # "since insurgents attacked the town in June 2020", in a story of this week
    if not recent_day and _past_years_only(sentence, published):
        return "past years"
    for name in ("generic", "historical", "fiction", "accident", "crime", "nonviolent_attack", "judicial"):
        if name in ("historical", "judicial", "crime") and trigger.sub_event_type in PROTEST_FAMILY:
            continue  # a protest over a trial, an anniversary or a murder is still a protest
        if name == "crime" and (
            trigger.sub_event_type in _CRIME_IS_THE_EVENT or trigger.sub_event_type in WEAPON_NAMED
        ):
            continue  # robbers with a grenade are still a grenade attack
        found = c[name].search_folded(sentence, low, prefixes)
        if found:
            # "... on Dec. 2, the latest in a series of strikes": the tally describes this incident.
            if name == "generic" and recent_day and start + found.start() > trigger.end:
                continue
            if (
                name == "crime"
                and _SUSPECTED.search(text, max(start, start + found.start() - 40), start + found.start())
                and cues()["crowd"].search(text[start : start + found.start()])
            ):
                # "villagers beat to death a man suspected of theft", "stabbed to death by a crowd that
                # accused him of theft": mob justice, not a crime story
                continue
            if name == "accident" and trigger.sub_event_type not in (
                "Attack",
                "Remote explosive/landmine/IED",
                "Armed clash",
                "Looting/property destruction",  # "floods destroyed 400 houses"
            ):
                continue
            if name == "historical" and _ON_ANNIVERSARY.search(text, trigger.end, start + found.end()):
                continue
            if name in ("accident", "judicial") and _cue_is_target(text, start, found, trigger, c[name]):
                continue  # "forces storm the town", "militants attack a court": the cue word is the act or its target
            if name == "accident" and _DEVICE.search(text[trigger.start : trigger.end]):
                continue  # a mine or bomb set off by accident is still an explosive incident (ACLED)
            if (
                name == "historical"
                and dates
                and any(not is_historical(d, published) for d in dates if not d.statement_date)
                and not re.search(r"anniversary|commemorat|memorial|years? ago|last year", sentence, re.I)
            ):
                continue
            return name
    event_dates = [d for d in dates if not d.statement_date]
    if event_dates and all(
        is_historical(d, published) or d.value > published or _earlier_month(d, published) for d in event_dates
    ):
        return "all dates past or future"  # "an ambush killed 12 soldiers in March", in a June story
    # Future tense right before the trigger: "will attack", "are expected to protest".
    if re.search(
        r"\b(?:will|shall|to be held|expected to|set to|going to|scheduled|planned|upcoming|next week|tomorrow)\b",
        before,
        re.I,
    ):
        return "future before"
    return ""


_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|its|their|\w+day's|last night's|yesterday's)\s+(?:\w+\s+)?$", re.I
)
_VERB_TRIGGER = re.compile(
    r"\w+ed\b|(?:shot|fought|took|set|burnt|beat|blew|struck|hit|threw|stole|overran|seized|kills?|opened)\b", re.I
)
_POST = re.compile(
    r"\b(?:wrote on|posted on|tweeted|said in a post|in a (?:post|tweet|video)|on (?:X|Twitter|Facebook|Telegram"
    r"|Instagram|TikTok))\b"
)


# A headline opening on a scare-quoted phrase that the sentence goes on from ('"Dozens killed" in
# car bomb attack', "'Fierce clashes near X': militia") reports; a quote closed by a comma and a
# speaker ('"We were attacked," he said') does not.
_HEADLINE_QUOTE = re.compile(
    r"^[\"“'‘][^\"“”‘’]{3,}?[^,\s][\"”'’]\s*(?::|\s(?!(?i:he|she|they|it|the|a|an|one|said|says|told|wrote|added|posted)\b)[A-Za-z])"
)


def _is_quote_or_post(text: str, start: int, end: int) -> bool:
    sentence = text[start:end]
    quoted = sentence[:1] in "\"“'‘" and not _HEADLINE_QUOTE.match(sentence)
    return quoted or bool(_POST.search(sentence)) or sentence.lstrip().startswith(("@", "BREAKING", "#"))


def _first_unblocked(
    found: list[Trigger], text: str, start: int, end: int, published: date, dates: list[DateMention]
) -> Trigger | None:
    """The best trigger whose own context does not rule it out: in "militias that have fought
    al-Shabaab announced that 1,200 fighters would join the army", the clash is background and
    the change to the group is the news."""
    pool = list(found)
    for _ in range(3):
        best = _best_trigger(pool, text) if pool else None
        if best is None:
            return None
        if not _blocked(text, start, end, best, published, dates):
            return best
        pool = [t for t in pool if t.sub_event_type != best.sub_event_type]
    return None


def _is_background(sentence: str, published: date) -> bool:
    c = cues()
    return (
        _past_years_only(sentence, published)
        or bool(c["historical"].search(sentence))
        or bool(c["historical_strong"].search(sentence))
    )


def _paragraph_numbers(text: str, sentences: list[tuple[int, int]]) -> list[int]:
    numbers, para, last_end = [], 0, 0
    for s, e in sentences:
        if "\n" in text[last_end:s]:
            para += 1
        numbers.append(para)
        last_end = e
    return numbers


# Beyond this many days an explicitly dated act is not this story's news when the story already
# reports a recent one: "On May 11, a strike on a car killed three" in a report on Sunday's strike.
_RETOLD_AFTER_DAYS = 7


def _older_retold(dates: list[DateMention], mentions: list[Mention], published: date) -> bool:
    own = [d for d in dates if not d.statement_date]
    if not own or not all(
        (d.precision == "day" and (published - d.value).days > _RETOLD_AFTER_DAYS) or _earlier_month(d, published)
        for d in own
    ):
        return False
    if not mentions:
        return False
    # Undated earlier mentions are the story's own news (the lead dates by publication).
    seen = [d for m in mentions for d in m.event_dates if d.precision == "day"]
    recent = not seen or any((published - d.value).days <= _RETOLD_AFTER_DAYS for d in seen)
    return recent and not {d.value for d in own} & {d.value for d in seen}


def _blocked_plain(sentence: str, published: date) -> bool:
    c = cues()
    if _past_years_only(sentence, published):
        return True
    return any(
        c[name].search(sentence)
        for name in ("hypothetical", "generic", "historical", "historical_strong", "accident", "crime", "fiction")
    )


# Why a lead sentence is about something other than an incident (see ArticleContext.off_topic).
_OFF_TOPIC_LEADS = {
    "hypothetical",
    "time after",
    "judicial",
    "accident",
    "historical_strong",
    "that year",
    "future after",
    "future before",
    "fiction",
}
# "Gunmen storm hotel": the headline verb, not the weather (an armed or crowd subject before it).
_STORMING = re.compile(
    r"\b(?:gunmen|militants|fighters|forces|troops|police|protesters|demonstrators|rioters|rebels|attackers"
    r"|assailants|jihadists|insurgents|soldiers|mob|crowds?|students|men)\s+$",
    re.I,
)
# A review of a film or book retells its story: what it describes happened on screen or on paper.
_REVIEW_TITLE = re.compile(r"\breview\b|\b(?:film|movie|documentary|memoir|novel)\b", re.I)
_PARADE = re.compile(r"\b(?:parades?|air shows?|arms (?:fair|expo|exhibition))\b", re.I)
# An explainer, timeline or Q&A retells a conflict's history: only what it dates to this week is news.
_EXPLAINER_TITLE = re.compile(r"^\W*(?:explainer|explained|timeline|factbox|fact ?file|q ?& ?a|q and a)\b", re.I)
# A crowd punishing a thief is mob violence, stealing in a raid is looting: crime words are the event.
_CRIME_IS_THE_EVENT = {"Mob violence", "Looting/property destruction"}
# The crime word names what a crowd's victim was accused of: "on suspicion of being a thief".
_SUSPECTED = re.compile(
    r"\b(?:suspected|alleged|accused|suspicion|allegedly|branded)\s+(?:(?:a|an|the|of|being|him|her|them|two|three|four|five|\w+ing)\s+){0,3}$",
    re.I,
)
_CLAIMED_TOLL = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|boast(?:ed|s)?|said (?:it|they) had|said\b[^.;]{0,60}?\bthat its)\b[^.;]{0,80}?"
    r"\b(?:kill|dead|death|eliminat"
    r"|neutrali)",
    re.I,
)
_DIPLOMATIC = re.compile(r"embass|consulat|mission|compound", re.I)
_DEVICE = re.compile(r"\bIEDs?\b|mine|booby|bomb|explosive device|munition|unexploded|UXO|blew up", re.I)
# What protesters demand or call for is the protest's cause, not a protest that may happen.
_DEMAND = re.compile(r"demand|call|urg|incit", re.I)
# "attacks kill 18 on the anniversary of ...": the anniversary is the day of this incident.
_ON_ANNIVERSARY = re.compile(r"\bon\s+(?:the\s+)?(?:eve\s+of\s+(?:the\s+)?)?(?:[\w'’-]+\s+){0,4}?anniversary$", re.I)
# The trigger itself is dated to an earlier period: "last month's attack", "the previous week's raid".
_PAST_POSSESSIVE = re.compile(r"\b(?:last|the previous|the prior) (?:week|month|year)['’]s\s+(?:[\w-]+\s+){0,2}$", re.I)
_THAT_YEAR = re.compile(r"\bthat year\b|\bthe year before\b")
_CAMPAIGN = re.compile(r"\b(?:candidates?|campaign(?:s|ing|ers)?|electioneering|running mates?)\b", re.I)
# The trigger is what a span of weeks or more has passed since: "two weeks after the killing of".
_TIME_AFTER = re.compile(
    r"\b(?:\w+|a few)(?: and a half)? (?:weeks?|months?|years?|decades?) (?:after|since) (?:[\w'’-]+\s+){0,6}$", re.I
)
_UNVERIFIED = re.compile(
    r"\b(?:could not (?:be )?(?:independently )?(?:verif\w*|confirm\w*)|unable to (?:verify|confirm))\b", re.I
)
_YEAR = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d])")


def _cue_is_target(text: str, start: int, found, trigger: Trigger, cue: LowerPattern) -> bool:
    """The cue word is part of the trigger ("storm" in "forces storm the airport"), or a court
    building the trigger hits or happens at ("attack Baghdad court", "near the district court"),
    and nothing else in the sentence is a court story."""
    cue_start, cue_end = start + found.start(), start + found.end()
    if trigger.start <= cue_start and cue_end <= trigger.end:
        return True  # inside the trigger: "gas explosion" is not inside "explosion", so it still blocks
    if not re.fullmatch(r"court", found.group(0), re.I):
        return False
    at_court = re.search(
        r"\b(?:near|at|outside|inside|behind|opposite|in front of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$",
        text[max(0, cue_start - 60) : cue_start],
        re.I,
    )
    if not at_court and not 0 <= cue_start - trigger.end <= 40:
        return False
    return cue.search(text[cue_end : text.find(".", cue_end) if "." in text[cue_end:] else len(text)]) is None


# The act's own date: "in June 2020" right after the trigger, no day named in between.
_IN_YEAR = re.compile(
    r"^(?:(?![.;]|\b(?:on|this|last|late|early)\s+\w+day\b|\byesterday\b|\btoday\b).){0,60}?"
    r"\bin\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?(?P<year>(?:19|20)\d\d)\b"
)


def _dated_to_past_year(after: str, published: date) -> bool:
    m = _IN_YEAR.search(after)
    return bool(m) and int(m["year"]) < (
        published.year - 1 if published.month == 1 and published.day <= 15 else published.year
    )


def _earlier_month(d: DateMention, published: date) -> bool:
    return d.precision == "month" and (d.value.year, d.value.month) < (published.year, published.month)


def _past_years_only(sentence: str, published: date) -> bool:
    """A sentence naming only past years ("the 1998 bombing", "in 2020-2022") is background."""
    years = [int(y) for y in _YEAR.findall(sentence)]
    if not years:
        return False
    # Early January still reports late-December incidents of the previous year.
    recent = published.year - 1 if published.month == 1 and published.day <= 15 else published.year
    return all(y < recent for y in years)


def text_of(mention: Mention) -> str:
    return mention.text


_DATELINE_DASH = re.compile(r"\s*(?:—|–|--?)\s")
_CLAUSE_WORD = re.compile(r"\b[a-z]{3,}\b")
_BETWEEN = re.compile(r"\bbetween\s+(?:[\w'’.-]+\s+){0,4}?[\w'’.-]+$", re.I)
_DAYS_LATER = re.compile(r"\b(?:(?P<n>\w+)\s+days?\s+later|the\s+(?:next|following)\s+day|a\s+day\s+later)\b", re.I)
# ", a day after ...": what the main clause reports followed an earlier act, its own incident.
# "as" joins two acts ("..., as gunmen stormed ..."), not a role ("a school used as a shelter").
_CLAUSE_BREAK = re.compile(
    r"(?:,\s+|(?<!\bused)(?<!\bknown)(?<!\bsuch)(?<!\bserving)(?<!\bserved)\s+)"
    r"(?:and|while|but|as(?!\s+(?:a|an|well|part|if|though|long|soon|much|many|far|of|to)\b))\s+(?=\w)"
    r"|;\s+|,\s+(?=(?:a|one|two|three|four|five|\d)\s+days?\s+after\s)"
)


def _clauses(
    text: str, start: int, end: int, index: int, spans, dates, found: list[Trigger]
) -> list[tuple[int, int, int, bool]]:
    """Split a sentence reporting two incidents ("... in Gaza City, and a separate strike on a
    house in Deir al-Balah ...") into clauses; keep it whole otherwise."""
    if len(found) < 2:
        return [(start, end, index, False)]
    separate = cues()["separate"]
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        left, right = (start, m.start()), (m.end(), end)
        if right[1] - right[0] < 25 or left[1] - left[0] < 25:
            continue
        if not _CLAUSE_WORD.search(text, left[0], left[1]):
            continue  # "ADEN, 17 November 2025 — Landmines": a dateline and a noun are no clause
        if _BETWEEN.search(text, left[0], left[1]):
            continue  # "on the road between Tyre and the village of X": one span, two places
        if not any(t.end <= left[1] for t in found) or not any(t.start >= right[0] for t in found):
            continue
        right_text = text[right[0] : right[1]]
        marked = bool(
            separate.match(right_text[:60])
            or re.match(
                r"(?:the next day|a day later|hours later|later|a separate"
                r"|(?:a|one|two|three|four|five|\d)\s+days?\s+after|another (?:attack|incident|strike|bomb"
                r"|blast|raid|explosion)|a second (?:attack|incident|strike|bomb|blast|raid|explosion))\b",
                right_text,
                re.I,
            )
            or _DAYS_LATER.search(right_text)
        )
        left_places = {sp.surface for sp in spans if left[0] <= sp.start < left[1]}
        right_places = {sp.surface for sp in spans if right[0] <= sp.start < right[1]}
        left_days = {d.value for d in dates if left[0] <= d.start < left[1] and d.precision == "day"}
        right_days = {d.value for d in dates if right[0] <= d.start < right[1] and d.precision == "day"}
        new_place = bool(right_places) and not (right_places & left_places)
        new_day = bool(right_days) and bool(left_days) and not (right_days & left_days)
        if marked or (new_place and (new_day or not left_places.isdisjoint(left_places)) and left_places):
            return [(left[0], left[1], index, False), (right[0], right[1], index, True)]
    return [(start, end, index, False)]


def _has_anchor(mention: Mention) -> bool:
    if mention.fatalities or mention.injured or mention.none_reported:
        return True
    if mention.places:
        return True
    # A day of its own ("On 12 November, ...") or a place named after "in" is concrete, even
    # when the gazetteer does not know the village.
    if any(d.explicit and d.precision == "day" for d in mention.event_dates) or _IN_PLACE.search(mention.text):
        return True
    return any(
        a.named or a.actor_type in ("Political militia", "State forces", "Protesters", "Rioters")
        for a in mention.actors
    )


_IN_PLACE = re.compile(
    r"\b(?:in|near|at|(?:north|south|east|west)(?:-?(?:east|west))? of) "
    r"(?:the (?:village|town|city|district|area|locality|commune|hamlet|market|quarter"
    r"|neighbou?rhood|county|municipality) of )?(?:[\w'’]+-(?:held|controlled) )?(?!The\b|A\b|An\b)[A-Z][a-z]"
    # headlines name the front by who holds it: "fire into rebel-held Idlib"
    r"|\b(?:into|on|in) [\w'’ ]{0,20}?-(?:held|controlled) [A-Z][a-z]"
)
_NEGATED = re.compile(r"\b(?:no one|nobody|no|not|never|none)\s+(?:\w+\s+){0,2}$|\bany\s+$", re.I)
_TERRITORY_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,6}?(?:town|village|city|district|base|area|territory|island|hill|camp|headquarters|airport|"
    r"port|positions?|garrison|outpost|barracks|region|county|township|locality|settlement|province|state|"
    r"land|ground|sites?|areas?|villages|neighbou?rhoods?|oil ?fields?|refinery|"
    r"stronghold|bridge|dam|border crossing|crossroads|junction|neighbou?rhood|suburb|control)\b",
    re.I,
)
_PERSON_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:commander|leader|chief|members?|fighters|militants|suspects?|rebels|insurgents|"
    r"soldiers|men|people|civilians|hostages)\b",
    re.I,
)
_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}


def _best_trigger(found: list[Trigger], text: str) -> Trigger | None:
    pool = [t for t in found if not _NEGATED.search(text[max(0, t.start - 20) : t.start])]
    if not pool:
        return None
    checked = []
    for t in pool:
        if t.sub_event_type in _TERRITORY:
            after = text[t.end : t.end + 80]
            names_ground = bool(_TERRITORY_OBJECT.match(text[t.start : t.end]))  # "take ground", "took control"
            if _PERSON_OBJECT.match(after) and not _TERRITORY_OBJECT.match(after) and not names_ground:
                # "captured a senior commander": an arrest (or abduction), not territory.
                checked.append(Trigger("Arrests", 55, None, t.start, t.end))
                continue
            if not _TERRITORY_OBJECT.match(after) and not re.match(r"^\s+(?:the\s+)?[A-Z]", after) and not names_ground:
                continue
        checked.append(t)
    pool = checked or pool
    subs = {t.sub_event_type for t in pool}
    sentence_has_casualties = False
    if subs & PROTEST_FAMILY and not any(t.priority >= 75 for t in pool):
        # In a protest sentence, "attack"/"killed" describe the protest's policing, not an attack.
        protest = [t for t in pool if t.sub_event_type in PROTEST_FAMILY]
        if protest:
            if "Arrests" in subs and subs & {"Peaceful protest"} and not subs - {"Peaceful protest", "Arrests"}:
                first = min(t.start for t in protest)
                return Trigger("Protest with intervention", 60, None, first, first + 1)
            pool = protest
    # "detained the mayor in dawn raids": the raid is how the arrest was made.
    if any(t.sub_event_type == "Arrests" for t in pool) and all(
        re.fullmatch(r"raid(?:s|ed)?|stormed", text[t.start : t.end], re.I)
        for t in pool
        if t.sub_event_type in ("Attack", "Armed clash")
    ):
        return next(t for t in pool if t.sub_event_type == "Arrests")
    strong_disrupted = [t for t in pool if t.sub_event_type == "Disrupted weapons use" and t.priority >= 80]
    if strong_disrupted and not sentence_has_casualties:
        return strong_disrupted[0]
    if "Non-violent transfer of territory" in subs and subs & _TERRITORY and "Armed clash" not in subs:
        return next(t for t in pool if t.sub_event_type == "Non-violent transfer of territory")
    intercepted = [t for t in pool if t.sub_event_type == "Disrupted weapons use"]
    if intercepted and subs <= _INTERCEPTABLE:
        lo, hi = min(t.start for t in pool), max(t.end for t in pool)
        stop = text.find(".", hi)
        sentence = text[text.rfind(".", 0, lo) + 1 : len(text) if stop < 0 else stop]
        if not _LANDED.search(sentence):
            return intercepted[0]  # "four rockets fired at X were intercepted": nothing hit (ACLED)
    return max(pool, key=lambda t: (t.priority, -t.start))


# Weapons that can be shot down or intercepted; the sentence says none of them got through unless
# one hit, landed or hurt someone, or only some ("21 of 29", "one of the rockets") were stopped.
_SHOT_DOWN = re.compile(r"intercept|shot down|downed", re.I)
_INTERCEPTABLE = {"Disrupted weapons use", "Shelling/artillery/missile attack", "Air/drone strike"}
_LANDED = re.compile(
    r"\b(?:land(?:ed|s)?|hit|struck|fell|impact\w*|damag\w*|explod\w*|kill\w*|wound\w*|injur\w*|debris|while|but|"
    r"others?|rest|remaining|(?:one|two|three|some|most|several|\d+) of)\b",
    re.I,
)


# ---------------------------------------------------------------- the extractor


# Page furniture a crawled page carries around the story: photo captions (they retell the story or
# an older one) and "Related coverage" / "Read also" lines (headlines of other stories). A line that
# opens with such a label says nothing new about this story's incidents.
_FURNITURE = re.compile(
    r"[ \t]*[\[(]?(?:(?:photo|picture|image|still|chart|graphic|video|file photo)s?(?: caption)?|caption"
    r"|related(?: coverage| stories| articles| news| content| reading| summaries| links)?(?: \([^)\n]{1,30}\))?"
    r"|read (?:also|more|next)|also read|see also|also in the news|in other news|more(?: on this story| sport| news"
    r"| reviews| stories| coverage)?|further reading|you may also like|most (?:read|popular|viewed)|trending"
    r"|recommended(?: stories)?|don'?t miss|editor'?s picks?|top stories|watch|listen|(?:related )?topics|tags"
    # the same labels on French and Spanish pages (when the gloss leaves them as they are)
    r"|(?:à )?lire aussi|voir aussi|sur le même sujet|légende|le(?:er|a) (?:también|más)|(?:le|te) puede interesar"
    r"|noticias relacionadas|relacionad[oa]s?|fotos?|pie de foto)"
    r"\s*[:|]",
    re.I,
)
# The headline list under a bare "Related coverage:" label, one bullet a line.
_BULLET = re.compile(r"[ \t]*[-•*–—]\s")


def without_furniture(text: str) -> str:
    """text with its furniture lines blanked (same length, so offsets into it stay valid)."""
    out, listing = [], False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if not body.strip():
            out.append(line)
            continue
        label = _FURNITURE.match(body)
        if label or (listing and _BULLET.match(body)):
            out.append(re.sub(r"[^\r\n]", " ", line))
            listing = bool(label and not body[label.end() :].strip()) or (listing and not label)
        else:
            out.append(line)
            listing = False
    return "".join(out)


def extract(
    text: str, published: date, title: str | None = None, source_country: str | None = None
) -> list[EventMention]:
    """Incidents reported in an article: trigger rules first; when they find nothing, the learned
    classifier may name the lead's incident (wordings no trigger lists), and the same rules then
    gate it (negation, hypotheticals, background) and fill its fields."""
    text = without_furniture(text[:MAX_TEXT_CHARS])
    events = _extract(text, published, title, source_country)
    if events:
        return events
    forced = _learned_triggers(text[:MAX_TEXT_CHARS])
    return _extract(text, published, title, source_country, forced) if forced else []


# The learned classifier must be this sure before it reports an incident no trigger found, or
# overrules the trigger's sub-type.
LEARNED_DETECT = 0.3
LEARNED_OVERRIDE = 0.4
LEARNED_PRIORITY = 50
_LEAD_SENTENCES = 2
_LEARNED_CHARS = 600  # the incident's opening says what it was; more text only costs time


def _learned_triggers(text: str) -> dict[int, list[Trigger]]:
    """A trigger for each lead sentence the classifier reads as an incident."""
    model = classifier.load_model()
    if model is None:
        return {}
    forced = {}
    for index, (s, e) in enumerate(split_sentences(text)[:_LEAD_SENTENCES]):
        label, p = model.best(text[s:e])
        if label == classifier.NONE or p < LEARNED_DETECT:
            continue
        span = model.anchor(text[s:e], label)
        if span:
            forced[index] = [Trigger(label, LEARNED_PRIORITY, None, s + span[0], s + span[1])]
            break
    return forced


# Sexual violence done to people, as a report of an attack or abduction names it.
_SEXUAL_HARM = re.compile(
    r"\b(?:(?:gang-?)?rap(?:ed|ing)|sexually\s+(?:assault|abus|violat|molest)\w*|sexual\s+(?:violence|assault|abuse)"
    r"|molest(?:ed|ing)|defiled|stripped\s+(?:\w+\s+)?naked)\b",
    re.I,
)
_SEXUAL_ACT = re.compile(r"\brap(?:e|ed|es|ing|ists?)\b|sexual|molest|defile|indecent", re.I)


def _learned_subtype(incident: Incident, rule_sub: str) -> str:
    """The classifier's reading of the incident's sentences where it is sure and knows the
    rule's answer too (a model without that class cannot judge it)."""
    model = classifier.load_model()
    # A named weapon, a place changing hands (capture after fighting is a territory change, not
    # the fighting) or a weapon shot down before it hit is what the words say.
    lead = incident.mentions[0]
    if model is None or rule_sub in WEAPON_NAMED or rule_sub in _TERRITORY:
        return rule_sub
    if rule_sub == "Disrupted weapons use" and _SHOT_DOWN.match(lead.text, lead.trigger.start - lead.sentence[0]):
        return rule_sub
    label, p = model.best(" ".join(m.text for m in incident.mentions[:2])[:_LEARNED_CHARS])
    if label == classifier.NONE or label == rule_sub:
        return rule_sub
    if (protest_rank(label) or 99) < (protest_rank(rule_sub) or 0):
        return rule_sub  # the rules read an intervention or violence the reading as a whole missed
    if label == "Sexual violence" and not any(_SEXUAL_ACT.search(m.text) for m in incident.mentions[:2]):
        return rule_sub  # words about women (a dress code imposed on them) are no sexual violence unless it is named
    if p >= LEARNED_OVERRIDE and (rule_sub in model.classes or p >= 0.85):
        return label
    return rule_sub


@dataclass
class ArticleContext:
    """What the article as a whole says about its sentences."""

    sport_hits: int  # distinct sport words: a sports report
    commemoration: bool  # it opens by commemorating: it retells old events throughout
    disputed: bool  # it opens on a denial: what follows are claims
    accident: bool  # it opens on an accident or disaster: its deaths are such
    # It opens on a threat, a trial or a disaster: attacks it mentions later are its background
    # unless dated within the last two days.
    off_topic: bool = False
    # It opens on a parade or arms show that harms no one: weapons named later are on display.
    display: bool = False


# A page's opening lines may be a byline or a label ("By A. Reporter | Outlet", "Live updates"):
# short and unpunctuated. The story's lead is the first sentence after them.
_LEAD_WORDS = 12
_SENTENCE_CLOSE = re.compile(r"[.!?]['\"”’)\]]*$")


def lead_index(text: str, sentences: list[tuple[int, int]]) -> int:
    for index, (s, e) in enumerate(sentences):
        if "\n" not in text[s:e] and (_SENTENCE_CLOSE.search(text, s, e) or len(text[s:e].split()) > _LEAD_WORDS):
            return index
    return 0


def _article_context(text: str, sentences: list[tuple[int, int]], title: str | None) -> ArticleContext:
    sentences = sentences[lead_index(text, sentences) :]
    first = text[sentences[0][0] : sentences[0][1]] if sentences else ""
    first_triggers = find_triggers(text, *sentences[0]) if sentences else []
    lead_text = text[sentences[0][0] : sentences[min(1, len(sentences) - 1)][1]] if sentences else ""
    strong = cues()["historical_strong"].search(first)
    # "attacks kill 18 on the anniversary of ...": an incident on a memorable day, not a commemoration.
    on_the_day = bool(
        strong
        and first_triggers
        and _ON_ANNIVERSARY.search(text, min(t.end for t in first_triggers), sentences[0][0] + strong.end())
    )
    return ArticleContext(
        sport_hits=len({m.lower() for m in cues()["sport"].findall(text)}),
        # "gathered to remember the 130 killed in 2015"
        commemoration=bool(strong)
        and not on_the_day
        and not any(t.sub_event_type in PROTEST_FAMILY for t in first_triggers),
        # "the ministry denied claims that ..."
        disputed=bool(re.search(r"\bdenied\s+(?:\w+\s+){0,3}(?:claims?|reports?|allegations?)\b", lead_text, re.I)),
        accident=(
            any(
                not (a.group(0).lower().startswith("storm") and _STORMING.search(title, 0, a.start()))
                for a in cues()["accident"].finditer(title or "")
            )
            or any(
                not any(
                    t.start <= sentences[0][0] + a.start() and sentences[0][0] + a.end() <= t.end
                    for t in first_triggers
                )
                for a in cues()["accident"].finditer(first)
            )
        )  # "forces storm the town" is no storm
        and not any(t.priority >= 70 for t in first_triggers),
        # A lead about a drill, a film or a re-enactment: what the story goes on to describe is staged.
        off_topic=bool(
            _REVIEW_TITLE.search(title or "") or _EXPLAINER_TITLE.search(title or "") or cues()["fiction"].search(first)
        ),
        display=bool(_PARADE.search(first)) and not cues()["person_harm"].search(first),
    )


def _extract(
    text: str,
    published: date,
    title: str | None,
    source_country: str | None,
    forced: dict[int, list[Trigger]] | None = None,
) -> list[EventMention]:
    # A news article is a few thousand characters; a huge page is read up to this point only
    # (offsets stay valid: they index the same text).
    text = text[:MAX_TEXT_CHARS]
    sentences = split_sentences(text)
    actor_cache: dict[int, list[actor_mod.ActorHit]] = {}

    def actors_in(index: int) -> list[actor_mod.ActorHit]:
        # Actors are looked up only in sentences that matter (events, claims): it is the costly part.
        if index not in actor_cache:
            actor_cache[index] = actor_mod.find_actors(text, *sentences[index])
        return actor_cache[index]

    # Places are looked up in the lead and in sentences with triggers (the rest only names
    # countries, counted in the country context). The dateline ("GOMA, DR Congo — ") says where
    # the reporter files from: context and last-resort location only.
    sentence_triggers = [find_triggers(text, s, e) + (forced or {}).get(i, []) for i, (s, e) in enumerate(sentences)]
    wanted = [index < 3 or bool(found) for index, found in enumerate(sentence_triggers)]
    article = article_places(text, sentences, wanted, title, source_country)
    spans_by_sentence = article.spans_by_sentence
    dateline_end = article.dateline_end
    ctx = _article_context(text, sentences, title)
    lead = lead_index(text, sentences)

    mentions: list[Mention] = []
    extra: list[tuple[Mention, tuple[int, int], object]] = []
    lead_dates: list[DateMention] = []
    all_dates: list[DateMention] = []
    # A log entry's dated title ("June 8th, 2015: Mosul, ...") dates the entry however old: the
    # incident's date when its sentences name none, and no sign of a retold past.
    heading = heading_date(title or text, published)
    # An old heading date inside the text must not make its line read as a retold past.
    old_heading = heading is not None and not title and is_historical(heading, published)
    if heading is not None:
        lead_dates.append(heading)
    units: list[tuple[int, int, int, bool]] = []  # clause start, end, sentence index, starts a separate report
    for index, (s, e) in enumerate(sentences):
        # Dates matter only in the lead and in sentences that report something.
        sentence_dates = find_dates(text, published, s, e) if index < 3 or sentence_triggers[index] else []
        # "ADEN, 17 November 2025 — ...": a release's dateline dates the release, not what it reports.
        sentence_dates = [d for d in sentence_dates if not (d.start - s < 60 and _DATELINE_DASH.match(text, d.end))]
        if old_heading and index == 0:
            sentence_dates = [d for d in sentence_dates if d != heading]
        all_dates += sentence_dates
        if index < 3:
            lead_dates += [
                d
                for d in sentence_dates
                if not d.statement_date and not is_historical(d, published) and d.value <= published
            ]
        units += _clauses(text, s, e, index, spans_by_sentence[index], sentence_dates, sentence_triggers[index])
    mention_index: dict[int, int] = {}
    sentence_blocked: dict[int, bool] = {}
    sentence_best: dict[int, Trigger | None] = {}
    background_paragraphs: set[int] = set()
    paragraph_of = _paragraph_numbers(text, sentences)
    for s, e, index, separate_clause in units:
        if index not in sentence_blocked:
            # A clause inherits its sentence's verdict: "In June 2025, bombings ... and shootings ... killed 8".
            ss, se = sentences[index]
            whole = sentence_triggers[index]
            sentence_dates = [d for d in all_dates if ss <= d.start < se]
            best = _first_unblocked(whole, text, ss, se, published, sentence_dates)
            # Blocked: it has triggers, and none survives (all-negated sentences go on as casualty reports).
            verdict = bool(whole) and best is None and _best_trigger(whole, text) is not None
            # Background runs on within a paragraph: after "In 2015, gunmen stormed ...", "The siege
            # lasted 15 hours" is still 2015 unless the sentence names a recent day of its own.
            para = paragraph_of[index]
            recent = any(
                d.precision == "day" and not d.statement_date and not is_historical(d, published)
                for d in sentence_dates
            )
            why = _blocked(text, ss, se, _best_trigger(whole, text), published, sentence_dates) if verdict else ""
            if verdict and index == lead and why in _OFF_TOPIC_LEADS:
                ctx.off_topic = True
            if verdict and _is_background(text[ss:se], published):
                background_paragraphs.add(para)
                if index == lead and not any(t.sub_event_type in PROTEST_FAMILY for t in whole):
                    ctx.commemoration = True  # the lead itself retells the past: a feature, not news
            elif whole and para in background_paragraphs and not recent:
                verdict = True
            elif (
                whole
                and ctx.commemoration
                and not any(
                    d.precision == "day" and not d.statement_date and 0 <= (published - d.value).days <= 7
                    for d in sentence_dates
                )
            ):
                verdict = True  # a feature retelling old events: only this week's news counts
            elif (
                whole
                and ctx.off_topic
                and not any(
                    d.precision == "day" and not d.statement_date and 0 <= (published - d.value).days <= 2
                    for d in sentence_dates
                )
            ):
                verdict = True
            sentence_blocked[index] = verdict
            sentence_best[index] = best
        if sentence_blocked[index]:
            continue
        dates = [d for d in all_dates if s <= d.start < e]
        found = [t for t in sentence_triggers[index] if s <= t.start < e]
        # "No one was killed.": a trigger word, but negated, so a casualty report like any other.
        negated_only = bool(found) and _best_trigger(found, text) is None
        if not found or negated_only:
            if not _CASUALTY_WORD.search(text, s, e):
                continue
            casualties = find_casualties(text[s:e])
            # Only sentences near an incident's mention (same paragraph or the next few) report on it.
            last_index = mention_index[id(mentions[-1])] if mentions else -99
            near = bool(mentions) and (index - last_index <= 3 or paragraph_of[index] == paragraph_of[last_index])
            if (
                mentions
                and (near or _TOLL_ANAPHOR.search(text, s, e))
                and (casualties.fatalities is not None or casualties.injured is not None or casualties.none_reported)
                and not _blocked_plain(text[s:e], published)
            ):
                # "No casualties were reported." / "Five people died." report on the last incident.
                last = mentions[-1]
                extra.append((last, (s, e), casualties))
            continue
        if (s, e) == sentences[index]:
            trigger = sentence_best[index]  # the whole sentence was checked above
        else:
            trigger = _first_unblocked(found, text, s, e, published, dates)
        if trigger is None:
            continue
        if _older_retold(dates, mentions, published):
            continue
        if ctx.accident and trigger.priority < 70 and trigger.sub_event_type in ("Attack", "Armed clash"):
            continue  # "one worker was killed" in a mine-accident story
        if ctx.accident and trigger.priority < 70 and trigger.sub_event_type == "Other" and index != lead:
            # Schools closed after a flood: the disaster's response. A lead that reports a measure
            # ("banned gatherings over the outbreak") is the news itself.
            continue
        if ctx.display and not cues()["person_harm"].search(text[s:e]):
            continue  # "drones and rocket launchers rolled past": shown, not fired at anyone
        if ctx.disputed and _REPORTED.search(text, s, e):
            continue  # a claim the article opens by reporting as denied
        if (
            ctx.sport_hits >= 2
            and (
                trigger.priority < 75
                # "bombarded the Moroccan goal": a strong trigger in a sports report is a metaphor when
                # its own sentence speaks sport and harms no one (a blast at a stadium kills or wounds)
                or (cues()["sport"].search(text[s:e]) and not cues()["person_harm"].search(text[s:e]))
            )
        ):
            continue
        named = [(h.start, h.end) for h in actors_in(index) if h.named]
        places = article.resolve_in(index, s, e, exclude=named)
        casualties = find_casualties(text[s:e])
        hits = [h for h in actors_in(index) if s <= h.start and h.end <= e]
        quoted = _is_quote_or_post(text, s, e)
        # Title and standfirst run before a mid-text dateline: they summarise, they add nothing new.
        standfirst = dateline_end > 0 and e <= dateline_end
        # "the attack ..." refers back; "the police arrested ..." reports (a verb trigger has a subject).
        # In the opening sentence there is nothing to refer back to ("during their protest").
        anaphor = (
            index > 0
            and bool(_ANAPHOR.search(text[max(s, trigger.start - 25) : trigger.start]))
            and not _VERB_TRIGGER.match(text, trigger.start, trigger.end)
        )
        follow_up = quoted or standfirst or anaphor
        if quoted:
            dates = []  # "tonight" in a post is the poster's night, not the publication's
        if follow_up:
            hits = [h for h in hits if h.named]
        mention = Mention(
            (s, e),
            trigger,
            places,
            dates,
            casualties.fatalities,
            casualties.injured,
            casualties.none_reported,
            hits,
            separate_clause or bool(cues()["separate"].search(text[s:e])),
            follow_up=follow_up,
            text=text[s:e],
        )
        mention.fatality_groups = casualties.fatality_groups
        if trigger.sub_event_type in WEAK_SUBTYPES and not _has_anchor(mention):
            continue
        mentions.append(mention)
        mention_index[id(mention)] = index

    incidents = _incidents(mentions, extra, text, sentences, actors_in, article)
    return _code(incidents, text, published, lead_dates, article)


def _incidents(
    mentions: list[Mention], extra, text: str, sentences, actors_in, article: ArticlePlaces
) -> list[Incident]:
    """Mentions merged into incidents, each with the claims and casualty sentences that are its own."""
    incidents = _merge(mentions)
    claimed, claim_explicit, claimed_what = _claimed_by(text, sentences, actors_in)
    # "X claimed the bus attack": the claim goes to the one incident that mentions a bus; without
    # such a word, to the article's main (first) incident.
    owners = [
        i
        for i, inc in enumerate(incidents)
        if claimed_what
        and any(
            re.search(rf"\b{re.escape(claimed_what)}", text[a:b], re.I) and not _CLAIM.search(text, a, b)
            for a, b in {m.sentence for m in inc.mentions}
        )
    ]
    owner = owners[0] if len(owners) == 1 else 0
    for i, inc in enumerate(incidents):
        inc.dateline = article.dateline
        inc.claimed = claimed if i == owner else []
        inc.claim_elsewhere = bool(claimed) and claim_explicit and i != owner
        inc.claim_explicit = claim_explicit
    for mention, span, casualties in extra:
        for inc in incidents:
            if any(m is mention for m in inc.mentions):
                inc.extra_sentences.append(span)
                inc.extra_groups.append(casualties.fatality_groups)
                inc.extra_injured.append(casualties.injured)
                inc.extra_none = inc.extra_none or casualties.none_reported
    return incidents


def _code(
    incidents: list[Incident], text: str, published: date, lead_dates: list[DateMention], article: ArticlePlaces
) -> list[EventMention]:
    """Each incident coded: sub-type, place, date, toll, actors (a later one may count its days
    from the one before: "two days later")."""
    events: list[EventMention] = []
    for i, inc in enumerate(incidents):
        for m in inc.mentions:
            m.text = text[m.sentence[0] : m.sentence[1]]
        event = _build(inc, text, published, lead_dates, article, i == 0, events[-1].event_date if events else None)
        if event is not None:
            events.append(event)
    return events


def _compatible(incident: Incident, mention: Mention) -> bool:
    town, day = incident.town, incident.day
    if mention.town and town and not same_place(mention.town, town):
        return False
    mention_days = [d for d in mention.event_dates if d.precision == "day"]
    if mention_days and day and abs((mention_days[0].value - day.value).days) > 1:
        return False
    return True


def _differs(incident: Incident, mention: Mention) -> bool:
    if mention.town and incident.town and not same_place(mention.town, incident.town):
        return True
    days = [d.value for d in mention.event_dates if d.precision == "day"]
    if days and incident.day and days[0] != incident.day.value:
        return True
    return not (mention.town and incident.town)


def _merge(mentions: list[Mention]) -> list[Incident]:
    incidents: list[Incident] = []
    for mention in mentions:
        if not incidents:
            if not mention.follow_up:
                incidents.append(Incident([mention]))
            continue
        fits = [inc for inc in incidents if _compatible(inc, mention)]
        # Where several incidents fit, a mention joins one of its own kind ("the fighting on Saturday"
        # after "a curfew on Sunday, a day after heavy fighting").
        kind = mention.trigger.sub_event_type
        target = next(
            (inc for inc in fits if inc.mentions[0].trigger.sub_event_type == kind), fits[0] if fits else None
        )
        if mention.follow_up:
            (target or incidents[0]).mentions.append(mention)
            continue
        own_anchor = mention.town is not None or any(d.precision == "day" for d in mention.event_dates)
        strategic = mention.trigger.sub_event_type in STRATEGIC
        protest = kind in PROTEST_FAMILY
        if (
            mention.separate
            and not strategic
            and mention.trigger.priority >= 60
            and target is not None
            and _differs(target, mention)
        ) or (protest and target is not None and _protest_apart(target, mention)):
            # "In a separate incident, ..." starts a new incident unless it names the same town and day.
            incidents.append(Incident([mention]))
        elif target is not None:
            target.mentions.append(mention)
        elif own_anchor and not strategic and (mention.trigger.priority >= 60 or mention.fatalities):
            incidents.append(Incident([mention]))
        elif protest and mention.town is not None and target is None and len(mention.places) == 1:
            # A march in another town is its own event; "rallies in A, B and C" is a round-up.
            incidents.append(Incident([mention]))
        else:
            incidents[0].mentions.append(mention)
    return incidents


# "A march also took place in X", "protests were also held in X" (not "protesters also demanded").
_ALSO = re.compile(
    r"\balso\s+(?:took place|(?:been\s+)?(?:held|staged)|march\w*|protest\w*|rall\w*|gather\w*|demonstrat\w*)\b",
    re.I,
)


def _protest_apart(incident: Incident, mention: Mention) -> bool:
    """A march after a clash or bombing, on another day or in another town, is its own event
    ("the next day, relatives marched through the capital"), not the violence's follow-up."""
    elsewhere = mention.town and (incident.town is None or not same_place(mention.town, incident.town))
    if elsewhere and _ALSO.search(mention.text):
        return True  # "a march also took place in X": another crowd, whatever the first one did
    if incident.mentions[0].trigger.sub_event_type in PROTEST_FAMILY:
        return False
    if mention.town and incident.town and not same_place(mention.town, incident.town):
        return True
    days = [d.value for d in mention.event_dates if d.precision == "day"]
    return bool(days) and incident.day is not None and days[0] != incident.day.value


# What troops recovered after a clash ("rifles, a hand grenade and documents") was not used in it.
_RECOVERED = re.compile(r"\b(?:recovered|seized|confiscated|captured|found)\b(?:(?![.;]).){0,80}$", re.I)


def _choose_subtype(incident: Incident) -> str:
    """The lead mention names the incident; later mentions may only make it more specific
    (an "attack" that turns out to be a roadside bomb, a protest that police dispersed)."""
    lead = incident.mentions[0]
    sub = lead.trigger.sub_event_type
    for m in incident.mentions[1:]:
        later = m.trigger.sub_event_type
        # "... had been repelled and air strikes were under way": the answer's weapon is not the
        # attack's, so a sentence reporting a response does not make the incident more specific.
        response = cues()["response"].search(m.text)
        if (
            sub in ("Attack", "Armed clash")
            and m.trigger.priority >= 75
            and later != "Disrupted weapons use"
            and not response
            and not _RECOVERED.search(m.text, 0, m.trigger.start - m.sentence[0])
        ):
            return later
        if later == "Chemical weapon" and sub in VIOLENT_SUBTYPES and not response:
            return later  # the most specific weapon there is
        if later == "Suicide bomb" and sub == "Remote explosive/landmine/IED" and not response:
            return later  # "a bomb blast ... the attacker was a suicide bomber": the bomb was carried
        if (protest_rank(later) or 0) > (protest_rank(sub) or 99):
            sub = later  # a protest that police dispersed, or whose demonstrators burned tyres
    return sub


_BY_BEFORE = re.compile(
    r"\bby\s+(?:(?:suspected|alleged|armed|members\s+of|fighters\s+(?:from|of)|militants\s+(?:from|of)|the|a|an|its|local|heavily)\s+)*$",
    re.I,
)
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|are|is)\s+(?:\w+\s+)?(?:killed|attacked|abducted|kidnapped|shot|wounded|injured|targeted|ambushed|arrested|detained|seized|hit|struck|raped|bombed|shelled|captured|dispersed|beaten|lynched)\b",
    re.I,
)
_CLAIM = re.compile(
    r"\b(?:claimed\s+(?:responsibility|the\s+(?:(?P<what>[a-z][\w-]+)\s+)?(?:attack|bombing|strike|killing|abduction|kidnapping|raid|ambush|assault))|took\s+responsibility|said\s+(?:it|they)\s+(?:had\s+)?carried\s+out|"
    r"said\b[^.;]{0,60}?\b(?:its|their)\s+(?:fighters?|members?|militants?|men)\s+(?:had\s+)?carried\s+out)\b",
    re.I,
)
_NO_CLAIM = re.compile(r"\b(?:no|not|nobody|never|none|yet\s+to)\b(?:\s+\w+){0,3}\s*$", re.I)
_REPORTED = re.compile(r"\b(?:said|says|claimed|claims|according to)\b", re.I)
_CLAIM_WORD = LowerPattern(r"claim|responsib|carried out|blam|suspect|accus|believed|belong|loyal|affiliat|members? of")
# The attackers identified as a group's men: "the fighters belong to ISWAP".
_ATTRIBUTION = re.compile(
    r"\b(?:(?:attackers|assailants|gunmen|fighters|militants|insurgents|jihadists)\s+(?:belong(?:ed)?\s+to|"
    r"(?:are|were)\s+(?:(?:fighters|members)\s+of|loyal\s+to|from))|(?:attack|assault|raid|bombing)\s+"
    r"(?:was|bore)\s+(?:the\s+)?(?:work|hallmarks)\s+of)\b",
    re.I,
)
# Blame names the perpetrator; suspicion ("authorities suspect the ELN", "a cell was suspected")
# does not: the group stays unidentified until it claims the attack or is blamed.
_BLAME = re.compile(
    r"\b(?:blamed|(?:is|are|was|were)\s+(?:widely\s+)?believed|accused|believed\s+to\s+(?:be|belong))\b", re.I
)
ARMED_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces")


def _assign_roles(incident: Incident, text: str, sub: str) -> list[tuple[str, actor_mod.ActorHit, int]]:
    """Who did it and to whom, from the clauses that report this incident's type (see roles.py):
    "by X", claims and the subject of an active verb are perpetrators; the object, the subject
    of a passive verb ("soldiers were killed") and defenders ("troops repelled") are targets.
    Each role carries its strength so that grammar outranks mere word order."""
    roles: list[tuple[str, actor_mod.ActorHit, int]] = []
    lead = incident.mentions[0]
    for m in incident.mentions:
        if m is not lead and m.trigger.sub_event_type != lead.trigger.sub_event_type and not m.follow_up:
            continue
        claim = _CLAIM.search(text, *m.sentence) or _BLAME.search(text, *m.sentence)
        if claim and _NO_CLAIM.search(text, max(m.sentence[0], claim.start() - 30), claim.start()):
            claim = None  # "police suspected the ELN, but no one has claimed the attack"
        if claim and incident.claim_elsewhere and _CLAIM.search(text, *m.sentence):
            continue  # "X claimed the bus attack", merged here, is about the other incident
        found = role_mod.sentence_roles(text, m.sentence, m.actors, m.trigger.start)
        for hit, r in zip(m.actors, found, strict=False):
            if claim and hit.named and hit.start < claim.start():
                roles.append(("perpetrator", hit, max(r.strength, role_mod.GRAMMAR)))
                continue
            if r.role == role_mod.SOURCE or (m.follow_up and r.strength < role_mod.BY and not claim):
                continue
            roles.append((r.role, hit, r.strength))
    return roles


def _claimed_by(
    text: str, sentences: list[tuple[int, int]], actors_in
) -> tuple[list[actor_mod.ActorHit], bool, str | None]:
    """Named groups that claimed the attack, or were blamed for it or named as the attackers'
    group ("the fighters belong to ISWAP"), anywhere in the article; True when claimed; and the
    word naming which attack was claimed ("claimed the bus attack": "bus"), if any."""
    claimed, blamed = [], []
    what = None
    # One scan of the article finds the few sentences with a claim word (words do not cross
    # sentences); each is then read as before.
    starts = [s for s, _ in sentences]
    candidates = sorted({bisect_right(starts, m.start()) - 1 for m in _CLAIM_WORD.finditer(text)} - {-1})
    if not candidates:
        return [], False, None
    for index in candidates:
        s, e = sentences[index]
        if not _CLAIM_WORD.search(text[s:e]):
            continue
        sentence = text[s:e]
        claim = _CLAIM.search(sentence)
        blame = _BLAME.search(sentence) or _ATTRIBUTION.search(sentence)
        if not claim and not blame:
            continue
        if re.search(r"\bno\s+(?:group|one)\b", sentence, re.I) and claim:
            continue
        for hit in actors_in(index):
            if hit.named and hit.actor_type in ARMED_TYPES[1:]:
                (claimed if claim else blamed).append(hit)
                if claim and claim.group("what") and what is None:
                    what = claim.group("what").lower()
    return (claimed, True, what) if claimed else (blamed, False, None)


def _add_police(add, country_iso2: str | None, role: str) -> None:
    """The country's police, for a protest whose report names no force that acted on it."""
    name = actor_mod.load_lexicon().country_names.get(country_iso2, country_iso2) if country_iso2 else None
    add(role, f"Police forces of {name}" if name else "Police forces", "State forces", country_iso2, "")


_VICTIM_PEOPLE = (
    r"(?:civilians?|residents?|villagers?|passers-?by|passengers|children|child"
    r"|(?:\d+-year-old\s+)?(?:boys?|girls?)|wom[ae]n|people|persons?)"
)
# Civilians harmed, in the words a casualty sentence uses: "two civilians were killed", "killed a boy".
_CIVILIANS_HARMED = re.compile(
    r"\b" + _VICTIM_PEOPLE + r"\s+(?:were|was|had been|have been)\s+(?:\w+\s+)?(?:killed|injured|wounded|hurt)\b"
    r"|\b(?:killed|killing|injured|injuring|wounded|wounding)\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|\d+|several|dozens\s+of|at\s+least\s+\w+)\s+(?:\w+\s+)?" + _VICTIM_PEOPLE + r"\b",
    re.I,
)


def _final_actors(
    sub: str,
    event_type: str,
    perpetrators,
    targets,
    claimed,
    country_iso2,
    withdrawal: bool = False,
    strength: dict | None = None,
    claim_explicit: bool = False,
) -> list[ActorMention]:
    """Apply the coding conventions of each event type to the raw roles."""
    out: list[ActorMention] = []
    seen: set[tuple[str, str]] = set()

    def add(role: str, name: str, actor_type: str, cc: str | None, surface: str) -> None:
        if (role, name) not in seen and not (role == "target" and ("perpetrator", name) in seen):
            seen.add((role, name))
            out.append(ActorMention(role, name, actor_mod.coded_type(actor_type, cc, country_iso2), cc, surface))

    def add_hit(role: str, hit: actor_mod.ActorHit) -> None:
        name, cc = actor_mod.resolve_name(hit, country_iso2)
        actor_type = hit.actor_type
        affiliate = actor_mod.affiliate_of(name, country_iso2)
        if affiliate:
            name, actor_type = affiliate
        add(role, name, actor_type, cc, hit.surface)

    everyone = perpetrators + targets
    state = [h for h in everyone if h.actor_type == "State forces"]
    if sub in ("Peaceful protest", "Protest with intervention"):
        add(
            "perpetrator",
            "Protesters",
            "Protesters",
            country_iso2,
            next((h.surface for h in everyone if h.actor_type == "Protesters"), ""),
        )
        if sub == "Protest with intervention":
            for h in state[:1]:
                add_hit("target", h)
            if not state:
                _add_police(add, country_iso2, "target")  # "the crowd was dispersed": by the police, as a rule
        return out
    if sub == "Excessive force against protesters":
        for h in state[:1]:
            add_hit("perpetrator", h)
        if not state:
            _add_police(add, country_iso2, "perpetrator")
        add("target", "Protesters", "Protesters", country_iso2, "")
        return out
    if sub in ("Violent demonstration", "Mob violence"):
        add(
            "perpetrator",
            "Rioters",
            "Rioters",
            country_iso2,
            next((h.surface for h in everyone if h.actor_type in ("Rioters", "Protesters")), ""),
        )
        forces = [h for h in state if "{country}" in h.name and not h.name.startswith("Government")] or [
            h for h in state if not h.name.startswith("Government")
        ]
        if sub == "Violent demonstration":
            for h in forces[:1]:
                add_hit("target", h)
        else:
            # A mob's victims are people; the police who arrive later are not its target.
            victims = [h for h in targets if h.actor_type == "Civilians"]
            for h in victims[:1]:
                add_hit("target", h)
            if not victims:
                add("target", "Civilians", "Civilians", country_iso2, "")
        return out

    if sub == "Non-violent transfer of territory" and withdrawal:
        # "Russian troops withdrew ... and handed control to the Syrian army": the side that
        # gains the ground is the actor, the one that leaves is the other party.
        perpetrators, targets = targets, perpetrators
    strength = dict(strength or {})

    def recode(hits, role: str, how):
        out_hits = []
        for h in hits:
            new = how(h)
            if new is not h and (role, id(h)) in strength:
                strength[(role, id(new))] = strength[(role, id(h))]
            out_hits.append(new)
        return out_hits

    perpetrators = recode(perpetrators, "perpetrator", actor_mod.as_armed)
    if event_type == "Battles":
        targets = recode(targets, "target", actor_mod.as_armed)  # "farmers and herders clashed": two militias
    elif event_type == "Violence against civilians":
        targets = recode(targets, "target", actor_mod.as_victim)
    perps = [h for h in perpetrators if h.actor_type not in ("Civilians", "Protesters")]
    armed_sides = [h for h in perps if h.actor_type in ARMED_TYPES]
    if strength and perps:
        # Grammar outranks word order: the subject of "militants stormed" beats "soldiers" met first.
        top = max(strength.get(("perpetrator", id(h)), 0) for h in perps)
        perps = [h for h in perps if strength.get(("perpetrator", id(h)), 0) >= top]
    attributable = event_type in VIOLENT_TYPES | {"Strategic developments"}
    if (
        claimed
        and claim_explicit
        and attributable
        and not any(h.named and strength and strength.get(("perpetrator", id(h)), 0) >= role_mod.GRAMMAR for h in perps)
    ):
        perps = claimed[:1]  # "X claimed the attack" outranks who the report merely mentions
    elif any(h.named for h in perps):
        perps = [h for h in perps if h.named]  # "gunmen" are the named group the article names
    elif claimed and attributable:
        perps = claimed[:1]
    if sub == "Disrupted weapons use":
        # Who defused, intercepted or seized is the actor; whose device it was, the other party
        # ("soldiers defused a bomb planted by JNIM").
        defenders = [h for h in perpetrators + targets if h.actor_type in ("State forces", "External/Other forces")]
        if defenders and not any(h.actor_type in ("State forces", "External/Other forces") for h in perps[:1]):
            targets = [h for h in perps if h.actor_type in ARMED_TYPES] + targets
            perps = defenders[:1]
    for h in perps[:1]:
        add_hit("perpetrator", h)
    perp_names = {a.name for a in out}
    victims = [h for h in targets if actor_mod.resolve_name(h, country_iso2)[0] not in perp_names]
    # "The attackers ..." named again after the verb are the perpetrators, not victims, unless
    # state forces fought them.
    if not any(h.actor_type == "State forces" for h in perps) or event_type != "Battles":
        victims = [h for h in victims if h.name != "Unidentified armed group"]
    if any(h.actor_type != "Civilians" for h in victims) and sub in (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ):
        victims = [h for h in victims if h.actor_type != "Civilians"]
    if event_type == "Strategic developments" and sub not in ("Looting/property destruction", "Arrests"):
        victims = [h for h in victims if h.actor_type != "Civilians"]
    if event_type == "Battles" and not victims:
        # A battle has two sides: "Russian forces attacked but were repelled by Ukrainian forces",
        # "X and Y clashed" name the other side as a second doer, not as an object.
        victims = [h for h in armed_sides if actor_mod.resolve_name(h, country_iso2)[0] not in perp_names]
    if sub in ("Headquarters or base established", "Change to group/activity", "Other"):
        if not perp_names:
            # One-sided: whoever the report names as armed is the actor ("armed men were seen
            # moving towards X", "soldiers deployed to X"), whatever the word order said.
            for h in [h for h in victims if h.actor_type in ARMED_TYPES][:1]:
                add_hit("perpetrator", h)
        victims = []  # one-sided developments have no target
    if sub == "Arrests" and not perp_names:
        _add_police(add, country_iso2, "perpetrator")  # "was arrested": by the police, as a rule
    # The grammatical victim first ("gunmen abducted five members of a family" beats a cartel named
    # in the background); among equals, the named group ("fighters of the UPC").
    victims.sort(key=lambda h: (-(strength or {}).get(("target", id(h)), 0), not h.named))
    if event_type == "Violence against civilians":
        # By definition the victims are civilians, even when a police post was also hit.
        victims.sort(key=lambda h: h.actor_type != "Civilians")
    for h in victims[:1]:
        add_hit("target", h)
    if (event_type in VIOLENT_TYPES or sub == "Looting/property destruction") and not any(
        a.role == "perpetrator" for a in out
    ):
        out.insert(0, ActorMention("perpetrator", "Unidentified armed group", "Political militia", None, ""))
    if (event_type == "Violence against civilians" or sub in ("Looting/property destruction", "Arrests")) and not any(
        a.role == "target" for a in out
    ):
        # Burnt homes and looted shops are people's property; those arrested, unless named as
        # fighters, are people too (ACLED codes both against civilians).
        add("target", "Civilians", "Civilians", country_iso2, "")
    return out


def _toll(incident: Incident, sub: str, text: str) -> tuple[int | None, int | None]:
    """Deaths and injuries of the incident: the largest toll reported in any mention (repeats
    are not added up); developments and peaceful protests do not own the deaths around them."""
    by_sentence = [(m.text, m.fatality_groups) for m in incident.mentions] + [
        (text[a:b], gs) for (a, b), gs in zip(incident.extra_sentences, incident.extra_groups, strict=False)
    ]
    # A figure the armed group claims ("it said it had killed 40 soldiers") is not the toll when
    # anyone else gives one.
    own = [gs for sentence, gs in by_sentence if not _CLAIMED_TOLL.search(sentence)]
    groups = [g for gs in (own if any(own) else [gs for _, gs in by_sentence]) for g in gs]
    injured_counts = [m.injured for m in incident.mentions] + incident.extra_injured
    fatalities = combine_fatalities(groups)
    injured = max((n for n in injured_counts if n is not None), default=None)
    if fatalities is None and (incident.extra_none or any(m.none_reported for m in incident.mentions)):
        fatalities = 0
    if fatalities is None and sub in _NO_DEATHS_BY_DEFINITION:
        fatalities = 0
    if sub in STRATEGIC or sub in ("Peaceful protest", "Protest with intervention"):
        # Deaths named around a non-violent event are background ("the 2024 crackdown killed 60").
        lead = incident.mentions[0]
        fatalities = lead.fatalities if lead.fatalities is not None else (0 if fatalities == 0 else None)
        if sub in STRATEGIC and sub not in _NO_DEATHS_BY_DEFINITION:
            fatalities = None  # bodies found, tolls of the war: not deaths of this development
        elif sub in _NO_DEATHS_BY_DEFINITION:
            fatalities = 0
        if sub == "Peaceful protest" and fatalities:
            fatalities = None
    return fatalities, injured


def _build(
    incident: Incident,
    text: str,
    published: date,
    lead_dates: list[DateMention],
    article: ArticlePlaces,
    primary: bool,
    previous_date: date | None = None,
) -> EventMention | None:
    sub = _learned_subtype(incident, _choose_subtype(incident))
    place = event_place([(m.places, m.follow_up) for m in incident.mentions], incident.dateline, article.lead_place())
    location = location_fields(place, article)
    country_iso2 = location["country_iso2"]

    event_date, precision, fallback = _choose_date(incident, sub, lead_dates, published, previous_date)

    roles = sorted(_assign_roles(incident, text, sub), key=lambda r: -r[2])  # stable: strongest first
    perpetrators = [h for r, h, _ in roles if r == "perpetrator"]
    targets = [h for r, h, _ in roles if r == "target"]
    strength = {}
    for r, h, st in roles:
        strength[(r, id(h))] = max(st, strength.get((r, id(h)), 0))
    sub = _refine_subtype(sub, perpetrators, targets, None, incident, text)
    if sub == "Government regains territory" and _foreign_capture(perpetrators, targets, country_iso2):
        sub = "Non-state actor overtakes territory"  # ACLED: a foreign army taking land from the host's army
    event_type = event_type_of(sub)
    fatalities, injured = _toll(incident, sub, text)

    lead = incident.mentions[0]
    withdrawal = bool(re.match(r"withdr|pull|hand|retreat|evacuat", text[lead.trigger.start : lead.trigger.end], re.I))
    actors = _final_actors(
        sub,
        event_type,
        perpetrators,
        targets,
        incident.claimed,
        country_iso2,
        withdrawal,
        strength,
        incident.claim_explicit and primary,
    )

    if (
        event_type == "Explosions/Remote violence"
        and not any(a.role == "target" for a in actors)
        and any(
            _CIVILIANS_HARMED.search(text, a, b)
            for a, b in {m.sentence for m in incident.mentions} | set(incident.extra_sentences)
        )
    ):
        # "Russian drones struck the town. Two civilians were killed.": the victims are civilians.
        actors.append(ActorMention("target", "Civilians", "Civilians", country_iso2, ""))
    civilian_targeting = event_type == "Violence against civilians" or (
        event_type == "Explosions/Remote violence" and any(a.role == "target" and a.name == "Civilians" for a in actors)
    )

    evidence = tuple(sorted({m.sentence for m in incident.mentions} | set(incident.extra_sentences)))
    weapon = _weapon(incident, text, sub)
    confidence = (
        0.45
        + 0.1 * bool(place)
        + 0.1 * (not fallback)
        + 0.1 * bool(perpetrators or targets)
        + 0.1 * (max(m.trigger.priority for m in incident.mentions) >= 70)
        + 0.05 * min(len(incident.mentions) - 1, 2)
    )
    return EventMention(
        event_type=event_type,
        sub_event_type=sub,
        confidence=round(min(confidence, 0.95), 2),
        event_date=event_date,
        date_precision=precision,
        date_is_fallback=fallback,
        **location,
        fatalities=fatalities,
        injured=injured,
        weapon=weapon,
        civilian_targeting=civilian_targeting,
        actors=tuple(actors),
        evidence=evidence,
        evidence_text=" ".join(text[s:e] for s, e in evidence),
    )


def _foreign_capture(perpetrators, targets, country_iso2: str | None) -> bool:
    """Only foreign state forces capture, from the host country's own forces (a foreign force
    retaking a town from rebels for the host government is its ally regaining it)."""
    states = [h for h in perpetrators if h.actor_type == "State forces"]
    return (
        bool(country_iso2 and states)
        and all(h.country_iso2 not in (None, country_iso2) for h in states)
        and any(h.actor_type == "State forces" and h.country_iso2 == country_iso2 for h in targets)
    )


def _choose_date(
    incident: Incident, sub: str, lead_dates: list[DateMention], published: date, previous: date | None = None
) -> tuple[date, str, bool]:
    """The incident's own date, an explicit day beating a relative one ("overnight", said on
    Sunday, vs "at 11 p.m. on Friday" in the next sentence); "two days later" counts from the
    previous incident; announcements fall back on the lead's dates, then the statement's."""
    from datetime import timedelta

    lead_explicit = [d for d in lead_dates if d.explicit and d.precision == "day"]
    for m in incident.mentions:
        own = [d for d in m.event_dates if d.value <= published]
        if not own:
            later = _DAYS_LATER.search(text_of(m)) if previous else None
            if later:
                n = later["n"]
                days = 1 if not n else (int(n) if n.isdigit() else NUMBER_WORDS.get(n.lower(), 1))
                return previous + timedelta(days=days), "day", False
            after = _DAYS_AFTER.match(text_of(m))
            # The clause split off ", a day after heavy fighting": the day its sentence named, minus n.
            named = [d for d in lead_dates if d.precision == "day" and m.sentence[0] - 200 < d.start < m.sentence[0]]
            if after and named:
                n = after["n"].lower()
                days = 1 if n in ("a", "one") else (int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1))
                return named[-1].value - timedelta(days=days), "day", False
            continue
        owned = next((d for d in own if _owns_act(m, d)), None)
        if owned is not None:
            return owned.value, owned.precision, False  # "mourning on Tuesday for Sunday's attack"
        earlier = _DAYS_AFTER_TRIGGER.search(text_of(m), 0, max(0, m.trigger.start - m.sentence[0]))
        main = [d for d in own if d.precision == "day" and earlier and d.start < m.sentence[0] + earlier.start()]
        if main:
            # "imposed a curfew on Sunday, a day after heavy fighting": the fighting was the day before.
            n = earlier["n"].lower()
            days = 1 if n in ("a", "one") else (int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1))
            return main[-1].value - timedelta(days=days), "day", False
        explicit = [d for d in own if d.explicit]
        if explicit:
            return explicit[0].value, "day", False
        relative = own[0]
        if relative.kind in ("yesterday", "today"):
            near = [d for d in lead_explicit if 0 <= (relative.value - d.value).days <= 2]
            if near:
                return near[0].value, "day", False
            statements = [d for d in m.dates if d.statement_date and d.explicit and d.value <= published]
            if relative.kind == "yesterday" and statements:
                return statements[0].value - timedelta(days=1), "day", False
        return relative.value, relative.precision, False
    usable = [d for d in lead_dates if d.precision in ("day", "week", "month")]
    if usable:
        chosen = next((d for d in usable if d.explicit), usable[0])
        return chosen.value, chosen.precision, False
    if sub in STRATEGIC:
        for m in incident.mentions:
            statements = [d for d in m.dates if d.statement_date and d.value <= published and d.precision == "day"]
            if statements:
                return statements[0].value, "day", False
    return published, "unknown", True


_DAYS_AFTER = re.compile(r"\W*(?P<n>a|one|two|three|four|five|\d)\s+days?\s+after\b", re.I)
_DAYS_AFTER_TRIGGER = re.compile(r"\b(?P<n>a|one|two|three|four|five|\d)\s+days?\s+after\s+(?:[\w'’-]+\s+){0,5}$", re.I)
# "Sunday's attack", "Monday's twin blasts": the day names the act itself.
_POSSESSIVE_ACT = re.compile(
    r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:attacks?|raids?|blasts?|bombings?|ambush(?:es)?|clash(?:es)?|strikes?"
    r"|explosions?|massacres?|shootings?|assaults?|killings?|shelling|fighting|abductions?|kidnappings?)\b",
    re.I,
)


def _owns_act(mention: Mention, d: DateMention) -> bool:
    """The date is the act's possessive, in the sentence that reports it."""
    return bool(_POSSESSIVE_ACT.match(mention.text, d.end - mention.sentence[0]))


def _next_sentence(text: str, mention: Mention) -> tuple[int, int]:
    start = mention.sentence[1]
    m = _SENTENCE_END.search(text, start + 1, start + 400)
    return start, (m.start() if m else min(len(text), start + 400))


def _incident_sentences(incident: Incident) -> list[tuple[int, int]]:
    return sorted({m.sentence for m in incident.mentions} | set(incident.extra_sentences))


def _protest_sentences(incident: Incident, text: str) -> list[tuple[int, int]]:
    """The incident's sentences and the one after its lead: a protest story goes on to say what
    the crowd did ("The protesters lit bonfires ...") without naming the protest again."""
    return sorted(set(_incident_sentences(incident)) | {_next_sentence(text, incident.mentions[0])})


# The words before "protesters" make them an object: "assaulted the protesters", "shot dead three protesters".
_OBJECT_BEFORE = re.compile(r"\b(?:\w+ed|at|on|shot|beat|hit|struck|against)\s+(?:\w+\s+){0,2}$", re.I)


def _protesters_violent(incident: Incident, text: str, lead_only: bool = False) -> bool:
    """The protesters themselves attacked, burned, stoned or vandalised (not the police, nor
    others who assaulted the protest: that is an intervention); in the lead sentence only when
    lead_only."""
    for a, b in [incident.mentions[0].sentence] if lead_only else _protest_sentences(incident, text):
        for m in cues()["protester_violence"].finditer(text, a, b):
            if not _OBJECT_BEFORE.search(text[max(a, m.start() - 40) : m.start()]):
                return True  # not the object of someone else's act ("assaulted the protesters and threw ...")
        for m in cues()["riot_acts"].finditer(text, a, b):
            if cues()["state_subject"].search(text[max(a, m.start() - 60) : m.start()]):
                continue
            if _at_protest(text, m, a, b):
                continue  # "members of a rival party assaulted the demonstrators"
            return True
    return False


# Acts on people: property damaged or a clash "during a demonstration" is the crowd's own doing.
_ASSAULT = re.compile(r"\s*(?:assault|attack|beat|stab|hack|injur|wound)", re.I)


def _at_protest(text: str, act: re.Match, a: int, b: int, during: bool = True) -> bool:
    """The act in text[a:b] was done to the protest: its object is the protesters, or others
    hurt it while a protest went on and the protesters are not its subject."""
    after = text[act.end() : b]
    if cues()["at_protest"].match(after):
        return True
    return (
        during
        and bool(_ASSAULT.match(act.group(0)))
        and bool(cues()["during_protest"].match(after))
        and not cues()["protest_subject"].search(text[a : act.start()])
    )


def _intervened(incident: Incident, text: str) -> bool:
    """Forces or others dispersed, detained, chased or gassed the protesters."""
    return any(cues()["intervention"].search(text[a:b]) for a, b in _protest_sentences(incident, text))


def _protest_attacked(incident: Incident, text: str) -> bool:
    """Someone else beat, attacked or assaulted the protesters ("rival activists assaulted the
    demonstrators"): their protest met an intervention, the violence is not theirs."""
    for a, b in _protest_sentences(incident, text):
        for cue in ("riot_acts", "person_harm", "lethal_force"):
            # A riot act (an assault) during a protest is done to it; a death during a protest
            # may be the protest's background (a vehicle ran over a man "during a protest").
            if any(_at_protest(text, m, a, b, during=cue == "riot_acts") for m in cues()[cue].finditer(text, a, b)):
                return True
    return False


def _lethal_force(incident: Incident, text: str) -> bool:
    """Protesters shot, killed or maimed after the protest began, not the killing it protests."""
    start = incident.mentions[0].trigger.end
    for a, b in _protest_sentences(incident, text):
        for m in cues()["lethal_force"].finditer(text, max(a, start), b):
            if not cues()["protest_cause"].search(text[max(a, m.start() - 60) : m.start()]):
                return True
    return False


_PERSON_NOUN = re.compile(
    r"\b(?:m[ae]n|wom[ae]n|people|persons?|child\w*|boys?|girls?|civilians?|residents?|villagers?|"
    r"farmers?|herders?|herdsmen|pastoralists?|traders?|owners?|merchants?|drivers?|him|her|them)\b",
    re.I,
)


def _harms_animals(after: str) -> bool:
    """The harm word's object, its next few words, is animals ("killed nine goats"), not people
    ("killed a cattle trader", "killed a man and seized livestock")."""
    window = " ".join(re.split(r"[,.;:]", after, maxsplit=1)[0].split()[:6])
    animal = cues()["animals"].search(window)
    return bool(animal) and not _PERSON_NOUN.search(window[: animal.start()])


# An attack made with these, and no guns, is remote violence by its means (ACLED).
_REMOTE_MEANS = {
    "explosives": "Remote explosive/landmine/IED",
    "artillery": "Shelling/artillery/missile attack",
    "rockets": "Shelling/artillery/missile attack",
    "missiles": "Shelling/artillery/missile attack",
    "drone": "Air/drone strike",
    "aircraft": "Air/drone strike",
}
_INSTRUMENT = re.compile(r"\b(?:with|using|by means of)\s+(?:[\w-]+\s+){0,3}$", re.I)


def _remote_means(text: str, sentence: tuple[int, int]) -> str | None:
    """The remote-violence sub-type of the weapon a sentence says an attack was made with
    ("fired at the camps with fighter jets", "attacked a convoy with mines"), unless guns were
    used too (an ambush with a mine and rifles is a clash)."""
    a, b = sentence
    found = None
    for name, pattern in weapons():
        for w in pattern.finditer(text, a, b):
            if name == "firearms":
                return None
            if found is None and name in _REMOTE_MEANS and _INSTRUMENT.search(text[max(a, w.start() - 50) : w.start()]):
                found = _REMOTE_MEANS[name]
    return found


_CHARGE_BEFORE = re.compile(
    r"\b(?:suspect\w*|accus\w*|for|over|of|after|charged with|in connection with|linked to|wanted for|blamed "
    r"for)\s+(?:\w+\s+){0,2}$",
    re.I,
)


def _harmed_in_custody(text: str, sentence: tuple[int, int]) -> bool:
    """The people arrested were also killed or beaten ("detained and beaten", "arrested ... and
    executed"), not merely wanted for a killing ("arrested a man suspected of killing ...")."""
    a, b = sentence
    return any(
        not _CHARGE_BEFORE.search(text[max(a, m.start() - 40) : m.start()])
        for m in cues()["person_harm"].finditer(text, a, b)
    )


def _only_property(incident: Incident, text: str) -> bool:
    """Things burned, looted or seized, or animals killed, and no person hurt: an attack on
    property alone is looting/property destruction (ACLED), which needs no casualties."""
    sentences = _incident_sentences(incident)
    animals = False
    for a, b in sentences:
        for m in cues()["person_harm"].finditer(text, a, b):
            if not _harms_animals(text[m.end() : b]):
                return False
            animals = True
    return animals or any(cues()["property_harm"].search(text[a:b]) for a, b in sentences)


# "killed six people including four militiamen", "attacked the village and killed three
# volunteer fighters": people and places in general say nothing against an armed victim.
_GENERIC_VICTIM = re.compile(r"(?:people|persons?|individuals|villages?|hamlets?|houses?|homes?)", re.I)


_NO_FIGHT = re.compile(
    r"\b(?:without (?:a |any )?(?:fight(?:ing)?|resistance|violence|a shot(?: being fired)?)"
    r"|no (?:violence|fighting|resistance|shots?) (?:was |were )?(?:reported|fired|offered))\b",
    re.I,
)
_UNARMED_FIGHT = re.compile(r"fist ?fights?|brawls?|scuffles?|punch-ups?", re.I)
_DEMONSTRATION = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies)|march(?:es|ed|ers)?|sit-ins?|strikers|picket\w*)\b", re.I
)


def _named_civilians(hit) -> bool:
    return hit.actor_type == "Civilians" and not _GENERIC_VICTIM.fullmatch(hit.surface)


def _refine_subtype(sub: str, perpetrators, targets, fatalities: int | None, incident: Incident, text: str) -> str:
    """Who did what to whom decides between look-alike sub-types."""
    # An embassy or a mission does not fight back: attacking one is no clash.
    # A community named as the target ("Fulani herders") is its people, unless they fought.
    armed_target = any(
        h.actor_type in ARMED_TYPES and not _DIPLOMATIC.search(h.surface) and not actor_mod.is_community(h)
        for h in targets
    )
    state_perp = any(h.actor_type == "State forces" for h in perpetrators)
    nonstate_perp = any(h.actor_type in ("Rebel group", "Political militia", "Identity militia") for h in perpetrators)
    protest_target = any(h.actor_type == "Protesters" for h in targets)
    rioter_perp = any(h.actor_type == "Rioters" for h in perpetrators)
    lead = incident.mentions[0]
    if sub in ("Peaceful protest", "Protest with intervention") and _protesters_violent(incident, text):
        return "Violent demonstration"  # demonstrators turned violent (a lead about lethal force stays so)
    if sub in ("Peaceful protest", "Protest with intervention") and _lethal_force(incident, text):
        return "Excessive force against protesters"
    if sub == "Peaceful protest" and (_intervened(incident, text) or _protest_attacked(incident, text)):
        return "Protest with intervention"
    lead_text = text[lead.sentence[0] : lead.trigger.start]
    if (
        sub in ("Attack", "Armed clash")
        and cues()["crowd"].search(lead_text)
        and not nonstate_perp
        and not state_perp
        and not cues()["armed"].search(text[lead.sentence[0] : lead.sentence[1]])
    ):
        return "Mob violence"  # villagers, traders or party activists beating or fighting, without arms
    if (
        sub in WEAPON_NAMED
        and sub != "Chemical weapon"
        and cues()["disrupted"].search(text[lead.sentence[0] : lead.sentence[1]])
    ):
        return "Disrupted weapons use"  # the device was found, defused or went off in its handlers' hands
    if (
        sub == "Violent demonstration"
        and lead.trigger.sub_event_type in ("Peaceful protest", "Protest with intervention")
        and (_protest_attacked(incident, text) or _intervened(incident, text))
        and not _protesters_violent(incident, text)
    ):
        # "Protesters were injured" after a baton charge: the violence was done to them.
        return "Excessive force against protesters" if _lethal_force(incident, text) else "Protest with intervention"
    if sub == "Excessive force against protesters" and _protesters_violent(incident, text, lead_only=True):
        # Force met a crowd that the lead says was violent: a riot, whatever its toll (ACLED); a
        # stone thrown further down a report of police shooting protesters does not change it.
        return "Violent demonstration"
    if sub == "Arrests" and _harmed_in_custody(text, lead.sentence):
        return "Attack"  # the violence done to those seized is the event (ACLED)
    if sub in ("Attack", "Armed clash") and (means := _remote_means(text, lead.sentence)):
        return means
    if sub == "Attack" and _only_property(incident, text):
        return "Looting/property destruction"
    if (
        sub == "Looting/property destruction"
        and cues()["crowd"].search(lead_text)
        and not nonstate_perp
        and not state_perp
        and not cues()["armed"].search(text[lead.sentence[0] : lead.sentence[1]])
    ):
        # Villagers or a crowd burning or wrecking things are rioters (ACLED), not looters: a
        # demonstration when they were demonstrating, else mob violence.
        return "Violent demonstration" if _DEMONSTRATION.search(text, *lead.sentence) else "Mob violence"
    if (
        sub == "Looting/property destruction"
        and not rioter_perp
        and (lead.fatalities or lead.injured)
        and not _only_property(incident, text)
    ):
        return "Attack"  # "killed four herders and stole their cattle": people harmed come first (ACLED)
    if sub == "Attack":
        if protest_target:
            return "Excessive force against protesters"
        if rioter_perp and not nonstate_perp:
            return "Mob violence"
        # The answer is often the next sentence ("Guards repelled the attack."), whatever it merged with.
        if any(
            cues()["answered"].search(text[a:b])
            for a, b in _incident_sentences(incident) + [_next_sentence(text, lead)]
        ):
            return "Armed clash"  # the attacked side fired back
        if armed_target and not any(_named_civilians(h) for h in targets):
            return "Armed clash"
    if sub in ("Attack", "Abduction/forced disappearance") and any(
        _SEXUAL_HARM.search(text, a, b) for a, b in _incident_sentences(incident)
    ):
        return "Sexual violence"  # raped as well as beaten or abducted: sexual violence comes first (ACLED)
    if sub == "Abduction/forced disappearance" and incident.mentions[0].fatalities:
        return "Armed clash" if armed_target and not any(_named_civilians(h) for h in targets) else "Attack"
    lead = incident.mentions[0]
    # Who reports the incident ("police said") says nothing about who took part in it.
    lead_hits = [h for h in lead.actors if not role_mod.is_source(text, lead.sentence, h)]
    if (
        sub == "Mob violence"
        and any(h.actor_type == "State forces" for h in lead_hits)
        and not any(h.actor_type == "Civilians" for h in lead_hits)
        and _DEMONSTRATION.search(" ".join(m.text for m in incident.mentions))
    ):
        # A demonstration that fought the police is a riot; a mob lynching an officer or freeing a
        # suspect, with no demonstration, stays mob violence (ACLED).
        return "Violent demonstration"
    if sub == "Armed clash" and rioter_perp and not nonstate_perp and not state_perp:
        return "Mob violence"
    if (
        sub == "Armed clash"
        and lead.trigger.sub_event_type == "Armed clash"
        and _UNARMED_FIGHT.fullmatch(text, lead.trigger.start, lead.trigger.end)
        and not any(h.actor_type in ARMED_TYPES for h in perpetrators + targets)
        and not cues()["armed"].search(text[lead.sentence[0] : lead.sentence[1]])
    ):
        return "Mob violence"  # a fist fight or brawl between people with no arms: rioters (ACLED)
    if sub in _TERRITORY and any(
        _NO_FIGHT.search(text, a, b) for a, b in _incident_sentences(incident) + [_next_sentence(text, lead)]
    ):
        return "Non-violent transfer of territory"  # "took over the village. No violence was reported."
    if (
        # A government "liberating" or "recapturing" ground does so by force, as a rule; a group
        # moving in is reported fighting when it fought.
        sub == "Non-state actor overtakes territory"
        and not fatalities
        and not any(
            cues()["fighting"].search(text[a:b])
            for a, b in _incident_sentences(incident) + [_next_sentence(text, lead)]
        )
    ):
        return "Non-violent transfer of territory"  # "insurgents took over the village and preached": no fight reported
    if sub == "Non-state actor overtakes territory" and state_perp and not nonstate_perp:
        return "Government regains territory"
    if sub == "Government regains territory" and nonstate_perp and not state_perp:
        return "Non-state actor overtakes territory"
    return sub


def _weapon(incident: Incident, text: str, sub: str) -> str | None:
    best = None
    low = text.lower()
    table, subject = (_weapons_lowered(), low) if len(low) == len(text) else (weapons(), text)
    for m in incident.mentions:
        sentence_start, sentence_end = m.sentence
        for name, pattern in table:
            for w in pattern.finditer(subject, sentence_start, sentence_end):
                distance = abs(w.start() - m.trigger.start)
                if best is None or distance < best[0]:
                    best = (distance, name)
    if best is not None:
        return best[1]
    return None
