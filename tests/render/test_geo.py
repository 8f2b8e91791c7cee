"""Basemap polygons, admin-1 counts and actors' areas from the gazetteer's Natural Earth data."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Point

from mapper.render.geo import actor_areas, admin1_counts, build_basemap, locate
from mapper.render.licences import public_rows


def test_admin1_counts_by_country(result, expected) -> None:
    incidents, _ = public_rows(result.incidents, include_restricted=False)
    counts = admin1_counts(incidents)
    assert list(counts.columns) == ["iso_3166_2", "name", "country_code", "incidents", "geometry"]
    assert counts.crs.to_epsg() == 4326
    assert counts.groupby("country_code")["incidents"].sum().to_dict() == expected["admin1_counts"]
    baghdad = counts[counts["iso_3166_2"] == "IQ-BG"]
    assert baghdad["incidents"].tolist() == [2]  # the embassy rockets and the threat
    assert list(counts["iso_3166_2"]) == sorted(counts["iso_3166_2"])


def test_locate_handles_null_and_outside_points() -> None:
    polygons = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(0.5, 0, 2, 1)], crs=4326)
    points = gpd.GeoSeries([Point(0.7, 0.5), None, Point(5, 5), Point(1.5, 0.5)], crs=4326)
    assert locate(points, polygons).tolist() == [0, -1, -1, 1]


def test_actor_areas_cover_their_incidents(result) -> None:
    areas = actor_areas(result.incidents)
    assert areas.crs.to_epsg() == 4326
    us = areas[areas["name"] == "Military Forces of the United States"].iloc[0]
    placed = result.incidents[result.incidents.geometry.notna()]
    mask = (placed["actor1"] == us["name"]) | (placed["actor2"] == us["name"])
    assert us["incidents"] == int(mask.sum())
    assert all(us.geometry.contains(p) for p in placed.geometry[mask])
    assert all(shapely.is_ccw(g.exterior) for g in areas.geometry)  # right-hand rule
    # one point: a circle of the buffer radius (15 km, about 0.135 degrees of latitude)
    single = areas[areas["name"] == "Islamic Resistance in Iraq"].iloc[0].geometry
    assert 0.12 < (single.bounds[3] - single.bounds[1]) / 2 < 0.15


def test_basemap_clips_countries_and_keeps_focus_admin1(result) -> None:
    view = (34.0, 28.0, 50.0, 40.0)
    basemap = build_basemap(view, result.incidents.geometry.dropna())
    names = {f["properties"]["n"] for f in basemap.countries["features"]}
    assert {"Iraq", "Syria", "Jordan", "Iran"} <= names
    for f in basemap.countries["features"]:
        minx, miny, maxx, maxy = shapely.geometry.shape(f["geometry"]).bounds
        assert minx >= view[0] and miny >= view[1] and maxx <= view[2] and maxy <= view[3]
    countries = {f["properties"]["c"] for f in basemap.admin1["features"]}
    assert countries == {"IQ", "SY"}
    assert [f["properties"]["i"] for f in basemap.admin1["features"]] == list(range(len(basemap.admin1["features"])))
    assert len(basemap.admin1_labels) == len(basemap.admin1_polygons)
