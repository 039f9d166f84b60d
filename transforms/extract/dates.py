"""Resolve relative and absolute date expressions against the publication date.

dateparser reads "we" as Wednesday, gives nothing for "late Monday night" or "earlier this
month" and moves the publication weekday a week back, so this is a small resolver of our own.
A weekday means the most recent such day on or before publication (news says "on Monday" for
today too); a month-day without a year is the most recent one not after publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
}

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    # Monitoring slugs write "1300 gmt 22 Aug 14": day, month, two-digit year, at the end of a line.
    (
        "day_month_yy",
        re.compile(r"\b(?P<day>[0-3]?\d)\s+" + _MONTH + r"\s+(?P<yy>\d\d)(?=\s*(?:$|[\n,;)]|\.(?!\d)))", re.M),
    ),
    # A span of days keeps its start: "overnight between 22 and 23 March", "6-7 August".
    (
        "day_range",
        re.compile(
            r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|/|and|to|or)\s*[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH
            + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
        ),
    ),
    (
        "day_month",
        re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"),
    ),  # before month_day: "22 Aug 14 people" is 22 August
    # "November 5-6, 2014", "August 27th or 29th, 2015": the first day, in the year after the second.
    (
        "month_day",
        re.compile(
            r"\b" + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
            r"(?:\s*(?:-|–|or|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?(?=,?\s+(?:19|20)\d\d\b))?"
            r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
        ),
    ),
    ("weekday", re.compile(r"\b(?P<last>(?i:last|this\s+past|past|next|this\s+coming|coming)\s+)?" + _WEEKDAY + r"\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|last night|the previous night|overnight)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today)\b", re.I)),
    (
        "days_ago",
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+days?\s+(?:ago|earlier)\b", re.I
        ),
    ),
    ("last_week", re.compile(r"\b(?:last week|the previous week|a week ago|past week)\b", re.I)),
    ("weekend", re.compile(r"\b(?:over|at|during|this|last) the weekend\b|\b(?:this|last) weekend\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier this week|this week)\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier this month|this month|since the start of the month)\b", re.I)),
    ("last_month", re.compile(r"\b(?:last month|the previous month|a month ago)\b", re.I)),
    (
        "in_month",
        re.compile(
            r"\b(?:in|since|during|of)\s+(?:early\s+|mid-|late\s+)?" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:in|since|during|of)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
]

# A date right after a speech verb dates the statement, not the incident.
# "told the Horn Monitor on Sunday": the outlet's name may stand between verb and date.
_TOLD_BEFORE = re.compile(
    r"\b(?:told|said\s+to|speaking\s+to)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){1,4}(?:on|late|early)?\s*$"
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|reported|stated|confirmed|added|claimed|tweeted|posted|"
    r"wrote|statement|briefing|conference|interview)\b(?:\s+\w+){0,2}\s*(?:on|late|early|,)?\s*$",
    re.I,
)


_MONTH_KINDS = ("month_day", "day_month", "day_month_yy", "day_range", "in_month")  # need a month name
_LOWER = {
    kind: re.compile(p.pattern.lower().replace("(?p<", "(?P<"))
    for kind, p in _PATTERNS
    if p.flags & re.I and kind not in _MONTH_KINDS
}

_ADJECTIVAL_WEEKDAY = re.compile(
    r"\s+(?:market|prayers?|service|mass|sermon|school|newspaper|paper|edition|league|match|protests?|"
    r"rally|rallies|vigils?|gatherings?|meeting|deadline|session|trading|holiday|programme|program|show|mothers)\b"
)

# "during Sunday mass", "at Friday prayers": that day's gathering, so a date after all.
_WEEKDAY_GATHERING = re.compile(r"\s+(?:prayers?|service|mass|sermon|protests?|rall(?:y|ies)|vigils?|gatherings?)\b")
_DURING_BEFORE = re.compile(r"\b(?:during|at|after)\s+(?:the\s+|this\s+)?$", re.I)
_SOME_WEEKDAY = re.compile(r"\b(?:a|an|every|each)\s+$", re.I)

# Cheap substring tests that let most patterns skip most articles.
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NEEDS = {
    "iso": ("-",),
    "weekday": ("day",),
    "yesterday": ("yesterday", "night"),
    "days_ago": ("day",),
    "today": ("today", "this ", "tonight"),
    "last_week": ("week",),
    "this_week": ("week",),
    "this_month": ("month",),
    "last_month": ("month",),
    "year": ("19", "20"),
    "weekend": ("weekend",),
}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day | week | month | year
    statement_date: bool  # attached to a speech verb ("said on Sunday")
    kind: str = ""  # which expression: weekday, month_day, yesterday, ...

    @property
    def explicit(self) -> bool:
        """Names the day itself ("on Saturday", "Dec. 18"), not a span relative to now."""
        return self.kind in ("iso", "month_day", "day_month", "day_month_yy", "day_range", "weekday")


def _month_day(published: date, month: int, day: int, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(published.year, month, day)
    except ValueError:
        return None
    if candidate > published + timedelta(days=1):
        try:
            candidate = date(published.year - 1, month, day)
        except ValueError:
            return None
    return candidate


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, str] | None:
    if kind == "iso":
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"])), "day"
        except ValueError:
            return None
    if kind == "day_month_yy":
        try:
            return date(2000 + int(m["yy"]), MONTHS[m["month"].lower().rstrip(".")], int(m["day"])), "day"
        except ValueError:
            return None
    if kind in ("month_day", "day_month", "day_range"):
        value = _month_day(published, MONTHS[m["month"].lower().rstrip(".")], int(m["day"]), m["year"])
        return (value, "day") if value else None
    if kind == "weekday":
        target = WEEKDAYS.index(m["weekday"].lower())
        last = (m["last"] or "").lower()
        if "next" in last or "coming" in last:
            ahead = (target - published.weekday()) % 7 or 7
            return published + timedelta(days=ahead), "day"
        back = (published.weekday() - target) % 7
        if back == 0 and last:
            back = 7
        return published - timedelta(days=back), "day"
    if kind == "yesterday":
        return published - timedelta(days=1), "day"
    if kind == "today":
        return published, "day"
    if kind == "days_ago":
        n = m["n"].lower()
        days = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
        return published - timedelta(days=days), "day"
    # Week precision is dated to the Monday of that week (the coding convention of the dev set).
    if kind == "last_week":
        return published - timedelta(days=published.weekday() + 7), "week"
    if kind == "this_week":
        return published - timedelta(days=published.weekday()), "week"
    if kind == "weekend":
        # The most recent Saturday before publication (a Monday paper's "weekend" is two days back).
        back = (published.weekday() - 5) % 7 or 7
        return published - timedelta(days=back), "day"
    if kind == "this_month":
        return published.replace(day=1), "month"
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month"
    if kind == "in_month":
        month = MONTHS[m["month"].lower().rstrip(".")]
        year = int(m["year"]) if m["year"] else published.year - (1 if month > published.month else 0)
        return date(year, month, 1), "month"
    if kind == "year":
        return date(int(m["year"]), 1, 1), "year"
    return None


def find_dates(text: str, published: date, start: int = 0, end: int | None = None) -> list[DateMention]:
    """All date expressions in text[start:end], resolved, in text order, without overlaps."""
    end = len(text) if end is None else end
    segment = text[start:end]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    lowered = segment.lower()
    same_length = len(lowered) == len(segment)
    has_month = any(m in lowered for m in _MONTH_STEMS)
    for kind, pattern in _PATTERNS:
        needs = _NEEDS.get(kind)
        if needs is not None and not any(n in lowered for n in needs):
            continue
        if kind in _MONTH_KINDS and not has_month:
            continue
        # Case-insensitive patterns run faster on lower-cased text without re.I.
        fast = _LOWER.get(kind) if same_length else None
        for m in fast.finditer(lowered) if fast else pattern.finditer(segment):
            s, e = m.start() + start, m.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            if (
                kind == "weekday"
                and _ADJECTIVAL_WEEKDAY.match(segment, m.end())
                and not (
                    _WEEKDAY_GATHERING.match(segment, m.end())
                    and _DURING_BEFORE.search(segment, max(0, m.start() - 12), m.start())
                )
            ):
                continue  # "a crowded Sunday market", "every Friday prayers": not a date
            if kind == "weekday" and _SOME_WEEKDAY.search(segment, max(0, m.start() - 7), m.start()):
                continue  # "on a Tuesday afternoon" years ago, "every Friday": no particular day
            if kind == "in_month" and m["month"][0].islower():
                continue  # month names are capitalised; "in mar" is not a date
            if kind == "in_month" and m["month"].lower() == "may" and not m["year"]:
                continue  # "in May" is rare as a date and "may" is a verb
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            taken.append((s, e))
            window = re.split(r"[.!?]\s|\n", text[max(start, s - 60) : s])[-1]
            statement = bool(_SPEECH_BEFORE.search(window) or _TOLD_BEFORE.search(window))
            found.append(DateMention(s, e, resolved[0], resolved[1], statement, kind))
    found.sort(key=lambda d: d.start)
    return found


def is_historical(mention: DateMention, published: date) -> bool:
    """True for dates clearly in the past beyond news time (background, anniversaries)."""
    return (published - mention.value).days > (62 if mention.precision in ("day", "week") else 400)


# An incident log titles each entry by its date: "June 8th, 2015: Mosul, ...", "Air strike near
# Hit – 12 May 2016". Such a heading's date is the entry's however old, where a date inside a
# story that far back is background.
_HEADING_LEAD = re.compile(r"\s*(?:[:–—|]|-\s)")
_HEADING_TAIL = re.compile(r"[,:–—|]\s*$|\s-\s*$")


def heading_date(heading: str | None, published: date) -> DateMention | None:
    """The day a title (a line without a full stop) is headed or closed by, when it names one
    not after publication."""
    if not heading:
        return None
    line = heading.strip().split("\n", 1)[0]
    if line.endswith("."):
        return None  # a sentence, not a title
    first_word = line.split(None, 1)[0].lower().rstrip(".,:") if line else ""
    if not (line[:1].isdigit() or first_word in MONTHS or line.rstrip(" .")[-1:].isdigit()):
        return None  # the cheap test first: most titles neither open nor close on a date
    days = [d for d in find_dates(line, published) if d.explicit and d.precision == "day" and d.kind != "weekday"]
    if not days:
        return None
    first, last = days[0], days[-1]
    if first.start == 0 and _HEADING_LEAD.match(line, first.end):
        chosen = first
    elif not line[last.end :].strip() and _HEADING_TAIL.search(line, 0, last.start):
        chosen = last
    else:
        return None
    return chosen if chosen.value <= published else None
