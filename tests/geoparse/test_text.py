"""Folding, sentence spans and the key-normalised text keep offsets into the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gazetteer.normalize import name_key
from mapper.text import fold, key_text, sentence_spans

PIECES = ["U.S.", "Mr.", "Gen.", "Jan. 9", "J. Smith", "Baghdad’s", "Kata’ib", "al-Qaim", "Iraq-Syria",
          "said.", "It", "was", "hit.", "Why?", "Yes!", "\n", "\n\n", " ", "  ", "“Quote.”", "e.g.",
          "Hīt", "ﬁ", "İstanbul", "Straße", "3.5", "(AP)", "—", "x"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join) | st.text(max_size=200)


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(texts)
def test_sentence_spans_cover_every_non_blank_character_once(text: str) -> None:
    spans = sentence_spans(text)
    covered = [0] * len(text)
    previous_end = 0
    for s in spans:
        assert previous_end <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        previous_end = s.end
        for i in range(s.start, s.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        assert covered[i] == 1 if not ch.isspace() else covered[i] <= 1


def test_sentence_split_keeps_abbreviations_inside_sentences() -> None:
    text = ("Mortars landed near the U.S. Embassy in Baghdad. Mr. Knights said Jan. 9 that "
            "Gen. Votel knew. J. Smith agreed! Did he?\nBAGHDAD (AP) — New line")
    got = [text[s.start:s.end] for s in sentence_spans(text)]
    assert got == [
        "Mortars landed near the U.S. Embassy in Baghdad.",
        "Mr. Knights said Jan. 9 that Gen. Votel knew.",
        "J. Smith agreed!",
        "Did he?",
        "BAGHDAD (AP) — New line",
    ]


@given(texts)
def test_key_text_words_slice_back_to_their_original(text: str) -> None:
    kt = key_text(text)
    pos = 0
    for word in kt.keys.split(" ") if kt.keys else []:
        start = kt.keys.index(word, pos)
        end = start + len(word)
        pos = end
        original = text[slice(*kt.span(start, end))]
        assert name_key(original) == word or name_key(original).replace(" ", "") == word


def test_key_text_joins_names_and_splits_possessives() -> None:
    text = "Kata’ib Hezbollah fired at Baghdad’s airport; I’ve seen it."
    kt = key_text(text)
    assert kt.keys == "kataib hezbollah fired at baghdad s airport i ve seen it"
    i = kt.keys.index("baghdad")
    assert text[slice(*kt.span(i, i + len("baghdad")))] == "Baghdad"
    assert text[slice(*kt.span(0, len("kataib hezbollah")))] == "Kata’ib Hezbollah"
