"""The recogniser's span filter (``SpanFilter``, trained by benchmarks/train_recognition.py):
small made-up news lines with the real gazetteer and the shipped weights, and the loader."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mapper.resolve import Geoparser
from mapper.toponyms import SPAN_FEATURES, SPAN_FILTER_FILE, SpanFilter, _data_path


def _places(geoparser: Geoparser, text: str, *, filtered: bool = True) -> list[str]:
    return [s.text for s in geoparser.recognizer.find(text, filtered=filtered) if not s.person]


def test_names_of_small_places_without_place_evidence_are_dropped(geoparser: Geoparser) -> None:
    for text, name in (("Levi is his service dog.", "Levi"),
                       ("Zara now uses an algorithm to scan designs.", "Zara"),
                       ("The Vix measure of volatility rose.", "Vix")):
        assert _places(geoparser, text, filtered=False) == [name]  # the rules propose it
        assert _places(geoparser, text) == []
        span = geoparser.recognizer.find(text)[0]
        assert span.reason.startswith("no place here (recognition filter")
        # The resolver reports it as ignored, never with coordinates.
        (mention,) = geoparser.parse(text)
        assert mention.status == "ignored" and mention.lat is None


def test_places_with_place_evidence_stay(geoparser: Geoparser) -> None:
    text = "He flew from Kabul to Herat on Monday. The Winnipeg Fire Paramedic Service was busy."
    assert _places(geoparser, text) == ["Kabul", "Herat", "Winnipeg"]


def test_shipped_weights_name_the_current_features() -> None:
    data = json.loads(_data_path(SPAN_FILTER_FILE).read_text(encoding="utf-8"))
    assert data["features"] == list(SPAN_FEATURES)
    assert 0.0 < data["threshold"] < 1.0
    assert "TRAIN" in data["about"] and "cross-validation" in data["about"]


def test_stale_weights_are_an_error() -> None:
    with pytest.raises(ValueError, match="retrain"):
        SpanFilter.from_json({"features": ["bias", "gone"], "weights": [0.0, 1.0],
                              "threshold": 0.5})


def test_probabilities_are_logistic() -> None:
    f = SpanFilter(np.array([0.0, 2.0]), 0.5)
    probs = f.probabilities(np.array([[1.0, 0.0], [1.0, 1.0]]))
    assert probs[0] == pytest.approx(0.5)
    assert probs[1] == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert len(f.probabilities(np.zeros((0, 2)))) == 0


def test_an_arabic_article_is_no_given_name(geoparser: Geoparser) -> None:
    # "al" of "al-Qaim" is no "Al": the filter's given-name feature looks past the article.
    text = "The worst damage was reported at a depot in the al-Qaim district, near Abu Kamal."
    assert _places(geoparser, text) == ["al-Qaim", "Abu Kamal"]
    spans = geoparser.recognizer.find(text, filtered=False)
    row = geoparser.recognizer.span_features(text, spans)[0]
    assert row[SPAN_FEATURES.index("first_name")] == 0.0
