"""atheris fuzz target for the document readers (``mapper.documents.read_bytes``).

Run: ``.venv/bin/python fuzz/fuzz_documents.py [libFuzzer flags] [CORPUS_DIR ...]``, e.g.
``-runs=100000`` or ``-max_total_time=30``; seed with a copy of ``tests/data/hostile/documents``
(libFuzzer adds new inputs to the first corpus folder). The last byte of an input picks the
format (.txt, .md, .html, .htm, .jsonl). A crash is any exception other than
``UnreadableDocumentError``, or a document that breaks the readers' contract: blank text,
text with invisible or control characters or lone surrogates, a non-http(s) URL.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["mapper.documents"]):
    from mapper.documents import SUFFIXES, read_bytes
    from mapper.errors import UnreadableDocumentError
    from mapper.model import Document, SkippedDocument


def _clean(text: str) -> bool:
    return all(unicodedata.category(c) != "Cf" and not 0xD800 <= ord(c) <= 0xDFFF
               and (ord(c) >= 32 or c in "\t\n\r\x0c") for c in text)


def check(data: bytes) -> None:
    """Read ``data`` as a document file; raise ``AssertionError`` on a contract breach."""
    suffix = SUFFIXES[data[-1] % len(SUFFIXES)] if data else ".txt"
    try:
        items = list(read_bytes(data, path=Path("fuzz" + suffix)))
    except UnreadableDocumentError:
        return
    for item in items:
        if isinstance(item, SkippedDocument):
            assert item.reason, "skipped without a reason"
            continue
        assert isinstance(item, Document), type(item)
        assert item.text.strip(), "blank document"
        assert _clean(item.text), "invisible or control character in text"
        for value in (item.title, item.doc_id, item.url, *item.metadata.values()):
            value.encode("utf-8")
        assert item.url == "" or item.url.startswith(("http://", "https://")), item.url


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
