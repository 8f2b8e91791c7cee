"""``incident-mapper run --incidents FILE``: structured files mapped alone; bad ones exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mapper.cli import cli

DATA = Path(__file__).parent / "data"


def test_run_maps_an_incident_file_and_reports_the_import(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--incidents", str(DATA / "ucdp_ged_49.csv"),
                                      "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    [file] = report["imports"]["files"]
    assert (file["format"], file["rows_read"], file["incidents"], file["rejected"]) == ("ucdp", 3, 2, 1)
    assert report["incidents"]["imported"] == 2
    features = json.loads((out / "incidents.geojson").read_text())["features"]
    assert {f["properties"]["origin"] for f in features} == {"ucdp"}


def test_a_column_mapping_error_exits_2_with_one_line_naming_file_and_column(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--incidents", str(DATA / "plain_user.csv"),
                                      "--map", "date=When", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "plain_user.csv" in result.output and "'When'" in result.output
    assert "Traceback" not in result.output


def test_a_layout_forced_on_the_wrong_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--incidents", str(DATA / "plain_user.csv"),
                                      "--incidents-format", "ucdp", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "not a UCDP GED file: missing columns" in result.output
