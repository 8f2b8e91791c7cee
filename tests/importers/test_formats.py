"""Each importer against hand-written fixtures in its source's layout (expected results beside them)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.actors import ActorRegistry
from mapper.errors import InputError
from mapper.importers import detect_format, iter_incidents, load_incidents
from mapper.importers.acled import ACLED_COLUMNS, ACLED_COLUMNS_PRE2023
from mapper.importers.common import FileReport, country_radius_km, parse_date
from mapper.importers.gdelt import GDELT_COLUMNS
from mapper.importers.ucdp import UCDP_COLUMNS_41, UCDP_COLUMNS_49

DATA = Path(__file__).parent / "data"
FIXTURES = [
    ("acled_current.csv", "acled"),
    ("acled_pre2023.csv", "acled"),
    ("ucdp_ged_49.csv", "ucdp"),
    ("gdelt_events.export.CSV", "gdelt"),
    ("plain_user.csv", "csv"),
]


def _expected(name: str) -> dict:
    stem = name.split(".")[0]
    return json.loads((DATA / f"{stem}.expected.json").read_text())


def _as_json(incident) -> dict:
    return json.loads(json.dumps(asdict(incident), default=str))


def _canonical(name: str | None) -> str | None:
    """An actor name as the actor registry spells it (fixtures hold the names as written)."""
    hit = ActorRegistry.default().match_name(name) if name else None
    return hit.name if hit is not None else name


@pytest.mark.parametrize(("name", "fmt"), FIXTURES)
def test_detects_the_layout(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt


@pytest.mark.parametrize(("name", "fmt"), FIXTURES)
def test_fixture_imports_as_expected(name: str, fmt: str) -> None:
    expected = _expected(name)
    incidents, report = load_incidents([DATA / name], column_map=expected.get("column_map"))
    [file] = report["files"]
    assert file["format"] == fmt
    for key in ("rows_read", "incidents", "rejected", "skipped"):
        assert file[key] == expected["report"][key], key
    assert file["rows_read"] == file["incidents"] + file["rejected"] + file["skipped"]
    got = [{k: r[k] for k in ("row", "column", "value", "status") if k in want}
           for r, want in zip(file["rejections"], expected["report"]["rejections"], strict=True)]
    assert got == expected["report"]["rejections"]
    assert all(r["reason"] for r in file["rejections"])
    for key, value in expected["report"].get("sums", {}).items():
        assert file["sums"][key] == value
    assert len(incidents) == len(expected["incidents"])
    for incident, want in zip(incidents, expected["incidents"], strict=True):
        got_fields = _as_json(incident)
        want = {k: _canonical(v) if k in ("actor1", "actor2") else v for k, v in want.items()}
        assert {k: got_fields[k] for k in want} == want


def test_ids_are_ours_stable_and_hide_acled_ids() -> None:
    first, _ = load_incidents([DATA / "acled_current.csv"])
    again, _ = load_incidents([DATA / "acled_current.csv"])
    assert [i.id for i in first] == [i.id for i in again]
    assert len({i.id for i in first}) == len(first)
    for incident in first:
        assert incident.id.startswith("IM-")
        assert "IRQ9000" not in incident.id and "SYR9000" not in incident.id
        assert all("IRQ9000" not in e.doc_id for e in incident.evidence)


def test_gdelt_country_centroids_are_imprecise_with_the_country_radius() -> None:
    incidents, _ = load_incidents([DATA / "gdelt_events.export.CSV"])
    country_level = next(i for i in incidents if i.cameo_code == "1952")
    assert country_level.geo_precision == 3
    assert country_level.uncertainty_km == country_radius_km("IQ")
    assert country_level.uncertainty_km > 300  # Iraq is about 437,000 km2


def test_layout_constants_match_the_references() -> None:
    gdelt_header = Path("/work/shared/datasets/gdelt_cameo_lookups/"
                        "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv")
    if gdelt_header.exists():
        names = [line.split(",")[0] for line in gdelt_header.read_text().splitlines()[1:]]
        assert tuple(names) == GDELT_COLUMNS
    assert len(GDELT_COLUMNS) == 61
    assert len(ACLED_COLUMNS) == len(ACLED_COLUMNS_PRE2023) == 31
    assert len(UCDP_COLUMNS_41) == 41 and len(UCDP_COLUMNS_49) == 49
    header = (DATA / "ucdp_ged_49.csv").read_text().splitlines()[0].split(",")
    assert tuple(header) == UCDP_COLUMNS_49


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%Y%m%d"]))
def test_every_accepted_date_format_parses_back(day: dt.date, fmt: str) -> None:
    assert parse_date(day.strftime(fmt), "event_date") == day


def test_missing_columns_name_the_file_and_the_columns(tmp_path: Path) -> None:
    bad = tmp_path / "cut.csv"
    lines = (DATA / "acled_current.csv").read_text().splitlines()
    header = lines[0].replace("latitude,", "lat_wrong,")
    bad.write_text("\n".join([header, *lines[1:]]) + "\n")
    with pytest.raises(InputError, match=r"cut\.csv.*missing columns \['latitude'\]"):
        load_incidents([bad], fmt="acled")


def test_plain_csv_needs_a_mapping_and_says_which(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"plain_user\.csv.*required field\(s\) \['date'\].*--map date=COLUMN"):
        load_incidents([DATA / "plain_user.csv"])
    with pytest.raises(InputError, match=r"--map date=When: no column 'When'"):
        load_incidents([DATA / "plain_user.csv"], column_map={"date": "When"})
    with pytest.raises(InputError, match=r"unknown field\(s\) \['day'\].*allowed fields"):
        load_incidents([DATA / "plain_user.csv"], column_map={"day": "Date"})


def test_a_file_whose_every_row_is_bad_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "all_bad.csv"
    bad.write_text("Date,Latitude,Longitude\nyesterday,33.1,44.2\n")
    with pytest.raises(InputError, match=r"all_bad\.csv.*row 1 column 'Date' value 'yesterday'"):
        load_incidents([bad], column_map={"date": "Date"})


def test_unknown_format_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"allowed: \['auto'"):
        load_incidents([DATA / "plain_user.csv"], fmt="xlsx")
    with pytest.raises(InputError, match="no such incident file"):
        load_incidents([tmp_path / "nope.csv"])


def test_compressed_files_import_like_plain_ones(tmp_path: Path) -> None:
    packed = tmp_path / "gdelt_events.export.CSV.gz"
    with open(DATA / "gdelt_events.export.CSV", "rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain, _ = load_incidents([DATA / "gdelt_events.export.CSV"])
    zipped, _ = load_incidents([packed])
    assert [(i.id, i.lat, i.lon, i.date_start) for i in plain] == \
           [(i.id, i.lat, i.lon, i.date_start) for i in zipped]


def test_import_streams_rows_before_the_end_of_the_file(tmp_path: Path) -> None:
    """Incidents arrive while the file is still being read: a decode error at the end comes later."""
    broken = tmp_path / "broken.csv"
    good = (DATA / "acled_current.csv").read_bytes().splitlines(keepends=True)
    broken.write_bytes(b"".join([good[0], *good[1:4] * 100, b"IRQ9\xff\xfe,bad\n"]))
    report = FileReport(str(broken), "acled", "")
    stream = iter_incidents(broken, report=report)
    assert next(stream).location == "Ain al-Asad Air Base"
    assert report.rows_read == 1
    with pytest.raises(InputError, match=r"broken\.csv: line 302: not UTF-8"):
        list(stream)


def test_rows_with_a_wrong_number_of_fields_are_rejected_not_lost(tmp_path: Path) -> None:
    short = tmp_path / "short.csv"
    lines = (DATA / "ucdp_ged_49.csv").read_text().splitlines()
    short.write_text("\n".join([*lines[:2], "900009,2020,1"]) + "\n")
    _, report = load_incidents([short])
    [file] = report["files"]
    assert (file["rows_read"], file["incidents"], file["rejected"]) == (2, 1, 1)
    assert file["rejections"][0]["row"] == 2 and file["rejections"][0]["reason"] == "expected 49 fields"


def test_geojson_rows_need_point_geometries(tmp_path: Path) -> None:
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"Date": "2024-01-20"},
         "geometry": {"type": "Point", "coordinates": [42.4412, 33.7856]}},  # lon, lat
        {"type": "Feature", "properties": {"Date": "2024-01-21"},
         "geometry": {"type": "Polygon", "coordinates": [[[42, 33], [43, 33], [43, 34], [42, 33]]]}},
    ]}))
    incidents, report = load_incidents([path], column_map={"date": "Date"})
    assert [(i.lat, i.lon) for i in incidents] == [(33.7856, 42.4412)]
    [rejection] = report["files"][0]["rejections"]
    assert (rejection["row"], rejection["column"], rejection["value"]) == (2, "geometry", "Polygon")


def test_an_unreadable_geojson_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(InputError, match=r"broken\.geojson: not a readable GeoJSON/GeoPackage"):
        load_incidents([path])
