"""Place mentions in text, disambiguated by the article's context, not by the first match.

One resolver for the extractor and anything else that needs a place. Each reading of a name
is scored by a few named factors (see `score_candidate`): how well the name matches, the
feature level, population, agreement with the countries the article points at, agreement
with the admin units written beside it ("Toui (Ouesse, Collines)", "Orlivka, Donetsk region")
and named elsewhere in the article; the dateline and the outlet's country are weak priors
inside the country context. When the town itself is unknown, the named district or province
still gives country, admin1 and a coarser point (geo_precision 3).
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from transforms.extract.fastre import EndAnchored, compile_guarded, trie_alternation
from transforms.extract.gazetteer import (
    DATA_DIR,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_ALIAS,
    KIND_CITY,
    KIND_COUNTRY,
    Gazetteer,
    Place,
    article_forms,
    load_gazetteer,
    spelling_fold,
)
from transforms.extract.gazetteer import normalise as _normalise
from transforms.extract.gazetteer import variant_key as _variant_key

# Names repeat across an article and a run (candidates, units, surfaces): folded once each.
normalise = lru_cache(maxsize=1 << 17)(_normalise)
variant_key = lru_cache(maxsize=1 << 16)(_variant_key)
short_forms = lru_cache(maxsize=1 << 16)(article_forms)


@lru_cache(maxsize=1 << 16)
def own_name(surface: str, name: str) -> bool:
    """The surface is the place's own name, or that name as the news shorten an Arabic one
    ("Qayyara" is Al Qayyarah's own name, not an alternate)."""
    key = normalise(surface)
    return key == normalise(name) or key in short_forms(name)


# Tokens: words with inner hyphens/apostrophes/dots ("Deir ez-Zor", "Sana'a", "U.S.").
_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’.\-]*")
_CONNECTORS = {
    "al",
    "el",
    "ad",
    "ar",
    "as",
    "an",
    "ash",
    "at",
    "az",
    "ed",
    "ez",
    "es",
    "de",
    "del",
    "da",
    "do",
    "dos",
    "di",
    "la",
    "le",
    "les",
    "du",
    "of",
    "the",
    "bin",
    "ibn",
    "wa",
    "and",
}
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|ash|at|az|ed|ez)-[A-Z]")
_PERSON_BEFORE = EndAnchored(
    r"\b(?:Mr|Mrs|Ms|Dr|President|Prime Minister|Minister|General|Gen|Col|Colonel|Lt|Major|Maj|Captain|Capt|"
    r"Sheikh|Imam|Commander|Governor|Gov|Senator|Sen|Rep|spokesman|spokeswoman|spokesperson|chief|leader|"
    r"Brig|Sgt|Pope|King|Queen|Prince|Emir|Sultan|journalist|reporter|correspondent|resident|named|identified "
    r"as)\.?\s+$"
)
_PERSON_AFTER = re.compile(
    r"^(?:'s?\s+(?:spokesman|spokeswoman|family|wife|husband|son|daughter)|\s+(?:said|told|says|added|wrote|tweeted)\b|,\s+(?:a|an|the)\s+(?:spokes|local|resident|witness|commander|official))"
)
# "Bastar range inspector general", "Kebbi State police spokesman": a title, not where it happened.
_TITLE_AFTER = re.compile(
    r"^(?:'s)?\s+(?:[a-z]+\s+){0,2}(?:inspector|superintendent|commissioner|police\s+chief|police\s+spokes\w+|governor|mayor)\b"
)
_REGION_AFTER = re.compile(
    r"^\s+(?:province|state|region|governorate|district|county|department|prefecture|oblast|territory|township"
    r"|local government area|municipality)\b",
    re.I,
)
# "in the province of Soum", "the state of Zamfara": the unit word written before the name.
_REGION_BEFORE = EndAnchored(
    r"\bthe\s+(?:province|state|region|governorate|district|county|department|prefecture|oblast"
    r"|territory|local government area|municipality)\s+of\s+$",
    re.I,
)


def _written_unit(before: str, after: str) -> bool:
    return bool(_REGION_AFTER.match(after) or _REGION_BEFORE.search(before))


# "the Tierra Blanca neighbourhood of Culiacán": the first name is part of the second place.
_PART_OF_AFTER = re.compile(
    r"^(?:'s)?\s+(?:neighbou?rhood|district|suburb|area|quarter|sector|camp|market|commune)\s+of\s+(?:the\s+)?[A-Z]"
)
_NAME_WORDS_OK = {
    "northern",
    "southern",
    "eastern",
    "western",
    "north",
    "south",
    "east",
    "west",
    "central",
    "upper",
    "lower",
    "greater",
    "county",
    "province",
    "state",
    "district",
    "region",
    "city",
    "governorate",
    "department",
    "municipality",
    "township",
}
_NEAR_BEFORE = EndAnchored(
    r"\b(?:near|outside|close to|outskirts of|(?:\d+|a few|several|\w+)\s+(?:km|kilometres|kilometers"
    r"|miles)\s+(?:\w+\s+)?(?:from|of)|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east"
    r"|south-west)(?:ern)?\s+(?:of|outskirts of)|around|between)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+"
    r"|village\s+of\s+)?$",
    re.I,
)
# "45 km south of", "some 30 kilometres north-east of the town of", "10 miles (16 km) west of":
# a point that far that way of the place (no direction: near it, the point stays).
_COMPASS = r"(?:north|south|east|west)(?:[\s-]?(?:north|south|east|west)){0,2}|(?-i:[NSEW]{1,3})"
_NUMBER_VALUES = {
    **dict.fromkeys(("a", "one"), 1),
    **{w: i for i, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), 2)},
    **{w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)},
    "fifteen": 15,
    "hundred": 100,
}
_OFFSET_BEFORE = EndAnchored(
    rf"\b(?P<number>\d+(?:\.\d+)?|{'|'.join(_NUMBER_VALUES)})[\s-]*(?P<unit>km|kms|kilomet(?:re|er)s?|mi|miles?)\b"
    rf"(?:\s*\([^)]{{1,20}}\))?(?:\s+(?:to\s+the\s+)?(?P<bearing>{_COMPASS})(?:ern)?)?\s+(?:of|from)\s+"
    r"(?:the\s+)?(?:(?:town|city|village|district|capital)\s+(?:of\s+)?)?$",
    re.I,
)
_BEARINGS = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}
_MAX_OFFSET_KM = 1000.0  # beyond this the figure is a travel distance, not where it happened


def _mean_bearing(a: float | None, b: float | None) -> float | None:
    """The bearing halfway between two (on the short side of the circle: north and west -> 315)."""
    x = math.sin(math.radians(a)) + math.sin(math.radians(b))
    y = math.cos(math.radians(a)) + math.cos(math.radians(b))
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return None  # "north-south": opposite ways, no bearing
    return round(math.degrees(math.atan2(x, y)) % 360, 3)


def compass_bearing(direction: str) -> float | None:
    """'south' -> 180, 'north-east' or 'NE' -> 45, 'north-north-west' -> 337.5; None when not a direction."""
    if direction.isupper() and len(direction) <= 3:  # "NE", "SSW": the abbreviations
        direction = " ".join({"N": "north", "S": "south", "E": "east", "W": "west"}[ch] for ch in direction)
    parts = re.findall(r"north|south|east|west", direction.lower())
    if not parts or len(parts) > 3:
        return None
    bearing = _BEARINGS[parts[-1]]
    if len(parts) >= 2:
        bearing = _mean_bearing(_BEARINGS[parts[-2]], bearing)
    if len(parts) == 3 and bearing is not None:
        bearing = _mean_bearing(_BEARINGS[parts[0]], bearing)
    return bearing


def offset_before(before: str) -> tuple[float, float] | None:
    """(km, bearing in degrees) of a text ending in "45 km south of "; None without a distance
    and a direction, or with an implausible distance."""
    tail = before[-60:].lower()
    if "km" not in tail and "kilomet" not in tail and "mi" not in tail:
        return None  # the cheap test first: most places have no distance before them
    m = _OFFSET_BEFORE.search(before)
    if m is None or not m.group("bearing"):
        return None
    number = m.group("number").lower()
    value = _NUMBER_VALUES.get(number) or float(number)
    km = value * (1.609344 if m.group("unit").lower().startswith("mi") else 1.0)
    bearing = compass_bearing(m.group("bearing"))
    if bearing is None or not 0 < km <= _MAX_OFFSET_KM:
        return None
    return km, bearing


