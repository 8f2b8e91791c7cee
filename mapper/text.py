"""Text helpers with stable offsets: folding, sentence spans, and a word-level index.

Everything here keeps offsets into the ORIGINAL text: ``fold`` maps one character to one
character; ``sentence_spans`` returns ``[start, end)`` ranges of the original text; and
``KeyText`` maps the compact, key-normalised form of a text (the form the gazetteer's
``name_key`` produces) back to original offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

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
    "baghdad". ``pieces`` are runs copied unchanged: ``(key_start, original_start, length)``.
    """

    keys: str
    pieces: tuple[tuple[int, int, int], ...]
    _key_starts: tuple[int, ...]

    def original(self, key_offset: int) -> int:
        """Original offset of the key character at ``key_offset``."""
        i = bisect_right(self._key_starts, key_offset) - 1
        k, o, _ = self.pieces[i]
        return o + (key_offset - k)

    def span(self, start: int, end: int) -> Span:
        """Original ``[start, end)`` of the key range ``[start, end)``."""
        return Span(self.original(start), self.original(end - 1) + 1)


# Words joined across an apostrophe ("Kata'ib") unless it is a possessive "'s" or follows
# a single letter ("I've", "O'Hare" split like name_key would not, but "I've" is no name).
_TOKEN = re.compile(r"[^\W_]+(?:(?<=[^\W_]{2})'(?!s(?![^\W_]))[^\W_]+)*")
_PART = re.compile(r"[^\W_]+")


def key_text(text: str) -> KeyText:
    """Build the :class:`KeyText` of ``text`` (regex pass, offsets kept)."""
    folded = fold(text)
    pieces: list[tuple[int, int, int]] = []
    parts: list[str] = []
    k = 0
    for m in _TOKEN.finditer(folded):
        token = m.group()
        if "'" not in token:
            pieces.append((k, m.start(), len(token)))
            parts.append(token)
            k += len(token) + 1
            continue
        for p in _PART.finditer(token):
            n = p.end() - p.start()
            pieces.append((k, m.start() + p.start(), n))
            k += n
        parts.append(token.replace("'", ""))
        k += 1
    return KeyText(" ".join(parts), tuple(pieces), tuple(p[0] for p in pieces))
