"""Exports beside the map: files, contents, determinism, licences, the ``export`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from mapper import frames
from mapper.cli import cli
from mapper.errors import InputError
from mapper.export import (
    ACLED_COLUMNS,
    DEFAULT_FILES,
    _read_geojson,
    acled_frame,
    read_run,
    write_geojson,
    write_outputs,
)
from mapper.render.licences import public_rows

ALL_FORMATS = ("gpkg", "kml", "csv")


@pytest.fixture(scope="module")
def run_dir(result: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    write_outputs(result, out, formats=ALL_FORMATS)
    return out


def test_default_and_extra_files(result: Any, tmp_path: Path, run_dir: Path) -> None:
    written = write_outputs(result, tmp_path)
    assert [p.name for p in written] == list(DEFAULT_FILES)
    assert {p.name for p in run_dir.iterdir()} == {*DEFAULT_FILES, "incidents.gpkg", "incidents.kml", "incidents.csv"}
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_outputs_are_deterministic(result: Any, tmp_path: Path, run_dir: Path) -> None:
    write_outputs(result, tmp_path, formats=ALL_FORMATS)
    for path in run_dir.iterdir():
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name


def test_incidents_geojson_is_rfc7946(run_dir: Path, expected: dict[str, Any]) -> None:
    data = json.loads((run_dir / "incidents.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    features = data["features"]
    assert len(features) == expected["public_incidents"]
    assert all(f["id"] == f["properties"]["id"] for f in features)
    required = {"id", "event_type", "sub_event_type", "method", "is_threat", "date_start", "date_end", "location",
                "place_id", "geo_precision", "country", "admin1", "actor1", "actor2", "target", "fatalities",
                "doc_id", "source", "quote", "start", "end"}
    assert all(required <= set(f["properties"]) for f in features)
    unplaced = [f["id"] for f in features if f["geometry"] is None]
    assert unplaced == expected["unplaced"]  # kept, with a null geometry, not dropped
    for f in features:
        if f["geometry"] is not None:
            lon, lat = f["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert all(len(repr(c).split(".")[-1]) <= 6 for c in (lon, lat))
    by_id = {f["id"]: f for f in features}
    asad = by_id["IM-t-asad"]
    assert asad["geometry"]["coordinates"] == [42.4412, 33.7856]  # lon, lat
    assert asad["properties"]["date_start"] == "2020-01-08"
    assert "IM-t-acled" not in by_id  # restricted licence


def test_actor_areas_follow_the_right_hand_rule(run_dir: Path) -> None:
    from shapely.geometry import shape

    data = json.loads((run_dir / "actors.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in data["features"]] == ["kataib-hezbollah", "us-forces", "irgc"]
    for f in data["features"]:
        assert shape(f["geometry"]).exterior.is_ccw


def test_csv_files(result: Any, run_dir: Path, expected: dict[str, Any]) -> None:
    mentions = pd.read_csv(run_dir / "mentions.csv", dtype=str, keep_default_na=False)
    assert list(mentions.columns) == list(frames.MENTION_COLUMNS)
    assert len(mentions) == expected["mentions"]
    assert "'=HYPERLINK" in mentions["reason"].str.cat()  # formula neutralised
    actors = pd.read_csv(run_dir / "actors.csv", dtype=str)
    assert list(actors.columns) == list(frames.ACTOR_COLUMNS) and len(actors) == expected["actors"]


def test_acled_layout(result: Any, run_dir: Path) -> None:
    assert len(ACLED_COLUMNS) == 31
    table = pd.read_csv(run_dir / "incidents.csv", dtype=str, keep_default_na=False)
    assert tuple(table.columns) == ACLED_COLUMNS
    incidents, _ = public_rows(result.incidents, include_restricted=False)
    _, dropped = acled_frame(incidents)
    assert dict(dropped) == {"threat or warning": 1, "no date": 1, "no place": 1}
    assert len(table) == len(incidents) - sum(dropped.values())
    assert all(table["event_id_cnty"].str.startswith("IM-"))  # our ids, never ACLED's
    row = table.set_index("event_id_cnty").loc["IM-t-range"]
    assert row["event_date"] == "2024-01-16" and row["time_precision"] == "3"  # the middle of the month
    assert (row["latitude"], row["longitude"], row["iso"], row["country"]) == ("35.3359", "40.1408", "760", "Syria")
    hostile = table.set_index("event_id_cnty").loc["IM-t-hostile"]
    assert hostile["tags"].startswith("method: rocket; attribution: claimed; target: =cmd")


def test_restricted_rows_only_on_request(result: Any, tmp_path: Path) -> None:
    write_outputs(result, tmp_path, include_restricted=True)
    data = json.loads((tmp_path / "incidents.geojson").read_text(encoding="utf-8"))
    assert "IM-t-acled" in {f["id"] for f in data["features"]}
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["outputs"]["left_out_by_licence"] == {}


def test_report_lists_what_is_not_mapped(run_dir: Path, expected: dict[str, Any]) -> None:
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    out = report["outputs"]
    assert out["left_out_by_licence"] == {"ACLED": expected["restricted"]}
    assert out["incidents_without_place"] == expected["unplaced"]
    assert out["incidents_without_date"] == expected["undated_placed"]
    assert out["files"][-1] == "report.json"


def test_export_command_round_trips_byte_for_byte(run_dir: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["export", str(run_dir), "--out", str(tmp_path), "-q",
                                    *[a for f in ALL_FORMATS for a in ("--format", f)]])
    assert done.exit_code == 0, done.output
    for path in run_dir.iterdir():
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name


def test_export_command_errors(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["export", str(tmp_path)])
    assert done.exit_code == 2 and "missing ['incidents.geojson'" in done.output
    done = CliRunner().invoke(cli, ["export", str(tmp_path), "--format", "shp"])
    assert done.exit_code == 2 and "'shp' is not one of" in done.output
    (tmp_path / "incidents.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"incidents\.geojson: not a readable GeoJSON"):
        _read_geojson(tmp_path / "incidents.geojson", frames.INCIDENT_COLUMNS)


def test_read_run_restores_the_frames(result: Any, run_dir: Path) -> None:
    back = read_run(run_dir)
    incidents, _ = public_rows(result.incidents, include_restricted=False)
    pd.testing.assert_frame_equal(pd.DataFrame(back.incidents.drop(columns="geometry")).reset_index(drop=True),
                                  pd.DataFrame(incidents.drop(columns="geometry")).reset_index(drop=True),
                                  check_dtype=False)
    original = incidents.geometry.reset_index(drop=True)
    assert back.incidents.geometry.isna().equals(original.isna())
    placed = original.notna()
    assert back.incidents.geometry[placed].geom_equals_exact(original[placed], tolerance=1e-6).all()
    assert list(back.places["place_id"]) == list(result.places["place_id"])


_text = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_text, _text, st.one_of(st.none(), st.integers(0, 10_000)),
                          st.one_of(st.none(), st.tuples(st.floats(-180, 180), st.floats(-90, 90)))),
                min_size=1, max_size=8))
def test_geojson_round_trip(tmp_path: Path, rows: list[tuple[Any, ...]]) -> None:
    table = pd.DataFrame({c: [None] * len(rows) for c in frames.PLACE_COLUMNS})
    table["place_id"] = [f"p{i}" for i in range(len(rows))]
    table["name"] = [r[0] for r in rows]
    table["surface_forms"] = [r[1] for r in rows]
    table["mentions"] = pd.array([r[2] for r in rows], dtype="Int64")
    geoms = [None if r[3] is None else Point(r[3][0], r[3][1]) for r in rows]  # lon, lat
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
    path = tmp_path / "places.geojson"
    write_geojson(frame, path, id_column="place_id")
    back = _read_geojson(path, frames.PLACE_COLUMNS)
    def shown(values: list[Any]) -> list[Any]:  # GDAL cannot store NUL; it is written as U+FFFD
        return [v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values]

    assert back["name"].tolist() == shown(table["name"].tolist())
    assert back["surface_forms"].tolist() == shown(table["surface_forms"].tolist())
    assert back["mentions"].tolist() == table["mentions"].tolist()
    for a, b in zip(back.geometry, geoms, strict=True):
        assert (a is None) == (b is None)
        if b is not None:
            assert abs(a.x - b.x) <= 5e-7 and abs(a.y - b.y) <= 5e-7


def test_empty_result_writes_every_format(tmp_path: Path) -> None:
    from mapper.pipeline import Result

    empty = Result(frames.incidents_frame([]), frames.places_frame([]), frames.mentions_frame([]),
                   frames.empty_actors_frame(), {})
    written = write_outputs(empty, tmp_path, formats=ALL_FORMATS)
    assert len(written) == len(DEFAULT_FILES) + len(ALL_FORMATS)
    assert json.loads((tmp_path / "incidents.geojson").read_text(encoding="utf-8"))["features"] == []
    assert list(pd.read_csv(tmp_path / "incidents.csv").columns) == list(ACLED_COLUMNS)


def test_missing_columns_are_named(result: Any, tmp_path: Path) -> None:
    from mapper.errors import SchemaError
    from mapper.pipeline import Result

    broken = Result(result.incidents.drop(columns=["method", "quote"]), result.places, result.mentions,
                    result.actors, {})
    with pytest.raises(SchemaError, match=r"incidents frame is missing columns \['method', 'quote'\]"):
        write_outputs(broken, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_kml_description_shows_markup_as_text(run_dir: Path) -> None:
    import xml.etree.ElementTree as ET

    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(run_dir / "incidents.kml").getroot()
    placemarks = root.findall(".//k:Placemark", ns)
    descriptions = {p.findtext("k:name", namespaces=ns): p.findtext("k:description", namespaces=ns) for p in placemarks}
    hostile = next(d for name, d in descriptions.items() if name.startswith("rocket at Balad"))
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in hostile and "<script" not in hostile
    assert "airstrike at eastern Syria (2024-02-02)" in descriptions  # kept, though it has no point
