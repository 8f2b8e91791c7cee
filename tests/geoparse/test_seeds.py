"""The five seed articles: the places they name resolve; people named like places do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.model import PlaceMention
from mapper.resolve import Geoparser

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# (surface form, country, feature class) that must be resolved somewhere in the seeds.
EXPECTED = {
    "Baghdad": ("IQ", "P"), "Basrah": ("IQ", "P"), "Anbar": ("IQ", "A"), "At Tanf": ("SY", "S"),
    "Tel Aviv": ("IL", "P"), "Galilee": ("IL", "L"), "Iraq": ("IQ", "A"), "Syria": ("SY", "A"),
    "Iran": ("IR", "A"), "Lebanon": ("LB", "A"), "Afghanistan": ("AF", "A"),
}
PEOPLE = ("Bolton", "Obama", "Kirby", "Knights", "Coats", "Votel")


@pytest.fixture(scope="module")
def seed_mentions(geoparser: Geoparser) -> list[PlaceMention]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    if not files:
        pytest.skip(f"{SEEDS} is absent (the shared seed articles)")
    out: list[PlaceMention] = []
    for f in files:
        out.extend(geoparser.parse(f.read_text(encoding="utf-8"), doc_id=f.name))
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_places_resolve(seed_mentions: list[PlaceMention], name: str) -> None:
    country, fclass = EXPECTED[name]
    hits = [m for m in seed_mentions if m.status == "resolved" and m.text.startswith(name)]
    assert hits, f"{name} not found"
    assert all(m.country_code == country for m in hits), [(m.text, m.name, m.country_code) for m in hits]
    assert any(m.feature_class == fclass for m in hits), [(m.text, m.feature_code) for m in hits]


@pytest.mark.parametrize("person", PEOPLE)
def test_seed_people_are_not_mapped(seed_mentions: list[PlaceMention], person: str) -> None:
    mapped = [m for m in seed_mentions if person in m.text and m.lat is not None]
    assert mapped == []
