"""Resolution with given spans: names the gazetteer lacks fall back to the document's focus,
and a chosen admin-1 unit counts as the gold GeoNames record it is."""

from __future__ import annotations

from mapper.evaluate import GoldToponym, error_km, geonames_id
from mapper.model import PlaceMention, Span
from mapper.resolve import Geoparser


def _span(text: str, name: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Span(start, start + len(name))


def test_unknown_street_falls_back_to_the_documents_city(geoparser: Geoparser) -> None:
    text = ("Police closed Royal Street on Monday after the parade. New Orleans officials said "
            "the street would reopen, and New Orleans police asked drivers to avoid it.")
    spans = [_span(text, "Royal Street"), _span(text, "New Orleans"), _span(text, "New Orleans", 1)]
    street, city, _ = geoparser.resolve(text, spans)
    assert city.status == "resolved" and city.admin1 == "Louisiana"
    assert street.status == "resolved"
    assert street.reason.startswith("fallback to document focus")
    assert (street.place_id, street.lat, street.lon) == (city.place_id, city.lat, city.lon)
    assert street.score is not None and city.score is not None and street.score < city.score


def test_without_a_focus_an_unknown_name_stays_unresolved(
        geoparser: Geoparser) -> None:
    text = "Crowds gathered on Qwertzuiop Boulevard."
    (m,) = geoparser.resolve(text, [_span(text, "Qwertzuiop Boulevard")])
    assert m.status == "unresolved" and m.lat is None


def test_admin1_unit_is_its_geonames_record(geoparser: Geoparser) -> None:
    text = "Wildfires spread across Alaska this week."
    (m,) = geoparser.resolve(text, [_span(text, "Alaska")])
    assert m.feature_code == "ADM1" and m.admin1 == "Alaska"
    assert geonames_id(m.place_id) == "5879092"  # GeoNames: State of Alaska
    # GeoNames draws Alaska at (64.0, -150.0), ~170 km from our label point: still exact.
    gold = GoldToponym(0, 6, "Alaska", 64.00028, -150.00028, "ADM1", "5879092")
    assert error_km(gold, m) == 0.0
    other = PlaceMention("d", 0, 6, "Alaska", place_id=m.place_id, lat=m.lat, lon=m.lon)
    assert error_km(GoldToponym(0, 6, "Alaska", 64.00028, -150.00028), other) > 161.0
