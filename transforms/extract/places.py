"""Place mentions in text, disambiguated by the article's context (countries it names, the
places it names that are unambiguous, the source's country), not by the first match."""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections import Counter
from dataclasses import dataclass

from transforms.extract.gazetteer import KIND_ADMIN1, KIND_ALIAS, KIND_COUNTRY, Gazetteer, Place, load_gazetteer, normalise

# Tokens: words with inner hyphens/apostrophes/dots ("Deir ez-Zor", "Sana'a", "U.S.").
_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’.\-]*")
_CONNECTORS = {"al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "ed", "ez", "es", "de", "del",
               "da", "do", "dos", "di", "la", "le", "les", "du", "of", "the", "bin", "ibn", "wa", "and"}
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|ash|at|az|ed|ez)-[A-Z]")
_PERSON_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|President|Prime Minister|Minister|General|Gen|Col|Colonel|Lt|Major|Maj|Captain|Capt|"
    r"Sheikh|Imam|Commander|Governor|Gov|Senator|Sen|Rep|spokesman|spokeswoman|spokesperson|chief|leader|"
    r"Brig|Sgt|Pope|King|Queen|Prince|Emir|Sultan|journalist|reporter|correspondent|resident|named|identified as)\.?\s+$"
)
_PERSON_AFTER = re.compile(r"^(?:'s?\s+(?:spokesman|spokeswoman|family|wife|husband|son|daughter)|\s+(?:said|told|says|added|wrote|tweeted)\b|,\s+(?:a|an|the)\s+(?:spokes|local|resident|witness|commander|official))")
# "Bastar range inspector general", "Kebbi State police spokesman": a title, not where it happened.
_TITLE_AFTER = re.compile(r"^(?:'s)?\s+(?:[a-z]+\s+){0,2}(?:inspector|superintendent|commissioner|police\s+chief|police\s+spokes\w+|governor|mayor)\b")
_REGION_AFTER = re.compile(r"^\s+(?:province|state|region|governorate|district|county|department|prefecture|oblast|territory|township|local government area|municipality)\b", re.I)
# "the Tierra Blanca neighbourhood of Culiacán": the first name is part of the second place.
_PART_OF_AFTER = re.compile(r"^(?:'s)?\s+(?:neighbou?rhood|district|suburb|area|quarter|sector|camp|market|commune)\s+of\s+(?:the\s+)?[A-Z]")
_NAME_WORDS_OK = {"northern", "southern", "eastern", "western", "north", "south", "east", "west", "central",
                  "upper", "lower", "greater", "county", "province", "state", "district", "region", "city",
                  "governorate", "department", "municipality", "township"}
_NEAR_BEFORE = re.compile(
    r"\b(?:near|outside|close to|outskirts of|(?:\d+|a few|several|\w+)\s+(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:from|of)|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+(?:of|outskirts of)|around|between)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?$",
    re.I,
)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|on|into|from|of|across|around|to|toward|towards|through|via|inside|within)\s+(?:the\s+)?(?:(?:town|city|village|district|region|province|state|capital|area|suburb|neighbou?rhood|camp)\s+of\s+)?$", re.I)


_DIRECTION_BEFORE = re.compile(r"\b(?:to|towards|toward|road to|route to|heading for|bound for|fled to|fled into)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|capital\s+)?$", re.I)


@dataclass(frozen=True)
class PlaceSpan:
    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    near: bool          # "near X", "20 km from X": approximate
    region_word: bool   # followed by "province", "state", ...
    locative: bool      # preceded by "in", "at", "near"...
    directional: bool = False


@dataclass(frozen=True)
class ResolvedPlace:
    start: int
    end: int
    surface: str
    place: Place
    near: bool
    district: bool = False    # "Murshidabad district": the area named after the town
    directional: bool = False  # "fled towards Sake", "the road to Aleppo": not where it happened

    @property
    def geo_precision(self) -> int:
        if self.place.kind == KIND_COUNTRY or self.place.kind == KIND_ADMIN1:
            return 3
        if (self.near or self.district) and self.place.geo_precision == 1:
            return 2
        return self.place.geo_precision

    @property
    def rank(self) -> int:
        """How specific the named place is, for choosing the event location: a town named as
        "near X" still names X; a district named after a town is wider than a town."""
        if self.place.kind in (KIND_COUNTRY, KIND_ADMIN1):
            return 3
        if self.district or self.directional or self.place.geo_precision == 2:
            return 2
        return self.place.geo_precision


