"""Property-based tests (hypothesis): the readers, folding, dates, importers and the output
guards hold their contracts on any input, not only on the examples we thought of."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gazetteer.normalize import fold
from mapper.atomic import atomic_write_bytes, inside
from mapper.dates import find_dates, resolve
from mapper.documents import SUFFIXES, clean_text, read_bytes
from mapper.errors import InputError, MapperError, UnreadableDocumentError
from mapper.export import write_csv
from mapper.model import Document, SkippedDocument
from mapper.safety import csv_safe_cell

FAST = settings(max_examples=300, deadline=None)
SLOW = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PLACES = ["Baghdad", "Basra", "Erbil", "Mosul", "Kirkuk", "Ain al-Asad", "At Tanf", "Anbar",
          "بغداد", "Damascus", "Tel Aviv", "Beirut"]
NOISE = st.sampled_from(["\u200b", "\u202e", "\u00ad", "\u200d", "\ufeff", "\x1b", "\x00",
                         "é", "’", "—", "-", " ", "\n", "\r\n", "\t", "\ud800", "<", "&amp;",
                         "\U000e0041", "\U0001d173", "\U0001f600"])  # astral: tag A, beam (Cf), emoji
# Text that looks like news with hostile characters mixed in.
NEWSY = st.lists(st.one_of(st.sampled_from(PLACES), NOISE, st.text(max_size=12),
                           st.sampled_from(["Rockets struck ", " on Tuesday. ", "near ",
                                            "A drone attack hit ", ", officials said."])),
                 max_size=40).map("".join)


def _is_clean(text: str) -> bool:
    return all(unicodedata.category(c) != "Cf" and not 0xD800 <= ord(c) <= 0xDFFF
               and (ord(c) >= 32 or c in "\t\n\r\x0c") for c in text)


# ------------------------------------------------------------ folding


@FAST
@given(NEWSY, st.data())
def test_fold_keeps_length_and_offsets(text: str, data: st.DataObject) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert folded[start:end] == fold(text[start:end])


@FAST
@given(NEWSY)
def test_clean_text_removes_invisibles_and_is_idempotent(text: str) -> None:
    cleaned, warnings = clean_text(text)
    assert _is_clean(cleaned)
    assert clean_text(cleaned) == (cleaned, [])
    assert bool(warnings) == (cleaned != text)
    cleaned.encode("utf-8")


@pytest.fixture(scope="module")
def geoparser():
    from mapper.resolve import Geoparser

    return Geoparser()


@SLOW
@given(text=NEWSY)
def test_mentions_slice_back_to_their_text(geoparser, text: str) -> None:
    cleaned, _ = clean_text(text)
    for m in geoparser.parse(cleaned, doc_id="p"):
        assert 0 <= m.start < m.end <= len(cleaned)
        assert cleaned[m.start:m.end] == m.text


# ------------------------------------------------------------ readers


def _check_items(items: list) -> None:
    for item in items:
        assert isinstance(item, (Document, SkippedDocument))
        if isinstance(item, Document):
            assert item.text.strip() and _is_clean(item.text)
            for value in (item.title, item.url, item.doc_id, *item.metadata.values()):
                value.encode("utf-8")
            assert item.url == "" or item.url.startswith(("http://", "https://"))
        else:
            assert item.reason


@FAST
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_readers_raise_only_our_error_on_any_bytes(raw: bytes, suffix: str) -> None:
    try:
        items = list(read_bytes(raw, path=Path("fuzz" + suffix)))
    except UnreadableDocumentError as exc:
        assert str(exc).startswith(f"fuzz{suffix}: ")
        return
    _check_items(items)


@FAST
@given(NEWSY, st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "utf-32"]),
       st.sampled_from([".txt", ".md", ".html"]))
@example("\x00Baghdad", "utf-16", ".txt")  # UTF-16LE mark + NUL looks like UTF-32LE's mark
def test_readers_on_encoded_text(text: str, encoding: str, suffix: str) -> None:
    raw = text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")
    try:
        items = list(read_bytes(raw, path=Path("doc" + suffix)))
    except UnreadableDocumentError:
        return
    _check_items(items)
    if suffix == ".txt" and encoding != "utf-8":
        (doc,) = items
        assert doc.text == clean_text(raw.decode(encoding, errors="replace"))[0]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NEWSY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)
RECORDS = st.fixed_dictionaries(
    {}, optional={"text": NEWSY, "id": JSON_VALUES, "title": JSON_VALUES, "url": JSON_VALUES,
                  "published": st.one_of(JSON_VALUES, st.dates().map(str))})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(RECORDS.map(json.dumps), st.text(max_size=40)), max_size=12))
def test_jsonl_every_line_accounted_for(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    raw = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    try:
        items = list(read_bytes(raw, path=Path("feed.jsonl")))
    except UnreadableDocumentError as exc:
        assert "no JSON Lines records" in str(exc)
        assert not any(line.strip() for line in raw.decode("utf-8", "replace").splitlines())
        return
    _check_items(items)
    non_blank = [n for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]
    assert [i.source_path.rsplit(":", 1)[1] for i in items] == [str(n) for n in non_blank]


# ------------------------------------------------------------ dates


@FAST
@given(NEWSY | st.text(max_size=200), st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_dates_never_raise_and_ranges_are_ordered(text: str, published: dt.date | None) -> None:
    for m in find_dates(text, published=published):
        assert text[m.start:m.end] == m.text
        if m.range is not None:
            assert m.range.start <= m.range.end
    rng = resolve(text, published=published)
    assert rng is None or rng.start <= rng.end


DATE_WORDS = st.lists(st.sampled_from(
    ["last", "next", "week", "Thursday", "January", "Jan.", "9", "31", "2020", "1999", "between",
     "and", "thru", "two", "days", "ago", "summer", "in", "November", "early", "late", "mid-",
     "29", "February", "0", "99999", ",", " "]), max_size=8).map(" ".join)


@FAST
@given(DATE_WORDS, st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
@example("mid- January", dt.date(2000, 1, 1))  # a month with one day so far has no middle
def test_date_expressions_at_calendar_edges(text: str, published: dt.date) -> None:
    for m in find_dates(text, published=published):
        if m.range is not None:
            assert m.range.start <= m.range.end


# ------------------------------------------------------------ importers


CELL = st.one_of(st.text(max_size=15), st.sampled_from(
    ["=HYPERLINK(\"x\")", "+cmd", "@SUM(1)", "-2+3", "2024-01-05", "33.3", "44.4", "999",
     "-91", "nan", "", "\"", "\n", "Baghdad"]))


@SLOW
@given(st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=8),
       st.sampled_from(["date,lat,lon,location,notes,actor1", "event_date,latitude,longitude",
                        "data_id,event_date,year", ""]))
def test_importers_raise_only_input_errors(rows: list[list[str]], header: str) -> None:
    import csv
    import io

    from mapper.importers import load_incidents

    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        path.write_text(header + "\n" + buf.getvalue(), encoding="utf-8", errors="surrogatepass")
        try:
            incidents, report = load_incidents([path])
        except MapperError as exc:
            assert str(path) in str(exc) or path.name in str(exc)
            return
    for inc in incidents:
        assert inc.lat is None or -90 <= inc.lat <= 90
        assert inc.lon is None or -180 <= inc.lon <= 180
    assert isinstance(report, dict)


# ------------------------------------------------------------ output guards


@FAST
@given(st.text())
def test_csv_safe_cell_neutralises_formulas_only(value: str) -> None:
    safe = csv_safe_cell(value)
    assert isinstance(safe, str)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe == value or safe == "'" + value


CELL_TEXT = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(
    ["=1+1", "-2", "@x", "\tq", "a,b", 'say "hi"', "two\nlines", "cr\r", "", " ", "nan"]))
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([15.0, 1e-05, 1e16, -0.0]))


@SLOW
@given(rows=st.lists(st.tuples(CELL_TEXT, FLOATS, st.one_of(st.none(), st.integers(-2**62, 2**62)),
                               st.booleans()), max_size=30),
       chunk_rows=st.sampled_from([1, 2, 7, 50_000]))
def test_csv_writer_writes_what_pandas_writes(rows: list[tuple], chunk_rows: int) -> None:
    """Chunked ``write_csv`` gives the bytes of pandas' ``to_csv`` of the neutralised frame."""
    frame = pd.DataFrame({
        "text": pd.Series([r[0] for r in rows], dtype=object),
        "label": pd.Series([r[0] for r in rows], dtype="str"),
        "number": pd.Series([r[1] for r in rows], dtype=float),
        "count": pd.array([r[2] for r in rows], dtype="Int64"),
        "flag": pd.Series([r[3] for r in rows], dtype=bool),
        "plain": np.arange(len(rows), dtype=np.int64),
    })
    expected = frame.copy()
    for name in ("text", "label"):
        expected[name] = expected[name].map(csv_safe_cell)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.csv"
        with mock.patch("mapper.export.CSV_CHUNK_ROWS", chunk_rows):
            write_csv(frame, list(frame.columns), target)
        assert target.read_bytes() == expected.to_csv(index=False, lineterminator="\n").encode()


@FAST
@given(st.lists(st.sampled_from(["..", ".", "a", "b", "/", "\x00", "map.html", "~", "//"]),
                max_size=6).map("/".join) | st.text(max_size=20))
def test_inside_never_escapes(name: str) -> None:
    base = Path(tempfile.gettempdir()) / "im-inside-test"
    try:
        target = inside(base, name)
    except InputError:
        return
    assert target == base.resolve() or base.resolve() in target.parents


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2048))
def test_atomic_write_round_trip(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.bin"
        target.write_bytes(b"previous")
        atomic_write_bytes(target, data)
        assert target.read_bytes() == data
        assert [p.name for p in Path(folder).iterdir()] == ["out.bin"]
