"""Fixtures for the hostile-input tests: the corpus, its expectations, and CLI runs.

A CLI run costs several seconds (the gazetteer and lexicons load), so the hostile corpus is
run once per session, from a copy in a temporary folder with relative paths, so that its
``report.json`` does not depend on where the repository lives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
EXPECTED = json.loads((HOSTILE / "EXPECTED.json").read_text(encoding="utf-8"))["cases"]


@dataclass
class Run:
    """A finished ``incident-mapper`` subprocess."""

    returncode: int
    stdout: str
    stderr: str
    cwd: Path

    @property
    def out(self) -> Path:
        return self.cwd / "out"

    def report(self) -> dict:
        return json.loads((self.out / "report.json").read_text(encoding="utf-8"))


def cli(*args: str | Path, cwd: Path, timeout: float = 300) -> Run:
    """Run ``python -m mapper ARGS`` in ``cwd`` and wait for it."""
    proc = subprocess.run([sys.executable, "-m", "mapper", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return Run(proc.returncode, proc.stdout, proc.stderr, cwd)


def copy_corpus(dest: Path, *, reverse: bool = False) -> Path:
    """Copy the hostile documents and incidents into ``dest``, creating files in path order
    (or reversed), so that two copies differ in the order of their directory entries."""
    files = sorted(p for p in HOSTILE.rglob("*") if p.is_file()
                   and p.parts[len(HOSTILE.parts)] in ("documents", "incidents"))
    for src in reversed(files) if reverse else files:
        target = dest / src.relative_to(HOSTILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return dest


def hostile_run(dest: Path, *, reverse: bool = False, jobs: int = 1) -> Run:
    """``incident-mapper run`` over a fresh copy of the hostile documents and incidents CSV."""
    copy_corpus(dest, reverse=reverse)
    return cli("run", "documents", "--incidents", "incidents/formulas.csv", "--format", "csv",
               "--out", "out", "--jobs", str(jobs), cwd=dest)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The hostile corpus run once through ``incident-mapper run``."""
    run = hostile_run(tmp_path_factory.mktemp("hostile-a"))
    assert run.returncode == 0, run.stderr
    return run
