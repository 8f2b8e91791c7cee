"""Fixtures of the geoparsing tests: one real Geoparser per session (building it is slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.model import Span
from mapper.resolve import Geoparser, default_geoparser

DATA = Path(__file__).resolve().parent.parent / "data" / "geoparse"


@pytest.fixture(scope="session")
def geoparser() -> Geoparser:
    return default_geoparser()


def spans_of(text: str, *names: str) -> list[Span]:
    """The span of the first occurrence of each of ``names`` in ``text``."""
    out = []
    for name in names:
        start = text.index(name)
        out.append(Span(start, start + len(name)))
    return out
