"""The document readers on the hostile corpus: each case read or skipped as EXPECTED.json says."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from mapper.documents import MAX_DOCUMENT_BYTES, expand_inputs, iter_documents, read_bytes
from mapper.errors import InputError, UnreadableDocumentError
from mapper.model import Document, SkippedDocument
from tests.hostile.conftest import EXPECTED, HOSTILE

COMMITTED = [c for c in EXPECTED if c["input"].startswith("documents/")]


@pytest.fixture(scope="module")
def read_corpus() -> dict[str, Document | SkippedDocument]:
    """Every item the readers yield for ``documents/``, keyed like EXPECTED.json's inputs."""
    items = {}
    for item in iter_documents([HOSTILE / "documents"]):
        key = str(Path(item.source_path).relative_to(HOSTILE))
        assert key not in items, f"{key} read twice"
        items[key] = item
    return items


@pytest.mark.parametrize("case", COMMITTED, ids=[c["input"] for c in COMMITTED])
def test_case_read_as_expected(case: dict, read_corpus: dict) -> None:
    item = read_corpus[case["input"]]
    if case["expect"] == "skipped":
        assert isinstance(item, SkippedDocument), f"{case['case']}: read, expected a skip"
        assert case["reason"] in item.reason
        return
    assert isinstance(item, Document), f"{case['case']}: skipped ({getattr(item, 'reason', '')})"
    assert item.doc_id == case["doc_id"]
    warnings = item.metadata.get("warnings", "")
    if "warning" in case:
        assert case["warning"] in warnings
    if "title" in case:
        assert item.title == case["title"]
    if "title_max_chars" in case:
        assert 100 < len(item.title) <= case["title_max_chars"]
    if "text_has" in case:
        assert case["text_has"] in item.text
    if "text_lacks" in case:
        assert case["text_lacks"] not in item.text
    for text in (item.text, item.title, item.doc_id, item.url):
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
        text.encode("utf-8")  # every output writer can encode it


def test_every_committed_input_is_accounted_for(read_corpus: dict) -> None:
    assert sorted(read_corpus) == sorted(c["input"] for c in COMMITTED)


def test_invisible_characters_removed_and_names_whole() -> None:
    doc = next(d for d in iter_documents([HOSTILE / "documents" / "invisible.txt"]))
    assert isinstance(doc, Document)
    for name in ("Baghdad", "Erbil", "Basra", "Kirkuk", "Mosul"):
        assert name in doc.text
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in doc.text)
    assert "\u202e" not in doc.text and "\u200b" not in doc.text


def test_urls_only_http_and_quoted() -> None:
    docs = [d for d in iter_documents([HOSTILE / "documents"]) if isinstance(d, Document)]
    for doc in docs:
        assert doc.url == "" or doc.url.startswith(("http://", "https://")), doc.url
        assert not set("<>\"' ") & set(doc.url)
    assert any(d.url == "https://example.org/a?b=%3Cc%3E" for d in docs)


# ------------------------------------------------------------ generated cases


