"""Actor mentions: named groups from the actor dictionary, state forces named by nationality
("Iraqi troops"), and generic ones ("gunmen", "security forces", "villagers").

Names follow the project convention: dictionary canonical names, "Military forces of <Country>",
"Police forces of <Country>", "Unidentified armed group", "Civilians", "Protesters", "Rioters".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR


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
    name: str  # may hold "{country}" until a country is known
    actor_type: str
    country_iso2: str | None
    named: bool  # from the dictionary or a nationality, not a generic noun


@dataclass(frozen=True)
class ActorLexicon:
    named_exact: dict[tuple[str, ...], ActorEntry]  # acronyms, case-sensitive tokens
    named_folded: dict[tuple[str, ...], ActorEntry]  # names, lower-case tokens
    by_alias: dict[str, ActorEntry]
    demonyms: dict[str, str]  # lower demonym -> iso2
    forces: dict[tuple[str, ...], str]  # lower force phrase -> "military" | "police"
    generic: dict[tuple[str, ...], tuple[str, str]]  # lower phrase -> (name, actor_type)
    generic_by_phrase: dict[str, tuple[str, str]]
    country_names: dict[str, str]
    max_tokens: int
    first_tokens: dict[str, int]  # lower first token -> longest phrase from it
    # lower name tokens -> "Murle ethnic militia" (the dictionary's name where it has one)
    communities: dict[tuple[str, ...], str]
    communal_nouns: set[tuple[str, ...]]
    armed_as: dict[str, tuple[str, str]]  # lower livelihood phrase -> (name, actor_type) when it attacks


# Words, keeping inner hyphens, apostrophes, dots and slashes: "Al-Shabaab", "U.S.", "AFC/M23".
_TOKEN = re.compile(r"[\w][\w'’.\-/]*")


# "al-Qaeda-linked fighters" are coded as the group they are linked to (its local affiliate
# where actor_affiliates.csv names one).
_LINKED = re.compile(r"-(?:linked|affiliated|aligned|allied|inspired)$", re.I)


def _key_token(token: str) -> str:
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return _LINKED.sub("", token.rstrip(".'’").replace("’", "'"))


def tokens_of(text: str) -> tuple[str, ...]:
    return tuple(_key_token(m.group(0)) for m in _TOKEN.finditer(text))


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if any(row.values())]


# What follows a community's name when it acts as a group: "Fulani herders", "Hawiye clan
# militia", "members of the Berom community".
_COMMUNAL_NOUNS = [
    "militia",
    "militias",
    "militiamen",
    "clan militia",
    "ethnic militia",
    "gunmen",
    "armed men",
    "fighters",
    "youths",
    "men",
    "herders",
    "herdsmen",
    "pastoralists",
    "farmers",
    "hunters",
    "raiders",
    "cattle raiders",
    "community",
    "communities",
    "clan",
    "clans",
    "clansmen",
    "tribe",
    "tribes",
    "tribesmen",
    "villagers",
    "vigilantes",
    "warriors",
]

_FORCES = {
    "military": [
        "security forces",
        "armed forces",
        "forces",
        "troops",
        "soldiers",
        "soldier",
        "army",
        "military",
        "navy",
        "air force",
        "warplanes",
        "jets",
        "fighter jets",
        "aircraft",
        "drone",
        "drones",
        "artillery",
        "special forces",
        "commandos",
        "marines",
        "paratroopers",
        "government forces",
        "government troops",
        "defence forces",
        "defense forces",
        "border guards",
        "authorities",
        "military forces",
        "air strike",
        "air strikes",
        "airstrike",
        "airstrikes",
        "strike",
        "strikes",
        "drone strike",
        "drone strikes",
        "missile",
        "missiles",
        "ballistic missile",
        "shelling",
        "helicopter",
        "helicopters",
        "warplane",
        "military aircraft",
        "jet",
        "fighter jet",
        "troopers",
        "paramilitary",
        "rangers",
        "marines",
        "rocket",
        "rockets",
        "navy",
        "coast guard",
        "air raid",
        "air raids",
        "drone attack",
        "drone attacks",
        "military jet",
        "military jets",
        "warplanes",
        "gunship",
        "gunships",
        # what a front-line report names instead of the force: "shelled Ukrainian positions"
        "positions",
        "military positions",
        "servicemen",
        "service members",
        "military personnel",
        "units",
        "defenders",
    ],
    "police": ["police", "policemen", "police officers", "officers", "gendarmes", "riot police", "police forces"],
}


@lru_cache(maxsize=1)
def load_lexicon() -> ActorLexicon:
    by_alias: dict[str, ActorEntry] = {}
    exact: dict[tuple[str, ...], ActorEntry] = {}
    folded: dict[tuple[str, ...], ActorEntry] = {}
    for row in _read("actors.csv"):
        entry = ActorEntry(row["name"], row["actor_type"], row["country_iso2"] or None)
        for alias in [row["name"], *[a for a in row["aliases"].split("|") if a.strip()]]:
            alias = alias.strip()
            by_alias.setdefault(alias.lower(), entry)
            toks = tokens_of(alias)
            # Acronyms ("ADF", "AA") only count when written in capitals.
            if alias.replace("-", "").replace("/", "").isupper():
                exact.setdefault(toks, entry)
            else:
                folded.setdefault(tuple(t.lower() for t in toks), entry)
    demonyms: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for row in _read("countries.csv"):
        country_names[row["country_iso2"]] = row.get("forces_name") or row["name"]
        for dem in row["demonyms"].split("|"):
            if dem.strip():
                demonyms[_key_token(dem.strip()).lower()] = row["country_iso2"]
    forces = {tuple(t.lower() for t in tokens_of(p)): kind for kind, phrases in _FORCES.items() for p in phrases}
    generic_by_phrase: dict[str, tuple[str, str]] = {}
    generic_rows = _read("generic_actors.csv")
    for row in generic_rows:
        for phrase in row["pattern"].split("|"):
            generic_by_phrase.setdefault(phrase.strip().lower(), (row["name"], row["actor_type"]))
    generic = {tuple(t.lower() for t in tokens_of(p)): v for p, v in generic_by_phrase.items()}
    type_of_name = {name: actor_type for name, actor_type in generic_by_phrase.values()}
    armed_as = {
        phrase.strip().lower(): (row["armed_as"], type_of_name[row["armed_as"]])
        for row in generic_rows
        if row.get("armed_as")
        for phrase in row["pattern"].split("|")
    }
    communities: dict[tuple[str, ...], str] = {}
    for row in _read("communities.csv"):
        for alias in [row["name"], *[a for a in row["aliases"].split("|") if a.strip()]]:
            # The dictionary's name where it has the community's militia ("Fulani militia").
            known = by_alias.get(f"{row['name']} militia".lower()) or by_alias.get(
                f"{row['name']} {row['label']}".lower()
            )
            name = known.name if known else f"{row['name']} {row['label']}"
            communities[tuple(t.lower() for t in tokens_of(alias.strip()))] = name
    communal_nouns = {tuple(t.lower() for t in tokens_of(p)) for p in _COMMUNAL_NOUNS}
    keys = list(exact) + list(folded) + list(generic)
    first: dict[str, int] = {}
    for k in keys:
        if k:
            first[k[0].lower()] = max(first.get(k[0].lower(), 0), len(k))
    longest_force = max(len(k) for k in forces) + 1
    for dem in demonyms:
        first[dem] = max(first.get(dem, 0), longest_force)
    longest_noun = max(len(k) for k in communal_nouns)
    for name in communities:
        first[name[0]] = max(first.get(name[0], 0), len(name) + longest_noun)
    return ActorLexicon(
        named_exact=exact,
        named_folded=folded,
        by_alias=by_alias,
        demonyms=demonyms,
        forces=forces,
        generic=generic,
        generic_by_phrase=generic_by_phrase,
        country_names=country_names,
        max_tokens=max(len(k) for k in keys),
        first_tokens=first,
        communities=communities,
        armed_as=armed_as,
        communal_nouns=communal_nouns,
    )


def _state_name(kind: str, iso2: str, lexicon: ActorLexicon) -> str:
    country = lexicon.country_names.get(iso2, iso2)
    return f"{'Police' if kind == 'police' else 'Military'} forces of {country}"


def find_actors(text: str, start: int = 0, end: int | None = None) -> list[ActorHit]:
    """Actor mentions in text[start:end]: longest dictionary match first, named before generic."""
    lexicon = load_lexicon()
    end = len(text) if end is None else end
    matches = list(_TOKEN.finditer(text, start, end))
    raw = [_key_token(m.group(0)) for m in matches]
    low = [t.lower() for t in raw]
    hits: list[ActorHit] = []
    i = 0
    while i < len(matches):
        longest = lexicon.first_tokens.get(low[i])
        if not longest:
            i += 1
            continue
        hit, width = None, 1
        for n in range(min(longest, len(matches) - i), 0, -1):
            key_low = tuple(low[i : i + n])
            entry = lexicon.named_exact.get(tuple(raw[i : i + n])) or lexicon.named_folded.get(key_low)
            found = None
            if entry:
                found = (entry.name, entry.actor_type, entry.country_iso2, True)
            elif n > 1 and key_low[0] in lexicon.demonyms:
                force = lexicon.forces.get(key_low[1:])
                if force:
                    iso2 = lexicon.demonyms[key_low[0]]
                    found = (_state_name(force, iso2, lexicon), "State forces", iso2, True)
            if found is None and n > 1:
                community = _community(key_low, raw[i : i + n], lexicon)
                if community:
                    # Not "named": a group from the dictionary named beside it is the more specific actor.
                    found = (community, "Identity militia", None, False)
            if found is None:
                generic = lexicon.generic.get(key_low)
                if generic and not _local_government(low, i, n, generic[0]):
                    found = (generic[0], generic[1], None, False)
            if found is not None and any(_LINKED.search(m.group(0).rstrip(".'’")) for m in matches[i : i + n]):
                # "Islamic State-linked ADF militia": the link is a description, the ADF the actor.
                found = (*found[:3], False)
            if found is not None:
                s, last = matches[i].start(), matches[i + n - 1]
                e = last.start() + len(last.group(0).rstrip(".'’"))
                hit = ActorHit(s, e, text[s:e], *found)
                width = n
                break
        if hit:
            hits.append(hit)
        i += width
    return hits


def _local_government(low: list[str], i: int, n: int, name: str) -> bool:
    """ "Riyom local government area", "the local government council": a unit or an office of
    local administration, not the country's government as an actor."""
    if not name.startswith("Government"):
        return False
    after = low[i + n] if i + n < len(low) else ""
    return (i > 0 and low[i - 1] == "local") or after in ("area", "areas")


