"""The user layer: GeoNames dumps a user imports, kept in SQLite over the default index.

``import_files`` streams GeoNames files (the 19-column ``geoname`` layout of ``IQ.txt``,
``allCountries.txt``, ``cities1000.txt``; and ``alternateNamesV2.txt``, 10 columns, or the
older 8-column ``alternateNames.txt``; plain or ``.zip``) into
``<cache>/gazetteer-user.sqlite`` in batches, so memory stays bounded whatever the file size.
A file is imported in one transaction: a malformed row aborts it with the file and line named
(or, with ``skip_bad``, is counted and reported) and nothing of that file is kept.
"""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from gazetteer import index as index_mod
from gazetteer import sources
from gazetteer.errors import GazetteerDataError
from gazetteer.normalize import name_key

if TYPE_CHECKING:
    from gazetteer.core import Gazetteer, Place

GEONAME_COLUMNS = 19
ALT_COLUMNS = (8, 10)
BATCH = 5000
# alternateNames "languages" that are codes or links, not names.
SKIP_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc",
                            "phon", "piny", "tcid", "fr_1793"})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS place (
    place_id TEXT PRIMARY KEY, name TEXT NOT NULL, fclass TEXT, fcode TEXT, cc TEXT,
    admin1_code TEXT, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER,
    source TEXT);
