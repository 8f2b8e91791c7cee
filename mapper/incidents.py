"""PLACEHOLDER (incidents work, issue 5): incidents from sentences, linked to places."""

from __future__ import annotations

from typing import Any

from mapper.actors import ActorMention, ActorRegistry
from mapper.model import Document, Incident, PlaceMention


class IncidentExtractor:
    def __init__(self, *, registry: ActorRegistry, geoparser: Any = None) -> None:
        self.registry = registry

    def extract(self, doc: Document, mentions: list[PlaceMention],
                actor_mentions: list[ActorMention]) -> list[Incident]:
        return []
