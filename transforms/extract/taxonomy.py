"""The ACLED taxonomy as data (transforms/data/taxonomy.csv, also a dbt seed source).

`traits` holds the facts the extractor acts on, one word each:
protest    the protest family (protests and riots): "attack"/"killed" inside one describe its policing
strategic  a strategic development: its deaths are not this event's toll, it needs no violence
weak       a trigger of this type counts only with a concrete anchor (a day, a place, a toll, an armed actor)
violent    an attack with a weapon or in a fight (a later, more specific weapon may refine it)
no_deaths  non-violent by definition: an unreported toll is zero, not unknown
weapon     named by its weapon word ("airstrike", "grenade"): the trigger decides, not the classifier

`protest_rank` orders the protest family by what later sentences may add (ACLED's codebook): a
protest that police dispersed is one with intervention, one they fired on is excessive force,
one whose demonstrators turned violent is a violent demonstration (the last two are
equals: neither overrules the other).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache

from transforms.settings import PACKAGE_DATA_DIR as DATA_DIR

TAXONOMY_CSV = DATA_DIR / "taxonomy.csv"
ACTOR_TYPES_CSV = DATA_DIR / "actor_types.csv"


class TaxonomyError(ValueError):
    """A data file names a type the taxonomy does not have."""


@dataclass(frozen=True)
class SubEventType:
    event_type: str
    sub_event_type: str
    definition: str
    cameo_root: str
    plover_root: str
    disorder_type: str  # ACLED's disorder type (Political violence, Demonstrations, ...)
    traits: frozenset[str] = frozenset()
    protest_rank: int | None = None


@lru_cache(maxsize=1)
def sub_event_types() -> dict[str, SubEventType]:
    """sub_event_type -> its row; sub-event names are unique across event types."""
    with TAXONOMY_CSV.open(encoding="utf-8") as fh:
        rows = [
            SubEventType(
                **{
                    **row,
                    "traits": frozenset((row.get("traits") or "").split()),
                    "protest_rank": int(row["protest_rank"]) if row.get("protest_rank") else None,
                }
            )
            for row in csv.DictReader(fh)
        ]
    return {row.sub_event_type: row for row in rows}


@lru_cache(maxsize=1)
def actor_types() -> tuple[str, ...]:
    with ACTOR_TYPES_CSV.open(encoding="utf-8") as fh:
        return tuple(row["actor_type"] for row in csv.DictReader(fh))


def event_type_of(sub_event_type: str) -> str:
    try:
        return sub_event_types()[sub_event_type].event_type
    except KeyError:
        raise TaxonomyError(f"unknown sub_event_type {sub_event_type!r} (not in {TAXONOMY_CSV.name})") from None


@cache
def with_trait(trait: str) -> frozenset[str]:
    """The sub-event types carrying a trait of taxonomy.csv."""
    return frozenset(name for name, row in sub_event_types().items() if trait in row.traits)


def protest_rank(sub_event_type: str) -> int | None:
    row = sub_event_types().get(sub_event_type)
    return row.protest_rank if row else None
