"""Resolution with given spans: the document's focus (where unknown names fall back) lies in
the document's home country, so a misread name elsewhere does not become it."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser


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
    *_, belfast, centre = geoparser.resolve(text, spans)
    assert belfast.country_code == "GB"
    # "Republic" (a town in Missouri, read twice) is the most frequent town, but the
    # document's places are mostly in the United Kingdom.
    assert centre.place_id == belfast.place_id
    assert centre.reason.startswith("fallback to document focus 'Belfast'")
