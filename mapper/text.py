"""PLACEHOLDER (geoparsing work, issue 4): folding with stable offsets and sentence spans."""

from __future__ import annotations

import re

from gazetteer.normalize import fold
from mapper.model import Span

__all__ = ["fold", "sentence_spans"]


def sentence_spans(text: str) -> list[Span]:
    """Sentence ranges of ``text`` (placeholder: split at blank lines and '. ')."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        spans.append(Span(m.start(), m.end()))
    return spans
