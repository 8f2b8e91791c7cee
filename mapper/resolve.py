"""PLACEHOLDER (geoparsing work, issue 4): recognise and resolve place names in text."""

from __future__ import annotations

from collections.abc import Sequence

from gazetteer import Gazetteer
from mapper.model import PlaceMention, Span


class Geoparser:
    """Finds place mentions in text and resolves them against the gazetteer."""

    def __init__(self, *, gazetteer: Gazetteer | None = None, spacy_model: str | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()

    def parse(self, text: str, *, doc_id: str = "") -> list[PlaceMention]:
        """Every place mention in ``text``, resolved or not."""
        return []

    def resolve(self, text: str, spans: Sequence[Span], *, doc_id: str = "") -> list[PlaceMention]:
        """Resolve given spans (gold spans in evaluation) in the context of ``text``."""
        return [PlaceMention(doc_id, s.start, s.end, text[s.start:s.end]) for s in spans]
