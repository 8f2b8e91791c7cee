"""The date resolver: absolute and relative expressions, ranges and ACLED time precision."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.dates import NO_PUBLISHED, find_dates, resolve

from .conftest import GOLD

CASES = yaml.safe_load((GOLD / "dates.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['text']}@{c['published']}" for c in CASES])
def test_expression_resolves_to_the_annotated_range(case):
    found = find_dates(case["text"], published=case["published"])
    assert len(found) == 1 and found[0].text == case["text"], found
    rng = found[0].range
    if case["expect"] is None:
        assert rng is None
        assert found[0].reason == NO_PUBLISHED
        return
    assert rng is not None, found[0].reason
    assert [rng.start, rng.end] == case["expect"]
    assert rng.time_precision == case["time_precision"]


def test_dates_are_found_inside_sentences_with_their_offsets():
    text = ("The first two weeks of 2022 saw at least four attacks, including a rocket attack "
            "Thursday on the embassy, after a Jan. 9 statement.")
    found = find_dates(text, published=dt.date(2022, 1, 14))
    assert [text[d.start:d.end] for d in found] == ["The first two weeks of 2022", "Thursday", "Jan. 9"]
    assert [d.range.start for d in found if d.range] == [dt.date(2022, 1, 1), dt.date(2022, 1, 13),
                                                          dt.date(2022, 1, 9)]


def test_words_that_only_look_like_dates_are_not_dates():
    text = "Iran may march on, and the militias may act; 2,500 troops and $1.6 billion."
    assert find_dates(text, published=dt.date(2022, 1, 14)) == []


def test_an_offset_counts_from_the_other_date_of_the_sentence():
    text = "Jets struck on Sunday, two days after a rocket barrage."
    sunday, offset = find_dates(text, published=dt.date(2019, 12, 30))
    assert offset.offset_days == -2 and offset.range is None
    assert offset.anchored(sunday.range).start == dt.date(2019, 12, 27)


def test_an_invalid_calendar_date_is_reported_not_raised():
    (found,) = find_dates("February 30, 2021")
    assert found.range is None and "not a valid date" in found.reason
    assert resolve("February 30, 2021") is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("0123456789 ,.-–thru JanFebMayJulySeptNovDecMondayweeklastsummer"
                                                  "agoyearbetweenandfirsttwoofmidin")), max_size=80),
       published=st.one_of(st.none(), st.dates(min_value=dt.date(1901, 3, 1), max_value=dt.date(2098, 11, 1))))
def test_never_raises_and_ranges_are_ordered(text, published):
    previous_end = -1
    for d in find_dates(text, published=published):
        assert text[d.start:d.end] == d.text
        assert d.start >= previous_end  # in text order, not overlapping
        previous_end = d.end
        if d.range is not None:
            assert d.range.start <= d.range.end
        elif d.relative and published is None and d.reason != "offset":
            assert d.reason


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    for d in find_dates(text, published=dt.date(2022, 1, 14)):
        assert text[d.start:d.end] == d.text
