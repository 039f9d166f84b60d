"""Gazetteer lookups and context-aware place resolution."""

from collections import Counter

import pytest

from transforms.extract.gazetteer import clean_admin1, load_gazetteer, normalise
from transforms.extract.places import country_context, find_place_spans, link_hierarchy, resolve_all, with_surroundings


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def resolved(text, gazetteer, source_country=None):
    spans = find_place_spans(text, gazetteer)
    context = country_context(spans, source_country)
    return resolve_all(with_surroundings(text, spans), context)


def test_city_with_admin1_and_coordinates(gazetteer):
    places = resolved("A car bomb exploded in Mosul, Iraq.", gazetteer)
    mosul = next(p for p in places if p.surface == "Mosul")
    assert mosul.place.country_iso2 == "IQ"
    assert mosul.place.admin1 == "Nineveh"  # admin1_overrides.csv over GeoNames "Ninawa"
    assert abs(mosul.place.latitude - 36.34) < 0.1
    assert mosul.geo_precision == 1


def test_alias_table_covers_landmarks(gazetteer):
    places = resolved("Rockets landed in the Green Zone in Baghdad.", gazetteer)
    assert {p.place.name for p in places} >= {"Baghdad - Green Zone", "Baghdad"}


def test_lowercase_words_and_stoplisted_capitals_are_not_places(gazetteer):
    surfaces = {s.surface for s in find_place_spans("Police said the men were on patrol as they fled.", gazetteer)}
    assert surfaces == set()


def test_context_country_disambiguates_namesakes(gazetteer):
    # There is a Tripoli in Libya and one in Lebanon; the article's country decides.
    lebanon = resolved("Clashes erupted in Tripoli, in northern Lebanon, on Friday.", gazetteer)
    libya = resolved("Armed groups clashed in Tripoli, Libya's capital, on Friday.", gazetteer)
    assert next(p for p in lebanon if p.surface == "Tripoli").place.country_iso2 == "LB"
    assert next(p for p in libya if p.surface == "Tripoli").place.country_iso2 == "LY"


def test_source_country_is_a_tie_breaker(gazetteer):
    spans = find_place_spans("Gunmen attacked a bus near Hyderabad.", gazetteer)
    for source, expected in (("PK", "PK"), ("IN", "IN")):
        places = resolve_all(
            with_surroundings("Gunmen attacked a bus near Hyderabad.", spans), country_context(spans, source)
        )
        assert places[0].place.country_iso2 == expected


def test_near_a_town_lowers_precision(gazetteer):
    places = resolved("A roadside bomb exploded near Kismayo in Somalia.", gazetteer)
    kismayo = next(p for p in places if p.surface == "Kismayo")
    assert kismayo.near and kismayo.geo_precision == 2


def test_small_foreign_namesakes_without_context_are_dropped(gazetteer):
    # "Ali" is a village name in several countries; nothing in the text points to one.
    assert resolved("Ali told reporters the market was closed.", gazetteer) == []


def test_person_titles_block_place_reading(gazetteer):
    assert all(p.surface != "Bello" for p in resolved("President Bello visited Nigeria's Borno State.", gazetteer))


def test_normalise_and_admin1_cleaning():
    assert normalise("Deir ez-Zor") == "deir ez zor"
    assert normalise("Sana’a") == "sanaa"
    assert clean_admin1("Muhafazat Kirkuk") == "Kirkuk"
    assert clean_admin1("Basra Governorate") == "Basra"


# ---------------------------------------------------------------- pattern classes (own wording)

from transforms.extract import extract_events  # noqa: E402
from transforms.extract.gazetteer import (  # noqa: E402
    DUMP_ENV,
    KIND_ADMIN1,
    KIND_ADMIN2,
    _inputs_key,
    build_gazetteer,
    prune_cache,
    read_geonames_dump,
    variant_key,
)
from transforms.extract.places import (  # noqa: E402
    PlaceSpan,
    admin_agreement,
    country_agreement,
    feature_level,
    name_match,
    population_weight,
    resolve_text,
)


def places_of(text, source_country=None):
    return {p.surface: p for p in resolve_text(text, source_country)}


def event_of(text, published="2025-03-10"):
    import datetime

    events = extract_events(text, datetime.date.fromisoformat(published))
    assert events, text
    return max(events, key=lambda e: e.confidence)


def test_units_after_a_name_choose_its_namesake():
    # Many Ukrainian villages share a name; the oblast written after it decides which.
    sumy = places_of("Shelling damaged houses in Mykolaivka, Sumy region.")["Mykolaivka"]
    donetsk = places_of("Shelling damaged houses in Mykolaivka, Donetsk region.")["Mykolaivka"]
    assert (sumy.place.admin1, donetsk.place.admin1) == ("Sumy", "Donetsk")
    assert sumy.geo_precision == 1 and sumy.place.latitude != donetsk.place.latitude


def test_unknown_village_falls_back_to_its_district_and_province():
    # The village is in no gazetteer we ship; its commune and department still place it.
    event = event_of("On 3 March 2025, gunmen abducted two herders in Zongo-Kpeto (Savalou, Collines).")
    assert event.country_iso2 == "BJ" and event.admin1 == "Collines"
    assert event.location == "Savalou" and event.geo_precision == 3


def test_district_word_and_province_after_it():
    places = resolve_text("Fighting broke out in Chora district, Uruzgan, on Tuesday.")
    assert [p.place.country_iso2 for p in places] == ["AF"]  # not the Greek island town Chora
    assert places[0].geo_precision == 3


def test_a_named_unit_that_excludes_every_reading_drops_the_name():
    # No Orlivka of the gazetteer lies in the named oblast: the oblast is all we know.
    event = event_of("On 8 March 2025, an air strike hit positions near Orlivka, Kherson region.")
    assert event.admin1 == "Kherson" and event.geo_precision == 3 and event.location != "Orlivka"


