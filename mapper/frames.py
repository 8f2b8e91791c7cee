"""The joined GeoDataFrames every output is made from, with fixed, documented columns.

Every constructor returns a frame with exactly the columns listed here, in this order, in
EPSG:4326, even when there are no rows. Lists (quotes, documents, surface forms) are stored
as JSON text so the frames write unchanged to GeoJSON, GeoPackage and CSV.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from mapper.errors import SchemaError
from mapper.model import Incident, PlaceMention

CRS = "EPSG:4326"

INCIDENT_COLUMNS: tuple[str, ...] = (
    "id",  # stable: "IM-" + hash of source document and span (or origin row id)
    "event_type",  # ACLED event_type, word for word
    "sub_event_type",  # ACLED sub_event_type, word for word
    "disorder_type",  # ACLED disorder_type
    "method",  # rocket, mortar, one-way drone, missile, airstrike, IED, ...
    "cameo_code",  # CAMEO event code as text ("194", "1952", ...)
    "is_threat",  # a threat or warning, not an attack
    "date_start",  # ISO date text, or null when unknown
    "date_end",  # ISO date text (== date_start for a known day)
    "time_precision",  # ACLED 1-3, null when coarser
    "location",  # resolved place name
    "place_id",  # gazetteer id
    "geo_precision",  # ACLED 1-3
    "uncertainty_km",  # radius of the area the event may be in
    "country",  # ISO 3166-1 alpha-2
    "admin1",  # admin-1 name
    "actor1",  # perpetrator (canonical actor name)
    "actor2",  # target or victim actor
    "assoc_actors",  # "; "-joined associated actors
    "attribution",  # claimed | attributed | suspected | denied | unknown
    "target",  # what was attacked, as written
    "fatalities",  # int or null (ACLED's lowest-figure rules)
    "doc_id",  # first source document id
    "source",  # first source title (or dataset name)
    "url",  # first source URL
    "quote",  # the sentence the incident was read from
    "start",  # character offset of the quote's trigger in the first document
    "end",
    "n_sources",  # how many evidence items support the incident
    "evidence",  # JSON list of {doc_id, source, url, quote, start, end, origin}
    "confidence",  # 0..1
    "origin",  # extracted | acled | ucdp | gdelt | csv
    "licence",  # own | CC BY 4.0 (UCDP) | ACLED | GDELT | user
)

MENTION_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "start",
    "end",
    "text",
    "status",  # resolved | unresolved | ambiguous | ignored
    "place_id",
    "name",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1",
    "lat",
    "lon",
    "score",
    "reason",
)

PLACE_COLUMNS: tuple[str, ...] = (
    "place_id",
    "name",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1",
    "mentions",  # number of resolved mentions
    "doc_ids",  # JSON list of document ids
    "surface_forms",  # JSON list of the texts that resolved here
)

ACTOR_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "name",
    "kind",  # ACLED inter type text: State forces, Political militia, External/Other forces, ...
    "parent",  # parent organisation (e.g. Kata'ib Hezbollah -> Popular Mobilization Forces)
    "backers",  # "; "-joined backers (e.g. IRGC-Quds Force)
    "aliases",  # JSON list of aliases seen in the documents
    "mentions",  # number of mentions in the documents
    "incidents",  # number of incidents where the actor is actor1 or actor2
    "doc_ids",  # JSON list of documents
)


def _point(lon: float | None, lat: float | None) -> Point | None:
    if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
        return None
    return Point(float(lon), float(lat))  # shapely order: lon, lat


def _frame(rows: list[dict], columns: Sequence[str], geometry: list) -> gpd.GeoDataFrame:
    data = pd.DataFrame(rows, columns=list(columns))
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def incident_row(incident: Incident) -> dict:
    """Flatten one incident into the scalar columns of ``INCIDENT_COLUMNS``."""
    first = incident.first_evidence
    return {
        "id": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "disorder_type": incident.disorder_type,
        "method": incident.method,
        "cameo_code": incident.cameo_code,
        "is_threat": bool(incident.is_threat),
        "date_start": incident.date_start.isoformat() if incident.date_start else None,
        "date_end": incident.date_end.isoformat() if incident.date_end else None,
        "time_precision": incident.time_precision,
        "location": incident.location,
        "place_id": incident.place_id,
        "geo_precision": incident.geo_precision,
        "uncertainty_km": incident.uncertainty_km,
        "country": incident.country,
        "admin1": incident.admin1,
        "actor1": incident.actor1,
        "actor2": incident.actor2,
        "assoc_actors": incident.assoc_actors,
        "attribution": incident.attribution,
        "target": incident.target,
        "fatalities": incident.fatalities,
        "doc_id": first.doc_id if first else None,
        "source": first.source if first else None,
        "url": first.url if first else None,
        "quote": first.quote if first else None,
        "start": first.start if first else None,
        "end": first.end if first else None,
        "n_sources": len(incident.evidence),
        "evidence": json.dumps([asdict(e) for e in incident.evidence], ensure_ascii=False),
        "confidence": incident.confidence,
        "origin": incident.origin,
        "licence": incident.licence,
    }


def incidents_frame(incidents: Iterable[Incident]) -> gpd.GeoDataFrame:
    """Incidents as a GeoDataFrame of points (null geometry when the place is unknown)."""
    items = list(incidents)
    rows = [incident_row(i) for i in items]
    frame = _frame(rows, INCIDENT_COLUMNS, [_point(i.lon, i.lat) for i in items])
    return _typed(frame, ints=("time_precision", "geo_precision", "fatalities", "start", "end", "n_sources"))


def mentions_frame(mentions: Iterable[PlaceMention]) -> gpd.GeoDataFrame:
    """Every place mention, resolved or not; geometry is null where unresolved."""
    items = list(mentions)
    rows = [asdict(m) for m in items]
    frame = _frame(rows, MENTION_COLUMNS, [_point(m.lon, m.lat) for m in items])
    return _typed(frame, ints=("start", "end"))


def places_frame(mentions: Iterable[PlaceMention]) -> gpd.GeoDataFrame:
    """Resolved mentions aggregated per place, most mentioned first, then by id."""
    groups: dict[str, dict] = {}
    for m in mentions:
        if m.status != "resolved" or m.place_id is None:
            continue
        g = groups.setdefault(
            m.place_id,
            {
                "place_id": m.place_id,
                "name": m.name,
                "feature_class": m.feature_class,
                "feature_code": m.feature_code,
                "country_code": m.country_code,
                "admin1": m.admin1,
                "mentions": 0,
                "_docs": set(),
                "_forms": set(),
                "_lonlat": (m.lon, m.lat),
            },
        )
        g["mentions"] += 1
        g["_docs"].add(m.doc_id)
        g["_forms"].add(m.text)
    ordered = sorted(groups.values(), key=lambda g: (-g["mentions"], g["place_id"]))
    rows, geoms = [], []
    for g in ordered:
        lon, lat = g.pop("_lonlat")
        g["doc_ids"] = json.dumps(sorted(g.pop("_docs")), ensure_ascii=False)
        g["surface_forms"] = json.dumps(sorted(g.pop("_forms")), ensure_ascii=False)
        rows.append(g)
        geoms.append(_point(lon, lat))
    return _typed(_frame(rows, PLACE_COLUMNS, geoms), ints=("mentions",))


def empty_actors_frame() -> gpd.GeoDataFrame:
    """An actors frame with no rows (the actors module fills real ones)."""
    return _frame([], ACTOR_COLUMNS, [])


def _typed(frame: gpd.GeoDataFrame, *, ints: Sequence[str]) -> gpd.GeoDataFrame:
    for col in ints:
        frame[col] = pd.array(frame[col], dtype="Int64")
    return frame


def check_columns(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> None:
    """Raise ``SchemaError`` naming the missing columns if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{what} frame is missing columns {missing}; expected {list(columns)}")
