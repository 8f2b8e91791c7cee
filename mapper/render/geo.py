"""Geometry for the map and the exports: basemap polygons from the gazetteer, admin-1 incident
counts, actors' areas. Pure functions over GeoDataFrames in EPSG:4326 (lon, lat order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from shapely.geometry import box

CRS = "EPSG:4326"
ADMIN1_COUNT_COLUMNS = ("iso_3166_2", "name", "country_code", "incidents")
AREA_BUFFER_KM = 15.0
KM_PER_DEGREE = 111.32  # of latitude (and of longitude at the equator)
# Fallback view when there is nothing to show: Iraq and Syria (lon/lat box).
DEFAULT_BOUNDS = (35.0, 29.0, 49.0, 38.0)


def _polygons() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Admin-1 and country polygons of the gazetteer (Natural Earth, public domain): the same
    tables as ``Gazetteer.admin1()`` / ``.countries()``, read without building the name index
    (which costs about 190 MB when no text is parsed, e.g. a map of imported events)."""
    from gazetteer import sources

    return sources.read_admin1_table(), sources.read_countries_table()


def points_bounds(*frames: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of the non-null geometries of ``frames``."""
    geoms = [f.geometry[f.geometry.notna() & ~f.geometry.is_empty] for f in frames if len(f)]
    geoms = [g for g in geoms if len(g)]
    if not geoms:
        return None
    b = np.array([g.total_bounds for g in geoms])
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def locate(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """For each point the position of the first polygon (in ``polygons`` order) that contains
    or touches it, or -1. Null points get -1. (Per polygon, a bounding-box filter, then a
    vectorised point-in-polygon test on a prepared polygon: fast for 100k points.)"""
    out = np.full(len(points), -1, dtype=np.int64)
    if not len(points) or not len(polygons):
        return out
    geoms = points.to_numpy()
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    x[valid], y[valid] = shapely.get_x(geoms[valid]), shapely.get_y(geoms[valid])  # lon, lat
    for k, polygon in enumerate(polygons.geometry.to_numpy()):
        if polygon is None or polygon.is_empty:
            continue
        minx, miny, maxx, maxy = polygon.bounds
        todo = np.flatnonzero((out < 0) & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if len(todo):
            shapely.prepare(polygon)
            hit = shapely.intersects_xy(polygon, x[todo], y[todo])
            out[todo[hit]] = k
    return out


def admin1_counts(incidents: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Admin-1 areas with at least one incident: ``ADMIN1_COUNT_COLUMNS`` + polygon geometry,
    sorted by ISO 3166-2 code."""
    if admin1 is None:
        admin1 = _polygons()[0]
    where = locate(incidents.geometry, admin1)
    counts = pd.Series(where[where >= 0]).value_counts()
    rows = admin1.iloc[counts.index.to_numpy()][["iso_3166_2", "name", "country_code", "geometry"]].copy()
    rows["incidents"] = counts.to_numpy().astype("int64")
    rows = rows.sort_values(["iso_3166_2", "name"], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(rows[[*ADMIN1_COUNT_COLUMNS, "geometry"]], geometry="geometry", crs=CRS)


@dataclass
class Basemap:
    """Polygons drawn under the data, already simplified, plus label points."""

    countries: dict[str, Any]  # GeoJSON FeatureCollection, properties {n: name}
    admin1: dict[str, Any]  # GeoJSON FeatureCollection, properties {i: index, n: name, c: country}
    country_labels: list[list[Any]]  # [lat, lon, name]
    admin1_labels: list[list[Any]]
    admin1_polygons: gpd.GeoDataFrame  # the admin-1 rows in ``admin1`` order (full detail)


def feature_collection(frame: gpd.GeoDataFrame, props: list[dict[str, Any]], *, tolerance: float,
                        decimals: int) -> dict[str, Any]:
    """Simplified polygons with coordinates rounded to ``decimals`` (short JSON numbers)."""
    geoms = shapely.simplify(frame.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    features = []
    for geom, p in zip(geoms, props, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append({"type": "Feature", "properties": p,
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": features}


def build_basemap(view: tuple[float, float, float, float], focus_points: gpd.GeoSeries, *,
                  max_countries: int = 8) -> Basemap:
    """Country polygons clipped to ``view`` (lon/lat box) and the admin-1 polygons of the
    countries that hold the most ``focus_points`` (at most ``max_countries``)."""
    admin1, countries = _polygons()
    span = max(view[2] - view[0], view[3] - view[1])
    tolerance = min(max(span / 1500.0, 0.005), 0.2)  # about one screen pixel at the fitted zoom
    decimals = int(np.clip(np.ceil(-np.log10(tolerance)) + 1, 2, 5))
    frame = box(*view)
    near = countries[countries.intersects(frame)].sort_values("country_code", kind="stable")
    clipped = near.assign(geometry=near.geometry.intersection(frame))
    country_fc = feature_collection(clipped, [{"n": n} for n in clipped["name"]],
                                     tolerance=tolerance, decimals=decimals)
    reps = near.geometry.representative_point()
    country_labels = [[round(p.y, 3), round(p.x, 3), name] for p, name in zip(reps, near["name"], strict=True)
                      if frame.contains(p)]

    where = locate(focus_points, countries)
    codes = pd.Series(countries["country_code"].to_numpy()[where[where >= 0]]).value_counts()
    chosen = sorted(codes.index[:max_countries])
    sub = admin1[admin1["country_code"].isin(chosen)].sort_values(["country_code", "iso_3166_2", "name"],
                                                                  kind="stable").reset_index(drop=True)
    admin_fc = feature_collection(
        sub, [{"i": i, "n": n, "c": c} for i, (n, c) in enumerate(zip(sub["name"], sub["country_code"], strict=True))],
        tolerance=tolerance / 2, decimals=decimals + 1)
    admin_labels = [[round(float(lat), 3), round(float(lon), 3), n]
                    for lat, lon, n in zip(sub["label_lat"], sub["label_lon"], sub["name"], strict=True)
                    if pd.notna(lat) and pd.notna(lon)]
    return Basemap(country_fc, admin_fc, country_labels, admin_labels, sub)


def actor_points(incidents: gpd.GeoDataFrame) -> dict[str, list[int]]:
    """Row positions of the placed incidents of each actor (actor1, actor2 or associated)."""
    placed = (incidents.geometry.notna() & ~incidents.geometry.is_empty).to_numpy()
    pos = np.arange(len(incidents))
    parts = []
    for col in ("actor1", "actor2", "assoc_actors"):
        values = pd.Series(incidents[col].to_numpy(), index=pos, dtype="string")
        values = values[placed & values.notna().to_numpy()]
        if col == "assoc_actors":
            values = values.str.split(";").explode()
        parts.append(values.str.strip())
    names = pd.concat(parts) if parts else pd.Series([], dtype="string")
    names = names[names.notna() & (names != "")]
    table = pd.DataFrame({"name": names.to_numpy(), "pos": names.index.to_numpy()}).drop_duplicates()
    return {str(name): sorted(group.tolist()) for name, group in table.groupby("name", sort=True)["pos"]}


def actor_areas(incidents: gpd.GeoDataFrame, names: list[str] | None = None, *,
                buffer_km: float = AREA_BUFFER_KM) -> gpd.GeoDataFrame:
    """Where each actor's incidents fall: the convex hull of its incident points buffered by
    ``buffer_km``. Columns ``name``, ``incidents``,
    geometry; one row per actor with at least one placed incident, in ``names`` order (default:
    most incidents first, then by name)."""
    rows = actor_points(incidents)
    if names is None:
        names = sorted(rows, key=lambda a: (-len(rows[a]), a))
    out_names, counts, geoms = [], [], []
    geometry = incidents.geometry.to_numpy()
    for name in names:
        pos = rows.get(name)
        if not pos:
            continue
        hull = shapely.convex_hull(shapely.multipoints(geometry[pos]))
        # Buffer in a local equirectangular frame (x scaled by cos(latitude)): kilometres are
        # the same in every direction there, to well under 1% over an actor's area.
        centre = hull.centroid
        k = max(np.cos(np.radians(centre.y)), 0.01)
        local = shapely.affinity.scale(hull, xfact=k, yfact=1.0, origin=centre)
        area = shapely.affinity.scale(local.buffer(buffer_km / KM_PER_DEGREE, quad_segs=8),
                                      xfact=1.0 / k, yfact=1.0, origin=centre)
        out_names.append(name)
        counts.append(len(pos))
        geoms.append(shapely.geometry.polygon.orient(area, 1.0))
    return gpd.GeoDataFrame({"name": out_names, "incidents": pd.array(counts, dtype="int64")},
                            geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
