"""An offline, world-wide gazetteer: places, admin-1 polygons, lookup, reverse lookup.

It knows nothing of incidents or maps. Public API (owned by the gazetteer work, issue 3):

- ``Gazetteer.default()``: the process-wide instance over the embedded data (built on first
  use into the user cache when needed).
- ``Gazetteer.search(name, *, country=None, feature_class=None, bbox=None, fuzzy=False,
  limit=10) -> list[Candidate]``: best first.
- ``Gazetteer.get(place_id) -> Place | None``; ``Gazetteer.reverse(*, lat, lon)``.
- ``Gazetteer.names()``: every lookup key, for building recognisers.
- ``Gazetteer.admin1()`` / ``Gazetteer.countries()``: polygons as GeoDataFrames (EPSG:4326).
"""

from gazetteer.core import Candidate, Gazetteer, NameEntry, Place

__all__ = ["Candidate", "Gazetteer", "NameEntry", "Place"]
