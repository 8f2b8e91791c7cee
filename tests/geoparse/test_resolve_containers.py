"""Resolution: in "Town, Area" the area holds the town ("Tacoma, Washington" is the state,
not Washington, D.C.; "Sault Ste. Marie, Ontario" the province, not Ontario, California)."""

from __future__ import annotations

from gazetteer.core import haversine_km
from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_the_area_after_a_town_holds_the_town(geoparser: Geoparser) -> None:
    text = "A baker from Tacoma, Washington shares tips for decorating cookies."
    town, state = geoparser.resolve(text, spans_of(text, "Tacoma", "Washington"))
    assert town.admin1 == "Washington"
    assert state.feature_code == "ADM1" and state.admin1 == "Washington"


def test_a_province_after_a_town_is_the_province(geoparser: Geoparser) -> None:
    text = ("The carrier flies from Marquette to Sault Ste. Marie, Ontario, and on to "
            "Sudbury.")
    _, town, province, _ = geoparser.resolve(text, spans_of(text, "Marquette", "Sault Ste. Marie",
                                                            "Ontario", "Sudbury"))
    assert province.country_code == "CA" and province.feature_code == "ADM1"
    assert town.country_code == "CA"


def test_town_unknown_in_its_named_area_is_placed_at_the_area(geoparser: Geoparser) -> None:
    text = "The next rounds: 23/24 June: Croft, Yorkshire. 11/12 August: Rockingham, Northamptonshire."
    croft, yorkshire, rockingham, county = geoparser.resolve(
        text, spans_of(text, "Croft", "Yorkshire", "Rockingham", "Northamptonshire"))
    assert county.name == "Northamptonshire"
    # No Rockingham the gazetteer knows lies in Northamptonshire (before: Rockingham, Vermont).
    assert rockingham.name == "Northamptonshire" and rockingham.reason.startswith(
        "fallback to place named beside")
    assert croft.country_code == "GB" and yorkshire.name == "Yorkshire"
    assert None not in (croft.lat, croft.lon, yorkshire.lat, yorkshire.lon)
    assert haversine_km(croft.lat or 0.0, croft.lon or 0.0, yorkshire.lat or 0.0, yorkshire.lon or 0.0) < 161


def test_a_list_of_towns_is_no_town_and_its_area(geoparser: Geoparser) -> None:
    text = "It has offices in Los Angeles, Miami, West Palm Beach, New York, and Detroit."
    *_, palm, _ny, _detroit = geoparser.resolve(
        text, spans_of(text, "Los Angeles", "Miami", "West Palm Beach", "New York", "Detroit"))
    assert palm.name == "West Palm Beach" and palm.admin1 == "Florida"
