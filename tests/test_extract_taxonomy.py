"""The taxonomy file and every data file that names taxonomy values agree."""

import csv

import pytest

from transforms.extract.taxonomy import DATA_DIR, TaxonomyError, actor_types, event_type_of, sub_event_types

EXPECTED = {
    "Battles": 3,
    "Explosions/Remote violence": 6,
    "Violence against civilians": 3,
    "Protests": 3,
    "Riots": 2,
    "Strategic developments": 8,
}


def test_six_event_types_and_twenty_five_sub_types_with_cameo_and_plover():
    rows = sub_event_types()
    assert len(rows) == 25
    counts = {}
    for row in rows.values():
        counts[row.event_type] = counts.get(row.event_type, 0) + 1
        assert row.definition and row.cameo_root.isdigit() and row.plover_root.isupper()
    assert counts == EXPECTED


def test_actor_types_are_the_eight_acled_types():
    assert actor_types() == (
        "State forces",
        "Rebel group",
        "Political militia",
        "Identity militia",
        "Rioters",
        "Protesters",
        "Civilians",
        "External/Other forces",
    )


@pytest.mark.parametrize("name, column", [("actors.csv", "actor_type"), ("generic_actors.csv", "actor_type")])
def test_actor_files_use_taxonomy_actor_types(name, column):
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        assert {row[column] for row in csv.DictReader(fh)} <= set(actor_types())


def test_trigger_lexicon_uses_taxonomy_sub_types():
    with (DATA_DIR / "event_triggers.csv").open(encoding="utf-8") as fh:
        assert {row["sub_event_type"] for row in csv.DictReader(fh)} <= set(sub_event_types())


def test_unknown_sub_type_is_a_clear_error():
    with pytest.raises(TaxonomyError, match="Ambush"):
        event_type_of("Ambush")
