"""Reverse lookup and the admin-1 / country polygon frames."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from gazetteer import Gazetteer
from gazetteer.core import haversine_km
from gazetteer.errors import GazetteerQueryError


def test_admin1_frame(gaz: Gazetteer) -> None:
    frame = gaz.admin1()
    assert frame.crs.to_epsg() == 4326
    for col in ("iso_3166_2", "gn_a1_code", "country_code", "name", "name_en", "name_ar", "geometry"):
        assert col in frame.columns
    assert len(frame) == 4596  # Natural Earth 10m admin-1, the whole world
    iraq = frame[frame["country_code"] == "IQ"]
    assert len(iraq) == 18 and frame.geometry.is_valid.all()
    anbar = iraq[iraq["iso_3166_2"] == "IQ-AN"].iloc[0]
    assert anbar["gn_a1_code"] == "IQ.01" and anbar["name_ar"]


def test_countries_frame(gaz: Gazetteer) -> None:
    frame = gaz.countries()
    assert frame.crs.to_epsg() == 4326 and {"country_code", "name", "geometry"} <= set(frame.columns)
    assert frame["country_code"].is_unique and len(frame) >= 240
    iraq = frame[frame["country_code"] == "IQ"].geometry.iloc[0]
    assert iraq.contains(Point(44.3661, 33.3153))  # Baghdad (lon, lat)


@pytest.mark.parametrize("lat,lon,iso,near", [
    (33.3153, 44.3661, "IQ-BG", "Baghdad"),  # en.wikipedia.org/wiki/Baghdad
    (36.34, 43.13, "IQ-NI", "Mosul"),  # en.wikipedia.org/wiki/Mosul
    (33.5131, 36.2919, "SY-DI", "Damascus"),  # en.wikipedia.org/wiki/Damascus
])
def test_reverse_in_cities(gaz: Gazetteer, lat: float, lon: float, iso: str, near: str) -> None:
    r = gaz.reverse(lat=lat, lon=lon)
    assert r.admin1_iso == iso and r.country_code == iso[:2]
    assert r.place is not None and r.distance_km < 10
    assert r.distance_km == pytest.approx(float(haversine_km(lat, lon, r.place.lat, r.place.lon)), abs=1e-6)
    assert any(c.place.place_id == r.place.place_id for c in gaz.search(r.place.name, limit=None))


def test_reverse_in_the_desert_and_at_sea(gaz: Gazetteer) -> None:
    desert = gaz.reverse(lat=32.5, lon=41.0)  # western Anbar
    assert desert.admin1_iso == "IQ-AN" and desert.distance_km > 0
    sea = gaz.reverse(lat=0.0, lon=-30.0)
    assert sea.admin1 == "" and sea.country_code == "" and sea.distance_km > 500


@pytest.mark.parametrize("lat,lon", [(91, 0), (0, 181), (math.nan, 0)])
def test_reverse_rejects_bad_points(gaz: Gazetteer, lat: float, lon: float) -> None:
    with pytest.raises(GazetteerQueryError, match="lat="):
        gaz.reverse(lat=lat, lon=lon)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=st.floats(-60, 75), lon=st.floats(-180, 180))
def test_reverse_finds_the_nearest(gaz: Gazetteer, lat: float, lon: float) -> None:
    r = gaz.reverse(lat=lat, lon=lon)
    assert r.place is not None
    # Brute force over every place reverse lookup considers (populated places, sites, areas).
    d = gaz._data
    nearest = float(haversine_km(lat, lon, d.lat, d.lon)[gaz._reverse_index()[1]].min())
    assert r.distance_km == pytest.approx(nearest, rel=1e-9, abs=1e-6)


def test_geometry_of_regions(gaz: Gazetteer) -> None:
    kri = gaz.geometry("ov:kurdistan-region")
    erbil = gaz.search("Erbil")[0].place
    assert kri is not None and kri.contains(Point(erbil.lon, erbil.lat))
    assert gaz.geometry("cc:SY").contains(Point(36.2919, 33.5131))
    assert gaz.geometry(gaz.search("Anbar")[0].place.place_id).area > 5
    assert gaz.geometry("gn:98182") is None
