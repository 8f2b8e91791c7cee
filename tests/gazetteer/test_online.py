"""The optional online fallback, against a local Nominatim-shaped server on 127.0.0.1 only.

The server answers with coordinates taken from real data (UCDP GED, for a Syrian village the
offline gazetteer does not know), so the test checks plumbing: rate limiter, cache, mapping.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from geopy.exc import GeocoderServiceError

from gazetteer import Gazetteer
from gazetteer.geocoder import OfflineGeocoder
from gazetteer.online import OnlineFallback

from ..conftest import SHARED, require_path

UCDP = SHARED / "datasets" / "ucdp_ged_syria_2016_2019" / "ged_syria_2016-01-01_2019-11-30.csv"
NAME = "Khan al Asal"


@pytest.fixture(scope="module")
def known() -> dict[str, float]:
    events = pd.read_csv(require_path(UCDP, why="real coordinates for the served answer"))
    row = events[events["where_coordinates"].str.startswith(NAME)].iloc[0]
    return {"lat": float(row["latitude"]), "lon": float(row["longitude"])}


@pytest.fixture()
def server(known: dict[str, float]):
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            hits.append(query.get("q", [""])[0])
            if query.get("q", [""])[0] == "Qqxzv broken":
                self.send_response(500)
                self.end_headers()
                return
            body = []
            if query.get("q", [""])[0] == NAME:
                body = [{"osm_type": "node", "osm_id": 0, "class": "place", "type": "village",
                         "name": NAME, "display_name": f"{NAME}, Syria", "lat": str(known["lat"]),
                         "lon": str(known["lon"]), "address": {"country_code": "sy", "state": "Aleppo"}}]
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


def _fallback(server, tmp_path: Path) -> OnlineFallback:
    return OnlineFallback(user_agent="incident-mapper-tests", domain=server[0], scheme="http",
                          cache_path=tmp_path / "nominatim.sqlite", min_delay_seconds=0.01,
                          error_wait_seconds=0.01)


def test_unknown_names_go_online_once(server, tmp_path: Path, gaz: Gazetteer, known) -> None:
    assert gaz.search(NAME, country="SY") == []  # the offline gazetteer does not know it
    online = _fallback(server, tmp_path)
    coder = OfflineGeocoder(gazetteer=gaz, online=online)
    loc = coder.geocode(NAME)
    assert (loc.latitude, loc.longitude) == (known["lat"], known["lon"])
    assert loc.raw["how"] == "online" and "OpenStreetMap" in loc.raw["source"]
    assert loc.raw["country_code"] == "SY"
    assert coder.geocode(NAME) is not None and server[1] == [NAME]  # second answer: the cache
    assert coder.geocode("Qqxzv Nowhere") is None and coder.geocode("Qqxzv Nowhere") is None
    assert server[1] == [NAME, "Qqxzv Nowhere"]  # "not found" is cached too
    online.close()
    again = _fallback(server, tmp_path)  # the cache is on disk
    assert again.lookup(NAME) is not None and again.requests == 0 and len(server[1]) == 2
    again.close()


def test_local_names_never_go_online(server, tmp_path: Path, gaz: Gazetteer) -> None:
    coder = OfflineGeocoder(gazetteer=gaz, online=_fallback(server, tmp_path))
    assert coder.geocode("Mosul").raw["source"] == "geonames" and server[1] == []


def test_server_errors_are_geopy_errors(server, tmp_path: Path, gaz: Gazetteer) -> None:
    coder = OfflineGeocoder(gazetteer=gaz, online=_fallback(server, tmp_path))
    with pytest.raises(GeocoderServiceError, match="broken"):
        coder.geocode("Qqxzv broken")


def test_off_by_default() -> None:
    assert OfflineGeocoder().online is None
