"""Recognition rules of issue 4, round 2: a name marked as a person in one place of the
document stays a place where its context says so. Real gazetteer; each sentence is a small
made-up news line, each assertion the expected spans."""

from __future__ import annotations

from mapper.resolve import Geoparser


def _texts(geoparser: Geoparser, text: str) -> list[str]:
    return [s.text for s in geoparser.recognizer.find(text) if not s.person]


def test_person_mark_does_not_reach_a_name_after_in_or_city_of(geoparser: Geoparser) -> None:
    text = ("Mayor Clinton spoke on Monday. The factory in Clinton closed, and the city of "
            "Clinton lost 300 jobs.")
    assert _texts(geoparser, text) == ["Clinton", "Clinton"]


def test_possessive_after_in_stays_a_person(geoparser: Geoparser) -> None:
    text = "Senator Carter said the cash was found in Carter's office."
    assert _texts(geoparser, text) == []


def test_home_state_or_town_after_a_party_tag(geoparser: Geoparser) -> None:
    text = ("Rep. Jane Roe, D-N.Y., and Sen. Tom Doe, DFL-Minneapolis, met Rep. Ann Poe, "
            "D-Calif, on Monday.")
    assert _texts(geoparser, text) == ["N.Y.", "Minneapolis", "Calif"]


def test_state_abbreviation_without_full_stop_needs_a_party_tag(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "The Calif team lost in Boston.") == ["Boston"]


def test_person_mark_does_not_reach_a_home_town_or_a_council(geoparser: Geoparser) -> None:
    text = ("Judge Arlington said on Monday that Tom Webb, 29, of Arlington, was charged. "
            "The Arlington Council met later.")
    assert _texts(geoparser, text) == ["Arlington", "Arlington"]


def test_pair_ending_in_a_notable_place_never_written_alone_is_a_person(geoparser: Geoparser
                                                                         ) -> None:
    text = ("Those present in Colombo were Susil Jayasekara, Dilan Perera, John Silva and "
            "Lakshman Wasantha Perera.")
    assert _texts(geoparser, text) == ["Colombo"]
    # Written alone elsewhere, the notable place stays one ("Rodeo Gainesville").
    text = "The Gainesville club hosts Rodeo Gainesville in May. Rodeo Gainesville ends."
    assert "Gainesville" in _texts(geoparser, text)


def test_name_before_agency_is_part_of_the_agency(geoparser: Geoparser) -> None:
    # Not even a candidate for the span filter to judge.
    text = "The Highways Agency closed the road near Gloucester."
    assert [s.text for s in geoparser.recognizer.find(text)] == ["Gloucester"]
