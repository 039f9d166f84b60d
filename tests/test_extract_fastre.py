"""The first-character guard must never change what a pattern matches."""

import csv
import re

import pytest

from transforms.extract.events import DATA_DIR
from transforms.extract.fastre import (
    EndAnchored,
    guarded,
    partition_by_leads,
    split_alternatives,
    trie_alternation,
    word_leads,
    word_pairs,
)

TEXTS = [
    "Gunmen attacked a checkpoint near the market on Sunday, killing 3 soldiers.",
    "The ministry denied reports that troops had fired on protesters; 12 were hurt.",
    "Fighters clashed with the army-backed militia, a series of raids that have long been feared.",
    "anti-riot police dispersed the crowd with tear gas — 2,300 people had gathered.",
    "",
    "x-attack, re-attacked; (attack) “attack” 7 killed 17killed",
]


@pytest.mark.parametrize(
    "pattern,expected_guard",
    [
        (r"\bfoo|bar", "(?=[bf])"),
        (r"(?<![\w-])(?:attack(?:ed)?\b|\d+ killed)", r"(?=[\da])"),
        (r"(?:x|)y", "(?=[xy])"),
    ],
)
def test_guard_names_every_possible_first_character(pattern, expected_guard):
    assert guarded(pattern).startswith(expected_guard)


@pytest.mark.parametrize("pattern", [r".x", r"(?i)ab", r"[^a]b", r"x*", r"a|"])
def test_pattern_left_alone_when_any_character_could_start_a_match(pattern):
    assert guarded(pattern) == pattern


def _lexicon_patterns():
    for name, column in (
        ("event_triggers.csv", "pattern"),
        ("context_cues.csv", "pattern"),
        ("weapons.csv", "pattern"),
    ):
        with (DATA_DIR / name).open(encoding="utf-8") as fh:
            yield from (row[column] for row in csv.DictReader(fh))


def test_shipped_lexicons_match_exactly_the_same_with_the_guard():
    patterns = list(_lexicon_patterns())
    assert len(patterns) > 50
    for pattern in patterns:
        for flags in (0, re.I):
            plain, fast = re.compile(pattern.lower(), flags), re.compile(guarded(pattern.lower()), flags)
            for text in TEXTS + [t.lower() for t in TEXTS]:
                assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)], pattern


@pytest.mark.parametrize(
    "pattern,leads",
    [
        ("attack(?:ed)?|opened fire|(?:air |drone )?strikes? on", {"atta", "open", "stri", "air", "dron"}),
        ("(?:went|go) on strike", {"went", "stri"}),
        ("re-?took", {"reto", "took"}),
    ],
)
def test_word_leads_name_how_a_match_can_begin(pattern, leads):
    assert word_leads(pattern) == leads


@pytest.mark.parametrize("pattern", [r"\d+ killed", r"(?:\w+ ){0,2}fired", "on it"])
def test_word_leads_unknown_when_a_match_need_not_start_a_long_word(pattern):
    assert word_leads(pattern) is None


def test_trigger_prefilter_never_drops_a_match():
    """Every trigger that matches a sentence passes the word-start prefilter of find_triggers."""
    from transforms.extract.events import _word_prefixes, trigger_leads, triggers

    for (_sub, _priority, _weapon, pattern), leads in zip(triggers(), trigger_leads(), strict=False):
        for text in TEXTS + ["residents lynched a suspect; troops retook the town", "they went on strike over pay"]:
            low = text.lower()
            if leads is not None and pattern.lower.search(low):
                assert not _word_prefixes(low).isdisjoint(leads), (pattern.lower.pattern, text)


def test_word_leads_off_a_word_start_need_a_boundary_or_a_separator():
    assert word_leads("hallmark", at_word_start=False) is None  # could match inside a word
    assert word_leads(r"\bhas long", at_word_start=False) == {"has"}
    assert word_leads("a surge in", at_word_start=False) == {"surg"}


def test_cue_prefilter_never_drops_a_match():
    """Every cue that matches a sentence passes the word-start prefilter of search_folded."""
    from transforms.extract.events import _word_prefixes, cues

    texts = TEXTS + ["The ministry denied it; the trial was adjourned after a surge in attacks in the past."]
    checked = 0
    for cue in cues().values():
        for text in texts:
            low = text.lower()
            if cue.leads is not None and cue.lower.search(low):
                checked += 1
                assert not _word_prefixes(low).isdisjoint(cue.leads), (cue.lower.pattern, text)
    assert checked > 3


@pytest.mark.parametrize(
    "pattern,pairs",
    [
        ("killed in a raid", {"kill": {"raid"}}),  # short words between are skipped
        ("(?:police|army) (?:handed|withdrew)", {"poli": {"hand", "with"}, "army": {"hand", "with"}}),
        ("attack(?:ed)?|opened fire", {"atta": None, "open": {"fire"}}),  # nothing after "attack"
        (r"attack(?:ed|s)? (?:\w+ ){0,2}town", {"atta": None}),  # the next word could be any
        ("has long", {"has": {"long"}}),
    ],
)
def test_word_pairs_name_how_a_match_begins_and_goes_on(pattern, pairs):
    assert word_pairs(pattern) == {first: None if s is None else frozenset(s) for first, s in pairs.items()}


def test_word_pairs_unknown_when_the_first_word_is():
    assert word_pairs(r"\d+ killed") is None


