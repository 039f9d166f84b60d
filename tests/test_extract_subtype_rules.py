"""Who did what decides the sub-type (ACLED's codebook), on short texts written for these tests.

Each pattern comes with a look-alike that must keep its own sub-type, so that a rule that fires on
everything fails here too."""

from datetime import date

import pytest

from transforms.extract import extract_events

PUBLISHED = date(2026, 3, 16)  # a Monday


def _sub(text: str) -> str:
    events = extract_events(text, PUBLISHED)
    assert len(events) == 1, [e.sub_event_type for e in events]
    return events[0].sub_event_type


@pytest.mark.parametrize(
    "text, sub",
    [
        # An attack the other side answers is a clash: attackers killed, an ensuing gunfight.
        (
            "On Saturday, raiders on motorbikes struck a farming settlement near Gusau, Nigeria; hunters from the "
            "settlement fought back, and two of the raiders were killed.",
            "Armed clash",
        ),
        (
            "On Saturday, a column of fighters assaulted an army outpost in Ituri, Congo. A gunfight lasting two hours "
            "followed.",
            "Armed clash",
        ),
        (
            "On Saturday, a tribal militia ambushed a convoy of aid trucks near El Fasher, Sudan; the escorts fired "
            "back at the attackers and drove them off.",
            "Armed clash",
        ),
        # ... and one nobody answers stays an attack on civilians.
        ("On Saturday, gunmen shot dead three women fetching water outside a village near Jos, Nigeria.", "Attack"),
    ],
)
def test_an_answered_attack_is_an_armed_clash(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text, sub",
    [
        (
            "On Saturday, armed men attacked a hamlet near Gao, Mali, and set its granaries and a mill on fire before "
            "riding off.",
            "Looting/property destruction",
        ),
        (
            "On Saturday, insurgents attacked a ferry landing in Cabo Delgado, Mozambique, torching two boats and the "
            "ticket office.",
            "Looting/property destruction",
        ),
        (
            "On Saturday, in a quarrel over grazing near Makurdi, Nigeria, a landowner shot dead four camels of a "
            "passing caravan.",
            "Looting/property destruction",
        ),
        # A person harmed makes it an attack, whatever else burned; "cattle trader" is a person.
        ("On Saturday, insurgents attacked a hamlet near Gao, Mali, killed a shepherd and burned his hut.", "Attack"),
        ("On Saturday, gunmen killed a goat seller on the road to a market near Gao, Mali.", "Attack"),
    ],
)
def test_looting_and_destruction_need_no_casualties(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text, sub",
    [
        (
            "On Saturday, army engineers defused a roadside bomb that insurgents had hidden in a culvert near Mopti, "
            "Mali.",
            "Disrupted weapons use",
        ),
        (
            "On Saturday, a patrol near Mopti, Mali, uncovered two buried landmines on a farm track.",
            "Disrupted weapons use",
        ),
        (
            "On Saturday, a roadside bomb struck a bus near Mopti, Mali, killing four passengers.",
            "Remote explosive/landmine/IED",
        ),
        (
            "On Saturday, farmers planting millet were killed by a landmine near Mopti, Mali.",
            "Remote explosive/landmine/IED",
        ),
    ],
)
def test_a_device_found_or_defused_is_disrupted_weapons_use(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text, sub",
    [
        (
            "On Saturday, the air force attacked a rebel training camp in Mindanao, Philippines, with helicopters.",
            "Air/drone strike",
        ),
        (
            "On Saturday, militants attacked an army base near Mosul, Iraq, with mortars and rockets.",
            "Shelling/artillery/missile attack",
        ),
        # Guns as well: a clash.
        (
            "On Saturday, rebels fired at army positions near Mosul, Iraq, using machine guns and small arms.",
            "Armed clash",
        ),
    ],
)
def test_an_attack_by_remote_means_is_remote_violence(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text, sub",
    [
        (
            "On Saturday, a group of market porters attacked and badly hurt a shopkeeper they accused of cheating "
            "them in Jos, Nigeria.",
            "Mob violence",
        ),
        (
            "On Saturday, two groups of youths from neighbouring quarters of Jos, Nigeria, clashed over a football "
            "pitch, leaving four people hurt.",
            "Mob violence",
        ),
        (
            "On Saturday, two groups fought in the streets of Misrata, Libya, with heavy weapons, leaving four "
            "people dead.",
            "Armed clash",
        ),
        # Organised armed groups fighting is a clash.
        (
            "On Saturday, two rival militias clashed with rifles over a checkpoint near Jos, Nigeria, leaving four "
            "fighters hurt.",
            "Armed clash",
        ),
    ],
)
def test_a_crowd_fighting_without_arms_is_mob_violence(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text, sub",
    [
        # Force or assault used on a protest is an intervention, whoever used it.
        (
            "On Saturday, nurses held a rally outside a hospital in Lahore, Pakistan. Men sent by a local politician "
            "beat and injured three demonstrators.",
            "Protest with intervention",
        ),
        (
            "On Saturday, pensioners held a protest in Amman, Jordan. Guards at the ministry attacked the marchers "
            "and tore up their placards.",
            "Protest with intervention",
        ),
        (
            "On Saturday, fishermen marched to the port office in Karachi, Pakistan, to protest a fishing ban. "
            "Officers chased the marchers down the quay.",
            "Protest with intervention",
        ),
        # A passive about a protester is no act of the protesters.
        (
            "On Saturday, traders protested in Lahore, Pakistan, after one of the traders was hurt by a falling "
            "sign. Police fired tear gas at the crowd.",
            "Protest with intervention",
        ),
        # Protesters hurt by a baton charge did no violence themselves.
        (
            "On Saturday, contract teachers rallied outside the education ministry in Amman, Jordan. Riot police "
            "baton-charged the rally. Dozens of protesters were injured.",
            "Protest with intervention",
        ),
        # The crowd's own violence, said in the next sentence, makes it a riot.
        (
            "On Saturday, hundreds of drivers protested against new fuel prices in Kumasi, Ghana. The crowd then "
            "stoned a bus depot and burned two buses.",
            "Violent demonstration",
        ),
        (
            "On Saturday, residents marched peacefully through Kumasi, Ghana, to demand better roads.",
            "Peaceful protest",
        ),
    ],
)
def test_who_used_force_at_a_protest_decides_its_sub_type(text, sub):
    assert _sub(text) == sub


