"""Plain incident tables (CSV, GeoJSON, GeoPackage) with a column mapping into incidents.

The mapping names, for each of our incident fields, the column that holds it
(``--map date=Date --map lat=Latitude``). Columns already named like our fields (our own
``incidents.geojson`` / ``incidents.gpkg`` exports, or ``latitude``/``longitude``) need no
mapping. A date and a place (``lat`` and ``lon``, or a point geometry) are required.
Missing columns raise ``InputError``; bad values reject the row with its row, column and
value in the import report.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from mapper.errors import InputError
from mapper.importers.common import (
    FileReport,
    Interner,
    Row,
    RowError,
    convert_rows,
    crosswalks,
    incident_id,
    is_our_id,
    iter_csv_rows,
    optional_int,
    parse_date,
    parse_float,
    parse_lat,
    parse_lon,
)
from mapper.model import Evidence, Incident, Origin

LICENCE = "user"
SPATIAL_SUFFIXES = (".geojson", ".json", ".gpkg")
_GEOMETRY = "__geometry__"
_BATCH = 20_000

#: Fields a column can be mapped to (``--map FIELD=COLUMN``): our incident fields, plus
#: ``date`` (one day: start = end) and ``notes`` (the row's description, kept as the quote).
FIELDS: tuple[str, ...] = (
    "id", "date", "date_start", "date_end", "event_type", "sub_event_type", "disorder_type",
    "method", "is_threat", "cameo_code", "time_precision", "location", "place_id", "lat",
    "lon", "geo_precision", "uncertainty_km", "country", "admin1", "actor1", "actor2",
    "assoc_actors", "attribution", "target", "fatalities", "confidence", "source", "url",
    "quote", "notes", "doc_id", "evidence", "origin", "licence",
)
#: Column names recognised without a mapping (besides the field names themselves).
DEFAULT_ALIASES: dict[str, str] = {"latitude": "lat", "longitude": "lon", "event_date": "date"}
_ORIGINS: tuple[str, ...] = get_args(Origin)
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def is_spatial(path: Path) -> bool:
    return path.suffix.lower() in SPATIAL_SUFFIXES


def split_header(line: str) -> list[str]:
    """The column names of a CSV header line."""
    return [h.strip() for h in next(csv.reader([line]), [])]


def resolve_mapping(path: Path, columns: list[str], column_map: dict[str, str]) -> dict[str, str]:
    """Field -> column: defaults from the column names, then the user's mapping on top."""
    unknown = sorted(set(column_map) - set(FIELDS))
    if unknown:
        raise InputError(f"{path}: unknown field(s) {unknown} in --map; allowed fields: {list(FIELDS)}")
    mapping: dict[str, str] = {}
    for column in columns:
        field = DEFAULT_ALIASES.get(column.lower(), column if column in FIELDS else "")
        if field and field not in mapping:
            mapping[field] = column
    for field, column in column_map.items():
        if column not in columns:
            raise InputError(f"{path}: --map {field}={column}: no column {column!r}; "
                             f"the file has {columns[:60]}")
        mapping[field] = column
    if "date" in mapping and "date_start" not in mapping:
        mapping["date_start"] = mapping["date"]
    if "notes" in mapping and "quote" not in mapping:
        mapping["quote"] = mapping["notes"]
    if ("lat" in mapping) != ("lon" in mapping):
        raise InputError(f"{path}: map both lat and lon, or neither (to use the geometry); "
                         f"mapped: {[f for f in ('lat', 'lon') if f in mapping]}")
    missing = [f for f, ok in (("date", "date_start" in mapping),
                               ("lat", "lat" in mapping or _GEOMETRY in columns),
                               ("lon", "lon" in mapping or _GEOMETRY in columns)) if not ok]
    if missing:
        hint = " ".join(f"--map {f}=COLUMN" for f in missing)
        raise InputError(f"{path}: no column for required field(s) {missing} (give {hint}); "
                         f"the file has {[c for c in columns if c != _GEOMETRY][:60]}")
    return mapping