def test_a_list_of_cities_is_not_a_hierarchy():
    kinds = {p.surface: p.place.kind for p in resolve_text("Drones hit Kyiv, Kharkiv and Odesa overnight.")}
    assert kinds == {"Kyiv": "city", "Kharkiv": "city", "Odesa": "city"}


def test_spelling_variants_reach_the_same_place():
    assert variant_key("Qandahar") == variant_key("Kandahar")
    assert variant_key("Wagadugu") == variant_key("Ouagadougou")
    assert variant_key("Dnepr") == variant_key("Dnipro")
    assert variant_key("Oruzgan") == variant_key("Uruzgan")
    assert places_of("Students marched in Wagadugu.")["Wagadugu"].place.country_iso2 == "BF"
    assert places_of("Rebels seized Dnepr station, in Ukraine.")["Dnepr"].place.name == "Dnipro"
    hodeidah = places_of("A drone struck the port of Hodeidah.")["Hodeidah"].place
    assert places_of("A drone struck the port of Al Hudaydah.")["Al Hudaydah"].place == hodeidah


def test_a_skeleton_match_needs_a_big_place_or_agreeing_units():
    # "Druze" shares consonants with towns abroad; it is a community, not a place.
    assert "Druze" not in places_of("Clashes between Druze fighters and tribesmen killed six.")


def test_country_follows_from_the_town_or_the_province():
    event = event_of("On 2 March 2025, militants burned a school in Kaya, Centre-Nord.")
    assert (event.country_iso2, event.admin1, event.location) == ("BF", "Centre-Nord", "Kaya")
    # A town found in one country only, written as a place, needs no country named.
    assert event_of("On 4 March 2025, gunmen attacked the police post in Pissila.").country_iso2 == "BF"


def test_a_demonym_of_the_victims_does_not_move_the_place():
    event = event_of("On 5 March 2025, gunmen abducted two Cuban doctors in Mandera and killed their guard.")
    assert event.country_iso2 == "KE" and event.location == "Mandera"


def test_dateline_and_speaking_places_are_not_the_event_place():
    event = event_of(
        "NAIROBI, Kenya — A car bomb killed six people at a checkpoint in Mogadishu on Monday, police said.",
        "2025-03-11",
    )
    assert event.location == "Mogadishu" and event.country_iso2 == "SO"
    assert "Geneva" not in places_of("The envoy, speaking in Geneva, said an air strike killed 12 in Idlib.")


def test_the_capital_named_by_its_country():
    for text in (
        "Rockets hit the Syrian capital overnight.",
        "Rockets hit the capital of Syria overnight.",
        "Rockets hit Syria's capital overnight.",
    ):
        assert [p.place.name for p in resolve_text(text)] == ["Damascus"], text


def test_a_region_alone_is_not_a_point():
    kashmir = places_of("Troops and rebels clashed in Kashmir.")["Kashmir"]
    assert kashmir.geo_precision == 3
    assert places_of("Floods hit Anbar province.")["Anbar"].place.kind == KIND_ADMIN1


@pytest.mark.parametrize(
    "text",
    [
        "Raiders struck two hamlets in the province of Anbar at dawn.",
        "Raiders struck two hamlets in Anbar province at dawn.",
        "Raiders struck two hamlets in the Anbar province at dawn.",
    ],
)
def test_the_unit_word_before_or_after_the_name_makes_it_the_unit(text):
    anbar = places_of(text)["Anbar"]
    assert anbar.place.kind == KIND_ADMIN1
    assert anbar.geo_precision == 3


def test_a_unit_word_of_another_name_does_not_make_the_next_name_a_unit():
    # "the Karrada district of Baghdad": Baghdad is the city the district belongs to.
    assert places_of("A car bomb went off in the Karrada district of Baghdad.")["Baghdad"].geo_precision != 3


def test_a_city_of_its_own_name_is_not_rivalled_by_one_that_once_bore_it():
    # GeoNames lists "Islamabad" as a former name of Chittagong and of Anantnag.
    isl = places_of("Riot police detained dozens of students in Islamabad on Sunday.")["Islamabad"]
    assert (isl.place.country_iso2, isl.geo_precision) == ("PK", 1)


def test_words_and_acronyms_are_not_places():
    assert [p.place.country_iso2 for p in resolve_text("Car bomb kills 10 in south Iraq")] == ["IQ"]
    assert [p.place.country_iso2 for p in resolve_text("Fighting resumed in CAR on Sunday.")] == ["CF"]
    assert places_of("On Jun 14 herders clashed in Garba Tula.").keys() == {"Garba Tula"}


def test_a_street_or_road_named_after_a_town_is_not_that_town():
    assert places_of("Protesters gathered on Haifa Street in Baghdad.").keys() == {"Baghdad"}
    event = event_of("On 9 March 2025, a bomb was defused on the Jammu-Srinagar highway near Udhampur.")
    assert event.location == "Udhampur"


def test_precision_levels():
    assert places_of("A mortar fell in Kismayo.")["Kismayo"].geo_precision == 1
    assert places_of("A mortar fell near Kismayo.")["Kismayo"].geo_precision == 2
    assert places_of("Gunmen raided Zongo-Kpeto (Savalou, Collines).")["Savalou"].geo_precision == 3


def test_iso_second_level_units_are_admin2():
    soum = [p for p in load_gazetteer().lookup("Soum") if p.kind == KIND_ADMIN2]
    assert soum and soum[0].admin1 == "Sahel" and soum[0].country_iso2 == "BF"
    assert soum[0].latitude is not None and soum[0].geo_precision == 3


def _span(surface, candidates=(), **flags):
    return PlaceSpan(
        0,
        len(surface),
        surface,
        tuple(candidates),
        near=False,
        region_word=flags.pop("region_word", False),
        locative=True,
        **flags,
    )


