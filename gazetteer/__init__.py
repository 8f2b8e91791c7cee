"""An offline, world-wide gazetteer: places, admin-1 polygons, lookup, reverse lookup.

It knows nothing of incidents or maps. Public API (owned by the gazetteer work, issue 3):

- ``Gazetteer.default()``: the process-wide instance over the default index (built on first
  use into the user cache from pinned packages; see ``gazetteer.index``).
- ``Gazetteer.search(name, *, country=None, feature_class=None, bbox=None, fuzzy=False,
  limit=10) -> list[Candidate]``: best first (``limit=None``: every candidate).
- ``Gazetteer.get(place_id) -> Place | None``; ``Gazetteer.reverse(*, lat, lon) -> ReverseResult``.
- ``Gazetteer.names()``: every lookup key, for building recognisers (``NameEntry.is_admin1``
  tells admin-1 names from county and town names without loading polygons).
- ``Place.geonames_id``: the GeoNames record a place is (countries, admin-1 units, cities,
  continents; None for airports, counties and curated overlay places).
- ``Gazetteer.admin1()`` / ``Gazetteer.countries()``: polygons as GeoDataFrames (EPSG:4326);
  ``Gazetteer.geometry(place_id)``: the polygon of a country, province or region.
- ``gazetteer.geocoder.OfflineGeocoder``: the same search behind geopy's geocoder interface.
"""

from gazetteer.core import Candidate, Gazetteer, NameEntry, Place, ReverseResult

__all__ = ["Candidate", "Gazetteer", "NameEntry", "Place", "ReverseResult"]
