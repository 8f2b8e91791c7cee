"""Fixtures of the gazetteer tests: the default gazetteer (built once into the user cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer import Gazetteer

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The default index without any user layer (so a developer's imports cannot interfere)."""
    return Gazetteer(user_layer=False)
