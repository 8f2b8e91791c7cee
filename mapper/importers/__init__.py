"""Structured incident data (ACLED, UCDP GED, GDELT 2.0, plain CSV/GeoJSON/GeoPackage) as incidents.

``load_incidents`` is what the pipeline calls; ``iter_incidents`` streams one file for callers
that do not want every incident in memory at once. Each row becomes one ``Incident`` with our
own ``IM-`` id, its origin and licence, and one ``Evidence`` item ``<file name>#<row>``; rows
that cannot become incidents are counted and listed with row, column, value and reason in the
import report. Layouts, precision crosswalks and error rules: docs/importers.md.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any

from mapper.errors import InputError
from mapper.importers import acled, gdelt, tabular, ucdp
from mapper.importers.common import FileReport, first_line, path_of, paused_gc
from mapper.model import Incident

__all__ = ["FORMATS", "detect_format", "iter_incidents", "load_incidents"]

log = logging.getLogger(__name__)

#: Accepted values of ``fmt`` (``csv`` covers plain CSV, GeoJSON and GeoPackage).
FORMATS: tuple[str, ...] = ("auto", "acled", "ucdp", "gdelt", "csv")
_LICENCES = {"acled": acled.LICENCE, "ucdp": ucdp.LICENCE, "gdelt": gdelt.LICENCE,
             "csv": tabular.LICENCE}


def detect_format(path: str | os.PathLike[str]) -> str:
    """``acled``, ``ucdp``, ``gdelt`` or ``csv``, from the extension and the first line."""
    p = path_of(path)
    if not p.is_file():
        raise InputError(f"{p}: no such incident file")
    if tabular.is_spatial(p):
        return "csv"
    line = first_line(p)
    if gdelt.looks_like(line):
        return "gdelt"
    header = tabular.split_header(line)
    if acled.looks_like(header):
        return "acled"
    if ucdp.looks_like(header):
        return "ucdp"
    return "csv"


def iter_incidents(path: str | os.PathLike[str], *, fmt: str = "auto",
                   column_map: dict[str, str] | None = None,
                   report: FileReport | None = None) -> Iterator[Incident]:
    """Stream the incidents of one file; accounts go into ``report`` (create one to read them).

    Raises ``InputError`` at once for a missing file, an unknown format or missing columns.
    """
    p = path_of(path)
    if fmt not in FORMATS:
        raise InputError(f"{p}: unknown incidents format {fmt!r}; allowed: {list(FORMATS)}")
    if not p.is_file():
        raise InputError(f"{p}: no such incident file")
    kind = detect_format(p) if fmt == "auto" else fmt
    if column_map and kind != "csv":
        raise InputError(f"{p}: --map applies to plain CSV/GeoJSON/GeoPackage files, "
                         f"but this file is read as {kind}")
    if report is None:
        report = FileReport(str(p), kind, _LICENCES[kind])
    report.format, report.licence = kind, _LICENCES[kind]
    if kind == "acled":
        return acled.iter_acled(p, report=report)
    if kind == "ucdp":
        return ucdp.iter_ucdp(p, report=report)
    if kind == "gdelt":
        return gdelt.iter_gdelt(p, report=report)
    return tabular.iter_tabular(p, column_map=column_map or {}, report=report)


def load_incidents(paths: Sequence[str | os.PathLike[str]], *, fmt: str = "auto",
                   column_map: dict[str, str] | None = None,
                   ) -> tuple[list[Incident], dict[str, Any]]:
    """Import incident files; returns the incidents and the import report.

    The report has one entry per file (rows read, incidents, rows rejected and skipped with
    reasons, sums such as UCDP ``best`` deaths) and totals. A file whose every row is rejected
    raises ``InputError`` naming its first bad row, so a wrong layout or mapping never gives a
    silently empty map.
    """
    incidents: list[Incident] = []
    files: list[dict[str, Any]] = []
    for path in paths:
        p = path_of(path)
        report = FileReport(str(p), fmt, "")
        with paused_gc():
            incidents.extend(iter_incidents(p, fmt=fmt, column_map=column_map, report=report))
        if report.rejected and not report.incidents and not report.skipped:
            first = report.rejections[0]
            raise InputError(
                f"{p}: none of its {report.rows_read} rows could be imported as {report.format}; "
                f"row {first.get('row')} column {first.get('column')!r} value "
                f"{first.get('value')!r}: {first.get('reason')}")
        if report.rejected:
            first = next((r for r in report.rejections if r["status"] == "rejected"), {})
            log.warning("%s: %d of %d rows rejected (first: row %s, column %r, value %r: %s); "
                        "see report.json", p, report.rejected, report.rows_read, first.get("row"),
                        first.get("column"), first.get("value"), first.get("reason"))
        files.append(report.as_dict())
    totals = {key: sum(f[key] for f in files)
              for key in ("rows_read", "incidents", "rejected", "skipped")}
    return incidents, {"files": files, "totals": totals}