def _community(key_low: tuple[str, ...], raw: list[str], lexicon: ActorLexicon) -> str | None:
    """ "Fulani herders", "Lou Nuer youths": a community's name and a group noun, written in
    lower case ("the Berom Youth Council" is an organisation's name)."""
    for split in range(1, len(key_low)):
        name = lexicon.communities.get(key_low[:split])
        if name and key_low[split:] in lexicon.communal_nouns and all(t.islower() for t in raw[split:]):
            return name
    return None


def can_take_up_arms(hit: ActorHit) -> bool:
    """Farmers and herders can be the doers ("farmers attacked a herders' camp"); other
    civilians are always the victims of armed violence."""
    return hit.surface.lower() in load_lexicon().armed_as


def as_armed(hit: ActorHit) -> ActorHit:
    """The hit as the doer of violence: farmers or herders who attack or fight are a communal
    militia (ACLED's identity militia), not civilians."""
    armed = load_lexicon().armed_as.get(hit.surface.lower())
    return replace(hit, name=armed[0], actor_type=armed[1]) if armed else hit


def is_community(hit: ActorHit) -> bool:
    """A community named by its people ("Fulani herders"): its militia when it fights, its
    civilians when it is attacked."""
    return not hit.named and hit.actor_type == "Identity militia" and hit.name in _community_names()


