"""Fixtures of the geoparsing tests: one real Geoparser per session (building it is slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.resolve import Geoparser, default_geoparser

DATA = Path(__file__).resolve().parent.parent / "data" / "geoparse"


@pytest.fixture(scope="session")
def geoparser() -> Geoparser:
    return default_geoparser()