def test_scoring_factors(gazetteer):
    town = next(p for p in gazetteer.lookup("Kaya") if p.country_iso2 == "BF")
    region = next(p for p in gazetteer.lookup("Centre-Nord") if p.kind == KIND_ADMIN1)
    # Name match: own name > alternate > skeleton.
    assert name_match(_span("Kaya"), town) > name_match(_span("Kaya", variant=True), town)
    # Feature level: a region reading needs a unit word or a place inside it.
    assert feature_level(_span("Centre-Nord", region_word=True), region, False) > feature_level(
        _span("Centre-Nord"), region, False
    )
    assert feature_level(_span("Centre-Nord"), region, True) > feature_level(_span("Centre-Nord"), region, False)
    # Population: more is likelier, on a log scale.
    assert population_weight(region) > population_weight(town) > 0
    # Country agreement: the share of the article's votes.
    assert country_agreement(town, Counter({"BF": 3, "ML": 1})) == pytest.approx(4.5)
    # Admin agreement: units beside the name, and provinces the article names elsewhere.
    named = frozenset({("BF", "centre nord")})
    assert admin_agreement(_span("Kaya"), 1, town, frozenset()) == 3.0
    assert admin_agreement(_span("Kaya"), 0, town, named) == 1.0


def test_cache_key_is_content_based_and_pruning_spares_live_files(tmp_path, monkeypatch):
    import os
    import time as time_mod

    from transforms.extract.gazetteer import DATA_DIR

    key = _inputs_key()
    # File times do not count (another checkout has other times), contents do.
    stoplist = DATA_DIR / "place_stoplist.txt"
    times = stoplist.stat()
    try:
        os.utime(stoplist, (times.st_atime + 3600, times.st_mtime + 3600))
        assert _inputs_key() == key
    finally:
        os.utime(stoplist, ns=(times.st_atime_ns, times.st_mtime_ns))
    dump = tmp_path / "tiny.txt"
    dump.write_text("", encoding="utf-8")
    monkeypatch.setenv(DUMP_ENV, str(dump))
    with_dump = _inputs_key()
    monkeypatch.delenv(DUMP_ENV)
    assert with_dump != _inputs_key()
    keep = tmp_path / "gazetteer-aaaa.pickle"
    other = tmp_path / "gazetteer-bbbb.pickle"  # another checkout's, in use
    stale = tmp_path / "gazetteer-cccc.pickle"  # nobody has loaded it for months
    for path in (keep, other, stale):
        path.write_bytes(b"x")
    old = time_mod.time() - 90 * 86400
    os.utime(stale, (old, old))
    assert prune_cache(keep) == [stale]
    assert keep.exists() and other.exists() and not stale.exists()


# A few rows in the GeoNames dump format (tab-separated, 19 columns), with made-up places.
_DUMP_ROWS = [
    # id, name, ascii, alternates, lat, lon, class, code, cc, cc2, admin1, admin2, a3, a4, pop, elev, dem, tz, date
    (
        "9900001",
        "Oukparé",
        "Oukpare",
        "Oukpare Commune",
        "8.10",
        "2.30",
        "A",
        "ADM2",
        "BJ",
        "",
        "11",
        "1199",
        "",
        "",
        "40000",
        "",
        "200",
        "Africa/Porto-Novo",
        "2024-01-01",
    ),
    (
        "9900002",
        "Zinvietolo",
        "Zinvietolo",
        "Zinvie-Tolo",
        "8.1234",
        "2.2345",
        "P",
        "PPL",
        "BJ",
        "",
        "11",
        "1199",
        "",
        "",
        "0",
        "",
        "180",
        "Africa/Porto-Novo",
        "2024-01-01",
    ),
    ("bad-row", "only three fields"),
]


@pytest.fixture(scope="module")
def dump_gazetteer(tmp_path_factory):
    path = tmp_path_factory.mktemp("dump") / "BJ.txt"
    path.write_text("\n".join("\t".join(row) for row in _DUMP_ROWS) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DUMP_ENV, str(path))
        yield path, build_gazetteer()


def test_geonames_dump_reader_skips_bad_lines(dump_gazetteer):
    path, _ = dump_gazetteer
    rows = list(read_geonames_dump(path))
    assert [r["name"] for r in rows] == ["Oukparé", "Zinvietolo"]
    assert rows[1]["admin2code"] == "1199" and rows[1]["latitude"] == pytest.approx(8.1234)


def test_a_user_dump_adds_villages_and_districts(dump_gazetteer):
    _, gazetteer = dump_gazetteer
    text = "Gunmen raided Zinvietolo (Oukpare, Collines) at night."
    with_dump = {p.surface: p for p in resolve_text(text, gazetteer=gazetteer)}
    village = with_dump["Zinvietolo"]
    assert village.place.admin2 == "Oukparé" and village.place.admin1 == "Collines"
    assert village.geo_precision == 1 and village.place.latitude == pytest.approx(8.1234)
    assert with_dump["Oukpare"].place.kind == KIND_ADMIN2
    # Without the dump the village is unknown and only the department places it.
    shipped = {p.surface: p for p in resolve_text(text)}
    assert "Zinvietolo" not in shipped and shipped["Collines"].geo_precision == 3


def test_organisations_named_after_places_are_not_places():
    from transforms.extract.places import event_place

    assert "Amani" not in places_of("A crowd stoned the Amani National Congress leader at a rally in Nairobi.")
    # An institution named after a place stands there: it points at the place, after any
    # place named plainly.
    students = resolve_text("Students of Turkana University College blocked roads in Lodwar.")
    assert event_place([(students, False)], None).place.name == "Lodwar"
    assert [p.surface for p in students if p.institution] == ["Turkana"]
    event = event_of("On 5 March 2025, Embu University students stoned police cars in a protest over fees.")
    assert (event.country_iso2, event.location) == ("KE", "Embu")