def _capitalised(token: str) -> bool:
    # All-caps words longer than three letters are headline or dateline shouting, not names.
    if len(token) > 3 and token.isupper():
        return False
    return token[:1].isupper() or bool(_ARTICLE_PREFIX.match(token))


def find_place_spans(text: str, gazetteer: Gazetteer, start: int = 0, end: int | None = None) -> list[PlaceSpan]:
    """Longest capitalised n-grams of text[start:end] that name a place, left to right."""
    end = len(text) if end is None else end
    tokens = [(m.start() + start, m.end() + start, m.group(0)) for m in _TOKEN.finditer(text[start:end])]
    spans: list[PlaceSpan] = []
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i][2]):
            i += 1
            continue
        first = tokens[i][2].removesuffix("'s").removesuffix("’s").rstrip(".")
        longest = gazetteer.longest_from.get(normalise(first.split("-")[0]).split(" ")[0], 0)
        if not longest:
            i += 1
            continue
        found = None
        for n in range(min(longest + 2, len(tokens) - i), 0, -1):
            window = tokens[i:i + n]
            last = window[-1][2]
            if not _capitalised(last.rstrip(".")):
                continue
            if any(not _capitalised(t[2]) and t[2].lower() not in _CONNECTORS for t in window[1:-1]):
                continue
            # Tokens must be adjacent (no punctuation other than spaces between them).
            if any(text[a[1]:b[0]].strip() for a, b in zip(window, window[1:])):
                continue
            s, e = window[0][0], window[-1][1]
            surface = text[s:e]
            if surface.endswith(("'s", "’s")):
                surface, e = surface[:-2], e - 2
            surface_clean = surface.rstrip(".")
            e -= len(surface) - len(surface_clean)
            key = normalise(surface_clean)
            if not key or key in gazetteer.stoplist:
                continue
            ids = gazetteer.index.get(key)
            if ids:
                found = (s, e, surface_clean, tuple(gazetteer.places[k] for k in ids), n)
                break
        if found is None:
            i += 1
            continue
        s, e, surface, candidates, n = found
        # A place name inside a longer run of capitalised words is part of a person's or an
        # organisation's name ("Abdiqadir Farah Geedi", "Comuneros del Sur").
        prev_tok = tokens[i - 1][2] if i > 0 and not text[tokens[i - 1][1]:s].strip() else None
        next_tok = tokens[i + n][2] if i + n < len(tokens) and not text[e:tokens[i + n][0]].strip() else None
        possessive = text[s:e + 2].endswith(("'s", "’s"))   # "Baghdad's Green Zone": two names
        if _is_name_word(prev_tok, gazetteer) or (not possessive and _is_name_word(next_tok, gazetteer)):
            i += n
            continue
        spans.append(PlaceSpan(s, e, surface, candidates, near=False, region_word=False, locative=False))
        i += n
    return spans


def _is_name_word(token: str | None, gazetteer: Gazetteer) -> bool:
    if not token or not token[:1].isupper() or (len(token) > 3 and token.isupper()):
        return False
    key = normalise(token.rstrip(".").removesuffix("'s").removesuffix("’s"))
    return key not in gazetteer.stoplist and key not in _NAME_WORDS_OK and key not in gazetteer.index


def with_surroundings(text: str, spans: list[PlaceSpan]) -> list[PlaceSpan]:
    """Spans with the words around them read: "near X", "X province", "in X"; person names
    ("President Bello", "Ali said") dropped. Done only for sentences that report an event."""
    out = []
    for span in spans:
        before = text[max(0, span.start - 60):span.start]
        after = text[span.end:span.end + 40]
        if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after) or _PART_OF_AFTER.match(after) \
                or _TITLE_AFTER.match(after):
            continue
        out.append(PlaceSpan(
            span.start, span.end, span.surface, span.candidates,
            near=bool(_NEAR_BEFORE.search(before)),
            region_word=bool(_REGION_AFTER.match(after)),
            locative=bool(_LOCATIVE_BEFORE.search(before)),
            directional=bool(_DIRECTION_BEFORE.search(before)),
        ))
    return out


