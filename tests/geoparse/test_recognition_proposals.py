"""Recognition rules that propose or judge spans from their neighbours (issue 4), with the
real gazetteer: each sentence is a small made-up news line, each assertion expected spans."""

from __future__ import annotations

from mapper.resolve import Geoparser
from mapper.toponyms import ToponymSpan


def _found(geoparser: Geoparser, text: str) -> list[ToponymSpan]:
    return [s for s in geoparser.recognizer.find(text) if not s.person]


def _texts(geoparser: Geoparser, text: str) -> list[str]:
    return [s.text for s in _found(geoparser, text)]


def test_surname_of_a_full_name_is_that_person_alone_too(geoparser: Geoparser) -> None:
    text = ("Stephen Russell’s Dave Allen biopic opened in Glasgow. The resemblance to Allen "
            "was striking.")
    assert "Allen" not in _texts(geoparser, text)
    assert "Glasgow" in _texts(geoparser, text)


def test_surname_after_several_given_names(geoparser: Geoparser) -> None:
    text = ("The land was owned by Claude Joseph Villars Dubreuil, a builder. Later "
            "Dubreuil dug a canal to Lake Pontchartrain.")
    assert "Dubreuil" not in _texts(geoparser, text)


def test_full_name_leaves_a_place_written_with_in_alone(geoparser: Geoparser) -> None:
    # "in Allen" stays a place even when a person of that name appears too.
    text = "Coach Dave Allen lives in Allen, Texas, and works in Plano."
    assert "Allen" in _texts(geoparser, text)


def test_unknown_name_between_places_of_a_list(geoparser: Geoparser) -> None:
    text = "The band played in Copenhagen, Hamburg, Brasoc and Mannheim last month."
    assert _texts(geoparser, text) == ["Copenhagen", "Hamburg", "Brasoc", "Mannheim"]


def test_unknown_name_before_a_comma_and_a_province(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "Calendar. 25/26 August: Knockhill, Fife. 15/16 September: "
                             "Silverstone.") == ["Knockhill", "Fife", "Silverstone"]
    # Not when the name goes on after the province ("Delta Air Lines"), nor a person's.
    assert "Aeroflot" not in _texts(geoparser, "Flights by Aeroflot, Delta Air Lines and others.")
    assert "Smith" not in _texts(geoparser, "Jane Smith, Texas, won the race.")


def test_two_names_before_a_plural_street_word_are_streets(geoparser: Geoparser) -> None:
    found = _found(geoparser, "He collapsed at the corner of State and Hubbard streets.")
    assert [(s.text, s.site) for s in found] == [("State", True), ("Hubbard", True)]
    # Numbered streets are no names of their own.
    assert _texts(geoparser, "The area between Fourth and Seventh streets was closed.") == []


def test_washington_dc_is_one_name(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "The murals of Washington, D.C., are famous.") == [
        "Washington, D.C."]


def test_names_before_a_plural_feature_word_are_places_of_that_kind(geoparser: Geoparser) -> None:
    found = _found(geoparser, "Girls from Cooke, Grayson and Love counties will compete.")
    assert [s.text for s in found] == ["Cooke", "Grayson", "Love"]
    assert found[-1].hint is not None and found[-1].hint.word == "county"


def test_home_town_after_a_person(geoparser: Geoparser) -> None:
    text = "Police charged Christopher Bowers, 19, of Martinez, with assault."
    assert "Martinez" in _texts(geoparser, text)
    assert "Gaston" in _texts(geoparser, "The victim was Phillip Christofoli of Gaston.")
    # A common word after "Chambers of" is no home town.
    assert "Commerce" not in _texts(geoparser, "He spoke for the Chambers of Commerce, Industry "
                                               "and Mines.")


def test_town_of_an_unknown_name(geoparser: Geoparser) -> None:
    text = "The bombing occurred in the town of Akurezza, in Matara district."
    assert "Akurezza" in _texts(geoparser, text)
    text = "He was the mount of Christophe Soumillon, the jockey."
    assert "Christophe" not in _texts(geoparser, text)


def test_a_hyphen_between_two_places_keeps_both(geoparser: Geoparser) -> None:
    assert "Fargo" in _texts(geoparser, "The river will crest in Fargo-Moorhead on Friday.")
    assert _texts(geoparser, "A Wal-Mart spokesman declined to comment.") == []


def test_big_place_named_like_a_given_name_before_a_surname(geoparser: Geoparser) -> None:
    text = "He called Russian leader Vladimir Putin, and flew to Vladimir on Monday."
    found = _found(geoparser, text)
    assert [(s.text, s.start) for s in found if s.text == "Vladimir"] == [
        ("Vladimir", text.rindex("Vladimir"))]
    # A longer name stays a place's ("Georgia Modular Systems"), as does "in Alexandria".
    assert "Georgia" in _texts(geoparser, "Roberts works at Georgia Modular Systems.")
    assert "Alexandria" in _texts(geoparser, "The crash was in Alexandria Friday night.")


def test_name_after_a_word_for_a_relative_is_a_person(geoparser: Geoparser) -> None:
    text = "Rozen's wife, Julia, has taken over the search in Nashville."
    assert _texts(geoparser, text) == ["Nashville"]


def test_venue_before_in_and_a_place(geoparser: Geoparser) -> None:
    text = "She now studies at the Guildhall School of Music in London."
    found = _found(geoparser, text)
    assert [s.text for s in found] == ["Guildhall School of Music", "London"]
    assert found[0].site and found[0].container is found[1]
    text = "In April he won a prize at the Feis Ceoil in Dublin."
    assert _texts(geoparser, text) == ["Feis Ceoil", "Dublin"]
    # A firm, a group or a person is no venue.
    assert _texts(geoparser, "He is manager at Meth Lab Cleanup Co. in Post Falls.") == [
        "Post Falls"]
    assert _texts(geoparser, "The talks were at the United Nations Interim Force in "
                             "Lebanon.") == ["Lebanon"]


def test_a_name_glued_into_a_product_name_is_none(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "Designers in Berlin use PV*SOL and T*SOL.") == ["Berlin"]


def test_state_abbreviation_that_opens_a_longer_name(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "The Bears were to host the NC Dinos, Seoul said.") == ["Seoul"]
    assert _texts(geoparser, "Flooding closed roads in NJ on Monday.") == ["NJ"]


def test_unknown_name_after_a_word_of_motion_and_to(geoparser: Geoparser) -> None:
    text = "She has now moved back to Khayelitshe, where her sister lives."
    assert _texts(geoparser, text) == ["Khayelitshe"]
    # "to" alone is no sign of a place.
    assert _texts(geoparser, "He spoke to Ingraham about it.") == []


def test_doubtful_name_listed_with_a_place(geoparser: Geoparser) -> None:
    text = "Sales rose in the cities of Newark, Heath and Pataskala this spring."
    assert "Heath" in _texts(geoparser, text)
    assert "Heath" not in _texts(geoparser, "Heath said the sales rose this spring.")


def test_home_town_after_a_party_letter(geoparser: Geoparser) -> None:
    text = "House Minority Leader Marty Seifert, R-Marshall, joined the motion."
    assert _texts(geoparser, text) == ["Marshall"]
