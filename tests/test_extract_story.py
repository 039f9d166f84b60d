"""Story-level precision on whole pages: furniture, tallies, retold incidents and second events.

Every sentence is written for these tests (none comes from a labelled set)."""

from datetime import date

from transforms.extract import extract_events
from transforms.extract.events import cues, without_furniture

MONDAY = date(2025, 6, 9)
SUNDAY = date(2025, 6, 8)
SATURDAY = date(2025, 6, 7)


def _subs(text: str, title: str | None = None) -> list[str]:
    return [e.sub_event_type for e in extract_events(text, MONDAY, title=title)]


def test_related_coverage_headlines_are_other_stories():
    text = (
        "MOUNDOU — The regional council approved a new budget for rural roads on Monday, with most of the money "
        "going to the routes that link cotton farms to the town's ginning mill.\n\n"
        "Councillors said work would start after the rainy season.\n\n"
        "Related coverage: Gunmen kill four traders at a bus stop near Moundou | Cotton prices hit a record"
    )
    assert _subs(text) == []


def test_a_bare_read_also_label_hides_its_bullet_list_too():
    text = (
        "MOUNDOU — Teachers in the province ended their strike on Monday after the ministry agreed to pay "
        "three months of salary arrears.\n\nRead also:\n- Rebels ambush army convoy, killing nine soldiers\n"
        "- Grenade attack wounds two at a market\n\nSchools will reopen on Wednesday."
    )
    assert _subs(text) == []


def test_furniture_is_blanked_in_place_so_offsets_hold():
    text = "Soldiers clashed with rebels on Sunday.\n\nPhoto: Troops at a checkpoint in 2021.\n\nMore text."
    blank = without_furniture(text)
    assert len(blank) == len(text)
    assert "Troops" not in blank and "Soldiers clashed" in blank and "More text." in blank


def test_a_caption_recalling_an_old_attack_is_not_news():
    text = (
        "MOUNDOU — Hundreds of pilgrims arrived in the town on Sunday for the yearly festival of the cathedral, "
        "filling hotels and guesthouses.\n\n"
        "Picture: Police guard the square where a grenade wounded six worshippers.\n\n"
        "The mayor said the festival had brought more visitors than ever."
    )
    assert _subs(text) == []


def test_a_tally_since_a_truce_does_not_become_the_strike_toll():
    text = (
        "KADUNA — A drone strike killed three men on a motorbike outside Kaduna on Sunday, police said.\n\n"
        "Armed groups and the army have killed more than 240 people in the state since the truce collapsed, "
        "according to a local monitor."
    )
    events = extract_events(text, MONDAY)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 3)]


def test_statistics_of_a_period_are_not_an_incident():
    for sentence in (
        "In the first four months of this year, bandits killed 85 people across Kaduna state, the police said.",
        "Police in Kaduna blamed 60 percent of the killings recorded in May on feuding gangs.",
        "Most victims were farmers shot on their way to the fields, the Kaduna police report said.",
    ):
        assert _subs(sentence) == [], sentence


def test_a_lead_about_a_measure_weeks_after_an_attack_makes_the_attack_background():
    text = (
        "KADUNA — The state government unveiled a school-safety plan on Monday, three weeks after gunmen "
        "kidnapped 30 pupils from a boarding school near Kaduna.\n\n"
        "The pupils had been taken from their dormitory in the middle of the night, and most are still held."
    )
    assert _subs(text) == []


def test_an_older_dated_attack_retold_in_a_report_on_a_new_one_is_background():
    text = (
        "KADUNA — Gunmen killed five villagers in an attack on Kujama, south of Kaduna, on Sunday, police "
        "said.\n\nOn May 20, bandits killed seven farmers in a raid near Zaria, in the north of the state."
    )
    events = extract_events(text, MONDAY)
    assert [(e.location, e.fatalities, e.event_date) for e in events] == [("Kujama", 5, SUNDAY)]


def test_an_older_dated_attack_is_still_an_event_when_it_is_the_story():
    text = "KADUNA — Bandits killed seven farmers in a raid near Zaria on May 20, police said on Monday."
    events = extract_events(text, MONDAY)
    assert [(e.fatalities, e.event_date) for e in events] == [(7, date(2025, 5, 20))]


def test_an_explainer_retells_the_conflict_it_explains():
    text = (
        "Rebels seized the river port in 2023 and have since fought the army for control of the road to "
        "the capital.\n\nThe two sides clashed again around the port as talks faltered, and thousands of "
        "families fled to camps near the border."
    )
    assert _subs(text, title="Explainer: why the war for the river port will not end") == []


