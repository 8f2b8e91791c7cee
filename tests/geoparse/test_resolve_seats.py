"""Resolution with given spans: institutions and venues whose names hold no place ("United
Nations", "UCLA", "Brands Hatch") are placed at the town where they sit, from
``mapper/data/institution_seats.csv`` (each row names its source)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of as _spans


def test_organisation_at_its_headquarters(geoparser: Geoparser) -> None:
    text = ("Twelve diplomats posted to Russia's mission to the United Nations were expelled; "
            "Moscow protested, and Moscow officials summoned the ambassador.")
    un, _ = geoparser.resolve(text, _spans(text, "United Nations", "Moscow"))
    assert (un.name, un.admin1, un.country_code) == ("New York City", "New York", "US")
    assert un.reason.startswith("fallback to seat 'New York City'")


def test_venue_at_its_town_with_the_admin1_given(geoparser: Geoparser) -> None:
    text = "The championship opens at Brands Hatch, where the champion starts from pole."
    (track,) = geoparser.resolve(text, _spans(text, "Brands Hatch"))
    assert (track.name, track.country_code) == ("West Kingsdown", "GB")
    text = "Officials at the Pentagon said the drill was planned."
    (pentagon,) = geoparser.resolve(text, _spans(text, "Pentagon"))
    assert (pentagon.name, pentagon.admin1) == ("Arlington", "Virginia")  # not Arlington, Texas


def test_acronym_is_the_institution_not_a_town(geoparser: Geoparser) -> None:
    text = "The OAS will observe the vote in Lima, and Lima officials welcomed the mission."
    oas, _ = geoparser.resolve(text, _spans(text, "OAS", "Lima"))
    assert oas.country_code == "US" and oas.name == "Washington"  # not Oas, Philippines


def test_every_row_names_a_source_and_resolves(geoparser: Geoparser) -> None:
    path = Path(str(resources.files("mapper") / "data" / "institution_seats.csv"))
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert len(rows) >= 50
    for row in rows:
        assert row["source"].startswith("en.wikipedia.org/wiki/"), row
        seat = geoparser._seat(row["name"])
        assert seat is not None and seat.place.country_code == row["country_code"], row
        assert not row["admin1"] or seat.place.admin1 == row["admin1"], row


def test_listed_university_wins_over_the_town_in_its_name(geoparser: Geoparser) -> None:
    text = ("Beijing and Washington traded threats, said a professor of trade policy at Cornell "
            "University. Students at California Polytechnic State University were told to wait.")
    *_, cornell, cal_poly = geoparser.resolve(text, _spans(
        text, "Beijing", "Washington", "Cornell University", "California Polytechnic State University"))
    assert (cornell.name, cornell.admin1) == ("Ithaca", "New York")  # not Cornell, Wisconsin
    assert cornell.reason.startswith("fallback to seat")
    assert (cal_poly.name, cal_poly.admin1) == ("San Luis Obispo", "California")  # not the state
