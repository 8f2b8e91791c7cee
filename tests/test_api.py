"""The Python API: mapper.run returns fixed-shape GeoDataFrames, even for nothing found."""

from __future__ import annotations

import datetime as dt

import folium

import mapper
from mapper.frames import ACTOR_COLUMNS, INCIDENT_COLUMNS, MENTION_COLUMNS, PLACE_COLUMNS


def test_run_on_a_text_without_places_gives_empty_frames_of_the_right_shape(tmp_path) -> None:
    (tmp_path / "quiet.txt").write_text("Nothing happened here today.\n", encoding="utf-8")
    result = mapper.run([tmp_path], published=dt.date(2024, 1, 5))
    for frame, columns in ((result.incidents, INCIDENT_COLUMNS), (result.places, PLACE_COLUMNS),
                           (result.mentions, MENTION_COLUMNS), (result.actors, ACTOR_COLUMNS)):
        assert list(frame.columns[: len(columns)]) == list(columns)
        assert frame.crs.to_epsg() == 4326
    assert result.report["documents"]["read"] == 1
    assert result.report["documents"]["processed"][0]["published"] == "2024-01-05"


def test_map_and_files(tmp_path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("---\ntitle: T\npublished: 2024-01-05\nurl: https://example.org/a\n---\n"
                   "Rockets struck a base near Baghdad on Thursday.\n", encoding="utf-8")
    result = mapper.run([doc])
    assert isinstance(result.map(), folium.Map)
    written = result.to_files(tmp_path / "out")
    names = {p.name for p in written}
    assert {"map.html", "incidents.geojson", "places.geojson", "mentions.csv", "report.json"} <= names
