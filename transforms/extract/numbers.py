"""Casualty counts: "at least 12 killed", "two dead", "dozens wounded", "killing three soldiers".

Counts joined by "and" in one clause add up ("two soldiers and three civilians were killed");
repeated mentions of the same toll across sentences do not (the caller keeps the maximum).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR


@lru_cache(maxsize=1)
def quantity_words() -> dict[str, int]:
    with (DATA_DIR / "quantity_words.csv").open(encoding="utf-8") as fh:
        return {row["word"].lower(): int(row["value"]) for row in csv.DictReader(fh)}


_UNITS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety"
)
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+"
    r"|(?:" + _UNITS + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?:\s+hundred)?"
    r"|a\s+dozen|a\s+couple\s+of|a\s+few|a\s+hundred|dozens|scores|hundreds|thousands|several|many|an?|single)"
)
_QUALIFIER = (
    r"(?:(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as"
    r"|an\s+estimated|another|a\s+further|the|all|of|his|her|their|among\s+them|among\s+whom|including)\s+)*"
)
_WORD_NOT_CUE = r"\s+(?!(?:and|killed|dead|died|injured|wounded|hurt)\b)[\w'’-]+"
# The count's noun may take an "of" phrase: "two members of a village volunteer group were killed"
# counts two (the "a" inside the phrase is no count).
_FILLER = r"(?:" + _WORD_NOT_CUE + r"){0,4}?(?:\s+of(?:" + _WORD_NOT_CUE + r"){1,5}?)??"
_KILL = (
    r"(?:killed|dead|died|slain|shot\s+dead|killed\s+and\s+\w+\s+(?:injured|wounded)|lost\s+their\s+lives"
    r"|perished|massacred|executed|beheaded|beaten\s+to\s+death|neutrali[sz]ed|eliminated)"
)
# Statement words for killing that also take things ("two IEDs were neutralised", "the loss of two
# vehicles"): a toll only when the count names fighters or soldiers, and is a figure (a force
# boasting it "neutralised dozens" gives no count).
_KILL_OF_FIGHTERS = re.compile(r"neutrali|eliminat|(?:the\s+)?loss\s+of")
_VAGUE = re.compile(r"(?:dozens|scores|hundreds|thousands|several|many)$")
_HURT = r"(?:injured|wounded|hurt|injuries|maimed)"

_ITEM = r"(?P<num>" + NUMBER + r")" + _FILLER
# The wounded who die later are dead: "three soldiers, wounded in the attack, died later",
# "two of the injured succumbed in hospital". The verb the wounded are the subject of.
_DIED_LATER = re.compile(
    r"\b(?:later\s+|subsequently\s+|then\s+|eventually\s+|also\s+|have\s+|has\s+|had\s+|since\s+)*"
    r"(?:died|succumbed|passed\s+away)\b"
)
# What ends the wounded's own clause before that verb: another subject or clause ("three were
# wounded and a guard died", "... when the roof collapsed"), or another count.
_CLAUSE_BREAK = re.compile(r"[.;:]|\b(?:and|but|while|whereas|when|as|after|before|because|said|says)\b|\d")
_NOT_ONE = re.compile(r"\b(?:" + _UNITS + r"|dozens|scores|hundreds|several|many)\b")
# "wounding three soldiers, who later died" / "three injured, all of whom died": the same people.
_WHO_DIED = re.compile(
    r"(?:\s+(?!who\b)[a-z][\w'’-]*){0,3}?\s*,?\s*(?:who|all\s+of\s+whom|both\s+of\s+whom)\s+(?:later\s+|subsequently\s+|then\s+|eventually\s+|have\s+|has\s+|had\s+|since\s+)*(?:died|succumbed|passed\s+away)\b"
)
_NUM_BEFORE_KILL = re.compile(
    r"\b" + _QUALIFIER + _ITEM + r"((?:\s*,\s*|\s+and\s+)" + _QUALIFIER + NUMBER + _FILLER + r")*"
    r",?\s+(?:(?:were|was|have\s+been|had\s+been|are|is|being|been|reportedly|also|later|all)\s+)*(?P<cue>"
    + _KILL
    + "|"
    + _HURT
    + r")\b",
    # no re.I: find_casualties lower-cases the sentence first, which is faster
)
# An object right after the verb makes it active ("killed three farmers"); "the day before" is
# no object ("two soldiers killed the previous night").
_ACTIVE_OBJECT = re.compile(
    r"\s+(?:(?:at\s+least|more\s+than|some|about|nearly)\s+)?(?:an?|his|her|their|its|\d+|"
    + _UNITS
    + r"|several|dozens|scores|the(?!\s+(?:day|night|week|month|previous|same|following|next|other|last|first)\b))\s"
    r"(?!(?:\w+\s+)?(?:days?|nights?|hours?|weeks?|months?|years?|minutes?)\b)"
)
_TRANSITIVE = re.compile(r"killed|shot|massacred|executed|beheaded|wounded|injured")
_PASSIVE_AUX = re.compile(r"\b(?:were|was|been|are|is|being)\s+(?:\w+\s+)?$")
_KILL_BEFORE_NUM = re.compile(
    # Headlines use the present tense and quote the verb: 'IS kills 18', 'police "kill" 52'.
    r"\b(?P<cue>shot\s+dead|gunned\s+down|shot\s+and\s+killed|killing|killed|kills|kill|executes|executed|execute|"
    r"slaughters|slaughtered|slaughter|massacres|massacred|beheads|beheaded|wounding|wounded|wounds|injuring|injured|injures|"
    r"claimed\s+the\s+lives\s+of|left|leaving|neutrali[sz](?:ed|ing)|eliminat(?:ed|ing)|the\s+loss\s+of)[\"'”’]?\s+"
    + _QUALIFIER
    + r"(?P<num>"
    + NUMBER
    + r")"
    + _FILLER
    + r"(?P<tail>\s+(?:dead|injured|wounded))?\b",
    # no re.I: find_casualties lower-cases the sentence first, which is faster
)
_TOLL = re.compile(
    r"\b(?P<cue>death\s+toll|toll|the\s+figure|number\s+of\s+(?:people\s+|civilians\s+)?(?:dead|deaths|killed|injured|wounded))\b[^.]{0,160}?\b(?:rose|risen|climbed|reached|stands|stood|increased|is|was|to|at)\s+(?:to\s+|at\s+)?"
    + _QUALIFIER
    + r"(?P<num>\d{1,3}(?:,\d{3})*|"
    + _UNITS
    + r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\b",
    # no re.I: find_casualties lower-cases the sentence first, which is faster
)
_NONE = re.compile(
    r"\b(?:no\s+(?:casualties|deaths|fatalities|immediate\s+reports?\s+of\s+(?:casualties|deaths)|reports?\s+of\s+(?:casualties|deaths))"
    r"|no\s+one\s+(?:was|were|had\s+been)\s+(?:killed|hurt|injured|harmed|wounded)|nobody\s+was\s+(?:killed|hurt|injured|harmed)"
    r"|without\s+(?:causing\s+)?casualties|caused\s+no\s+(?:casualties|deaths)|no\s+lives\s+were\s+lost"
    r"|there\s+(?:were|was)\s+no\s+(?:casualties|deaths|fighting|resistance|clashes)|without\s+(?:a\s+)?(?:fight|shot|resistance)"
    r"|no\s+shots\s+were\s+fired|no\s+fighting|(?:there\s+were\s+)?no\s+injuries(?:\s+or\s+(?:deaths|arrests))?\s+(?:were\s+)?reported"
    r"|there\s+were\s+no\s+injuries|no\s+one\s+was\s+(?:hurt|injured))\b",
    # no re.I: find_casualties lower-cases the sentence first, which is faster
)
# "A 70-year-old man who was beaten by the crowd died in hospital": one death, subject far from verb.
# One victim as the subject: "a trader died", "the man was stabbed to death by a crowd".
_SINGLE_DEATH = re.compile(
    r"^[\"“]?(?:a|an|one|the\s+(?:man|woman|boy|girl|victim|suspect|driver|farmer|trader|teacher|student|pastor"
    r"|priest|imam|chief|journalist|motorcyclist|officer|soldier|guard|herder|shopkeeper))\s+[^.;:]{0,70}?"
    r"\b(?:died|was killed|was shot dead|was (?:beaten|hacked|stabbed|stoned|burned|burnt|clubbed"
    r"|tortured) to death|succumbed)\b"
)
_SINGLE_VICTIM = re.compile(
    r"\b(?:killed|kills|shot\s+dead|shot\s+and\s+killed|gunned\s+down|assassinated|murdered|lynch(?:ed|es)?|beheaded|"
    r"(?:stoned|beat|beaten|hacked|tortured|burned|burnt|lynched)\s+to\s+death)\s+(?:(?:a|an|the|one)\s+)?(?=[a-z])"
)
_AGE_VALUE = r"(?:\d{1,3}|(?:" + _UNITS + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
_AGE = re.compile(r"(?<!\d),\s*(?:\d{1,3}|aged\s+" + _AGE_VALUE + r")(?:\s*(?:,|and|&)\s*" + _AGE_VALUE + r")*\s*,")
# A bare "aged nine" inside the count's phrase goes without trace: "two boys aged 12 and 14 were killed".
_AGED = re.compile(r"\s+aged\s+" + _AGE_VALUE + r"(?:\s*(?:,|and|&)\s*" + _AGE_VALUE + r")*\b")
_VERB_BEFORE = re.compile(r"\b(?:killed|killing|kills|kill|wounded|wounding|injured|injuring|shot\s+dead)\s+$")
# Dates are not counts: "On 14 October 2020, a civilian was killed" is one death.
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar"
    r"|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"(?:,?\s+(?:19|20)\d\d)?\b"
    r"|\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
)
# "a 24-year-old man" is one man; "killed 24-year-old Ali" is one person.
_AGE_ADJECTIVE = re.compile(r"\b(?P<article>(?:a|an)\s+)?\d{1,3}[- ]years?[- ]old\b")
_DIGIT = re.compile(r"\d")
_UNKNOWN_NUMBER = re.compile(r"\ban?\s+(?:unknown|undisclosed|unspecified|unconfirmed)\s+number\s+of\b")
_BODIES = re.compile(
    r"\b(?P<num>\d{1,3}(?:,\d{3})*|" + _UNITS + r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\s+bodies\b"
    r"|\bbodies\s+of\s+(?P<num2>" + NUMBER + r")\s+(?P<noun>[a-z][\w'-]*)"
)
_BEATEN = re.compile(
    r"\b(?:beat|beaten|stabbed|hacked|burned|burnt|stoned|lynched)\s+(?P<num>"
    + NUMBER
    + r")\s+(?:[\w'-]+\s+){0,3}?to\s+death\b"
    r"|\blynched\s+(?P<num2>" + NUMBER + r")\b"
    # the count after the phrase: "beat and burned to death two men"
    r"|\b(?:beat(?:en)?|stabbed|hacked|burned|burnt|stoned|clubbed)\s+to\s+death\s+(?P<num3>" + NUMBER + r")\s",
    # no re.I: find_casualties lower-cases the sentence first, which is faster
)


@dataclass(frozen=True)
class Casualties:
    fatalities: int | None
    injured: int | None
    none_reported: bool  # "no casualties" / "no one was hurt"
    # Deaths by side ("state", "armed", "civilian", "total"): tolls of different sides add up
    # across sentences ("killing 30 militants" ... "four soldiers were killed"), repeats do not.
    fatality_groups: tuple[tuple[str, int], ...] = ()


@lru_cache(maxsize=1)
def victim_groups() -> dict[str, str]:
    with (DATA_DIR / "victim_groups.csv").open(encoding="utf-8") as fh:
        return {row["word"].lower(): row["group"] for row in csv.DictReader(fh)}


def _group_after(text: str) -> str:
    """The side of the first victim noun in the next few words ("two paramilitary troopers")."""
    groups = victim_groups()
    for word in re.findall(r"[a-z][a-z'-]*", text)[:3]:
        if word in groups:
            return groups[word]
    return "total"


def _singular_victim(text: str) -> str | None:
    """The side of a single victim named by a singular noun within the next four words, if any."""
    groups = victim_groups()
    for word in re.findall(r"[a-z][a-z'-]*", text)[:4]:
        if word in ("and", "with", "of", "in", "at", "on", "near", "who", "after", "before"):
            return None  # "killed the leader and two others" is counted above; stop at the clause
        if word in groups and not word.endswith("s") and word != "police":
            return groups[word]
    return None


def combine_fatalities(groups: list[tuple[str, int]]) -> int | None:
    """Largest overall toll, or the sum of the largest toll of each side if that is larger."""
    if not groups:
        return None
    best: dict[str, int] = {}
    for group, value in groups:
        best[group] = max(best.get(group, 0), value)
    total = best.pop("total", 0)
    return max(total, sum(best.values()))


def parse_number(text: str) -> int | None:
    words = quantity_words()
    phrase = " ".join(text.lower().replace(",", "").replace("-", " ").split())
    if phrase.isdigit():
        return int(phrase)
    for prefix in ("a ", "an "):
        if phrase.startswith(prefix) and phrase[len(prefix) :] in words:
            return words[phrase[len(prefix) :]] if phrase[len(prefix) :] != "hundred" else 100
    phrase = phrase.replace("a couple of", "couple")
    total = 0
    for token in phrase.split():
        if token == "hundred":
            total = (total or 1) * 100
        elif token in words:
            total += words[token]
        else:
            return None
    return total or None


def _is_kill(cue: str) -> bool:
    cue = cue.lower()
    return not re.match(_HURT, cue) and not cue.startswith(("wound", "injur"))


def _sum_items(match: re.Match[str]) -> int | None:
    """Sum every count in a conjoined list ("two soldiers and three civilians")."""
    span = match.group(0)
    cue_start = match.start("cue") - match.start()
    head = span[:cue_start]
    # A comma between digits groups thousands ("1,200"), it does not separate items.
    parts = re.split(r"\s*(?:(?<!\d),|,(?!\d{3}(?!\d)))\s*|\s+and\s+", head)
    # Appositions name a subset, not more victims: "seven Palestinians, three of them children,"
    # or "Thirteen people, among them 12 soldiers,".
    kept = [
        p
        for p in parts
        if not re.search(r"\b(?:of them|of whom|among them|among whom|including|most of them|all of them)\b", p)
    ]
    # Words in an "of" phrase qualify the count's noun, they are no counts of their own ("six
    # members of an armed group and a soldier" is seven); "a couple of" is one count.
    if not kept and len(parts) == 1:
        # The whole subject is a subset of people counted before: "six were wounded, two of whom
        # died later" counts the two.
        kept = [p for p in parts if re.match(r"\s*(?:" + NUMBER + r")\s+of\s+(?:them|whom)\b", p)]
    kept = [re.sub(r"(?<!couple)\s+of\s.*", "", p) for p in kept]
    head = " , ".join(kept)
    found = [
        (m.group(0), parse_number(m.group(0)))
        for m in re.finditer(r"\b(?:" + NUMBER + r")\b", head, re.I)
        if not _is_year_like(m.group(0))
    ]
    numbers = [v for _, v in found if v]
    if not numbers:
        return None
    # Only sum when the items are joined by "and"/","; otherwise the first count is the toll.
    if re.search(r"\band\b|,", head) and len(numbers) > 1:
        return sum(numbers)
    # An article is the weakest count: "a provisional toll showed eight dead" is eight.
    counts = [v for word, v in found if v and not re.fullmatch(r"an?", word, re.I)]
    return (counts or numbers)[0]


def find_casualties(sentence: str) -> Casualties:
    """Fatalities and injured counted in one sentence."""
    sentence = sentence.lower()
    # Each scan below is skipped where a word or digit every match of it holds is missing (the
    # substitutions add no digits): the same result, sooner.
    if "number" in sentence:
        sentence = _UNKNOWN_NUMBER.sub("unknown", sentence)
    if not _DIGIT.search(sentence):
        sentence = _AGED.sub("", sentence)  # "aged nine"
    else:
        # Ages are not counts: "One worker, Rahima Begum, 23, died" / "aged 23".
        sentence = _AGED.sub("", _AGE.sub(",", sentence))
        sentence = _DATE.sub("that day", sentence)
        sentence = _AGE_ADJECTIVE.sub(lambda m: m["article"] or "one", sentence)
    killed: list[tuple[str, int]] = []
    hurt: list[int] = []
    taken: list[tuple[int, int]] = []
    pos = 0
    while (m := _NUM_BEFORE_KILL.search(sentence, pos)) is not None:
        pos = m.end()
        if sentence[max(0, m.start() - 3) : m.start()] == "no ":
            continue  # "no one was killed"
        joined = sentence[m.start() : m.start("cue")]
        if re.search(r",\s*$", joined) and _VERB_BEFORE.search(sentence, 0, m.start()):
            # "killed three soldiers, wounded two": the count is the earlier verb's object (read
            # below) and ", wounded" that verb's subject acting again, not the count's participle.
            pos = m.start("cue")
            continue
        if " and " in joined and _VERB_BEFORE.search(sentence, 0, m.start()):
            # "killed three soldiers and two others were wounded": the first count is the earlier
            # verb's object (read below); only what follows "and" belongs to this verb.
            pos = m.start() + joined.rindex(" and ") + 5
            continue
        if (
            _TRANSITIVE.match(m["cue"])
            and _ACTIVE_OBJECT.match(sentence, m.end())
            and not _PASSIVE_AUX.search(sentence, m.start(), m.start("cue"))
        ):
            # "two gunmen killed three farmers", "a soldier shot dead a civilian": the count is the
            # verb's subject, not its victims; the object is read below.
            continue
        value = _sum_items(m)
        if value is None or _is_year_like(m["num"]):
            continue
        head = sentence[m.end("num") : m.start("cue")]
        group = "total" if re.search(r"\band\b|,", head) else _group_after(head)
        if _KILL_OF_FIGHTERS.match(m["cue"]) and (_group_after(head) == "total" or _VAGUE.match(m["num"])):
            continue
        if _is_kill(m["cue"]) or _died_later(sentence, m):
            killed.append((group, value))
        else:
            hurt.append(value)
        taken.append(m.span())
        # "three killed and five injured": the second half is matched on its own below.
    for m in _KILL_BEFORE_NUM.finditer(sentence):
        if any(s <= m.start("num") < e for s, e in taken):
            continue
        value = parse_number(m["num"])
        if value is None or _is_year_like(m["num"]):
            continue
        cue = m["cue"].lower()
        if cue in ("left", "leaving"):
            if not m["tail"]:
                continue
            cue = m["tail"].strip()
        # "killed four soldiers and three militants": the conjoined count belongs to the same verb.
        group = _group_after(sentence[m.end("num") : m.end("num") + 40])
        if _KILL_OF_FIGHTERS.match(cue) and (group == "total" or _VAGUE.match(m["num"])):
            continue
        tail = re.match(
            r"(?:\s+[a-z][\w'-]*){0,2}?\s+and\s+(?P<num>" + NUMBER + r")\s+(?P<noun>[a-z][\w'-]*)", sentence[m.end() :]
        )
        # "... and two others" are more dead, unless they "were injured".
        others_hurt = (
            tail is not None
            and tail["noun"] in ("others", "other")
            and re.match(r"\s+(?:were\s+|was\s+)?(?:injured|wounded|hurt)", sentence[m.end() + tail.end() :])
        )
        if tail and not others_hurt and not re.match(r"(?:were|was|injured|wounded|hurt)$", tail["noun"]):
            extra_value = parse_number(tail["num"])
            if extra_value and tail["noun"] not in ("wounding", "injuring", "leaving"):
                value += extra_value
                group = "total"
        if cue.startswith(("wound", "injur")) and not _WHO_DIED.match(sentence, m.end()):
            hurt.append(value)
        else:
            killed.append((group, value))
    if not killed and _SINGLE_DEATH.match(sentence.lstrip()):
        killed.append(("total", 1))
    if not killed:
        # "shot and killed the farmer", "lynched a suspected thief": one named-by-noun victim.
        for m in _SINGLE_VICTIM.finditer(sentence):
            group = _singular_victim(sentence[m.end() :])
            if group:
                killed.append((group, 1))
                break
    for m in _BEATEN.finditer(sentence) if "death" in sentence or "lynched" in sentence else ():
        value = parse_number(m["num"] or m["num2"] or m["num3"])
        if value:
            killed.append(("total", value))
    for m in _BODIES.finditer(sentence) if "bodies" in sentence else ():
        value = parse_number(m["num"] or m["num2"])
        if value and not _is_year_like(m["num"] or m["num2"]):
            killed.append((_group_after(m["noun"] or "") if m["num2"] else "total", value))
    for m in _TOLL.finditer(sentence) if any(word in sentence for word in ("toll", "figure", "number")) else ():
        value = parse_number(m["num"])
        if value is None:
            continue
        if re.search(r"injur|wound", m["cue"]):
            hurt.append(value)
        else:
            killed.append(("total", value))
    none = bool(_NONE.search(sentence))
    return Casualties(combine_fatalities(killed), max(hurt) if hurt else None, none, tuple(killed))


def _died_later(sentence: str, m: re.Match) -> bool:
    """A count of wounded that is the subject of a later death: the wounded in "three soldiers,
    wounded in the attack, died later" (a participle or an adjective, not "were wounded"), with
    nothing but their own phrase between the wound and the death."""
    between = sentence[m.end("num") : m.start("cue")]
    if re.search(r"\b(?:were|was|are|is|been|being)\b", between) and not re.search(r"\bwho\b", between):
        return False  # "three were wounded ... died": a finite verb, its own statement
    if _WHO_DIED.match(sentence, m.end()):
        return True
    died = _DIED_LATER.search(sentence, m.end(), m.end() + 90)
    if died is None:
        return False
    gap = sentence[m.end() : died.start()]
    return not (_CLAUSE_BREAK.search(gap) or _NOT_ONE.search(gap))


def _is_year_like(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and text.startswith(("19", "20"))
