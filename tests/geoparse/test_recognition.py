"""Recognition and resolution on short texts, with the real gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import InputError
from mapper.model import PlaceMention, Span
from mapper.resolve import Geoparser


def _by_text(mentions: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {m.text: m for m in mentions}


def test_people_named_like_places_stay_unmapped(geoparser: Geoparser) -> None:
    text = ("National Security Adviser John Bolton stated it. Bolton’s statement was new. "
            "“They could use a new weapon,” said Mr. Knights. Dan Coats warned. Coats said more. "
            "Barack Obama left Iraq in 2011. Pentagon spokesman John Kirby told reporters.")
    mentions = geoparser.parse(text)
    placed = {m.text for m in mentions if m.lat is not None and m.status != "ignored"}
    assert placed == {"Iraq"}
    for name in ("Bolton", "Knights", "Coats", "Obama", "Kirby"):
        hits = [m for m in mentions if m.text == name]
        assert all(m.status == "ignored" and m.lat is None for m in hits), name


def test_demonyms_are_ignored_unless_a_place_is_meant(geoparser: Geoparser) -> None:
    text = "Iranian proxies in Iraq fired rockets. The drone crossed into Iraqi territory."
    m = _by_text(geoparser.parse(text))
    assert m["Iranian"].status == "ignored" and m["Iranian"].reason == "demonym"
    assert m["Iranian"].country_code == "IR"
    assert m["Iraq"].status == "resolved" and m["Iraq"].country_code == "IQ"
    assert m["Iraqi"].status == "resolved" and m["Iraqi"].feature_code == "PCLI"


def test_multiword_sites_and_feature_words(geoparser: Geoparser) -> None:
    text = ("Rockets hit the At Tanf garrison and Basrah Airport. Militias operate in Basrah and "
            "Anbar provinces. The strike near Baghdad’s main airport killed him.")
    m = _by_text(geoparser.parse(text))
    # Lower-case feature words say what is meant but stay outside the name.
    assert m["At Tanf"].country_code == "SY" and m["At Tanf"].feature_class == "S"
    assert m["Basrah Airport"].feature_code in ("AIRP", "AIRB")
    assert m["Anbar"].feature_code == "ADM1" and m["Anbar"].country_code == "IQ"
    assert m["Basrah"].feature_class == "P"
    assert m["Baghdad’s main airport"].feature_class == "S"
    assert m["Baghdad’s main airport"].country_code == "IQ"


def test_containment_dateline_and_metonymy(geoparser: Geoparser) -> None:
    text = ("BAGHDAD (AP) — Officials met in Prague, Oklahoma on Monday. "
            "Washington said the talks failed. Tehran said nothing.")
    m = _by_text(geoparser.parse(text))
    assert m["BAGHDAD"].country_code == "IQ"
    assert (m["Prague"].country_code, m["Prague"].admin1) == ("US", "Oklahoma")
    assert m["Washington"].feature_code == "PPLC" and m["Washington"].country_code == "US"
    assert m["Tehran"].country_code == "IR" and m["Tehran"].feature_class == "P"


def test_us_state_abbreviation_keeps_its_full_stop(geoparser: Geoparser) -> None:
    text = "SALINA, Kan. Strong winds toppled trucks."
    m = _by_text(geoparser.parse(text))
    assert m["Kan."].admin1 == "Kansas" and m["Kan."].feature_code == "ADM1"


def test_resolve_returns_one_mention_per_given_span(geoparser: Geoparser) -> None:
    text = "Shells fell on Alexandria, Louisiana, and on Paris."
    spans = [Span(15, 25), Span(27, 36), Span(45, 50)]
    got = geoparser.resolve(text, spans)
    assert [(m.start, m.end, m.text) for m in got] == [(15, 25, "Alexandria"), (27, 36, "Louisiana"),
                                                       (45, 50, "Paris")]
    assert (got[0].country_code, got[0].admin1) == ("US", "Louisiana")


def test_unknown_names_are_reported_not_dropped(geoparser: Geoparser) -> None:
    got = geoparser.resolve("They met at Qzxwvtown yesterday.", [Span(12, 21)])
    assert got[0].status == "unresolved" and got[0].reason == "not in gazetteer"


WORDS = ["Baghdad", "Basrah", "Iraq", "Mr.", "Knights", "said", "the", "U.S.", "Embassy", "in",
         "Iranian", "proxies", "Anbar", "province", "’s", ",", ".", "—", "Kan.", "Washington",
         "St.", "Louis", "al-Qaim", "Kata’ib", "Hezbollah", "John", "Bolton", "\n", "Hīt"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_mention_offsets_slice_back_to_the_mention_text(geoparser: Geoparser, words: list[str]) -> None:
    text = " ".join(words)
    for m in geoparser.parse(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.status in ("resolved", "unresolved", "ambiguous", "ignored")
        assert (m.lat is None) == (m.lon is None)


def test_spacy_model_adds_candidates(tmp_path: Path, geoparser: Geoparser) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is optional and not installed")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "FAC", "pattern": "Camp Qzxw"}])
    nlp.to_disk(tmp_path / "model")
    parser = Geoparser(gazetteer=geoparser.gazetteer, spacy_model=str(tmp_path / "model"))
    got = {m.text: m for m in parser.parse("Troops left Camp Qzxw for Baghdad.")}
    assert got["Camp Qzxw"].status == "unresolved" and got["Baghdad"].country_code == "IQ"


def test_missing_spacy_model_is_a_clear_input_error(geoparser: Geoparser) -> None:
    with pytest.raises(InputError, match="--spacy-model 'no_such_model_xyz'"):
        Geoparser(gazetteer=geoparser.gazetteer, spacy_model="no_such_model_xyz")


def test_streets_and_buildings_fall_back_to_their_town(geoparser: Geoparser) -> None:
    text = "A bomb exploded on Rashid Street, Baghdad, and near Yarmouk Hospital in Baghdad."
    m = _by_text(geoparser.parse(text))
    for site in ("Rashid Street", "Yarmouk Hospital"):
        assert m[site].status == "resolved" and m[site].place_id == m["Baghdad"].place_id
        assert m[site].reason.startswith("fallback to container 'Baghdad'")
        assert m[site].score is not None and m["Baghdad"].score is not None
        assert m[site].score < m["Baghdad"].score
    assert "Rashid" not in m  # part of the street's name
