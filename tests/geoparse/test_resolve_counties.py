"""Resolution: English counties that Natural Earth splits into unitary authorities (Cheshire,
Berkshire, West Yorkshire) and the historic Yorkshire are curated places (overlay.csv), so a
British story's "Cheshire" is the county, not Cheshire, Connecticut."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_british_calendar_reads_english_counties(geoparser: Geoparser) -> None:
    text = ("The British championship visits Thruxton, Hampshire in May, Oulton Park, Cheshire "
            "in June, Croft, Yorkshire in July and Snetterton, Norfolk in August.")
    found = geoparser.resolve(text, spans_of(text, "Thruxton", "Hampshire", "Oulton Park",
                                             "Cheshire", "Croft", "Yorkshire", "Snetterton",
                                             "Norfolk"))
    by_text = {m.text: m for m in found}
    for county in ("Cheshire", "Yorkshire"):
        m = by_text[county]
        assert (m.country_code, m.place_id) == ("GB", f"ov:{county.lower()}"), m
    # Cheshire is 53.2 N 2.5 W; the park is placed at the county it is named beside.
    park = by_text["Oulton Park"]
    assert park.country_code == "GB" and park.lat is not None and park.lon is not None
    assert abs(park.lat - 53.2) < 0.5 and abs(park.lon + 2.5) < 0.5


def test_a_split_county_is_one_place(geoparser: Geoparser) -> None:
    text = "Volunteer drivers take patients to hospital across Berkshire and West Yorkshire."
    berkshire, west = geoparser.resolve(text, spans_of(text, "Berkshire", "West Yorkshire"))
    assert berkshire.place_id == "ov:berkshire" and berkshire.country_code == "GB"
    assert west.place_id == "ov:west-yorkshire"
