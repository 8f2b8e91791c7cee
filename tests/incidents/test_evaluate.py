"""Scoring incident extraction against the gold set (``evaluate-incidents``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from mapper.cli import cli
from mapper.errors import InputError
from mapper.evaluate_incidents import GoldIncident, evaluate, load_gold, score
from mapper.model import Incident

from .conftest import GOLD, ROOT, SEEDS

ROOTS = {"examples": ROOT / "examples" / "articles", "seeds": SEEDS}


GOLD_ONE = GoldIncident(methods=("rocket",), is_threat=False, place_name="Erbil", lat=36.19, lon=44.01,
                        precision=1, countries=("IQ",), date=(dt.date(2021, 2, 15), dt.date(2021, 2, 15)),
                        actor="X", quote="q")
PRED_ONE = Incident(id="IM-1", event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack", method="rocket", lat=36.19, lon=44.01,
                    geo_precision=1, country="IQ", date_start=dt.date(2021, 2, 15), date_end=dt.date(2021, 2, 15),
                    actor1="X")


def gold(**kw) -> GoldIncident:
    return replace(GOLD_ONE, **kw)


def predicted(**kw) -> Incident:
    return replace(PRED_ONE, **kw)


FAMILY = {"rocket": "indirect fire", "mortar": "indirect fire", "airstrike": "air"}.get


def run(pairs):
    return score(pairs, family=lambda m: FAMILY(m, m), same_actor=lambda a, b: a == b)


def test_a_perfect_match_scores_one():
    result = run([([gold()], [predicted()])])
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert (result["actor_accuracy"], result["date_accuracy"]) == (1.0, 1.0)


@pytest.mark.parametrize("change", [
    {"lat": 36.19 + 0.3},                      # ~33 km away
    {"method": "airstrike"},                    # another method family
    {"date_start": dt.date(2021, 3, 1), "date_end": dt.date(2021, 3, 1)},  # no overlap
    {"is_threat": True},
    {"lat": None, "lon": None},
])
def test_mismatches(change):
    result = run([([gold()], [predicted(**change)])])
    assert (result["matched"], result["precision"], result["recall"]) == (0, 0.0, 0.0)


def test_same_method_family_and_coarse_places_match():
    coarse = gold(precision=3, lat=None, lon=None, countries=("IQ", "SY"), date=None)
    result = run([([coarse], [predicted(method="mortar", lat=34.0, lon=41.0, geo_precision=3, country="SY")])])
    assert result["matched"] == 1 and result["date_n"] == 0


def test_actor_and_date_accuracy_count_only_annotated_fields():
    pairs = [([gold(), gold(actor=None, quote="q2")],
              [predicted(actor1="Y", date_start=dt.date(2021, 2, 1), date_end=dt.date(2021, 2, 28)),
               predicted(id="IM-2")])]
    result = run(pairs)
    assert result["matched"] == 2 and result["actor_n"] == 1 and result["actor_accuracy"] == 0.0
    assert result["date_n"] == 2 and result["date_accuracy"] == 0.5  # a month is coarser than the gold day


def test_bad_gold_files_name_the_file_and_the_field(tmp_path):
    path = tmp_path / "gold.yaml"
    path.write_text("documents:\n  - doc: examples/x.md\n    incidents:\n      - {method: rocket, threat: false,"
                    " quote: q, date: [2021-02-15, 2021-02-01]}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"documents\[0\]\.incidents\[0\]: date range .* ends before it starts"):
        load_gold(path, roots=ROOTS)
    path.write_text("documents:\n  - doc: elsewhere/x.md\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown root 'elsewhere'"):
        load_gold(path, roots=ROOTS)


def test_gold_set_scores_meet_the_issue_targets(extractor):
    """Issue 5 targets on the hand-annotated gold set (seeds are skipped when absent)."""
    result = evaluate(GOLD / "incidents.yaml", roots=ROOTS, extractor=extractor)
    assert result["stale_quotes"] == []  # every annotation still quotes its document
    assert result["documents"] >= 10
    assert result["f1"] >= 0.90 and result["actor_accuracy"] >= 0.90 and result["date_accuracy"] >= 0.90
    assert result["placed_by_actor_name"] == 0


def test_cli_prints_json(tmp_path, monkeypatch):
    gold_file = tmp_path / "gold.yaml"
    gold_file.write_text(
        "documents:\n  - doc: examples/2021-02-16-erbil-rocket-attack.md\n    incidents:\n"
        "      - {method: rocket, threat: false, date: [2021-02-15, 2021-02-15], actor: Saraya Awliya al-Dam,\n"
        "         place: {name: Erbil, lat: 36.1912, lon: 44.0094, precision: 1, country: IQ},\n"
        "         quote: Rockets fired at the northern Iraqi city of Erbil}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate-incidents", str(gold_file), "--json",
                                      "--root", f"examples={ROOTS['examples']}"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"precision", "recall", "f1", "actor_accuracy", "date_accuracy", "dev", "test"} <= set(data)
    assert data["gold"] == 1 and data["f1"] == 1.0


def test_cli_rejects_a_bad_root_option(tmp_path):
    gold_file = tmp_path / "gold.yaml"
    gold_file.write_text("documents: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate-incidents", str(gold_file), "--root", "seeds"])
    assert result.exit_code == 2 and "expected NAME=DIR" in result.output
