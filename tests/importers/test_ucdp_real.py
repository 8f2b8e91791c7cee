"""The real UCDP GED Syria release (16,566 events): nothing lost, deaths preserved, precision mapped."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from mapper.importers import load_incidents
from mapper.importers.common import crosswalks
from tests.conftest import SHARED, require_path

UCDP = SHARED / "datasets" / "ucdp_ged_syria_2016_2019" / "ged_syria_2016-01-01_2019-11-30.csv"


@pytest.fixture(scope="module")
def ucdp_file():
    return require_path(UCDP, why="the UCDP GED Syria release in shared/datasets")


@pytest.fixture(scope="module")
def source_rows(ucdp_file) -> list[dict[str, str]]:
    """The file read independently of the importer (stdlib csv)."""
    with open(ucdp_file, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def imported(ucdp_file):
    return load_incidents([ucdp_file])


def test_every_row_is_accounted_for(imported, source_rows) -> None:
    incidents, report = imported
    [file] = report["files"]
    assert file["format"] == "ucdp"
    assert file["rows_read"] == len(source_rows)
    assert file["rows_read"] == file["incidents"] + file["rejected"] + file["skipped"]
    assert len(incidents) == file["incidents"]
    assert len(file["rejections"]) == min(file["rejected"] + file["skipped"], 1000)
    assert len({i.id for i in incidents}) == len(incidents)


def test_best_deaths_are_preserved(imported, source_rows) -> None:
    incidents, report = imported
    kept = {f"{r['id']}" for r in source_rows}
    assert len(kept) == len(source_rows)
    rejected_rows = {r["row"] for r in report["files"][0]["rejections"]}
    expected = sum(int(r["best"]) for n, r in enumerate(source_rows, 1) if n not in rejected_rows)
    assert sum(i.fatalities or 0 for i in incidents) == expected
    assert report["files"][0]["sums"]["best"] == expected


def test_precision_codes_follow_the_documented_crosswalk(imported, source_rows) -> None:
    incidents, _ = imported
    table = crosswalks()
    where = {int(k): v["geo_precision"] for k, v in table["ucdp_where_prec"].items()}
    when = {int(k): v for k, v in table["ucdp_date_prec"].items()}
    by_doc = {int(i.evidence[0].doc_id.rsplit("#", 1)[1]): i for i in incidents}
    want_geo = Counter(where[int(r["where_prec"])] for r in source_rows)
    want_time = Counter(when[int(r["date_prec"])] for r in source_rows)
    assert Counter(i.geo_precision for i in incidents) == want_geo
    assert Counter(i.time_precision for i in incidents) == want_time
    for n, r in enumerate(source_rows, 1):
        i = by_doc[n]
        assert (i.lat, i.lon) == (float(r["latitude"]), float(r["longitude"]))
        assert (i.date_start.isoformat(), i.date_end.isoformat()) == (r["date_start"], r["date_end"])
        if r["where_prec"] == "1":
            assert i.uncertainty_km is not None and i.uncertainty_km <= 5
        if r["where_prec"] in ("4", "5", "6"):
            assert i.uncertainty_km is not None and i.uncertainty_km >= 100


def test_violence_types_map_to_acled_event_types(imported, source_rows) -> None:
    incidents, _ = imported
    want = Counter(crosswalks()["ucdp_type_of_violence"][int(r["type_of_violence"])]["event_type"]
                   for r in source_rows)
    assert Counter(i.event_type for i in incidents) == want
    assert {i.country for i in incidents} == {"SY"}
    assert {i.licence for i in incidents} == {"CC BY 4.0 (UCDP GED)"}
