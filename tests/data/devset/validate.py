"""Validate the labelled development set (cases.jsonl + gold.json) and print its coverage.

Run: .venv/bin/python tests/data/devset/validate.py [SET_DIR]   (exit code 1 on any error)
SET_DIR defaults to this directory; tests/data/devset_b is the second, blind set of short items,
tests/data/devset_c the third, blind set of full pages (bylines, captions, related-coverage lines).

Stdlib only on purpose: the set must be checkable without importing the extractor it scores.
The taxonomy is repeated here from the project brief so the check stays independent of the
extractor's own lexicon files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_TO_TYPE = {sub: et for et, subs in TAXONOMY.items() for sub in subs}
PRECISIONS = {"day", "week", "month"}
EVENT_KEYS = {
    "event_type",
    "sub_event_type",
    "event_date",
    "date_precision",
    "location",
    "admin1",
    "country_iso2",
    "latitude",
    "longitude",
    "fatalities",
    "injured",
    "perpetrator",
    "target",
    "civilian_targeting",
}
CASE_KEYS = {"id", "url", "published", "source_country", "title", "text"}

# Coverage each set promises (cases, events per sub-type, negatives, event countries); failing
# these is an error, not a warning. devset_b is a smaller second set written blind; devset_c is
# smaller still (full pages, not every sub-type).
FLOORS = {"devset": (170, 4, 45, 30), "devset_b": (60, 1, 25, 25), "devset_c": (28, 0, 12, 12)}
MIN_WORDS, MAX_WORDS, LONG_WORDS = 60, 500, 300
# Word range per set where it differs from the default: devset_c holds whole pages.
WORDS = {"devset_c": (400, 800)}


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def check_case(case: dict, words: tuple[int, int] = (MIN_WORDS, MAX_WORDS)) -> list[str]:
    errs: list[str] = []
    cid = case.get("id", "?")
    if set(case) != CASE_KEYS:
        errs.append(f"{cid}: case keys {sorted(set(case) ^ CASE_KEYS)} differ")
    if not re.fullmatch(r"https://[a-z0-9.-]+\.test/\S+", case.get("url", "")):
        errs.append(f"{cid}: url must use the reserved .test TLD")
    try:
        pub = dt.date.fromisoformat(case["published"])
        if not dt.date(2025, 1, 1) <= pub <= dt.date(2026, 12, 31):
            errs.append(f"{cid}: published {pub} outside 2025-2026")
    except (KeyError, ValueError):
        errs.append(f"{cid}: bad published date")
    sc = case.get("source_country")
    if sc is not None and not re.fullmatch(r"[A-Z]{2}", sc):
        errs.append(f"{cid}: source_country {sc!r} not ISO2 or null")
    n = word_count(case.get("text", ""))
    if not words[0] <= n <= words[1]:
        errs.append(f"{cid}: text has {n} words, want {words[0]}-{words[1]}")
    return errs


def check_event(cid: str, i: int, ev: dict, published: dt.date) -> list[str]:
    where = f"{cid}[{i}]"
    errs: list[str] = []
    if set(ev) != EVENT_KEYS:
        return [f"{where}: event keys {sorted(set(ev) ^ EVENT_KEYS)} differ"]
    sub, et = ev["sub_event_type"], ev["event_type"]
    if et not in TAXONOMY:
        errs.append(f"{where}: unknown event_type {et!r}")
    if sub not in SUB_TO_TYPE:
        errs.append(f"{where}: unknown sub_event_type {sub!r}")
    elif SUB_TO_TYPE[sub] != et:
        errs.append(f"{where}: {sub!r} belongs to {SUB_TO_TYPE[sub]!r}, not {et!r}")
    try:
        day = dt.date.fromisoformat(ev["event_date"])
        if day > published:
            errs.append(f"{where}: event_date {day} after published {published}")
    except (TypeError, ValueError):
        errs.append(f"{where}: bad event_date {ev['event_date']!r}")
    if ev["date_precision"] not in PRECISIONS:
        errs.append(f"{where}: bad date_precision {ev['date_precision']!r}")
    lat, lon = ev["latitude"], ev["longitude"]
    if not (
        isinstance(lat, (int, float)) and -90 <= lat <= 90 and isinstance(lon, (int, float)) and -180 <= lon <= 180
    ):
        errs.append(f"{where}: coordinates {lat},{lon} out of range")
    if not re.fullmatch(r"[A-Z]{2}", str(ev["country_iso2"])):
        errs.append(f"{where}: bad country_iso2 {ev['country_iso2']!r}")
    for key in ("location", "admin1"):
        if not isinstance(ev[key], str) or not ev[key].strip():
            errs.append(f"{where}: {key} must be a non-empty string")
    for key in ("fatalities", "injured"):
        val = ev[key]
        if val is not None and (isinstance(val, bool) or not isinstance(val, int) or val < 0):
            errs.append(f"{where}: {key} must be a non-negative int or null")
    for key in ("perpetrator", "target"):
        if ev[key] is not None and (not isinstance(ev[key], str) or not ev[key].strip()):
            errs.append(f"{where}: {key} must be a name or null")
    if not isinstance(ev["civilian_targeting"], bool):
        errs.append(f"{where}: civilian_targeting must be a bool")
    return errs


def validate(
    cases: list[dict],
    gold: dict,
    floors: tuple[int, ...] = FLOORS["devset"],
    words: tuple[int, int] = (MIN_WORDS, MAX_WORDS),
) -> tuple[list[str], dict]:
    min_cases, min_per_subtype, min_negatives, min_countries = floors
    errs: list[str] = []
    ids = [c.get("id") for c in cases]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    if dupes:
        errs.append(f"duplicate case ids: {dupes}")
    missing, extra = set(ids) - set(gold), set(gold) - set(ids)
    if missing:
        errs.append(f"cases without gold: {sorted(missing)}")
    if extra:
        errs.append(f"gold without case: {sorted(extra)}")
    per_sub: Counter[str] = Counter()
    countries: set[str] = set()
    negatives = long_articles = multi = 0
    for case in cases:
        errs += check_case(case, words)
        cid = case.get("id")
        if case.get("text") and word_count(case["text"]) >= LONG_WORDS:
            long_articles += 1
        entry = gold.get(cid)
        if entry is None:
            continue
        if not isinstance(entry.get("note"), str) or not entry["note"].strip():
            errs.append(f"{cid}: gold needs a note")
        events = entry.get("events")
        if not isinstance(events, list):
            errs.append(f"{cid}: gold events must be a list")
            continue
        negatives += not events
        multi += len(events) > 1
        try:
            published = dt.date.fromisoformat(case["published"])
        except (KeyError, ValueError):
            continue
        for i, ev in enumerate(events):
            errs += check_event(cid, i, ev, published)
            per_sub[ev.get("sub_event_type", "?")] += 1
            countries.add(str(ev.get("country_iso2")))
    stats = {
        "cases": len(cases),
        "negatives": negatives,
        "multi_event_cases": multi,
        "long_articles": long_articles,
        "countries": sorted(countries),
        "per_sub": per_sub,
    }
    if len(cases) < min_cases:
        errs.append(f"only {len(cases)} cases, want >= {min_cases}")
    for sub in SUB_TO_TYPE:
        if per_sub[sub] < min_per_subtype:
            errs.append(f"sub-type {sub!r} has {per_sub[sub]} events, want >= {min_per_subtype}")
    if negatives < min_negatives:
        errs.append(f"only {negatives} negatives, want >= {min_negatives}")
    if len(countries) < min_countries:
        errs.append(f"only {len(countries)} event countries, want >= {min_countries}")
    return errs, stats


def main() -> int:
    set_dir = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    cases = load_cases(set_dir / "cases.jsonl")
    gold = json.loads((set_dir / "gold.json").read_text(encoding="utf-8"))
    errs, stats = validate(cases, gold, FLOORS[set_dir.name], WORDS.get(set_dir.name, (MIN_WORDS, MAX_WORDS)))
    print(
        f"cases={stats['cases']} negatives={stats['negatives']} multi_event_cases={stats['multi_event_cases']} "
        f"long_articles(>={LONG_WORDS}w)={stats['long_articles']} events={sum(stats['per_sub'].values())}"
    )
    print(f"event countries ({len(stats['countries'])}): {' '.join(stats['countries'])}")
    for et, subs in TAXONOMY.items():
        for sub in subs:
            print(f"  {stats['per_sub'][sub]:3d}  {et} / {sub}")
    for e in errs:
        print("ERROR", e)
    print("OK" if not errs else f"{len(errs)} error(s)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
