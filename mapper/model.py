"""Plain records passed between pipeline stages.

Coordinates: EPSG:4326. Axis order is always spelled out: ``LonLat(lon, lat)`` for
shapely/GeoJSON, and explicit ``lat=``/``lon=`` fields on records. No bare 2-tuples cross
module boundaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

MentionStatus = Literal["resolved", "unresolved", "ambiguous", "ignored"]
Origin = Literal["extracted", "acled", "ucdp", "gdelt", "csv"]


class LonLat(NamedTuple):
    """A point in EPSG:4326, longitude first (shapely / GeoJSON order)."""

    lon: float
    lat: float


class Span(NamedTuple):
    """Half-open character range ``[start, end)`` in a document's original text."""

    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One input article. ``text`` is the original text; every offset refers to it."""

    doc_id: str
    text: str
    title: str = ""
    url: str = ""
    published: dt.date | None = None
    source_path: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedDocument:
    """An input that could not be read, with the reason (listed in ``report.json``)."""

    source_path: str
    reason: str


@dataclass
class PlaceMention:
    """A place name found in a document, resolved or not (see DESIGN.md section 4)."""

    doc_id: str
    start: int
    end: int
    text: str
    status: MentionStatus = "unresolved"
    place_id: str | None = None
    name: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    score: float | None = None
    reason: str = ""


@dataclass(slots=True)  # slots: a million imported incidents fit in far less memory
class Evidence:
    """Where an incident was read: one sentence of one source."""

    doc_id: str
    source: str
    url: str
    quote: str
    start: int | None
    end: int | None
    origin: Origin = "extracted"


@dataclass(slots=True)  # slots: 1.6M incidents of a 1 GB CSV in 1.5 GB (bench_import.py)
class Incident:
    """One event per day per place (ACLED's unit). Field meanings: DESIGN.md section 4."""

    id: str
    event_type: str
    sub_event_type: str
    method: str
    is_threat: bool = False
    disorder_type: str | None = None
    cameo_code: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    time_precision: int | None = None
    location: str | None = None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    uncertainty_km: float | None = None
    country: str | None = None
    admin1: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actors: str | None = None
    attribution: str | None = None
    target: str | None = None
    fatalities: int | None = None
    confidence: float | None = None
    origin: Origin = "extracted"
    licence: str = "own"
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def first_evidence(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None
