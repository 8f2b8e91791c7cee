"""Recognition conventions for names that hold a place name (issue 4), with the real
gazetteer: each sentence is a small made-up news line, each assertion the expected spans."""

from __future__ import annotations

from mapper.resolve import Geoparser


def _texts(geoparser: Geoparser, text: str) -> list[str]:
    return [s.text for s in geoparser.recognizer.find(text) if not s.person]


def test_state_team_or_police_is_the_state(geoparser: Geoparser) -> None:
    text = ("Mississippi State’s center scored twice. Maryland State Police say the locker "
            "was rented.")
    assert _texts(geoparser, text) == ["Mississippi", "Maryland"]


def test_state_university_is_one_name(geoparser: Geoparser) -> None:
    found = [s for s in geoparser.recognizer.find("She teaches at Colorado State University.")
             if not s.person]
    assert [(s.text, s.query) for s in found] == [("Colorado State University", "Colorado")]


def test_events_and_institutions_named_after_a_place(geoparser: Geoparser) -> None:
    text = ("Thunder Snow won the Dubai World Cup. The Bank of Japan will keep rates low. "
            "She played at the Dublin International Piano Competition.")
    # "Bank of X", "Embassy of X": both corpora annotate the country alone.
    assert _texts(geoparser, text) == ["Dubai World Cup", "Japan",
                                       "Dublin International Piano Competition"]


def test_state_abbreviation_in_capitals(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "Wastewater in WA is diluted, a NJ official said.") == ["WA", "NJ"]
    # An abbreviation that is also an English word stays a word.
    assert _texts(geoparser, "He said it was OK.") == []


def test_street_named_by_another_head_word(geoparser: Geoparser) -> None:
    text = "Crews were called to the 200 block of River Avenue. Traffic on Lake Street stopped."
    found = [s for s in geoparser.recognizer.find(text) if not s.person]
    assert [(s.text, s.site) for s in found] == [("River Avenue", True), ("Lake Street", True)]
    assert _texts(geoparser, "The Hospital said nothing.") == []
