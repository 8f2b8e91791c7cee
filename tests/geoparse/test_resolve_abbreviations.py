"""Resolution: bare abbreviations of states, provinces and territories ("NSW", "B.C.", "WA",
"SA"; ``mapper/data/region_abbreviations.csv``) read as those areas, the document choosing
among readings ("WA" is Western Australia near Perth, Washington near Seattle)."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser


def _spans(text: str, *names: str) -> list[Span]:
    out, at = [], 0
    for n in names:
        start = text.index(n, at)
        out.append(Span(start, start + len(n)))
        at = start + len(n)
    return out


def test_australian_state(geoparser: Geoparser) -> None:
    text = "Rangers from NSW National Parks closed the beach near Newcastle on Monday."
    nsw, _ = geoparser.resolve(text, _spans(text, "NSW", "Newcastle"))
    assert (nsw.name, nsw.feature_code, nsw.country_code) == ("New South Wales", "ADM1", "AU")


def test_canadian_province_with_stops(geoparser: Geoparser) -> None:
    text = "Two hours away, on the other side of the B.C. border, Valemount is building a resort."
    bc, _ = geoparser.resolve(text, _spans(text, "B.C.", "Valemount"))
    assert (bc.name, bc.country_code) == ("British Columbia", "CA")


def test_the_document_chooses_the_reading(geoparser: Geoparser) -> None:
    text = "Perth and Fremantle beaches stay closed, WA health officials said."
    *_, wa = geoparser.resolve(text, _spans(text, "Perth", "Fremantle", "WA"))
    assert (wa.name, wa.country_code) == ("Western Australia", "AU")
    text = "Mining towns such as Rustenburg and Polokwane have grown, SA officials said."
    *_, sa = geoparser.resolve(text, _spans(text, "Rustenburg", "Polokwane", "SA"))
    assert sa.place_id == "cc:ZA"


def test_state_abbreviation_is_the_state_not_a_town_of_its_name(geoparser: Geoparser) -> None:
    text = "CAMP MURRAY, Wash. -- The guard unit trains here with the state police."
    _camp, state = geoparser.resolve(text, _spans(text, "CAMP MURRAY", "Wash."))
    assert (state.feature_code, state.admin1) == ("ADM1", "Washington")
    # (before: Washington, D.C., the capital, 3,600 km away)
