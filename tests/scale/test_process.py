"""``mapper.scale.process``: every input accounted for, in input order, whatever the engine setup."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper import scale
from mapper.errors import InputError
from mapper.model import Document, SkippedDocument
from mapper.pipeline import DocumentResult

# Real sentences in the style of the seeds (written for these tests).
SENTENCES = (
    "Two rockets struck near the U.S. Embassy in Baghdad on Thursday.",
    "A drone attack targeted Al Asad Air Base in Anbar province.",
    "Militia leaders in Basra denied any role in the attack.",
    "Nothing of note was reported today.",
    "Officials in Erbil said the airport was closed after the strike.",
)


def outcome_key(outcome: DocumentResult | SkippedDocument) -> str:
    return outcome.doc_id if isinstance(outcome, DocumentResult) else f"skipped:{outcome.source_path}"


def input_key(item: Document | SkippedDocument) -> str:
    return item.doc_id if isinstance(item, Document) else f"skipped:{item.source_path}"


def test_outcomes_follow_the_input_order_with_skipped_inputs_in_place(items) -> None:
    outcomes = list(scale.process(items, batch_size=3))
    assert [outcome_key(o) for o in outcomes] == [input_key(i) for i in items]
    assert sum(isinstance(o, SkippedDocument) for o in outcomes) == 2
    assert sum(len(o.mentions) for o in outcomes if isinstance(o, DocumentResult)) > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(st.one_of(st.sampled_from(SENTENCES), st.none()), max_size=12),
       batch_size=st.integers(1, 5))
def test_any_mix_of_documents_and_skipped_inputs_comes_back_in_order(plan, batch_size) -> None:
    items: list[Document | SkippedDocument] = [
        Document(f"d{n}", text, published=dt.date(2024, 1, 5)) if text else SkippedDocument(f"bad{n}", "unreadable")
        for n, text in enumerate(plan)
    ]
    outcomes = list(scale.process(items, batch_size=batch_size))
    assert [outcome_key(o) for o in outcomes] == [input_key(i) for i in items]
    expected = scale.process_batch(items)
    assert outcomes == expected


def test_two_processes_give_the_same_results_as_one(items) -> None:
    one = list(scale.process(items, jobs=1))
    two = list(scale.process(items, jobs=2, batch_size=4))
    assert two == one


def test_a_document_the_extractor_cannot_handle_is_reported_not_lost() -> None:
    good = Document("good", SENTENCES[0])
    broken = Document("broken", None, source_path="feed.jsonl:7")  # type: ignore[arg-type]
    outcomes = list(scale.process([good, broken, good]))
    assert [type(o).__name__ for o in outcomes] == ["DocumentResult", "SkippedDocument", "DocumentResult"]
    skipped = outcomes[1]
    assert isinstance(skipped, SkippedDocument)
    assert skipped.source_path == "feed.jsonl:7 (broken)"
    assert skipped.reason.startswith("extraction failed: ")


@pytest.mark.parametrize(("options", "shown"), [
    ({"engine": "spark"}, "'spark' is not one of local, dask"),
    ({"jobs": 0}, "jobs must be at least 1, got 0"),
    ({"engine": "dask", "workers": 0}, "workers must be at least 1, got 0"),
    ({"batch_size": 0}, "batch size must be at least 1, got 0"),
])
def test_bad_options_are_refused_with_the_allowed_values(options, shown) -> None:
    with pytest.raises(InputError, match=shown):
        list(scale.process([], **options))


def test_no_progress_output_when_stderr_is_not_a_terminal(items, capsys) -> None:
    list(scale.process(items[:4], progress=True, total=4))
    assert capsys.readouterr().err == ""


def test_the_progress_bar_shows_rate_and_time_left_on_a_terminal(items, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    list(scale.process(items[:4], progress=True, total=4))
    err = capsys.readouterr().err
    assert "docs/s" in err
    assert "4/4" in err
    assert "ETA" in err


def test_the_document_estimate_counts_json_lines_and_files(corpus, tmp_path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("One article.\n", encoding="utf-8")
    lines = sum(1 for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip())
    assert scale.estimate_documents([corpus, text]) == lines + 1


def test_a_result_batch_gives_back_exactly_what_it_packed() -> None:
    """Mentions travel sorted by offset within each document, and come back in their own order."""
    from mapper.actors import ActorMention
    from mapper.model import Incident, PlaceMention
    from mapper.pipeline import ResultBatch

    late = PlaceMention("a", 40, 46, "Erbil", "resolved", "gn:95446", "Erbil", "P", "PPLA", "IQ",
                        "Erbil", 36.19, 44.01, 0.93, "matched exact 'erbil'")
    early = PlaceMention("a", 3, 10, "Baghdad", "unresolved", reason="not in gazetteer")
    outcomes: list[DocumentResult | SkippedDocument] = [
        DocumentResult("a", [late, early], [Incident("IM-1", "Battles", "Armed clash", "rifle")],
                       [ActorMention("a", 12, 15, "PMF", "pmf")]),
        SkippedDocument("feed.jsonl:2", "invalid JSON"),
        DocumentResult("b", [], [], []),
    ]
    batch = ResultBatch.pack(outcomes)
    assert batch.outcomes() == outcomes
    assert batch.mentions.column("text").to_pylist() == ["Baghdad", "Erbil"]
    assert batch.mentions.column("place_id").to_pylist() == [None, "gn:95446"]
    assert len(batch) == 3
