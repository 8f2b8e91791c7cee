"""The gazetteer: records, name search with ranking, reverse lookup and admin polygons.

Data: the default index (GeoNames cities500 with alternate names, countries, Natural Earth
admin-1, airports, the curated overlay; see ``gazetteer.index``) plus an optional user layer
of imported GeoNames dumps (``gazetteer.userlayer``). Coordinates are EPSG:4326; records and
results carry ``lat``/``lon`` by name, bounding boxes are ``(west, south, east, north)`` in
degrees (lon, lat order, as shapely's ``bounds``).
"""

from __future__ import annotations

import math
import struct
import threading
from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from gazetteer import index as index_mod
from gazetteer import ranking, sources
from gazetteer.errors import GazetteerDataError, GazetteerQueryError
from gazetteer.normalize import name_key, strip_article

if TYPE_CHECKING:
    import geopandas as gpd

    from gazetteer.userlayer import UserLayer

FEATURE_CLASSES = "AHLPRSTUV"
_NOT_REVERSE = frozenset({"CONT", "RGN"})  # feature codes reverse lookup never returns
_EARTH_KM = 6371.0088
# One packed record per index row: ranking kind, codes of feature class, feature code,
# country, admin-1 name and source; lat, lon, static score bonus; population, GeoNames id;
# byte bounds of the place id, name and admin-1 key in their blobs. Search reads a row with
# one ``unpack_from`` (one or two cache lines) where separate columns cost a miss each.
_ROW = struct.Struct("<6i3d2q6i")
_ROW_DTYPE = np.dtype([(f, "<i4") for f in ("kind", "fclass", "fcode", "cc", "admin1", "source")]
                      + [(f, "<f8") for f in ("lat", "lon", "bonus")]
                      + [(f, "<i8") for f in ("population", "geonames_id")]
                      + [(f, "<i4") for f in ("id0", "id1", "name0", "name1", "a1_0", "a1_1")])


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Place:
    """One gazetteer record. ``lat``/``lon`` in EPSG:4326.

    Slotted: a quarter of the memory of a ``__dict__`` record, and one object for the garbage
    collector instead of two (search may create hundreds of thousands).
    """

    place_id: str  # "gn:<geonameid>", "ne:<adm1_code>", "ap:<icao>", "ov:<slug>", "cc:<ISO2>"
    name: str
    feature_class: str  # GeoNames class: A (country, admin), P (populated), S (site), L (area), T
    feature_code: str  # GeoNames code: PCLI, ADM1, PPLC, PPLA, PPL, AIRB, AIRP, MILB, DIP, RGN, ...
    country_code: str  # ISO 3166-1 alpha-2
    admin1: str  # admin-1 name ("" when unknown)
    lat: float
    lon: float
    population: int = 0
    source: str = ""
    admin1_code: str = ""  # GeoNames admin-1 key, e.g. "IQ.01" ("" when unknown)
    geonames_id: int | None = None  # the GeoNames record this place is (countries, cities, continents)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Candidate:
    """A search hit: the place, how it matched, and a score in [0, 1] (higher is better)."""

    place: Place
    score: float
    matched: str
    how: str  # exact | alternate | article | fuzzy | overlay | country | admin1 | online

    def as_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "place_id": p.place_id, "name": p.name, "feature_class": p.feature_class,
            "feature_code": p.feature_code, "country_code": p.country_code, "admin1": p.admin1,
            "lat": p.lat, "lon": p.lon, "population": p.population, "score": round(self.score, 4),
            "matched": self.matched, "how": self.how, "source": p.source,
            "geonames_id": p.geonames_id,
        }


class NameEntry(NamedTuple):
    """One lookup key for recognisers: the folded key and what it can name.

    A named tuple: ``names()`` makes a million of them when a recogniser is built.
    """

    key: str
    max_population: int
    feature_classes: frozenset[str]
    n_places: int = 1
    is_admin1: bool = False  # the key is an admin-1 unit's own name (not a county's, a town's)


