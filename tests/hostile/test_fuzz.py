"""The atheris fuzz target for the document readers, run for a bounded time (CI: ~20 s).

The long run (>= 100,000 inputs) is ``benchmarks/bench_fuzz.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.conftest import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "fuzz" / "fuzz_documents.py"

pytest.importorskip("atheris", reason="atheris is a test extra (pip install -e '.[test]')")


@pytest.mark.slow
def test_fuzz_documents_bounded_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in (HOSTILE / "documents").rglob("*.*"):
        shutil.copyfile(seed, corpus / seed.name)
    proc = subprocess.run(
        # Linux hands a child the RSS high-water mark of the process it was forked from, so
        # inside a long pytest session libFuzzer's default 2 GB limit trips before the first
        # input: the limit is raised; one input still may not allocate more than 2 GB at once.
        [sys.executable, str(TARGET), "-seed=1", "-runs=20000", "-max_total_time=20", "-max_len=4096",
         "-rss_limit_mb=16384", "-malloc_limit_mb=2048", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=240, cwd=tmp_path)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert not list(tmp_path.glob("crash-*")), log[-3000:]
    done = re.search(r"Done (\d+) runs", log)
    assert done and int(done.group(1)) >= 200, log[-2000:]
