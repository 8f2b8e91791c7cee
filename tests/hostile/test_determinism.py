"""The same inputs give byte-identical GeoJSON, CSV and report (timings aside), whatever the
order of the files on disk and the number of worker processes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hostile.conftest import Run, hostile_run


def _comparable(out: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())
             if p.suffix in (".geojson", ".csv", ".json", ".html")}
    report = json.loads(files["report.json"])
    report.pop("timings", None)
    files["report.json"] = json.dumps(report, sort_keys=True).encode()
    return files


def test_same_bytes_whatever_the_file_order(hostile: Run, tmp_path: Path) -> None:
    again = hostile_run(tmp_path, reverse=True, jobs=2)
    assert again.returncode == 0, again.stderr
    first, second = _comparable(hostile.out), _comparable(again.out)
    assert sorted(first) == sorted(second)
    assert {"map.html", "incidents.geojson", "places.geojson", "mentions.csv", "incidents.csv"} <= set(first)
    for name in first:
        assert first[name] == second[name], f"{name} differs between the two runs"
    assert json.loads(first["incidents.geojson"])["features"], "no incidents: comparison is vacuous"
