"""Shared test fixtures: paths to the shared corpora and a rule for external tools.

A test that needs an external tool (chromium, ogrinfo, geojsonhint) calls ``require_tool``:
on a developer laptop it skips with the reason, in CI (``CI=true``) it fails, so a missing
install step in ``.ci/run`` can never pass silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples" / "articles"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, *, path: str | None = None) -> str:
    """The path of executable ``name``; skip (laptop) or fail (CI) when it is missing."""
    found = path if path and Path(path).exists() else shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (CI installs it in .ci/run)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_path(path: Path, *, why: str) -> Path:
    """``path`` if it exists; skip (laptop) or fail (CI) otherwise."""
    if path.exists():
        return path
    if IN_CI:
        pytest.fail(f"{path} is missing: {why}")
    pytest.skip(f"{path} is missing: {why}")


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"CI={IN_CI}; shared data: {'present' if SHARED.exists() else 'absent'}"]
