"""Benchmark: extraction speed of places, actors, incidents and dates together (issue 5).

Runs the pipeline's ``Extractor.process`` (geoparser + actor registry + incident linking +
date resolution) over real news text, warm (the gazetteer, automata and lexicons are built
before timing), in one process and in a pool of worker processes, and prints a table of MB
of text per second. Also times the incident stage alone (given the place and actor mentions).

Text: the GeoWebNews and LGL news corpora in ../shared/corpora (world and U.S. local news),
the seed articles and the bundled example articles, repeated to at least ``--mb`` MB.

    .venv/bin/python benchmarks/bench_incidents.py [--mb 4] [--jobs 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INCIDENT_MAPPER_SHARED", REPO.parent / "shared"))

_EXTRACTOR = None


def corpus_texts() -> list[str]:
    """Real article texts: corpora, seeds and examples (whatever of them exists here)."""
    from mapper.documents import iter_documents
    from mapper.model import Document

    texts: list[str] = []
    for name in ("corpora/geowebnews/GWN.xml", "corpora/lgl/lgl.xml"):
        path = SHARED / name
        if path.exists():
            texts += [t.text for t in ET.parse(path).getroot().iter("text") if t.text]
    inputs = [p for p in (SHARED / "seeds", REPO / "examples" / "articles") if p.exists()]
    texts += [d.text for d in iter_documents(inputs) if isinstance(d, Document)]
    if not texts:
        sys.exit("no text found: need ../shared/corpora, ../shared/seeds or examples/articles")
    return texts


def _init() -> None:
    global _EXTRACTOR
    from mapper.pipeline import Extractor

    _EXTRACTOR = Extractor()


def _process(item: tuple[int, str]) -> int:
    from mapper.model import Document

    i, text = item
    assert _EXTRACTOR is not None
    return len(_EXTRACTOR.process(Document(f"d{i}", text)).incidents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="MB of text to process (default 4)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the pool run (default 2)")
    args = parser.parse_args()

    base = corpus_texts()
    texts: list[str] = []
    while sum(len(t.encode()) for t in texts) < args.mb * 1e6:
        texts += base
    mb = sum(len(t.encode()) for t in texts) / 1e6
    items = list(enumerate(texts))
    rows = []

    t0 = time.perf_counter()
    _init()
    build = time.perf_counter() - t0
    _process((0, texts[0]))  # warm
    t0 = time.perf_counter()
    incidents = sum(_process(it) for it in items)
    one = time.perf_counter() - t0
    rows.append(("whole extraction, 1 process", one, mb / one))

    # the incident stage alone (place and actor mentions given)
    from mapper.model import Document

    assert _EXTRACTOR is not None
    docs = [Document(f"d{i}", t) for i, t in items[: len(base)]]
    prepared = [(d, _EXTRACTOR.geoparser.parse(d.text, doc_id=d.doc_id),
                 _EXTRACTOR.registry.find(d.text, doc_id=d.doc_id)) for d in docs]
    stage_mb = sum(len(d.text.encode()) for d in docs) / 1e6
    t0 = time.perf_counter()
    for d, m, a in prepared:
        _EXTRACTOR.incident_extractor.extract(d, m, a)
    stage = time.perf_counter() - t0
    rows.append(("incident linking + dates only", stage, stage_mb / stage))
    t0 = time.perf_counter()
    for d in docs:
        _EXTRACTOR.registry.find(d.text)
    actors = time.perf_counter() - t0
    rows.append(("actor registry only", actors, stage_mb / actors))

    if args.jobs > 1:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(args.jobs, initializer=_init) as pool:
            pool.map(_process, items[: args.jobs * 2])  # warm every worker
            t0 = time.perf_counter()
            pooled = sum(pool.map(_process, items, chunksize=8))
            many = time.perf_counter() - t0
        assert pooled == incidents, (pooled, incidents)
        rows.append((f"whole extraction, {args.jobs} processes", many, mb / many))

    print(f"text: {len(texts)} documents, {mb:.2f} MB; extractor build {build:.1f} s; "
          f"{incidents} incidents; cores: {os.cpu_count()}")
    print(f"{'stage':40} {'seconds':>9} {'MB/s':>8}")
    for name, seconds, rate in rows:
        print(f"{name:40} {seconds:9.2f} {rate:8.2f}")


if __name__ == "__main__":
    main()
