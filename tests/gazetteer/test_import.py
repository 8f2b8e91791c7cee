"""Import of GeoNames dumps into the user layer (fixtures: real GeoNames rows, see tools/)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from gazetteer.errors import GazetteerDataError
from gazetteer.userlayer import UserLayer, parse_alternate_name, parse_geoname
from mapper import cli as cli_mod

from .conftest import DATA

EXPECTED = json.loads((DATA / "geonames_sample.expected.json").read_text(encoding="utf-8"))


@pytest.fixture()
def layer(tmp_path: Path):
    lay = UserLayer(tmp_path / "user.sqlite")
    yield lay
    lay.close()


def test_import_geonames_and_alternates(layer: UserLayer, gaz: Gazetteer) -> None:
    reports = layer.import_files([DATA / "geonames_sample.txt", DATA / "alternateNamesV2_sample.txt"],
                                 base=gaz)
    assert [r.kind for r in reports] == ["geoname", "alternate_names"]
    assert reports[0].rows == EXPECTED["rows"] == len(layer)
    assert reports[1].rows == EXPECTED["alternate_rows"] and reports[1].skipped == 0
    for pid, name in EXPECTED["names"].items():
        place = layer.get(pid)
        assert place is not None and place.name == name and place.source == "geonames-import"
        assert place.admin1  # admin-1 name resolved through Natural Earth's GeoNames keys
    layered = Gazetteer(index_dir=gaz._data.directory, user_layer=layer)
    top = layered.search("Al Fallujah")[0]
    assert top.place.place_id == "gn:99454" and top.place.country_code == "IQ"
    assert len(layered) == len(gaz) + EXPECTED["rows"]
    assert layered.get("gn:99454").source == "geonames-import"
    info = layered.info()["user_layer"]
    assert info["places"] == EXPECTED["rows"] and len(info["files"]) == 2


def test_a_short_row_names_file_and_line(layer: UserLayer) -> None:
    bad = DATA / "geonames_bad.txt"
    with pytest.raises(GazetteerDataError) as err:
        layer.import_files([bad])
    msg = str(err.value)
    assert str(bad) in msg and f"line {EXPECTED['bad_line']}" in msg
    assert f"found {EXPECTED['bad_columns']}" in msg and "19" in msg
    assert len(layer) == 0  # the file's transaction was rolled back: nothing half-imported


def test_skip_bad_counts_and_reports(layer: UserLayer) -> None:
    [report] = layer.import_files([DATA / "geonames_bad.txt"], skip_bad=True)
    assert report.skipped == 1 and report.rows == EXPECTED["rows"] - 1 == len(layer)
    assert f"line {EXPECTED['bad_line']}" in report.errors[0]


def test_zip_input(layer: UserLayer, tmp_path: Path) -> None:
    archive = tmp_path / "IQ.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DATA / "geonames_sample.txt", "IQ.txt")
        zf.writestr("readme.txt", "not data")
    [report] = layer.import_files([archive])
    assert report.rows == EXPECTED["rows"]


@pytest.mark.parametrize("line,problem", [
    ("x\t" * 18 + "x", "geonameid 'x'"),
    ("1\tA\t\t\tnorth\t2" + "\t" * 13, "not numbers"),
    ("1\tA\t\t\t95\t2" + "\t" * 13, "out of range"),
    ("1\tA\t\t\t1\t2\tQ" + "\t" * 12, "feature class 'Q'"),
])
def test_parse_geoname_errors(line: str, problem: str) -> None:
    assert len(line.split("\t")) == 19
    with pytest.raises(ValueError, match=problem):
        parse_geoname(line)


def test_parse_alternate_name() -> None:
    assert parse_alternate_name("1\t98182\tar\tبغداد\t1\t\t\t\t\t") == (98182, "بغداد")
    assert parse_alternate_name("2\t98182\tlink\thttps://x\t\t\t\t\t\t") is None
    with pytest.raises(ValueError, match="8 or 10"):
        parse_alternate_name("1\t2\t3")


def test_cli_import_and_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gaz: Gazetteer) -> None:
    target = tmp_path / "cli-user.sqlite"
    monkeypatch.setattr("gazetteer.userlayer.default_path", lambda: target)
    runner = CliRunner()
    result = runner.invoke(cli_mod.cli, ["gazetteer", "import", str(DATA / "geonames_sample.txt")])
    assert result.exit_code == 0, result.output
    assert f"{EXPECTED['rows']} rows" in result.output and target.exists()
    bad = runner.invoke(cli_mod.cli, ["gazetteer", "import", str(DATA / "geonames_bad.txt")])
    assert bad.exit_code == 2 and "geonames_bad.txt, line 3" in bad.output
    monkeypatch.setattr(Gazetteer, "_default", None)
    info = runner.invoke(cli_mod.cli, ["gazetteer", "info"])
    assert info.exit_code == 0, info.output
    assert json.loads(info.output)["user_layer"]["places"] == EXPECTED["rows"]
    Gazetteer.reset_default()
