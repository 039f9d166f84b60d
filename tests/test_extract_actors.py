"""Actor dictionary, nationality-named forces and generic actors."""

from transforms.extract.actors import find_actors, normalise_actor_name, resolve_name


def names(text):
    return [(h.surface, h.name, h.actor_type) for h in find_actors(text)]


def test_named_groups_by_alias():
    hits = names("Al-Shabab fighters and ISWAP militants attacked the town; Daesh claimed it.")
    assert ("Al-Shabab", "Al-Shabaab", "Rebel group") in hits
    assert ("ISWAP", "Islamic State West Africa Province", "Rebel group") in hits
    assert ("Daesh", "Islamic State", "Rebel group") in hits


def test_acronyms_only_match_in_capitals():
    assert names("The aa battery died.") == []


def test_nationality_forces_become_state_forces_of_that_country():
    hits = names("Iraqi security forces and Kenyan police responded.")
    assert ("Iraqi security forces", "Military forces of Iraq", "State forces") in hits
    assert ("Kenyan police", "Police forces of Kenya", "State forces") in hits


def test_generic_actors_and_country_from_the_event():
    hits = find_actors("Gunmen opened fire on soldiers and villagers.")
    assert [h.name for h in hits] == ["Unidentified armed group", "Military forces of {country}", "Civilians"]
    assert resolve_name(hits[1], "ML") == ("Military forces of Mali", "ML")


def test_iran_backed_militias_is_a_named_actor():
    assert names("Iran-backed militias fired rockets.")[0][1] == "Iran-backed militias"


def test_normalisation_compares_aliases_and_canonical_names():
    assert normalise_actor_name("al-Shabab") == normalise_actor_name("Al-Shabaab")
    assert normalise_actor_name("Military forces of the United States") == normalise_actor_name("U.S. forces")
    assert normalise_actor_name("gunmen") == "unidentified armed group"
