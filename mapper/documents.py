"""Read documents: plain text, Markdown, HTML and JSON Lines, with their metadata.

Metadata (title, published date, source URL) comes from a YAML front-matter block in
``.txt``/``.md`` files, from ``<title>``/``<meta>`` in HTML, or from the ``title``, ``url``
and ``published`` fields of a JSON Lines record. A file that cannot be read becomes a
``SkippedDocument`` with the reason, never a silent gap.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import yaml

from mapper.errors import InputError, UnreadableDocumentError
from mapper.model import Document, SkippedDocument

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    published: dt.date | None = None,
    strict: bool = False,
) -> Iterator[Document | SkippedDocument]:
    """Yield every document under ``inputs`` (files or folders), in a stable order.

    ``published`` fills in the publication date of documents that carry none.
    With ``strict``, the first unreadable document raises ``UnreadableDocumentError``.
    """
    for path in expand_inputs(inputs):
        try:
            docs = list(read_file(path))
        except UnreadableDocumentError as exc:
            if strict:
                raise
            yield SkippedDocument(str(path), str(exc.args[0] if exc.args else exc))
            continue
        for doc in docs:
            if isinstance(doc, Document) and doc.published is None and published is not None:
                doc = Document(doc.doc_id, doc.text, doc.title, doc.url, published,
                               doc.source_path, {**doc.metadata, "published_from": "--published"})
            if strict and isinstance(doc, SkippedDocument):
                raise UnreadableDocumentError(f"{doc.source_path}: {doc.reason}")
            yield doc


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named directly, plus files with a known suffix found under named folders."""
    paths: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            paths.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return paths


def read_file(path: Path) -> Iterator[Document | SkippedDocument]:
    """Read one file into documents (several for JSON Lines)."""
    suffix = path.suffix.lower()
    text = decode(path)
    if suffix == ".jsonl":
        yield from parse_jsonl(text, path=path)
    elif suffix in (".html", ".htm"):
        yield parse_html(text, path=path)
    else:
        yield parse_text(text, path=path)


def decode(path: Path) -> str:
    """The file's text; UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(f"{path}: cannot read ({exc.strerror})") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableDocumentError(f"{path}: invalid UTF-16 ({exc.reason})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(
            f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from exc


def parse_text(text: str, *, path: Path) -> Document:
    """A ``.txt``/``.md`` document with an optional YAML front-matter block.

    The front matter is blanked out rather than cut, so offsets stay those of the file.
    """
    meta: dict[str, object] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise UnreadableDocumentError(f"{path}: front matter is not valid YAML ({exc})") from exc
        if isinstance(loaded, dict):
            meta = loaded
        text = _blank(text, match.end())
    return _document(text, meta, path=path, doc_id=path.stem)


def _blank(text: str, end: int) -> str:
    """Replace ``text[:end]`` with spaces, keeping newlines, so offsets do not move."""
    head = "".join(c if c in "\r\n" else " " for c in text[:end])
    return head + text[end:]


def parse_jsonl(text: str, *, path: Path) -> Iterator[Document | SkippedDocument]:
    """One document per JSON line with ``text`` and optional ``title``, ``url``, ``published``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SkippedDocument(where, f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield SkippedDocument(where, "record has no 'text' string")
            continue
        doc_id = str(record.get("id") or f"{path.stem}-{number}")
        try:
            yield _document(record["text"], record, path=path, doc_id=doc_id, where=where)
        except UnreadableDocumentError as exc:
            yield SkippedDocument(where, str(exc))


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, plus its title and publication metadata."""

    _SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "header", "footer", "blockquote", "pre", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = a.get("property") or a.get("name") or ""
            if key and "content" in a:
                self.meta[key.lower()] = a["content"]
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)


def parse_html(text: str, *, path: Path) -> Document:
    """The visible text of an HTML page; offsets refer to that extracted text."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    body = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    body = re.sub(r" ?\n[ \n]*", "\n\n", body).strip()
    meta: dict[str, object] = {
        "title": html.unescape(" ".join("".join(parser.title_parts).split()))
        or parser.meta.get("og:title", ""),
        "url": parser.meta.get("og:url", ""),
        "published": parser.meta.get("article:published_time") or parser.meta.get("date") or "",
    }
    return _document(body, meta, path=path, doc_id=path.stem)


def _document(text: str, meta: dict, *, path: Path, doc_id: str, where: str | None = None) -> Document:
    where = where or str(path)
    published = parse_published(meta.get("published") or meta.get("date"), where=where)
    extra = {k: str(v) for k, v in meta.items()
             if k not in ("text", "title", "url", "published", "date") and v is not None}
    return Document(
        doc_id=doc_id,
        text=text,
        title=str(meta.get("title") or ""),
        url=str(meta.get("url") or meta.get("source_url") or ""),
        published=published,
        source_path=str(path),
        metadata=extra,
    )


def parse_published(value: object, *, where: str) -> dt.date | None:
    """A publication date from metadata: a date, or an ISO 8601 date or datetime string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise UnreadableDocumentError(
            f"{where}: published date {text!r} is not an ISO date (YYYY-MM-DD)") from exc
