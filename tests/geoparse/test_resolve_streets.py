"""Resolution with given spans: a city street named after a place elsewhere ("Hampton
Avenue", "Northumberland Avenue") lies where the document is, not in that place."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_street_named_after_a_place_falls_back_to_the_documents_city(geoparser: Geoparser) -> None:
    text = ("Thieves were caught on camera at a restaurant on Hampton Avenue. St. Louis police "
            "said St. Louis shops on the avenue had been hit twice this year.")
    street, city = geoparser.resolve(text, spans_of(text, "Hampton Avenue", "St. Louis police")[:1]
                                     + spans_of(text, "St. Louis"))
    assert city.admin1 == "Missouri"
    # Not Hampton, Virginia (or any other Hampton): the city the story is about.
    assert street.reason.startswith("fallback to document focus 'St. Louis'")
    assert street.place_id == city.place_id


def test_street_named_after_a_county_is_not_the_county(geoparser: Geoparser) -> None:
    text = ("An officer saw a man pointing a handgun on Northumberland Avenue. Westminster police "
            "arrested him; London police said no one was hurt in London.")
    street, *_, city = geoparser.resolve(text, spans_of(text, "Northumberland Avenue",
                                                        "Westminster", "London"))
    assert city.country_code == "GB" and city.name == "London"
    # Not the county of Northumberland, 400 km to the north.
    assert street.reason.startswith("fallback to document focus")
    assert street.place_id != "ne:GBR-2034" and street.admin1 != "Northumberland"


def test_a_long_road_runs_through_the_place_it_is_named_after(geoparser: Geoparser) -> None:
    text = "Snow closed the Blue Ridge Parkway near Asheville, North Carolina, on Monday."
    road, *_ = geoparser.resolve(text, spans_of(text, "Blue Ridge Parkway", "Asheville",
                                                "North Carolina"))
    assert not road.reason.startswith("fallback")