def country_context(spans: list[PlaceSpan], source_country: str | None, dateline: list[PlaceSpan] = ()) -> Counter:
    """How strongly the article points at each country: named countries and demonyms count
    most, then big or dateline places with a single reading, then the source's own country.
    Small places never vote: their namesakes abroad would drown the real signal."""
    weights: Counter = Counter()
    for span in list(spans) + list(dateline):
        countries = [c for c in span.candidates if c.kind == KIND_COUNTRY]
        if countries:
            weights[countries[0].country_iso2] += 3
            continue
        strong = [c for c in span.candidates if c.kind == KIND_ALIAS or c.population >= 1000000
                  or (span in dateline and c.population >= 5000)]
        primary = [c for c in strong if normalise(c.name) == normalise(span.surface)]
        strong = primary or strong
        if len({c.country_iso2 for c in strong}) == 1:
            weights[strong[0].country_iso2] += 2 if span in dateline else 1
    if source_country:
        weights[source_country] += 1
    return weights


def resolve(span: PlaceSpan, context: Counter) -> Place | None:
    """The best reading of a span in this article, or None when no reading is plausible."""
    total = sum(context.values()) or 1
    best, best_score = None, -math.inf
    surface = normalise(span.surface)
    for cand in span.candidates:
        share = context.get(cand.country_iso2, 0) / total
        score = 6 * share + 0.45 * math.log10(cand.population + 10)
        if normalise(cand.name) == surface and cand.kind != KIND_ADMIN1:
            score += 1.0   # "Islamabad" is Islamabad, not a city that once bore the name
        if cand.kind == KIND_ALIAS:
            score += 2.5
        if cand.kind == KIND_ADMIN1:
            score += 1.5 if span.region_word else -0.2
        if cand.kind == KIND_COUNTRY:
            score += 1.0
        if score > best_score:
            best, best_score = cand, score
    if best is None:
        return None
    in_context = context.get(best.country_iso2, 0) > 0
    dominant = max(context.values(), default=0) / total >= 0.5
    # A place in a country the article never points at is usually a person or a word; when the
    # article clearly points at one country, even a big namesake abroad ("Brooklyn") is unlikely.
    if not in_context and best.kind != KIND_COUNTRY and (dominant or not (best.population >= 1000000 and span.locative)):
        return None
    if best.kind not in (KIND_ALIAS, KIND_COUNTRY, KIND_ADMIN1) and best.population < 1000 and not span.locative:
        return None
    return best


def resolve_all(spans: list[PlaceSpan], context: Counter) -> list[ResolvedPlace]:
    out = []
    for span in spans:
        place = resolve(span, context)
        if place is not None:
            out.append(ResolvedPlace(span.start, span.end, span.surface, place, span.near,
                                     district=span.region_word and place.kind not in (KIND_ADMIN1, KIND_COUNTRY),
                                     directional=span.directional))
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


# ---------------------------------------------------------------- article level: what events.py calls

