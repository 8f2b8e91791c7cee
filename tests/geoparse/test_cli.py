"""The thin commands: ``evaluate`` on a fixture corpus and ``geoparse`` on a text."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mapper.cli import cli
from mapper.resolve import Geoparser

from .conftest import DATA


def test_evaluate_command_prints_the_documented_json(geoparser: Geoparser) -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(DATA / "lgl_excerpt.xml"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"corpus", "documents", "gold_toponyms", "recognition", "resolution_gold_spans",
            "end_to_end", "seconds", "chars_per_second", "reanchored", "excluded"} <= set(out)
    assert set(out["recognition"]) >= {"precision", "recall", "f1"}
    assert set(out["resolution_gold_spans"]) == {"n", "acc_at_161", "mean_km", "median_km", "auc",
                                                 "outcomes"}
    assert sum(out["resolution_gold_spans"]["outcomes"].values()) == 6
    assert (out["corpus"], out["documents"], out["gold_toponyms"]) == ("LGL", 2, 7)
    assert out["resolution_gold_spans"]["n"] == 6
    assert 0.0 <= out["end_to_end"]["acc_at_161"] <= 1.0


def test_evaluate_command_rejects_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>")
    result = CliRunner().invoke(cli, ["evaluate", str(bad), "--json"])
    assert result.exit_code == 2
    assert "bad.xml: not well-formed XML" in result.output
    result = CliRunner().invoke(cli, ["evaluate", str(DATA / "lgl_excerpt.xml"), "--split", "x"])
    assert result.exit_code == 2


def test_geoparse_command_lists_mentions(geoparser: Geoparser, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Rockets hit Basrah Airport, Mr. Knights said.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["geoparse", str(src), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    text = src.read_text(encoding="utf-8")
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]
    placed = {r["text"]: r for r in rows if r["status"] == "resolved"}
    assert set(placed) == {"Basrah Airport"} and placed["Basrah Airport"]["country_code"] == "IQ"
