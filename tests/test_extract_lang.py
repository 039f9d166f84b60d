"""French and Spanish extraction: the lexicon gloss (transforms/extract/lang.py) and the extractor on
short reports written for these tests, in several voices (wire dateline, local press, radio, NGO)."""

import csv
from datetime import date, datetime

import pytest

from orchestration.cli.inspect import extract_record
from transforms.extract import extract_events, lang, supported_language
from transforms.pipeline import extract_batch
from transforms.records import StoredArticle

# A Monday.
PUBLISHED = date(2026, 3, 16)


def one_event(text, language, **kwargs):
    events = extract_events(text, PUBLISHED, language=language, **kwargs)
    assert len(events) == 1, [(e.sub_event_type, e.evidence_text) for e in events]
    return events[0]


# (language, text, sub_event_type, event_date, location, country, fatalities)
INCIDENTS = [
    # French: wire dateline
    (
        "fr",
        "GAO — Des hommes armés ont tué cinq civils et blessé trois autres samedi lors d'une attaque contre un "
        "marché près de Gao, dans le nord du Mali, ont indiqué des sources locales.",
        "Attack",
        date(2026, 3, 14),
        "Gao",
        "ML",
        5,
    ),
    # French: a date written out, an explosive device, the toll in a participle clause
    (
        "fr",
        "Un engin explosif improvisé a explosé au passage d'un véhicule militaire mardi 10 mars près de Kaya, "
        "tuant quatre soldats, selon une source sécuritaire.",
        "Remote explosive/landmine/IED",
        date(2026, 3, 10),
        "Kaya",
        "BF",
        4,
    ),
    # French: an approximate count ("une dizaine") in a second sentence
    (
        "fr",
        "Une frappe de drone a visé jeudi un rassemblement à Kidal. Une dizaine de personnes ont été tuées, "
        "selon des élus locaux.",
        "Air/drone strike",
        date(2026, 3, 12),
        "Kidal",
        "ML",
        10,
    ),
    # French: a passive toll, a car bomb, a day and month
    (
        "fr",
        "Deux policiers ont été tués et sept autres blessés dans l'explosion d'une voiture piégée le 12 mars "
        "à Mogadiscio.",
        "Remote explosive/landmine/IED",
        date(2026, 3, 12),
        "Mogadishu",
        "SO",
        2,
    ),
    # French: an abduction on a road between two towns
    (
        "fr",
        "Des hommes armés ont enlevé douze passagers d'un car dimanche sur la route entre Zaria et Kaduna, "
        "a déclaré la police.",
        "Abduction/forced disappearance",
        date(2026, 3, 15),
        "Zaria",
        "NG",
        None,
    ),
    # Spanish: wire dateline, the personal "a" before the victims
    (
        "es",
        "CALI — Hombres armados asesinaron a tres campesinos el sábado en una vereda de Jamundí, en el Valle "
        "del Cauca, informó la Policía.",
        "Attack",
        date(2026, 3, 14),
        "Jamundí",
        "CO",
        3,
    ),
    # Spanish: a clash with the army, "al menos"
    (
        "es",
        "Al menos seis guerrilleros murieron en combates con el Ejército el jueves en zona rural de Tame, Arauca.",
        "Armed clash",
        date(2026, 3, 12),
        "Tame",
        "CO",
        6,
    ),
    # Spanish: Mexican local press, "la madrugada del domingo"
    (
        "es",
        "Sicarios mataron a cuatro personas en un bar de Celaya, Guanajuato, la madrugada del domingo.",
        "Attack",
        date(2026, 3, 15),
        "Celaya",
        "MX",
        4,
    ),
    # Spanish: a drone attack on a base, the toll after the verb "dejó"
    (
        "es",
        "Un ataque con drones contra una base militar en Tibú dejó dos soldados muertos el domingo.",
        "Air/drone strike",
        date(2026, 3, 15),
        "Tibú",
        "CO",
        2,
    ),
    # Spanish: a kidnapping "cerca de" a town
    (
        "es",
        "Un grupo armado secuestró a cinco trabajadores de una empresa petrolera el martes cerca de Saravena.",
        "Abduction/forced disappearance",
        date(2026, 3, 10),
        "Saravena",
        "CO",
        None,
    ),
]


