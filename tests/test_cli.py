"""The command line contract: help everywhere, exit codes, one-line errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mapper.cli import cli

COMMANDS = [[], ["run"], ["geoparse"], ["geocode"], ["gazetteer"], ["evaluate"],
            ["evaluate-incidents"], ["export"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "main")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_missing_input_is_a_usage_error_naming_the_file(tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(cli, ["run", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert str(missing) in result.output
    assert "Traceback" not in result.output


def test_bad_published_date_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Rockets hit Baghdad.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"),
                                      "--published", "14/01/2022"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_run_without_inputs_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["run", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_a_run_where_no_document_could_be_read_exits_2_after_writing_the_report(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert "empty.txt" in result.output
    assert (out / "report.json").is_file()
