"""Text helpers with stable offsets: folding, sentence spans, and a word-level index.

Everything here keeps offsets into the ORIGINAL text: ``fold`` maps one character to one
character; ``sentence_spans`` returns ``[start, end)`` ranges of the original text; and
``KeyText`` maps the compact, key-normalised form of a text (the form the gazetteer's
``name_key`` produces) back to original offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from gazetteer.normalize import fold
from mapper.model import Span

__all__ = ["ABBREVIATIONS", "KeyText", "fold", "key_text", "sentence_spans"]

# Tokens ending in "." that do not end a sentence when a capitalised word follows.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cpt sgt adm cmdr cdr gov sen rep
    pres rev hon amb insp supt brig cpl pvt pte messrs no nos vs etc inc corp co ltd bros dept
    univ ave blvd rd jan feb mar apr jun jul aug sep sept oct nov dec approx est fig al e.g i.e
    u.s u.k u.n u.s.a d.c n.y l.a a.m p.m""".split()
)

# Candidate sentence ends: terminal punctuation, optional closing quotes/brackets, then space.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\s*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.*$")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(\[]*(\S)")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at ``dot`` closes an abbreviation or an initial, not a sentence."""
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot + 1)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # Single letters ("J. Smith") and dotted initials ("U.S.", "D.C.").
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def sentence_spans(text: str) -> list[Span]:
    """Sentence ranges ``[start, end)`` of ``text``, leading/trailing blanks excluded.

    Every non-blank character belongs to exactly one span. A sentence ends at "." "!" "?"
    (with closing quotes) before a blank, and at a line break. A full stop does not end a
    sentence when the next word starts in lower case ("the U.S. military"), nor after an
    abbreviation or an initial ("Mr. Knights", "Jan. 9", "U.S. Embassy", "J. Smith").
    """
    spans: list[Span] = []
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        token = m.group(0)
        if token.startswith("."):
            nxt = _NEXT_WORD.match(text, end)
            if nxt and not nxt.group(1).isupper() and not nxt.group(1).isdigit():
                continue  # "the U.S. military", "e.g. this"
            if len(token) == 1 and _is_abbreviation(text, m.start()) and "\n" not in text[end:end + 2]:
                continue  # "Mr. Knights", "Jan. 9", "U.S. Embassy"
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, n)
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end))


@dataclass(frozen=True)
class KeyText:
    """The key-normalised form of a text plus the map back to original offsets.

    ``keys`` is what ``gazetteer.normalize.name_key`` would make of the text: folded, words
    separated by single spaces, apostrophes inside words dropped ("Kata'ib" -> "kataib"),
    and a possessive "'s" split off as its own word so "Baghdad's" still contains
    "baghdad". ``offsets[k]`` (numpy) is the original offset of key character ``k``; a
    separating space maps to the first character after its word. ``lower`` (numpy bool,
    one per ORIGINAL character) says which characters are lower-case letters.
    """

    keys: str
    offsets: Any = field(compare=False, repr=False)
    lower: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def positions(self) -> list[int]:
        """``offsets`` as a list, plus one entry for ``len(keys)``: the end of the last word."""
        out: list[int] = self.offsets.tolist()
        if out:
            out.append(out[-1] + 1)
        return out

    @property
    def pieces(self) -> tuple[tuple[int, int, int], ...]:
        """Runs copied unchanged: ``(key_start, original_start, length)``."""
        out: list[tuple[int, int, int]] = []
        pos = self.positions
        k = 0
        n = len(self.keys)
        while k < n:
            j = k
            while j + 1 < n and self.keys[j + 1] != " " and pos[j + 1] == pos[j] + 1:
                j += 1
            out.append((k, pos[k], j - k + 1))
            k = j + 1
            if k < n and self.keys[k] == " ":
                k += 1
        return tuple(out)

    def original(self, key_offset: int) -> int:
        """Original offset of the key character at ``key_offset``."""
        offsets = self.offsets
        if 0 <= key_offset < len(offsets):
            return int(offsets[key_offset])
        last = len(offsets) - 1  # past the end: count on from the end of the last word
        return int(offsets[last]) + (key_offset - last)

    def span(self, start: int, end: int) -> Span:
        """Original ``[start, end)`` of the key range ``[start, end)``."""
        return Span(self.original(start), self.original(end - 1) + 1)


