"""The ranker's data file and the 'ambiguous' rule, on hand-made candidates."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

from gazetteer import Candidate, Place
from mapper.resolve import _STATIC, FEATURES, CandidateSet, Ranker, _rival


def _candidate(pid: str, lat: float, lon: float, score: float = 0.8) -> Candidate:
    return Candidate(Place(pid, "Springfield", "P", "PPL", "US", "", lat, lon, 100_000), score,
                     "springfield", "exact")


def test_shipped_ranker_covers_every_feature() -> None:
    path = Path(str(resources.files("mapper") / "data" / "ranker.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert "TRAIN split" in data["about"]
    ranker = Ranker.from_json(path)
    assert len(ranker.weights) == len(FEATURES)


def test_far_runner_up_of_similar_probability_is_a_rival() -> None:
    cs = CandidateSet.build([_candidate("gn:1", 39.8, -89.6), _candidate("gn:2", 37.2, -93.3),
                             _candidate("gn:3", 39.81, -89.61)], "springfield")
    assert cs is not None and cs.static.shape == (3, _STATIC)
    order = np.array([0, 1, 2])
    rival = _rival(cs, order, np.array([0.40, 0.35, 0.25]))  # 0.35 >= 0.8 * 0.40; ~450 km apart
    assert rival is not None and rival.place.place_id == "gn:2"
    assert _rival(cs, order, np.array([0.60, 0.30, 0.10])) is None  # clearly better
    near = np.array([0, 2, 1])
    assert _rival(cs, near, np.array([0.40, 0.25, 0.35])) is None  # runner-up 1 km away
