"""Sentences are cut to a bounded length so a text without full stops cannot stall linking."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from mapper.incidents import MAX_SENTENCE_CHARS, bounded_sentences
from mapper.text import sentence_spans


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=4000), st.integers(20, 400))
def test_pieces_stay_within_the_limit_and_inside_their_sentence(text: str, limit: int) -> None:
    pieces = bounded_sentences(text, limit=limit)
    assert all(p.end - p.start <= limit for p in pieces)
    sentences = sentence_spans(text)
    covered = [(p.start, p.end) for p in pieces]
    # the pieces of each sentence tile it exactly
    for s in sentences:
        inside = [c for c in covered if s.start <= c[0] and c[1] <= s.end]
        assert inside and inside[0][0] == s.start and inside[-1][1] == s.end
        assert all(a[1] == b[0] for a, b in pairwise(inside))


def test_a_long_line_without_full_stops_is_cut_at_spaces() -> None:
    text = " ".join(["rockets struck the base near Baghdad"] * 2000)
    pieces = bounded_sentences(text)
    assert len(pieces) > 1
    assert all(p.end - p.start <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(text[p.end] == " " for p in pieces[:-1])


def test_normal_sentences_are_unchanged() -> None:
    text = "Rockets hit Erbil on Monday. A drone was shot down near Baghdad."
    assert bounded_sentences(text) == sentence_spans(text)


def test_the_extractor_reads_a_200_kb_line_without_full_stops() -> None:
    """Hostile case of issue 9: one 200 KB line, no sentence ends; every piece is read."""
    from mapper.model import Document
    from mapper.pipeline import Extractor

    line = ("rockets struck the base near Baghdad and militias fired mortars at Erbil " * 3000)[:200_000]
    result = Extractor().process(Document("long-line", line))
    assert result.incidents
    assert max(e.end for i in result.incidents for e in i.evidence if e.end) > 190_000
