"""The issue's 40 names resolve to the right place as the top result of ``geocode --json``.

True coordinates and polygons are in ``data/golden_places.csv`` with their sources; cities and
sites must lie within 25 km, provinces, regions and countries inside their polygon.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Point

from gazetteer import Gazetteer
from gazetteer.core import haversine_km
from mapper import cli as cli_mod

from .conftest import DATA

ROWS = list(csv.DictReader((DATA / "golden_places.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def runner(gaz: Gazetteer) -> CliRunner:
    Gazetteer._default = gaz  # the CLI's Gazetteer.default(): the same, user-layer-free index
    yield CliRunner()
    Gazetteer.reset_default()


def _polygon(gaz: Gazetteer, spec: str):
    kind, _, codes = spec.partition(":")
    if kind == "country":
        frame = gaz.countries()
        return frame.geometry[frame["country_code"] == codes].iloc[0]
    frame = gaz.admin1()
    return shapely.union_all(list(frame.geometry[frame["iso_3166_2"].isin(codes.split("|"))]))


def test_the_fixture_has_the_issue_names() -> None:
    assert len({r["query"] for r in ROWS}) == 40
    assert all(r["source"] for r in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['query']}/{r['country'] or '-'}" for r in ROWS])
def test_top_result(row: dict[str, str], runner: CliRunner, gaz: Gazetteer) -> None:
    args = ["geocode", row["query"], "--json"] + (["--country", row["country"]] if row["country"] else [])
    result = runner.invoke(cli_mod.cli, args)
    assert result.exit_code == 0, result.output
    top = json.loads(result.output)[0]
    if row["kind"] == "point":
        km = float(haversine_km(float(row["lat"]), float(row["lon"]), top["lat"], top["lon"]))
        assert km <= 25, f"{row['query']} -> {top['name']} ({top['place_id']}) is {km:.1f} km off"
    else:
        poly = _polygon(gaz, row["polygon"])
        assert poly.contains(Point(top["lon"], top["lat"])), f"{row['query']} -> {top}"
        assert top["feature_class"] in ("A", "L"), top


def test_console_script_prints_json() -> None:
    out = subprocess.run([sys.executable, "-m", "mapper", "geocode", "Mosul", "--json", "--limit", "2"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    hits = json.loads(out)
    assert hits[0]["country_code"] == "IQ" and hits[0]["feature_class"] == "P"
    assert set(hits[0]) == {"place_id", "name", "feature_class", "feature_code", "country_code",
                            "admin1", "lat", "lon", "population", "score", "matched", "how", "source",
                            "geonames_id"}


def test_cli_rejects_a_bad_country_with_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli_mod.cli, ["geocode", "Mosul", "--country", "Iraq"])
    assert result.exit_code == 2
    assert "'Iraq'" in result.output and "alpha-2" in result.output