def test_firefighters_are_not_a_firefight():
    text = "MOUNDOU — Firefighters from the town brigade took three hours on Sunday to put out a blaze at the mill."
    assert "Armed clash" not in _subs(text)


def test_a_fuel_tanker_blast_is_an_accident():
    text = (
        "A fuel tanker exploded on the highway outside Kaduna on Sunday after it overturned, killing 12 people "
        "who had gathered to collect petrol, emergency officials said."
    )
    assert _subs(text) == []


def test_a_march_the_next_day_in_another_town_is_its_own_event():
    text = (
        "KADUNA — Six soldiers were killed on Saturday in a clash with bandits near Kujama, the army said.\n\n"
        "The next day, about 400 relatives and students marched silently through the centre of Zaria to "
        "demand better protection for the troops. The march ended peacefully."
    )
    events = sorted(extract_events(text, MONDAY), key=lambda e: e.event_date)
    assert [(e.sub_event_type, e.event_date) for e in events] == [
        ("Armed clash", SATURDAY),
        ("Peaceful protest", SUNDAY),
    ]


def test_a_calm_march_elsewhere_the_same_night_as_a_riot_is_its_own_event():
    text = (
        "LAGOS — Youths threw stones and set tyres on fire in Ikeja on Saturday night after a vigil for a "
        "student shot by police, and officers fired tear gas to disperse them.\n\n"
        "A march also took place in Ibadan on Saturday, where police said about 2,000 people walked without "
        "incident."
    )
    assert len(extract_events(text, MONDAY)) == 2


def test_rallies_listed_in_several_towns_stay_a_round_up():
    text = (
        "LAGOS — Police fired live rounds at protesters in Ikeja on Saturday, killing two, rights groups said.\n\n"
        "Smaller rallies were held in Ibadan, Abeokuta and Ilorin on Saturday without incident."
    )
    assert len(extract_events(text, MONDAY)) == 1


def test_a_school_used_as_a_shelter_is_one_clause():
    text = (
        "Mortar shells hit a mosque in Kaduna used as a refuge by displaced families from Zaria on Sunday, "
        "killing nine people and wounding 20, a local official said."
    )
    events = extract_events(text, MONDAY)
    assert [(e.sub_event_type, e.location, e.fatalities) for e in events] == [
        ("Shelling/artillery/missile attack", "Kaduna", 9)
    ]


def test_a_release_dateline_date_does_not_make_a_monthly_tally_news():
    text = (
        "FOR IMMEDIATE RELEASE\n\nKaduna / London, 9 June 2025 — Unexploded shells and mines killed 14 "
        "civilians and injured 30 across Kaduna state in May, according to monthly figures compiled by "
        "our field teams."
    )
    assert _subs(text) == []


def test_a_byline_line_does_not_hide_a_verdict_lead():
    text = (
        "By Amina Sule, courts reporter\n\n"
        "KADUNA — A high court in Kaduna on Monday jailed four men for life over the 2021 bombing of a bus "
        "station that killed 19 travellers.\n\n"
        "The judge described how the device, hidden in a sack of grain, exploded as passengers boarded an "
        "evening coach. Dozens were wounded."
    )
    assert _subs(text) == []


def test_an_opening_shot_in_a_match_harms_no_one():
    text = (
        "KADUNA — United's striker fired the opening shot in the third minute, a rocket that exploded into "
        "the net, and the home side never stopped bombarding the visitors' goal in the league match on "
        "Sunday. The coach praised his squad."
    )
    assert _subs(text) == []


def test_closures_after_a_flood_are_not_a_political_measure():
    text = (
        "KADUNA — Our Correspondent\n\nFloods swept through villages around Kaduna on Sunday after heavy rain, "
        "killing eight people.\n\nThe district administration closed schools for a week and asked visitors to "
        "stay away."
    )
    assert _subs(text) == []


def test_a_measure_that_is_the_lead_of_an_outbreak_story_is_still_reported():
    text = "The government banned all public gatherings in Kaduna on Sunday in response to a cholera outbreak."
    assert _subs(text) == ["Other"]


def test_hours_later_marks_a_new_incident():
    # A region-only lead ("two attacks in X region") gives the merge no town to tell the second
    # attack apart by; "several hours later, another group attacked ..." does.
    separate = cues()["separate"]
    assert separate.search("Several hours later, another group attacked the village of Kachia.")
    assert separate.search("Hours later, gunmen raided a second village.")
    assert not separate.search("The fighting lasted for hours.")


