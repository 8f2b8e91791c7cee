"""The exports opened by real GIS clients: GDAL's ``ogrinfo`` (Debian gdal-bin) and
``@mapbox/geojsonhint@3.2.0`` (npm)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mapper.export import write_outputs
from tests.conftest import ROOT, require_tool

pytestmark = pytest.mark.gis


@pytest.fixture(scope="module")
def run_dir(result: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gis")
    write_outputs(result, out, formats=("gpkg", "kml"))
    return out


def _ogrinfo(path: Path) -> dict[str, int]:
    ogrinfo = require_tool("ogrinfo")
    done = subprocess.run([ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr, done.stderr
    layers = re.findall(r"Layer name: (\S+).*?Feature Count: (\d+)", done.stdout, re.S)
    srs = re.findall(r'(?:GEOGCRS|GEOGCS)\["([^"]+)"', done.stdout)
    assert srs and all("WGS 84" in s or "WGS84" in s for s in srs), done.stdout
    return {name: int(count) for name, count in layers}


def test_ogrinfo_reads_every_export(run_dir: Path, expected: dict[str, Any]) -> None:
    n = expected["public_incidents"]
    assert _ogrinfo(run_dir / "incidents.geojson") == {"incidents": n}
    assert _ogrinfo(run_dir / "places.geojson") == {"places": expected["places"]}
    assert _ogrinfo(run_dir / "actors.geojson") == {"actors": expected["actors"]}
    assert _ogrinfo(run_dir / "incidents.kml") == {"incidents": n}
    gpkg = _ogrinfo(run_dir / "incidents.gpkg")
    assert gpkg == {"incidents": n, "places": expected["places"], "actors": expected["actors"],
                    "admin1_counts": expected["admin1_areas_with_incidents"]}


def test_geojsonhint_reports_nothing(run_dir: Path) -> None:
    hint = require_tool("geojsonhint", path=str(ROOT / "node_modules" / ".bin" / "geojsonhint"))
    node = require_tool("node")
    for name in ("incidents.geojson", "places.geojson", "actors.geojson"):
        path = run_dir / name
        done = subprocess.run([hint, str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == 0 and done.stdout.strip() == "", (name, done.stdout, done.stderr)
        # and with precision warnings on, through the library itself
        script = ("const h=require('@mapbox/geojsonhint');const fs=require('fs');"
                  "const m=h.hint(fs.readFileSync(process.argv[1],'utf8'),{precisionWarning:true});"
                  "console.log(JSON.stringify(m));")
        done = subprocess.run([node, "-e", script, str(path)], capture_output=True, text=True, check=False,
                              cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == [], (name, done.stdout)


def test_empty_exports_open_in_gis_clients(tmp_path: Path) -> None:
    from mapper import frames
    from mapper.pipeline import Result

    empty = Result(frames.incidents_frame([]), frames.places_frame([]), frames.mentions_frame([]),
                   frames.empty_actors_frame(), {})
    write_outputs(empty, tmp_path, formats=("gpkg", "kml"))
    assert _ogrinfo(tmp_path / "incidents.geojson") == {"incidents": 0}
    assert _ogrinfo(tmp_path / "incidents.kml") == {"incidents": 0}
    assert _ogrinfo(tmp_path / "incidents.gpkg") == {"incidents": 0, "places": 0, "actors": 0, "admin1_counts": 0}
    hint = require_tool("geojsonhint", path=str(ROOT / "node_modules" / ".bin" / "geojsonhint"))
    done = subprocess.run([hint, str(tmp_path / "incidents.geojson")], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout
