"""``incident-mapper gazetteer import`` on a GeoNames dump with a short row.

The import writes a user layer into the cache folder; the test points
``INCIDENT_MAPPER_CACHE`` at a temporary folder (with the built default index linked in),
so the user's own cache is never touched.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.conftest import HOSTILE

DUMP = HOSTILE / "gazetteer" / "IQ_short_row.txt"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    from gazetteer import index

    built = index.ensure_built()
    root = tmp_path / "cache"
    root.mkdir()
    (root / built.name).symlink_to(built, target_is_directory=True)
    return root


def _import(cache: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mapper", "gazetteer", "import", *flags, str(DUMP)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "INCIDENT_MAPPER_CACHE": str(cache)})


def test_short_row_stops_import_with_file_and_line(cache: Path) -> None:
    proc = _import(cache)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("incident-mapper: error:")]
    assert "IQ_short_row.txt" in line and "line 2" in line and "found 8" in line, line


def test_short_row_skipped_and_reported_with_skip_bad(cache: Path) -> None:
    proc = _import(cache, "--skip-bad")
    assert proc.returncode == 0, proc.stderr
    assert "1 skipped" in proc.stdout and "IQ_short_row.txt" in proc.stderr
    with sqlite3.connect(cache / "gazetteer-user.sqlite") as db:
        ids = sorted(row[0] for row in db.execute("SELECT place_id FROM place"))
    assert ids == ["gn:95446", "gn:98182"]
