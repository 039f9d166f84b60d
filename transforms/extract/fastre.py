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
from re import _constants as C, _parser as P   # the stdlib's own parser of pattern syntax

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
            return None   # a negated class or a category we do not spell out: anything goes
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
            continue   # \b, ^, look-arounds consume nothing: the next item starts the match
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
        return None   # ".", a negated literal, a back-reference ...
    return out, True


def guarded(pattern: str) -> str:
    """pattern with a look-ahead for its possible first characters, or pattern unchanged."""
    try:
        parsed = P.parse(pattern)
    except re.error:
        return pattern
    if parsed.state.flags & ~re.UNICODE:
        return pattern   # inline flags (?i), (?x) ... must stay at the very start
    first = _first(parsed)
    if first is None or first[1] or not first[0]:
        return pattern
    return "(?=[" + "".join(sorted(first[0])) + "])(?:" + pattern + ")"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(guarded(pattern), flags)
