"""Resolution with given spans: a government body named after its country ("Russian Foreign
Ministry") that the gazetteer lacks sits in the country's capital, not at the focus."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_a_ministry_of_a_country_is_placed_at_its_capital(geoparser: Geoparser) -> None:
    text = ("Police in Saint Petersburg and Pskov detained the suspects. The Russian Foreign "
            "Ministry said the diplomats would leave Saint Petersburg on Friday.")
    *_, ministry, _spb = geoparser.resolve(text, spans_of(
        text, "Saint Petersburg", "Pskov", "Russian Foreign Ministry", "Saint Petersburg"))
    assert (ministry.name, ministry.country_code) == ("Moscow", "RU")
    assert ministry.reason.startswith("fallback to place named inside")
    # (before: the document's focus, Saint Petersburg)


def test_other_bodies_named_after_a_country_keep_the_focus_rule(geoparser: Geoparser) -> None:
    text = ("Police in Saint Petersburg and Pskov detained the suspects. The Russian Chess "
            "Club said the games in Saint Petersburg would go on.")
    *_, club, _spb = geoparser.resolve(text, spans_of(
        text, "Saint Petersburg", "Pskov", "Russian Chess Club", "Saint Petersburg"))
    assert club.name != "Moscow"
