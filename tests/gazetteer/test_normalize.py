"""``name_key``'s fast path for plain ASCII names gives the general formula's keys."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import Gazetteer
from gazetteer.normalize import _NON_WORD, fold, name_key


def _general(name: str) -> str:
    """The general formula, without the fast path."""
    return " ".join(_NON_WORD.sub(" ", fold(name).replace("'", "")).split())


def test_every_place_name_of_the_index(gaz: Gazetteer) -> None:
    names = list(gaz._data.names)
    assert len(names) > 100_000
    assert sum(1 for n in names if n.isascii() and n.replace(" ", "").isalnum()) > len(names) // 2
    assert [name_key(n) for n in names] == [_general(n) for n in names]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_any_ascii_text(text: str) -> None:
    assert name_key(text) == _general(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ09 \t\n\x1c\x0b_-'`.İıßéﬁ", max_size=12))
def test_spaces_and_characters_near_the_fast_path(text: str) -> None:
    assert name_key(text) == _general(text)