def test_trigger_pair_prefilter_never_drops_a_match():
    """Every trigger that matches a sentence passes the two-word prefilter of find_triggers."""
    from transforms.extract.events import _next_word_in, _word_prefixes, trigger_pairs, triggers

    texts = TEXTS + [
        "Police handed over the barracks to the army; rebels withdrew from the town.",
        "They went on strike over pay and later opened fire on the crowd.",
        "Soldiers killed in a raid on the camp were buried on Friday.",
    ]
    checked = 0
    for (_sub, _priority, _weapon, pattern), pairs in zip(triggers(), trigger_pairs(), strict=True):
        for text in texts:
            low = text.lower()
            if pattern.lower.search(low):
                checked += 1
                assert _next_word_in(pairs, _word_prefixes(low), low), (pattern.lower.pattern, text)
    assert checked > 5


def test_word_pairs_off_a_word_start_pair_a_common_word_with_the_next():
    # "the" is in nearly every sentence; "the past" and "the years" are not.
    assert word_pairs("in the past|over the years|a surge in", at_word_start=False) == {
        "the": frozenset({"past", "year"}),
        "surg": None,
    }
    assert word_pairs("hallmark", at_word_start=False) is None  # could match inside a word


def test_alternatives_split_outside_groups_and_classes():
    assert split_alternatives(r"a[|]b|c\|d|(x|y)|[]|]z|e\\|f") == ["a[|]b", r"c\|d", "(x|y)", "[]|]z", "e\\\\", "f"]


def test_partition_by_leads_sets_apart_alternatives_without_a_known_first_word():
    assert partition_by_leads("in the past|hallmark|a surge in", at_word_start=False) == (
        "in the past|a surge in",
        "hallmark",
    )


def test_cue_pair_prefilter_finds_what_the_cue_finds():
    """search_folded (stems, leads, word pairs, the pattern of alternatives with no known first
    word) finds what the cue itself finds in sentences that pass the stems prefilter."""
    from transforms.extract.events import _word_prefixes, cues

    texts = TEXTS + [
        "The ministry denied it; the trial was adjourned after a surge in attacks in the past.",
        "Raids are the hallmark of the group, which attacked the town three years later.",
        "In the past week gunmen killed 4 villagers, as they have often done over the years.",
    ]
    found = 0
    for cue in cues().values():
        for text in texts:
            low = text.lower()
            prefixes = _word_prefixes(low)
            if prefixes.isdisjoint(cue.stems) or (cue.leads is not None and prefixes.isdisjoint(cue.leads)):
                continue
            expected = cue.lower.search(low)
            got = cue.search_folded(text, low, prefixes)
            assert (got and got.span()) == (expected and expected.span()), (cue.lower.pattern, text)
            found += expected is not None
    assert found > 5


def test_prefix_tree_matches_what_a_longest_first_alternation_matches():
    # Shared prefixes, a word inside a longer one, a word that is another's prefix up to a hyphen.
    words = ["Al-Shabaab", "Al-Qaeda", "Al", "PDF", "PDF-K", "Red Army", "Red Army Faction", "Ra", "R"]
    tail = r"(?![\w\-])"
    flat = re.compile("(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")" + tail)
    tree = re.compile("(?:" + trie_alternation(words) + ")" + tail)
    texts = [
        "Al-Shabaab and Al-Qaeda, Al alone; PDF-K then PDF-Kx and PDF.",
        "the Red Army Faction, the Red Army, Red Armys, Ra R Rb.",
        " ".join(words),
        "".join(words),
    ]
    for text in texts:
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)], text
    assert tree.fullmatch("Red Army Faction") and not tree.fullmatch("Red Arm")


@pytest.mark.parametrize(
    "pattern,flags,endings",
    [
        (r"\b(?:in|at)\s+(?:the\s+)?$", re.I, ("at", "in", "the")),
        (r"\b(?:Mr|Dr)\.?\s+$", 0, ("Dr", "Dr.", "Mr", "Mr.")),
        (r"[(,]\s*$", 0, ("(", ",")),
        (r"\b[a-z]{3,}\s+$", 0, None),  # a class before the blanks: no literal ending to test
    ],
)
def test_end_anchored_pattern_names_the_words_its_matches_end_with(pattern, flags, endings):
    assert EndAnchored(pattern, flags).endings == endings


def test_end_anchored_refuses_a_pattern_not_anchored_at_the_end():
    with pytest.raises(ValueError):
        EndAnchored(r"in$|at")


def test_end_anchored_place_patterns_match_exactly_as_the_plain_ones():
    from transforms.extract import places

    patterns = [v for v in vars(places).values() if isinstance(v, EndAnchored)]
    assert len(patterns) >= 8
    sentences = [
        "Gunmen attacked Mr. Dr   the spokesman near the outskirts of the town of ",
        "some 30 kilometres north-east of the city of  ",
        "fled into the capital (Ouesse, Northern Region, ",
        "the ministry said in the\n",
        "Soldiers were sent TOWARDS the Province of ",
        "a point ſouth of, KM from İn ıNTO the ",
        "10 miles (16 km) to the west of the town of ",
        "the border with neighbouring identified as  ",
    ]
    texts = {s[k:] for s in sentences for k in range(len(s))} | {s[:k] for s in sentences for k in range(len(s))}
    matched = 0
    for fast in patterns:
        plain = re.compile(fast.pattern, fast.regex.flags)
        for text in texts:
            a, b = fast.search(text), plain.search(text)
            assert (a and a.span()) == (b and b.span()), (fast.pattern, text)
            matched += b is not None
            a, b = fast.search(text, 3, len(text) - 2), plain.search(text, 3, len(text) - 2)
            assert (a and a.span()) == (b and b.span()), (fast.pattern, text)
    assert matched > 50
