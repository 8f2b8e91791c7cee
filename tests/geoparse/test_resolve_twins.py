"""Resolution: a bare state name is the state, not a small town of that name in the same
country ("Florida", New York; "Kansas", Illinois), unless "Town, State" says otherwise."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_state_name_is_the_state_not_a_small_town_named_after_it(geoparser: Geoparser) -> None:
    text = ("A man who lives in New York bought the winning ticket at a gas station in Riverdale, "
            "New Jersey. The last jackpot was won in January by a man in Florida.")
    *_, florida = geoparser.resolve(text, spans_of(text, "New York", "Riverdale", "New Jersey",
                                                   "Florida"))
    assert florida.feature_code == "ADM1" and florida.admin1 == "Florida"
    # (the town Florida, New York, has about 2,900 people: the ranker's choice before)


def test_town_with_its_state_keeps_the_town(geoparser: Geoparser) -> None:
    text = "The fair opened in Nevada, Missouri, on Friday."
    town, state = geoparser.resolve(text, spans_of(text, "Nevada", "Missouri"))
    assert state.admin1 == "Missouri"
    assert town.feature_class == "P" and town.admin1 == "Missouri"


def test_bare_ocean_name_is_the_ocean_not_a_small_town(geoparser: Geoparser) -> None:
    text = ("Forecasters in Colorado expect fewer storms: the tropical Atlantic is cooler than "
            "average, and a weak La Nina persists in the eastern Pacific.")
    colorado, atlantic, pacific = geoparser.resolve(text, spans_of(text, "Colorado", "Atlantic",
                                                                   "Pacific"))
    assert colorado.feature_code == "ADM1"
    assert (atlantic.name, atlantic.feature_code) == ("Atlantic Ocean", "OCN")
    assert (pacific.name, pacific.feature_code) == ("Pacific Ocean", "OCN")
    # (before: Atlantic, Iowa, 6,800 people; Pacific, Missouri)


def test_town_named_like_an_ocean_keeps_its_state(geoparser: Geoparser) -> None:
    text = "The fire station in Atlantic, Iowa, reopened on Monday."
    town, state = geoparser.resolve(text, spans_of(text, "Atlantic", "Iowa"))
    assert state.admin1 == "Iowa"
    assert town.feature_class == "P" and town.admin1 == "Iowa"
