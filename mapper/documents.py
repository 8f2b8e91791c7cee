"""Read documents: plain text, Markdown, HTML and JSON Lines, with their metadata.

Metadata (title, published date, source URL) comes from a YAML front-matter block in
``.txt``/``.md`` files, from ``<title>``/``<meta>`` in HTML, or from the ``title``, ``url``
and ``published`` fields of a JSON Lines record.

Input is untrusted and often broken; the policy (tested on ``tests/data/hostile``):

- Nothing is lost silently: an input that cannot be read becomes a ``SkippedDocument`` with
  the reason; a repair (another encoding, removed invisible characters, a bad date or URL
  ignored) is kept and listed in ``Document.metadata["warnings"]``.
- Encodings: UTF-8 (BOM optional); UTF-16/32 with a BOM; UTF-8 with a few damaged bytes is
  decoded with U+FFFD in their place; other text (Latin-1, Windows-1252/1256, ...) is decoded
  with the encoding ``charset-normalizer`` detects. Binary files (PNG, ZIP, PDF, NUL bytes)
  and text in no known encoding are skipped.
- Size: a ``.txt``/``.md``/``.html`` file, or one JSON Lines record, above ``max_bytes``
  (default ``MAX_DOCUMENT_BYTES``, 16 MiB) is skipped unread; JSON Lines files of any size
  are streamed one record at a time.
- Invisible characters (Unicode format characters: zero-width spaces and joiners, bidi marks
  and overrides, soft hyphens, BOMs) are removed, so "Bag\\u200bhdad" reads "Baghdad" and no
  right-to-left override reaches a map or a CSV; control characters become spaces. Offsets
  (``PlaceMention.start``/``end``) refer to ``Document.text``, the decoded and cleaned text.
- HTML is parsed by libxml2 (lxml) as a stream of events: linear time on malformed markup,
  no recursion on deep nesting; script, style and other invisible elements are dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import re
import stat
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import yaml
from lxml import etree

from mapper.errors import InputError, UnreadableDocumentError
from mapper.model import Document, SkippedDocument

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_DOCUMENT_BYTES = 16 * 2**20
"""Largest document read (one file, or one JSON Lines record), in bytes."""
MAX_TITLE_CHARS = 500
MAX_META_CHARS = 2_000
MAX_ID_CHARS = 200
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER_MAX = 64 * 1024

# File signatures of binary formats people save under a text name.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, DOCX, XLSX or EPUB"), (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"), (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"), (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE file (old Word/Excel)"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\x7fELF", "ELF executable"),
)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
)
_CONTROL_BYTES = bytes([*range(9), 0x0B, *range(0x0E, 0x20), 0x7F])
_CONTROLS, _SURROGATES, _ASTRALS = r"\x00-\x08\x0b\x0e-\x1f\x7f-\x9f", r"\ud800-\udfff", r"\U00010000-\U0010ffff"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_SURROGATE = re.compile(f"[{_SURROGATES}]")
_ASTRAL = re.compile(f"[{_ASTRALS}]")  # beyond the Basic Multilingual Plane
_UNUSUAL = re.compile(f"[{_CONTROLS}{_SURROGATES}{_ASTRALS}]")
_NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f\ufffd]")
_WEB_URL = re.compile(r"\Ahttps?://[^/?#\s]", re.IGNORECASE)
_URL_SAFE = "/:?#[]@!$&()*+,;=%~"


class _Unreadable(Exception):
    """Internal: why an input (file or record) cannot become a document."""


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding used, and what had to be repaired."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- inputs


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    published: dt.date | None = None,
    strict: bool = False,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[Document | SkippedDocument]:
    """Yield every document under ``inputs`` (files or folders) in path order.

    ``published`` fills in the publication date of documents that carry none. An input
    that cannot be read is yielded as a ``SkippedDocument``; with ``strict`` the first one
    raises ``UnreadableDocumentError`` instead. Document ids are made unique
    (a repeated id gets ``-2``, ``-3``, ... and a warning).
    """
    seen: dict[str, str] = {}
    for path in expand_inputs(inputs):
        try:
            items = read_file(path, max_bytes=max_bytes)
            for item in items:
                if isinstance(item, SkippedDocument):
                    if strict:
                        raise UnreadableDocumentError(f"{item.source_path}: {item.reason}")
                    yield item
                    continue
                yield _finish(item, seen=seen, published=published)
        except UnreadableDocumentError as exc:
            if strict:
                raise
            yield SkippedDocument(str(path), _reason(exc, path))


def _reason(exc: Exception, path: Path) -> str:
    """The message of ``exc`` without the leading ``path:`` (the report names the path apart)."""
    message = str(exc)
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _finish(doc: Document, *, seen: dict[str, str], published: dt.date | None) -> Document:
    """Give ``doc`` a unique id and the default publication date."""
    meta = dict(doc.metadata)
    doc_id = doc.doc_id
    if doc_id in seen:
        n = 2
        while f"{doc_id}-{n}" in seen:
            n += 1
        _warn(meta, f"document id {doc_id!r} already used by {seen[doc_id]}; renamed {doc_id}-{n}")
        doc_id = f"{doc_id}-{n}"
    seen[doc_id] = doc.source_path
    date = doc.published
    if date is None and published is not None:
        date = published
        meta["published_from"] = "--published"
    if doc_id == doc.doc_id and date == doc.published and meta == doc.metadata:
        return doc
    return Document(doc_id, doc.text, doc.title, doc.url, date, doc.source_path, meta)


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named directly, plus files with a known suffix found under named folders.

    The result is sorted and free of repeats, so the order of arguments and of files on
    disk does not matter. Under folders, hidden files and folders (``.name``) are left out
    and symbolic links to folders are not followed (no loops). A missing input, or one that
    is not a regular file or folder (a FIFO, a device), raises ``InputError``.
    """
    found: dict[Path, Path] = {}
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                        child = Path(folder, name)
                        found.setdefault(_identity(child), child)
        elif path.exists():
            if not path.is_file():
                raise InputError(f"{path}: not a regular file or folder")
            found.setdefault(_identity(path), path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return sorted(found.values(), key=str)


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


# ---------------------------------------------------------------- files


def read_file(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES
              ) -> Iterator[Document | SkippedDocument]:
    """Read one file into documents (several for JSON Lines).

    Raises ``UnreadableDocumentError`` (naming the file) when the whole file cannot be read;
    a bad JSON Lines record is yielded as a ``SkippedDocument`` naming ``file:line``.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableDocumentError(f"{path}: cannot read ({exc.strerror})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocumentError(f"{path}: not a regular file")
    if path.suffix.lower() == ".jsonl":
        try:
            with path.open("rb") as fh:
                yield from parse_jsonl_stream(fh, path=path, max_bytes=max_bytes)
        except OSError as exc:
            raise UnreadableDocumentError(f"{path}: cannot read ({exc.strerror})") from exc
        return
    if info.st_size > max_bytes:
        raise UnreadableDocumentError(f"{path}: {_too_big(info.st_size, max_bytes)}")
    try:
        with path.open("rb") as fh:
            raw = fh.read(min(info.st_size, max_bytes) + 1)  # read(n) allocates n bytes
    except OSError as exc:
        raise UnreadableDocumentError(f"{path}: cannot read ({exc.strerror})") from exc
    if len(raw) > max_bytes:
        raise UnreadableDocumentError(f"{path}: {_too_big(len(raw), max_bytes)}")
    yield from read_bytes(raw, path=path, max_bytes=max_bytes)


def read_bytes(raw: bytes, *, path: Path, max_bytes: int = MAX_DOCUMENT_BYTES
               ) -> Iterator[Document | SkippedDocument]:
    """Documents from the bytes of a file named ``path`` (its suffix picks the format).

    Raises ``UnreadableDocumentError`` when the bytes are not a readable document.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from parse_jsonl_stream(io.BytesIO(raw), path=path, max_bytes=max_bytes)
        return
    try:
        decoded = decode_bytes(raw)
        if suffix in (".html", ".htm"):
            doc = parse_html(decoded.text, path=path)
        else:
            doc = parse_text(decoded.text, path=path)
    except _Unreadable as exc:
        raise UnreadableDocumentError(f"{path}: {exc}") from None
    yield _with_decoding(doc, decoded)


def text_from_bytes(raw: bytes, *, name: str) -> str:
    """The cleaned text of one plain-text input (as ``.txt`` documents are read, no front
    matter), for commands that take a single text; ``UnreadableDocumentError`` names ``name``."""
    if not raw:
        return ""
    try:
        return clean_text(decode_bytes(raw).text)[0]
    except _Unreadable as exc:
        raise UnreadableDocumentError(f"{name}: {exc}") from None


def _too_big(size: int, limit: int) -> str:
    return (f"{size / 2**20:.1f} MiB is above the {limit / 2**20:g} MiB limit for one document "
            "(split it into articles, e.g. one JSON Lines record each)")


def _with_decoding(doc: Document, decoded: Decoded) -> Document:
    meta = {"encoding": decoded.encoding, **doc.metadata}
    for warning in reversed(decoded.warnings):
        _warn(meta, warning, first=True)
    return Document(doc.doc_id, doc.text, doc.title, doc.url, doc.published, doc.source_path, meta)


def _warn(meta: dict[str, str], warning: str, *, first: bool = False) -> None:
    """Add ``warning`` to ``meta["warnings"]`` (one warning a line)."""
    old = meta.get("warnings", "")
    parts = [warning, old] if first else [old, warning]
    meta["warnings"] = "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- decoding


def _decode_marked(raw: bytes) -> tuple[str, str] | None:
    """Text and encoding of bytes that start with a byte order mark; ``None`` without one.

    FF FE 00 00 is UTF-32LE's mark but also UTF-16LE's mark before a NUL character: of the
    encodings whose mark matches, the first that decodes without error wins.
    """
    marked = [encoding for bom, encoding in _BOMS if raw.startswith(bom)]
    for encoding in marked:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(encoding), encoding
    return (raw.decode(marked[0], errors="replace"), marked[0]) if marked else None


def decode_bytes(raw: bytes) -> Decoded:
    """Decode the bytes of a text document, repairing what can be repaired (see module doc).

    Raises ``_Unreadable`` with the reason for empty, binary or undecodable bytes.
    """
    if not raw:
        raise _Unreadable("empty file")
    marked = _decode_marked(raw)
    if marked is not None:
        text, encoding = marked
        return _checked(Decoded(text, encoding.removesuffix("-sig"), _replaced(text)))
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise _Unreadable(f"binary file ({kind}), not text")
    if b"\x00" in raw:
        guess = _detect(raw)
        if guess is None or not guess.startswith(("utf_16", "utf_32")):
            raise _Unreadable("binary file (contains NUL bytes), not text")
        text = raw.decode(guess, errors="replace")
        return _checked(Decoded(text, guess, [f"no byte order mark; decoded as {guess} (detected)"]))
    try:
        return _checked(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
        why = exc.reason
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    if len(_NON_ASCII_TEXT.findall(text)) >= bad:  # mostly UTF-8, a few damaged bytes
        return _checked(Decoded(text, "utf-8", [
            f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte {first_bad})"]))
    guess = _detect(raw)
    if guess is None:
        raise _Unreadable(f"not UTF-8 (byte {first_bad}: {why}) and no other encoding fits")
    text = raw.decode(guess, errors="replace")
    return _checked(Decoded(text, guess, [f"not UTF-8; decoded as {guess} (detected)"]))


def _detect(raw: bytes) -> str | None:
    """The encoding ``charset-normalizer`` finds most plausible for ``raw``, if any.

    Bytes with many C0 control codes are binary in every single-byte encoding; they are
    refused before the (comparatively slow) detection runs.
    """
    sample = raw[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.05 * len(sample) and b"\x00" not in sample:
        raise _Unreadable(f"binary data ({100 * controls // len(sample)}% control bytes), not text")
    best = charset_normalizer.from_bytes(raw).best()
    return None if best is None else str(best.encoding)


def _replaced(text: str) -> list[str]:
    n = text.count("\ufffd")
    return [f"{n} undecodable byte sequence(s) replaced by U+FFFD"] if n > 0 else []


def _checked(decoded: Decoded) -> Decoded:
    """Refuse decoded "text" that is mostly control characters (binary data in disguise)."""
    text = decoded.text
    controls = len(_CONTROL.findall(text, 0, 65536))
    sample = min(len(text), 65536)
    if sample and controls > 0.05 * sample:
        raise _Unreadable(f"binary data ({100 * controls // sample}% control characters), not text")
    return decoded


@functools.cache
def _invisible(*, astral: bool) -> re.Pattern[str]:
    """The Unicode format characters (category Cf) as one character class, those beyond the
    Basic Multilingual Plane only if ``astral``: a class of BMP characters alone compiles to a
    lookup table, which scans text ~7x faster (and ``str.translate`` is slower still)."""
    limit = 0x110000 if astral else 0x10000
    runs: list[list[int]] = []
    for c in range(limit):
        if unicodedata.category(chr(c)) != "Cf":
            continue
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]")


def clean_text(text: str) -> tuple[str, list[str]]:
    """``text`` without invisible format characters, with controls as spaces; and warnings.

    Lone surrogates (possible in JSON strings) become U+FFFD, so the text always encodes.
    """
    warnings = []
    unusual = _UNUSUAL.search(text) is not None  # one scan; most texts have none of these
    if unusual:
        text, n = _SURROGATE.subn("\ufffd", text)
        if n:
            warnings.append(f"{n} lone surrogate(s) replaced by U+FFFD")
        text, n = _CONTROL.subn(" ", text)
        if n:
            warnings.append(f"{n} control character(s) replaced by spaces")
    invisible = _invisible(astral=unusual and _ASTRAL.search(text) is not None)
    cleaned, n = invisible.subn("", text)
    if n:
        kinds = sorted(set(invisible.findall(text)))
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in kinds[:4])
        more = ", ..." if len(kinds) > 4 else ""
        warnings.append(f"removed {n} invisible character(s) ({names}{more})")
    return cleaned, warnings


def _line(text: str, limit: int) -> str:
    """One-line version of a metadata string, at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---------------------------------------------------------------- formats


def parse_text(text: str, *, path: Path) -> Document:
    """A ``.txt``/``.md`` document with an optional YAML front-matter block.

    The front matter is blanked out rather than cut, so offsets stay those of the text.
    A leading ``---`` block that is not a YAML mapping stays in the text, with a warning.
    """
    text, warnings = clean_text(text)
    meta: dict[Any, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        block = match.group(1)
        loaded: object = None
        problem = "not a mapping of fields"
        if len(block) > _FRONT_MATTER_MAX:
            problem = f"longer than {_FRONT_MATTER_MAX // 1024} KiB"
        else:
            try:
                loaded = yaml.safe_load(block)
            except Exception as exc:  # untrusted YAML: any failure (ValueError, RecursionError)
                problem = f"not valid YAML ({_line(str(exc), 200)})"
        if isinstance(loaded, dict):
            meta = loaded
            text = _blank(text, match.end())
        else:
            warnings.append(f"leading '---' block read as text: {problem}")
    if not text.strip():
        raise _Unreadable("no text (empty or whitespace only)")
    return _document(text, meta, path=path, doc_id=path.stem, warnings=warnings)


def _blank(text: str, end: int) -> str:
    """Replace ``text[:end]`` with spaces, keeping newlines, so offsets do not move."""
    head = "".join(c if c in "\r\n" else " " for c in text[:end])
    return head + text[end:]


def parse_jsonl_stream(fh: IO[bytes], *, path: Path, max_bytes: int = MAX_DOCUMENT_BYTES
                       ) -> Iterator[Document | SkippedDocument]:
    """One document per JSON line with ``text`` and optional ``id``, ``title``, ``url``,
    ``published``; read one line at a time, so a file may be of any size.

    A bad line is yielded as a ``SkippedDocument`` naming ``file:line`` and the problem; the
    lines after it are read as usual. A file without any record raises
    ``UnreadableDocumentError``.
    """
    origin = fh.tell()
    head = fh.read(4)
    fh.seek(origin)
    if head.startswith(b"\xef\xbb\xbf"):
        fh.seek(origin + 3)
    elif any(head.startswith(bom) for bom, _ in _BOMS):
        data = fh.read(max_bytes + 1)  # UTF-16/32: decode the whole file, then read lines
        if len(data) > max_bytes:
            raise UnreadableDocumentError(
                f"{path}: JSON Lines in UTF-16/32 above {max_bytes / 2**20:g} MiB; "
                "convert it to UTF-8")
        text, _ = _decode_marked(data) or ("", "")  # never None: the head has a mark
        fh = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    records = 0
    number = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            break
        number += 1
        where = f"{path}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while chunk := fh.readline(2**20):  # skip the rest of the oversized line
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield SkippedDocument(where, _too_big(size, max_bytes))
            continue
        if not line.strip():
            continue
        records += 1
        try:
            yield _record(line, path=path, number=number)
        except _Unreadable as exc:
            yield SkippedDocument(where, str(exc))
    if not records:
        raise UnreadableDocumentError(f"{path}: empty file (no JSON Lines records)")


def _record(line: bytes, *, path: Path, number: int) -> Document:
    """The document of one JSON Lines record."""
    decoded = decode_bytes(line)
    try:
        record = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"invalid JSON at column {exc.colno}: {exc.msg.removesuffix(' at')}"
                          ) from None
    except (ValueError, RecursionError) as exc:
        raise _Unreadable(f"invalid JSON ({_line(str(exc), 200)})") from None
    if not isinstance(record, dict):
        raise _Unreadable(f"record is a JSON {type(record).__name__}, not an object with 'text'")
    if not isinstance(record.get("text"), str):
        raise _Unreadable("record has no 'text' string")
    text, warnings = clean_text(record["text"])
    if not text.strip():
        raise _Unreadable("no text (empty or whitespace only)")
    raw_id = record.get("id")
    doc_id = _line(clean_text(str(raw_id))[0], MAX_ID_CHARS) if isinstance(raw_id, (str, int)) else ""
    if raw_id is not None and not doc_id:
        warnings.append(f"'id' {_line(repr(raw_id), 60)} is not a usable id; using line number")
    meta = {k: v for k, v in record.items() if k not in ("text", "id")}
    doc = _document(text, meta, path=path, doc_id=doc_id or f"{path.stem}-{number}",
                    warnings=warnings, where=f"{path}:{number}")
    return _with_decoding(doc, decoded)


class _HtmlText:
    """lxml parser target collecting the visible text, the title and ``<meta>`` fields."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "head",
                       "iframe", "object", "embed", "canvas", "select", "textarea"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "section", "article", "header", "footer", "blockquote", "pre", "ul",
                        "ol", "table", "td", "th", "dd", "dt", "figcaption", "hr", "main"})

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = 0

    def start(self, tag: Any, attrib: Mapping[str, str]) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag == "title":
            self._in_title += 1
        elif tag == "meta":
            key = attrib.get("property") or attrib.get("name") or attrib.get("itemprop") or ""
            if key and "content" in attrib:
                self.meta.setdefault(key.lower(), attrib["content"])
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def end(self, tag: Any) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag == "title" and self._in_title:
            self._in_title -= 1
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)

    def comment(self, text: str) -> None:
        """Comments are not text."""

    def close(self) -> None:
        """Nothing to build: the parts are read from the target."""


