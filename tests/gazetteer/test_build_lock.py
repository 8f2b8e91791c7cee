"""Building the index: concurrent first use from two processes, rebuilds, failed builds.

The builds here index one made-up place (``collect_places`` replaced) so that they take a
second, not a minute; the locking and renaming around them is the real code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gazetteer import Gazetteer, index, sources

# Each process replaces the place collection by one place, records that it built, and waits
# inside the build long enough for the other process to find the index missing too.
_CHILD = """
import json, sys, time
from pathlib import Path
from gazetteer import Gazetteer, index, sources

def one_place(progress=lambda _msg: None):
    with open(sys.argv[1], "a", encoding="utf-8") as fh:
        fh.write("built\\n")
    time.sleep(2.0)
    return [sources.SourcePlace("t:1", "Qaryat Test", "P", "PPL", "IQ", "", 33.0, 44.0, 100, "test",
                                [("Qaryat Test", sources.HOW_PRIMARY)])]

index.collect_places = one_place
Path(sys.argv[2]).touch()  # started
while not Path(sys.argv[3]).exists():  # both start building at the same moment
    time.sleep(0.01)
directory = index.ensure_built()
top = Gazetteer(index_dir=directory, user_layer=False).search("Qaryat Test")[0]
print(json.dumps({"directory": str(directory), "place_id": top.place.place_id}))
"""


def _one_place(progress=lambda _msg: None) -> list[sources.SourcePlace]:
    return [sources.SourcePlace("t:1", "Qaryat Test", "P", "PPL", "IQ", "", 33.0, 44.0, 100, "test",
                                [("Qaryat Test", sources.HOW_PRIMARY)])]


def test_two_processes_building_at_once_make_one_index(tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # does not exist yet: first use
    log, go = tmp_path / "builds.log", tmp_path / "go"
    env = {**os.environ, "INCIDENT_MAPPER_CACHE": str(cache)}
    started = [tmp_path / f"started-{n}" for n in range(2)]
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD, str(log), str(flag), str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for flag in started]
    try:
        for _ in range(6000):  # both imported and waiting (at most 60 s)
            if all(f.exists() for f in started) or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.01)
        go.touch()
        outs = [p.communicate(timeout=240) for p in procs]
    finally:
        for p in procs:
            p.kill()
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    results = [json.loads(out) for out, _err in outs]
    assert results[0] == results[1] and results[0]["place_id"] == "t:1"
    assert log.read_text(encoding="utf-8").splitlines() == ["built"], "exactly one process built"
    entries = sorted(p.name for p in cache.iterdir())
    assert entries == [".gazetteer-build.lock", Path(results[0]["directory"]).name]
    assert (cache / entries[1] / "meta.json").exists()


def test_rebuild_replaces_the_index_and_leaves_no_temporary_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "collect_places", _one_place)
    directory = tmp_path / "gazetteer-test"
    index.build(directory)
    (directory / "stale.npy").write_bytes(b"")  # must not survive a rebuild
    index.build(directory)
    assert not (directory / "stale.npy").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gazetteer-build.lock", "gazetteer-test"]
    assert Gazetteer(index_dir=directory, user_layer=False).search("qaryat test")[0].place.place_id == "t:1"


def test_a_failed_build_keeps_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "collect_places", _one_place)
    directory = tmp_path / "gazetteer-test"
    index.build(directory)
    before = (directory / "meta.json").read_text(encoding="utf-8")

    def broken(progress=lambda _msg: None) -> list[sources.SourcePlace]:
        raise OSError("source unreadable")

    monkeypatch.setattr(index, "collect_places", broken)
    with pytest.raises(OSError, match="source unreadable"):
        index.build(directory)
    assert (directory / "meta.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gazetteer-build.lock", "gazetteer-test"]


def test_leftovers_of_dead_builds_are_removed_only_when_old(tmp_path: Path) -> None:
    old, fresh = tmp_path / ".building-gazetteer-x-old", tmp_path / ".building-gazetteer-x-new"
    old.mkdir()
    fresh.mkdir()
    os.utime(old, (0, 0))
    index._remove_leftovers(tmp_path)
    assert not old.exists() and fresh.exists()


def test_a_build_keeps_the_most_recently_used_other_versions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two checkouts of different data versions on one machine must not delete each
    other's index on every build; only the least recently used versions go."""
    monkeypatch.setattr(index, "collect_places", _one_place)
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path))
    others = []
    for age in range(index.KEEP_OTHER_VERSIONS + 2):  # age 0 is the most recently used
        other = tmp_path / f"gazetteer-other{age}"
        other.mkdir()
        (other / "meta.json").write_text("{}", encoding="utf-8")
        os.utime(other / "meta.json", (time.time() - 3600 * (age + 2),) * 2)
        others.append(other)
    index._mark_used(others[-1])  # the oldest was just used (loaded by another checkout)
    current = index.ensure_built()
    kept = sorted(p.name for p in tmp_path.glob("gazetteer-*"))
    expected = [others[-1], *others[:index.KEEP_OTHER_VERSIONS - 1], current]
    assert kept == sorted(p.name for p in expected)