def test_skeleton_matches_must_also_look_alike():
    # Same consonants, different names: a Kenyan county is not an Indonesian city.
    from transforms.extract.places import _close_spelling

    assert _close_spelling("Qandahar", "Kandahar") and _close_spelling("Wagadugu", "Ouagadougou")
    assert not _close_spelling("Turkana", "Tarakan")


def test_a_part_of_a_country_is_a_coarse_point_in_that_part():
    north = resolve_text("Jets struck targets in northern Iraq.")[0]
    south = resolve_text("Jets struck targets in southern Iraq.")[0]
    assert north.place.name == "Northern Iraq" and north.geo_precision == 3
    assert north.place.latitude > south.place.latitude


def test_a_demonym_naming_a_region_of_a_neighbour():
    # "Somali" is Somalia's demonym and also a region of Ethiopia: with a region word it is the region.
    event = event_of("On 3 March 2025, militiamen killed 12 herders in the Somali region of Ethiopia.")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("ET", "Somali", 3)


def test_a_missing_dump_is_logged_and_ignored(tmp_path, monkeypatch, caplog):
    from transforms.extract.gazetteer import dump_path

    monkeypatch.setenv(DUMP_ENV, str(tmp_path / "no-such-file.txt"))
    with caplog.at_level("WARNING"):
        assert dump_path() is None
    assert "not a readable file" in caplog.text
    monkeypatch.delenv(DUMP_ENV)
    assert _inputs_key() == _inputs_key()


def test_a_name_alone_is_not_a_foreign_town_when_the_article_points_elsewhere():
    places = places_of("The Obama administration condemned the bombing in Kabul.")
    assert "Obama" not in places and places["Kabul"].place.country_iso2 == "AF"


def test_a_district_agrees_with_the_towns_of_its_region():
    # Shipped towns carry no district code and a district without a seat town sits at its
    # region's centroid (far from Briançon): being in the same region is what agrees.
    places = places_of("Gunmen raided Qwertaville (Briançon, Hautes-Alpes) overnight.")
    town = places["Briançon"]
    assert town.place.country_iso2 == "FR" and town.geo_precision == 3 and town.container
    assert town.admin2 == "Hautes-Alpes"


def test_a_multi_word_unit_still_marks_an_unknown_name():
    # "(Qwerty Sadar, Khulna)": the first unit is unknown too; Khulna is then only the unit.
    khulna = places_of("Police dispersed a rally in Zyxwabad (Qwerty Sadar, Khulna).")["Khulna"]
    assert khulna.place.country_iso2 == "BD" and khulna.geo_precision == 3


def test_actors_give_a_weak_country_prior():
    from transforms.extract.places import actor_prior

    assert actor_prior("Houthi forces fired drones")["YE"] == 1.0
    # Case and whole words: a "pdf" file or a "PDF-style" word is no armed group.
    assert not actor_prior("the report was sent as a pdf; PDF-style forms")
    # A group active in several countries points at its main theatre most.
    prior = actor_prior("al-Shabaab militants ambushed a convoy")
    assert prior.most_common(1)[0][0] == "SO" and 0 < prior["KE"] < prior["SO"]
    # A prior never outweighs a country named outright (3 votes).
    assert actor_prior("Tatmadaw troops and Tatmadaw jets; the Myanmar military")["MM"] <= 1.5


def test_an_actor_alone_gives_the_country_of_an_unknown_village():
    event = event_of("On 3 March 2025, suspected Tatmadaw soldiers burned houses in the village of Qwertaung.")
    # No town: only the country, at its point (precision 3).
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("MM", None, 3)


def test_no_small_village_abroad_when_an_actor_points_elsewhere():
    # A small French village shares the name; the actor places the text in Somalia.
    places = places_of("Al-Shabaab fighters overran a camp in Ruaudin at dawn.")
    assert "Ruaudin" not in places
    # With nothing pointing elsewhere the name still reads as that village.
    assert places_of("Gunmen overran a camp in Ruaudin at dawn.")["Ruaudin"].place.country_iso2 == "FR"


def test_a_border_between_countries_is_not_the_place():
    event = event_of("On 3 March 2025, gunmen killed two traders on the Sudan-Chad border near Geneina.")
    assert event.country_iso2 == "SD" and event.location != "Chad"
    places = places_of("Troops patrolled the Chad border in Darfur.")
    assert places["Chad"].directional


def test_a_part_of_a_country_outranks_a_country_named_as_actor():
    event = event_of("On 3 March 2025, jets from Turkey killed four militants in north Iraq.")
    assert event.country_iso2 == "IQ" and event.location == "Northern Iraq"


def test_a_skeleton_match_casts_no_country_vote(gazetteer):
    # "Kaabongo" only looks like a district abroad by its consonants: it must not make the
    # article point there.
    text = "Troops swept the area of Zyxwoogo, Kaabongo and the hunting reserve."
    spans = link_hierarchy(text, find_place_spans(text, gazetteer))  # read as the unit of "Zyxwoogo"
    assert any(sp.variant and sp.qualifies_unknown for sp in spans)
    assert not country_context([sp for sp in spans if sp.variant], None)


def test_a_unit_written_as_one_stands_beside_a_country_named_elsewhere():
    event = event_of(
        "On 3 March 2025, militants blocked the road near Qwertogo, Nahouri Province, "
        "stopping traders bound for a market across the border in Ghana."
    )
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("BF", "Centre-Sud", 3)


def test_a_national_decision_is_placed_at_the_capital():
    event = event_of("On 3 March 2025, the government of Kenya banned all public rallies across the country.")
    assert event.country_iso2 == "KE" and event.location == "Nairobi" and event.geo_precision == 3
    # A violent event with no place keeps the country alone.
    event = event_of("On 3 March 2025, gunmen killed two Kenyan herders.")
    assert event.latitude is None or event.location != "Nairobi"


