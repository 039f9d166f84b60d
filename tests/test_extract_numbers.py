"""Casualty counts from one sentence."""

import pytest

from transforms.extract.numbers import find_casualties, parse_number


@pytest.mark.parametrize(
    "sentence, fatalities, injured",
    [
        ("At least 12 people were killed and dozens wounded in the blast.", 12, 12),
        ("Two soldiers and three civilians were killed.", 5, None),
        ("The attack killed three soldiers and wounded five others.", 3, 5),
        ("Gunmen shot dead a police officer on Monday.", 1, None),
        ("A soldier was killed and two others were injured.", 1, 2),
        ("The death toll rose to 15 on Tuesday.", 15, None),
        ("The explosion left four dead and 11 injured.", 4, 11),
        ("Twenty-three people died in the attack.", 23, None),
        ("The clash killed four soldiers and three militants, officials said.", 7, None),
        ("A mob beat two men to death in the market.", 2, None),
        ("The convoy was hit near the bridge.", None, None),
    ],
)
def test_counts_in_a_sentence(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)


def test_no_casualties_is_zero_not_unknown():
    assert find_casualties("No casualties were reported.").none_reported
    assert find_casualties("There was no fighting.").none_reported


def test_no_one_claiming_responsibility_is_not_a_casualty_report():
    assert not find_casualties("No one claimed responsibility for the attack.").none_reported


@pytest.mark.parametrize(
    "text, value", [("seven", 7), ("twenty-one", 21), ("a dozen", 12), ("1,200", 1200), ("dozens", 12)]
)
def test_number_words(text, value):
    assert parse_number(text) == value


def test_appositions_are_a_subset_of_the_toll():
    assert find_casualties("At least seven people, three of them children, were killed.").fatalities == 7
    assert find_casualties("Thirteen people, among them 12 soldiers, died in the raid.").fatalities == 13


def test_tolls_of_different_sides_add_up_across_sentences():
    from transforms.extract.numbers import combine_fatalities

    first = find_casualties("The army said it had killed 30 militants.")
    second = find_casualties("Four soldiers were killed, it said.")
    repeat = find_casualties("The 30 militants killed were buried in the forest.")
    groups = list(first.fatality_groups + second.fatality_groups + repeat.fatality_groups)
    assert combine_fatalities(groups) == 34


def test_ages_are_not_counts():
    assert find_casualties("One worker, Rahima Begum, 23, died in hospital on Sunday.").fatalities == 1
    assert find_casualties("A man aged 45 was killed in the blast.").fatalities == 1


