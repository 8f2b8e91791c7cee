"""Resolution with given spans: a name whose only readings are small towns far from the
document's places falls back to the document's focus (it is a street, venue or local name)."""

from __future__ import annotations

from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_street_named_like_a_far_small_town_falls_back_to_the_focus(geoparser: Geoparser) -> None:
    text = ("The streetcar ran through New Orleans for a century. It rolled down Bourbon and "
            "Dauphine streets to Desire Street, and New Orleans still remembers it.")
    first, bourbon, _last = geoparser.resolve(text, spans_of(text, "New Orleans", "Bourbon",
                                                             "New Orleans"))
    assert first.name == "New Orleans"
    assert bourbon.name == "New Orleans" and bourbon.reason.startswith("fallback to document focus")
    assert "Bourbon" in bourbon.reason  # it says which town it did not take
    # (before: Bourbon, Missouri, 1,300 people, 900 km away)


def test_small_town_near_the_documents_places_stays(geoparser: Geoparser) -> None:
    text = ("Flooding closed roads in Springfield, Missouri, on Monday. In Bourbon, crews "
            "cleared the highway.")
    *_, bourbon = geoparser.resolve(text, spans_of(text, "Springfield", "Missouri", "Bourbon"))
    assert bourbon.name == "Bourbon" and bourbon.admin1 == "Missouri"


def test_small_town_whose_state_is_named_stays(geoparser: Geoparser) -> None:
    text = "The story begins in Louisiana, in New Orleans. Later the family moved to Missouri, to Bourbon."
    *_, bourbon = geoparser.resolve(text, spans_of(text, "Louisiana", "New Orleans", "Missouri",
                                                   "Bourbon"))
    assert bourbon.name == "Bourbon" and bourbon.admin1 == "Missouri"