_LOCATIVE = (
    r"\b(?:in|at|near|outside|on|into|from|of|across|around|to|toward|towards|through|via|inside|within"
    r"|between|axis)\s+(?:the\s+)?"
)
_UNIT_OF = r"(?:(?:town|city|village|district|region|province|state|capital|area|suburb|neighbou?rhood|camp)\s+of\s+)?$"
_LOCATIVE_BEFORE = EndAnchored(_LOCATIVE + _UNIT_OF, re.I)
# "in Iraq's Tal Afar", "in Syria's northern city of Raqqa": the owner's possessive sits between the
# locative word and the name (headline style), and the name is still written as a place. A pattern
# of its own, tried only where a possessive is written, so the plain one keeps its cheap ending test.
_OWNER_LOCATIVE_BEFORE = EndAnchored(
    _LOCATIVE
    + r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?['’]s\s+(?:(?:north|south|east|west|central)(?:ern|-?(?:east|west)(?:ern)?)?\s+)?"
    + _UNIT_OF,
    re.I,
)


def _locative_before(text: str, pos: int = 0, endpos: int | None = None) -> bool:
    endpos = len(text) if endpos is None else endpos
    if _LOCATIVE_BEFORE.search(text, pos, endpos):
        return True
    window = text[pos:endpos]
    return ("'s " in window or "’s " in window) and bool(_OWNER_LOCATIVE_BEFORE.search(window))


# "Sagaing town", "Bogra city", "the town of Sagaing": a town, not the region or district of its name
# ("Bogra town council" or "the city of Sagaing's market" still name the town).
_TOWN_AFTER = re.compile(r"^\s+(?:town|city)\b", re.I)
_TOWN_BEFORE = EndAnchored(r"\b(?:town|city)\s+of\s+$", re.I)
# "Wote residents", "Kisumu traders": the people of a place, written as its residents are.
_RESIDENTS_AFTER = re.compile(
    r"\s+(?:residents|villagers|locals|inhabitants|dwellers|townspeople|youths|traders|farmers|fishermen"
    r"|students|pupils)\b"
)


def _written_as_place(text: str, start: int, end: int) -> bool:
    """A locative word before the name ("in X", "the town of X") or its residents after it."""
    return _locative_before(text, max(0, start - 40), start) or bool(_RESIDENTS_AFTER.match(text, end, end + 20))


# "in Qwerta, Asdfu and Zxcvi": the last names of a list share its first name's locative word.
_LISTED_BEFORE = EndAnchored(
    r"\b(?:in|at|near|outside|between|around|(?:towns?|villages?|areas?|localities)\s+of)\s+"
    r"(?:[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?,\s+){0,3}[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?,?\s+(?:and|or)\s+$"
)


# "near the border with Somalia", "crossed the border from Niger", "neighbouring Mali", "the
# embassy of Belarus": the country on the other side of a border from where it happened; so are
# the later names of a list there ("along the borders with Mali and Niger").
_ABROAD_BEFORE = EndAnchored(
    r"\b(?:(?:border|borders|frontier|frontiers)\s+with|(?:crossed|crossing|came|coming)\s+(?:the\s+border\s+)?from"
    r"|neighbou?ring|embassy\s+of|consulate\s+of)\s+(?:the\s+)?"
    r"(?:(?-i:[A-Z][\w'’\-]*)(?:\s+(?-i:[A-Z][\w'’\-]*))?(?:,\s*|\s+(?:and|or)\s+|,\s+(?:and|or)\s+)(?:the\s+)?)?$",
    re.I,
)

_ABROAD_WORDS = ("border", "frontier", "from", "neighbo", "embassy", "consulate")


def _abroad(text: str, start: int) -> bool:
    """Whether the name at `start` is written as the far side of a border (see _ABROAD_BEFORE)."""
    window = text[max(0, start - 40) : start]
    low = window.lower()
    return any(map(low.__contains__, _ABROAD_WORDS)) and bool(_ABROAD_BEFORE.search(window))


# "Sudan refugees in Kakuma", "Somalia nationals", "the Belarus embassy": people of a country,
# or its mission, away from it; the country is written as a demonym would be. So are a company's
# or a ship's crew's nationality ("the Canadian mining company", "Philippine crew members").
_FOREIGNERS_AFTER = re.compile(
    r"\s+(?:refugees?|nationals?|migrants?|citizens?|expatriates?|diaspora|asylum[- ]seekers?|embassy|envoy"
    r"|ambassador|consulate|mission"
    r"|(?:[a-z\-]+\s+){0,2}(?:company|companies|firm|firms|corporation|multinational|contractors?"
    r"|crew|crews|crewmen|crew\s+members|sailors|seafarers|tourists|investors))\b",
    re.I,
)


def _foreigners_of(text: str, end: int, candidates: tuple[Place, ...]) -> bool:
    # The word after first: it rules out most spans in one test, a name may have dozens of readings.
    return bool(_FOREIGNERS_AFTER.match(text, end, end + 30)) and any(c.kind == KIND_COUNTRY for c in candidates)


# "Canada special forces clash with IS in Iraq", "Russia jets pound rebels in Syria": a country
# named as the owner of forces is whose they are, and they often act abroad; a place written as
# one comes first (police, who act at home, are not among them).
_FORCES_AFTER = re.compile(
    r"\s+(?:special\s+|armed\s+|ground\s+|air\s+)?(?:forces|troops|soldiers|army|military|jets|warplanes"
    r"|aircraft|drones?|navy|commandos|marines|gunships)\b",
    re.I,
)


def _forces_of(text: str, end: int, candidates: tuple[Place, ...]) -> bool:
    return any(c.kind == KIND_COUNTRY for c in candidates) and bool(_FORCES_AFTER.match(text, end, end + 30))


_DIRECTION_BEFORE = EndAnchored(
    r"\b(?:to|towards|toward|road to|route to|heading for|bound for|fled to|fled "
    r"into)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|capital\s+)?$",
    re.I,
)


# Admin hierarchies written beside a place: "Toui (Ouesse, Collines)", "Chora district, Uruzgan",
# "Hpapun township (Hpapun district, Kayin State)": only punctuation and unit words between names.
_UNIT_WORDS = (
    r"township|district|region|state|province|county|sub-?county|village|town|city|commune|"
    r"municipality|arrondissement|borough|oblast|raion|rayon|department|governorate|division|"
    r"upazila|union|locality|area|prefecture|territory|hromada|ward|quarter|zone"
)
# A name the gazetteer lacks may sit inside the units: "Monsey (Karimama, Alibori)".
_HIERARCHY_GAP = re.compile(rf"(?:\s*(?:[,()]|(?i:{_UNIT_WORDS})s?\b|[A-Z][\w'’\-]*(?=\s*,)))*\s*")
# "Toui (", "at Spirne, ", "Sanson (Tchaourou, ": a name the gazetteer lacks, its units after it.
_UNKNOWN_BEFORE = EndAnchored(
    r"(?<![\w'’\-])(?P<name>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2})(?:\s+(?i:" + _UNIT_WORDS + r"|camp)s?)?"
    r"(?P<gap>\s*[(,](?:\s*[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2}\s*,)?)\s*$"
)
_OBJECT_BEFORE = EndAnchored(r"\b[a-z]{3,}\s+$")  # a lower-case word (a verb) right before the name
_DATE_WORDS = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|On|In|At)\b"
)
# A street or road named after a town is not that town ("Haifa Street", "the Kabul Road").
_STREET_AFTER = re.compile(
    r"^\s+(?:street|st\b|road|rd\b|avenue|ave\b|boulevard|lane|highway|bridge|gate|square)", re.I
)
# "the Dhaka-Mymensingh highway": a road between towns is near them, not in them.
_ROAD_AFTER = re.compile(
    r"^(?:\s*-\s*[A-Z][\w'’]*)*\s+(?:national\s+|main\s+)?(?:highway|road|axis|route|motorway|expressway)\b", re.I
)
# "the Kenya-Somalia border", "the Iraq border": a border between places, near them at best.
_BORDER_AFTER = re.compile(r"^(?:\s*-\s*[A-Z][\w'’]*)*\s+(?:border|frontier)\b", re.I)
# "Amani National Congress", "Kano Pillars Club": an organisation named after a place.
_ORG_AFTER = re.compile(
    r"^\s+(?:[A-Z][a-z]+\s+){0,3}(?:Congress|Party|Movement|Front|Alliance|Council|Union|"
    r"Company|Corporation|Bank|Group|Army|Brigade|Battalion|Federation|Association|League|Club|Dal)\b"
)
# "Embu University", "Lodwar County Referral Hospital": an institution that stands in the place
# it is named after, so it points there, after any place named plainly.
_INSTITUTION_AFTER = re.compile(
    r"^\s+(?:[A-Z][a-z]+\s+){0,2}(?:University|College|Polytechnic|Hospital|Prison|Airport|Stadium|Market)\b"
)
# "northern Iraq", "south-eastern Turkey": a part of a country, not all of it.
_PART_BEFORE = EndAnchored(
    r"\b(north|south|east|west|north-?east|north-?west|south-?east|south-?west|central)(?:ern)?\s+$", re.I
)
_DIRECTIONS = {"north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1), "central": (0, 0)}
# The place someone speaks or reports from is not where it happened.
_REPORTING_BEFORE = EndAnchored(
    r"\b(?:said|told\s+(?:\w+\s+){0,2}|says|announced|spoke|speaking|briefing|press conference|statement"
    r"|reporting|reported)\s+"
    r"(?:(?:on\s+\w+|late\s+\w+|today|yesterday)\s+)?(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
# "the Syrian capital", "the capital of Yemen", "Iraq's capital": the capital city.
_CAPITAL = compile_guarded(
    r"\b(?:the\s+(?P<demonym>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+capital(?:\s+city)?|"
    r"(?:the\s+)?capital(?:\s+city)?\s+of\s+(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)|"
    r"(?P<owner>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)['’]s\s+capital(?:\s+city)?)\b(?!\s*,?\s*[A-Z])"
)


@dataclass(frozen=True)
class PlaceSpan:
    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    near: bool  # "near X", "20 km from X": approximate
    region_word: bool  # followed by "province", "state", ...
    locative: bool  # preceded by "in", "at", "near"...
    directional: bool = False
    variant: bool = False  # matched by spelling skeleton only, not by a known spelling
    outer: tuple = ()  # spans written after it as its admin units ("X (A, B)")
    inner: tuple = ()  # spans it is written after as an admin unit
    qualifies_unknown: bool = False  # the units of a name the gazetteer lacks ("Toui (Ouesse, ...")
    reporting: bool = False  # "said in Geneva": where someone speaks, not where it happened
    capital: bool = False  # "the Syrian capital": names its country as plainly as "Syria"
    part: str | None = None  # "northern Iraq": a part of the country ("north", "south-east", ...)
    offset: tuple[float, float] | None = None  # "45 km south of X": (km, bearing in degrees)
    abroad: bool = False  # "the border with X", "neighbouring X": the other side, not here
    institution: bool = False  # "X University": points at X, after places named plainly
    town_word: bool = False  # "Sagaing town", "the town of X": the town, not the region of its name


@dataclass(frozen=True)
class ResolvedPlace:
    start: int
    end: int
    surface: str
    place: Place
    near: bool
    district: bool = False  # "Murshidabad district": the area named after the town
    directional: bool = False  # "fled towards Sake", "the road to Aleppo": not where it happened
    container: bool = False  # only the unit around an unknown place: "(Ouesse, Collines)"
    part: bool = False  # "north Iraq": a part of a country, as specific as a province
    admin2: str | None = None  # its district: the gazetteer's, or the one written beside it
    offset: tuple[float, float] | None = None  # "45 km south of X": (km, bearing) from X's point
    institution: bool = False  # "X University": at X, but after any place named plainly

    @property
    def moved(self) -> bool:
        """Whether the point is moved by a written offset: only a town's or landmark's point
        (a province's centroid plus 45 km is no better than the centroid)."""
        return (
            self.offset is not None
            and self.place.kind in (KIND_CITY, KIND_ALIAS)
            and self.place.latitude is not None
            and not self.container
        )

    @property
    def latitude(self) -> float | None:
        return self._point()[0]

    @property
    def longitude(self) -> float | None:
        return self._point()[1]

    def _point(self) -> tuple[float | None, float | None]:
        if not self.moved:
            return self.place.latitude, self.place.longitude
        return destination(self.place.latitude, self.place.longitude, *self.offset)

    @property
    def geo_precision(self) -> int:
        if self.place.kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2) or self.container:
            return 3
        if (self.near or self.district or self.moved) and self.place.geo_precision == 1:
            return 2
        return self.place.geo_precision

    @property
    def rank(self) -> int:
        """How specific the named place is, for choosing the event location: a town named as
        "near X" still names X; a district named after a town is wider than a town."""
        if self.place.kind == KIND_COUNTRY and not self.part:
            return 4  # "Iraq's Anbar": the province is the more specific of the two
        if self.place.kind in (KIND_ADMIN1, KIND_COUNTRY):
            return 3
        if (
            self.district
            or self.directional
            or self.container
            or self.place.geo_precision == 2
            or self.place.kind == KIND_ADMIN2
        ):
            return 2
        return self.place.geo_precision


def _replace(span: PlaceSpan, **changes) -> PlaceSpan:
    """dataclasses.replace without its per-field work (a span is a plain frozen record with no
    __post_init__): spans are re-read twice per sentence, so this is a hot path."""
    new = object.__new__(PlaceSpan)
    new.__dict__.update(span.__dict__, **changes)
    return new


def _capitalised(token: str) -> bool:
    # All-caps words longer than three letters are headline or dateline shouting, not names.
    first = token[:1]
    if first.isupper():
        return not (len(token) > 3 and token.isupper())
    # "al-Hasakah", "ad-Dawr": an Arabic article before a capital (the cheap test first: most words are lower-case)
    return first in "ae" and "-" in token[1:4] and bool(_ARTICLE_PREFIX.match(token))


# Per word, not per occurrence: the same words recur in every article ("The", "Police", "Kabul").
@lru_cache(maxsize=1 << 16)
def _capitalised_token(word: str) -> bool:
    # Only words starting upper-case, or with "a"/"e" ("al-Hasakah"), can be capitalised.
    return _capitalised(word.rstrip(".")) if word[0].isupper() or word[0] in "ae" else False


@lru_cache(maxsize=1 << 16)
def _start_keys(token: str) -> tuple[str, str]:
    """(index key, skeleton key) of the first word of a name the token opens: "Kandahar's" ->
    ("kandahar", "kndr"), "Bobo-Dioulasso" -> ("bobo", ""); the skeleton is "" when too short."""
    head = token.removesuffix("'s").removesuffix("’s").rstrip(".").split("-")[0]
    vfirst = variant_key(head)
    return normalise(head).split(" ")[0], vfirst.split(" ")[0] if vfirst else ""


def _tokens(text: str, offset: int, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """Word tokens; "Djibo-Arbinda" and "Gorom Gorom-Dori" (two places joined by a hyphen, as in
    an axis or a road) are split unless the hyphenated whole is a known name ("Bobo-Dioulasso")."""
    out = [(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text)]
    if "-" not in text:
        return out
    index = gazetteer.index
    pieces: dict[int, list[tuple[int, int, str]]] = {}  # token number -> its parts, where it splits
    for k in [k for k, tok in enumerate(out) if "-" in tok[2]]:
        pos, _, word = out[k]
        parts = word.split("-")
        if not (all(p[:1].isupper() for p in parts) and normalise(word) not in index and normalise(parts[-1]) in index):
            continue
        previous = (pieces[k - 1][-1] if k - 1 in pieces else out[k - 1])[2] if k else None
        if normalise(parts[0]) in index or (previous is not None and normalise(f"{previous} {parts[0]}") in index):
            pieces[k] = []
            for part in parts:
                pieces[k].append((pos, pos + len(part), part))
                pos += len(part) + 1
    for k in sorted(pieces, reverse=True):
        out[k : k + 1] = pieces[k]
    return out


def _lookup(gazetteer: Gazetteer, surface: str, allow_variant: bool) -> tuple[tuple[int, ...], bool]:
    """Place ids for a surface, and whether they came from the spelling skeleton only."""
    key = normalise(surface)
    if not key or key in gazetteer.stoplist or key in gazetteer.country_keys and key not in gazetteer.index:
        return (), False
    # An acronym ("CAR", "DRC") is a place only written in capitals: "Car bomb" is not one.
    if key in gazetteer.acronyms and not surface.isupper():
        return (), False
    ids = gazetteer.index.get(key)
    if ids:
        return ids, False
    if allow_variant:
        vkey = variant_key(surface)
        ids = gazetteer.variants.get(vkey) if vkey else None
        if ids:
            return ids, True
    return (), False


def _window_match(
    text: str, tokens, caps, i: int, longest: int, gazetteer: Gazetteer, allow_variant: bool, slack: int = 2
):
    """The longest run of capitalised tokens from token i that names a place, or None. A name
    of `longest` words spans at most that many tokens (a token holds one word or more: "ez-Zor");
    a skeleton's word count is only a guide, hence the slack."""
    # How far a window can reach: its tokens must be adjacent (no punctuation other than spaces
    # or a split hyphen between them) and capitalised, or connectors inside it ("Deir ez Zor").
    top, reach = min(longest + slack, len(tokens) - i), 1
    while reach < top:
        k = i + reach
        if text[tokens[k - 1][1] : tokens[k][0]].strip(" -") or (
            not caps[k] and tokens[k][2].lower() not in _CONNECTORS
        ):
            break
        reach += 1
    for n in range(reach, 0, -1):
        if not caps[i + n - 1]:
            continue
        s, e = tokens[i][0], tokens[i + n - 1][1]
        surface = text[s:e]
        if surface.endswith(("'s", "’s")):
            surface, e = surface[:-2], e - 2
        surface_clean = surface.rstrip(".")
        e -= len(surface) - len(surface_clean)
        ids, variant = _lookup(gazetteer, surface_clean, allow_variant)
        candidates = tuple(map(gazetteer.place, ids))
        if variant:
            candidates = tuple(c for c in candidates if _close_spelling(surface_clean, c.name))
        if candidates:
            return s, e, surface_clean, candidates, n, variant
    return None


def find_place_spans(text: str, gazetteer: Gazetteer, start: int = 0, end: int | None = None) -> list[PlaceSpan]:
    """Longest capitalised n-grams of text[start:end] that name a place, left to right."""
    end = len(text) if end is None else end
    tokens = _tokens(text[start:end], start, gazetteer)
    caps = list(map(_capitalised_token, map(itemgetter(2), tokens)))
    spans: list[PlaceSpan] = []
    resume = 0  # the tokens before this are inside a name already read
    for i in compress(range(len(caps)), caps):  # the capitalised tokens' numbers
        if i < resume:
            continue
        first_key, vfirst = _start_keys(tokens[i][2])
        longest = gazetteer.longest_name(first_key)
        found = _window_match(text, tokens, caps, i, longest, gazetteer, False, slack=0) if longest else None
        if found is None:
            # Spelling variants are tried only where a place is expected: after "in", "near", "(" ...
            # (the skeleton index is the cheaper test, so it comes first).
            vlongest = gazetteer.longest_variant_name(vfirst) if vfirst else 0
            if vlongest:
                before = text[max(0, tokens[i][0] - 40) : tokens[i][0]]
                if before.rstrip().endswith(("(", ",")) or _locative_before(before):
                    found = _window_match(text, tokens, caps, i, vlongest, gazetteer, True)
        if found is None:
            continue
        s, e, surface, candidates, n, variant = found
        # A place name inside a longer run of capitalised words is part of a person's or an
        # organisation's name ("Abdiqadir Farah Geedi", "Comuneros del Sur").
        prev_tok = tokens[i - 1][2] if i > 0 and not text[tokens[i - 1][1] : s].strip() else None
        next_tok = tokens[i + n][2] if i + n < len(tokens) and not text[e : tokens[i + n][0]].strip() else None
        possessive = text[s : e + 2].endswith(("'s", "’s"))  # "Baghdad's Green Zone": two names
        institution = bool(_INSTITUTION_AFTER.match(text[e : e + 60]))
        if (
            _is_name_word(prev_tok, gazetteer)
            or (not possessive and not institution and _is_name_word(next_tok, gazetteer))
            or _ORG_AFTER.match(text[e : e + 60])
        ):
            resume = i + n
            continue
        spans.append(
            PlaceSpan(
                s,
                e,
                surface,
                candidates,
                near=False,
                variant=variant,
                locative=_written_as_place(text, s, e),
                region_word=_written_unit(text[max(0, s - 60) : s], text[e : e + 40]),
                abroad=_abroad(text, s) or _foreigners_of(text, e, candidates),
                institution=institution,
            )
        )
        resume = i + n
    capitals = _capital_spans(text, gazetteer, start, end)
    if capitals:
        # The phrase replaces the country span inside it ("capital of Yemen"): one reading.
        spans = [sp for sp in spans if not any(c.start <= sp.start < c.end for c in capitals)] + capitals
        spans.sort(key=lambda sp: sp.start)
    return spans


@lru_cache(maxsize=1 << 16)
def _close_spelling(surface: str, name: str) -> bool:
    """A skeleton match is a variant only if the spellings also look alike letter by letter
    once transliteration choices are folded ("Qandahar"/"Kandahar" yes, "Turkana"/"Tarakan" no)."""
    return difflib.SequenceMatcher(None, spelling_fold(surface), spelling_fold(name)).ratio() >= 0.8


def _capital_spans(text: str, gazetteer: Gazetteer, start: int, end: int) -> list[PlaceSpan]:
    """ "The Syrian capital" names Damascus: a span over the phrase, read as the capital city."""
    out: list[PlaceSpan] = []
    if "capital" not in text[start:end]:
        return out
    for m in _CAPITAL.finditer(text, start, end):
        name = m.group("demonym") or m.group("country") or m.group("owner")
        iso2 = gazetteer.country_keys.get(normalise(name))
        capital = gazetteer.capital(iso2)
        if capital is None:
            continue
        out.append(
            PlaceSpan(
                m.start(), m.end(), m.group(0), (capital,), near=False, region_word=False, locative=False, capital=True
            )
        )
    return out


# "Islamic State-held Mosul", "Rebel-Controlled Idlib": who holds the place, not part of its name.
_HOLDER_WORD = re.compile(r"-(?:held|controlled|occupied|besieged|dominated|run|led|backed)$", re.I)


def _is_name_word(token: str | None, gazetteer: Gazetteer) -> bool:
    if not token or not token[:1].isupper() or (len(token) > 3 and token.isupper()):
        return False
    if token[token.rfind("-") + 1 : token.rfind("-") + 2].islower() or ("-" in token and _HOLDER_WORD.search(token)):
        return False  # "rebel-held Idlib", "Rebel-Controlled Idlib": an adjective, not a name's word
    key = normalise(token.rstrip(".").removesuffix("'s").removesuffix("’s"))
    return key not in gazetteer.stoplist and key not in _NAME_WORDS_OK and key not in gazetteer.index


def _qualifies_unknown(before: str) -> bool:
    """Whether the text before a span ends in an unknown name and the opening of its units:
    "(" after any name, "," only after a name written as a place ("in Spirne, ")."""
    m = _UNKNOWN_BEFORE.search(before)
    if m is None or _DATE_WORDS.match(m.group("name")):
        return False
    # A comma after a name written as a place ("in Spirne, ") or as an object mid-sentence
    # ("shelled Spirne, Donetsk"), not after a sentence's opening word ("Meanwhile, Kherson").
    return (
        "(" in m.group("gap")
        or bool(_LOCATIVE_BEFORE.search(before[: m.start()]))
        or bool(_OBJECT_BEFORE.search(before[: m.start()]))
    )


def link_hierarchy(text: str, spans: list[PlaceSpan]) -> list[PlaceSpan]:
    """Spans with the admin units written after them linked: in "Toui (Ouesse, Collines)" and
    "Kyrylivka, Donetsk region", each later name is an outer unit of the earlier ones."""
    spans = sorted(spans, key=lambda sp: sp.start)
    chains: list[list[int]] = []
    for i, span in enumerate(spans):
        if i and chains and chains[-1][-1] == i - 1:
            gap = text[spans[i - 1].end : span.start]
            if ("," in gap or "(" in gap) and _HIERARCHY_GAP.fullmatch(gap):
                chains[-1].append(i)
                continue
        chains.append([i])
    out = []
    for chain in chains:
        for pos, i in enumerate(chain):
            span = spans[i]
            unknown = pos == 0 and _qualifies_unknown(text[max(0, span.start - 80) : span.start])
            if len(chain) == 1 and not unknown and not (span.outer or span.inner or span.qualifies_unknown):
                out.append(span)  # a name alone, already read so (spans are frozen): no copy
                continue
            out.append(
                _replace(
                    span,
                    outer=tuple(spans[j] for j in chain[pos + 1 :]),
                    inner=tuple(spans[j] for j in chain[:pos]),
                    qualifies_unknown=unknown,
                )
            )
    return out


def with_surroundings(text: str, spans: list[PlaceSpan]) -> list[PlaceSpan]:
    """Spans with the words around them read: "near X", "X province", "in X"; person names
    ("President Bello", "Ali said") and streets ("Haifa Street") dropped. Done only for sentences
    that report an event."""
    out = []
    for span in spans:
        before = text[max(0, span.start - 60) : span.start]
        after = text[span.end : span.end + 40]
        if (
            _PERSON_BEFORE.search(before)
            or _PERSON_AFTER.match(after)
            or _PART_OF_AFTER.match(after)
            or _TITLE_AFTER.match(after)
            or _STREET_AFTER.match(after)
        ):
            continue
        offset = offset_before(before)
        out.append(
            _replace(
                span,
                town_word=bool(_TOWN_AFTER.match(after) or _TOWN_BEFORE.search(before)),
                near=bool(_NEAR_BEFORE.search(before)) or offset is not None,
                offset=offset,
                region_word=_written_unit(before, after),
                locative=_locative_before(before)
                or bool(_LISTED_BEFORE.search(before) or _RESIDENTS_AFTER.match(text, span.end, span.end + 20)),
                directional=bool(
                    span.abroad
                    or _forces_of(text, span.end, span.candidates)
                    or _DIRECTION_BEFORE.search(before)
                    or _ROAD_AFTER.match(after)
                    or _BORDER_AFTER.match(after)
                ),
                reporting=bool(_REPORTING_BEFORE.search(before)),
                part=(_PART_BEFORE.search(before) or [None, None])[1],
            )
        )
    return out


# ---------------------------------------------------------------- agreement between readings

_NEAR_KM = 80  # a town "inside" a district named after another town lies about this close


def part_of_country(country: Place, part: str, gazetteer: Gazetteer) -> Place:
    """ "Northern Iraq": the mean of the country's province centroids that lie that way of its
    middle, as one coarse point (precision 3); the country itself when it has too few provinces."""
    points = gazetteer.regions.get(country.country_iso2, ())
    if len(points) < 3:
        return country
    mid_lat = sum(p[0] for p in points) / len(points)
    mid_lon = sum(p[1] for p in points) / len(points)
    key = part.lower().replace("-", "")
    dlat = sum(v[0] for d, v in _DIRECTIONS.items() if d in key and d != "central")
    dlon = sum(v[1] for d, v in _DIRECTIONS.items() if d in key and d != "central")
    if key == "central":
        chosen = sorted(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)[: max(1, len(points) // 3)]
    else:
        chosen = [p for p in points if (p[0] - mid_lat) * dlat + (p[1] - mid_lon) * dlon > 0]
    if not chosen:
        return country
    lat = round(sum(p[0] for p in chosen) / len(chosen), 5)
    lon = round(sum(p[1] for p in chosen) / len(chosen), 5)
    return dataclasses.replace(
        country,
        name=f"{part.capitalize()}ern {country.name}" if key != "central" else f"Central {country.name}",
        latitude=lat,
        longitude=lon,
    )


def within(outer: Place, inner: Place) -> bool:
    """Whether `inner` can lie inside `outer` (a country, admin1, district or town's area)."""
    if outer is inner:
        return outer.kind == KIND_CITY  # "Kerou (Kerou, ...)": the town in its own district
    if outer.country_iso2 != inner.country_iso2:
        return False
    if outer.kind == KIND_COUNTRY:
        return inner.kind != KIND_COUNTRY
    if inner.kind in (KIND_COUNTRY, KIND_ADMIN1):
        return False
    if outer.kind == KIND_ADMIN1:
        return inner.admin1 is not None and normalise(inner.admin1) == normalise(outer.name)
    if outer.admin1 and inner.admin1 and normalise(outer.admin1) != normalise(inner.admin1):
        return False
    if outer.kind == KIND_ADMIN2 and inner.admin2 and outer.admin2:
        return normalise(inner.admin2) == normalise(outer.admin2)
    # Cities of the shipped data carry no district code, and a district's point is often only
    # its region's centroid: inside the same admin1 is the best test there is.
    if outer.kind == KIND_ADMIN2 and outer.admin1 and inner.admin1:
        return True
    if None in (outer.latitude, inner.latitude):
        return False
    return distance_km(outer.latitude, outer.longitude, inner.latitude, inner.longitude) <= _NEAR_KM


def support(span: PlaceSpan, cand: Place) -> int:
    """How many of the admin units written beside the span agree with this reading."""
    if not span.outer and not span.inner:
        return 0  # no units written beside it (most spans): nothing can agree
    # Skeleton matches support nothing, and a name repeated as its own district ("Kerou (Kerou,
    # Atacora)") backs only a reading under its own name that the other units do not contradict:
    # else "Mansi (Mansi Township, Bhamo, Kachin)" would back a namesake abroad.
    outer = [sp for sp in span.outer if not sp.variant]
    inner = [sp for sp in span.inner if not sp.variant]
    agree = sum(any(within(o, cand) for o in sp.candidates if o is not cand) for sp in outer)
    agree += sum(any(within(cand, i) for i in sp.candidates if i is not cand) for sp in inner)
    if agree == 0 and cand.kind == KIND_CITY and own_name(span.surface, cand.name):
        repeated = [sp for sp in outer + inner if cand in sp.candidates]
        others = [sp for sp in outer + inner if cand not in sp.candidates]
        same_country = all(any(c.country_iso2 == cand.country_iso2 for c in sp.candidates) for sp in others)
        if repeated and others and same_country:
            agree = 1
    return agree


def _one_country(span: PlaceSpan) -> bool:
    """A name found in one country only, under its own name (not as some city's alternate)."""
    return (
        not span.variant
        and len({c.country_iso2 for c in span.candidates}) == 1
        and any(own_name(span.surface, c.name) for c in span.candidates)
    )


def country_context(spans: list[PlaceSpan], source_country: str | None, dateline: list[PlaceSpan] = ()) -> Counter:
    """How strongly the article points at each country: named countries and demonyms count
    most, so do admin hierarchies whose agreeing readings lie in one country; then big or
    dateline places and named provinces with a single reading; then the source's own country.
    Small places never vote alone: their namesakes abroad would drown the real signal."""
    weights: Counter = Counter()
    for span in list(spans) + list(dateline):
        if span.variant or span.abroad:
            continue  # a skeleton match is too weak to point at a country; a border's far side is not here
        countries = [c for c in span.candidates if c.kind == KIND_COUNTRY or span.capital]
        if countries:
            weights[countries[0].country_iso2] += 3
            continue
        if span.outer or span.inner:
            agreeing = {c.country_iso2 for c in span.candidates if support(span, c)}
            if len(agreeing) == 1:
                weights[agreeing.pop()] += 3
                continue
            outer_countries = {o.country_iso2 for sp in span.outer for o in sp.candidates}
            if span.outer and not outer_countries & {c.country_iso2 for c in span.candidates}:
                continue  # contradicted by its own units: no vote
        if span.inner or span.qualifies_unknown or span.region_word:
            # A unit written as one ("..., Soum Province", "(Karimama, Alibori)").
            units = {c.country_iso2 for c in span.candidates if c.kind in (KIND_ADMIN1, KIND_ADMIN2)}
            if len(units) == 1:
                weights[units.pop()] += 2
                continue
        in_dateline = span in dateline  # once per span: each test compares whole spans
        strong = [
            c
            for c in span.candidates
            if c.kind == KIND_ALIAS or c.population >= 1000000 or (in_dateline and c.population >= 5000)
        ]
        # A big city votes under its own name only: "Tana" is also Antananarivo's nickname.
        strong = [c for c in strong if c.kind == KIND_ALIAS or in_dateline or own_name(span.surface, c.name)]
        if not strong and span.locative and _one_country(span):
            strong = list(span.candidates)  # "in Pissila": a name found in one country only
        if strong and len({c.country_iso2 for c in strong}) == 1:
            weights[strong[0].country_iso2] += 2 if in_dateline else 1
    if source_country:
        weights[source_country] += 1
    return weights


_PRIOR_CAP = 1.5  # an actor never points at a country as strongly as naming it (3 votes)


@lru_cache(maxsize=1)
def _actor_table() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """actor_countries.csv: names of armed groups and forces -> the countries they operate in,
    main theatre first. Matched case-sensitively as whole words ("PDF", "Tatmadaw")."""
    countries: dict[str, tuple[str, ...]] = {}
    with (DATA_DIR / "actor_countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ccs = tuple(c.strip() for c in row["countries"].split("|") if c.strip())
            for alias in row["aliases"].split("|"):
                if alias.strip():
                    countries[alias.strip()] = ccs
    pattern = compile_guarded(r"(?<![\w'’\-])(?:" + trie_alternation(countries) + r")(?![\w\-])")
    return pattern, countries


def actor_prior(text: str, places: list[PlaceSpan] = ()) -> Counter:
    """A weak country prior from the armed groups and forces a text names: 1 vote for an actor's
    main theatre, 0.5 for its other countries, at most _PRIOR_CAP per country. It tips a
    village between namesakes and gives a country to a text that names none. A name inside a
    longer place name is no actor ("Afar" in "Tal Afar")."""
    pattern, countries = _actor_table()
    prior: Counter = Counter()
    inside = [(sp.start, sp.end) for sp in places if sp.end - sp.start > 0]
    found = (
        m.group(0)
        for m in pattern.finditer(text)
        if not any(s <= m.start() and m.end() <= e and (s, e) != (m.start(), m.end()) for s, e in inside)
    )
    # In order of first mention: between equal priors the first-named actor's country leads.
    for name in dict.fromkeys(found):
        for i, cc in enumerate(countries[name]):
            prior[cc] = min(_PRIOR_CAP, prior[cc] + (1.0 if i == 0 else 0.5))
    return prior


# ---------------------------------------------------------------- the scoring factors


def name_match(span: PlaceSpan, cand: Place) -> float:
    """The place's own name beats an alternate name; a spelling-skeleton match counts least."""
    if span.variant:
        return -1.0
    if own_name(span.surface, cand.name) and cand.kind != KIND_ADMIN1:
        return 1.0  # "Islamabad" is Islamabad, not a city that once bore the name
    return 0.0


def feature_level(span: PlaceSpan, cand: Place, as_unit: bool) -> float:
    """Our aliases and countries are deliberate; a region reading needs a unit word or a place
    inside it ("Donetsk region", "Spirne, Donetsk"), else the town of that name is likelier.
    Written as a town ("Sagaing town", "the town of Sagaing"), the town it is."""
    if span.town_word:
        if cand.kind == KIND_CITY or (cand.kind == KIND_ALIAS and cand.geo_precision < 3):
            return 2.5 if cand.kind == KIND_ALIAS else 1.0
        return -1.0
    if cand.kind == KIND_ALIAS:
        return 2.5
    if cand.kind == KIND_COUNTRY:
        return 1.0
    if cand.kind in (KIND_ADMIN1, KIND_ADMIN2):
        return 1.5 if span.region_word or as_unit else (-0.2 if cand.kind == KIND_ADMIN1 else -0.6)
    return 0.0


def population_weight(cand: Place) -> float:
    return 0.45 * math.log10(cand.population + 10)


def country_agreement(cand: Place, context: Counter) -> float:
    total = sum(context.values()) or 1
    return 6 * context.get(cand.country_iso2, 0) / total


def admin_agreement(span: PlaceSpan, agreeing_units: int, cand: Place, named_admin1: frozenset) -> float:
    """Units written beside the name that contain this reading, and provinces the article names
    (not the span's own name: "Donetsk region" does not vote for the city of Donetsk)."""
    admin1 = normalise(cand.admin1) if cand.admin1 else None
    named = (
        admin1 is not None
        and (cand.country_iso2, admin1) in named_admin1
        and cand.kind not in (KIND_ADMIN1, KIND_COUNTRY)
        and admin1 != normalise(span.surface)
    )
    return 3.0 * agreeing_units + (1.0 if named else 0.0)


SMALL_VILLAGE = 5000  # below this, a lone name match abroad is weaker than any country signal
# Below this, a town abroad backed by its own name alone yields to two clues for another country.
LONE_NAMESAKE = 50000
# A town this big, five times any namesake abroad, stands on its size when nothing else points anywhere.
PROMINENT_TOWN = 10000


def score_candidate(span: PlaceSpan, cand: Place, context: Counter, named_admin1: frozenset = frozenset()) -> float:
    agreeing = support(span, cand)
    as_unit = bool(span.qualifies_unknown or (span.inner and agreeing))
    return (
        name_match(span, cand)
        + feature_level(span, cand, as_unit)
        + population_weight(cand)
        + country_agreement(cand, context)
        + admin_agreement(span, agreeing, cand, named_admin1)
    )


def resolve(span: PlaceSpan, context: Counter, named_admin1: frozenset = frozenset()) -> Place | None:
    """The best reading of a span in this article, or None when no reading is plausible."""
    best, best_score = None, -math.inf
    for cand in span.candidates:
        score = score_candidate(span, cand, context, named_admin1)
        if score > best_score:
            best, best_score = cand, score
    if best is None:
        return None
    if support(span, best):
        return best  # the units written beside it agree: whatever else the article says
    as_unit = span.qualifies_unknown or span.inner or span.region_word
    total = sum(context.values()) or 1
    in_context = context.get(best.country_iso2, 0) > 0
    dominant = max(context.values(), default=0) / total >= 0.5
    # Units written beside the name that contain none of its readings: the gazetteer lacks
    # this town there ("Orlivka, Donetsk region" is not the Orlivka of Odesa; "Chora district,
    # Uruzgan" is not the Greek Chora). A big city may head a list instead ("Kyiv, Kharkiv").
    outer = [o for sp in span.outer if not sp.variant for o in sp.candidates]  # skeleton matches are too weak to veto
    if outer and not any(o.country_iso2 == c.country_iso2 for o in outer for c in span.candidates):
        return None
    if best.population < 100000 and any(o.kind in (KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY) for o in outer):
        return None
    # A skeleton match alone is weak evidence: it must be a big place written as one ("near
    # Qandahar") unless the units beside it agree (handled above).
    # A province written as a unit ("Levadne, Zaporizhia") may be a skeleton match too: a country
    # has few provinces, so their spellings seldom collide.
    if (
        span.variant
        and not (span.locative and best.population >= 100000)
        and not (as_unit and best.kind == KIND_ADMIN1)
    ):
        return None
    # Nor may a skeleton match lie in a country the article never points at while it points elsewhere.
    if span.variant and context and context.get(best.country_iso2, 0) <= 0 and best.kind != KIND_ADMIN1:
        return None
    # A place in a country the article never points at is usually a person or a word; when the
    # article clearly points at one country, even a big namesake abroad ("Brooklyn") is unlikely.
    # A name found in one country only, written as a place ("in Mandera"), stands unless the
    # article names another country outright (a demonym alone, "Cuban doctors", does not).
    # most_common(1) without its heapq detour: the same max() over the items, so the same tie-break.
    top_country, top_votes = max(context.items(), key=itemgetter(1)) if context else (None, 0)
    # Without a locative word ("attacks Mandera") only a sizeable town, and only when nothing
    # else in the article points anywhere ("the Obama administration" is no Japanese town).
    one_country = _one_country(span)  # read once: used again for a unit below
    unique = one_country and (
        in_context or (top_votes <= 1 if span.locative else top_votes == 0 and best.population >= 20000)
    )
    # A village abroad while the article points at another country (an actor's, the outlet's)
    # and at the village's only through its own name (one vote): the gazetteer more likely
    # lacks the local village than the event lies there.
    if (
        best.kind == KIND_CITY
        and best.population < SMALL_VILLAGE
        and context.get(best.country_iso2, 0) <= 1
        and any(votes >= 1 for cc, votes in context.items() if cc != best.country_iso2)
    ):
        return None
    # A town abroad that only its own name points at (its one vote, see country_context) while
    # the article points at another country by more than one clue (a named country and an
    # actor, a demonym and a province): "Boko Haram raided Dalaba", with Nigerian troops named, is a local
    # village the gazetteer lacks, not the Guinean town; one clue alone (the outlet's country)
    # does not outweigh a town written as a place.
    if (
        best.kind == KIND_CITY
        and best.population < LONE_NAMESAKE
        and context.get(best.country_iso2, 0) <= 1
        and any(votes > 1 for cc, votes in context.items() if cc != best.country_iso2)
    ):
        return None
    # A small namesake in a side country of an article that clearly points elsewhere.
    # A unit written as one ("Soum Province") is no namesake: it stands beside a country named elsewhere.
    written_unit = span.region_word and best.kind in (KIND_ADMIN1, KIND_ADMIN2)
    if (
        dominant
        and top_votes >= 3
        and top_country != best.country_iso2
        and best.kind not in (KIND_COUNTRY, KIND_ALIAS)
        and best.population < 100000
        and not written_unit
    ):
        return None
    # A unit around a name that failed ("Chora district, Uruzgan"): its region or its one-country town.
    unit = as_unit and (best.kind in (KIND_ADMIN1, KIND_ADMIN2) or one_country)
    # The article names this country's provinces, and this small place lies in none of them.
    outside = (
        best.kind == KIND_CITY
        and best.population < 50000
        and best.admin1 is not None
        and any(cc == best.country_iso2 for cc, _ in named_admin1)
        and (best.country_iso2, normalise(best.admin1)) not in named_admin1
    )
    if outside:
        # The span's own province reading is then the one the article names ("Qwertiba, Risaralda":
        # the department written as a unit, not a village of that name in another one).
        named = [
            c for c in span.candidates if c.kind == KIND_ADMIN1 and (c.country_iso2, normalise(c.name)) in named_admin1
        ]
        return named[0] if named else None
    # With no country to go by, a place written as one whose own name is by far the biggest
    # reading ("in Pama" with no other clue) stands on population. A city of its own name is not
    # rivalled by one that only once bore the name ("Islamabad" is not old Chittagong).
    own_city = name_match(span, best) > 0 and best.population >= 100000
    rivals = [
        c
        for c in span.candidates
        if c.country_iso2 != best.country_iso2 and not (own_city and name_match(span, c) <= 0)
    ]
    # Under one of its other names only when nothing points elsewhere ("ISGS militants ... toward
    # Pensa" is a Sahel village, not Penza in Russia; a lone "in Manni" may well be Mani).
    prominent = (
        span.locative
        and (name_match(span, best) > 0 or top_votes == 0)
        and top_votes < 2
        and best.population >= PROMINENT_TOWN
        and all(c.population * 5 <= best.population for c in rivals)
    )
    if (
        not in_context
        and best.kind != KIND_COUNTRY
        and not unique
        and not unit
        and not prominent
        and (dominant or not (best.population >= 1000000 and span.locative))
    ):
        return None
    if (
        best.kind not in (KIND_ALIAS, KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2)
        and best.population < 1000
        and not span.locative
    ):
        return None
    return best


def named_admin_units(spans: list[PlaceSpan]) -> frozenset:
    """Provinces the article names as such ("Soum Province", "in Kachin State", "(..., Collines)")."""
    out = set()
    for span in spans:
        if span.region_word or span.inner or span.qualifies_unknown:
            out.update((c.country_iso2, normalise(c.name)) for c in span.candidates if c.kind == KIND_ADMIN1)
    return frozenset(out)


def resolve_all(
    spans: list[PlaceSpan], context: Counter, named_admin1: frozenset = frozenset(), gazetteer: Gazetteer | None = None
) -> list[ResolvedPlace]:
    resolved: dict[tuple[int, int], Place] = {}
    for span in spans:
        place = resolve(span, context, named_admin1)
        if place is not None:
            if span.part and place.kind == KIND_COUNTRY:
                place = part_of_country(place, span.part, gazetteer or load_gazetteer())
            resolved[(span.start, span.end)] = place
    _trust_written_provinces(spans, resolved)
    units_only: set[tuple[int, int]] = set()  # spans that are only units around an unknown name
    out = []
    for span in spans:
        place = resolved.get((span.start, span.end))
        if place is None or span.reporting or span.abroad:
            continue
        # A unit around a name the gazetteer lacks (or could not place inside it) is only the
        # district or province of the event: coarser precision, never preferred over a town.
        inner_unknown = (
            span.qualifies_unknown
            or any((i.start, i.end) in units_only for i in span.inner)  # "Palash upazila (Narsingdi, Dhaka)"
            or (span.inner and not any((i.start, i.end) in resolved for i in span.inner))
        )
        if inner_unknown:
            units_only.add((span.start, span.end))
        container = bool(inner_unknown) and place.kind == KIND_CITY
        out.append(
            ResolvedPlace(
                span.start,
                span.end,
                span.surface,
                place,
                span.near,
                district=span.region_word and place.kind not in (KIND_ADMIN1, KIND_COUNTRY),
                directional=span.directional,
                container=container,
                part=bool(span.part) and place.kind == KIND_COUNTRY,
                admin2=_admin2_of(span, place, resolved, container),
                offset=span.offset,
                institution=span.institution,
            )
        )
    return out


_UNIT_REACH_KM = 150  # a town this close to a province's centroid may lie in it


def _trust_written_provinces(spans: list[PlaceSpan], resolved: dict[tuple[int, int], Place]) -> None:
    """A province written beside a town ("Thika town (Kiambu county)") outranks the gazetteer's
    when the two disagree: near the province the gazetteer's admin code is stale or wrong, and
    the town takes the written province; far from it the reading is another place of that name,
    and only the province is left."""
    for span in spans:
        key = (span.start, span.end)
        place = resolved.get(key)
        if place is None or place.kind != KIND_CITY or place.latitude is None:
            continue
        units = [resolved.get((o.start, o.end)) for o in span.outer]
        units = [u for u in units if u is not None and u.kind == KIND_ADMIN1 and u.country_iso2 == place.country_iso2]
        if not units or any(within(u, place) for u in units):
            continue
        unit = units[0]
        if unit.latitude is not None and (
            distance_km(unit.latitude, unit.longitude, place.latitude, place.longitude) <= _UNIT_REACH_KM
        ):
            resolved[key] = dataclasses.replace(place, admin1=unit.name)
        else:
            del resolved[key]


def _admin2_of(span: PlaceSpan, place: Place, resolved: dict, container: bool) -> str | None:
    """The district of a resolved place: its own (a district, or a dump's town), a district
    written after it ("X (Kawlin, Sagaing)"), or the commune a village is placed by (the town
    around an unknown name, "Y (Ouesse, Collines)", stands for its commune)."""
    if place.kind in (KIND_ADMIN1, KIND_COUNTRY, KIND_ALIAS):
        return None
    if place.admin2:
        return place.admin2
    for outer in span.outer:
        unit = resolved.get((outer.start, outer.end))
        if unit is not None and unit.kind == KIND_ADMIN2:
            return unit.name
    return place.name if container else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` from (lat, lon) along the initial bearing (degrees from north), on a sphere."""
    d = km / 6371.0
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540) % 360 - 180, 5)


# ---------------------------------------------------------------- article level: what events.py calls

# "GOMA, DR Congo — ", "KYIV, Ukraine (SO) — ", "MEXICO CITY (Agencies) - ", "IMPHAL: ".
_DATELINE = re.compile(
    r"(?:^|(?<=\s))[A-Z][A-Z'’\-]{2,}(?:[ .][A-Z][A-Z'’\-]*)*(?:,\s*[A-Z][\w .'’\-]{1,40}?)?"
    r"(?:\s*\([^)]{1,30}\))?(?:\s+[—–]\s+|\s+-{1,2}\s+|:\s+)"
)
_CAPITALISED_RUN = compile_guarded(  # run over whole articles: the first-letter guard pays
    r"\b[A-Z][a-z]+(?:['’]s)?(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][a-z]+(?:['’]s)?){0,3}"
)


def dateline_end(text: str) -> int:
    """End of the dateline if the article opens with one (perhaps after its title and standfirst)."""
    m = _DATELINE.search(text[:300])
    return m.end() if m else 0


def _dateline_case(dateline: str) -> str:
    """'COTABATO CITY, Philippines — ' -> 'Cotabato City, Philippines — ' so the gazetteer sees names."""
    return re.sub(
        r"[A-Z][A-Z'’\-]+",
        lambda m: m.group(0).title() if len(m.group(0)) > 2 or m.group(0) in ("DR",) else m.group(0),
        dateline,
    )


@dataclass
class ArticlePlaces:
    """The places an article names, read once: spans per sentence, how strongly the article
    points at each country, and the dateline's place (the reporter's base, not the incident's)."""

    text: str
    gazetteer: Gazetteer
    spans_by_sentence: list[list[PlaceSpan]]
    context: Counter
    dateline: ResolvedPlace | None
    dateline_end: int
    named_admin1: frozenset = frozenset()

    def resolve_in(self, index: int, start: int, end: int, exclude: list[tuple[int, int]] = ()) -> list[ResolvedPlace]:
        """Places of sentence `index` within [start, end), minus those inside `exclude` ranges
        (place names inside actor names: "Rapid Support Forces", "White Army")."""
        spans = [
            sp
            for sp in self.spans_by_sentence[index]
            if start <= sp.start < end and not any(a < sp.end and sp.start < b for a, b in exclude)
        ]
        return resolve_all(with_surroundings(self.text, spans), self.context, self.named_admin1)

    def lead_place(self, sentences: int = 2) -> ResolvedPlace | None:
        """The place the lead names (its first sentences): for an incident whose own
        sentences name none. Read on first use only."""
        if not hasattr(self, "_lead"):
            lead = [
                (self.resolve_in(i, 0, len(self.text)), False)
                for i in range(min(sentences, len(self.spans_by_sentence)))
            ]
            self._lead = event_place(lead, None)
        return self._lead

    def main_country(self) -> str | None:
        return self.context.most_common(1)[0][0] if self.context else None


def article_places(
    text: str,
    sentences: list[tuple[int, int]],
    wanted: list[bool],
    title: str | None = None,
    source_country: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> ArticlePlaces:
    """Read the places of an article. Places are looked up in the sentences marked `wanted`
    (the lead and those with triggers; one pass per run of them); countries and nationalities
    named anywhere count towards the country context."""
    gazetteer = gazetteer or load_gazetteer()
    end_of_dateline = dateline_end(text)
    dateline_text = _dateline_case(text[:end_of_dateline])
    dateline_spans = (
        link_hierarchy(dateline_text, find_place_spans(dateline_text, gazetteer)) if end_of_dateline else []
    )
    spans_by_sentence: list[list[PlaceSpan]] = [[] for _ in sentences]
    starts = [s for s, _ in sentences]
    index = 0
    while index < len(sentences):
        if not wanted[index]:
            index += 1
            continue
        last = index
        while last + 1 < len(sentences) and wanted[last + 1]:
            last += 1
        run_start, run_end = max(sentences[index][0], end_of_dateline), sentences[last][1]
        for span in link_hierarchy(text, find_place_spans(text, gazetteer, run_start, run_end)):
            i = bisect.bisect_right(starts, span.start) - 1
            if i >= 0 and span.end <= sentences[i][1]:
                spans_by_sentence[i].append(span)
        index = last + 1
    all_spans = [sp for spans in spans_by_sentence for sp in spans]
    if title:
        all_spans += link_hierarchy(title, find_place_spans(title, gazetteer))
    context = country_context(all_spans, source_country, dateline_spans)
    # Countries and nationalities named anywhere point at countries ("Pakistani police", "in South Sudan").
    plain, far = named_countries(text, gazetteer)
    context.update(plain)
    context.update(actor_prior(text, [sp for spans in spans_by_sentence for sp in spans]))
    drop_far_sides(context, plain, far)
    named_admin1 = named_admin_units(all_spans)
    dateline_places = resolve_all(with_surroundings(dateline_text, dateline_spans), context, named_admin1)
    dateline = next((p for p in dateline_places if p.place.kind != KIND_COUNTRY), None)
    return ArticlePlaces(text, gazetteer, spans_by_sentence, context, dateline, end_of_dateline, named_admin1)


def named_countries(text: str, gazetteer: Gazetteer) -> tuple[Counter, set[str]]:
    """Votes for the countries and nationalities a text names as such ("Pakistani police", "in
    South Sudan"), and the countries it names only as the far side ("the border with Somalia",
    "Malian refugees", "the embassy of Belarus"), which get no vote."""
    plain: Counter = Counter()
    far: set[str] = set()
    country_keys, index = gazetteer.country_keys, gazetteer.index
    for match in _CAPITALISED_RUN.finditer(text):
        run = match.group(0).removesuffix("'s").removesuffix("’s")
        low = run.lower()
        if low not in country_keys and not any(map(country_keys.__contains__, low.split())):
            continue  # the cheap test first: most runs name no country
        words = run.split()
        for name in (run, *words) if len(words) > 1 else (run,):
            key = name.lower()
            iso2 = country_keys.get(key)
            if iso2 and (name is run or key not in index):
                if _abroad(text, match.start()) or _FOREIGNERS_AFTER.match(text, match.end()):
                    far.add(iso2)
                else:
                    plain[iso2] += 1
                break
    return plain, far


def drop_far_sides(context: Counter, plain: Counter, far: set[str]) -> None:
    """A country the text names only as the far side of a border or as the home of refugees,
    nationals or an embassy is not where it happened: whatever points at it otherwise (an
    armed group's main theatre, a namesake town) is dropped. "Al-Shabaab attacked a post at the
    border with Somalia" happened on this side; named plainly as well, it keeps its votes."""
    for iso2 in far:
        if not plain.get(iso2):
            context.pop(iso2, None)


def resolve_text(
    text: str, source_country: str | None = None, gazetteer: Gazetteer | None = None
) -> list[ResolvedPlace]:
    """Every place a short text names, resolved in its own context: for anything that needs a
    place outside event extraction (and the place tests)."""
    gazetteer = gazetteer or load_gazetteer()
    spans = link_hierarchy(text, find_place_spans(text, gazetteer))
    context = country_context(spans, source_country)
    context.update(actor_prior(text, spans))
    drop_far_sides(context, *named_countries(text, gazetteer))
    return resolve_all(with_surroundings(text, spans), context, named_admin_units(spans))


def mention_town(places: list[ResolvedPlace]) -> ResolvedPlace | None:
    """The town a mention names (not a country or province, not where someone fled to)."""
    return next((p for p in places if p.rank < 3 and not p.directional), None)


def same_place(a: ResolvedPlace, b: ResolvedPlace) -> bool:
    if a.place == b.place:
        return True
    pa, pb = a.place, b.place
    if None in (pa.latitude, pb.latitude):
        return pa.name == pb.name
    return distance_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude) < 30


def event_place(
    mention_places: list[tuple[list[ResolvedPlace], bool]],
    dateline: ResolvedPlace | None,
    lead: ResolvedPlace | None = None,
) -> ResolvedPlace | None:
    """The incident's place from its mentions' places, in order, each with whether that mention
    is a follow-up: the most specific first; the earliest mention breaks ties (the lead names
    the place); places in follow-ups ("the attack came as Washington weighs ...") count last."""
    candidates: list[tuple[int, bool, int, ResolvedPlace]] = []
    for order, (places, follow_up) in enumerate(mention_places):
        for p in places:
            # A road's end or a destination comes after a district of the same rank.
            candidates.append((p.rank + (3 if follow_up else 0), p.directional or p.institution, order, p))
    # Only where someone fled or headed to ("fled to Russia"): that is not where it happened;
    # the lead's place is likelier.
    only_directions = candidates and all(c[3].directional for c in candidates)
    if only_directions and lead is not None and lead.rank < 4 and not lead.directional:
        return dataclasses.replace(lead, near=True)
    if not candidates:
        # The incident's sentences name no place: the lead's place (an article is mostly about
        # one place), else the dateline's (the reporter's base), both at best "near" it.
        fallback = lead if lead is not None and lead.rank < 4 else dateline
        return None if fallback is None else dataclasses.replace(fallback, near=True)
    # A part of a country ("northern Iraq") ranks with provinces but is wider than one: "northern
    # Iraq's Duhok province" is Duhok.
    candidates.sort(key=lambda c: (c[0], c[1], c[3].place.kind == KIND_COUNTRY, c[2], c[3].start))
    return candidates[0][3]


# A decision of the national government or one across the whole country: it happens at the
# capital (ACLED's convention for national-level events), at best as precise as a region.
_NATIONAL = re.compile(
    r"\b(?:(?:the\s+)?government|ministry|minister|parliament|national assembly|senate|cabinet|presidency|"
    r"supreme court|constitutional court|electoral commission|state of emergency|nationwide|"
    r"(?:across|throughout) the country|all over the country)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _admin1_parts() -> dict[tuple[str, str], tuple[tuple[str, float, float], ...]]:
    """admin1_parts.csv: provinces reported in parts (Shan-North, Bago-West), each part by the
    seats of its districts: a point belongs to the part of its nearest seat."""
    parts: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    with (DATA_DIR / "admin1_parts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["country_iso2"], normalise(row["admin1"]))
            parts.setdefault(key, []).append((row["part"], float(row["latitude"]), float(row["longitude"])))
    return {key: tuple(seats) for key, seats in parts.items()}


def admin1_part(country_iso2: str | None, admin1: str | None, latitude: float | None, longitude: float | None):
    """The part of a province a point lies in ("Shan-North"), or None where the province is
    not reported in parts."""
    seats = _admin1_parts().get((country_iso2, normalise(admin1))) if admin1 else None
    if not seats or latitude is None:
        return None
    return min(seats, key=lambda seat: distance_km(latitude, longitude, seat[1], seat[2]))[0]


def location_fields(place: ResolvedPlace | None, article: ArticlePlaces) -> dict:
    """The EventMention location fields for a chosen place (or the article's country alone)."""
    gazetteer = article.gazetteer
    country_iso2 = place.place.country_iso2 if place else article.main_country()
    only_country = place is None or (place.place.kind == KIND_COUNTRY and not place.part)
    if only_country and country_iso2 and _NATIONAL.search(article.text, 0, 400):
        capital = gazetteer.capital(country_iso2)
        if capital is not None:
            place = ResolvedPlace(0, 0, capital.name, capital, near=False, container=True)
    # Known only by its country: at the country's point (its capital), like a country named outright.
    point = place if place is not None else gazetteer.capital(country_iso2)
    admin1 = place.place.admin1 if place else None
    if place is not None and place.place.kind != KIND_ADMIN1:  # a province's centroid is in no one part
        admin1 = admin1_part(country_iso2, admin1, place.latitude, place.longitude) or admin1
    return {
        "location": place.place.name if place else gazetteer.country_name(country_iso2),
        "admin1": admin1,
        "admin2": place.admin2 if place else None,
        "country": gazetteer.country_name(country_iso2),
        "country_iso2": country_iso2,
        "latitude": point.latitude if point else None,
        "longitude": point.longitude if point else None,
        "geo_precision": place.geo_precision if place else (3 if country_iso2 else None),
    }