@pytest.mark.parametrize(
    "sentence, fatalities",
    [
        ("A 24-year-old man was killed in the attack.", 1),
        ("A 24-year-old man and his 19-year-old cousin were shot dead.", 2),
        ("Police said a 41-year-old teacher and two of her pupils were killed.", 3),
        ("Gunmen killed 30-year-old Amina and two others.", 3),
        ("Two herders, aged 24 and 31, were killed.", 2),
    ],
)
def test_ages_are_never_summed_into_a_toll(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


def test_dates_and_years_are_not_counts():
    assert find_casualties("On 14 October 2024, a civilian was killed by a mine.").fatalities == 1
    assert find_casualties("On February 4, soldiers executed nine detainees.").fatalities == 9


@pytest.mark.parametrize(
    "sentence, fatalities",
    [
        ("Insurgent group kills 18 villagers near Gao", 18),
        ('Police "kill" 14 bandits in forest raid', 14),
        ("Militants execute 6 hostages", 6),
        ("Twin blasts kill 9 at market", 9),
    ],
)
def test_headline_present_tense_and_quoted_verbs_give_the_toll(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


def test_a_count_after_killed_and_a_count_before_wounded_are_two_tolls():
    found = find_casualties("The ambush killed three soldiers and two others were wounded.")
    assert (found.fatalities, found.injured) == (3, 2)


@pytest.mark.parametrize(
    "sentence, fatalities",
    [
        ("Soldiers shot and killed the herder near the well.", 1),
        ("A crowd stoned to death a suspected thief at the market.", 1),
        ("Gunmen assassinated a local councillor outside his home.", 1),
        ("Gunmen killed the sons of the chief.", None),  # plural victims, uncounted: no toll of one
        ("The rebels killed time waiting for the convoy.", None),
    ],
)
def test_one_victim_named_by_a_singular_noun_is_one_death(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


def test_a_singular_victim_after_and_belongs_to_another_verb():
    # The two rebels (a count whose noun takes an "of" phrase) died; the soldier after "and" was wounded.
    found = find_casualties("Two rebels of the northern front were killed and a soldier was wounded.")
    assert (found.fatalities, found.injured) == (2, 1)


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        ("Two members of a hill village defence group were killed on Sunday.", 2),
        ("Three members of the same household were shot dead at a checkpoint.", 3),
        ("Four members of the river police were killed and two others injured.", 4),
        ("Six members of an armed band and a shopkeeper died in the exchange.", 7),
        ("One of the two guards was killed.", 1),
        ("A couple of farmers were killed.", 2),
    ],
)
def test_a_count_whose_noun_takes_an_of_phrase_counts_the_noun(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injured"),
    [
        ("Gunmen killed three guards, wounded seven others and torched a truck.", 3, 7),
        ("The blast killed a soldier, injured two passers-by.", 1, 2),
        ("Raiders stormed the hamlet and killed four herders, wounded two and burned huts.", 4, 2),
    ],
)
def test_a_count_after_an_active_verb_is_its_object_not_the_next_participles_subject(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        ("At least 1,200 people were killed in the months of fighting.", 1200),
        ("More than 2,000 villagers have died since the siege began.", 2000),
        ("Officials said the offensive killed 1,350, a figure the rebels dispute.", 1350),
        ("Some 1,500 soldiers and 40 civilians were killed.", 1540),
        ("Three herders, two of them brothers, were killed.", 3),
    ],
)
def test_a_comma_inside_a_numeral_groups_thousands(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        ("A provisional toll showed eight dead after the market blast.", 8),
        ("A hospital source counted eleven dead.", 11),
        ("A farmer was killed in the raid.", 1),
    ],
)
def test_an_article_is_a_count_only_when_no_other_count_names_the_toll(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injured"),
    [
        # The wounded who die later are dead, whatever the phrase that says they were wounded.
        ("Three soldiers, wounded in the attack, died later.", 3, None),
        ("Four herders hurt in the raid later died at the clinic.", 4, None),
        ("The two wounded guards succumbed overnight.", 2, None),
        ("Five villagers who were injured by the blast have since died.", 5, None),
        ("The bomb wounded six travellers, who later died in hospital.", 6, None),
        # A part of the wounded: the part is dead, the wounded stay counted.
        ("Eight were injured, three of whom died later.", 3, 8),
        ("Nine porters were wounded and two of them later died.", 2, 9),
        ("Two of the wounded passed away on Tuesday.", 2, None),
    ],
)
def test_the_wounded_who_die_later_are_dead(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injured"),
    [
        # Their own clause ends before the death: someone else died, or no one did.
        ("Three soldiers, wounded in the attack, were flown to the capital.", None, 3),
        ("Three soldiers were wounded and a driver died.", 1, 3),
        ("Four guards, wounded at the gate, said two comrades died.", 2, 4),
        ("Ten miners injured in the raid said the fighting died down.", None, 10),
        ("The attack wounded two pupils, who were treated and sent home.", None, 2),
        ("Twelve people were wounded, four of them badly.", None, 12),
    ],
)
def test_a_later_death_is_not_read_into_someone_elses_clause(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injured"),
    [
        # A count before an active verb with an object is the subject, not the dead.
        ("Two gunmen killed three farmers at the well.", 3, None),
        ("A soldier shot dead a civilian at the checkpoint.", 1, None),
        ("Three attackers shot dead a guard and wounded two others.", 1, 2),
        # No object: the count is the dead ("killed in", "died two days later").
        ("Two soldiers killed in an ambush on the highway.", 2, None),
        ("Ten others died two days later when their patrol was ambushed.", 10, None),
        ("Two soldiers killed the previous night were buried on Monday.", 2, None),
    ],
)
def test_a_count_before_an_active_verb_is_its_subject(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        ("The man was stabbed to death by a crowd in the market.", 1),
        ("The driver was beaten to death after the crash.", 1),
        ("The soldier was wounded in the leg.", None),
    ],
)
def test_one_named_victim_as_the_subject_of_a_death(sentence, fatalities):
    assert find_casualties(sentence).fatalities == fatalities


@pytest.mark.parametrize(
    "sentence, fatalities, injured",
    [
        # An age in words is no count.
        ("A boy aged eleven was killed when the shell hit his school.", 1, None),
        ("Two shepherds aged 15 and 17 were wounded by the mine.", None, 2),
        # The count after the phrase: "burned to death two men".
        ("Villagers beat and stoned to death three suspected rustlers.", 3, None),
        # Statement words for killing count fighters and soldiers, not things or vague boasts.
        ("Some 25 assailants were neutralised during the operation.", 25, None),
        ("The army regretted the loss of three soldiers.", 3, None),
        ("Engineers neutralised four explosive devices.", None, None),
        ("The army said it had neutralised dozens of terrorists.", None, None),
        ("The regiment reported the loss of two armoured vehicles.", None, None),
        # A revised count of the killed: "the number of people killed has risen to".
        ("The number of people killed in the market blast has risen to nineteen.", 19, None),
    ],
)
def test_ages_statement_words_and_revised_counts(sentence, fatalities, injured):
    found = find_casualties(sentence)
    assert (found.fatalities, found.injured) == (fatalities, injured)