def test_a_name_repeated_as_its_district_backs_no_namesake_abroad():
    # "Berlijn" is an alternate name of Berlin; the units written after it lie in Myanmar.
    places = resolve_text("Troops fired near Berlijn town (Berlijn Township, Sittwe District, Rakhine State).")
    assert places and {p.place.country_iso2 for p in places} == {"MM"}
    # A town repeated as its own commune still stands.
    town = places_of("A curfew was set in Savalou (Savalou, Collines).")["Savalou"]
    assert town.place.country_iso2 == "BJ" and town.geo_precision == 1


def test_an_object_with_its_province_after_a_comma():
    # "shelled Qwertivka, Kherson": the unknown village's province, not the city of Kherson.
    event = event_of("On 3 March 2025, Russian forces shelled Qwertivka, Kherson. Casualties unknown.")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("UA", "Kherson", 3)
    assert event.location == "Kherson"


def test_a_province_written_as_a_unit_may_be_a_spelling_variant():
    event = event_of("On 3 March 2025, Russian forces shelled Qwertne, Zaporijia, with artillery.")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("UA", "Zaporizhia", 3)


def test_a_province_is_shown_as_geonames_and_coders_spell_it_and_matched_as_the_news_spell_it():
    # admin1_overrides.csv `more_names`: the news write "Zaporizhzhia", GeoNames and coders "Zaporizhia".
    event = event_of("On 3 March 2025, Russian drones struck villages in the Zaporizhzhia region, officials said.")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("UA", "Zaporizhia", 3)
    assert event.location == "Zaporizhia"


# ---------------------------------------------------------------- offsets: "45 km south of X"

from transforms.extract.places import compass_bearing, destination, distance_km, offset_before  # noqa: E402


def test_destination_moves_the_point_by_distance_and_bearing():
    lat, lon = destination(10.0, 20.0, 100.0, 90.0)
    assert abs(distance_km(10.0, 20.0, lat, lon) - 100.0) < 0.5
    assert abs(lat - 10.0) < 0.05 and lon > 20.0  # due east: same latitude, further east
    south = destination(10.0, 20.0, 50.0, 180.0)
    assert south[1] == 20.0 and abs(distance_km(10.0, 20.0, *south) - 50.0) < 0.5
    assert destination(0.0, 179.9, 50.0, 90.0)[1] < -179  # across the date line


def test_compass_words_become_bearings():
    assert [compass_bearing(w) for w in ("north", "east", "south-west", "northwest", "north-north-east")] == [
        0.0,
        90.0,
        225.0,
        315.0,
        22.5,
    ]
    assert compass_bearing("north-south") is None
    assert (compass_bearing("NE"), compass_bearing("SSW")) == (45.0, 202.5)  # abbreviations, in capitals


def test_offsets_read_from_the_words_before_a_place():
    assert offset_before("troops were ambushed 45 km south of ") == (45.0, 180.0)
    assert offset_before("a camp some thirty kilometres to the north-east of the town of ") == (30.0, 45.0)
    km, bearing = offset_before("a bridge 10 miles (16 km) west of ")
    assert abs(km - 16.09) < 0.01 and bearing == 270.0
    # A distance without a direction, a direction without a distance: near it, no offset.
    assert offset_before("a checkpoint 12 km NE of ") == (12.0, 45.0)
    assert offset_before("a checkpoint 12 km ne of ") is None  # only capitals abbreviate a direction
    assert offset_before("a village 20 km from ") is None
    assert offset_before("fighting south of ") is None
    assert offset_before("a convoy 5000 km north of ") is None  # a travel distance, not a place


def test_an_offset_moves_the_event_point_off_the_town():
    text = "On 4 March 2025, gunmen ambushed a convoy 45 km south of Mombasa, police said."
    event = event_of(text)
    town = places_of("Gunmen ambushed a convoy in Mombasa.")["Mombasa"].place
    assert event.location == "Mombasa" and event.geo_precision == 2
    away = distance_km(town.latitude, town.longitude, event.latitude, event.longitude)
    assert 43 < away < 47 and event.latitude < town.latitude and abs(event.longitude - town.longitude) < 0.01


def test_no_direction_keeps_the_point_on_the_town():
    near = places_of("A mine exploded about 20 km from Mombasa.")["Mombasa"]
    assert near.geo_precision == 2 and (near.latitude, near.longitude) == (near.place.latitude, near.place.longitude)


def test_an_offset_from_a_province_keeps_its_centroid():
    # A province's point is only its centroid: moving it by the offset adds nothing.
    region = places_of("Shells fell 30 km north of Anbar province.")["Anbar"]
    assert region.place.kind == KIND_ADMIN1 and region.latitude == region.place.latitude


# ---------------------------------------------------------------- admin1 codes without a name

from transforms.extract.gazetteer import _seat_named_units  # noqa: E402


def _town(name, code, population=1000, country="KE", alternates=()):
    return {
        "countrycode": country,
        "admin1code": code,
        "name": name,
        "alternatenames": list(alternates),
        "population": population,
    }


def test_an_unnamed_admin1_code_takes_the_name_of_the_iso_unit_whose_seat_it_holds():
    cities = {"1": _town("Nakuru", "99"), "2": _town("Njoro", "99", 500)}
    assert list(_seat_named_units({}, cities, set())) == [(("KE", "99"), "Nakuru", "Nakuru", "KE-31")]
    # An adjectival ISO name ("Poltavska oblast") pairs only with the biggest town of the code.
    cities = {
        "1": _town("Poltava", "77", 280000, "UA"),
        "2": _town("Poltavka", "76", 900, "UA"),
        "3": _town("Dubno", "76", 38000, "UA"),
    }
    assert [u[:2] for u in _seat_named_units({}, cities, set())] == [(("UA", "77"), "Poltava")]


def test_a_code_claimed_by_two_units_or_already_named_is_left_alone():
    # An old code holding the seats of two counties is no one county.
    cities = {"1": _town("Nakuru", "98"), "2": _town("Narok", "98")}
    assert list(_seat_named_units({}, cities, set())) == []
    assert list(_seat_named_units({("KE", "98"): "Somewhere"}, cities, set())) == []