def parse_html(text: str, *, path: Path) -> Document:
    """The visible text of an HTML page; offsets refer to that extracted text."""
    text, warnings = clean_text(text)
    target = _HtmlText()
    parser = etree.HTMLParser(target=target, recover=True, no_network=True, huge_tree=True,
                              remove_comments=True, remove_pis=True)
    try:
        parser.feed(text)
        parser.close()
    except etree.LxmlError as exc:
        raise _Unreadable(f"not parseable as HTML ({_line(str(exc), 200)})") from None
    body = re.sub(r"[ \t\r\f\v]+", " ", "".join(target.parts))
    body = re.sub(r" ?\n[ \n]*", "\n\n", body).strip()
    body, more = clean_text(body)  # character references may spell invisible characters
    if not body.strip():
        raise _Unreadable("no visible text in the HTML")
    meta: dict[str, Any] = {
        "title": "".join(target.title_parts).strip() or target.meta.get("og:title", ""),
        "url": target.meta.get("og:url", ""),
        "published": target.meta.get("article:published_time") or target.meta.get("date")
        or target.meta.get("datepublished") or "",
    }
    return _document(body, meta, path=path, doc_id=path.stem, warnings=warnings + more)


# ---------------------------------------------------------------- metadata


def _document(text: str, meta: Mapping[Any, Any], *, path: Path, doc_id: str,
              warnings: list[str], where: str | None = None) -> Document:
    """A ``Document`` from text and raw metadata; bad metadata is dropped with a warning."""
    where = where or str(path)
    warnings = list(warnings)
    fields: dict[str, str] = {}
    ignored = []
    for key, value in meta.items():
        name = _line(clean_text(str(key))[0], 100)
        shown = _scalar(value)
        if shown is None:
            ignored.append(repr(name))
        elif name:
            fields[name] = shown
    if ignored:
        warnings.append(f"metadata field(s) {', '.join(ignored[:10])} ignored: "
                        "not a text, number or date")
    published = None
    raw_date = meta.get("published") if meta.get("published") not in (None, "") else meta.get("date")
    try:
        published = parse_published(raw_date, where=where)
    except UnreadableDocumentError:
        warnings.append(f"published date {_line(str(raw_date), 60)!r} ignored: not an ISO date "
                        "(YYYY-MM-DD)")
    url = fields.get("url") or fields.get("source_url") or ""
    if url and not _WEB_URL.match(url):
        warnings.append(f"url {_line(url, 60)!r} ignored: not an http(s) address")
        url = ""
    url = urllib.parse.quote(url, safe=_URL_SAFE)  # no quote, bracket or space survives
    title = _line(fields.get("title", ""), MAX_TITLE_CHARS)
    extra = {k: v for k, v in fields.items()
             if k not in ("text", "title", "url", "source_url", "published", "date", "warnings")}
    if warnings:
        extra["warnings"] = "\n".join(warnings)
    return Document(doc_id=doc_id, text=text, title=title, url=url, published=published,
                    source_path=where, metadata=extra)


def _scalar(value: object) -> str | None:
    """A metadata value as one cleaned line of text; ``None`` for lists, mappings and nulls."""
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, int) and abs(value) >= 10**100:  # str() of a huge int may raise
        return None
    elif isinstance(value, (str, int, float, dt.date)):
        text = str(value)
    else:
        return None
    return _line(clean_text(text)[0], MAX_META_CHARS)


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
            f"{where}: published date {text[:60]!r} is not an ISO date (YYYY-MM-DD)") from exc
