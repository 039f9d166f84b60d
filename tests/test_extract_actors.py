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


# ---------------------------------------------------------------- roles (who did what to whom)

from datetime import date  # noqa: E402

from transforms.extract import extract_events  # noqa: E402
from transforms.extract.roles import PERPETRATOR, TARGET, sentence_roles  # noqa: E402


def roles_in(sentence, trigger_word):
    hits = find_actors(sentence)
    found = sentence_roles(sentence, (0, len(sentence)), hits, sentence.index(trigger_word))
    return {h.surface: (r.role, r.rule) for h, r in zip(hits, found, strict=False)}


def actors_of(text, published=date(2026, 3, 12)):
    events = extract_events(text, published)
    assert events, "an incident is reported"
    return {a.role: a.name for a in events[0].actors}


def test_subject_of_a_passive_verb_is_the_victim():
    roles = roles_in("Seven soldiers were killed when militants attacked a checkpoint.", "killed")
    assert roles["soldiers"] == (TARGET, "passive")
    assert roles["militants"][0] == PERPETRATOR


def test_died_when_names_victims_and_the_when_clause_names_the_attackers():
    roles = roles_in("Ten people, among them eight soldiers, died when insurgents overran an army post.", "overran")
    assert roles["soldiers"] == (TARGET, "passive")
    assert roles["insurgents"] == (PERPETRATOR, "agent")
    assert roles["army post"][0] == TARGET


def test_killed_as_militants_hit_a_garrison():
    text = (
        "MAIDUGURI — Twelve soldiers were killed as militants hit an army garrison in Gwoza, "
        "Borno state, on Tuesday night, officials said."
    )
    actors = actors_of(text)
    assert actors["target"] == "Military forces of Nigeria"
    assert actors["perpetrator"] == "Unidentified armed group"


def test_object_of_killing_is_the_victim():
    roles = roles_in("Gunmen stormed the village, killing nine soldiers and two herders.", "stormed")
    assert roles["Gunmen"] == (PERPETRATOR, "agent")
    assert roles["soldiers"] == (TARGET, "object")


def test_by_phrase_names_the_perpetrator_wherever_it_stands():
    roles = roles_in("A convoy was ambushed on Monday by suspected Al-Shabaab fighters near Afgoye.", "ambushed")
    assert roles["Al-Shabaab"] == (PERPETRATOR, "by")
    assert roles["fighters"] == (PERPETRATOR, "by")  # "Al-Shabaab fighters" is one actor


def test_agent_of_an_active_verb_outranks_an_actor_named_first():
    # "Nigerian troops" come first in the sentence, but the militants did the attacking.
    text = (
        "MAIDUGURI — Nigerian troops lost six men on Sunday when ISWAP fighters stormed "
        "a military base in Marte, Borno state, the army said."
    )
    actors = actors_of(text)
    assert actors["perpetrator"] == "Islamic State West Africa Province"
    assert actors["target"] == "Military forces of Nigeria"


def test_claim_of_responsibility_outranks_a_mere_mention():
    text = (
        "MOGADISHU — Gunmen attacked a police station in Afgoye on Saturday night, killing three "
        "officers, police said. Al-Shabaab claimed the attack in a statement on its radio station."
    )
    actors = actors_of(text)
    assert actors["perpetrator"] == "Al-Shabaab"
    assert actors["target"] == "Police forces of Somalia"


def test_attackers_named_as_a_groups_fighters_are_attributed_to_it():
    text = (
        "MAIDUGURI — Militants overran an army garrison in Damasak, Borno state, on Friday, killing "
        "eleven soldiers, officials said. The fighters belong to ISWAP, which operates around Lake Chad."
    )
    assert actors_of(text)["perpetrator"] == "Islamic State West Africa Province"


def test_installations_of_state_forces_are_targets():
    roles = roles_in("Insurgents attacked a military base and a checkpoint near the town.", "attacked")
    assert roles["military base"] == (TARGET, "installation")
    assert roles["checkpoint"] == (TARGET, "installation")


