"""Who did what decides the sub-type (ACLED's codebook), on short texts written for these tests.

Each pattern comes with a look-alike that must keep its own sub-type, so that a rule that fires on
everything fails here too."""

from datetime import date

import pytest

from transforms.extract import extract_events

PUBLISHED = date(2026, 3, 16)   # a Monday


def _sub(text: str) -> str:
    events = extract_events(text, PUBLISHED)
    assert len(events) == 1, [e.sub_event_type for e in events]
    return events[0].sub_event_type


@pytest.mark.parametrize("text, sub", [
    # An attack the other side answers is a clash: attackers killed, an ensuing gunfight.
    ("On Saturday, bandits raided a farming village near Gusau, Nigeria. During the raid, two of the bandits "
     "were killed.", "Armed clash"),
    ("On Saturday, an armed group attacked a hamlet in Ituri, Congo. In the ensuing gunfight, three residents "
     "died.", "Armed clash"),
    ("On Saturday, a militia fired arrows at police officers in a town in Darfur, Sudan. Police then fired at "
     "the attackers, killing one.", "Armed clash"),
    # ... and one nobody answers stays an attack on civilians.
    ("On Saturday, gunmen shot dead three farmers in their fields near Jos, Nigeria.", "Attack"),
])
def test_an_answered_attack_is_an_armed_clash(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize("text, sub", [
    ("On Saturday, gunmen attacked a village near Gao, Mali, burned a shop, fired shots in the air and seized "
     "livestock.", "Looting/property destruction"),
    ("On Saturday, militants attacked a health post in Cabo Delgado, Mozambique, burning equipment and "
     "motorbikes.", "Looting/property destruction"),
    ("On Saturday, a farmer shot and killed nine goats belonging to herders after the animals entered his "
     "field in Plateau, Nigeria.", "Looting/property destruction"),
    # A person harmed makes it an attack, whatever else burned; "cattle trader" is a person.
    ("On Saturday, militants killed a man and seized livestock in a village near Gao, Mali.", "Attack"),
    ("On Saturday, unknown individuals killed a cattle trader in a market town near Gao, Mali.", "Attack"),
])
def test_looting_and_destruction_need_no_casualties(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize("text, sub", [
    ("On Saturday, the army destroyed an IED planted by militants on the road to Mopti, Mali.",
     "Disrupted weapons use"),
    ("On Saturday, soldiers discovered a roadside bomb at the entrance of a village near Mopti, Mali.",
     "Disrupted weapons use"),
    ("On Saturday, a roadside bomb struck a bus near Mopti, Mali, killing four passengers.",
     "Remote explosive/landmine/IED"),
    ("On Saturday, farmers planting millet were killed by a landmine near Mopti, Mali.",
     "Remote explosive/landmine/IED"),
])
def test_a_device_found_or_defused_is_disrupted_weapons_use(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize("text, sub", [
    ("On Saturday, the military fired at rebel camps in Kachin with two fighter jets. Casualties unknown.",
     "Air/drone strike"),
    ("On Saturday, militants attacked an army base near Mosul, Iraq, with mortars and rockets.",
     "Shelling/artillery/missile attack"),
    # Guns as well: a clash.
    ("On Saturday, rebels fired at army positions near Mosul, Iraq, using machine guns and small arms.",
     "Armed clash"),
])
def test_an_attack_by_remote_means_is_remote_violence(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize("text, sub", [
    ("On Saturday, a number of farmers attacked and severely wounded a herder after his cattle damaged "
     "crops near Jos, Nigeria.", "Mob violence"),
    ("On Saturday, two groups clashed over a land dispute in a market town near Jos, Nigeria, leaving four "
     "people wounded.", "Mob violence"),
    # With guns it is a fight between armed groups.
    ("On Saturday, two groups of armed herders clashed with rifles near Jos, Nigeria, leaving four people "
     "wounded.", "Armed clash"),
])
def test_a_crowd_fighting_without_arms_is_mob_violence(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize("text, sub", [
    # Force or assault used on a protest is an intervention, whoever used it.
    ("On Saturday, students staged a protest rally on campus in Lahore, Pakistan. Members of a rival student "
     "wing assaulted and injured four demonstrators.", "Protest with intervention"),
    ("On Saturday, job seekers staged a protest in Amman, Jordan. Police personnel assaulted the protestors "
     "and threw their banners away.", "Protest with intervention"),
    ("On Saturday, opposition supporters staged a protest rally in Karachi, Pakistan. Police chased the "
     "protesters to disperse them.", "Protest with intervention"),
    # A passive about a protester is no act of the protesters.
    ("On Saturday, students held a demonstration in Lahore, Pakistan, after one of the students was injured by "
     "a car. Police used tear gas to disperse the protesters.", "Protest with intervention"),
    # The crowd's own violence, said in the next sentence, makes it a riot.
    ("On Saturday, residents protested over a spate of murders in Kisii, Kenya. The protesters lit bonfires "
     "on the highway, paralysing traffic for hours.", "Violent demonstration"),
    ("On Saturday, residents marched peacefully through Kisii, Kenya, to demand better roads.", "Peaceful protest"),
])
def test_who_used_force_at_a_protest_decides_its_sub_type(text, sub):
    assert _sub(text) == sub


def test_police_shooting_protesters_stays_excessive_force_despite_later_stones():
    text = ("NAIROBI — Police shot dead three protesters and wounded dozens in Nairobi on Saturday as thousands "
            "of young people marched against new taxes, rights groups said.\n\nMost marchers were peaceful, but "
            "small groups threw stones at police lines near the market, witnesses said.")
    assert _sub(text) == "Excessive force against protesters"


def test_demonstrators_who_clashed_with_police_riot_even_when_killed():
    text = ("On Saturday, people demonstrating against the election results burned tyres and clashed with "
            "police in Bouake, Ivory Coast. One person was killed and five wounded.")
    assert _sub(text) == "Violent demonstration"


@pytest.mark.parametrize("text, sub", [
    ("On Saturday, soldiers killed a herder and arrested seven men in a village near Mopti, Mali.", "Attack"),
    ("On Saturday, herders were detained and beaten by soldiers near a forest in Mopti, Mali.", "Attack"),
    ("On Saturday, police arrested a man suspected of killing his neighbour in Mopti, Mali.", "Arrests"),
])
def test_arrests_whose_detainees_are_harmed_are_attacks(text, sub):
    assert _sub(text) == sub