def test_a_group_boasting_of_its_fighters_toll_does_not_set_the_toll():
    text = (
        "KADUNA — Soldiers repelled an attack on an army base near Kujama on Saturday, and three soldiers and "
        "five attackers were killed, the army said.\n\n"
        "The group said in an audio message posted online that its fighters had killed 30 soldiers."
    )
    assert [e.fatalities for e in extract_events(text, MONDAY)] == [8]


def test_candidates_rallies_are_campaigning_not_protest():
    text = (
        "KADUNA — Thousands of supporters cheered on Sunday as the two candidates for governor held rallies "
        "in Kaduna, a week before the vote."
    )
    assert _subs(text) == []


def test_a_party_rally_making_a_demand_is_still_a_protest():
    text = "KADUNA — Opposition supporters held a rally in Kaduna on Sunday to demand the release of their leader."
    assert _subs(text) == ["Peaceful protest"]


def test_other_page_labels_are_furniture_too():
    for label in ("Don't miss:", "In other news:", "MORE:", "Trending:", "Watch:", "Topics:"):
        text = (
            f"KADUNA — The state assembly passed the new budget on Monday.\n\n{label} Gunmen kill six at a bar in Zaria"
        )
        assert _subs(text) == [], label


def test_a_story_that_opens_on_a_drill_describes_staged_attacks():
    text = (
        "KADUNA — Army tanks and air force jets took part in a joint exercise near Kaduna on Sunday, the "
        "defence ministry said.\n\nAttack helicopters destroyed targets with anti-tank missiles, and "
        "paratroopers landed behind the lines of a mock enemy."
    )
    assert _subs(text) == []


def test_a_cricket_report_is_a_sports_report():
    text = (
        "LAHORE — The home side destroyed the visitors by 140 runs on Sunday, their bowlers ripping through "
        "the batting after a brilliant century from the captain."
    )
    assert _subs(text) == []


def test_a_parade_lead_shows_arms_it_does_not_use_them():
    text = (
        "ABUJA — The armed forces showed off new drones and rocket launchers at a parade in Abuja on Sunday to "
        "mark Armed Forces Day.\n\nOfficials said the new rockets could hit targets 300 kilometres away, and a "
        "video showed a launcher firing rockets near Kaduna."
    )
    assert _subs(text) == []


def test_an_attack_on_a_parade_is_still_an_attack():
    text = "ABUJA — Gunmen opened fire on a military parade in Abuja on Sunday, killing four soldiers, the army said."
    assert _subs(text) != []


def test_weapons_recovered_after_a_clash_do_not_retype_it():
    text = (
        "Troops clashed with rebels near Kujama on Sunday morning, and one soldier and two rebels were killed, "
        "the army said.\n\nSoldiers recovered three rifles, a hand grenade and documents at the site."
    )
    assert _subs(text) == ["Armed clash"]


def test_a_march_that_also_took_place_elsewhere_is_its_own_event_when_the_riot_has_no_town():
    # The riot's quarter is no gazetteer place, so only "also" and the named town tell them apart.
    text = (
        "Hooded youths hurled petrol bombs and rocks at riot police in the old port quarter on Saturday night "
        "after a vigil for a student turned violent, and officers fired tear gas. Five officers were hurt.\n\n"
        "A march also took place in Ibadan on Saturday, where police said about 1,000 people walked without "
        "incident."
    )
    events = extract_events(text, MONDAY)
    assert len(events) == 2
    assert "Ibadan" not in [e.location for e in events if e.sub_event_type != "Peaceful protest"]


def test_what_protesters_also_demanded_is_no_second_protest():
    text = (
        "Market women staged a sit-in outside the council offices on Sunday over a new stall fee. "
        "Protesters also called for more police patrols at the cattle market in Zaria."
    )
    assert len(extract_events(text, MONDAY)) == 1


def test_french_and_spanish_page_labels_are_furniture():
    for line in ("Lire aussi : Des hommes armés tuent six villageois", "Te puede interesar: Sicarios matan a seis"):
        blank = without_furniture(f"Le conseil a voté le budget lundi.\n\n{line}")
        assert blank.startswith("Le conseil") and not blank.split("\n\n")[1].strip(), line
    text = (
        "BOGOTÁ — El concejo aprobó el lunes el presupuesto para las vías rurales.\n\n"
        "Le puede interesar: Hombres armados asesinan a cuatro comerciantes en Cali"
    )
    assert extract_events(text, MONDAY, language="es") == []
