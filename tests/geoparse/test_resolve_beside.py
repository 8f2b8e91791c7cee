"""Resolution with given spans: a name the gazetteer lacks that the text locates by a known
name beside it ("Knockhill, Fife", "the Guildhall School of Music in London", "Derry's
Altnagelvin Hospital") is placed there rather than at the document's focus."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of as _spans


def test_name_then_comma_then_its_area(geoparser: Geoparser) -> None:
    text = ("The calendar: 7 April: Silverstone, Northamptonshire. 25 August: Knockhill, Fife. "
            "Teams meet first at Silverstone.")
    last = text.rindex("Silverstone")
    spans = [*_spans(text, "Silverstone", "Northamptonshire", "Knockhill", "Fife"),
             Span(last, last + len("Silverstone"))]
    _, _, track, fife, _ = geoparser.resolve(text, spans)
    assert fife.country_code == "GB"
    assert track.place_id == fife.place_id
    assert track.reason.startswith("fallback to place named beside 'Fife'")


def test_name_in_a_city(geoparser: Geoparser) -> None:
    text = ("She studied in Dublin and Cork before the Guildhall School of Music in London took "
            "her; Dublin friends cheered.")
    spans = _spans(text, "Dublin", "Cork", "Guildhall School of Music", "London")
    _, _, school, city = geoparser.resolve(text, spans)
    assert city.country_code == "GB"
    assert school.place_id == city.place_id


def test_possessive_city_before_a_building(geoparser: Geoparser) -> None:
    text = ("A new cancer centre has opened at Derry's Altnagelvin Hospital. Patients from "
            "Strabane and Omagh will be treated there, and Omagh doctors welcomed it.")
    spans = _spans(text, "Derry", "Altnagelvin Hospital", "Strabane", "Omagh")
    derry, hospital, _, _ = geoparser.resolve(text, spans)
    assert hospital.place_id == derry.place_id
    assert hospital.reason.startswith("fallback to place named beside")


def test_a_list_of_institutions_does_not_locate(geoparser: Geoparser) -> None:
    text = ("The Parkland, Florida, student has been accepted to Florida Atlantic University, "
            "California Polytechnic State University and others; Parkland neighbours cheered.")
    spans = _spans(text, "Parkland", "Florida", "Florida Atlantic University",
                   "California Polytechnic State University")
    town, _, fau, _ = geoparser.resolve(text, spans)
    assert town.admin1 == "Florida"
    assert fau.admin1 == "Florida"  # not California
    assert not fau.reason.startswith("fallback to place named beside")
