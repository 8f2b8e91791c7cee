"""The data the map script draws from: encoding, highlights, counts, safe embedding."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from mapper.render.licences import public_rows
from mapper.render.payload import (
    build_payload,
    choropleth_breaks,
    encode_column,
    highlight_ranges,
    to_json,
)


def _decode(column):
    if isinstance(column, dict):
        return [None if k < 0 else column["dict"][k] for k in column["codes"]]
    return column


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=30))
def test_text_columns_round_trip(values) -> None:
    assert _decode(encode_column(pd.Series(values, dtype=object))) == values


def test_numeric_and_boolean_columns() -> None:
    assert encode_column(pd.Series([1, None, 3], dtype="Int64")) == [1, None, 3]
    assert encode_column(pd.Series([0.5, np.nan, 2.0])) == [0.5, None, 2]
    assert encode_column(pd.Series([True, False])) == [1, 0]


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start: 2 * end].decode("utf-16-le")


@given(st.text(max_size=40), st.text(min_size=1, max_size=6), st.text(max_size=40))
def test_highlight_ranges_select_the_form_in_javascript_units(before, form, after) -> None:
    quote = before + form + after
    ranges = highlight_ranges(quote, [form])
    assert ranges, (quote, form)
    starts = [r[0] for r in ranges]
    assert starts == sorted(starts)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ranges))
    assert all(_utf16_slice(quote, s, e) == form for s, e in ranges)


def test_highlight_prefers_longer_forms() -> None:
    assert highlight_ranges("near the U.S. Embassy in Baghdad", ["U.S.", "U.S. Embassy", "Baghdad"]) == [[9, 21], [25, 32]]
    assert highlight_ranges("🚀 Erbil", ["Erbil"]) == [[3, 8]]  # the rocket is two UTF-16 units


@given(st.text())
def test_json_is_safe_inside_a_script_element(text) -> None:
    out = to_json({"quote": text, "n": [1, None]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"quote": text, "n": [1, None]}


def test_choropleth_breaks() -> None:
    assert choropleth_breaks(np.array([]), classes=5) == []
    assert choropleth_breaks(np.array([1, 1, 1]), classes=5) == [1]
    breaks = choropleth_breaks(np.array([1, 2, 3, 5, 8, 40, 100]), classes=5)
    assert breaks[0] == 1 and breaks == sorted(set(breaks)) and len(breaks) <= 5


def test_payload_counts_match_the_fixture(result, expected) -> None:
    incidents, left_out = public_rows(result.incidents, include_restricted=False)
    assert dict(left_out) == {"ACLED": expected["restricted"]}
    payload = build_payload(incidents, result.places, result.mentions, left_out=left_out)
    cols = payload["incidents"]["columns"]
    assert payload["incidents"]["n"] == expected["public_incidents"]
    assert sum(v is not None for v in cols["lat"]) == expected["placed_public_incidents"]
    assert [row[0] for row in payload["unplaced"]] == expected["unplaced"]
    labels = {m["label"]: m["count"] for m in payload["methods"]}
    for label, count in expected["method_markers"].items():
        assert labels[label] >= count
    assert payload["places"]["n"] == expected["places"]
    assert payload["time"] == {"min": "2017-06-10", "max": "2024-02-03"}
    assert payload["options"]["fast"] is False
    # every placed incident falls in one admin-1 area of the basemap, by country as expected
    regions = [r for r, lat in zip(cols["r"], cols["lat"], strict=True) if lat is not None]
    assert min(regions) >= 0
    country_of = {f["properties"]["i"]: f["properties"]["c"] for f in payload["basemap"]["admin1"]["features"]}
    countries = [country_of[r] for r in regions]
    assert {c: countries.count(c) for c in set(countries)} == expected["admin1_counts"]
    assert any("ACLED rows left out" in a["text"] for a in payload["attribution"])
    assert any("UCDP" in a["text"] for a in payload["attribution"])
    assert any("GeoNames (CC BY 4.0)" in a["text"] for a in payload["attribution"])


def test_payload_highlights_the_place_in_the_quote(result) -> None:
    payload = build_payload(result.incidents, result.places, result.mentions)
    cols = payload["incidents"]["columns"]
    ids = _decode(cols["id"])
    quotes = _decode(cols["quote"])
    k = ids.index("IM-t-asad")
    assert [quotes[k][s:e] for s, e in cols["hl"][k]] == ["Ain al-Asad"]
    k = ids.index("IM-t-embassy")
    assert [quotes[k][s:e] for s, e in cols["hl"][k]] == ["U.S. Embassy"]


def test_empty_result_gives_a_map_payload(result) -> None:
    payload = build_payload(result.incidents.iloc[:0], result.places.iloc[:0], result.mentions.iloc[:0])
    assert payload["incidents"]["n"] == 0 and payload["places"]["n"] == 0
    assert payload["basemap"]["countries"]["features"]  # the default view still has land
    assert payload["choropleth"]["breaks"] == []


def test_every_method_of_the_vocabulary_has_its_own_style() -> None:
    import yaml

    from mapper.render.styles import STATIC, icon_path, method_style, style_config
    from tests.conftest import ROOT

    vocabulary = yaml.safe_load((ROOT / "mapper" / "data" / "event_types.yaml").read_text(encoding="utf-8"))
    styled = style_config()["methods"]
    missing = [m for m in vocabulary["methods"] if m.lower() not in styled]
    assert missing == [], f"add these methods to {STATIC / 'styles.yaml'}"
    assert all(icon_path(s["icon"])["d"] for s in styled.values())
    assert method_style("Rocket").label == "Rocket"
    assert method_style("  ONE-WAY   attack drone ").key == "one-way attack drone"
    unknown = method_style("trebuchet")
    assert (unknown.label, unknown.icon) == ("Trebuchet", styled["other"]["icon"])