def test_forces_that_repelled_an_attack_are_not_its_perpetrator():
    roles = roles_in("Security forces repelled an attack by jihadists on the town.", "attack")
    assert roles["Security forces"] == (TARGET, "defender")
    assert roles["jihadists"] == (PERPETRATOR, "by")
    text = (
        "NIAMEY — Soldiers repelled an attack by hundreds of jihadists on an army post near "
        "Tillaberi on Saturday, killing dozens of assailants, the defence ministry said."
    )
    actors = actors_of(text)
    assert actors["perpetrator"] == "Unidentified armed group"
    assert actors["target"] == "Military forces of Niger"


def test_opponent_of_victims_in_a_firefight_is_the_perpetrator():
    roles = roles_in("Three soldiers were killed in a firefight with FARC dissidents in Cauca.", "firefight")
    assert roles["soldiers"] == (TARGET, "passive")
    assert roles["FARC dissidents"] == (PERPETRATOR, "opponent")


def test_people_in_an_attack_on_a_market_are_civilian_targets():
    roles = roles_in("Militants opened fire on a crowded market, killing twelve traders.", "opened fire")
    assert roles["Militants"] == (PERPETRATOR, "agent")
    assert roles["market"][0] == TARGET
    assert roles["traders"][0] == TARGET


def test_verbs_of_another_event_in_the_sentence_do_not_decide():
    roles = roles_in(
        "Troops recaptured the town on Saturday, two months after al-Shabab fighters overran it.", "recaptured"
    )
    assert roles["Troops"][0] == PERPETRATOR
    assert roles["al-Shabab"] == (TARGET, "order")


def test_affiliate_keeps_its_own_name():
    assert normalise_actor_name("ISWAP") == "islamic state west africa province"
    assert normalise_actor_name("Islamic State's West Africa Province") == "islamic state west africa province"
    assert normalise_actor_name("ISWAP") != normalise_actor_name("Islamic State")
    assert (
        names("fighters of the Islamic State West Africa Province (ISWAP)")[1][1]
        == "Islamic State West Africa Province"
    )


def test_reduced_passive_soldiers_killed_in_an_attack_by():
    roles = roles_in("The army buried 14 soldiers killed in an attack by Islamic State militants on a base.", "attack")
    assert roles["soldiers"] == (TARGET, "passive")
    assert roles["Islamic State militants"] == (PERPETRATOR, "by")


def test_parent_group_named_in_an_affiliates_country_is_the_affiliate():
    text = (
        "MAIDUGURI — Islamic State militants attacked an army base in Damboa, Borno state, on Tuesday "
        "night, killing nine soldiers, military sources said."
    )
    assert actors_of(text)["perpetrator"] == "Islamic State West Africa Province"
    text = (
        "BAGHDAD — Islamic State militants attacked an army checkpoint near Tarmiyah, north of Baghdad, "
        "on Tuesday night, killing four soldiers, security sources said."
    )
    assert actors_of(text)["perpetrator"] == "Islamic State"


def test_what_people_were_killed_in_is_the_perpetrator():
    roles = roles_in("Four people were killed and 17 injured in Israeli air strikes on the port.", "air strikes")
    assert roles["Israeli air strikes"] == (PERPETRATOR, "cause")
    assert roles["people"][0] == TARGET


def test_killed_at_least_is_an_active_verb():
    roles = roles_in("Suspected ADF rebels killed at least 18 civilians in a raid.", "killed")
    assert roles["ADF rebels"] == (PERPETRATOR, "agent")
    assert roles["civilians"][0] == TARGET


def test_ground_is_taken_from_the_loser():
    roles = roles_in("The army said it had retaken the island from Boko Haram fighters after a battle.", "retaken")
    assert roles["Boko Haram fighters"] == (TARGET, "loser")


def test_two_sides_of_a_fight_the_first_is_the_perpetrator():
    roles = roles_in("Army troops and police officers exchanged fire at a checkpoint.", "exchanged fire")
    assert roles["Army troops"][0] == PERPETRATOR
    assert roles["police officers"][0] == PERPETRATOR