# Search fills the records it creates through the slots' own setters: the frozen dataclass
# ``__init__`` calls ``object.__setattr__`` once per field, several times slower. (Unpacking
# fails at import if a field is added, so the setters cannot fall out of step.)
_new = object.__new__
(_set_place_id, _set_name, _set_fclass, _set_fcode, _set_cc, _set_admin1, _set_lat, _set_lon,
 _set_population, _set_source, _set_admin1_code, _set_geonames_id) = (
    getattr(Place, f.name).__set__ for f in fields(Place))
_set_place, _set_score, _set_matched, _set_how = (getattr(Candidate, f.name).__set__ for f in fields(Candidate))


def _candidate(place: Place, score: float, matched: str, how: str) -> Candidate:
    """``Candidate(place, score, matched, how)``, built faster (equal to the constructed one)."""
    cand = _new(Candidate)
    _set_place(cand, place)
    _set_score(cand, score)
    _set_matched(cand, matched)
    _set_how(cand, how)
    return cand


@dataclass(frozen=True)
class ReverseResult:
    """Reverse lookup of a point: the nearest place and the admin units containing the point."""

    place: Place | None
    distance_km: float
    admin1: str  # admin-1 name ("" outside every admin-1 polygon)
    admin1_iso: str  # ISO 3166-2 code, e.g. "IQ-AN"
    country_code: str  # ISO 3166-1 alpha-2 of the containing polygon ("" at sea)

    def as_dict(self) -> dict[str, Any]:
        return {"place": None if self.place is None else Candidate(self.place, 1.0, "", "reverse").as_dict(),
                "distance_km": round(self.distance_km, 3), "admin1": self.admin1,
                "admin1_iso": self.admin1_iso, "country_code": self.country_code}