def test_counties_the_shipped_names_lacked_give_country_and_admin1():
    event = event_of("On 6 March 2025, bandits shot dead a herder in Turkana County.")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("KE", "Turkana", 3)
    assert places_of("Drones struck Poltava region overnight.")["Poltava"].place.admin1 == "Poltava"


# ---------------------------------------------------------------- the other side of a border

from transforms.extract.places import event_place  # noqa: E402


def test_the_country_across_a_border_is_not_where_it_happened():
    event = event_of("On 3 March 2025, Kenyan police said gunmen killed a trader near the border with Somalia")
    assert event.country_iso2 == "KE"
    event = event_of("On 3 March 2025, Nigerian troops said a herder who crossed the border from Niger was shot dead")
    assert event.country_iso2 == "NG"
    assert places_of("Protesters gathered outside the embassy of Belarus in Warsaw.").keys() == {"Warsaw"}


def test_a_place_someone_fled_to_gives_way_to_the_lead():
    lead = places_of("Gunmen raided a farm in Kaya, Centre-Nord.")["Kaya"]
    fled = resolve_text("Two of the men were caught later as they fled to Ghana.")
    assert [p.directional for p in fled] == [True]
    place = event_place([(fled, False)], None, lead)
    assert place.place == lead.place and place.near


def test_a_spelling_variant_abroad_yields_to_the_countries_the_article_points_at():
    # "Yaritaga" shares a skeleton with a Venezuelan city; Boko Haram points at Nigeria.
    assert all(p.place.country_iso2 != "VE" for p in resolve_text("Boko Haram fighters abducted a man near Yaritaga."))


def test_communities_named_as_parties_point_at_their_country():
    # No place is named at all: the communities (actor_countries.csv) still give the country.
    raid = event_of("On 3 March 2025, Pokot raiders shot dead two herders and drove off their cattle.")
    clash = event_of("On 4 March 2025, Tiv farmers and Jukun militiamen clashed over farmland, killing five.")
    assert (raid.country_iso2, clash.country_iso2) == ("KE", "NG")


# ---------------------------------------------------------------- the province written beside a town


def test_a_written_province_near_the_town_replaces_the_gazetteers():
    # The gazetteer files Thika under Nairobi; the writer's county is the one to report.
    thika = places_of("Thieves raided a warehouse in Thika town (Kiambu county) at night.")["Thika"]
    assert (thika.place.admin1, thika.geo_precision) == ("Kiambu", 1)


def test_a_written_province_far_from_the_only_reading_leaves_the_province():
    # Kandi lies some 400 km from Mono: this Kandi is another place, and Mono is all we know.
    places = resolve_text("Gunmen burned a granary in Kandi (Kandi, Mono) on Sunday.")
    assert [(p.place.name, p.geo_precision) for p in places] == [("Mono", 3)]


def test_every_unit_after_an_unknown_name_is_only_a_unit():
    # The sub-district is unknown; its district and division both only place it coarsely.
    event = event_of("On 6 March 2025, rival supporters clashed in Boalmari upazila (Faridpur, Dhaka) over the polls.")
    assert (event.country_iso2, normalise(event.location), event.geo_precision) == ("BD", "faridpur", 3)
    unit = places_of("Two shops burned in Fulbaria upazila (Mymensingh), police said.")["Mymensingh"]
    assert unit.place.admin1 == "Mymensingh Division" and unit.geo_precision == 3


# ---------------------------------------------------------------- provinces reported in parts

from transforms.extract.places import admin1_part  # noqa: E402


def test_a_province_reported_in_parts_takes_the_part_of_its_nearest_district_seat():
    parts = {}
    for town in ("Lashio", "Taunggyi", "Tachileik", "Pyay", "Taungoo"):
        event = event_of(f"On 7 March 2025, a grenade exploded at a police post in {town}, Myanmar.")
        parts[town] = event.admin1
    assert parts == {
        "Lashio": "Shan-North",
        "Taunggyi": "Shan-South",
        "Tachileik": "Shan-East",
        "Pyay": "Bago-West",
        "Taungoo": "Bago-East",
    }
    # Elsewhere, and for the province's own centroid, the province stays whole.
    assert admin1_part("MM", "Kachin", 25.4, 97.4) is None
    assert event_of("On 7 March 2025, troops shelled villages in Shan State, Myanmar.").admin1 == "Shan"


def test_a_countrys_refugees_or_embassy_are_away_from_it():
    # "Somalia refugees" are people of Somalia elsewhere: the camp's country is the place.
    assert places_of("Two Somalia refugees were stabbed in a fight in Dadaab camp.").keys() == {"Dadaab"}
    assert places_of("Police guarded the Belarus embassy in Vilnius.").keys() == {"Vilnius"}


def test_a_name_repeated_as_its_own_district_backs_nothing_alone():
    # "Muse township (Muse district)": the repetition says nothing about which Muse it is.
    places = resolve_text("A grenade exploded in Muse township (Muse district) on Monday.")
    assert all(p.place.country_iso2 != "US" for p in places)


def test_a_part_of_a_province_written_as_a_unit():
    # "Shan-North" is a unit of its own (place_aliases.csv): it places the unknown town.
    event = event_of("On 8 March 2025, a mine exploded in Qwertaung township (Kutkai district, Shan-North state).")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("MM", "Shan-North", 3)


def test_a_province_inside_a_part_of_a_country_is_the_place():
    event = event_of("Jets bombed hideouts in northern Iraq's Anbar province on Sunday, the ministry said.")
    assert (event.location, event.geo_precision) == ("Anbar", 3)


