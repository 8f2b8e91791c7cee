"""``incident-mapper run`` on the hostile corpus: accounting, exit codes, CSV safety, --out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mapper.atomic import inside
from mapper.errors import InputError
from tests.hostile.conftest import EXPECTED, HOSTILE, Run, cli

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _key(path: str) -> str:
    return path.removeprefix("./")


def test_every_input_processed_or_skipped_as_expected(hostile: Run) -> None:
    docs = hostile.report()["documents"]
    processed = {_key(d["path"]): d for d in docs["processed"]}
    skipped = {_key(s["path"]): s["reason"] for s in docs["skipped_files"]}
    committed = [c for c in EXPECTED if c["input"].startswith("documents/")]
    assert sorted(processed) + sorted(skipped) == sorted(
        c["input"] for c in committed if c["expect"] == "processed") + sorted(
        c["input"] for c in committed if c["expect"] == "skipped")
    assert docs["read"] == len(processed) and docs["skipped"] == len(skipped)
    for case in committed:
        if case["expect"] == "skipped":
            assert case["reason"] in skipped[case["input"]]
        else:
            entry = processed[case["input"]]
            assert entry["doc_id"] == case["doc_id"]
            if case.get("warning"):
                assert any(case["warning"] in w for w in entry["warnings"]), entry["warnings"]


def test_no_traceback_and_skips_named_on_stderr(hostile: Run) -> None:
    assert "Traceback" not in hostile.stderr
    for case in EXPECTED:
        if case["expect"] == "skipped" and not case.get("generated"):
            assert f"skipped {case['input']}: {case['reason']}" in hostile.stderr


def _csv_cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


@pytest.mark.parametrize("name", ["mentions.csv", "incidents.csv"])
def test_csv_exports_neutralise_formulas(hostile: Run, name: str) -> None:
    cells = _csv_cells(hostile.out / name)
    assert cells, f"{name} is empty"
    bad = [c for c in cells if c.startswith(FORMULA_START)]
    assert not bad, f"{name}: formula-leading cells {bad[:5]}"


def test_formula_text_reaches_the_csv_as_text(hostile: Run) -> None:
    """The hostile strings are in the exports (so the test above is not vacuous), quoted."""
    mentions = _csv_cells(hostile.out / "mentions.csv")
    assert "'=HYPERLINK(\"http://attacker.example\")" in mentions  # a JSON Lines id
    incidents = " ".join(_csv_cells(hostile.out / "incidents.csv"))
    for text in ("'=HYPERLINK(", "'+cmd", "'@SUM(1+1)"):
        assert text in incidents


@pytest.mark.parametrize("args,message", [
    (("run", "no-such-folder", "--out", "out"), "no-such-folder: no such file or folder"),
    (("run", "--out", "out"), "give at least one INPUT"),
    (("run", "documents/latin1.txt", "--out", "out", "--published", "yesterday"), "yesterday"),
    (("run", "documents/latin1.txt", "--out", "documents/latin1.txt"), "documents/latin1.txt"),
    (("run", "documents", "--out", "out", "--strict", "--jobs", "1"),
     "documents/binary_noise.txt: not UTF-8"),
    (("geoparse", "no-such-file.txt", "--json"), "no-such-file.txt"),
    (("geoparse", "documents/binary_png.txt", "--json"),
     "documents/binary_png.txt: binary file (PNG image), not text"),
])
def test_usage_errors_and_unreadable_input_exit_2(tmp_path: Path, args: tuple[str, ...],
                                                   message: str) -> None:
    (tmp_path / "documents").symlink_to(HOSTILE / "documents", target_is_directory=True)
    run = cli(*args, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "error" in line.lower()]
    assert len(lines) == 1, run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../x", "..", "a\x00b"])
def test_out_refuses_names_outside(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="outside the output folder"):
        inside(tmp_path / "out", name)


def test_out_refuses_symlink_leading_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(InputError, match="outside the output folder"):
        inside(out, "map.html")
    assert inside(out, "sub/places.geojson") == (out / "sub" / "places.geojson").resolve()


def test_report_is_valid_json_with_document_text_kept_out(hostile: Run) -> None:
    text = (hostile.out / "report.json").read_text(encoding="utf-8")
    report = json.loads(text)
    assert "Rockets struck near Baghdad International Airport" not in text
    assert report["documents"]["read"] > 0


def test_geoparse_reads_hostile_text_like_run(tmp_path: Path) -> None:
    run = cli("geoparse", HOSTILE / "documents" / "invisible.txt", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    names = [m["text"] for m in json.loads(run.stdout)]
    assert "Baghdad" in names  # written "Bag\u200bhdad" in the file


def test_nothing_written_outside_out_and_no_temporary_files_left(hostile: Run) -> None:
    """A document id of ``../../../etc/passwd`` and titles full of markup change no path."""
    assert sorted(p.name for p in hostile.cwd.iterdir()) == ["documents", "incidents", "out"]
    written = sorted(p.name for p in hostile.out.iterdir())
    assert all(hostile.out.joinpath(name).is_file() for name in written)
    assert not [n for n in written if n.startswith(".") or n.endswith(".part")], written
    assert {"map.html", "incidents.geojson", "places.geojson", "mentions.csv", "report.json",
            "incidents.csv"} <= set(written)
