"""The evaluation's breakdown of fallbacks: names the gazetteer lacks, counted by how the
resolver placed them (seat, place named inside or beside, document focus) and whether
that was right (< 161 km)."""

from __future__ import annotations

from mapper.evaluate import GoldCorpus, GoldDocument, GoldToponym, evaluate_corpus, fallback_kind
from mapper.model import PlaceMention, Span


def _m(start: int, end: int, lat: float, lon: float, reason: str) -> PlaceMention:
    return PlaceMention("a", start, end, "x", status="resolved", lat=lat, lon=lon, reason=reason)


def test_fallback_kind_from_the_reason() -> None:
    assert fallback_kind(_m(0, 1, 0, 0, "fallback to seat 'Geneva' (institution; x)")) == "seat"
    assert fallback_kind(_m(0, 1, 0, 0, "fallback to document focus 'Derry' (y)")) == "document focus"
    assert fallback_kind(_m(0, 1, 0, 0, "matched exact 'paris'")) is None


def test_breakdown_counts_right_and_wrong_per_kind() -> None:
    text = "United Nations, Brands Hatch, Paris"
    doc = GoldDocument("a", 0, text, (
        GoldToponym(0, 14, "United Nations", 40.75, -73.97),
        GoldToponym(16, 28, "Brands Hatch", 51.36, 0.26),
        GoldToponym(30, 35, "Paris", 48.8566, 2.3522),
    ))

    def resolve(t: str, spans: list[Span], doc_id: str) -> list[PlaceMention]:
        return [_m(0, 14, 40.71, -74.0, "fallback to seat 'New York City' (z)"),
                _m(16, 28, 48.85, 2.35, "fallback to document focus 'Paris' (z)"),  # wrong
                _m(30, 35, 48.8566, 2.3522, "matched exact 'paris'")]

    s = evaluate_corpus(GoldCorpus("T", "lgl", "-", [doc]), parse=lambda t, d: [], resolve=resolve)
    res = s["resolution_gold_spans"]
    assert s["resolution_fallbacks"] == {"document focus": {"right": 0, "wrong": 1},
                                "seat": {"right": 1, "wrong": 0}}
    assert res["outcomes"] == {"fallback_right": 1, "fallback_wrong": 1, "right": 1}