def test_a_group_linked_to_another_is_coded_as_the_one_it_names():
    hits = find_actors("Islamic State-linked ADF militia attacked the village.")
    assert [(h.name, h.named) for h in hits][:2] == [("Islamic State", False), ("Allied Democratic Forces", True)]
    text = (
        "BAMAKO — At least six Malian soldiers were killed on Thursday when al-Qaeda-linked fighters "
        "ambushed a convoy near Dioura, security sources said."
    )
    actors = actors_of(text)
    assert actors["perpetrator"] == "Jama'at Nusrat al-Islam wal-Muslimin"
    assert actors["target"] == "Military forces of Mali"


def test_the_grammatical_victim_beats_a_group_named_in_the_background():
    text = (
        "MEXICO CITY — Gunmen abducted five members of a family from their home in Culiacan on Sunday, "
        "prosecutors said, amid a war between factions of the Sinaloa Cartel."
    )
    assert actors_of(text)["target"] == "Civilians"


def test_who_reports_the_incident_is_not_a_party_to_it():
    roles = roles_in("Unidentified men lobbed a grenade at a house late on Saturday, police said.", "grenade")
    assert roles["police"] == ("source", "source")
    roles = roles_in("The state broadcaster said soldiers cleared the town on Saturday.", "cleared")
    assert roles["soldiers"][0] == PERPETRATOR  # the subject of the reported clause is no source


def test_violence_against_civilians_targets_civilians_even_when_a_police_post_was_hit():
    text = (
        "PORT-AU-PRINCE — Gang members attacked the town of Mirebalais overnight on Sunday, setting fire "
        "to the police station. At least four civilians were shot dead, the mayor said."
    )
    events = extract_events(text, date(2026, 3, 12))
    vac = [e for e in events if e.event_type == "Violence against civilians"]
    assert vac and [a.name for a in vac[0].targets] == ["Civilians"]


def test_a_speaker_reporting_its_own_action_is_the_actor():
    roles = roles_in("Chad's army said on Sunday it had retaken the island from Boko Haram fighters.", "retaken")
    assert roles["army"][0] == PERPETRATOR  # not dropped as the source of the report


def test_a_groups_office_speaking_is_a_source():
    roles = roles_in(
        "A bomber blew himself up among people queuing in Kabul, killing five, the Taliban's interior ministry said.",
        "blew himself up",
    )
    assert roles["Taliban's"] == ("source", "source")


def test_attacks_on_police_outposts_target_the_police():
    roles = roles_in("A mob attacked a police outpost and set vehicles on fire.", "attacked")
    assert roles["police outpost"] == (TARGET, "installation")


def test_killing_objects_are_victims_even_outside_the_triggers_clause():
    roles = roles_in(
        "A bomb attached to a police vehicle exploded in Kunduz, killing two police officers, "
        "officials said after the suicide bombing.",
        "suicide bombing",
    )
    assert roles["police vehicle"] == (TARGET, "installation")
    assert roles["police officers"][0] == TARGET


def test_a_group_saying_its_fighters_carried_out_the_attack_claims_it():
    text = (
        "KABUL — A suicide bomber blew himself up outside a government office in Kabul on Tuesday, "
        "killing five people, officials said. Islamic State Khorasan Province said in a statement "
        "that one of its fighters had carried out the attack."
    )
    assert actors_of(text)["perpetrator"] == "Islamic State Khorasan Province"


def test_police_reporting_a_lynching_do_not_make_it_a_riot_against_them():
    text = (
        "JUBA — A mob beat a truck driver to death in Juba on Thursday after his lorry hit a "
        "motorcycle taxi, police said."
    )
    events = extract_events(text, date(2026, 3, 12))
    assert events and events[0].sub_event_type == "Mob violence"