# Words joined across an apostrophe ("Kata'ib") unless it is a possessive "'s" or follows
# a single letter ("I've", "O'Hare" split like name_key would not, but "I've" is no name).
# ``key_text`` computes the same words with array arithmetic.
_TOKEN = re.compile(r"[^\W_]+(?:(?<=[^\W_]{2})'(?!s(?![^\W_]))[^\W_]+)*")
_ALNUM = re.compile(r"[^\W_]")
# Character classes, as bits of one byte per ORIGINAL character (see ``_tables``).
_WORD, _ESS, _APOSTROPHE, _LOWER = 1, 2, 4, 8
# Per code point, filled lazily (a code point is looked at once per process): its class
# bits, its folded code point (``fold`` maps one character to one), and whether both are set.
_CLASS_OF = np.zeros(0x110000, dtype=np.uint8)
_FOLD_OF = np.zeros(0x110000, dtype=np.uint32)
_KNOWN = np.zeros(0x110000, dtype=bool)


def _tables(codes: Any) -> None:
    """Fill ``_CLASS_OF`` and ``_FOLD_OF`` for the code points in ``codes`` not seen yet:
    class bit ``_WORD`` when the folded character is a letter or digit (as ``_ALNUM``),
    ``_ESS`` when it is "s", ``_APOSTROPHE`` when it is "'", and ``_LOWER`` when the
    character itself is lower-case."""
    new = codes[~_KNOWN[codes]]
    if not len(new):
        return
    for code in np.unique(new).tolist():
        ch = chr(code)
        folded = fold(ch)
        _CLASS_OF[code] = ((_WORD if _ALNUM.fullmatch(folded) else 0)
                           | (_ESS if folded == "s" else 0)
                           | (_APOSTROPHE if folded == "'" else 0)
                           | (_LOWER if ch.islower() else 0))
        _FOLD_OF[code] = ord(folded)
        _KNOWN[code] = True


# ASCII text (most news) is read one byte a character, with 128-entry tables: the same
# classes and folds as ``_CLASS_OF`` / ``_FOLD_OF``, without their 4-byte code points.
_tables(np.arange(128, dtype=np.uint32))
_ASCII_CLASS = _CLASS_OF[:128].copy()
_ASCII_FOLD = _FOLD_OF[:128].astype(np.uint8) if (_FOLD_OF[:128] < 128).all() else None


def key_text(text: str) -> KeyText:
    """Build the :class:`KeyText` of ``text`` (offsets by array arithmetic).

    Key characters are the letters and digits of the folded text plus one space for each
    run of other characters between two words; an apostrophe between two words is dropped
    when at least two letters stand before it and it is no possessive "'s" (as ``_TOKEN``).
    """
    ascii_fold = _ASCII_FOLD if text.isascii() else None
    if ascii_fold is not None:
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        cls = _ASCII_CLASS[codes]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        _tables(codes)
        cls = _CLASS_OF[codes]
    n = len(cls)
    word = (cls & _WORD).astype(bool)
    lower = (cls & _LOWER).astype(bool)
    pad = np.zeros(n + 4, dtype=bool)
    pad[2:n + 2] = word
    ess = np.zeros(n + 4, dtype=bool)
    ess[2:n + 2] = (cls & _ESS).astype(bool)
    # Apostrophes inside words: two letters before, a letter after, and not "'s" + non-letter.
    joined = ((cls & _APOSTROPHE).astype(bool) & pad[0:n] & pad[1:n + 1] & pad[3:n + 3]
              & ~(ess[3:n + 3] & ~pad[4:n + 4]))
    words = word.nonzero()[0]
    if not len(words):
        return KeyText("", np.zeros(0, dtype=np.intp), lower)
    # A run of other characters is one space when a word stands before and after it.
    space = ~word & ~joined & pad[1:n + 1]
    space[words[-1]:] = False
    kept = word | space
    offsets = kept.nonzero()[0]
    if ascii_fold is not None:
        small = ascii_fold[codes[offsets]]
        small[space[offsets]] = 32
        return KeyText(small.tobytes().decode("ascii"), offsets, lower)
    folded = _FOLD_OF[codes[offsets]]
    folded[space[offsets]] = 32
    return KeyText(folded.tobytes().decode("utf-32-le"), offsets, lower)