def test_200_mib_file_skipped_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        block = b"Rockets struck Baghdad on Tuesday, officials said. " * 20_000  # ~1 MiB
        for _ in range(200 * 2**20 // len(block) + 1):
            fh.write(block)
    assert big.stat().st_size >= 200 * 2**20
    (tmp_path / "small.txt").write_text("Rockets struck Basra on Monday.", encoding="utf-8")
    tracemalloc.start()
    items = list(iter_documents([tmp_path]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    skipped = [i for i in items if isinstance(i, SkippedDocument)]
    assert [s.source_path for s in skipped] == [str(big)]
    assert "is above the 16 MiB limit for one document" in skipped[0].reason
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["small"]
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB while skipping a 200 MiB file"
    with pytest.raises(UnreadableDocumentError, match=r"huge.txt: 20\d.\d MiB is above"):
        list(iter_documents([tmp_path], strict=True))


def test_oversized_jsonl_record_skipped_between_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": "Rockets struck Baghdad."}) + "\n")
        fh.write(json.dumps({"id": "big", "text": "x" * (MAX_DOCUMENT_BYTES + 2**22)}) + "\n")
        fh.write(json.dumps({"id": "b", "text": "A drone hit Erbil."}) + "\n")
    tracemalloc.start()
    items = list(iter_documents([path]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["a", "b"]
    (skip,) = [i for i in items if isinstance(i, SkippedDocument)]
    assert skip.source_path == f"{path}:2" and "above the 16 MiB limit" in skip.reason
    assert peak < MAX_DOCUMENT_BYTES * 3, f"peak {peak / 2**20:.1f} MiB"


def test_one_200_kb_line() -> None:
    line = ("Rockets struck Baghdad on Tuesday, officials said; " * 4000)[:200_000]
    (doc,) = read_bytes(line.encode(), path=Path("long_line.txt"))
    assert isinstance(doc, Document) and doc.text == line


def test_deeply_nested_html_does_not_recurse() -> None:
    depth = 10_000
    page = "<div>" * depth + "Rockets struck <b>Baghdad</b>." + "</div>" * depth
    nested = "<span><i>" * depth + "Mortars hit Basra." + "</i></span>" * depth
    for html in (page, nested, "<table><tr><td>" * depth + "Erbil"):
        (doc,) = read_bytes(html.encode(), path=Path("nested.html"))
        assert isinstance(doc, Document)
    assert "Rockets struck Baghdad." in next(read_bytes(page.encode(), path=Path("n.html"))).text


@pytest.mark.parametrize("pattern", ["</", "<![CDATA[", "<!", "<a ", "<!--", "&#"])
def test_malformed_html_in_linear_time(pattern: str) -> None:
    """Python's html.parser takes minutes on some of these (quadratic); libxml2 does not.

    A bound of seconds for what takes tens of milliseconds: a guard against a regression
    to a quadratic parser, not a benchmark.
    """
    html = "<p>Rockets struck Baghdad.</p>" + pattern * 200_000
    started = time.perf_counter()
    items = list(read_bytes(html.encode(), path=Path("bad.html")))
    assert time.perf_counter() - started < 10
    assert isinstance(items[0], Document) and "Rockets struck Baghdad." in items[0].text


def test_hostile_markup_dropped_from_html_text() -> None:
    (doc,) = read_bytes((HOSTILE / "documents" / "injection.html").read_bytes(),
                        path=Path("injection.html"))
    assert isinstance(doc, Document)
    for gone in ("head script", "body script", "background", "Hidden noscript", "Najaf",
                 "javascript:", "onerror=alert('img')"):
        assert gone not in doc.text
    assert "A drone attack targeted Erbil late on Monday, according to local officials." in doc.text


# ------------------------------------------------------------ inputs on disk


def test_inputs_sorted_deduplicated_hidden_left_out(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Rockets struck Basra.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Rockets struck Baghdad.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Rockets struck Mosul.", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "c.txt").write_text("Rockets struck Erbil.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = expand_inputs([tmp_path / "b.txt", tmp_path, tmp_path / "a.txt"])
    assert found == [tmp_path / "a.txt", tmp_path / "b.txt"]


def test_missing_and_special_inputs_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        expand_inputs([tmp_path / "nope.txt"])
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe\.txt: not a regular file"):
        expand_inputs([fifo])
    (skipped,) = iter_documents([tmp_path])  # a FIFO inside a folder is listed, never opened
    assert isinstance(skipped, SkippedDocument) and skipped.reason == "not a regular file"


def test_strict_fails_on_first_bad_document() -> None:
    with pytest.raises(UnreadableDocumentError, match=r"documents/binary_noise.txt: not UTF-8"):
        list(iter_documents([HOSTILE / "documents"], strict=True))
