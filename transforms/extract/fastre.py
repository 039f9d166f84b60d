"""A first-character guard for long alternations (a speed-up that leaves matches unchanged).

Python's regex engine skips ahead cheaply only when a pattern starts with a literal or a plain
character class. Our lexicon patterns start with \\b or a look-behind and run through dozens of
alternatives, so the engine tries every alternative at every position of the text. Prefixing
the pattern with a look-ahead for the characters a match can start with lets it reject most
positions with one test. The guard is a superset of the real first characters (worked out from
the parsed pattern), so the set of matches is exactly the same; when the pattern is too complex
to work out (".", a negated class, inline flags), it is left as it is.
"""

from __future__ import annotations

import re
import sys
from re import _constants as C  # the stdlib's own parser of pattern syntax
from re import _parser as P

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_WORD: r"\w", C.CATEGORY_SPACE: r"\s"}
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))


def _class_items(items) -> set[str] | None:
    out = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is C.RANGE:
            out.add(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:
            return None  # a negated class or a category we do not spell out: anything goes
    return out


def _first(items) -> tuple[set[str], bool] | None:
    """(class fragments a match of items can start with, whether items can match empty),
    or None when any character could start it."""
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is C.IN:
            found = _class_items(av)
            if found is None:
                return None
            return out | found, False
        if op in _ZERO_WIDTH:
            continue  # \b, ^, look-arounds consume nothing: the next item starts the match
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            inner = None if add_flags or del_flags else _first(body)
            if inner is None:
                return None
            out |= inner[0]
            if not inner[1]:
                return out, False
            continue
        if op is C.BRANCH:
            nullable = False
            for alternative in av[1]:
                inner = _first(alternative)
                if inner is None:
                    return None
                out |= inner[0]
                nullable = nullable or inner[1]
            if not nullable:
                return out, False
            continue
        if op in _REPEATS:
            low, _high, body = av
            inner = _first(body)
            if inner is None:
                return None
            out |= inner[0]
            if low > 0 and not inner[1]:
                return out, False
            continue
        return None  # ".", a negated literal, a back-reference ...
    return out, True


def _plain_start(items) -> bool:
    """The engine finds the start itself: a literal or class first, through groups and branches."""
    if not items:
        return False
    op, av = items[0]
    if op in (C.LITERAL, C.IN):
        return True
    if op is C.SUBPATTERN:
        return not (av[1] or av[2]) and _plain_start(av[3])
    if op is C.BRANCH:
        return all(_plain_start(alternative) for alternative in av[1])
    return False


def guarded(pattern: str, flags: int = 0) -> str:
    """pattern with a look-ahead for its possible first characters, or pattern unchanged when
    the engine already skips ahead by itself or any character could start a match."""
    try:
        parsed = P.parse(pattern, flags)
    except re.error:
        return pattern
    if parsed.state.flags & ~(re.UNICODE | flags):
        return pattern  # inline flags (?i), (?x) ... must stay at the very start
    if _plain_start(parsed.data):
        return pattern
    first = _first(parsed)
    if first is None or first[1] or not first[0] or r"\w" in first[0]:
        return pattern
    return "(?=[" + "".join(sorted(first[0])) + "])(?:" + pattern + ")"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(guarded(pattern, flags), flags)


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _leads(items: list, acc: str, depth: int = 0, anchored: bool = True) -> set[str] | None:
    """The first 3 or 4 letters of a word every match of items starts (its first word of three
    letters or more, when only shorter literal words and separators come before it), or None
    when that cannot be worked out."""
    if depth > 30:
        return {acc[:4]} if anchored and len(acc) >= 3 else None
    for k, (op, av) in enumerate(items):
        if anchored and len(acc) >= 4:
            return {acc[:4]}
        rest = items[k + 1 :]
        if op is C.LITERAL:
            ch = chr(av)
            if ch in _LETTERS:
                acc += ch
                continue
            if anchored and len(acc) >= 3:
                return {acc[:4]}
            acc, anchored = "", True  # "on strike": the word after a separator starts a word too
            continue
        if op is C.AT and av is C.AT_BOUNDARY and not acc:
            anchored = True  # \b before a letter: a word starts here
            continue
        if op in _ZERO_WIDTH and not acc:
            continue
        if op is C.SUBPATTERN and not (av[1] or av[2]):
            return _leads(list(av[3]) + rest, acc, depth + 1, anchored)
        if op is C.BRANCH:
            return _union(_leads(list(alternative) + rest, acc, depth + 1, anchored) for alternative in av[1])
        if op in _REPEATS:
            low, high, body = av
            if (low, high) == (0, 1):
                return _union(
                    (_leads(rest, acc, depth + 1, anchored), _leads(list(body) + rest, acc, depth + 1, anchored))
                )
            if low == high == 1:
                return _leads(list(body) + rest, acc, depth + 1, anchored)
        # anything else (a class, an open repeat, a look-around after letters): the word may go on
        return {acc[:4]} if anchored and len(acc) >= 3 else None
    return {acc[:4]} if anchored and len(acc) >= 3 else None


def _union(parts) -> set[str] | None:
    out: set[str] = set()
    for part in parts:
        if part is None:
            return None
        out |= part
    return out


def _parsed_items(alternation: str) -> list | None:
    """The parsed pattern's items, or None when it does not parse or sets flags we cannot read."""
    try:
        parsed = P.parse(alternation)
    except re.error:
        return None
    return None if parsed.state.flags & ~re.UNICODE else list(parsed.data)


def word_leads(alternation: str, at_word_start: bool = True) -> frozenset[str] | None:
    """For a pattern on lower-cased text (matched only at a word start, "(?<![\\w-])", unless
    at_word_start is False: then only \\b or a separator before a word anchors it):
    the 3- or 4-letter starts its matches' first word can have (a sentence none of whose words
    starts so cannot match), or None when that cannot be worked out."""
    items = _parsed_items(alternation)
    if items is None:
        return None
    leads = _leads(items, "", anchored=at_word_start)
    return frozenset(leads) if leads else None


def _next_leads(items: list, acc: str, first: str | None, skipping: bool, anchored: bool = True, depth: int = 0) -> set:
    """(first, second) for each way items can go on: first, the 3- or 4-letter start of a
    match's first long word (None: unknown); second, that of the long word after it (None:
    unknown). skipping: still inside the first word, after its start; anchored: the letters
    in acc start a word (as in _leads)."""
    if depth > 30:
        return {(first, None)}
    for k, (op, av) in enumerate(items):
        rest = items[k + 1 :]
        if first is not None and not skipping and len(acc) >= 4:
            return {(first, acc[:4])}
        if first is None and anchored and len(acc) >= 4:
            first, acc, skipping = acc[:4], "", True
        if op is C.LITERAL:
            ch = chr(av)
            if ch in _LETTERS:
                if not skipping:
                    acc += ch
                continue
            if not skipping and len(acc) >= 3 and (anchored or first is not None):
                if first is not None:
                    return {(first, acc[:4])}
                first = acc[:4]
            acc, skipping, anchored = "", False, True  # a separator: the next letters start a word
            continue
        if op is C.AT and av is C.AT_BOUNDARY and not acc and not skipping:
            anchored = True
            continue
        if op in _ZERO_WIDTH and (skipping or not acc):
            continue
        if op is C.SUBPATTERN and not (av[1] or av[2]):
            return _next_leads(list(av[3]) + rest, acc, first, skipping, anchored, depth + 1)
        if op is C.BRANCH:
            out: set = set()
            for alternative in av[1]:
                out |= _next_leads(list(alternative) + rest, acc, first, skipping, anchored, depth + 1)
            return out
        if op in _REPEATS and (av[0], av[1]) in ((0, 1), (1, 1)):
            out = _next_leads(list(av[2]) + rest, acc, first, skipping, anchored, depth + 1)
            if av[0] == 0:
                out |= _next_leads(rest, acc, first, skipping, anchored, depth + 1)
            return out
        break  # anything else: the word may go on
    if first is None:
        return {(acc[:4] if anchored and len(acc) >= 3 else None, None)}
    return {(first, acc[:4] if not skipping and len(acc) >= 3 else None)}


def word_pairs(alternation: str, at_word_start: bool = True) -> dict[str, frozenset[str] | None] | None:
    """For a pattern on lower-cased text (matched only at a word start unless at_word_start is
    False, as in word_leads): by each 3- or 4-letter start its first long word can have
    (word_leads), the starts the next long word of such a match can have (None: any). A
    sentence without such a pair of word starts cannot match. None when the first word's
    start cannot be worked out."""
    items = _parsed_items(alternation)
    if items is None:
        return None
    pairs = _next_leads(items, "", None, False, at_word_start)
    if any(first is None for first, _ in pairs):
        return None
    out: dict[str, set[str] | None] = {}
    for first, second in pairs:
        if second is None or out.get(first, set()) is None:
            out[first] = None
        else:
            out.setdefault(first, set()).add(second)
    return {first: None if seconds is None else frozenset(seconds) for first, seconds in out.items()}


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of pattern: its text cut at each "|" outside groups and
    character classes ([pattern] when the pieces do not compile on their own)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1  # "[]...]": a leading "]" is a member
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    try:
        for alternative in out:
            re.compile(alternative)
    except re.error:
        return [pattern]
    return out


def partition_by_leads(pattern: str, at_word_start: bool = True) -> tuple[str, str]:
    """(the top-level alternatives whose word_leads are known, those whose are not), each
    joined by "|": a text matches pattern only where one of the two matches."""
    known, unknown = [], []
    for alternative in split_alternatives(pattern):
        (known if word_leads(alternative, at_word_start) is not None else unknown).append(alternative)
    return "|".join(known), "|".join(unknown)


def trie_alternation(words) -> str:
    """An alternation of literal words as a prefix tree ("Al-(?:Shabaab|Qaeda)"): at each
    position the engine follows one branch instead of trying every word in turn. A word's
    longer continuations come before its end, so it matches what a longest-first list of the
    words matches: at each position, the longest word the rest of the pattern accepts."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: dict) -> str:
        alternatives = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if "" in node:
            alternatives.append("")
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return build(tree)


def _is_space(op, av) -> bool:
    """A whitespace item (a literal blank, \\s, [\\s...]) or a repeat of one."""
    if op is C.LITERAL:
        return chr(av).isspace()
    if op is C.IN:
        return all(o is C.CATEGORY and a is C.CATEGORY_SPACE or o is C.LITERAL and chr(a).isspace() for o, a in av)
    if op in _REPEATS:
        return all(_is_space(o, a) for o, a in av[2])
    return False


def _endings(items: list, acc: str, depth: int = 0) -> set[str] | None:
    """The literal texts a match of items must end with once trailing blanks are stripped
    (read backwards until anything but a literal), or None when that cannot be worked out."""
    if depth > 30:
        return {acc} if acc else None
    for k in range(len(items) - 1, -1, -1):
        op, av = items[k]
        rest = items[:k]
        if op is C.LITERAL and not (not acc and chr(av).isspace()):
            acc = chr(av) + acc
            continue
        if not acc and (op in _ZERO_WIDTH or _is_space(op, av)):
            continue  # the end anchor and the trailing blanks a caller strips
        if op is C.SUBPATTERN and not (av[1] or av[2]):
            return _endings(rest + list(av[3]), acc, depth + 1)
        if op is C.BRANCH:
            return _union(_endings(rest + list(alternative), acc, depth + 1) for alternative in av[1])
        if op is C.IN and all(o is C.LITERAL for o, _ in av) and len(av) <= 8:
            return _union(_endings(rest + [(C.LITERAL, a)], acc, depth + 1) for _, a in av)
        if op in _REPEATS and av[:2] in ((0, 1), (1, 1)):
            body = _endings(rest + list(av[2]), acc, depth + 1)
            return body if av[0] == 1 else _union((body, _endings(rest, acc, depth + 1)))
        break  # a class or an open repeat: the literal tail ends here
    return {acc} if acc else None


class EndAnchored:
    """A pattern read at the end of a text ("... in the town of $", the words before a name):
    the literal words its matches must end with are tested with str.endswith before the
    engine tries every position of the text. Same matches as the pattern (the test only rules
    out texts the pattern cannot match); works as a compiled pattern's search()."""

    def __init__(self, pattern: str, flags: int = 0):
        self.regex = compile_guarded(pattern, flags)
        self.pattern = pattern
        parsed = P.parse(pattern, flags)
        if not parsed.data or parsed.data[-1] != (C.AT, C.AT_END):
            raise ValueError(f"not anchored at the end by a final $: {pattern}")
        endings = None if parsed.state.flags & ~(re.UNICODE | flags) else _endings(list(parsed.data), "")
        self.ignorecase = bool(flags & re.I)
        if endings and self.ignorecase:
            endings = {e.lower() for e in endings} if all(e.isascii() for e in endings) else None
        self.endings = tuple(sorted(endings)) if endings else None
        self.longest = max(map(len, self.endings)) if self.endings else 0

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        endings = self.endings
        if endings is not None:
            tail = text[pos:endpos].rstrip()[-self.longest :]
            if not self.ignorecase:
                if not tail.endswith(endings):
                    return None
            # Case folding is plain lower-casing only in ASCII ("ſ" matches "s" under re.I).
            elif tail.isascii() and not tail.lower().endswith(endings):
                return None
        return self.regex.search(text, pos, endpos)
