"""GDELT 2.0 event files (tab-separated, no header, 61 columns) into incidents.

Only the conflict roots of CAMEO are incidents (13 threaten, 14 protest, 18 assault, 19 fight,
20 mass violence); other rows are counted as skipped with their code. The place is ActionGeo:
its FIPS 10-4 country code becomes ISO 3166 alpha-2, and country or state centroids
(``ActionGeo_Type`` 1, 2, 5) are marked imprecise (``geo_precision`` 3 and the radius of the
area) so the map never shows them as points at a capital. Attribution defaults to
``suspected``: GDELT codes reports, not verified events.
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
    SkipRow,
    convert_rows,
    country_radius_km,
    crosswalks,
    evidence,
    incident_id,
    iso2_from_fips,
    iter_csv_rows,
    parse_date,
    parse_int,
    parse_lat,
    parse_lon,
    precision_table,
)
from mapper.model import Incident

LICENCE = "GDELT (open, attribution)"
DATASET = "GDELT 2.0"

#: The 61 columns of a GDELT 2.0 Events file, in file order (GDELT's published header file
#: ``GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016``; GDELT Event Codebook V2.0).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code",
    "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode",
    "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName",
    "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat",
    "Actor1Geo_Long", "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName",
    "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat",
    "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type", "ActionGeo_FullName",
    "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)


def looks_like(first_line: str) -> bool:
    """True for the first line of a GDELT 2.0 events file (61 tab-separated fields)."""
    fields = first_line.split("\t")
    return len(fields) == len(GDELT_COLUMNS) and fields[0].isdigit() and fields[1].isdigit()


def cameo_entry(code: str) -> tuple[str, dict] | None:
    """The crosswalk entry of the longest CAMEO prefix of ``code`` that we import, or None."""
    table = crosswalks()["cameo"]
    for length in range(len(code), 1, -1):
        entry = table.get(code[:length])
        if entry is not None:
            return code[:length], entry
    return None


def _admin1(full_name: str, geo_type: int) -> str | None:
    """ADM1 name from ActionGeo_FullName ("City, ADM1, Country" or "ADM1, Country")."""
    parts = [p.strip() for p in full_name.split(",")]
    if geo_type in (3, 4) and len(parts) >= 3:
        return parts[-2] or None
    if geo_type in (2, 5) and len(parts) >= 2:
        return parts[0] or None
    return None


def iter_gdelt(path: Path, *, report: FileReport) -> Iterator[Incident]:
    """Stream the incidents of a GDELT 2.0 events file; other rows go to ``report``."""
    _, rows = iter_csv_rows(path, delimiter="\t", names=GDELT_COLUMNS, report=report)
    geo = precision_table(crosswalks()["gdelt_geo_type"])
    intern = Interner()
    actors = ActorNames(intern)

    def convert(row: Row) -> Incident:
        r = row.values
        code = r["EventCode"].strip()
        found = cameo_entry(code)
        if found is None:
            raise SkipRow("EventCode", code, "CAMEO code outside the conflict roots 13, 14, 18, 19, 20")
        _, kind = found
        original = r["GLOBALEVENTID"].strip()
        if not original.isdigit():
            raise RowError("GLOBALEVENTID", original, "not a GDELT event id")
        day = parse_date(r["SQLDATE"], "SQLDATE")
        if not r["ActionGeo_Type"].strip() or r["ActionGeo_Type"].strip() == "0":
            raise RowError("ActionGeo_Type", r["ActionGeo_Type"], "event has no place (ActionGeo)")
        geo_type = parse_int(r["ActionGeo_Type"], "ActionGeo_Type", allowed=geo)
        lat = parse_lat(r["ActionGeo_Lat"], "ActionGeo_Lat")
        lon = parse_lon(r["ActionGeo_Long"], "ActionGeo_Long")
        fips = r["ActionGeo_CountryCode"].strip()
        country = iso2_from_fips(fips) if fips else None
        if fips and country is None:
            raise RowError("ActionGeo_CountryCode", fips, "unknown FIPS 10-4 country code")
        geo_precision, radius = geo[geo_type]
        full_name = r["ActionGeo_FullName"]
        return Incident(
            id=incident_id("gdelt", original),
            event_type=kind["event_type"], sub_event_type=kind["sub_event_type"],
            method=kind["method"], is_threat=bool(kind.get("is_threat", False)),
            cameo_code=intern(code), date_start=day, date_end=day, time_precision=1,
            location=intern.opt(full_name), lat=lat, lon=lon,
            geo_precision=geo_precision,
            uncertainty_km=radius if radius is not None else country_radius_km(country),
            country=country, admin1=intern.opt(_admin1(full_name, geo_type)),
            actor1=actors(r["Actor1Name"]), actor2=actors(r["Actor2Name"]),
            attribution="suspected", origin="gdelt", licence=LICENCE,
            evidence=evidence(path=path, row=row.number, source=DATASET,
                              url=r["SOURCEURL"].strip(), quote="", origin="gdelt"),
        )

    return convert_rows(rows, convert, report)