MORE_INCIDENTS = [
    # French: "samedi dernier", a province named after "du" (the gloss moves the name before the unit)
    (
        "fr",
        "Au moins quinze personnes ont péri dans l'attaque d'un village par des jihadistes présumés samedi "
        "dernier, dans la province du Soum.",
        "Attack",
        date(2026, 3, 14),
        "Soum",
        "BF",
        15,
    ),
    # French: an army communiqué ("neutralisé" is its word for killed)
    (
        "fr",
        "L'armée a annoncé avoir neutralisé vingt terroristes lors d'une opération menée vendredi près de Djibo.",
        "Armed clash",
        date(2026, 3, 13),
        "Djibo",
        "BF",
        20,
    ),
    # French: "ont fait N morts et N blessés"
    (
        "fr",
        "Les affrontements entre éleveurs et agriculteurs ont fait huit morts et vingt blessés jeudi à Bouar, "
        "selon la préfecture.",
        "Armed clash",
        date(2026, 3, 12),
        "Bouar",
        "CF",
        8,
    ),
    # French: a suicide bomber, "mardi soir", the toll in "faisant trois morts"
    (
        "fr",
        "Un kamikaze s'est fait exploser mardi soir devant une mosquée de Maiduguri, faisant trois morts.",
        "Suicide bomb",
        date(2026, 3, 10),
        "Maiduguri",
        "NG",
        3,
    ),
    # French: a mob
    (
        "fr",
        "Un homme accusé de vol a été lynché par une foule en colère dimanche à Bukavu.",
        "Mob violence",
        date(2026, 3, 15),
        "Bukavu",
        "CD",
        None,
    ),
    # French: a commune's mayor (a commune is a municipality, not a protest word)
    (
        "fr",
        "Le maire de la commune a été assassiné par des inconnus armés le 3 mars à Tillabéri.",
        "Attack",
        date(2026, 3, 3),
        "Tillaberi",
        "NE",
        1,
    ),
    # Spanish: Mexican crime pages, "el pasado sábado", "a tiros"
    (
        "es",
        "Un hombre fue asesinado a tiros el pasado sábado en una calle de Tijuana, Baja California.",
        "Attack",
        date(2026, 3, 14),
        "Tijuana",
        "MX",
        1,
    ),
    (
        "es",
        "El enfrentamiento armado entre dos cárteles dejó al menos diez muertos el jueves en Culiacán, Sinaloa.",
        "Armed clash",
        date(2026, 3, 12),
        "Culiacán",
        "MX",
        10,
    ),
    # Spanish: neighbours beating a man to death
    (
        "es",
        "Vecinos golpearon hasta la muerte a un presunto ladrón el miércoles en un barrio de Cochabamba.",
        "Mob violence",
        date(2026, 3, 11),
        "Cochabamba",
        "BO",
        1,
    ),
    # Spanish: looting during unrest
    (
        "es",
        "Manifestantes saquearon varios comercios y quemaron vehículos el viernes en Guayaquil.",
        "Violent demonstration",
        date(2026, 3, 13),
        "Guayaquil",
        "EC",
        None,
    ),
    # Spanish: "un policía" is one officer, "resultó muerto"
    (
        "es",
        "Un policía resultó muerto y otro herido en un ataque con granada contra una estación de policía el "
        "domingo en Cúcuta.",
        "Grenade",
        date(2026, 3, 15),
        "Cúcuta",
        "CO",
        1,
    ),
]


@pytest.mark.parametrize(
    ("language", "text", "sub", "day", "location", "country", "fatalities"), INCIDENTS + MORE_INCIDENTS
)
def test_french_and_spanish_incidents_are_coded(language, text, sub, day, location, country, fatalities):
    event = one_event(text, language)
    assert event.sub_event_type == sub
    assert event.event_date == day and event.date_precision == "day"
    assert event.location == location and event.country_iso2 == country
    assert event.fatalities == fatalities


PROTESTS = [
    (
        "fr",
        "Des centaines d'étudiants ont manifesté vendredi à Dakar pour réclamer le paiement de leurs bourses. "
        "La manifestation s'est déroulée dans le calme.",
        "Peaceful protest",
        date(2026, 3, 13),
        "Dakar",
    ),
    (
        "fr",
        "La police a dispersé à coups de gaz lacrymogène des manifestants qui protestaient mercredi à Conakry "
        "contre les coupures d'électricité.",
        "Protest with intervention",
        date(2026, 3, 11),
        "Conakry",
    ),
    (
        "es",
        "Miles de maestros marcharon el miércoles 11 de marzo por el centro de Bogotá para exigir mejores "
        "salarios. La protesta transcurrió sin incidentes.",
        "Peaceful protest",
        date(2026, 3, 11),
        "Bogotá",
    ),
    (
        "es",
        "La policía lanzó gases lacrimógenos contra cientos de manifestantes que bloqueaban una avenida en "
        "La Paz el martes.",
        "Protest with intervention",
        date(2026, 3, 10),
        "La Paz",
    ),
]


