"""Optional online fallback (off by default): geopy's Nominatim, rate limited, cached on disk.

Only for names nothing local knows. Every answer (including "not found") is cached in SQLite
(``<cache>/nominatim-cache.sqlite`` by default), so a name is asked at most once, and calls go
through geopy's ``RateLimiter`` (at most one per second by default, as the public Nominatim
usage policy asks). Results carry the OpenStreetMap attribution (ODbL) in ``source``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from gazetteer.core import Candidate, Place
from gazetteer.errors import GazetteerDataError
from gazetteer.index import cache_root
from gazetteer.normalize import name_key

SOURCE = "nominatim (© OpenStreetMap contributors, ODbL)"
# Nominatim (OSM class, type) -> GeoNames feature class and code, for the common cases.
_FEATURES = {
    ("place", "city"): ("P", "PPL"), ("place", "town"): ("P", "PPL"),
    ("place", "village"): ("P", "PPL"), ("place", "hamlet"): ("P", "PPL"),
    ("place", "suburb"): ("P", "PPLX"), ("place", "neighbourhood"): ("P", "PPLX"),
    ("boundary", "administrative"): ("A", "ADMD"), ("aeroway", "aerodrome"): ("S", "AIRP"),
    ("military", "base"): ("S", "MILB"), ("landuse", "military"): ("S", "MILB"),
    ("natural", "peak"): ("T", "PK"), ("waterway", "river"): ("H", "STM"),
}


def default_cache_path() -> Path:
    """``<cache>/nominatim-cache.sqlite``."""
    return cache_root() / "nominatim-cache.sqlite"


class OnlineFallback:
    """Nominatim lookups through geopy with a rate limiter and a persistent cache."""

    def __init__(self, *, user_agent: str, cache_path: Path | None = None,
                 domain: str = "nominatim.openstreetmap.org", scheme: str = "https",
                 min_delay_seconds: float = 1.0, error_wait_seconds: float = 5.0,
                 timeout: float = 10.0) -> None:
        """``user_agent`` identifies the application to the server (required by its policy)."""
        self._geocoder = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout)
        self._limited = RateLimiter(self._geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=1, error_wait_seconds=error_wait_seconds,
                                    swallow_exceptions=False)
        path = cache_path or default_cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answer (query TEXT, country TEXT, raw TEXT, "
                         "PRIMARY KEY (query, country))")
        self._lock = threading.Lock()
        self.requests = 0  # calls that went to the server (the rest came from the cache)

    def lookup(self, query: str, *, country: str | None = None) -> Candidate | None:
        """The server's best answer for ``query`` (cached), or None when it knows nothing."""
        key, cc = name_key(query), (country or "").upper()
        with self._lock:
            row = self._db.execute("SELECT raw FROM answer WHERE query = ? AND country = ?", (key, cc)).fetchone()
        if row is not None:
            raw = json.loads(row[0])
        else:
            try:
                location = self._limited(query, exactly_one=True, addressdetails=True,
                                         country_codes=cc.lower() or None)
            except GeopyError as exc:
                raise GazetteerDataError(f"online fallback: Nominatim at {self._geocoder.domain} "
                                         f"failed for {query!r}: {exc}") from exc
            self.requests += 1
            raw = None if location is None else location.raw
            with self._lock, self._db:
                self._db.execute("INSERT OR REPLACE INTO answer VALUES (?,?,?)", (key, cc, json.dumps(raw)))
        return None if raw is None else _candidate(raw, key)

    def close(self) -> None:
        self._db.close()


def _candidate(raw: dict[str, Any], key: str) -> Candidate:
    fclass, fcode = _FEATURES.get((raw.get("class", ""), raw.get("type", "")), ("", ""))
    address = raw.get("address") or {}
    place = Place(f"osm:{raw.get('osm_type', '')}:{raw.get('osm_id', '')}",
                  str(raw.get("name") or raw.get("display_name", "")).split(",")[0], fclass, fcode,
                  str(address.get("country_code", "")).upper(), str(address.get("state", "")),
                  float(raw["lat"]), float(raw["lon"]), 0, SOURCE)
    return Candidate(place, 0.5, key, "online")
