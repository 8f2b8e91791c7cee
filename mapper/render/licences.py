"""Licences that travel with the data: which rows may be shown or exported, and the
attribution lines the map footer and the report carry."""

from __future__ import annotations

from collections import Counter
from typing import Any

import geopandas as gpd
import pandas as pd

# Licence tags whose rows must not be redistributed (ACLED terms of use; event_data.md 1.7).
RESTRICTED_PREFIXES = ("acled",)


def restricted_mask(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose ``licence`` forbids redistribution (ACLED, any spelling)."""
    licence = frame["licence"].astype("string").str.strip().str.lower()
    return licence.str.startswith(RESTRICTED_PREFIXES).fillna(False).astype(bool)


def public_rows(frame: gpd.GeoDataFrame, *, include_restricted: bool) -> tuple[gpd.GeoDataFrame, Counter[str]]:
    """``frame`` without restricted rows (unless ``include_restricted``) and how many were
    left out, by licence."""
    if include_restricted or not len(frame):
        return frame, Counter()
    mask = restricted_mask(frame)
    left_out = Counter(str(v) for v in frame.loc[mask, "licence"])
    return frame[~mask], left_out


def left_out_earlier(report: dict[str, Any]) -> Counter[str]:
    """Rows an earlier run already left out (``report.json`` of a run read back by ``export``)."""
    earlier = (report or {}).get("outputs", {}).get("left_out_by_licence", {})
    return Counter({str(k): int(v) for k, v in earlier.items()})


def attributions(incidents: pd.DataFrame, left_out: Counter[str]) -> list[dict[str, Any]]:
    """Footer lines: data sources and licences of what is shown, and what was left out."""
    lines: list[dict[str, Any]] = [
        {"text": "Places: GeoNames (CC BY 4.0)", "href": "https://www.geonames.org/"},
        {"text": "Borders: Natural Earth (public domain)", "href": "https://www.naturalearthdata.com/"},
        {"text": "Icons: Font Awesome Free (CC BY 4.0)", "href": "https://fontawesome.com/license/free"},
    ]
    licences = {str(v) for v in incidents["licence"].dropna().unique()}
    origins = {str(v) for v in incidents["origin"].dropna().unique()}
    if "ucdp" in origins or any("ucdp" in lic.lower() for lic in licences):
        lines.append({"text": "Events: UCDP GED (CC BY 4.0)", "href": "https://ucdp.uu.se/"})
    if "gdelt" in origins:
        lines.append({"text": "Events: GDELT Project", "href": "https://www.gdeltproject.org/"})
    if any(restricted_mask(pd.DataFrame({"licence": sorted(licences)}))):
        lines.append({"text": "Includes ACLED rows: not for redistribution", "href": "https://acleddata.com/"})
    for licence, count in sorted(left_out.items()):
        lines.append({"text": f"{count} {licence} rows left out (licence; --include-restricted shows them)",
                      "href": None})
    return lines
