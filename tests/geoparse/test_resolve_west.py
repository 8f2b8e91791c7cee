"""Resolution: "the West" and "Western countries" are the Western world (drawn at Western
Europe), not a province called Western in a country the story does not name."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_the_west_is_not_a_province(geoparser: Geoparser) -> None:
    text = ("Relations between Russia and the West worsened as Western countries expelled "
            "diplomats from Moscow.")
    spans = spans_of(text, "Russia", "West", "Western", "Moscow")
    _, west, western, _ = geoparser.resolve(text, spans)
    assert west.place_id == "ov:western-europe" and western.place_id == "ov:western-europe"


def test_a_province_of_a_named_country_stays(geoparser: Geoparser) -> None:
    text = ("Floods hit Kakamega in Kenya's Western Province; Western leaders in Kakamega asked "
            "Nairobi for help.")
    spans = spans_of(text, "Kakamega", "Kenya", "Western", "Nairobi")
    western = geoparser.resolve(text, spans)[2]
    assert western.country_code == "KE"