@pytest.mark.parametrize(("language", "text", "sub", "day", "location"), PROTESTS)
def test_protests_and_their_policing(language, text, sub, day, location):
    event = one_event(text, language)
    assert event.event_type == "Protests"
    assert event.sub_event_type == sub
    assert event.event_date == day
    assert event.location == location


def test_injured_are_counted_apart_from_the_dead():
    french = one_event(
        "Deux policiers ont été tués et sept autres blessés dans l'explosion d'une voiture piégée le 12 mars "
        "à Mogadiscio.",
        "fr",
    )
    spanish = one_event(
        "Un carro bomba estalló el viernes frente a una estación de policía en Jamundí; dos policías resultaron "
        "heridos.",
        "es",
    )
    assert (french.fatalities, french.injured) == (2, 7)
    assert spanish.injured == 2 and not spanish.fatalities
    assert spanish.event_type == "Explosions/Remote violence" and spanish.event_date == date(2026, 3, 13)


def test_a_verb_before_its_subject_still_gives_the_toll():
    glossed = lang.gloss("En la respuesta de la tropa murieron al menos tres guerrilleros.", "es").text
    assert "at least three guerrillas died" in glossed
    assert lang.gloss("El herido murió dos días después.", "es").text.startswith("The wounded died two days")
    event = one_event(
        "Militares y disidentes de las FARC se enfrentaron el lunes en zona rural de Suárez, Cauca; murieron dos "
        "guerrilleros.",
        "es",
    )
    assert (event.sub_event_type, event.location, event.fatalities) == ("Armed clash", "Suárez", 2)


def test_a_span_of_time_moves_before_ago_and_an_empty_slot_has_its_own_english():
    assert lang.gloss("Hace cinco años", "es").text == "Five years ago"
    assert lang.gloss("Lo hace por dinero.", "es").text.split() == ["Lo", "by", "dinero."]
    assert lang.gloss("Il y a eu deux morts.", "fr").text == "There were two dead."


@pytest.mark.parametrize(
    ("language", "text", "toll"),
    [
        ("fr", "Soixante-quinze civils ont été tués samedi à Gao.", 75),
        ("fr", "Vingt et un soldats ont été tués samedi près de Kaya.", 21),
        ("fr", "Quatre-vingt-dix-huit personnes ont été tuées samedi à Gao.", 98),
        ("es", "Treinta y cinco personas murieron el sábado en un ataque armado en Culiacán.", 35),
        ("es", "Veintidós soldados murieron el sábado en combates en Tame.", 22),
    ],
)
def test_compound_counts(language, text, toll):
    assert one_event(text, language).fatalities == toll


def test_a_demonym_goes_before_its_noun_and_names_the_forces_country():
    assert lang.gloss("Onze militaires maliens", "fr").text == "Eleven Malian soldiers"
    assert lang.gloss("El Ejército colombiano informó.", "es").text == "The Colombian army reported."
    assert lang.gloss("Des Maliens ont manifesté", "fr").text == "Some Malians protested"  # the people
    assert lang.gloss("en français", "fr").text == "in French"  # no noun before: not moved
    event = one_event("Six soldats nigériens ont été tués jeudi dans une attaque près de Ménaka.", "fr")
    assert [(a.role, a.name, a.surface_text) for a in event.targets] == [
        ("target", "Military forces of Niger", "soldats nigériens")
    ]
    assert event.location == "Menaka" and event.country_iso2 == "ML"


def test_thousands_are_written_the_english_way():
    glossed = lang.gloss("Plus de 1 200 personnes, 2.500 en 2024, le 12.03.2026, 3,5 %", "fr")
    assert glossed.text == "More than 1,200 people, 2,500 in 2024, the 12.03.2026, 3,5 %"
    assert len(lang.gloss("Murieron 1.200 personas.", "es").text) == len("1,200 people died.")


def test_an_age_is_not_a_toll():
    event = one_event(
        "Un soldado de 23 años murió el jueves en combates con disidentes en zona rural de Tame, Arauca.", "es"
    )
    assert event.fatalities == 1


