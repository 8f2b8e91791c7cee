"""ACLED CSV exports (the current 31-column layout and the pre-2023 layout) into incidents.

ACLED's terms forbid redistributing its rows: every imported row carries ``licence="ACLED"``
and the exports leave such rows out unless the user includes restricted data. ACLED's own
event ids never become our ids (ours are ``IM-`` + a hash); rows whose id is already ours
(our own ACLED-layout export read back) keep it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from mapper.importers.common import (
    ActorNames,
    FileReport,
    Interner,
    Row,
    RowError,
    convert_rows,
    crosswalks,
    evidence,
    incident_id,
    iso2_from_name,
    iso2_from_numeric,
    iter_csv_rows,
    optional_int,
    parse_date,
    parse_int,
    parse_lat,
    parse_lon,
    require_columns,
)
from mapper.model import Incident

#: Every row read in this layout, our own ``incidents.csv`` included: its rows cannot be told
#: from ACLED's (ACLED rows exported with --include-restricted carry our ids too).
LICENCE = "ACLED"

#: ACLED's current export layout (since 20 March 2023), 31 columns in file order
#: (ACLED Codebook; shared/reference/event_data.md section 1.1).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
#: The layout before 2023: numeric inter codes, ``data_id``, ``event_id_no_cnty``, ``iso3``;
#: no ``disorder_type``, ``civilian_targeting``, ``tags``.
ACLED_COLUMNS_PRE2023: tuple[str, ...] = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
    "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "timestamp", "iso3",
)
REQUIRED: tuple[str, ...] = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "latitude", "longitude",
    "geo_precision",
)


def looks_like(header: list[str]) -> bool:
    """True for an ACLED export header (either generation)."""
    return {"event_id_cnty", "event_date", "sub_event_type"} <= set(header)


def date_range(day: dt.date, time_precision: int) -> tuple[dt.date, dt.date]:
    """The period an ACLED date stands for: the day, the week around it, or its month."""
    if time_precision == 3:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    half = dt.timedelta(days=crosswalks()["acled_time_precision_days"][time_precision])
    return day - half, day + half


_TAG_KEYS = ("method", "attribution", "target", "url")
_TAGS = re.compile(rf"(?:^|; )({'|'.join(_TAG_KEYS)}): (.*?)(?=; (?:{'|'.join(_TAG_KEYS)}): |$)")


def machine_tags(tags: str) -> dict[str, str]:
    """The ``method: ...; attribution: ...; target: ...; url: ...`` tags our ACLED-layout
    export writes (ACLED's own tags, e.g. ``crowd size=...``, are not among them)."""
    return {key: value.strip() for key, value in _TAGS.findall(tags)}


def _inter(value: str, column: str) -> None:
    """Check an inter code: text (current) or 0-8 (pre-2023)."""
    text = value.strip()
    labels = crosswalks()["acled_inter"]
    if text.isdigit() and int(text) not in labels:
        raise RowError(column, value, f"not an ACLED inter code; allowed 0-8 or {sorted(set(labels.values()) - {''})}")


def iter_acled(path: Path, *, report: FileReport) -> Iterator[Incident]:
    """Stream the incidents of an ACLED CSV; bad rows are rejected into ``report``."""
    header, rows = iter_csv_rows(path, report=report)
    require_columns(path, header, REQUIRED, layout="ACLED")
    table = crosswalks()
    radius = {int(k): float(v) for k, v in table["acled_geo_precision_km"].items()}
    disorder = {sub: d for subs in table["acled_taxonomy"].values() for sub, d in subs.items()}
    intern = Interner()
    actors = ActorNames(intern)
    countries: dict[tuple[str, str], str | None] = {}

    def convert(row: Row) -> Incident:
        r = row.values
        original = r["event_id_cnty"].strip()
        if not original:
            raise RowError("event_id_cnty", r["event_id_cnty"], "empty event id")
        precision = parse_int(r.get("time_precision", "") or "1", "time_precision",
                              allowed=(1, 2, 3))
        start, end = date_range(parse_date(r["event_date"], "event_date"), precision)
        geo_precision = optional_int(r["geo_precision"], "geo_precision", allowed=radius)
        lat, lon = parse_lat(r["latitude"], "latitude"), parse_lon(r["longitude"], "longitude")
        fatalities = parse_int(r.get("fatalities", "") or "0", "fatalities", lo=0)
        for column in ("inter1", "inter2"):
            _inter(r.get(column, ""), column)
        sub = intern(r["sub_event_type"])
        key = (r.get("iso", ""), r.get("country", ""))
        if key not in countries:
            countries[key] = iso2_from_numeric(key[0]) or iso2_from_name(key[1])
        assoc = dict.fromkeys(actors(a) for col in ("assoc_actor_1", "assoc_actor_2")
                              for a in r.get(col, "").split(";") if a.strip())
        tags = machine_tags(r.get("tags", ""))
        report.add("fatalities", fatalities)
        return Incident(
            id=incident_id("acled", original),
            event_type=intern(r["event_type"]), sub_event_type=sub,
            disorder_type=intern.opt(r.get("disorder_type", "")) or disorder.get(sub),
            method=intern(tags.get("method", "")), date_start=start, date_end=end, time_precision=precision,
            location=intern.opt(r.get("location", "")), lat=lat, lon=lon,
            geo_precision=geo_precision,
            uncertainty_km=radius[geo_precision] if geo_precision is not None else None,
            country=countries[key], admin1=intern.opt(r.get("admin1", "")),
            actor1=actors(r.get("actor1", "")), actor2=actors(r.get("actor2", "")),
            assoc_actors=intern("; ".join(a for a in assoc if a)) or None,
            attribution=intern.opt(tags.get("attribution")), target=tags.get("target"),
            fatalities=fatalities, origin="acled", licence=LICENCE,
            evidence=evidence(path=path, row=row.number,
                              source=intern(r.get("source", "")) or "ACLED", url=tags.get("url", ""),
                              quote=r.get("notes", "").strip(), origin="acled"),
        )

    return convert_rows(rows, convert, report)
