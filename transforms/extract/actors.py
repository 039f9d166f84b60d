"""Actor mentions: named groups from the actor dictionary, state forces named by nationality
("Iraqi troops"), and generic ones ("gunmen", "security forces", "villagers").

Names follow the project convention: dictionary canonical names, "Military forces of <Country>",
"Police forces of <Country>", "Unidentified armed group", "Civilians", "Protesters", "Rioters".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class ActorEntry:
    name: str
    actor_type: str
    country_iso2: str | None


@dataclass(frozen=True)
class ActorHit:
    start: int
    end: int
    surface: str
    name: str                 # may hold "{country}" until a country is known
    actor_type: str
    country_iso2: str | None
    named: bool               # from the dictionary or a nationality, not a generic noun


@dataclass(frozen=True)
class ActorLexicon:
    named_exact: re.Pattern[str] | None     # acronyms, matched case-sensitively
    named_folded: re.Pattern[str] | None    # names, matched case-insensitively
    by_alias: dict[str, ActorEntry]
    nationality: re.Pattern[str]
    demonyms: dict[str, str]                # lower demonym -> iso2
    generic: re.Pattern[str]
    generic_by_phrase: dict[str, tuple[str, str]]
    country_names: dict[str, str]


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if any(row.values())]


def _alternation(phrases: list[str]) -> str:
    parts = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@lru_cache(maxsize=1)
def load_lexicon() -> ActorLexicon:
    by_alias: dict[str, ActorEntry] = {}
    exact, folded = [], []
    for row in _read("actors.csv"):
        entry = ActorEntry(row["name"], row["actor_type"], row["country_iso2"] or None)
        for alias in [row["name"], *[a for a in row["aliases"].split("|") if a.strip()]]:
            alias = alias.strip()
            by_alias.setdefault(alias.lower(), entry)
            # Acronyms ("IS", "ADF", "AA") only count when written in capitals.
            (exact if alias.replace("-", "").replace("/", "").isupper() else folded).append(alias)
    countries = _read("countries.csv")
    demonyms: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for row in countries:
        country_names[row["country_iso2"]] = row["name"]
        for dem in row["demonyms"].split("|"):
            if dem.strip():
                demonyms[dem.strip().lower()] = row["country_iso2"]
    forces = (r"(?:security\s+forces|armed\s+forces|forces|troops|soldiers?|army|military|navy|air\s+force|"
              r"warplanes|jets|fighter\s+jets|aircraft|drones?|artillery|police(?:men)?|police\s+officers|"
              r"officers|gendarmes|border\s+guards|special\s+forces|commandos|marines|paratroopers|"
              r"government\s+forces|government\s+troops|defence\s+forces|defense\s+forces|authorities)")
    nationality = re.compile(
        r"(?<![\w-])(?P<dem>" + _alternation([d for d in demonyms if d not in ("us",)] + ["U.S.", "US"]) + r")(?:-(?:backed|led)\s+\w+)?\s+"
        r"(?P<force>" + forces + r")\b", re.I,
    )
    generic_by_phrase: dict[str, tuple[str, str]] = {}
    for row in _read("generic_actors.csv"):
        for phrase in row["pattern"].split("|"):
            generic_by_phrase.setdefault(phrase.strip().lower(), (row["name"], row["actor_type"]))
    generic = re.compile(r"(?<![\w-])(?:" + _alternation(list(generic_by_phrase)) + r")(?![\w-])", re.I)
    return ActorLexicon(
        named_exact=re.compile(r"(?<![\w-])(?:" + _alternation(exact) + r")(?![\w-])") if exact else None,
        named_folded=re.compile(r"(?<![\w-])(?:" + _alternation(folded) + r")(?![\w-])", re.I) if folded else None,
        by_alias=by_alias,
        nationality=nationality,
        demonyms=demonyms,
        generic=generic,
        generic_by_phrase=generic_by_phrase,
        country_names=country_names,
    )


def _state_name(force: str, iso2: str, lexicon: ActorLexicon) -> str:
    country = lexicon.country_names.get(iso2, iso2)
    if re.match(r"police|officers|gendarmes", force, re.I):
        return f"Police forces of {country}"
    return f"Military forces of {country}"


def find_actors(text: str, start: int = 0, end: int | None = None) -> list[ActorHit]:
    """Actor mentions in text[start:end], named ones winning over overlapping generic ones."""
    lexicon = load_lexicon()
    end = len(text) if end is None else end
    segment = text[start:end]
    hits: list[ActorHit] = []

    def free(s: int, e: int) -> bool:
        return all(e <= h.start or s >= h.end for h in hits)

    for pattern in (lexicon.named_folded, lexicon.named_exact):
        if pattern is None:
            continue
        for m in pattern.finditer(segment):
            s, e = m.start() + start, m.end() + start
            entry = lexicon.by_alias.get(" ".join(m.group(0).split()).lower())
            if entry and free(s, e):
                hits.append(ActorHit(s, e, m.group(0), entry.name, entry.actor_type, entry.country_iso2, True))
    for m in lexicon.nationality.finditer(segment):
        s, e = m.start() + start, m.end() + start
        dem = m["dem"].lower().replace(".", "")
        iso2 = "US" if dem == "us" else lexicon.demonyms.get(m["dem"].lower())
        if iso2 and free(s, e):
            hits.append(ActorHit(s, e, m.group(0), _state_name(m["force"], iso2, lexicon), "State forces", iso2, True))
    for m in lexicon.generic.finditer(segment):
        s, e = m.start() + start, m.end() + start
        if not free(s, e):
            continue
        name, actor_type = lexicon.generic_by_phrase[" ".join(m.group(0).split()).lower()]
        hits.append(ActorHit(s, e, m.group(0), name, actor_type, None, False))
    hits.sort(key=lambda h: h.start)
    return hits


def resolve_name(hit: ActorHit, country_iso2: str | None) -> tuple[str, str | None]:
    """Fill "{country}" in generic state-force names from the event's country."""
    if "{country}" not in hit.name:
        return hit.name, hit.country_iso2
    lexicon = load_lexicon()
    if not country_iso2:
        return hit.name.replace(" of {country}", "").replace("Military forces", "Military forces").strip(), None
    return hit.name.replace("{country}", lexicon.country_names.get(country_iso2, country_iso2)), country_iso2


def normalise_actor_name(name: str | None) -> str | None:
    """Canonical form of any actor name or alias, for scoring and merging."""
    if not name:
        return None
    lexicon = load_lexicon()
    key = " ".join(name.split()).lower()
    if key in lexicon.by_alias:
        return lexicon.by_alias[key].name.lower()
    if key in lexicon.generic_by_phrase:
        generic = lexicon.generic_by_phrase[key][0]
        if "{country}" not in generic:
            return generic.lower()
    hits = find_actors(name)
    if len(hits) == 1 and hits[0].end - hits[0].start >= len(name.strip()) - 1:
        resolved, _ = resolve_name(hits[0], None)
        return resolved.lower()
    return key.replace("the ", "")