def _bool(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(column, value, "not a boolean; allowed true/false, yes/no, 1/0")


def _evidence_list(value: str, column: str) -> list[Evidence]:
    """Evidence items from our exports' JSON column."""
    try:
        items = json.loads(value)
        return [Evidence(doc_id=str(i["doc_id"]), source=str(i.get("source") or ""),
                         url=str(i.get("url") or ""), quote=str(i.get("quote") or ""),
                         start=i.get("start"), end=i.get("end"),
                         origin=i.get("origin") if i.get("origin") in _ORIGINS else "csv")
                for i in items]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise RowError(column, value, "not a JSON list of evidence objects with doc_id") from None


class _Converter:
    """Turns one mapped row into an incident (the per-file state: mapping, interned strings)."""

    def __init__(self, path: Path, mapping: dict[str, str]) -> None:
        self.path, self.mapping = path, mapping
        self.intern = Interner()
        self.subtypes: dict[str, dict[str, str]] = crosswalks()["acled_taxonomy"]

    def get(self, r: dict[str, str], field: str) -> str:
        column = self.mapping.get(field)
        return r.get(column, "") if column else ""

    def text(self, r: dict[str, str], field: str) -> str | None:
        return self.intern.opt(self.get(r, field))

    def __call__(self, row: Row) -> Incident:
        r, m = row.values, self.mapping
        start = parse_date(self.get(r, "date_start"), m["date_start"])
        end = parse_date(self.get(r, "date_end"), m["date_end"]) if self.get(r, "date_end").strip() else start
        if end < start:
            raise RowError(m["date_end"], self.get(r, "date_end"), f"before the start date {start}")
        if "lat" in m:
            lat = parse_lat(self.get(r, "lat"), m["lat"])
            lon = parse_lon(self.get(r, "lon"), m["lon"])
        else:
            lon, lat = _lonlat(r.get(_GEOMETRY, ""))
        event_type, sub, disorder = self._types(r)
        origin = self.get(r, "origin").strip() or "csv"
        if origin not in _ORIGINS:
            raise RowError(m["origin"], origin, f"not one of {list(_ORIGINS)}")
        original = self.get(r, "id").strip()
        new_id = (original if is_our_id(original) else
                  incident_id("csv", f"{self.path.name}:{original or row.number}"))
        return Incident(
            id=new_id, event_type=event_type, sub_event_type=sub, disorder_type=disorder,
            method=self.intern(self.get(r, "method")),
            is_threat=_bool(self.get(r, "is_threat"), m.get("is_threat", "is_threat")),
            cameo_code=self.text(r, "cameo_code"),
            date_start=start, date_end=end,
            time_precision=optional_int(self.get(r, "time_precision"), m.get("time_precision", ""),
                                        allowed=(1, 2, 3)),
            location=self.text(r, "location"), place_id=self.text(r, "place_id"),
            lat=lat, lon=lon,
            geo_precision=optional_int(self.get(r, "geo_precision"), m.get("geo_precision", ""),
                                       allowed=(1, 2, 3)),
            uncertainty_km=self._float(r, "uncertainty_km", 0.0, 20_100.0),
            country=self.text(r, "country"), admin1=self.text(r, "admin1"),
            actor1=self.text(r, "actor1"), actor2=self.text(r, "actor2"),
            assoc_actors=self.text(r, "assoc_actors"), attribution=self.text(r, "attribution"),
            target=self.text(r, "target"),
            fatalities=optional_int(self.get(r, "fatalities"), m.get("fatalities", ""), lo=0),
            confidence=self._float(r, "confidence", 0.0, 1.0),
            origin=origin,  # type: ignore[arg-type]  # checked against Origin above
            licence=self.intern(self.get(r, "licence")) or LICENCE,
            evidence=self._evidence(r, row, origin),
        )

    def _float(self, r: dict[str, str], field: str, lo: float, hi: float) -> float | None:
        value = self.get(r, field)
        return parse_float(value, self.mapping[field], lo=lo, hi=hi) if value.strip() else None

    def _types(self, r: dict[str, str]) -> tuple[str, str, str | None]:
        """ACLED event and sub-event types, checked against the ACLED taxonomy when given."""
        event_type, sub = self.intern(self.get(r, "event_type")), self.intern(self.get(r, "sub_event_type"))
        if event_type and event_type not in self.subtypes:
            raise RowError(self.mapping["event_type"], event_type,
                           f"not an ACLED event_type; allowed: {list(self.subtypes)}")
        if sub:
            allowed = self.subtypes.get(event_type) or {
                s: d for subs in self.subtypes.values() for s, d in subs.items()}
            if sub not in allowed:
                raise RowError(self.mapping["sub_event_type"], sub,
                               f"not an ACLED sub_event_type of {event_type or 'any type'}; "
                               f"allowed: {list(allowed)}")
        disorder = self.text(r, "disorder_type")
        if disorder is None and sub:
            disorder = next(subs[sub] for subs in self.subtypes.values() if sub in subs)
        return event_type, sub, disorder

    def _evidence(self, r: dict[str, str], row: Row, origin: str) -> list[Evidence]:
        if self.get(r, "evidence").strip():
            return _evidence_list(self.get(r, "evidence"), self.mapping["evidence"])
        doc_id = self.get(r, "doc_id").strip() or f"{self.path.name}#{row.number}"
        return [Evidence(doc_id=doc_id, source=self.intern(self.get(r, "source")) or self.path.name,
                         url=self.get(r, "url").strip(), quote=self.get(r, "quote").strip(),
                         start=None, end=None, origin=origin)]  # type: ignore[arg-type]


def _lonlat(wkb: Any) -> tuple[float, float]:
    """(lon, lat) of a point geometry given as WKB (shapely order: x = lon, y = lat)."""
    import shapely

    if wkb is None or wkb == "":
        raise RowError("geometry", None, "no geometry (and no lat/lon columns mapped)")
    geom = shapely.from_wkb(wkb)
    if geom.geom_type != "Point" or geom.is_empty:
        raise RowError("geometry", geom.geom_type, "not a point; map lat/lon columns instead")
    return parse_lon(str(geom.x), "geometry"), parse_lat(str(geom.y), "geometry")


def iter_tabular(path: Path, *, column_map: dict[str, str], report: FileReport) -> Iterator[Incident]:
    """Stream the incidents of a plain CSV, GeoJSON or GeoPackage file."""
    if is_spatial(path):
        columns, rows = _spatial_rows(path, report=report)
    else:
        columns, rows = iter_csv_rows(path, report=report)
    mapping = resolve_mapping(path, columns, column_map)
    return convert_rows(rows, _Converter(path, mapping), report)


def _spatial_rows(path: Path, *, report: FileReport) -> tuple[list[str], Iterator[Row]]:
    """Columns and rows of a GeoJSON / GeoPackage layer, read in Arrow batches (streaming)."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        layer = "incidents" if "incidents" in layers else layers[0]
        info = pyogrio.read_info(path, layer=layer)
    except (DataSourceError, DataLayerError, IndexError, OSError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON/GeoPackage file: {exc}") from exc
    fields = [str(f) for f in info["fields"]]
    columns = [*fields, _GEOMETRY] if info.get("geometry_type") else fields

    def rows() -> Iterator[Row]:
        number = 0
        with pyogrio.open_arrow(path, layer=layer, batch_size=_BATCH, use_pyarrow=True) as (meta, reader):
            geometry = meta.get("geometry_name") or "wkb_geometry"
            for batch in reader:
                names = [n for n in batch.schema.names if n != geometry]
                for record in batch.to_pylist():
                    number += 1
                    report.rows_read += 1
                    values = {name: _as_text(record[name]) for name in names}
                    values[_GEOMETRY] = record.get(geometry)
                    yield Row(number, number, values)

    return columns, rows()


def _as_text(value: Any) -> str:
    """Field values from GDAL as the text our parsers read (None -> empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
