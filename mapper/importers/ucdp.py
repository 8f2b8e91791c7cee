"""UCDP GED CSV (41-column Syria release and 49-column releases >= 21.1) into incidents.

Precision: ``where_prec`` and ``date_prec`` map to our ``geo_precision`` / ``uncertainty_km``
and ``time_precision`` through ``mapper/data/import_crosswalks.yaml`` (table in
docs/importers.md). Fatalities are UCDP's ``best`` estimate. Licence: CC BY 4.0 (attribution
to UCDP).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mapper.importers.common import (
    ActorNames,
    FileReport,
    Interner,
    Row,
    RowError,
    convert_rows,
    country_radius_km,
    crosswalks,
    evidence,
    incident_id,
    iso2_from_name,
    iter_csv_rows,
    parse_date,
    parse_int,
    parse_lat,
    parse_lon,
    precision_table,
    require_columns,
)
from mapper.model import Incident

LICENCE = "CC BY 4.0 (UCDP GED)"
DATASET = "UCDP GED"

#: The 41 columns of the Syria release (GED 19.1 variables), in file order.
UCDP_COLUMNS_41: tuple[str, ...] = (
    "id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
    "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "gwnob", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "low", "best", "high",
)
#: The 49 columns of GED releases >= 21.1, in file order.
UCDP_COLUMNS_49: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)
REQUIRED: tuple[str, ...] = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
    "country", "date_prec", "date_start", "date_end", "best",
)


def looks_like(header: list[str]) -> bool:
    """True for a UCDP GED header (either layout)."""
    return {"type_of_violence", "where_prec", "date_prec", "best"} <= set(header)


def iter_ucdp(path: Path, *, report: FileReport) -> Iterator[Incident]:
    """Stream the incidents of a UCDP GED CSV; bad rows are rejected into ``report``."""
    header, rows = iter_csv_rows(path, report=report)
    require_columns(path, header, REQUIRED, layout="UCDP GED")
    table = crosswalks()
    where = precision_table(table["ucdp_where_prec"])
    when = {int(k): v for k, v in table["ucdp_date_prec"].items()}
    violence = {int(k): v for k, v in table["ucdp_type_of_violence"].items()}
    intern = Interner()
    actors = ActorNames(intern)
    countries: dict[str, str | None] = {}

    def convert(row: Row) -> Incident:
        r = row.values
        kind = violence[parse_int(r["type_of_violence"], "type_of_violence", allowed=violence)]
        geo_precision, radius = where[parse_int(r["where_prec"], "where_prec", allowed=where)]
        time_precision = when[parse_int(r["date_prec"], "date_prec", allowed=when)]
        start = parse_date(r["date_start"], "date_start")
        end = parse_date(r["date_end"], "date_end")
        if end < start:
            raise RowError("date_end", r["date_end"], f"before date_start {r['date_start']}")
        best = parse_int(r["best"], "best", lo=0)
        lat, lon = parse_lat(r["latitude"], "latitude"), parse_lon(r["longitude"], "longitude")
        original = r["id"].strip()
        if not original:
            raise RowError("id", r["id"], "empty event id")
        name = r["country"]
        if name not in countries:
            countries[name] = iso2_from_name(name)
        country = countries[name]
        office = r.get("source_office", "").strip()
        quote = r.get("where_description", "").strip() or r.get("source_headline", "").strip()
        report.add("best", best)
        return Incident(
            id=incident_id("ucdp", original),
            event_type=kind["event_type"], sub_event_type=kind["sub_event_type"],
            disorder_type=kind["disorder_type"], method="",
            date_start=start, date_end=end, time_precision=time_precision,
            location=intern.opt(r.get("where_coordinates", "")),
            lat=lat, lon=lon, geo_precision=geo_precision,
            uncertainty_km=radius if radius is not None else country_radius_km(country),
            country=country, admin1=intern.opt(r.get("adm_1", "")),
            actor1=actors(r["side_a"]), actor2=actors(r["side_b"]),
            fatalities=best, origin="ucdp", licence=LICENCE,
            evidence=evidence(path=path, row=row.number,
                              source=intern(f"{DATASET}; {office}" if office else DATASET),
                              url="", quote=quote, origin="ucdp"),
        )

    return convert_rows(rows, convert, report)
