"""Resolution: in "Town, Area" the area holds the town ("Tacoma, Washington" is the state,
not Washington, D.C.; "Sault Ste. Marie, Ontario" the province, not Ontario, California)."""

from __future__ import annotations

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