def test_clashes_between_x_and_y():
    roles = roles_in(
        "Six fighters were killed in clashes between the National Liberation Army (ELN) and FARC dissidents in Arauca.",
        "clashes",
    )
    assert roles["National Liberation Army"] == (PERPETRATOR, "between")
    assert roles["ELN"] == (PERPETRATOR, "between")
    assert roles["FARC dissidents"] == (TARGET, "between")


def test_suspicion_does_not_name_the_perpetrator_but_blame_does():
    suspected = (
        "CUCUTA, Colombia — Unidentified attackers threw two grenades at a police station in Cucuta on "
        "Saturday night, injuring two officers, police said. Authorities suspect the ELN."
    )
    assert actors_of(suspected)["perpetrator"] == "Unidentified armed group"
    blamed = (
        "CUCUTA, Colombia — Unidentified attackers threw two grenades at a police station in Cucuta on "
        "Saturday night, injuring two officers, police said. The governor blamed the ELN."
    )
    assert actors_of(blamed)["perpetrator"] == "National Liberation Army"


def test_a_claim_naming_one_of_two_attacks_goes_to_that_attack():
    text = (
        "MOGADISHU — Gunmen shot dead three traders at a market in Afgoye on Friday, police said.\n\n"
        "On Saturday, a roadside bomb struck a minibus near Wanlaweyn, killing five passengers, officials said.\n\n"
        "Al-Shabaab claimed the minibus attack in a statement."
    )
    events = extract_events(text, date(2026, 3, 12))
    by_type = {e.sub_event_type: e for e in events}
    assert [a.name for a in by_type["Remote explosive/landmine/IED"].perpetrators] == ["Al-Shabaab"]
    assert [a.name for a in by_type["Attack"].perpetrators] == ["Unidentified armed group"]


def test_by_phrase_with_a_quoted_number_and_a_patrol_as_target():
    roles = roles_in(
        'On Saturday, a patrol near Tera was attacked by "several hundred" fighters on motorcycles.', "attacked"
    )
    assert roles["fighters"] == (PERPETRATOR, "by")
    assert roles["patrol"] == (TARGET, "installation")


def coded_actors(text, published=date(2026, 3, 12)):
    events = extract_events(text, published)
    assert events, "an incident is reported"
    return {a.role: (a.name, a.actor_type) for a in events[0].actors}


def test_a_states_forces_abroad_are_external_forces_and_at_home_state_forces():
    abroad = coded_actors(
        "On 10 March 2026, French troops carried out an airstrike near Menaka in Mali, killing four militants."
    )
    assert abroad["perpetrator"] == ("Military forces of France", "External/Other forces")
    home = coded_actors("On 10 March 2026, Malian troops carried out an airstrike near Menaka, killing four militants.")
    assert home["perpetrator"] == ("Military forces of Mali", "State forces")


def test_front_line_positions_name_the_force_holding_them():
    hits = names("Artillery shelled Ukrainian positions and Russian servicemen near Bakhmut.")
    assert ("Ukrainian positions", "Military forces of Ukraine", "State forces") in hits
    assert ("Russian servicemen", "Military forces of Russia", "State forces") in hits


def test_the_side_that_repels_an_assault_is_the_other_side_of_the_battle():
    actors = coded_actors(
        "On 11 March 2026, Sudanese troops assaulted rebel lines near Kadugli but were repelled by SPLM-N fighters."
    )
    assert actors["perpetrator"][1] == "State forces"
    assert actors["target"][0] != actors["perpetrator"][0] and actors["target"][1] in (
        "Rebel group",
        "Political militia",
    )


def test_guards_and_rangers_are_state_forces():
    hits = names("Gunmen attacked prison guards and park rangers.")
    assert [h[2] for h in hits] == ["Political militia", "State forces", "State forces"]