def haversine_km(lat1: float, lon1: float, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km (scalars or numpy arrays for the second point)."""
    p1, p2 = math.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - math.radians(lon1)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _check_country(country: str | None) -> str | None:
    if country is None:
        return None
    code = str(country).strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise GazetteerQueryError(f"country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. IQ, SY)")
    return code


def _check_classes(feature_class: str | Collection[str] | None) -> frozenset[str] | None:
    if feature_class is None:
        return None
    classes = frozenset(feature_class.upper() if isinstance(feature_class, str) else
                        (c.upper() for c in feature_class))
    bad = sorted(c for c in classes if c not in FEATURE_CLASSES or len(c) != 1)
    if bad or not classes:
        raise GazetteerQueryError(f"feature_class {feature_class!r}: allowed GeoNames classes are "
                                  f"{', '.join(FEATURE_CLASSES)}")
    return classes


def _check_bbox(bbox: Any) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise GazetteerQueryError(f"bbox {bbox!r}: expected (west, south, east, north) in degrees") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise GazetteerQueryError(f"bbox {bbox!r}: expected (west, south, east, north) with "
                                  "-180 <= lon <= 180 and -90 <= south <= north <= 90")
    return west, south, east, north


def _machine_array(typecode: str, values: np.ndarray) -> array[Any]:
    """A copy of a numpy array as an ``array.array`` (same item size and kind, checked)."""
    out = array(typecode)
    if out.itemsize != values.dtype.itemsize or (typecode == "d") != (values.dtype.kind == "f"):
        raise TypeError(f"array {typecode!r} holds {out.itemsize} bytes, numpy {values.dtype} {values.dtype.itemsize}")
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


def _in_bbox(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    in_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return south <= lat <= north and in_lon


class Gazetteer:
    """Offline gazetteer over the default index and an optional imported user layer."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, *, index_dir: Path | None = None, user_layer: UserLayer | bool | None = True) -> None:
        """Load the index in ``index_dir`` (default: the cache, built on first use).

        ``user_layer``: True loads the default imported layer when one exists, False none.
        """
        from gazetteer.userlayer import UserLayer

        directory = index_dir or index_mod.ensure_built()
        self._data = index_mod.load(directory)
        d = self._data
        self._cfg = dict(sources.ranking_config())
        self._cfg["focus_countries"] = frozenset(self._cfg["focus_countries"])
        # Sorted, looked up by bisection (no 1M-entry dict to build). A tuple of strings: the
        # garbage collector untracks it, where it would walk a list's million items in every
        # full collection.
        self._keys = d.keys
        self._offsets = d.offsets
        self._id_index: dict[str, int] | None = None
        v = d.vocab
        # Kind of each place (ranking.KINDS index), from its (feature code, source) pair.
        pairs = d.codes[:, 1].astype(np.int64) * 1000 + d.codes[:, 4]
        uniq, inverse = np.unique(pairs, return_inverse=True)
        kind_of = [ranking.KINDS.index(ranking.kind_of(v["fcode"][u // 1000], v["source"][u % 1000]))
                   for u in uniq.tolist()]
        # Per-place columns and the CSR postings as ``array.array``: indexing one gives a
        # Python number several times faster than numpy scalar access (search reads them for
        # every hit), and unlike lists of a quarter million numbers the garbage collector
        # never walks them.
        self._off = _machine_array("q", d.offsets)
        self._post_place = _machine_array("i", d.post_place)
        self._post_how = _machine_array("B", d.post_how)
        self._kind = _machine_array("q", np.asarray(kind_of, dtype=np.int64)[inverse])
        self._fclass, self._fcode, self._cc, self._admin1, self._source = (
            _machine_array("i", d.codes[:, j]) for j in range(5))
        self._lat, self._lon = _machine_array("d", d.lat), _machine_array("d", d.lon)
        self._pop, self._gn = _machine_array("q", d.population), _machine_array("q", d.geonames_id)
        focus_codes = [i for i, c in enumerate(v["cc"]) if c in self._cfg["focus_countries"]]
        focus = np.isin(d.codes[:, 2], focus_codes)
        self._bonus = _machine_array("d", ranking.static_bonus(d.population, focus, self._cfg))
        self._rows = self._pack_rows()
        self._blobs = (d.place_ids.blob, d.names.blob, d.admin1_keys.blob)
        self._vocab = tuple(v[k] for k in ("fclass", "fcode", "cc", "admin1", "source"))
        self._base = ranking.base_table(self._cfg)
        self._label = [[ranking.how_label(how, kind) for how in range(2 * ranking.ARTICLE_FLAG)]
                       for kind in ranking.KINDS]
        self._cc_code = {c: i for i, c in enumerate(v["cc"])}
        self._fclass_code = {c: i for i, c in enumerate(v["fclass"])}
        if isinstance(user_layer, bool):
            self.user = UserLayer.open_default() if user_layer else None
        else:
            self.user = user_layer
        self._reverse: tuple[Any, np.ndarray] | None = None
        self._fuzzy: dict[str, list[str]] | None = None
        self._places: dict[int, Place] = {}  # records built so far (immutable, so shared)
        # Results per (key, filters, limit): news repeats names, and candidates are immutable.
        self._cached_rank = lru_cache(maxsize=100_000)(self._rank_tuple)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide instance (built into the user cache on first use)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def reset_default(cls) -> None:
        """Forget the process-wide instance (after an import or a rebuild)."""
        with cls._lock:
            cls._default = None

    # -- records --------------------------------------------------------------------------

    def _place(self, i: int) -> Place:
        place = self._places.get(i)
        if place is None:
            place = self._places[i] = self._make_place(i)
        return place

    def _pack_rows(self) -> bytes:
        """The packed records of every row (``_ROW``), from the loaded columns."""
        d = self._data
        rows = np.empty(len(d.place_ids), dtype=_ROW_DTYPE)
        assert rows.itemsize == _ROW.size
        rows["kind"] = np.frombuffer(self._kind, dtype=np.int64)
        for j, field in enumerate(("fclass", "fcode", "cc", "admin1", "source")):
            rows[field] = d.codes[:, j]
        rows["lat"], rows["lon"], rows["population"], rows["geonames_id"] = d.lat, d.lon, d.population, d.geonames_id
        rows["bonus"] = np.frombuffer(self._bonus, dtype=np.float64)
        for column, field in ((d.place_ids, "id"), (d.names, "name"), (d.admin1_keys, "a1_")):
            starts, ends = column.bounds()
            if len(column.blob) >= 2**31:
                raise GazetteerDataError(f"{d.directory}: a string column of 2 GB or more")
            rows[f"{field}0"], rows[f"{field}1"] = starts, ends
        return rows.tobytes()

    def _make_place(self, i: int) -> Place:
        """The record of index row ``i`` (equal to ``Place(...)`` of the same values), read
        from the row's packed record; search builds one for every row it returns first."""
        (_kind, fclass, fcode, cc, admin1, source, lat, lon, _bonus, population, gn,
         id0, id1, name0, name1, a1_0, a1_1) = _ROW.unpack_from(self._rows, i * _ROW.size)
        v_fclass, v_fcode, v_cc, v_admin1, v_source = self._vocab
        id_blob, name_blob, a1_blob = self._blobs
        place = _new(Place)
        _set_place_id(place, id_blob[id0:id1].decode("utf-8"))
        _set_name(place, name_blob[name0:name1].decode("utf-8"))
        _set_fclass(place, v_fclass[fclass])
        _set_fcode(place, v_fcode[fcode])
        _set_cc(place, v_cc[cc])
        _set_admin1(place, v_admin1[admin1])
        _set_lat(place, lat)
        _set_lon(place, lon)
        _set_population(place, population)
        _set_source(place, v_source[source])
        _set_admin1_code(place, a1_blob[a1_0:a1_1].decode("utf-8"))
        _set_geonames_id(place, gn or None)
        return place

    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        if self.user is not None:
            found = self.user.get(place_id)
            if found is not None:
                return found
        if self._id_index is None:
            self._id_index = {pid: i for i, pid in enumerate(self._data.place_ids)}
        i = self._id_index.get(place_id)
        return None if i is None else self._place(i)

    def place_ids(self) -> list[str]:
        """Ids of every place in the default index (not the user layer), in index order."""
        return list(self._data.place_ids)

    def __len__(self) -> int:
        return len(self._data.place_ids) + (len(self.user) if self.user is not None else 0)

    # -- search ---------------------------------------------------------------------------

    def _key_row(self, key: str) -> int:
        k = bisect_left(self._keys, key)
        return k if k < len(self._keys) and self._keys[k] == key else -1

    def _hits(self, key: str) -> dict[int, int]:
        """Base-layer place rows reached by ``key`` (or its article variants) -> best how."""
        best: dict[int, int] = {}
        d = self._data
        for variant, flag in [(key, 0), *((v, ranking.ARTICLE_FLAG) for v in index_mod.key_variants(key))]:
            k = self._key_row(variant)
            if k < 0:
                continue
            a, b = int(self._offsets[k]), int(self._offsets[k + 1])
            if b - a == 1:
                i, how = int(d.post_place[a]), int(d.post_how[a]) | flag
                if how < best.get(i, 99):
                    best[i] = how
                continue
            for i, how in zip(d.post_place[a:b].tolist(), d.post_how[a:b].tolist(), strict=True):
                how |= flag
                if how < best.get(i, 99):
                    best[i] = how
        return best

    def search(self, name: str, *, country: str | None = None,
               feature_class: str | Collection[str] | None = None,
               bbox: tuple[float, float, float, float] | None = None, fuzzy: bool = False,
               limit: int | None = 10) -> list[Candidate]:
        """Candidates for ``name``, best first (all of them when ``limit`` is None).

        ``country``: ISO alpha-2 filter; ``feature_class``: GeoNames class letter(s);
        ``bbox``: (west, south, east, north); ``fuzzy``: when nothing matches exactly, try
        close spellings (rapidfuzz) and score them lower.
        """
        cc = _check_country(country)
        classes = _check_classes(feature_class)
        box = _check_bbox(bbox)
        if limit is not None and limit < 1:
            raise GazetteerQueryError(f"limit {limit!r}: expected a positive integer or None")
        key = name_key(name)
        if not key:
            return []
        found = list(self._cached_rank(key, cc, classes, box, limit))
        if not found and fuzzy:
            found = self._fuzzy_search(key, cc, classes, box)
        return found if limit is None else found[:limit]

    def _rank_tuple(self, key: str, cc: str | None, classes: frozenset[str] | None,
                    box: tuple[float, float, float, float] | None, limit: int | None) -> tuple[Candidate, ...]:
        return tuple(self._rank(key, cc, classes, box, limit=limit))

    def _accept(self, place: Place, cc: str | None, classes: frozenset[str] | None,
                box: tuple[float, float, float, float] | None) -> bool:
        return ((cc is None or place.country_code == cc)
                and (classes is None or place.feature_class in classes)
                and (box is None or _in_bbox(place.lat, place.lon, box)))

    def _rank(self, key: str, cc: str | None, classes: frozenset[str] | None,
              box: tuple[float, float, float, float] | None, *, limit: int | None = None,
              how_override: str = "") -> list[Candidate]:
        """The best ``limit`` candidates for one folded key (scores: see ``gazetteer.ranking``)."""
        cc_code = -1 if cc is None else self._cc_code.get(cc, -2)
        class_codes = None if classes is None else {self._fclass_code.get(c, -2) for c in classes}
        if self.user is None and not index_mod.key_variants(key):
            return self._rank_key(key, cc_code, class_codes, box, limit, how_override)
        base, bonus, kinds = self._base, self._bonus, self._kind
        # (score, kind, row or Place, how) for base rows and user-layer places alike
        scored: list[tuple[float, int, int | Place, int]] = []
        for i, how in self._hits(key).items():
            if cc_code != -1 and self._cc[i] != cc_code:
                continue
            if class_codes is not None and self._fclass[i] not in class_codes:
                continue
            if box is not None and not _in_bbox(self._lat[i], self._lon[i], box):
                continue
            kind = kinds[i]
            sc = base[kind][how] + bonus[i]
            scored.append((sc if sc < 1.0 else 1.0, kind, i, how))
        if self.user is not None:
            scored += self._user_hits(key, cc, classes, box, {i for _s, _k, i, _h in scored})
        if any(kind == ranking.ADMIN1 for _s, kind, _r, _h in scored):
            scored = self._capital_rule(scored)
        scored.sort(key=self._order)
        out = []
        for sc, kind, ref, how in scored if limit is None else scored[:limit]:
            place = self._place(ref) if isinstance(ref, int) else ref
            out.append(_candidate(place, sc, key, how_override or self._label[kind][how]))
        return out

    def _rank_key(self, key: str, cc_code: int, class_codes: set[int] | None,
                  box: tuple[float, float, float, float] | None, limit: int | None,
                  how_override: str) -> list[Candidate]:
        """``_rank`` for a key without article variants over the base index alone: its
        postings straight from the CSR arrays (one place per posting, so no merging)."""
        k = bisect_left(self._keys, key)
        if k == len(self._keys) or self._keys[k] != key:
            return []
        a, b = self._off[k], self._off[k + 1]
        post_place, post_how, base, rows = self._post_place, self._post_how, self._base, self._rows
        places, label, unpack, size = self._places, self._label, _ROW.unpack_from, _ROW.size
        if b - a == 1 and cc_code == -1 and class_codes is None and box is None:  # most keys
            i, how = post_place[a], post_how[a]
            row = unpack(rows, i * size)
            kind = row[0]
            sc = base[kind][how] + row[8]
            place = places.get(i) or self._place(i)
            return [_candidate(place, sc if sc < 1.0 else 1.0, key, how_override or label[kind][how])]
        scored: list[tuple[float, int, int | Place, int]] = []
        for p in range(a, b):
            i = post_place[p]
            row = unpack(rows, i * size)
            if cc_code != -1 and row[3] != cc_code:
                continue
            if class_codes is not None and row[1] not in class_codes:
                continue
            if box is not None and not _in_bbox(row[6], row[7], box):
                continue
            how = post_how[p]
            kind = row[0]
            sc = base[kind][how] + row[8]
            scored.append((sc if sc < 1.0 else 1.0, kind, i, how))
        if len(scored) > 1:
            if any(item[1] == ranking.ADMIN1 for item in scored):
                scored = self._capital_rule(scored)
            scored.sort(key=self._order)
        out = []
        for sc, kind, ref, how in scored if limit is None else scored[:limit]:
            assert isinstance(ref, int)
            out.append(_candidate(places.get(ref) or self._place(ref), sc, key,
                                  how_override or label[kind][how]))
        return out

    def _order(self, item: tuple[float, int, int | Place, int]) -> tuple[float, int, int, int | str]:
        """Sort key: score, then population, then a stable id (index row or place id)."""
        sc, _kind, ref, _how = item
        if isinstance(ref, int):
            return (-sc, -self._pop[ref], 0, ref)
        return (-sc, -ref.population, 1, ref.place_id)

    def _pid(self, ref: int | Place) -> str:
        return self._data.place_ids[ref] if isinstance(ref, int) else ref.place_id

    def _user_hits(self, key: str, cc: str | None, classes: frozenset[str] | None,
                   box: tuple[float, float, float, float] | None,
                   seen_rows: set[int | Place]) -> list[tuple[float, int, int | Place, int]]:
        assert self.user is not None
        seen = {self._pid(r) for r in seen_rows}
        out: list[tuple[float, int, int | Place, int]] = []
        variants = [(key, 0), *((v, ranking.ARTICLE_FLAG) for v in index_mod.key_variants(key))]
        for place, how, flag in self.user.lookup(variants):
            if place.place_id in seen or not self._accept(place, cc, classes, box):
                continue
            kind = ranking.KINDS.index({"PCLI": "country", "ADM1": "admin1"}.get(place.feature_code, "imported"))
            hit = ranking.Hit(ranking.KINDS[kind], how | flag, place.population, place.country_code)
            out.append((ranking.score(hit, self._cfg), kind, place, how | flag))
        return out

    def _region(self, ref: int | Place) -> tuple[str, str, str, int]:
        """(feature class, country, admin-1 key, population) of a row or a user place."""
        if isinstance(ref, Place):
            return ref.feature_class, ref.country_code, ref.admin1_code, ref.population
        v = self._data.vocab
        return (v["fclass"][self._fclass[ref]], v["cc"][self._cc[ref]], self._data.admin1_keys[ref],
                self._pop[ref])

    def _capital_rule(self, scored: list[tuple[float, int, int | Place, int]]) -> list[tuple[float, int, int | Place, int]]:
        """A big enough city inside a same-named province outranks the province."""
        minimum = self._cfg["capital_rule_min_population"]
        provinces: dict[tuple[str, str], float] = {}
        for sc, kind, ref, _how in scored:
            if kind == ranking.ADMIN1:
                _fc, cc, a1, _pop = self._region(ref)
                if a1:
                    provinces[(cc, a1)] = max(sc, provinces.get((cc, a1), 0.0))
        out = []
        for sc, kind, ref, how in scored:
            if kind != ranking.ADMIN1 and (isinstance(ref, Place) or self._pop[ref] >= minimum):
                fclass, cc, a1, pop = self._region(ref)
                psc = provinces.get((cc, a1))
                if fclass == "P" and pop >= minimum and psc is not None:
                    sc = max(sc, min(1.0, psc + 0.001))
            out.append((sc, kind, ref, how))
        return out

    # -- fuzzy ----------------------------------------------------------------------------

    def _fuzzy_vocab(self) -> dict[str, list[str]]:
        """Latin-script keys grouped by first letter (built on the first fuzzy query)."""
        if self._fuzzy is None:
            groups: dict[str, list[str]] = {}
            for key in self._keys:
                if key.isascii() and len(key) >= 3:
                    groups.setdefault(key[0], []).append(key)
            self._fuzzy = groups
        return self._fuzzy

    def _fuzzy_search(self, key: str, cc: str | None, classes: frozenset[str] | None,
                      box: tuple[float, float, float, float] | None) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        cfg = self._cfg
        pool = self._fuzzy_vocab().get(key[0], [])
        if not pool:
            return []
        cutoff = cfg["fuzzy_min_similarity"]
        matches = process.extract(key, pool, scorer=fuzz.ratio, limit=10, score_cutoff=cutoff)
        core = strip_article(key)
        best: dict[str, Candidate] = {}
        for match, similarity, _ in matches:
            # A shared article ("al ", "as ") must not make two different names look alike.
            similarity = min(similarity, fuzz.ratio(core, strip_article(match)))
            if similarity < cutoff:
                continue
            for cand in self._rank(match, cc, classes, box, how_override="fuzzy"):
                sc = cfg["fuzzy_factor"] * similarity / 100.0 * cand.score
                old = best.get(cand.place.place_id)
                if old is None or sc > old.score:
                    best[cand.place.place_id] = Candidate(cand.place, sc, match, "fuzzy")
        return sorted(best.values(), key=lambda c: (-c.score, -c.place.population, c.place.place_id))

    # -- names for recognisers ------------------------------------------------------------

    def names(self, *, latin_only: bool = False) -> Iterator[NameEntry]:
        """Every lookup key (folded; article-stripped variants included), with what it names."""
        d = self._data
        fmask = d.key_fmask
        classes = {int(m): frozenset(c for b, c in enumerate(FEATURE_CLASSES) if int(m) >> b & 1)
                   for m in np.unique(fmask)}
        columns = (d.keys, d.key_pop.tolist(), [classes[m] for m in fmask.tolist()],
                   np.diff(self._offsets).tolist(), ((d.key_flags & index_mod.KEY_ADMIN1) != 0).tolist())
        entries = map(NameEntry._make, zip(*columns, strict=True))
        yield from (e for e in entries if e.key.isascii()) if latin_only else entries
        if self.user is not None:
            for key, pop, fclasses, count in self.user.names():
                if not latin_only or key.isascii():
                    yield NameEntry(key, pop, frozenset(fclasses), count)

    # -- polygons and reverse lookup ------------------------------------------------------

    def admin1(self) -> gpd.GeoDataFrame:
        """Admin-1 polygons world-wide (Natural Earth), EPSG:4326.

        Columns: iso_3166_2, gn_a1_code, country_code, name, name_en, name_ar, name_alt,
        name_local, type_en, region, adm1_code, wikidataid, label_lat, label_lon, gn_id
        (GeoNames id, 0 when none), geonunit, place_id,
        geometry.
        """
        frame = sources.read_admin1_table().copy()
        frame["place_id"] = "ne:" + frame["adm1_code"]
        return frame

    def countries(self) -> gpd.GeoDataFrame:
        """Country polygons (Natural Earth, dissolved admin-1), EPSG:4326.

        Columns: country_code, iso3, name, place_id, geometry.
        """
        frame = sources.read_countries_table().copy()
        frame["place_id"] = "cc:" + frame["country_code"]
        return frame

    def geometry(self, place_id: str) -> Any:
        """Polygon of a country, admin-1 unit or polygon overlay place (shapely), else None."""
        if place_id.startswith("cc:"):
            frame = sources.read_countries_table()
            rows = frame.geometry[frame["country_code"] == place_id[3:]]
        elif place_id.startswith("ne:"):
            frame = sources.read_admin1_table()
            rows = frame.geometry[frame["adm1_code"] == place_id[3:]]
        elif place_id.startswith("ov:"):
            spec = {r["id"]: r["geometry"] for r in sources.read_overlay()}.get(place_id[3:], "")
            return sources.overlay_geometry(spec) if spec else None
        else:
            return None
        return rows.iloc[0] if len(rows) else None

    def _reverse_index(self) -> tuple[Any, np.ndarray]:
        if self._reverse is None:
            import shapely

            d = self._data
            fclass = d.vocab["fclass"]
            fcode = d.vocab["fcode"]
            # Populated places, sites and areas; not continents nor world regions (their
            # points stand for thousands of km).
            keep = np.array([fclass[c] in ("P", "S", "L") and fcode[f] not in _NOT_REVERSE
                             for c, f in zip(d.codes[:, 0].tolist(), d.codes[:, 1].tolist(), strict=True)])
            rows = np.flatnonzero(keep)
            tree = shapely.STRtree(shapely.points(d.lon[rows], d.lat[rows]))
            self._reverse = (tree, rows)
        return self._reverse

    def reverse(self, *, lat: float, lon: float) -> ReverseResult:
        """Nearest populated place, site or area of the default index to (lat, lon), and the
        admin-1 unit and country whose polygons contain the point."""
        import shapely

        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            raise GazetteerQueryError(f"reverse: lat={lat!r}, lon={lon!r}; expected -90..90, -180..180")
        tree, rows = self._reverse_index()
        d = self._data
        point = shapely.Point(lon, lat)
        first = int(tree.query_nearest(point)[0])
        # Planar nearest in degrees is not the great-circle nearest: search the box that any
        # closer place must lie in, then take the smallest haversine distance.
        radius = float(haversine_km(lat, lon, d.lat[rows[first]], d.lon[rows[first]]))
        dlat = radius / 111.0 + 1e-6
        dlon = min(180.0, dlat / max(0.01, math.cos(math.radians(min(89.9, abs(lat) + dlat)))))
        south, north = lat - dlat, lat + dlat
        boxes = [shapely.box(max(-180.0, lon - dlon), south, min(180.0, lon + dlon), north)]
        if lon - dlon < -180:  # the box wraps over the antimeridian
            boxes.append(shapely.box(lon - dlon + 360, south, 180.0, north))
        if lon + dlon > 180:
            boxes.append(shapely.box(-180.0, south, lon + dlon - 360, north))
        near = np.unique(np.concatenate([tree.query(b) for b in boxes] + [np.array([first])]))
        cand = rows[near]
        dist = haversine_km(lat, lon, d.lat[cand], d.lon[cand])
        best = int(np.argmin(dist))
        place = self._place(int(cand[best]))
        admin1, iso, cc = self._containing(point)
        return ReverseResult(place, float(dist[best]), admin1, iso, cc)

    def _containing(self, point: Any) -> tuple[str, str, str]:
        hits = sources.admin1_tree().query(point, predicate="intersects")
        if len(hits):
            row = sources.read_admin1_table().iloc[int(min(hits))]
            return row["name_en"] or row["name"], row["iso_3166_2"], row["country_code"]
        hits = sources.countries_tree().query(point, predicate="intersects")
        countries = sources.read_countries_table()
        return "", "", countries["country_code"].iloc[int(min(hits))] if len(hits) else ""

    # -- description ----------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """What is loaded, from where, and its size."""
        d = self._data
        size = sum(f.stat().st_size for f in d.directory.iterdir() if f.is_file())
        return {
            "default_index": str(d.directory), "default_index_bytes": size,
            "places": len(d.place_ids), "keys": len(d.keys), "meta": d.meta,
            "committed_data": {n: sources.data_path(n).stat().st_size
                               for n in sources.INDEX_DATA_FILES},
            "user_layer": None if self.user is None else self.user.info(),
        }

