"""Corpus readers, the fixed split and the scorer (values computed by hand)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.errors import InputError
from mapper.evaluate import (
    MAX_ERROR_KM,
    GoldCorpus,
    GoldDocument,
    GoldToponym,
    auc,
    evaluate_corpus,
    load_split,
    match_mentions,
    read_corpus,
    score_errors,
    select_split,
    split_of,
)
from mapper.model import PlaceMention, Span

from .conftest import DATA

EXPECTED = json.loads((DATA / "expected_readers.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["gwn_excerpt.xml", "lgl_excerpt.xml", "geovirus_layout.xml"])
def test_readers_on_fixtures(name: str) -> None:
    want = EXPECTED[name]
    corpus = read_corpus(DATA / name)
    assert corpus.layout == want["layout"] and corpus.name == want["corpus"]
    assert [d.doc_id for d in corpus.documents] == want["doc_ids"]
    toponyms = [t for d in corpus.documents for t in d.toponyms]
    assert len(toponyms) == want["gold_toponyms"]
    assert sum(not t.has_point for t in toponyms) == want["without_coordinates"]
    assert (corpus.reanchored, corpus.dropped) == (want["reanchored"], want["dropped"])
    assert corpus.excluded_types == want["excluded_types"]
    assert [t.text for t in corpus.documents[0].toponyms] == want["first_doc_toponyms"]
    for d in corpus.documents:
        for t in d.toponyms:
            assert d.text[t.start:t.end] == t.text


def test_geovirus_offsets_are_read_as_one_based() -> None:
    corpus = read_corpus(DATA / "geovirus_layout.xml")
    mosul = corpus.documents[0].toponyms[0]
    assert (mosul.start, mosul.end) == (33, 38) and mosul.lat == 36.34


def test_bad_corpus_names_file_and_problem(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<articles><article><text>x</text><toponyms><toponym><start>a</start>"
                   "<end>1</end><phrase>x</phrase></toponym></toponyms></article></articles>")
    with pytest.raises(InputError, match=r"broken\.xml: article 1, toponym 1: field 'start' .*'a'"):
        read_corpus(bad)
    (tmp_path / "empty.xml").write_text("<articles/>")
    with pytest.raises(InputError, match=r"empty\.xml: no <article>"):
        read_corpus(tmp_path / "empty.xml")
    (tmp_path / "nope.xml").write_text("<articles><article>")
    with pytest.raises(InputError, match=r"nope\.xml: not well-formed XML"):
        read_corpus(tmp_path / "nope.xml")


def _mention(start: int, end: int, text: str, lat: float | None = None, lon: float | None = None,
             status: str = "resolved", reason: str = "") -> PlaceMention:
    return PlaceMention("d", start, end, text, status=status, lat=lat, lon=lon, reason=reason)  # type: ignore[arg-type]


def test_eupeg_matching_rule() -> None:
    gold = [GoldToponym(0, 5, "Paris", 48.85, 2.35), GoldToponym(100, 106, "London", 51.5, -0.13)]
    preds = [_mention(1, 6, "paris"), _mention(120, 126, "London"), _mention(3, 8, "Paris")]
    # Both "paris" predictions are near gold 0: the nearer mid-point (1 char) wins; London's
    # mid-points are 20 characters apart: no match.
    assert match_mentions(gold, preds) == {0: 0}
    assert match_mentions(gold, [_mention(100, 106, "Londres")]) == {}


def test_auc_and_error_summary_by_hand() -> None:
    assert auc([0.0, 0.0, 0.0]) == 0.0
    assert auc([0.0, MAX_ERROR_KM - 1]) == pytest.approx(0.5)
    # ln(1+e): [0, ln 11, ln 101] -> trapezoids (0 + ln 11)/2 + (ln 11 + ln 101)/2
    expected = (math.log(11) + math.log(101) / 2) / (math.log(MAX_ERROR_KM) * 2)
    assert auc([100.0, 0.0, 10.0]) == pytest.approx(expected)
    s = score_errors([0.0, 100.0, 200.0, 300.0])
    assert s == {"n": 4, "acc_at_161": 0.5, "mean_km": 150.0, "median_km": 150.0,
                 "auc": pytest.approx(auc([0.0, 100.0, 200.0, 300.0]))}


@given(st.lists(st.floats(min_value=0, max_value=MAX_ERROR_KM), min_size=1, max_size=50))
def test_auc_is_between_zero_and_one(errors: list[float]) -> None:
    assert 0.0 <= auc(errors) <= 1.0 + 1e-9


def test_evaluate_corpus_counts_by_hand() -> None:
    text = "Paris and London and Rome, Iranian"
    doc = GoldDocument("a", 0, text, (
        GoldToponym(0, 5, "Paris", 48.8566, 2.3522),
        GoldToponym(10, 16, "London", 51.5074, -0.1278),
        GoldToponym(27, 34, "Iranian", 32.0, 53.0),
        GoldToponym(21, 25, "Rome", None, None),
    ))
    corpus = GoldCorpus("Test", "lgl", "-", [doc])

    def parse(t: str, doc_id: str) -> list[PlaceMention]:
        return [_mention(0, 5, "Paris", 48.8566, 2.3522),        # right
                _mention(10, 16, "London", 42.98, -81.25),       # London, Ontario: wrong
                _mention(27, 34, "Iranian", 32.0, 53.0, "ignored", "demonym"),
                _mention(40, 44, "Nowhere", status="unresolved")]

    def resolve(t: str, spans: list[Span], doc_id: str) -> list[PlaceMention]:
        assert [(s.start, s.end) for s in spans] == [(0, 5), (10, 16), (27, 34)]
        return [_mention(0, 5, "Paris", 48.8566, 2.3522), _mention(10, 16, "London", 51.5, -0.12),
                _mention(27, 34, "Iranian")]

    s = evaluate_corpus(corpus, parse=parse, resolve=resolve)
    assert s["gold_toponyms"] == 4 and s["gold_without_coordinates"] == 1
    rec = s["recognition"]
    assert (rec["true_positives"], rec["predicted"]) == (3, 4)
    assert rec["precision"] == 0.75 and rec["recall"] == 0.75 and rec["f1"] == 0.75
    assert s["end_to_end"]["acc_at_161"] == pytest.approx(2 / 3)  # Paris, Iranian of 3 placed
    res = s["resolution_gold_spans"]
    assert res["n"] == 3 and res["acc_at_161"] == pytest.approx(2 / 3)
    assert res["median_km"] < 1.0 and res["mean_km"] > MAX_ERROR_KM / 3 - 1  # unresolved = max
    assert res["outcomes"] == {"right": 2, "unresolved": 1}
    without = evaluate_corpus(corpus, parse=parse, resolve=None, demonyms=False)
    assert without["recognition"]["predicted"] == 3 and without["resolution_gold_spans"] is None


def test_split_is_fixed_and_committed() -> None:
    committed = load_split()
    assert set(committed) == {"GeoWebNews", "LGL"}
    for name, splits in committed.items():
        ids = [i for part in splits.values() for i in part]
        assert len(ids) == len(set(ids))
        for part, members in splits.items():
            assert all(split_of(name, i) == part for i in members)
    assert (len(committed["GeoWebNews"]["test"]), len(committed["LGL"]["test"])) == (36, 127)


def test_select_split_rejects_unknown_split() -> None:
    corpus = read_corpus(DATA / "lgl_excerpt.xml")
    with pytest.raises(InputError, match="unknown split 'validation'; allowed: all, train, dev, test"):
        select_split(corpus, "validation")
    parts = [select_split(corpus, p) for p in ("train", "dev", "test")]
    assert sorted(d.doc_id for p in parts for d in p) == sorted(d.doc_id for d in corpus.documents)
