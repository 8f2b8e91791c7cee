"""The resolver's caches never make a document's result depend on earlier documents."""

from __future__ import annotations

from mapper.resolve import Geoparser


def _readings(geoparser: Geoparser, text: str) -> list[tuple[str, str, str, str | None]]:
    return [(m.text, m.status, m.reason, m.place_id) for m in geoparser.parse(text, doc_id="d")]


def test_demonym_reason_names_its_own_words(geoparser: Geoparser) -> None:
    # Two demonyms of one country: each mention's reason quotes its own word, in either order.
    english = _readings(geoparser, "Troops landed on English soil.")
    british = _readings(geoparser, "Troops landed on British soil.")
    assert [r[:2] for r in english] == [("English", "resolved")]
    assert [r[:2] for r in british] == [("British", "resolved")]
    assert "'English'" in english[0][2] and "'British'" in british[0][2]
    assert english[0][3] == british[0][3]
    assert _readings(geoparser, "Troops landed on English soil.") == english
