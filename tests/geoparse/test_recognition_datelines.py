"""Datelines and the names they and other rules bring to the rest of the document (issue
4). Real gazetteer; each sentence a small made-up news line, each assertion the spans."""

from __future__ import annotations

from mapper.resolve import Geoparser
from mapper.toponyms import ToponymSpan


def _found(geoparser: Geoparser, text: str) -> list[ToponymSpan]:
    return [s for s in geoparser.recognizer.find(text) if not s.person]


def _texts(geoparser: Geoparser, text: str) -> list[str]:
    return [s.text for s in _found(geoparser, text)]


def test_dateline_after_a_headline_is_a_place_even_when_unknown(geoparser: Geoparser) -> None:
    text = "Lamont visits supporters. HARWINTON — Former nominee Ned Lamont spoke on Sunday."
    found = _found(geoparser, text)
    assert [s.text for s in found] == ["HARWINTON"]
    assert found[0].dateline


def test_dateline_beats_a_person_of_that_name(geoparser: Geoparser) -> None:
    # "Clinton" alone would be the politician; in a dateline it is the town.
    text = "Couple faces drug counts. CLINTON — A town couple was charged on Monday."
    assert _texts(geoparser, text) == ["CLINTON"]


def test_dateline_of_several_words_is_one_name(geoparser: Geoparser) -> None:
    text = "CAMP MURRAY, Wash. - Soldiers of the guard returned home on Friday."
    assert _texts(geoparser, text)[:1] == ["CAMP MURRAY"]


def test_no_dateline_for_a_common_word(geoparser: Geoparser) -> None:
    assert _texts(geoparser, "Story changed. UPDATE — The road is open again.") == []


def test_unknown_place_found_once_is_a_place_elsewhere_too(geoparser: Geoparser) -> None:
    text = ("The robbers drove to Lanexa on Friday. Police searched a Lanexa home and found "
            "guns. Lanexa is quiet again.")
    assert _texts(geoparser, text) == ["Lanexa", "Lanexa", "Lanexa"]


def test_unknown_name_after_in_alone_is_not_repeated(geoparser: Geoparser) -> None:
    # "in Dropbox" may be a firm: its other mentions are not made places.
    text = "Files stored in Dropbox sync at once. Dropbox said the feature is free."
    assert _texts(geoparser, text) == ["Dropbox"]


def test_capitalised_preposition_opening_a_sentence(geoparser: Geoparser) -> None:
    text = "The general toured the region. At Makeen the general met elders."
    assert _texts(geoparser, text) == ["Makeen"]
    # Title case in a headline says nothing.
    assert _texts(geoparser, "Heroin Seized In Raids") == []


def test_unknown_dateline_looks_up_the_place_in_it(geoparser: Geoparser) -> None:
    text = "CAMP MURRAY, Wash. - Soldiers of the guard returned home on Friday."
    assert _found(geoparser, text)[0].query == "MURRAY"
