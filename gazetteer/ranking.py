"""Scoring of gazetteer candidates (pure functions; the weights live in data/ranking.toml).

A hit is a place reached through one lookup key, with ``how`` = the strength of the name
(``sources.HOW_*``) plus 4 when the key matched only after adding or dropping an Arabic
article. The score orders countries above same-named towns, admin-1 units found by their own
names above towns that list the name as an alternate, places by primary name above places by
alternate name, and admin-1 "alternate names" (often their capital city) last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gazetteer.sources import HOW_ALTERNATE, HOW_PRIMARY, HOW_WEAK

ARTICLE_FLAG = 4
KINDS = ("country", "admin1", "overlay", "airport", "place", "imported")
ADMIN1 = KINDS.index("admin1")


def kind_of(feature_code: str, source: str) -> str:
    """Ranking kind of a default-index place from its feature code and source."""
    if "overlay" in source:
        return "overlay"
    if feature_code == "PCLI":
        return "country"
    if feature_code == "ADM1" and source == "naturalearth":
        return "admin1"
    return "airport" if source == "airportsdata" else "place"


@dataclass(frozen=True)
class Hit:
    """What ranking needs to know about one matched place."""

    kind: str  # country | admin1 | overlay | airport | place | imported
    how: int
    population: int
    country_code: str


def how_label(how: int, kind: str) -> str:
    """The ``Candidate.how`` string of a hit."""
    if how & ARTICLE_FLAG:
        return "article"
    if kind in ("overlay", "country", "admin1") and how == HOW_PRIMARY:
        return kind
    return "exact" if how == HOW_PRIMARY else "alternate"


def base_score(kind: str, how: int, cfg: dict[str, Any]) -> float:
    """Score of a hit before population and region bonuses."""
    base = cfg["base"]
    strength = how & ~ARTICLE_FLAG
    if kind == "overlay":
        value = base["overlay"]
    elif kind == "country":
        value = base["country"] if strength == HOW_PRIMARY else base["country_alias"]
    elif kind == "admin1":
        value = base["admin1_alternate"] if strength == HOW_WEAK else base["admin1"]
        if strength == HOW_ALTERNATE:  # "<name> province" forms: as good as the name itself
            value = base["admin1"]
    elif kind in ("airport", "imported"):
        value = base[kind] if strength == HOW_PRIMARY else base[f"{kind}_alternate"]
    else:
        value = base["place"] if strength == HOW_PRIMARY else base["place_alternate"]
    if how & ARTICLE_FLAG:
        value -= cfg["article_penalty"]
    return float(value)


def base_table(cfg: dict[str, Any]) -> list[list[float]]:
    """``base_score`` for every kind (``KINDS`` order) and every how code 0..7."""
    return [[base_score(kind, how, cfg) for how in range(2 * ARTICLE_FLAG)] for kind in KINDS]


def static_bonus(population: np.ndarray, in_focus: np.ndarray, cfg: dict[str, Any]) -> np.ndarray:
    """Population and focus-region bonus of many places at once (vectorised ``score`` part)."""
    pop = np.minimum(1.0, np.log10(population.astype(np.float64) + 1.0) / 7.0)
    return cfg["population_bonus"] * pop + np.where(in_focus, cfg["focus_bonus"], 0.0)


def score(hit: Hit, cfg: dict[str, Any]) -> float:
    """Score of a hit in [0, 1]: base + population bonus + focus-region bonus."""
    bonus = static_bonus(np.array([hit.population]), np.array([hit.country_code in cfg["focus_countries"]]), cfg)
    return max(0.0, min(1.0, base_score(hit.kind, hit.how, cfg) + float(bonus[0])))
