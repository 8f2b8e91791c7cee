"""The data object the map's JavaScript draws from: incidents and places as columns (strings
dictionary-encoded, so 100k incidents stay a few MB), layer tables, basemap, attribution.

Pure functions of the result frames; nothing here touches files or folium.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from mapper.render import geo
from mapper.render.licences import attributions
from mapper.render.styles import icon_path, method_key, method_style, style_config

FAST_THRESHOLD = 2000  # incidents; above it markers are drawn on a canvas and clustered
MAX_ACTOR_LAYERS = 12
VIEW_PADDING_DEG = 8.0

# Incident columns passed to the browser, as-is from ``mapper.frames.INCIDENT_COLUMNS``.
INCIDENT_FIELDS = ("id", "event_type", "sub_event_type", "method", "is_threat", "date_start",
                   "date_end", "time_precision", "location", "geo_precision", "uncertainty_km",
                   "country", "admin1", "actor1", "actor2", "assoc_actors", "attribution", "target",
                   "fatalities", "source", "url", "quote", "n_sources", "origin", "licence")
PLACE_FIELDS = ("place_id", "name", "feature_code", "country_code", "admin1", "mentions")


def encode_column(values: pd.Series) -> Any:
    """One column for the browser: text as ``{"dict": [...], "codes": [...]}`` (code -1 = null),
    numbers and booleans as a plain list with ``None`` for missing values (whole numbers as
    ints, others rounded to 6 decimals)."""
    if pd.api.types.is_bool_dtype(values):
        return [None if pd.isna(v) else int(bool(v)) for v in values.to_numpy(dtype=object)]
    if pd.api.types.is_numeric_dtype(values):
        numbers = np.round(values.to_numpy(dtype="float64", na_value=np.nan), 6)
        finite = numbers[~np.isnan(numbers)]
        cast = int if np.all(np.mod(finite, 1) == 0) else float
        return [None if v != v else cast(v) for v in numbers.tolist()]
    text = values.astype("string")
    codes, uniques = pd.factorize(text, sort=True, use_na_sentinel=True)
    return {"dict": [str(u) for u in uniques], "codes": codes.astype(int).tolist()}


def utf16_offset(text: str, index: int) -> int:
    """The JavaScript (UTF-16 code unit) offset of the code-point offset ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def highlight_ranges(quote: str, forms: Iterable[str]) -> list[list[int]]:
    """Non-overlapping ``[start, end)`` UTF-16 ranges of every occurrence of ``forms`` in
    ``quote``, in order (longer forms win where occurrences overlap)."""
    spans: list[tuple[int, int]] = []
    for form in sorted({f for f in forms if f}, key=lambda f: (-len(f), f)):
        start = quote.find(form)
        while start >= 0:
            end = start + len(form)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = quote.find(form, end)
    return [[utf16_offset(quote, s), utf16_offset(quote, e)] for s, e in sorted(spans)]


def _mention_forms(mentions: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame) -> dict[tuple[str, str], set[str]]:
    """(document, place) -> the surface forms of the resolved mentions of that place in that
    document, for the documents of ``incidents`` only: a large run has millions of mentions
    and a few thousand incidents, and only the columns needed are read (no row copies)."""
    wanted = set(incidents["doc_id"].dropna())
    doc_ids = mentions["doc_id"].to_numpy(dtype=object)
    rows = np.flatnonzero((mentions["status"].to_numpy(dtype=object) == "resolved")
                          & pd.Series(doc_ids, copy=False).isin(wanted).to_numpy()
                          & mentions["place_id"].notna().to_numpy())
    places, texts = mentions["place_id"].to_numpy(dtype=object), mentions["text"].to_numpy(dtype=object)
    forms: dict[tuple[str, str], set[str]] = {}
    for i in rows.tolist():
        forms.setdefault((doc_ids[i], places[i]), set()).add(texts[i])
    return forms


