"""Resolution: a state and a town of the same name told apart by how the text uses the
name: a region word before it, the other items of a list, a state abbreviation in the
dateline."""

from __future__ import annotations

import re

from mapper.model import Span
from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_region_word_makes_the_state(geoparser: Geoparser) -> None:
    text = "The crew drove overnight to central Washington after the fire, the team said."
    (state,) = geoparser.resolve(text, spans_of(text, "Washington"))
    assert state.feature_code == "ADM1" and state.name == "Washington"


def test_list_of_states_makes_the_state(geoparser: Geoparser) -> None:
    text = "She backed the Oregon and Washington laws on end-of-life care."
    oregon, washington = geoparser.resolve(text, spans_of(text, "Oregon", "Washington"))
    assert oregon.feature_code == "ADM1"
    assert washington.feature_code == "ADM1" and washington.name == "Washington"


def test_list_of_cities_makes_the_city(geoparser: Geoparser) -> None:
    text = ("The firm has offices in Los Angeles, Miami, West Palm Beach, New York, and Detroit, "
            "and hires lawyers nationwide.")
    names = ("Los Angeles", "Miami", "West Palm Beach", "New York", "Detroit")
    mentions = geoparser.resolve(text, spans_of(text, *names))
    ny = mentions[3]
    assert ny.feature_class == "P" and ny.name == "New York City"


def test_state_abbreviation_in_the_dateline_makes_the_state(geoparser: Geoparser) -> None:
    text = ("CAMP MURRAY, Wash. - The Guard team spends most days at home in Washington. Trips "
            "to Saipan, Guam and Hawaii are rare.")
    names = ("CAMP MURRAY", "Washington", "Saipan", "Guam", "Hawaii")
    washington = geoparser.resolve(text, spans_of(text, *names))[1]
    assert washington.feature_code == "ADM1" and washington.name == "Washington"


def test_capital_stays_without_such_words(geoparser: Geoparser) -> None:
    text = "WASHINGTON (AP) - Officials in Washington said the talks with Moscow would resume."
    _, washington, _ = geoparser.resolve(text, spans_of(text, "WASHINGTON", "Washington", "Moscow"))
    assert washington.feature_class == "P" and washington.country_code == "US"
    assert washington.admin1 != "Washington"


def test_newspaper_named_after_the_city(geoparser: Geoparser) -> None:
    text = "A New York Times correspondent asked the question at the briefing."
    (ny,) = geoparser.resolve(text, spans_of(text, "New York"))
    assert ny.feature_class == "P" and ny.name == "New York City"


def test_comparison_with_a_city_makes_the_city(geoparser: Geoparser) -> None:
    text = ("London's murder count rose this spring. Though London's total was a little higher "
            "than New York's in February, it was far lower than that of New York last year.")
    spans = [Span(m.start(), m.end()) for m in re.finditer("London|New York", text)]
    *_, first, second = geoparser.resolve(text, spans)
    for ny in (first, second):
        assert ny.feature_class == "P" and ny.name == "New York City"


def test_comparison_without_a_city_keeps_the_state(geoparser: Geoparser) -> None:
    text = "Farm income in Iowa was higher than in New York last year, the survey said."
    _, ny = geoparser.resolve(text, spans_of(text, "Iowa", "New York"))
    assert ny.feature_code == "ADM1" and ny.name == "New York"


def test_national_guard_is_a_state_body(geoparser: Geoparser) -> None:
    text = "The team was invited to join the Georgia National Guard's civil support team."
    (georgia,) = geoparser.resolve(text, spans_of(text, "Georgia"))
    assert georgia.feature_code == "ADM1" and georgia.country_code == "US"
