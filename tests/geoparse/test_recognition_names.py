"""Recognition rules about names that are no places here (issue 4): given names the census
lists lack, and institutions named by their building. Real gazetteer; each sentence is a
small made-up news line, each assertion the expected spans."""

from __future__ import annotations

from mapper.resolve import Geoparser


def _texts(geoparser: Geoparser, text: str) -> list[str]:
    return [s.text for s in geoparser.recognizer.find(text) if not s.person]


def test_surname_after_an_unlisted_given_name_is_a_person_alone_too(geoparser: Geoparser) -> None:
    text = ("Police in Dublin said the fighter Conor McGregor surrendered on Friday. A lawyer "
            "close to McGregor said he was sorry.")
    assert _texts(geoparser, text) == ["Dublin"]
    text = ("The film, starring Aidan Gillen, opened in Belfast. Gillen plays a priest.")
    assert _texts(geoparser, text) == ["Belfast"]


def test_unlisted_given_name_needs_a_lower_case_word_or_comma_before(geoparser: Geoparser
                                                                     ) -> None:
    # "in McGregor" stays a place; a capitalised word before the pair is a longer name.
    text = "The fighter Conor McGregor grew up near Dublin; his cousin lives in McGregor, Texas."
    assert _texts(geoparser, text) == ["Dublin", "McGregor", "Texas"]


def test_building_standing_for_its_institution_is_no_place(geoparser: Geoparser) -> None:
    text = ("Two White House aides met Russian diplomats in Geneva, a claim denied by the "
            "Kremlin. The White House declined to comment.")
    assert _texts(geoparser, text) == ["Russian", "Geneva"]


def test_building_as_a_place_stays(geoparser: Geoparser) -> None:
    text = "Protesters gathered outside the White House before a White House dinner."
    assert _texts(geoparser, text) == ["White House", "White House"]
    # A city before a word for its people stays a place ("Gainesville officials").
    assert _texts(geoparser, "Gainesville officials said the road was closed.") == ["Gainesville"]


def test_possessor_before_a_building_word_is_part_of_its_name(geoparser: Geoparser) -> None:
    text = "The Pope led the vigil in St. Peter's Basilica on Saturday."
    found = [s for s in geoparser.recognizer.find(text) if not s.person]
    assert [s.text for s in found] == ["St. Peter's Basilica"]
    assert found[0].query == ""  # the saint names it; it is not in a town called St. Peter
    # A city's building keeps the city ("Omaha's Center for ..." is in Omaha).
    assert "Omaha" in _texts(geoparser, "Researchers at Omaha's Center for Public Affairs "
                                        "said so.")


def test_site_opened_by_its_head_word_ends_before_a_possessive(geoparser: Geoparser) -> None:
    text = "Snow fell on Mount Hood's northern slopes and on Lake Lanier's shore."
    assert _texts(geoparser, text) == ["Mount Hood", "Lake Lanier"]