def incident_highlights(incidents: gpd.GeoDataFrame, mentions: gpd.GeoDataFrame) -> list[Any]:
    """Per incident: the ranges of its place's mentions (and location name) in its quote."""
    forms = _mention_forms(mentions, incidents)
    out: list[Any] = []
    cols = zip(*(incidents[c].to_numpy(dtype=object) for c in ("quote", "doc_id", "place_id", "location")),
               strict=True)
    for quote, doc, place, location in cols:
        if not isinstance(quote, str) or not quote:
            out.append(None)
            continue
        names = {n for n in (*forms.get((doc, place), ()), location) if isinstance(n, str) and n and n in quote}
        out.append(highlight_ranges(quote, names) if names else None)
    return out


def _bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    return geo.points_bounds(*frames) or geo.DEFAULT_BOUNDS


def _padded(b: tuple[float, float, float, float], pad: float) -> tuple[float, float, float, float]:
    return (max(b[0] - pad, -180.0), max(b[1] - pad, -85.0), min(b[2] + pad, 180.0), min(b[3] + pad, 85.0))


def build_payload(incidents: gpd.GeoDataFrame, places: gpd.GeoDataFrame, mentions: gpd.GeoDataFrame,
                  *, tiles: str | None = None, left_out: Counter[str] | None = None,
                  fast_threshold: int = FAST_THRESHOLD) -> dict[str, Any]:
    """Everything the map script needs, as JSON-ready data. ``incidents`` are the rows to show
    (restricted rows already removed; ``left_out`` counts them by licence)."""
    config = style_config()
    incidents = incidents.reset_index(drop=True)
    places = places.reset_index(drop=True)
    placed = incidents.geometry.notna() & ~incidents.geometry.is_empty
    n = len(incidents)

    raw_codes, raw_methods = pd.factorize(incidents["method"], use_na_sentinel=True)
    keys = np.array([method_key(m) for m in raw_methods] + ["unknown"], dtype=object)[raw_codes]  # -1: unknown
    codes, method_keys = pd.factorize(pd.Series(keys, dtype=object), sort=True)
    styles = {k: method_style(k) for k in method_keys}
    counts = np.bincount(codes, minlength=len(method_keys))
    methods = [{"key": k, "label": styles[k].label, "color": styles[k].color,
                "icon": icon_path(styles[k].icon), "count": int(c)} for k, c in zip(method_keys, counts, strict=True)]

    ranked = incidents.loc[placed, "actor1"].dropna().value_counts()
    top = sorted(ranked.index, key=lambda a: (-int(ranked[a]), a))[:MAX_ACTOR_LAYERS]
    palette = config["actor_colors"]
    actors = [{"name": a, "color": palette[i % len(palette)]} for i, a in enumerate(top)]
    other_actor, unknown_actor = len(actors), len(actors) + 1
    actors += [{"name": "Other actors", "color": "#737373"}, {"name": "Actor unknown", "color": "#bdbdbd"}]
    layer_of = incidents["actor1"].map({a: i for i, a in enumerate(top)}).astype("float64")
    a_col = np.where(incidents["actor1"].isna(), unknown_actor, layer_of.fillna(other_actor)).astype(int)

    view_bounds = _bounds(incidents[placed]) if placed.any() else _bounds(places)  # what the map fits
    view = _padded(_bounds(incidents[placed], places), VIEW_PADDING_DEG)
    focus = incidents.geometry[placed] if placed.any() else places.geometry
    basemap = geo.build_basemap(view, focus)
    region = geo.locate(incidents.geometry, basemap.admin1_polygons)

    cols = {f: encode_column(incidents[f]) for f in INCIDENT_FIELDS}
    lon = incidents.geometry.x.where(placed) if n else pd.Series([], dtype=float)
    lat = incidents.geometry.y.where(placed) if n else pd.Series([], dtype=float)
    cols["lat"] = encode_column(lat.round(6))
    cols["lon"] = encode_column(lon.round(6))
    cols["m"] = codes.tolist()
    cols["a"] = a_col.tolist()
    cols["r"] = region.tolist()
    cols["hl"] = incident_highlights(incidents, mentions)

    place_cols = {f: encode_column(places[f]) for f in PLACE_FIELDS}
    place_cols["lat"] = encode_column(places.geometry.y.round(6)) if len(places) else []
    place_cols["lon"] = encode_column(places.geometry.x.round(6)) if len(places) else []
    place_cols["surface_forms"] = encode_column(places["surface_forms"].map(_join_json))
    place_cols["doc_ids"] = encode_column(places["doc_ids"].map(_join_json))

    in_region = region[region >= 0]
    area_counts = np.bincount(in_region, minlength=len(basemap.admin1_polygons)) if len(in_region) else np.zeros(0)
    breaks = choropleth_breaks(area_counts[area_counts > 0], classes=len(config["choropleth_colors"]))

    top_areas = geo.actor_areas(incidents, top)
    colour_of = {a["name"]: a["color"] for a in actors}
    area_fc = geo.feature_collection(
        top_areas, [{"name": a, "incidents": int(k), "color": colour_of[a]}
                    for a, k in zip(top_areas["name"], top_areas["incidents"], strict=True)],
        tolerance=0.0, decimals=4)

    dates_start = incidents["date_start"].dropna()
    dates_end = incidents["date_end"].fillna(incidents["date_start"]).dropna()
    unplaced = incidents[~placed]
    threat_icon = icon_path(config["methods"]["threat"]["icon"])
    return {
        "options": {"fast": n > fast_threshold, "tiles": tiles,
                    "bounds": [[view_bounds[1], view_bounds[0]], [view_bounds[3], view_bounds[2]]]},  # lat, lon
        "incidents": {"n": n, "columns": cols},
        "places": {"n": len(places), "columns": place_cols},
        "methods": methods,
        "threat_style": {"color": config["methods"]["threat"]["color"], "icon": threat_icon},
        "actors": actors,
        "actor_icon": icon_path("users"),
        "actor_areas": area_fc,
        "choropleth": {"breaks": breaks, "colors": spread(config["choropleth_colors"], len(breaks))},
        "time": {"min": min(dates_start) if len(dates_start) else None,
                 "max": max(dates_end) if len(dates_end) else None},
        "unplaced": [[str(i), _text(d), _text(m), _text(loc), _text(s)] for i, d, m, loc, s in
                     zip(unplaced["id"], unplaced["date_start"], unplaced["method"], unplaced["location"],
                         unplaced["source"], strict=True)],
        "basemap": {"countries": basemap.countries, "admin1": basemap.admin1,
                    "admin1_count": len(basemap.admin1_polygons),
                    "country_labels": basemap.country_labels, "admin1_labels": basemap.admin1_labels,
                    "style": config["basemap"]},
        "attribution": attributions(incidents, left_out or Counter()),
    }


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _join_json(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return value
    return "; ".join(str(i) for i in items) if isinstance(items, list) else str(items)


def choropleth_breaks(counts: np.ndarray, *, classes: int) -> list[int]:
    """Lower bounds of up to ``classes`` count classes (quantiles of the non-zero counts,
    rounded, distinct, starting at the smallest count)."""
    if not len(counts):
        return []
    qs = np.quantile(counts, np.linspace(0, 1, classes + 1)[:-1])
    return sorted({int(np.ceil(q)) for q in qs} | {int(counts.min())})


def spread(colours: list[str], k: int) -> list[str]:
    """``k`` colours picked evenly from a light-to-dark ramp (one class gets the middle one)."""
    if k <= 1:
        return colours[len(colours) // 2 : len(colours) // 2 + k]
    return [colours[round(i * (len(colours) - 1) / (k - 1))] for i in range(k)]


def to_json(payload: dict[str, Any]) -> str:
    """``payload`` as JSON that is safe inside an HTML ``<script>`` element (no ``<``, ``>``,
    ``&`` or line separators as raw characters), deterministic (sorted keys)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text
