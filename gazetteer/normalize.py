"""Text folding shared by the gazetteer index and the toponym recogniser.

``fold`` maps one character to exactly one character, so offsets found in folded text are
valid in the original: typographic quotes become ``'``, every hyphen or dash becomes a
space, letters lose their diacritics, and everything is lower-cased. ``name_key`` builds the
index key of a name (folded, punctuation dropped, spaces collapsed); ``strip_article`` drops
a leading Arabic article (al-, Al , An/Ar/As/Ash/At/Ad/Az/El).
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = "’‘ʼʻ`´′‛ʹʾʿ"
_DASHES = "-‐‑‒–—―−﹘﹣－_"
_TABLE: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    if ch in _QUOTES:
        return "'"
    if ch in _DASHES:
        return " "
    if ch.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(base) == 1:
        low = base.lower()
        return low if len(low) == 1 else base
    low = ch.lower()
    return low if len(low) == 1 else ch


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table filled lazily, one character at a time."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Fold ``text`` one character to one character (same length, offsets preserved)."""
    return text.translate(_FOLD)


_NON_WORD = re.compile(r"[^\w']+")
_ARTICLE = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|az|adh|ath)\s+(?=\w)")


def name_key(name: str) -> str:
    """Index key of a place name: folded, punctuation removed, spaces collapsed."""
    if name.isascii() and name.replace(" ", "").isalnum():
        # Plain ASCII words (three names in four): folding is lower-casing and nothing is
        # punctuation, so this is the general formula's result without the per-character
        # translation table and the regular expression.
        return " ".join(name.lower().split())
    return " ".join(_NON_WORD.sub(" ", fold(name).replace("'", "")).split())


def strip_article(key: str) -> str:
    """``key`` without a leading Arabic article ("al anbar" -> "anbar"); unchanged otherwise."""
    stripped = _ARTICLE.sub("", key, count=1)
    return stripped if stripped else key
