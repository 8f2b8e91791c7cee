"""``mapper.scale.read_ahead``: a reader process gives the same items, its errors, and never hangs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mapper import pipeline, scale
from mapper.documents import iter_documents
from mapper.errors import MapperError, UnreadableDocumentError
from mapper.model import Document, SkippedDocument


def test_the_reader_gives_every_item_in_order(corpus: Path, items, monkeypatch) -> None:
    monkeypatch.setattr(scale, "BATCH_SIZE", 5)  # several batches from the small corpus
    with scale.read_ahead(lambda: iter_documents([corpus])) as stream:
        assert list(stream) == items
    assert sum(isinstance(i, SkippedDocument) for i in items) == 2


def test_an_error_while_reading_is_raised_after_the_items_before_it() -> None:
    def read() -> Iterator[Document]:
        for n in range(70):
            yield Document(f"d{n}", "Some text.")
        raise UnreadableDocumentError("feed.jsonl: line 71 is broken")

    got: list[Document | SkippedDocument] = []
    with pytest.raises(UnreadableDocumentError, match="line 71 is broken"), \
            scale.read_ahead(read) as stream:
        got.extend(stream)
    assert [d.doc_id for d in got if isinstance(d, Document)] == [f"d{n}" for n in range(70)]
    assert len(got) == 70


def test_a_reader_that_dies_is_an_error_not_a_hang(monkeypatch) -> None:
    monkeypatch.setattr(scale, "READER_POLL_SECONDS", 0.1)

    def read() -> Iterator[Document]:
        yield Document("d0", "Some text.")
        os._exit(3)

    with pytest.raises(MapperError, match=r"ended unexpectedly \(exit code 3\)"), \
            scale.read_ahead(read) as stream:
        list(stream)


def test_strict_runs_with_processes_raise_the_reading_error(corpus: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match=r"corpus\.jsonl:6"):
        pipeline.run([corpus], jobs=2, strict=True)