def test_a_province_only_event_is_placed_at_the_provinces_seat():
    # Coders put an event known only by its province at the provincial capital; the gazetteer
    # knows the seat as the province's biggest town (Kherson city, not the oblast's middle).
    gazetteer = load_gazetteer()
    event = event_of("On 3 March 2025, Russian forces shelled Qwertivka, Kherson. Casualties unknown.")
    city = next(p for p in gazetteer.lookup("Kherson") if p.kind == "city" and p.country_iso2 == "UA")
    assert (event.admin1, event.geo_precision) == ("Kherson", 3)
    assert distance_km(event.latitude, event.longitude, city.latitude, city.longitude) < 5


def test_an_event_known_only_by_its_country_is_placed_at_the_countrys_point():
    # A demonym is the only place clue: the country's point (its capital), as for a country named outright.
    gazetteer = load_gazetteer()
    event = event_of("On 3 March 2025, Nigerian troops killed twelve militants in a raid on their camp.")
    capital = gazetteer.capital("NG")
    assert (event.country_iso2, event.admin1, event.geo_precision) == ("NG", None, 3)
    assert (event.latitude, event.longitude) == (capital.latitude, capital.longitude)


def test_a_companys_or_crews_nationality_is_not_the_events_country():
    event = event_of(
        "On 5 May 2024, gunmen abducted two engineers of the Chinese company Sinoroad, who were working for "
        "the Nigerian ministry of works, between Qwerta and Zxcvbi.",
        published="2024-05-06",
    )
    assert event.country_iso2 == "NG"
    event = event_of(
        "On 5 May 2024, pirates seized six Filipino crew members from a tanker; the Ghanaian navy gave chase.",
        "2024-05-06",
    )
    assert event.country_iso2 == "GH"


def test_a_faraway_city_under_another_of_its_names_does_not_stand_on_size_against_an_actor():
    # "Pensa" is one of Penza's (Russia) other names; with a Sahel group named, a local village is likelier.
    assert "Pensa" not in places_of("Suspected JNIM militants attacked a checkpoint in Pensa.")
    # With nothing pointing anywhere, the big town still stands on its size.
    assert places_of("Gunmen attacked a checkpoint in Pensa.")["Pensa"].place.country_iso2 == "RU"


def test_a_name_listed_after_a_locative_word_is_written_as_a_place():
    # "in Qwertyvale and Garsen": Garsen shares the list's "in" (a town found in Kenya only).
    assert places_of("Police torched houses in Qwertyvale and Garsen on Sunday.")["Garsen"].place.country_iso2 == "KE"
    assert places_of("Gunmen raided the villages of Qwerta, Asdfu or Merti.")["Merti"].place.country_iso2 == "KE"


# ---------------------------------------------------------------- country clues against a lone namesake


def test_a_small_namesake_abroad_backed_only_by_its_own_name_yields_to_two_clues():
    # Dalaba is a Guinean town; Nigerian troops and Boko Haram are two clues for a local village.
    event = event_of("On 3 March 2025, Nigerian troops said Boko Haram fighters raided the village of Dalaba.")
    assert (event.country_iso2, event.location) == ("NG", "Nigeria")
    # With nothing else pointing anywhere, the town written as a place stands.
    assert places_of("Gunmen raided the village of Dalaba at night.")["Dalaba"].place.country_iso2 == "GN"


def test_a_country_named_only_as_the_far_side_loses_its_other_votes():
    # Al-Shabaab's main theatre is Somalia, but "the border with Somalia" is the other side.
    event = event_of("On 3 March 2025, al-Shabaab militants burned a police post at the border with Somalia.")
    assert event.country_iso2 == "KE"
    # "Malian refugees" are away from Mali: the Sahel group's other countries remain.
    event = event_of("On 3 March 2025, ISGS militants abducted three Malian refugees near their camp.")
    assert event.country_iso2 not in ("ML", None)
    # Every country of a list after "the borders with" is the far side.
    event = event_of("On 3 March 2025, Beninese troops arrested 40 suspects along the borders with Niger and Nigeria.")
    assert event.country_iso2 == "BJ"


def test_a_places_residents_write_it_as_a_place():
    # "Garsen residents" are the people of Garsen: as plain as "in Garsen" (a small town found
    # in one country only, which needs a locative word to stand alone).
    assert places_of("Garsen residents protested over water shortages.")["Garsen"].place.country_iso2 == "KE"
    assert places_of("Tessit traders closed their shops in protest.")["Tessit"].place.country_iso2 == "ML"
    assert "Garsen" not in places_of("Garsen said the water had run out.")


def test_a_place_held_by_a_group_is_still_the_place():
    # "IS-held Idlib": the capitalised word before the name is an adjective, not part of a name.
    assert places_of("Jets struck IS-held Idlib overnight.").keys() == {"Idlib"}
    assert places_of("Jets struck Houthi-controlled Hodeidah overnight.").keys() == {"Hodeidah"}


def test_a_country_whose_forces_act_is_not_the_place():
    # "Turkey special forces ... in Iraq": the force's country comes after the place it acts in.
    event = event_of("On 3 March 2025, Turkey special forces clashed with militants in Iraq, the ministry said.")
    assert event.country_iso2 == "IQ"


def test_a_province_named_unlike_its_capital_is_placed_at_the_capital():
    # admin2_seats.csv: Oudalan's capital is Gorom-Gorom, not the Sahel region's biggest town.
    gazetteer = load_gazetteer()
    oudalan = next(p for p in gazetteer.lookup("Oudalan") if p.kind == "admin2")
    seat = next(p for p in gazetteer.lookup("Gorom-Gorom") if p.kind == "city")
    assert (oudalan.latitude, oudalan.longitude) == (seat.latitude, seat.longitude)
    place = places_of("Gunmen burned a school in Qwertabe (Oudalan) on Monday.")["Oudalan"]
    assert (place.place.admin1, place.geo_precision) == ("Sahel", 3)


