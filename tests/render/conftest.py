"""Fixtures for the map and export tests: a small real result built with the project's own
frame constructors from ``tests/data/render/result.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mapper import frames
from mapper.model import Evidence, Incident, PlaceMention
from mapper.pipeline import Result

DATA = Path(__file__).resolve().parent.parent / "data" / "render"


def load_result(path: Path = DATA / "result.json") -> Result:
    """A ``Result`` from the JSON fixture (incidents, mentions, actors as records)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    incidents = []
    for row in raw["incidents"]:
        row = dict(row)
        evidence = [Evidence(**{"origin": row["origin"], **e}) for e in row.pop("evidence")]
        for key in ("date_start", "date_end"):
            row[key] = pd.Timestamp(row[key]).date() if row[key] else None
        incidents.append(Incident(**row, evidence=evidence))
    mentions = [PlaceMention(**m) for m in raw["mentions"]]
    actors = frames.empty_actors_frame()
    actors = frames._frame(raw["actors"], frames.ACTOR_COLUMNS, [None] * len(raw["actors"]))
    actors["mentions"] = pd.array(actors["mentions"], dtype="Int64")
    actors["incidents"] = pd.array(actors["incidents"], dtype="Int64")
    incidents_gdf = frames.incidents_frame(incidents)
    report: dict[str, Any] = {"documents": {"read": 9, "skipped": 0}, "incidents": {"total": len(incidents)}}
    return Result(incidents_gdf, frames.places_frame(mentions), frames.mentions_frame(mentions), actors, report)


@pytest.fixture(scope="session")
def result() -> Result:
    return load_result()


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
