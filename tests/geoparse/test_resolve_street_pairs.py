"""Resolution with given spans: a name given as one of two streets ("Bourbon and Dauphine
streets", "the corner of State and Hubbard streets") lies where the story is, not in a far
town of that name."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_first_of_two_streets_falls_back_to_the_focus(geoparser: Geoparser) -> None:
    text = ("The streetcar rolled down Bourbon and Dauphine streets in New Orleans, and New "
            "Orleans crowds followed it.")
    bourbon, city = geoparser.resolve(text, spans_of(text, "Bourbon", "New Orleans"))
    assert city.admin1 == "Louisiana"
    assert bourbon.place_id == city.place_id  # not Bourbon, Missouri
    assert bourbon.reason.startswith("fallback to document focus")


def test_street_after_corner_of_falls_back_to_the_focus(geoparser: Geoparser) -> None:
    text = ("A man collapsed at the corner of State and Hubbard streets in Chicago, Chicago "
            "police said.")
    state, city = geoparser.resolve(text, spans_of(text, "State", "Chicago"))
    assert city.admin1 == "Illinois"
    assert state.place_id == city.place_id
