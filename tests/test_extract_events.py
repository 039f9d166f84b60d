"""The extractor end to end on short articles written for these tests."""

from datetime import date

import pytest

from transforms.extract import EXTRACTOR_VERSION, extract_events
from transforms.extract.taxonomy import sub_event_types

# A Monday.
PUBLISHED = date(2026, 3, 16)

BAGHDAD = (
    "BAGHDAD — Two Katyusha rockets were fired at the US Embassy in Baghdad's Green Zone on Saturday, "
    "security officials said. One rocket was intercepted by the embassy's C-RAM defence system, while the "
    "second landed in a square, damaging two civilian cars. No casualties were reported.\n\n"
    "The attack came as Washington weighs a drawdown of its troops in Iraq. Iran-backed militias have "
    "threatened to attack US interests if the withdrawal is delayed. The Green Zone is often a target of rocket fire.\n\n"
    "\"BREAKING: Two rockets hit the Green Zone in Baghdad tonight,\" one resident wrote on X.\n\n"
    "In 2020, a US drone strike near Baghdad airport killed an Iranian general."
)


@pytest.fixture(scope="module")
def baghdad():
    return extract_events(BAGHDAD, PUBLISHED, title="Rockets target US embassy in Baghdad", source_country="GB")


def test_design_example_is_one_incident(baghdad):
    assert len(baghdad) == 1


def test_design_example_fields(baghdad):
    event = baghdad[0]
    assert event.event_type == "Explosions/Remote violence"
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.event_date == date(2026, 3, 14)
    assert event.date_precision == "day" and not event.date_is_fallback
    assert event.location == "Baghdad" and event.country_iso2 == "IQ"
    assert event.latitude is not None and event.longitude is not None
    assert event.fatalities == 0
    assert [a.name for a in event.perpetrators] == ["Unidentified armed group"]
    assert event.weapon == "rockets"


def test_evidence_offsets_index_the_text_and_skip_background(baghdad):
    event = baghdad[0]
    for start, end in event.evidence:
        assert BAGHDAD[start:end] in event.evidence_text
    assert "2020" not in event.evidence_text
    assert "threatened" not in event.evidence_text


def test_every_sub_type_is_a_taxonomy_value(baghdad):
    assert baghdad[0].sub_event_type in sub_event_types()
    assert EXTRACTOR_VERSION


@pytest.mark.parametrize(
    "text",
    [
        "MOGADISHU — Al-Shabaab threatened on Sunday to attack hotels in the capital during the holiday season.",
        "NAIROBI — Police warned that militants could attempt bombings in the city over Christmas.",
        "KABUL — The Taliban denied carrying out the attack on the checkpoint, a spokesman said on Monday.",
        "SREBRENICA — Thousands gathered on Saturday for the anniversary of the 1995 massacre, laying flowers at the memorial.",
        "The Green Zone is often a target of rocket fire by militias opposed to the US presence.",
        "MANILA — A typhoon killed 12 people and flooded thousands of homes on Luzon on Sunday.",
        "LONDON — Arsenal striker scored twice as the league leaders attacked from the first minute and crushed their rivals 4-0.",
        "PARIS — The opposition launched a blistering attack on the government's pension reform on Monday.",
        "GENEVA — Foreign ministers met on Sunday to discuss humanitarian aid and trade.",
    ],
)
def test_non_events_yield_nothing(text):
    assert extract_events(text, PUBLISHED) == []


def test_repeated_mentions_merge_and_deaths_are_not_counted_twice():
    text = (
        "MAIDUGURI — A suicide bomber killed 12 people at a fish market in Konduga, Borno State, on Saturday, officials said. "
        "The 12 dead included four children. Witnesses said the bomber detonated her explosive vest near the entrance. "
        "\"Twelve people were killed in the Konduga market blast,\" a local official wrote on X."
    )
    events = extract_events(text, PUBLISHED)
    assert len(events) == 1
    assert events[0].sub_event_type == "Suicide bomb"
    assert events[0].fatalities == 12
    assert events[0].location == "Konduga"


def test_two_towns_two_days_yield_two_incidents():
    text = (
        "LAMU, Kenya — Suspected al-Shabaab gunmen killed four people on a farm near Mpeketoni on Friday night, "
        "police said. In a separate incident, a passenger bus struck a roadside bomb near Kiunga on Saturday, injuring six."
    )
    events = extract_events(text, PUBLISHED)
    assert len(events) == 2
    by_type = {e.sub_event_type: e for e in events}
    assert by_type["Attack"].event_date == date(2026, 3, 13)
    assert by_type["Attack"].fatalities == 4
    assert [a.name for a in by_type["Attack"].perpetrators] == ["Al-Shabaab"]
    assert by_type["Remote explosive/landmine/IED"].event_date == date(2026, 3, 14)
    assert by_type["Remote explosive/landmine/IED"].injured == 6


def test_protest_with_tear_gas_is_protest_with_intervention():
    text = ("GAZIPUR, Bangladesh — Police fired tear gas to disperse thousands of garment workers who protested "
            "over unpaid wages in Gazipur on Sunday.")
    events = extract_events(text, PUBLISHED)
    assert [e.sub_event_type for e in events] == ["Protest with intervention"]
    assert events[0].country_iso2 == "BD"
    assert "Protesters" in [a.name for a in events[0].actors]


def test_attack_on_soldiers_is_an_armed_clash_and_on_villagers_is_violence_against_civilians():
    soldiers = extract_events("BAMAKO — JNIM fighters attacked a Malian army post near Boulkessi on Saturday, killing six soldiers.", PUBLISHED)
    villagers = extract_events("JOS — Gunmen attacked the village of Bindi in Plateau State on Sunday night, killing 14 villagers.", PUBLISHED)
    assert soldiers[0].sub_event_type == "Armed clash"
    assert villagers[0].sub_event_type == "Attack"
    assert villagers[0].civilian_targeting
    assert [a.name for a in villagers[0].targets] == ["Civilians"]


def test_missing_date_falls_back_to_publication_and_says_so():
    events = extract_events("Gunmen abducted 20 passengers from a bus in Zamfara State, Nigeria, police said.", PUBLISHED)
    assert events[0].sub_event_type == "Abduction/forced disappearance"
    assert events[0].event_date == PUBLISHED and events[0].date_is_fallback


def test_empty_text_is_no_events():
    assert extract_events("   ", PUBLISHED) == []


def test_a_huge_repetitive_page_stays_one_incident_and_finishes():
    text = "Gunmen killed three villagers in Mopti, Mali, on Saturday. " * 3000
    events = extract_events(text, PUBLISHED)
    assert len(events) == 1
    assert all(end <= len(text) for _, end in events[0].evidence)
