"""geopy face of the gazetteer: ``OfflineGeocoder`` behaves as a geopy geocoder, offline.

A thin adapter: the search logic lives in ``gazetteer.core`` (which does not import geopy).
Works wherever geopy geocoders do, e.g.
``geopandas.tools.geocode(names, provider=OfflineGeocoder)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.core import Candidate, Gazetteer
from gazetteer.errors import GazetteerDataError, GazetteerQueryError
from gazetteer.online import OnlineFallback


class OfflineGeocoder(Geocoder):
    """geopy geocoder over the offline gazetteer (no network, no API key).

    ``geocode`` returns None, one ``Location`` (``exactly_one=True``) or a non-empty list;
    ``Location.raw`` is the full candidate record (``Candidate.as_dict``).
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, fuzzy: bool = True,
                 min_score: float = 0.0, online: OnlineFallback | None = None,
                 **geopy_options: Any) -> None:
        """``fuzzy``: fall back to close spellings; ``min_score``: drop weaker candidates;
        ``online``: ask Nominatim (rate limited, cached) for names nothing local knows (off
        by default). geopy's own options (``timeout``, ``user_agent``, ...) are accepted.
        """
        super().__init__(**geopy_options)
        self._gazetteer = gazetteer
        self.fuzzy = fuzzy
        self.min_score = min_score
        self.online = online

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    @staticmethod
    def _location(candidate: Candidate) -> Location:
        p = candidate.place
        parts = [p.name] + [x for x in (p.admin1, p.country_code) if x and x != p.name]
        return Location(", ".join(parts), (p.lat, p.lon), raw=candidate.as_dict())

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                limit: int | None = None, country_codes: str | Sequence[str] | None = None,
                feature_class: str | None = None,
                viewbox: tuple[Any, Any] | None = None) -> Location | list[Location] | None:
        """Places for ``query`` best first.

        ``country_codes``: ISO alpha-2 code(s); ``viewbox``: two corners as (lat, lon) pairs
        or geopy Points, as in geopy's Nominatim.
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError(f"query {query!r}: expected a non-empty place name")
        codes: list[str | None] = [None]
        if isinstance(country_codes, str):
            codes = [country_codes]
        elif country_codes:
            codes = list(country_codes)
        bbox = None
        if viewbox is not None:
            try:
                a, b = (Point(c) for c in viewbox)
            except (TypeError, ValueError) as exc:
                raise GeocoderQueryError(f"viewbox {viewbox!r}: expected two (lat, lon) corners") from exc
            bbox = (min(a.longitude, b.longitude), min(a.latitude, b.latitude),
                    max(a.longitude, b.longitude), max(a.latitude, b.latitude))
        wanted = 1 if exactly_one else limit
        found: list[Candidate] = []
        try:
            for code in codes:
                found += self.gazetteer.search(query, country=code, feature_class=feature_class,
                                               bbox=bbox, fuzzy=self.fuzzy, limit=wanted)
        except GazetteerQueryError as exc:
            raise GeocoderQueryError(str(exc)) from exc
        found = sorted((c for c in found if c.score >= self.min_score), key=lambda c: -c.score)
        if not found and self.online is not None:
            for code in codes:
                try:
                    hit = self.online.lookup(query, country=code)
                except GazetteerDataError as exc:
                    raise GeocoderServiceError(str(exc)) from exc
                if hit is not None:
                    found.append(hit)
        if not found:
            return None
        locations = [self._location(c) for c in found[:wanted]]
        return locations[0] if exactly_one else locations

    def reverse(self, query: Any, *, exactly_one: bool = True,
                timeout: Any = DEFAULT_SENTINEL) -> Location | list[Location] | None:
        """The nearest place to ``query`` ("lat, lon", a (lat, lon) pair or a geopy Point)."""
        try:
            point = Point(query)
            result = self.gazetteer.reverse(lat=point.latitude, lon=point.longitude)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"reverse query {query!r}: expected a (lat, lon) point ({exc})") from exc
        if result.place is None:
            return None
        location = self._location(Candidate(result.place, 1.0, "", "reverse"))
        location.raw.update(result.as_dict())
        return location if exactly_one else [location]