def test_a_province_written_after_an_unknown_name_is_the_province_not_a_village_elsewhere():
    # Risaralda is a Colombian department and a small town in Caldas: written as the unit of
    # an unknown village, it is the department.
    place = places_of("Police clashed with armed men in Qwertiba, Risaralda.")["Risaralda"]
    assert (place.place.kind, place.place.admin1) == ("admin1", "Risaralda")


def test_a_place_written_without_its_arabic_article():
    # "Qaim" and "Amarah" are how news often write Al Qa'im and Al Amarah.
    assert places_of("An air strike hit a market in Qaim on Friday.")["Qaim"].place.country_iso2 == "IQ"
    assert places_of("Protesters burned tyres in Amarah, Iraq.")["Amarah"].place.admin1 is not None
    # Only the Arabic article is dropped, and only before a rest long enough to stand alone.
    from transforms.extract.gazetteer import _without_article

    assert [_without_article(n) for n in ("Ash-Shura", "Al Kut", "El Paso", "An Najaf")] == ["shura", "", "", "najaf"]
    # A closing "-ah" is often written "-a": "Hawija" and "al-Hawija" are Al Hawijah.
    for text in ("Troops retook the town of Hawija, Iraq.", "Troops retook al-Hawija, Kirkuk province, on Sunday."):
        assert resolve_text(text)[0].place.name == "Al Ḩawījah"


def test_a_name_written_as_a_town_is_the_town_not_the_region_of_its_name():
    # place_aliases.csv reads a bare "Sagaing" as the region; "Sagaing town" is the town.
    assert places_of("A bomb exploded in Sagaing town on Monday.")["Sagaing"].geo_precision == 1
    assert places_of("Students marched in the town of Sagaing.")["Sagaing"].place.kind == "city"
    assert places_of("Troops shelled villages in Sagaing region.")["Sagaing"].geo_precision == 3


def test_an_organisation_named_after_a_place_with_several_words_is_no_place():
    assert places_of("Members of the Garissa Hill Youth Welfare Association marched.") == {}


from transforms.extract.gazetteer import article_forms  # noqa: E402


def test_the_news_shorten_arabic_town_names():
    # GeoNames writes the article and the final h; headlines mostly drop both.
    assert article_forms("Al Ḩawījah")[:2] == ["hawijah", "hawija"]
    assert article_forms("Ar Ruţbah")[:2] == ["rutbah", "rutba"]
    assert article_forms("El Paso") == [] and article_forms("Mosul") == []
    assert article_forms("Al Kūt") == []  # too short to tell from a word
    hawija = places_of("A roadside bomb killed three soldiers in Hawija, Iraq.")["Hawija"].place
    assert (hawija.name, hawija.admin1) == ("Al Ḩawījah", "Kirkuk")
    # Without the article it is still the town's own name: found in one country, it stands alone.
    assert places_of("Gunmen attacked a checkpoint in Qayyara.")["Qayyara"].place.country_iso2 == "IQ"


def test_a_country_possessive_between_locative_and_name():
    # "in Iraq's Tal Afar": the possessive does not stop the town being written as a place.
    tal_afar = places_of("Car bomb kills four in Iraq's Tal Afar")["Tal Afar"].place
    assert (tal_afar.country_iso2, tal_afar.admin1) == ("IQ", "Nineveh")
    assert event_of("Mortar fire hits market in Iraq's northern town of Tal Afar").country_iso2 == "IQ"


def test_a_country_owning_the_forces_is_not_where_they_fight():
    # The forces' country is whose they are; the place written as one is where it happened.
    assert event_of("Russia jets pound rebel positions in Syria").country_iso2 == "SY"
    assert event_of("Canada special forces exchange fire with militants in Iraq").country_iso2 == "IQ"
    # Alone, the country still places the incident.
    assert event_of("Iraq army kills five militants").country_iso2 == "IQ"


def test_who_holds_a_place_is_not_part_of_its_name():
    # "Rebel-held Mosul": the holder's hyphenated word does not make Mosul part of a longer name.
    assert event_of("Kurdish forces fire into Islamic State-held Mosul").location == "Mosul"
    assert event_of("Jets Pound Rebel-Controlled Idlib").admin1 == "Idlib"


def test_an_actor_name_inside_a_place_name_points_nowhere():
    # "Afar" names a people of Ethiopia, but inside "Tal Afar" it is part of an Iraqi town's name.
    assert event_of("Car bomb kills five in Tal Afar").country_iso2 != "ET"
    assert event_of("Afar militia raid a village in Afar region").country_iso2 == "ET"


def test_memoised_word_helpers_match_the_plain_reading():
    # The per-word caches (capitalisation, a window's first-word keys) give what the plain
    # functions give, for names, shouting, Arabic articles, possessives and hyphenated pairs.
    from transforms.extract.places import _capitalised, _capitalised_token, _start_keys, variant_key

    for word in ("Kandahar", "the", "al-Hasakah", "ad-Dawr", "and", "POLICE", "U.S.", "Kabul.", "e-mail"):
        plain = _capitalised(word.rstrip(".")) if word[0].isupper() or word[0] in "ae" else False
        assert _capitalised_token(word) is plain, word
    assert _start_keys("Kandahar's") == ("kandahar", variant_key("Kandahar").split(" ")[0])
    assert _start_keys("Bobo-Dioulasso") == ("bobo", "")  # "bobo" is too short for a skeleton
    assert _start_keys("Qandahar.")[1] == variant_key("Kandahar")


def test_a_span_with_no_units_beside_it_has_no_support(gazetteer):
    from transforms.extract.places import support

    spans = find_place_spans("Rockets hit Kandahar overnight.", gazetteer)
    assert spans and not spans[0].outer and not spans[0].inner
    assert all(support(spans[0], c) == 0 for c in spans[0].candidates)
    # Written with its province, the same name is backed by it.
    text = "Rockets hit Kandahar, Kandahar Province, overnight."
    linked = link_hierarchy(text, find_place_spans(text, gazetteer))
    assert any(support(linked[0], c) for c in linked[0].candidates)
