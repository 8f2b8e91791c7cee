"""Fixtures of the incident tests: one warm extractor per session, and helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from mapper.model import Document, Incident

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def extractor():
    """The pipeline's extractor (gazetteer, geoparser, actor registry, incident rules), built once."""
    from mapper.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor):
    """``extract(text, published=None) -> list[Incident]`` over one document."""

    def run(text: str, *, published: dt.date | None = None, doc_id: str = "t") -> list[Incident]:
        return extractor.process(Document(doc_id, text, title="test", published=published)).incidents

    return run


@pytest.fixture(scope="session")
def gold_places() -> dict[str, tuple[float, float]]:
    """Gold coordinates (lat, lon) of the named places of the gold file, by name."""
    data = yaml.safe_load((GOLD / "incidents.yaml").read_text(encoding="utf-8"))
    out = {}
    for doc in data["documents"]:
        for inc in doc["incidents"]:
            place = inc.get("place")
            if place and place.get("lat") is not None:
                out[place["name"]] = (float(place["lat"]), float(place["lon"]))
    return out
