"""End to end through the installed console script: examples and seeds to the five outputs.

The seed assertions are issue 2 point 8: the places the five seed articles name are found and
resolved, person names that are also places stay unmapped, and the attacks the articles
locate are put at the right places.
"""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mapper.frames import INCIDENT_COLUMNS, MENTION_COLUMNS, PLACE_COLUMNS
from tests.conftest import EXAMPLES, SEEDS, require_path

OUTPUTS = ("map.html", "incidents.geojson", "places.geojson", "mentions.csv", "report.json")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mapper", *args], capture_output=True,
                          text=True, timeout=600)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = require_path(SEEDS, why="the shared seed articles")
    out = tmp_path_factory.mktemp("seeds")
    proc = run_cli("run", str(seeds), "--out", str(out), "--published", "2022-01-14", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    proc = run_cli("run", str(EXAMPLES), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def load(out: Path) -> tuple[dict, dict, list[dict], dict]:
    incidents = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as fh:
        mentions = list(csv.DictReader(fh))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return incidents, places, mentions, report


@pytest.mark.parametrize("which", ["seed_run", "example_run"])
def test_outputs_follow_the_contract(which: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(which)
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    incidents, places, mentions, report = load(out)
    for collection, columns in ((incidents, INCIDENT_COLUMNS), (places, PLACE_COLUMNS)):
        assert collection["type"] == "FeatureCollection"
        assert "crs" not in collection
        for feature in collection["features"]:
            missing = {c for c in columns if c != "id"} - set(feature["properties"])
            assert not missing, missing
    assert mentions, "no place mentions at all"
    assert set(MENTION_COLUMNS) <= set(mentions[0])
    assert report["mentions"]["total"] == len(mentions)
    assert report["incidents"]["total"] == len(incidents["features"])
    assert report["places"] == len(places["features"])
    assert report["documents"]["read"] == len(report["documents"]["processed"])
    html = (out / "map.html").read_text(encoding="utf-8")
    external = re.findall(r"<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert external == [], "map.html loads something from the network"


def test_every_example_document_is_read(example_run: Path) -> None:
    *_, report = load(example_run)
    assert report["documents"]["skipped"] == 0
    assert report["documents"]["read"] >= 6
    assert all(d["published"] for d in report["documents"]["processed"])


# (name as written, lat, lon, max km) of places the seeds name; countries checked by code.
SEED_PLACES = [
    ("Baghdad", 33.3152, 44.3661, 25),
    ("Basrah", 30.5085, 47.7804, 25),
    ("At Tanf", 33.5058, 38.6178, 25),
    ("Tel Aviv", 32.0809, 34.7806, 25),
    ("Galilee", 32.90, 35.40, 60),
    ("Anbar", 33.0, 42.0, 250),
]
SEED_COUNTRIES = {"Iraq": "IQ", "Syria": "SY", "Iran": "IR", "Lebanon": "LB", "Afghanistan": "AF"}


def test_seed_places_are_found_and_resolved(seed_run: Path) -> None:
    _, _, mentions, _ = load(seed_run)
    resolved = [m for m in mentions if m["status"] == "resolved"]
    for name, lat, lon, limit in SEED_PLACES:
        hits = [m for m in resolved if name.lower() in m["text"].lower()]
        assert hits, f"{name} not found and resolved"
        assert any(km(float(m["lat"]), float(m["lon"]), lat, lon) <= limit for m in hits), (
            name, [(m["name"], m["lat"], m["lon"]) for m in hits])
    for name, code in SEED_COUNTRIES.items():
        hits = [m for m in resolved if m["text"] == name]
        assert hits and all(m["country_code"] == code for m in hits), (name, hits[:2])


def test_person_names_are_not_mapped(seed_run: Path) -> None:
    _, _, mentions, _ = load(seed_run)
    for person in ("Bolton", "Obama", "Kirby", "Knights", "Coats", "Votel"):
        wrong = [m for m in mentions if m["text"].startswith(person) and m["status"] == "resolved"]
        assert not wrong, wrong


# (method family words, lat, lon, km): the attacks the seeds locate.
SEED_INCIDENTS = [
    ("mortar", 33.2990, 44.3960, 25),  # mortars near the U.S. Embassy in Baghdad
    ("rocket", 30.5491, 47.6621, 25),  # rockets at Basrah Airport
    ("rocket", 33.2990, 44.3960, 25),  # the January 2022 rocket attack on the embassy
    ("airstrike|drone|strike", 33.2625, 44.2346, 25),  # Jan 2020 U.S. strike near Baghdad's airport
]


def test_seed_attacks_are_placed(seed_run: Path) -> None:
    incidents, *_ = load(seed_run)
    attacks = [f for f in incidents["features"]
               if not f["properties"]["is_threat"] and f["geometry"] is not None]
    for family, lat, lon, limit in SEED_INCIDENTS:
        near = [f for f in attacks
                if re.search(family, f["properties"]["method"] or "", re.I)
                and km(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0], lat, lon) <= limit]
        assert near, (family, lat, lon, [(f["properties"]["method"], f["properties"]["location"]) for f in attacks])


def test_the_january_2022_embassy_attack_has_its_date(seed_run: Path) -> None:
    incidents, *_ = load(seed_run)
    hits = [f["properties"] for f in incidents["features"]
            if f["properties"]["doc_id"] == "002_7a6ba5aa978cfd90"
            and "rocket" in (f["properties"]["method"] or "")
            and (f["properties"]["date_start"] or "").startswith("2022-01")]
    assert hits, "the rocket attack 'Thursday' (2022-01-13) was not dated"
    assert any(h["date_start"] == "2022-01-13" for h in hits)


def test_no_attack_is_placed_in_iran_because_of_an_actor_name(seed_run: Path) -> None:
    incidents, *_ = load(seed_run)
    in_iran = [f["properties"] for f in incidents["features"]
               if f["properties"]["country"] == "IR" and not f["properties"]["is_threat"]]
    assert in_iran == []