CREATE TABLE IF NOT EXISTS name (
    key TEXT NOT NULL, place_id TEXT NOT NULL, how INTEGER NOT NULL,
    PRIMARY KEY (key, place_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS import (
    path TEXT, kind TEXT, rows INTEGER, skipped INTEGER, seconds REAL, imported_at TEXT);
"""


def default_path() -> Path:
    """Where the user layer lives: ``<cache>/gazetteer-user.sqlite``."""
    return index_mod.cache_root() / "gazetteer-user.sqlite"


@dataclass
class ImportReport:
    """What one imported file contributed."""

    path: str
    kind: str  # geoname | alternate_names
    rows: int = 0
    names: int = 0  # lookup keys written (names and their article variants)
    skipped: int = 0
    errors: list[str] = field(default_factory=list)  # the first few skipped rows, with lines
    seconds: float = 0.0


class UserLayer:
    """Imported GeoNames places and names (SQLite, indexed by folded key)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    @classmethod
    def open_default(cls) -> UserLayer | None:
        """The default user layer if the user imported something, else None."""
        path = default_path()
        return cls(path) if path.exists() else None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM place").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    @staticmethod
    def _row_place(row: Iterable[Any]) -> Place:
        from gazetteer.core import Place

        pid, name, fclass, fcode, cc, a1code, a1, lat, lon, pop, src = row
        gid = pid[3:] if pid.startswith("gn:") else ""
        return Place(pid, name, fclass or "", fcode or "", cc or "", a1 or "", lat, lon, pop or 0,
                     src or "", a1code or "", int(gid) if gid.isdigit() else None)

    def get(self, place_id: str) -> Place | None:
        row = self._db.execute("SELECT * FROM place WHERE place_id = ?", (place_id,)).fetchone()
        return None if row is None else self._row_place(row)

    def lookup(self, variants: list[tuple[str, int]]) -> list[tuple[Place, int, int]]:
        """(place, how, article flag) for every imported name equal to one of the keys."""
        flags = dict(variants)
        marks = ",".join("?" * len(flags))
        rows = self._db.execute(
            f"SELECT n.key, n.how, p.* FROM name n JOIN place p USING (place_id) WHERE n.key IN ({marks})",
            list(flags)).fetchall()
        best: dict[str, tuple[Place, int, int]] = {}
        for key, how, *rest in rows:
            place = self._row_place(rest)
            old = best.get(place.place_id)
            if old is None or (how | flags[key]) < (old[1] | old[2]):
                best[place.place_id] = (place, how, flags[key])
        return list(best.values())

    def names(self) -> Iterator[tuple[str, int, str, int]]:
        """(key, max population, feature classes, number of places) per imported key."""
        yield from self._db.execute(
            "SELECT n.key, max(coalesce(p.population, 0)), group_concat(DISTINCT p.fclass), count(*) "
            "FROM name n JOIN place p USING (place_id) GROUP BY n.key")

    def info(self) -> dict[str, Any]:
        files = [dict(zip(("path", "kind", "rows", "skipped", "seconds", "imported_at"), r, strict=True))
                 for r in self._db.execute("SELECT * FROM import ORDER BY rowid")]
        return {"path": str(self.path), "bytes": self.path.stat().st_size, "places": len(self),
                "names": int(self._db.execute("SELECT count(*) FROM name").fetchone()[0]),
                "files": files}

    # -- import -----------------------------------------------------------------------------

    def import_files(self, paths: Iterable[Path], *, base: Gazetteer | None = None,
                     skip_bad: bool = False,
                     progress: Callable[[str, int, int], None] = lambda _p, _d, _t: None) -> list[ImportReport]:
        """Import GeoNames files in order (put geoname files before their alternate names)."""
        admin1 = sources.admin1_names()
        reports = []
        for path in paths:
            path = Path(path)
            with _open_text(path) as (fh, total):
                kind = _detect(path)
                report = ImportReport(str(path), kind)
                started = time.perf_counter()
                try:
                    with self._db:
                        if kind == "geoname":
                            self._import_geonames(path, fh, total, admin1, report, skip_bad, progress)
                        else:
                            self._import_alternates(path, fh, total, base, report, skip_bad, progress)
                        report.seconds = round(time.perf_counter() - started, 2)
                        self._db.execute("INSERT INTO import VALUES (?,?,?,?,?,datetime('now'))",
                                         (report.path, kind, report.rows, report.skipped, report.seconds))
                except sqlite3.Error as exc:
                    raise GazetteerDataError(f"{path}: cannot write the user layer {self.path}: {exc}") from exc
            reports.append(report)
        return reports

    def _insert_names(self, pending: list[tuple[str, str, int]], report: ImportReport) -> None:
        report.names += len(pending)
        self._db.executemany(
            "INSERT INTO name VALUES (?,?,?) ON CONFLICT(key, place_id) DO UPDATE SET how = min(how, excluded.how)",
            pending)
        pending.clear()

    def _import_geonames(self, path: Path, fh: IO[str], total: int, admin1: dict[str, str],
                         report: ImportReport, skip_bad: bool,
                         progress: Callable[[str, int, int], None]) -> None:
        places: list[tuple[Any, ...]] = []
        names: list[tuple[str, str, int]] = []
        for line_no, line in enumerate(fh, start=1):
            try:
                rec = parse_geoname(line)
            except ValueError as exc:
                _bad(report, f"{path}, line {line_no}: {exc}", skip_bad)
                continue
            if rec is None:
                continue
            pid = f"gn:{rec['geonameid']}"
            a1 = f"{rec['cc']}.{rec['admin1']}" if rec["admin1"] else ""
            places.append((pid, rec["name"], rec["fclass"], rec["fcode"], rec["cc"], a1,
                           admin1.get(a1, ""), rec["lat"], rec["lon"], rec["population"], "geonames-import"))
            for nm, how in rec["names"]:
                names += _keys(nm, how, pid)
            report.rows += 1
            if len(places) >= BATCH:
                self._insert_places(places, names, report)
                progress(str(path), _tell(fh), total)
        self._insert_places(places, names, report)
        progress(str(path), total, total)

    def _insert_places(self, places: list[tuple[Any, ...]], names: list[tuple[str, str, int]],
                       report: ImportReport) -> None:
        """Write a batch of places and their names, then empty the batch."""
        self._db.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
        places.clear()
        self._insert_names(names, report)

    def _import_alternates(self, path: Path, fh: IO[str], total: int, base: Gazetteer | None,
                           report: ImportReport, skip_bad: bool,
                           progress: Callable[[str, int, int], None]) -> None:
        names: list[tuple[str, str, int]] = []
        known: dict[str, bool] = {}
        for line_no, line in enumerate(fh, start=1):
            try:
                rec = parse_alternate_name(line)
            except ValueError as exc:
                _bad(report, f"{path}, line {line_no}: {exc}", skip_bad)
                continue
            if rec is None:
                continue
            pid = f"gn:{rec[0]}"
            if pid not in known:
                known[pid] = self._ensure_place(pid, base)
            if known[pid]:
                names += _keys(rec[1], sources.HOW_ALTERNATE, pid)
            report.rows += 1
            if len(names) >= BATCH:
                self._insert_names(names, report)
                progress(str(path), _tell(fh), total)
            if len(known) > 200_000:  # bounded memory on alternateNamesV2 (~15M rows)
                known.clear()
        self._insert_names(names, report)
        progress(str(path), total, total)

    def _ensure_place(self, pid: str, base: Gazetteer | None) -> bool:
        """Whether ``pid`` is a known place (copying it from the default index if needed)."""
        if self._db.execute("SELECT 1 FROM place WHERE place_id = ?", (pid,)).fetchone():
            return True
        place = base.get(pid) if base is not None else None
        if place is None:
            return False
        self._db.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         (pid, place.name, place.feature_class, place.feature_code, place.country_code,
                          place.admin1_code, place.admin1, place.lat, place.lon, place.population,
                          place.source))
        return True


def _keys(name: str, how: int, pid: str) -> list[tuple[str, str, int]]:
    key = name_key(name)
    if len(key) < 2:
        return []
    return [(key, pid, how)] + [(v, pid, how | 4) for v in index_mod.key_variants(key)]


def _bad(report: ImportReport, message: str, skip_bad: bool) -> None:
    if not skip_bad:
        raise GazetteerDataError(message + " (use --skip-bad to skip and count such rows)")
    report.skipped += 1
    if len(report.errors) < 10:
        report.errors.append(message)


def _tell(fh: IO[str]) -> int:
    raw = getattr(fh, "buffer", None)
    try:
        return int(raw.tell()) if raw is not None else 0
    except (OSError, ValueError):
        return 0


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[IO[str], int]]:
    """The text stream of a GeoNames file (plain or the one .txt inside a .zip), and its size."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.infolist() if m.filename.endswith(".txt")
                           and "readme" not in m.filename.lower()]
                if len(members) != 1:
                    raise GazetteerDataError(f"{path}: expected one GeoNames .txt inside the zip, "
                                             f"found {[m.filename for m in members]}")
                with zf.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n"), members[0].file_size
            return
        with path.open(encoding="utf-8", newline="\n") as fh:
            yield fh, path.stat().st_size
    except FileNotFoundError:
        raise GazetteerDataError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise GazetteerDataError(f"{path}: not UTF-8 text ({exc}); GeoNames dumps are UTF-8") from None


def _detect(path: Path) -> str:
    """alternate_names for ``alternateNames*`` files, else geoname."""
    return "alternate_names" if path.name.lower().startswith("alternatenames") else "geoname"


def parse_geoname(line: str) -> dict[str, Any] | None:
    """One row of the GeoNames ``geoname`` table (19 tab-separated columns); None if blank."""
    line = line.rstrip("\n").rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    cols = line.split("\t")
    if len(cols) != GEONAME_COLUMNS:
        raise ValueError(f"expected {GEONAME_COLUMNS} tab-separated columns (GeoNames geoname "
                         f"layout), found {len(cols)}")
    gid, name, ascii_name, alternates, lat_s, lon_s, fclass, fcode, cc, _cc2, admin1 = cols[:11]
    if not gid.isdigit():
        raise ValueError(f"geonameid {gid!r} is not a number")
    if not name.strip():
        raise ValueError("empty name")
    try:
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise ValueError(f"latitude/longitude {lat_s!r}/{lon_s!r} are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"latitude/longitude {lat}/{lon} out of range")
    if fclass and fclass not in "AHLPRSTUV":
        raise ValueError(f"feature class {fclass!r}; allowed A H L P R S T U V")
    pop_s = cols[14].strip()
    if pop_s and not pop_s.lstrip("-").isdigit():
        raise ValueError(f"population {pop_s!r} is not a number")
    names = [(name, sources.HOW_PRIMARY)]
    if ascii_name and ascii_name != name:
        names.append((ascii_name, sources.HOW_ALTERNATE))
    names += [(a, sources.HOW_ALTERNATE) for a in alternates.split(",")
              if a and not sources.CODE_LIKE.match(a)]
    return {"geonameid": int(gid), "name": name, "lat": lat, "lon": lon, "fclass": fclass,
            "fcode": fcode, "cc": cc, "admin1": admin1, "population": int(pop_s or 0),
            "names": names}


def parse_alternate_name(line: str) -> tuple[int, str] | None:
    """(geonameid, name) of one alternateNames row; None for blanks and code/link rows."""
    line = line.rstrip("\n").rstrip("\r")
    if not line.strip():
        return None
    cols = line.split("\t")
    if len(cols) not in ALT_COLUMNS:
        raise ValueError(f"expected {' or '.join(map(str, ALT_COLUMNS))} tab-separated columns "
                         f"(GeoNames alternateNames layout), found {len(cols)}")
    if not cols[1].isdigit():
        raise ValueError(f"geonameid {cols[1]!r} is not a number")
    if cols[2] in SKIP_LANGUAGES or not cols[3].strip():
        return None
    return int(cols[1]), cols[3]
