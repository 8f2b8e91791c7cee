"""The geopy face: OfflineGeocoder behaves as a geopy geocoder (proven through geopandas)."""

from __future__ import annotations

import ast
from pathlib import Path

import geopandas
import pytest
from geopy.exc import GeocoderQueryError
from geopy.location import Location

from gazetteer import Gazetteer
from gazetteer.core import haversine_km
from gazetteer.geocoder import OfflineGeocoder


@pytest.fixture(scope="module")
def use_gaz(gaz: Gazetteer):
    Gazetteer._default = gaz  # providers are built by geopandas with no arguments
    yield gaz
    Gazetteer.reset_default()


def test_geopandas_geocode_with_our_provider(use_gaz: Gazetteer) -> None:
    frame = geopandas.tools.geocode(["Baghdad", "Mosul", "Ain al-Asad", "Qqxzv Nowhere"],
                                    provider=OfflineGeocoder)
    assert frame.crs.to_epsg() == 4326 and list(frame.columns) == ["geometry", "address"]
    # Coordinates from en.wikipedia.org (Baghdad, Mosul, Al Asad Airbase infoboxes), lat/lon.
    for i, (lat, lon) in enumerate([(33.3153, 44.3661), (36.34, 43.13), (33.7856, 42.4411)]):
        point = frame.geometry.iloc[i]  # shapely: x = lon, y = lat
        assert haversine_km(lat, lon, point.y, point.x) < 25
    assert frame.geometry.iloc[3].is_empty and frame["address"].isna().iloc[3]
    assert frame["address"].iloc[0].startswith("Baghdad")


def test_geocode_shapes(use_gaz: Gazetteer) -> None:
    coder = OfflineGeocoder()
    one = coder.geocode("Lebanon")
    assert isinstance(one, Location) and one.raw["place_id"] == "cc:LB"
    assert (one.latitude, one.longitude) == (one.raw["lat"], one.raw["lon"])
    many = coder.geocode("Lebanon", exactly_one=False, limit=4)
    assert isinstance(many, list) and 1 < len(many) <= 4 and many[0].raw == one.raw
    assert coder.geocode("Qqxzv Nowhere", exactly_one=False) is None
    us = coder.geocode("Lebanon", country_codes=["US"])
    assert us.raw["country_code"] == "US"
    boxed = coder.geocode("Basra", viewbox=[(29.0, 38.0), (38.0, 49.0)])  # (lat, lon) corners
    assert boxed.raw["country_code"] == "IQ"


def test_reverse(use_gaz: Gazetteer) -> None:
    loc = OfflineGeocoder().reverse("33.3153, 44.3661")
    assert isinstance(loc, Location) and loc.raw["admin1_iso"] == "IQ-BG"
    assert OfflineGeocoder().reverse((36.34, 43.13), exactly_one=False)[0].raw["country_code"] == "IQ"


@pytest.mark.parametrize("call", [lambda c: c.geocode(""), lambda c: c.geocode("x", country_codes="Iraq"),
                                  lambda c: c.reverse("not a point"), lambda c: c.reverse((95, 10))])
@pytest.mark.filterwarnings("ignore:Latitude normalization:UserWarning")
def test_errors_come_from_geopy(use_gaz: Gazetteer, call) -> None:
    with pytest.raises(GeocoderQueryError):
        call(OfflineGeocoder())


def test_constructor_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        OfflineGeocoder(None)  # type: ignore[misc]


def test_search_logic_does_not_import_geopy() -> None:
    pkg = Path(__file__).resolve().parents[2] / "gazetteer"
    for module in ("core.py", "index.py", "sources.py", "ranking.py", "userlayer.py"):
        tree = ast.parse((pkg / module).read_text(encoding="utf-8"))
        imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not [m for m in imported if m.split(".")[0] == "geopy"], module