# "GOMA, DR Congo — ", "KYIV, Ukraine (SO) — ", "MEXICO CITY (Agencies) - ", "IMPHAL: ".
_DATELINE = re.compile(
    r"(?:^|(?<=\s))[A-Z][A-Z'’\-]{2,}(?:[ .][A-Z][A-Z'’\-]*)*(?:,\s*[A-Z][\w .'’\-]{1,40}?)?"
    r"(?:\s*\([^)]{1,30}\))?(?:\s+[—–]\s+|\s+-{1,2}\s+|:\s+)"
)
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][a-z]+(?:['’]s)?){0,3}")


def dateline_end(text: str) -> int:
    """End of the dateline if the article opens with one (perhaps after its title and standfirst)."""
    m = _DATELINE.search(text[:300])
    return m.end() if m else 0


def _dateline_case(dateline: str) -> str:
    """'COTABATO CITY, Philippines — ' -> 'Cotabato City, Philippines — ' so the gazetteer sees names."""
    return re.sub(r"[A-Z][A-Z'’\-]+", lambda m: m.group(0).title() if len(m.group(0)) > 2 or m.group(0) in ("DR",) else m.group(0), dateline)


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

    def resolve_in(self, index: int, start: int, end: int, exclude: list[tuple[int, int]] = ()) -> list[ResolvedPlace]:
        """Places of sentence `index` within [start, end), minus those inside `exclude` ranges
        (place names inside actor names: "Rapid Support Forces", "White Army")."""
        spans = [sp for sp in self.spans_by_sentence[index] if start <= sp.start < end
                 and not any(a < sp.end and sp.start < b for a, b in exclude)]
        return resolve_all(with_surroundings(self.text, spans), self.context)

    def main_country(self) -> str | None:
        return self.context.most_common(1)[0][0] if self.context else None


def article_places(text: str, sentences: list[tuple[int, int]], wanted: list[bool], title: str | None = None,
                   source_country: str | None = None, gazetteer: Gazetteer | None = None) -> ArticlePlaces:
    """Read the places of an article. Places are looked up in the sentences marked `wanted`
    (the lead and those with triggers; one pass per run of them); countries and nationalities
    named anywhere count towards the country context."""
    gazetteer = gazetteer or load_gazetteer()
    end_of_dateline = dateline_end(text)
    dateline_spans = find_place_spans(_dateline_case(text[:end_of_dateline]), gazetteer) if end_of_dateline else []
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
        for span in find_place_spans(text, gazetteer, run_start, run_end):
            i = bisect.bisect_right(starts, span.start) - 1
            if i >= 0 and span.end <= sentences[i][1]:
                spans_by_sentence[i].append(span)
        index = last + 1
    all_spans = [sp for spans in spans_by_sentence for sp in spans]
    if title:
        all_spans += find_place_spans(title, gazetteer)
    context = country_context(all_spans, source_country, dateline_spans)
    # Countries and nationalities named anywhere point at countries ("Pakistani police", "in South Sudan").
    for match in _CAPITALISED_RUN.finditer(text):
        run = match.group(0).removesuffix("'s").removesuffix("’s")
        for name in (run, *run.split()):
            key = name.lower()
            iso2 = gazetteer.country_keys.get(key)
            if iso2 and (name is run or key not in gazetteer.index):
                context[iso2] += 1
                break
    dateline_places = resolve_all(with_surroundings(text[:end_of_dateline], dateline_spans), context)
    dateline = next((p for p in dateline_places if p.place.kind != KIND_COUNTRY), None)
    return ArticlePlaces(text, gazetteer, spans_by_sentence, context, dateline, end_of_dateline)


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


def event_place(mention_places: list[tuple[list[ResolvedPlace], bool]], dateline: ResolvedPlace | None) -> ResolvedPlace | None:
    """The incident's place from its mentions' places, in order, each with whether that mention
    is a follow-up: the most specific first; the earliest mention breaks ties (the lead names
    the place); places in follow-ups ("the attack came as Washington weighs ...") count last."""
    candidates: list[tuple[int, int, ResolvedPlace]] = []
    for order, (places, follow_up) in enumerate(mention_places):
        for p in places:
            candidates.append((p.rank + (3 if follow_up else 0), order, p))
    if not candidates:
        # Only the dateline names a place: the reporter's base, so at best "near" the incident.
        return None if dateline is None else dataclasses.replace(dateline, near=True)
    candidates.sort(key=lambda c: (c[0], c[1], c[2].start))
    return candidates[0][2]


def location_fields(place: ResolvedPlace | None, article: ArticlePlaces) -> dict:
    """The EventMention location fields for a chosen place (or the article's country alone)."""
    gazetteer = article.gazetteer
    country_iso2 = place.place.country_iso2 if place else article.main_country()
    return {
        "location": place.place.name if place else gazetteer.country_name(country_iso2),
        "admin1": place.place.admin1 if place else None,
        "country": gazetteer.country_name(country_iso2),
        "country_iso2": country_iso2,
        "latitude": place.place.latitude if place else None,
        "longitude": place.place.longitude if place else None,
        "geo_precision": place.geo_precision if place else (3 if country_iso2 else None),
    }
