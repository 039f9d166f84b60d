"""Date resolution against the publication date."""

from datetime import date

import pytest

from transforms.extract.dates import find_dates, is_historical

# A Monday.
PUBLISHED = date(2026, 3, 16)


def first(text: str, published: date = PUBLISHED):
    found = [d for d in find_dates(text, published) if not d.statement_date]
    assert found, f"no date found in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("Rockets hit the base on Saturday.", date(2026, 3, 14), "day"),
        ("Gunmen attacked the village late Monday night.", date(2026, 3, 16), "day"),
        ("The convoy was ambushed last Monday.", date(2026, 3, 9), "day"),
        ("The bomb exploded on Dec. 18.", date(2025, 12, 18), "day"),
        ("The bomb exploded on March 12.", date(2026, 3, 12), "day"),
        ("Fighting broke out on 3 March 2026.", date(2026, 3, 3), "day"),
        ("Police said the shooting happened yesterday.", date(2026, 3, 15), "day"),
        ("Two people died in clashes last week.", date(2026, 3, 9), "week"),
        ("Militants seized the town earlier this month.", date(2026, 3, 1), "month"),
        ("The talks collapsed last month.", date(2026, 2, 1), "month"),
        ("The attack took place three days ago.", date(2026, 3, 13), "day"),
    ],
)
def test_relative_and_absolute_dates_resolve_against_publication(text, expected, precision):
    found = first(text)
    assert found.value == expected
    assert found.precision == precision


def test_weekday_of_publication_means_the_same_day_not_a_week_back():
    assert first("Protesters gathered on Monday.").value == PUBLISHED


def test_month_day_after_publication_belongs_to_the_previous_year():
    assert first("It happened on Dec. 30.", date(2026, 1, 2)).value == date(2025, 12, 30)


def test_we_is_not_wednesday_and_may_the_verb_is_not_a_month():
    assert find_dates("We think the group may attack again.", PUBLISHED) == []


def test_speech_verb_dates_are_marked_as_statement_dates():
    dates = find_dates("The ministry said on Sunday that the attack happened on Friday.", PUBLISHED)
    assert [(d.value, d.statement_date) for d in dates] == [(date(2026, 3, 15), True), (date(2026, 3, 13), False)]


def test_old_dates_are_historical_and_recent_ones_are_not():
    old = first("The embassy was attacked in 2019.")
    recent = first("The embassy was attacked on Saturday.")
    assert is_historical(old, PUBLISHED)
    assert not is_historical(recent, PUBLISHED)


def test_week_precision_is_dated_to_the_monday_and_weekend_to_saturday():
    # Published on a Thursday.
    thursday = date(2026, 3, 19)
    assert first("Clashes broke out last week.", thursday).value == date(2026, 3, 9)
    assert first("Fighters moved in over the weekend.", thursday).value == date(2026, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "The gunmen struck on a Tuesday afternoon, years before the peace deal.",
        "Traders there protest every Friday.",
    ],
)
def test_an_unspecified_weekday_is_no_date(text):
    assert [d for d in find_dates(text, PUBLISHED) if d.kind == "weekday"] == []


def test_a_monitoring_slug_dates_with_a_two_digit_year_and_a_day_before_a_month_wins():
    slug = first("Summary of Sahel Radio news 1800 gmt 22 Aug 24", date(2024, 8, 23))
    assert slug.value == date(2024, 8, 22) and slug.explicit
    assert first("On 22 Aug 14 people were hurt.", date(2024, 8, 23)).value == date(2024, 8, 22)


@pytest.mark.parametrize(
    "text",
    [
        "Overnight between 8 and 9 March 2026, gunmen abducted two teachers.",
        "8-9 March: students held a sit-in at the campus.",
        "From 8 to 10 March, troops fought militants near the border.",
    ],
)
def test_a_span_of_days_keeps_its_start(text):
    # "Overnight" alone reads as last night; the named day beats it when the incident is dated.
    assert [d.value for d in find_dates(text, PUBLISHED) if d.explicit] == [date(2026, 3, 8)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # That day's gathering names the day: the latest such day before publication (a Monday).
        ("Gunmen opened fire on a chapel during Sunday mass.", [date(2026, 3, 15)]),
        ("A grenade was thrown at worshippers at Friday prayers.", [date(2026, 3, 13)]),
        # A weekday that names a kind of thing, not a day.
        ("The blast tore through a crowded Sunday market.", []),
        ("The group had threatened the Friday prayers for months.", []),
    ],
)
def test_a_weekday_gathering_is_a_date_only_when_the_act_happened_during_it(sentence, expected):
    assert [d.value for d in find_dates(sentence, PUBLISHED)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "On March 8-9, 2024, militants shelled the camp.",
        "March 8th-9th 2024: jets struck the market.",
        "Fighting flared on March 8th or 9th, 2024, residents said.",
    ],
)
def test_a_month_first_span_of_days_keeps_its_year(text):
    # The year follows the second day: without it the start would fall in the wrong year.
    assert [d.value for d in find_dates(text, PUBLISHED) if d.explicit] == [date(2024, 3, 8)]


from transforms.extract import extract_events  # noqa: E402
from transforms.extract.dates import heading_date  # noqa: E402


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("October 3rd, 2024: Qwerta, Asdfu province", date(2024, 10, 3)),
        ("October 3rd-4th 2024: Qwerta, Asdfu province", date(2024, 10, 3)),
        ("Drone strike near Qwerta – 3 October 2024", date(2024, 10, 3)),
        ("Drone strike near Qwerta, 3 October 2024", date(2024, 10, 3)),
        # A date inside the headline's sentence dates nothing by its place alone.
        ("Drone strike on October 3 kills four in Qwerta", None),
        ("Monday: drone strike kills four", None),
        ("March 20th, 2026: Qwerta", None),  # after publication
        ("Gunmen killed five herders in Qwerta, 3 October 2024.", None),  # a sentence, not a title
    ],
)
def test_a_title_headed_or_closed_by_a_day(title, expected):
    found = heading_date(title, PUBLISHED)
    assert (found.value if found else None) == expected


def test_a_dated_log_title_dates_its_entry_however_old():
    # Casualty logs publish entries months later, their body often naming no day.
    body = "Two civilians were reportedly killed when an air strike hit a house in Mosul."
    events = extract_events(body, PUBLISHED, title="October 3rd, 2025: Mosul, Nineveh province, Iraq")
    assert events and events[0].event_date == date(2025, 10, 3) and not events[0].date_is_fallback
    # The same heading as the text's first line (a feed of titles and summaries).
    events = extract_events("October 3rd, 2025: Mosul, Nineveh province, Iraq\n" + body, PUBLISHED)
    assert events and events[0].event_date == date(2025, 10, 3)
    # A day of the incident's own sentence still comes first.
    own = "On 12 March an air strike hit a house in Mosul, killing two civilians."
    events = extract_events(own, PUBLISHED, title="October 3rd, 2025: Mosul, Nineveh province, Iraq")
    assert events[0].event_date == date(2026, 3, 12)
    # A dated title alone is the whole entry when it names the act; with no word of violence, none.
    events = extract_events("Air strike near Mosul, 3 January 2026", PUBLISHED)
    assert events and events[0].event_date == date(2026, 1, 3)
    # A sentence dated years back is still a retold past.
    assert extract_events("Gunmen killed five herders near Mosul, 3 October 2019.", PUBLISHED) == []
    assert extract_events("October 3rd, 2025: Mosul, Nineveh province, Iraq", PUBLISHED) == []
