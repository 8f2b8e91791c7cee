"""Incident extraction and linking on short texts written for these tests."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.incidents import ATTRIBUTIONS
from mapper.model import Document

FRIDAY = dt.date(2022, 1, 14)


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def test_rocket_attack_is_placed_dated_and_attributed(extract, gold_places):
    (inc,) = extract("Iran-backed militias fired three rockets at Ain al-Asad air base on Tuesday, "
                     "officials said.", published=FRIDAY)
    assert (inc.method, inc.event_type, inc.sub_event_type) == (
        "rocket", "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert inc.disorder_type == "Political violence" and inc.cameo_code == "194"
    assert inc.country == "IQ" and inc.geo_precision == 1
    assert km(inc.lat, inc.lon, *gold_places["Al Asad Air Base"]) < 5
    assert (inc.date_start, inc.date_end, inc.time_precision) == (dt.date(2022, 1, 11), dt.date(2022, 1, 11), 1)
    assert inc.actor1 == "Iran-backed militias" and inc.attribution == "attributed"
    assert inc.id.startswith("IM-") and inc.origin == "extracted" and inc.licence == "own"


def test_an_actors_home_country_never_places_the_event(extract):
    incidents = extract("Iranian proxies launched a drone attack on Erbil airport on Monday. "
                        "Iran-backed groups also shelled a base in Syria.", published=FRIDAY)
    assert incidents and all(i.country != "IR" for i in incidents)


def test_near_lowers_geo_precision_to_2(extract, gold_places):
    (inc,) = extract("Two mortar rounds landed near the U.S. Embassy in Baghdad on Sunday.", published=FRIDAY)
    assert inc.method == "mortar" and inc.geo_precision == 2
    assert km(inc.lat, inc.lon, *gold_places["Embassy of the United States Baghdad"]) < 25
    assert inc.uncertainty_km >= 25


def test_border_area_is_a_point_on_the_border_with_precision_3(extract, extractor):
    (inc,) = extract("American warplanes struck militia depots along the Iraq-Syria border on Sunday.",
                     published=FRIDAY)
    assert inc.method == "airstrike" and inc.geo_precision == 3 and inc.place_id == "border:IQ-SY"
    assert inc.actor1 == "Military Forces of the United States"
    countries = extractor.geoparser.gazetteer.countries().set_index("country_code").geometry
    from shapely.geometry import Point

    point = Point(inc.lon, inc.lat)  # shapely order: lon, lat
    assert countries["IQ"].distance(point) < 0.1 and countries["SY"].distance(point) < 0.1


def test_threat_is_an_incident_but_never_an_attack(extract):
    incidents = extract("Kata'ib Hezbollah warned the United States that it must leave Iraq or face "
                        "a new war with rockets and drones.", published=FRIDAY)
    (inc,) = incidents
    assert inc.is_threat and inc.method == "threat" and inc.event_type == "Strategic developments"
    assert inc.actor1 == "Kata'ib Hezbollah" and inc.country == "IQ"


@pytest.mark.parametrize("text", [
    "Analysts said the militias could launch drone attacks on Erbil if the talks fail.",
    "No rockets were fired at Baghdad airport on Monday.",
    "Militias have carried out regular rocket attacks on bases in Iraq since 2019.",
    "More than 150 rocket and drone attacks have targeted U.S. troops in Iraq and Syria since October.",
    "Iran supplies the groups with missiles and rockets that are smuggled across the border.",
    "Lawmakers urged the administration to strike targets inside Iran.",
])
def test_hypothetical_negated_and_generic_mentions_are_not_incidents(extract, text):
    assert extract(text, published=FRIDAY) == []


def test_one_event_mentioned_twice_is_one_incident_with_both_quotes(extract):
    text = ("Rockets hit Erbil International Airport on Monday night. "
            "The rockets were launched from a truck parked south of the city, police said.")
    (inc,) = extract(text, published=FRIDAY)
    assert [e.quote for e in inc.evidence] == [
        "Rockets hit Erbil International Airport on Monday night.",
        "The rockets were launched from a truck parked south of the city, police said."]
    for e in inc.evidence:
        assert text[e.start:e.end] == e.quote and e.source == "test"


@pytest.mark.parametrize(("text", "fatalities"), [
    ("A drone strike near Baghdad airport killed dozens of fighters on Friday.", 12),
    ("A roadside bomb struck a convoy in Basra on Monday, killing three soldiers.", 3),
    ("An airstrike hit Abu Kamal on Sunday; at least 16 people were killed, and monitors said 18 were killed.", 16),
    ("A rocket attack on Erbil on Monday caused no casualties.", 0),
])
def test_fatalities_follow_acled_rules(extract, text, fatalities):
    (inc,) = extract(text, published=FRIDAY)
    assert inc.fatalities == fatalities


@pytest.mark.parametrize(("text", "attribution", "actor"), [
    ("The Islamic Resistance in Iraq claimed the drone attack on Tower 22 on Sunday.", "claimed",
     "Islamic Resistance in Iraq"),
    ("A drone attack on Erbil airport on Monday bore the hallmarks of Kata'ib Hezbollah.", "suspected",
     "Kata'ib Hezbollah"),
    ("A rocket attack hit Ain al-Asad air base on Monday. Nobody claimed it.", "unknown", None),
])
def test_attribution_vocabulary(extract, text, attribution, actor):
    (inc,) = extract(text, published=FRIDAY)
    assert (inc.attribution, inc.actor1) == (attribution, actor)


def test_shot_down_drone_is_disrupted_weapons_use(extract):
    (inc,) = extract("Coalition air defences shot down an armed drone near At Tanf on Thursday.", published=FRIDAY)
    assert (inc.method, inc.sub_event_type) == ("intercepted drone", "Disrupted weapons use")
    assert inc.actor1 == "Global Coalition against Daesh"


def test_relative_dates_stay_unresolved_without_a_publication_date(extract):
    (inc,) = extract("A rocket attack Thursday targeted the U.S. embassy in Baghdad.")
    assert inc.date_start is None and inc.date_end is None and inc.time_precision is None
    (dated,) = extract("A rocket attack Thursday targeted the U.S. embassy in Baghdad.", published=FRIDAY)
    assert dated.date_start == dt.date(2022, 1, 13)


def test_ids_are_stable_and_documents_independent(extractor):
    text = "Rockets hit Erbil International Airport on Monday night."
    first = extractor.process(Document("a", text)).incidents
    again = extractor.process(Document("a", text)).incidents
    other = extractor.process(Document("b", text)).incidents
    assert [i.id for i in first] == [i.id for i in again] != [i.id for i in other]


def test_empty_and_eventless_texts_give_no_incidents(extract):
    assert extract("") == []
    assert extract("The weather in Baghdad was mild on Thursday.", published=FRIDAY) == []


FRAGMENTS = [
    "Rockets hit Erbil International Airport on Monday night.", "Kata'ib Hezbollah denied it.",
    "The strike killed two fighters near Abu Kamal.", "Officials said the militias could attack again.",
    "An Iran-backed militia warned U.S. forces to leave Iraq or face attacks.", "No one was hurt.",
    "Two drones were shot down near Ain al-Asad air base on Tuesday.", "\n\n", "—", "The U.S.",
    "Iranian proxies fired mortars at the Green Zone last week.", "Protests erupted in Basra in November.",
]


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(st.sampled_from(FRAGMENTS), max_size=8), published=st.one_of(st.none(), st.dates()))
def test_any_composition_gives_well_formed_incidents(extractor, parts, published):
    text = " ".join(parts)
    incidents = extractor.process(Document("h", text, published=published)).incidents
    assert len({i.id for i in incidents}) == len(incidents)
    for inc in incidents:
        assert inc.evidence and all(text[e.start:e.end] == e.quote for e in inc.evidence)
        assert inc.geo_precision in (1, 2, 3, None) and inc.time_precision in (1, 2, 3, None)
        assert (inc.date_start is None) == (inc.date_end is None)
        assert inc.date_start is None or inc.date_start <= inc.date_end
        assert (inc.lat is None) == (inc.lon is None) == (inc.geo_precision is None)
        assert inc.attribution in ATTRIBUTIONS
