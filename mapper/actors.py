"""PLACEHOLDER (incidents work, issue 5): the actor registry and actor mentions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geopandas as gpd

from mapper import frames


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a document."""

    doc_id: str
    start: int
    end: int
    text: str
    actor_id: str


class ActorRegistry:
    """Actors with aliases, ACLED type, parent and backers, loaded from data files."""

    @classmethod
    @cache
    def default(cls) -> ActorRegistry:
        return cls()

    def find(self, text: str, *, doc_id: str = "") -> list[ActorMention]:
        return []

    def actors_frame(self, mentions: list[ActorMention], incidents: gpd.GeoDataFrame,
                     places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return frames.empty_actors_frame()
