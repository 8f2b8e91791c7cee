"""Resolution with given spans: the document's focus (where unknown names fall back) lies in
the document's home country, so a misread name elsewhere does not become it."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser
from tests.geoparse.conftest import spans_of


def test_focus_in_the_home_country(geoparser: Geoparser) -> None:
    text = ("Patients from the Republic travel to Derry for care. Northern Ireland health trusts "
            "said the Republic pays for it, and Belfast agreed. The Macmillan Support Centre "
            "opened on Monday.")
    names = [("Republic", 0), ("Derry", 0), ("Northern Ireland", 0), ("Republic", 1),
             ("Belfast", 0), ("Macmillan Support Centre", 0)]
    spans = []
    for name, nth in names:
        at = -1
        for _ in range(nth + 1):
            at = text.index(name, at + 1)
        spans.append(Span(at, at + len(name)))
    _, derry, *_, belfast, centre = geoparser.resolve(text, spans)
    assert belfast.country_code == "GB"
    # "Republic" (a town in Missouri, read twice) is the most frequent town, but the
    # document's places are mostly in the United Kingdom: the focus is one of its towns
    # (Derry and Belfast tie; the first mentioned wins).
    assert centre.place_id in (derry.place_id, belfast.place_id)
    assert centre.country_code == "GB"
    assert centre.reason.startswith("fallback to document focus '")


def test_focus_is_the_town_the_other_places_surround(geoparser: Geoparser) -> None:
    text = ("A man was stabbed at the corner of State and Hubbard streets. Chicago police said he "
            "lived in Park Ridge and worked in the Near North Side. He died at the Lakeshore "
            "Rehabilitation Unit.")
    hubbard, chicago, *_, unit = geoparser.resolve(
        text, spans_of(text, "Hubbard", "Chicago", "Park Ridge", "Near North Side",
                       "Lakeshore Rehabilitation Unit"))
    assert chicago.admin1 == "Illinois"
    # Each town is read once; Chicago has two of the others within 50 km, "Hubbard"
    # (a town in Ohio or Texas, mentioned first) has none.
    assert unit.reason.startswith("fallback to document focus 'Chicago'")
    # Hubbard itself is no focus; a small town far from every other place, it is taken for
    # the Chicago street it is (``_stray``).
    assert hubbard.name == "Chicago" and "Hubbard" in hubbard.reason


def test_focus_is_the_home_countrys_area_when_it_has_no_town(geoparser: Geoparser) -> None:
    text = ("Ministers of the Islamic Republic met on Monday. Iran said Iran would "
            "answer, and Iran's allies agreed; oilmen in Midland, Texas, were not asked.")
    spans = spans_of(text, "Islamic Republic", "Texas")
    at = -1
    for _ in range(3):
        at = text.index("Iran", at + 1)
        if text[at:at + 5] != "Irani":
            spans.append(Span(at, at + 4))
    republic, texas, *_ = geoparser.resolve(text, spans)
    assert texas.country_code == "US"
    # The document's places are mostly Iran, which has no town among them: the country,
    # not the one U.S. state, is where an unknown name falls back.
    assert republic.country_code == "IR"
    assert republic.reason.startswith("fallback to document focus")
