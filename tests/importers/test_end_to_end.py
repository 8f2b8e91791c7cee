"""Articles and a user's CSV about the same attacks: one incident per attack, every source kept."""

from __future__ import annotations

import json
from pathlib import Path

from mapper.pipeline import run

DATA = Path(__file__).parent / "data"
COLUMNS = {"id": "Ref", "date": "Date", "event_type": "Type", "sub_event_type": "Subtype",
           "method": "How", "location": "Place", "fatalities": "Killed", "notes": "Summary"}


def test_two_articles_and_a_csv_row_merge_and_another_days_attack_stays_apart() -> None:
    result = run(DATA / "articles", incidents_files=[DATA / "asad_rows.csv"], column_map=COLUMNS)
    incidents = result.incidents
    by_day = dict(list(incidents.groupby("date_start")))
    assert set(by_day) == {"2024-01-20", "2024-01-25"}, incidents[["date_start", "doc_id"]]

    [saturday] = by_day["2024-01-20"].to_dict("records")
    evidence = json.loads(saturday["evidence"])
    assert {e["doc_id"] for e in evidence} == {"asad_report_one", "asad_report_two", "asad_rows.csv#1"}
    assert {e["origin"] for e in evidence} == {"extracted", "csv"}
    assert saturday["method"] == "rocket" and saturday["fatalities"] == 0

    [thursday] = by_day["2024-01-25"].to_dict("records")
    assert {e["doc_id"] for e in json.loads(thursday["evidence"])} == {"asad_report_three", "asad_rows.csv#2"}

    assert result.report["incidents"]["imported"] == 2
    # at least five reports (three articles, two rows) became two incidents
    assert result.report["incidents"]["merged"] >= 3