@pytest.mark.parametrize(
    "text",
    [
        "On Saturday, farmers demonstrated outside a sugar mill in southern Nepal over unpaid dues. Guards at the "
        "gate opened fire at the protesters, wounding two.",
        "On Saturday, miners marched on the company offices in Kumasi, Ghana, over lay-offs. Soldiers answered "
        "with live ammunition. Two miners were wounded.",
    ],
)
def test_lethal_force_on_a_protest_told_in_the_next_sentence_is_excessive_force(text):
    assert _sub(text) == "Excessive force against protesters"


def test_police_shooting_protesters_stays_excessive_force_despite_later_stones():
    text = (
        "ACCRA — Police shot dead three protesters and wounded dozens in Accra on Saturday as thousands "
        "of young people marched against new taxes, rights groups said.\n\nMost marchers were peaceful, but "
        "small groups threw stones at police lines near the market, witnesses said."
    )
    assert _sub(text) == "Excessive force against protesters"


def test_demonstrators_who_clashed_with_police_riot_even_when_killed():
    text = (
        "On Saturday, a crowd protesting a fuel price rise in Bouake, Ivory Coast, fought running battles with "
        "police and burned a toll booth. One protester died of gunshot wounds."
    )
    assert _sub(text) == "Violent demonstration"


@pytest.mark.parametrize(
    "text, sub",
    [
        (
            "On Saturday, soldiers rounded up eleven men at a market near Mopti, Mali, and executed two of them.",
            "Attack",
        ),
        ("On Saturday, police detained four students in Mopti, Mali, and beat them at the station.", "Attack"),
        (
            "On Saturday, police in Mopti, Mali, arrested two brothers wanted for the killing of a councillor.",
            "Arrests",
        ),
    ],
)
def test_arrests_whose_detainees_are_harmed_are_attacks(text, sub):
    assert _sub(text) == sub


# ACLED's precedence between look-alike sub-types: each pattern beside a look-alike that keeps its own.
@pytest.mark.parametrize(
    "text, sub",
    [
        # Ground changing hands with no fight reported is a non-violent transfer (ACLED) ...
        (
            "On Saturday, several dozen insurgents took control of the village of Kolo, Niger, hoisted their flag "
            "over the school and told residents to pay a levy.",
            "Non-violent transfer of territory",
        ),
        # ... and one that was fought over stays an overtaking.
        (
            "On Saturday, insurgents took control of the village of Kolo, Niger, after a three-hour gunfight with "
            "the local garrison.",
            "Non-state actor overtakes territory",
        ),
        # Raped as well as abducted or beaten: sexual violence comes first (ACLED) ...
        (
            "On Saturday, gunmen abducted and raped four women on a farm near Kajuru, Nigeria.",
            "Sexual violence",
        ),
        (
            "On Saturday, soldiers at a checkpoint near Kajuru, Nigeria, beat two women and sexually assaulted one "
            "of them.",
            "Sexual violence",
        ),
        # ... and an abduction that names no such act stays an abduction.
        (
            "On Saturday, gunmen abducted four women from a farm near Kajuru, Nigeria, and released them the next day.",
            "Abduction/forced disappearance",
        ),
        # Looting in which people are hurt is an attack; looting alone is looting.
        (
            "On Saturday, armed men looted a market in Gusau, Nigeria, and wounded two traders who resisted.",
            "Attack",
        ),
        ("On Saturday, gunmen looted six shops in Gusau, Nigeria.", "Looting/property destruction"),
        # A bomb the report later says was carried by a suicide bomber is a suicide bombing ...
        (
            "A bomb blast killed two people and injured 30 at a bus stop in Garissa, Kenya, on Saturday. "
            "Police said the attacker was a suicide bomber.",
            "Suicide bomb",
        ),
        # ... and without that word it stays a bomb.
        (
            "A bomb blast killed two people and injured 30 at a bus stop in Garissa, Kenya, on Saturday. "
            "Police said the device had been hidden in a bag.",
            "Remote explosive/landmine/IED",
        ),
        # A crowd wrecking or burning things is rioting, not looting by an armed group ...
        ("On Saturday, angry residents ransacked and torched the tax office in Kasese, Uganda.", "Mob violence"),
        # ... while gunmen doing the same are looting and property destruction.
        ("On Saturday, gunmen ransacked and torched the tax office in Kasese, Uganda.", "Looting/property destruction"),
        # Petrol bombs thrown by protesters are rioting, not grenades ...
        (
            "On Saturday, protesters threw petrol bombs at police in Athens, Greece, during a march over pensions.",
            "Violent demonstration",
        ),
        # ... a thrown grenade or bomb stays one.
        ("On Saturday, a man threw a grenade at a bar in Goma, DR Congo, killing two people.", "Grenade"),
    ],
)
def test_codebook_precedence_between_look_alike_sub_types(text, sub):
    assert _sub(text) == sub