NON_INCIDENTS = [
    ("fr", "Le gouvernement a annoncé lundi une hausse des salaires des enseignants à partir du mois prochain."),
    ("fr", "Le groupe armé a menacé d'attaquer les convois de carburant si les négociations échouent."),
    ("fr", "En 2015, un attentat avait fait vingt morts dans un hôtel de Bamako."),
    ("es", "El banco central mantuvo el lunes su tasa de interés sin cambios."),
    ("es", "El grupo armado amenazó con atacar a los candidatos si no se suspenden las elecciones."),
    ("es", "La selección nacional ganó el partido del domingo en Lima por dos goles a uno."),
    ("es", "Las autoridades negaron que se hubiera producido un ataque contra la base militar."),
    ("es", "Hace cinco años, un ataque con explosivos dejó 22 muertos en una escuela de policía de Bogotá."),
    ("fr", "Il y a dix ans, des hommes armés avaient tué trente personnes dans un hôtel de Ouagadougou."),
    ("es", "La presidenta inauguró el lunes un nuevo hospital en Monterrey."),
    ("fr", "Le festival de musique a attiré des milliers de spectateurs samedi à Ouagadougou."),
]


# Longer stories that mention violence without reporting a new incident: a trial, a travel alert,
# a future march, a deployment.
NON_INCIDENTS += [
    (
        "fr",
        "Le procès des auteurs présumés de l'attentat de 2016 contre un hôtel de Grand-Bassam s'est ouvert lundi "
        "à Abidjan. Dix-neuf personnes avaient été tuées lors de cette attaque. Les accusés encourent la prison "
        "à vie.",
    ),
    (
        "fr",
        "L'ambassade de France a appelé ses ressortissants à la vigilance à Bamako en raison d'un risque élevé "
        "d'attentat. Elle recommande d'éviter les rassemblements jusqu'à nouvel ordre.",
    ),
    (
        "es",
        "Familiares de los 43 estudiantes desaparecidos de Ayotzinapa marcharán el próximo viernes en la Ciudad "
        "de México, anunciaron los organizadores.",
    ),
    (
        "es",
        "El Ejército anunció el despliegue de 2.000 militares en la frontera para reforzar la seguridad ante el "
        "aumento de la violencia en la región.",
    ),
    (
        "es",
        "La Fiscalía imputó el lunes a tres hombres por el asesinato de un periodista ocurrido en enero de 2025 "
        "en Guerrero. Los acusados permanecerán en prisión preventiva.",
    ),
]


@pytest.mark.parametrize(("language", "text"), NON_INCIDENTS)
def test_stories_without_an_incident_give_none(language, text):
    assert extract_events(text, PUBLISHED, language=language) == []


def test_evidence_offsets_index_the_text_as_written():
    text = (
        "KIDAL — Une frappe de drone a visé jeudi un rassemblement à Kidal. Une dizaine de personnes ont été "
        "tuées, selon des élus locaux."
    )
    event = one_event(text, "fr")
    assert event.evidence, "an incident keeps the sentences it came from"
    for start, end in event.evidence:
        assert text[start:end] in event.evidence_text
    assert "frappe de drone" in event.evidence_text  # the French, not the gloss


def test_actors_keep_their_words_as_written():
    event = one_event("Des hommes armés ont tué cinq civils samedi à Gao.", "fr")
    assert [(a.role, a.name, a.surface_text) for a in event.actors] == [
        ("perpetrator", "Unidentified armed group", "hommes armés"),
        ("target", "Civilians", "civils"),
    ]


def test_gloss_keeps_names_and_maps_offsets_back():
    text = "Las FARC atacaron El Plateado y La Paz; en Port-au-Prince la police a tiré."
    glossed = lang.gloss("Dos soldados murieron en El Plateado, cerca de La Paz.", "es")
    assert "El Plateado" in glossed.text and "La Paz" in glossed.text  # names start with an article
    assert glossed.text.startswith("Two soldiers died in El Plateado, near La Paz")
    french = lang.gloss("PORT-AU-PRINCE — Deux morts à Pétion-Ville.", "fr")
    assert french.text.startswith("PORT-AU-PRINCE — Two dead in Pétion-Ville")  # hyphenated names untouched
    word = french.text.index("dead")
    start, end = french.to_original(word), french.to_original(word + len("dead"), end=True)
    assert french.original[start:end] == "morts"
    assert lang.gloss(text, "es").original == text
    quoted = lang.gloss("« Nous avons tout perdu », a déclaré une habitante.", "fr")
    assert quoted.text.startswith("“ ") and "” , said" not in quoted.text and "”, said" in quoted.text


def test_arrests_at_a_banned_rally_are_arrests():
    event = one_event("La police a arrêté trente manifestants lors d'un rassemblement interdit samedi à Tunis.", "fr")
    assert event.sub_event_type == "Arrests" and event.location == "Tunis"
    assert [a.actor_type for a in event.perpetrators] == ["State forces"]


