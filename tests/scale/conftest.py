"""Fixtures for the scale tests: a small JSON Lines corpus of real article text and a Dask cluster.

The corpus is built the way ``benchmarks/bench_scale.py`` builds its large ones (real texts of
GeoWebNews, LGL and the seeds), plus two lines that cannot be read, so that every test can
check that each input is accounted for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.bench_scale import CORPORA, source_texts, synthetic_records
from mapper.documents import iter_documents
from mapper.model import Document, SkippedDocument
from mapper.scale import local_cluster
from tests.conftest import SEEDS, require_path

CORPUS_DOCS = 24
BAD_LINES = ('{"id": "broken", "text": ', '{"id": "no-text", "title": "nothing to read"}')


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON Lines file: ``CORPUS_DOCS`` real articles with two unreadable lines among them."""
    for path in (*CORPORA, SEEDS):
        require_path(path, why="real article texts for the scale tests")
    records = [json.dumps(r) for r in synthetic_records(source_texts(), CORPUS_DOCS)]
    records.insert(5, BAD_LINES[0])
    records.insert(17, BAD_LINES[1])
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def items(corpus: Path) -> list[Document | SkippedDocument]:
    return list(iter_documents([corpus]))


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A two-worker ``LocalCluster`` on 127.0.0.1 (worker processes, 1.5 GiB each); its address."""
    with local_cluster(workers=2, memory_limit="1.5GiB") as local:
        yield local.scheduler_address
