"""PLACEHOLDER (scale work, issue 8): process documents serially, in processes, or on Dask.

``process(items, ...)`` takes the stream of documents and skipped inputs and yields, for each
document, its ``DocumentResult`` (and passes ``SkippedDocument`` through), in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from mapper.model import Document, SkippedDocument
from mapper.pipeline import DocumentResult, Extractor

Engine = Literal["local", "dask"]


def process(
    items: Iterable[Document | SkippedDocument],
    *,
    extractor: Extractor | None = None,
    jobs: int = 1,
    engine: Engine = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    spacy_model: str | None = None,
) -> Iterator[DocumentResult | SkippedDocument]:
    extractor = extractor or Extractor(spacy_model=spacy_model)
    for item in items:
        yield item if isinstance(item, SkippedDocument) else extractor.process(item)