@lru_cache(maxsize=1)
def _community_names() -> frozenset[str]:
    return frozenset(load_lexicon().communities.values())


def as_victim(hit: ActorHit) -> ActorHit:
    """The hit as the victim of violence against civilians: "killed five Fulani herders" harms
    civilians of that community, not its militia."""
    if is_community(hit):
        return replace(hit, name="Civilians", actor_type="Civilians", named=False)
    return hit


def coded_type(actor_type: str, actor_iso2: str | None, event_iso2: str | None) -> str:
    """The actor type as coded for an event in event_iso2: a state's forces acting outside
    their own country are external forces (ACLED's inter code 8), "French forces" in Mali,
    "Russian forces" in Ukraine; at home they are state forces."""
    if actor_type == "State forces" and actor_iso2 and event_iso2 and actor_iso2 != event_iso2:
        return "External/Other forces"
    return actor_type


def resolve_name(hit: ActorHit, country_iso2: str | None) -> tuple[str, str | None]:
    """Fill "{country}" in generic state-force names from the event's country."""
    if "{country}" not in hit.name:
        return hit.name, hit.country_iso2
    lexicon = load_lexicon()
    if not country_iso2:
        return hit.name.replace(" of {country}", "").replace("Military forces", "Military forces").strip(), None
    return hit.name.replace("{country}", lexicon.country_names.get(country_iso2, country_iso2)), country_iso2


@lru_cache(maxsize=1)
def _affiliates() -> dict[tuple[str, str], ActorEntry]:
    lexicon = load_lexicon()
    out: dict[tuple[str, str], ActorEntry] = {}
    for row in _read("actor_affiliates.csv"):
        entry = lexicon.by_alias[row["affiliate"].lower()]  # fails fast on a name missing from actors.csv
        for iso2 in row["countries"].split("|"):
            out[(row["parent"], iso2.strip())] = entry
    return out


def affiliate_of(name: str, country_iso2: str | None) -> tuple[str, str] | None:
    """(name, actor_type) of the regional affiliate meant when a parent group ("Islamic State")
    is named for an incident in that affiliate's country; None when the name stands as it is.
    The affiliate is its own actor: it is never folded back into the parent."""
    entry = _affiliates().get((name, country_iso2 or ""))
    return (entry.name, entry.actor_type) if entry else None


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