def test_a_dispersed_protest_and_arrests_and_burnt_homes_have_their_usual_counterparts():
    # No force is named: the police broke up the march, as a rule.
    protest = coded_actors("On 11 March 2026, a march by teachers in Kisumu was broken up with tear gas.")
    assert protest["target"] == ("Police forces of Kenya", "State forces")
    arrests = coded_actors("On 11 March 2026, police in Mombasa arrested 14 people over a land dispute.")
    assert arrests["target"] == ("Civilians", "Civilians")
    burnt = coded_actors("On 11 March 2026, unidentified men set fire to six houses in a village near Garissa.")
    assert burnt["target"] == ("Civilians", "Civilians")


def test_a_named_community_is_its_militia_when_it_attacks_and_its_people_when_attacked():
    hits = names("Turkana raiders and Hawiye clansmen fought; the Berom Youth Council condemned it.")
    assert ("Turkana raiders", "Turkana ethnic militia", "Identity militia") in hits
    assert ("Hawiye clansmen", "Hawiye clan militia", "Identity militia") in hits
    assert not any(h[0].startswith("Berom") for h in hits)  # an organisation's name, not the community
    attack = coded_actors("On 11 March 2026, gunmen killed six Murle herders at a cattle camp near Pibor.")
    assert attack["target"] == ("Civilians", "Civilians")


def test_farmers_who_attack_are_a_communal_militia_and_farmers_attacked_are_civilians():
    doers = coded_actors("On 11 March 2026, armed farmers attacked a herders' camp near Lafia, killing three people.")
    assert doers["perpetrator"] == ("Communal militia", "Identity militia")
    victims = coded_actors("On 11 March 2026, gunmen shot dead four farmers in their fields near Lafia.")
    assert victims["target"] == ("Civilians", "Civilians")


def test_an_ally_named_after_backed_by_is_not_the_doer():
    roles = roles_in("Army troops backed by local vigilantes recaptured the town from the insurgents.", "recaptured")
    assert roles["Army troops"][0] == PERPETRATOR
    assert roles["vigilantes"] == (PERPETRATOR, "ally")


def test_a_local_government_area_is_no_government_actor():
    hits = names("Gunmen struck Yelwa in Guma local government area; the federal government condemned it.")
    assert [h[1] for h in hits] == ["Unidentified armed group", "Government of {country}"]
    assert hits[1][0] == "federal government"


def test_one_sided_developments_take_the_armed_actor_named_and_arrests_the_police():
    moving = coded_actors("On 6 March 2026, about thirty armed men on motorcycles were seen moving through Gaya.")
    assert moving == {"perpetrator": ("Unidentified armed group", "Political militia")}
    deployed = coded_actors("On 6 March 2026, soldiers deployed to Segbana after reports of armed men in the area.")
    assert deployed == {"perpetrator": ("Military forces of Benin", "State forces")}
    arrested = coded_actors("On 6 March 2026, the deputy mayor of Maradi in Niger was arrested on fraud charges.")
    assert arrested["perpetrator"][1] == "State forces" and arrested["perpetrator"][0].startswith("Police forces")


def test_who_defused_or_intercepted_is_the_actor_and_whose_device_the_other_party():
    actors = coded_actors(
        "On 11 March 2026, soldiers defused a roadside bomb planted by ISWAP fighters near Monguno, Nigeria."
    )
    assert actors["perpetrator"] == ("Military forces of Nigeria", "State forces")
    assert actors["target"] == ("Islamic State West Africa Province", "Rebel group")


def test_property_destroyed_by_unknown_people_is_coded_to_an_unidentified_armed_group():
    actors = coded_actors(
        "On 11 March 2026, unknown individuals set ablaze a granary and two sheds on a farm near Kandi, Benin."
    )
    assert actors["perpetrator"] == ("Unidentified armed group", "Political militia")


def test_an_explosion_whose_report_counts_civilians_harmed_targets_civilians():
    hit = coded_actors(
        "On 11 March 2026, Russian drones struck Sumy, Ukraine. Two civilians were killed and one was injured."
    )
    assert hit["target"] == ("Civilians", "Civilians")
    positions = coded_actors("On 11 March 2026, Russian artillery shelled Ukrainian positions near Sumy, Ukraine.")
    assert positions["target"] == ("Military forces of Ukraine", "State forces")