def test_a_unit_of_administration_moves_after_its_name():
    assert lang.gloss("dans la région de Kayes", "fr").text == "in Kayes region"
    assert lang.gloss("en el departamento del Cauca", "es").text == "in Cauca department"
    # no name after the unit: nothing is moved
    assert lang.gloss("dans la province de la capitale", "fr").text.endswith("the capital")


def test_language_codes_and_unsupported_languages():
    assert supported_language(None) and supported_language("en") and supported_language("fr-FR")
    assert supported_language("ES") and not supported_language("de")
    german = "Bewaffnete töteten am Samstag fünf Zivilisten bei einem Angriff auf einen Markt in Gao."
    assert extract_events(german, PUBLISHED, language="de") == []
    spanish = "Sicarios mataron a cuatro personas en un bar de Celaya, Guanajuato, la madrugada del domingo."
    assert extract_events(spanish, PUBLISHED, language="es-MX")[0].fatalities == 4


def test_every_lexicon_row_has_its_english_and_one_meaning():
    assert {"fr", "es"} <= lang.glossed_languages()
    for language in ("fr", "es"):
        for path in sorted((lang.LEXICON_DIR / language).glob("*.csv")):
            with path.open(encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            assert rows and set(rows[0]) >= {"phrase", "english", "note"}, path
            assert all(row["phrase"].strip() for row in rows), path
        assert len(lang.lexicon(language).english) > 300  # loads: conflicting rows would raise


def test_conflicting_rows_are_a_clear_error(tmp_path, monkeypatch):
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "a.csv").write_text("phrase,english,note\nmorts,dead,\n", encoding="utf-8")
    (folder / "b.csv").write_text("phrase,english,note\nmorts,deaths,\n", encoding="utf-8")
    monkeypatch.setattr(lang, "LEXICON_DIR", tmp_path)
    lang.lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="morts"):
            lang.lexicon("xx")
    finally:
        lang.lexicon.cache_clear()


def test_the_daily_job_codes_french_and_spanish_articles_and_skips_others():
    def article(article_id, language, text):
        return StoredArticle(
            article_id=article_id,
            source_id="observer",
            url=f"http://127.0.0.1/{article_id}",
            title=None,
            text=text,
            published_at=datetime(2026, 3, 16, 9, 0),
            language=language,
            fetched_at=datetime(2026, 3, 16, 10, 0),
            partition_date=PUBLISHED,
        )

    results = extract_batch(
        [
            article("fr", "fr", INCIDENTS[0][1]),
            article("es", "es", INCIDENTS[5][1]),
            article("de", "de", "Bewaffnete töteten am Samstag fünf Zivilisten in Gao."),
        ]
    )
    assert [r.error for r in results] == [None, None, None]
    assert [len(r.events) for r in results] == [1, 1, 0]
    assert results[0].events[0].fatalities == 5 and results[1].events[0].location == "Jamundí"


def test_extract_record_reads_the_language_field_and_a_pages_own_language():
    text = INCIDENTS[6][1]
    record = {"text": text, "published": "2026-03-16", "language": "es"}
    assert extract_record(record)["events"][0]["sub_event_type"] == "Armed clash"
    html = (
        '<!doctype html><html lang="es"><head><title>Combates en Arauca</title></head><body><article>'
        f"<p>{text}</p><p>{INCIDENTS[5][1]}</p></article></body></html>"
    )
    events = extract_record({"html": html, "url": "http://127.0.0.1/combates", "published": "2026-03-16"})["events"]
    assert {e["sub_event_type"] for e in events} >= {"Armed clash"}


def test_odd_text_never_breaks_the_gloss_or_its_offsets():
    import random

    rng = random.Random(7)
    for language in ("fr", "es"):
        pool = [k.replace("#", "7") for k in lang.lexicon(language).english]
        pool += ["{}", "{n}", "{t}", "#", "|", "«", "»", "1.200", "1 200", "\u00a0", "-", "'", "Gao", "La", "El"]
        for _ in range(60):
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
            glossed = lang.gloss(text, language)
            assert glossed.original == text
            starts = [glossed.to_original(offset) for offset in range(0, len(glossed.text) + 1, 5)]
            ends = [glossed.to_original(offset, end=True) for offset in range(0, len(glossed.text) + 1, 5)]
            assert starts == sorted(starts) and ends == sorted(ends)  # the map never runs backwards
            assert all(0 <= o <= len(text) for o in starts + ends)
            for event in extract_events(text, PUBLISHED, language=language):
                assert all(0 <= start <= end <= len(text) for start, end in event.evidence)
