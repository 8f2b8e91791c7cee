"""Write a GeoNames-format (19-column) test dump from real open data, to try the import.

Run from the repository root::

    .venv/bin/python tools/build_gazetteer_import_test.py OUT.txt [--country SY] [--tgz FILE]
    .venv/bin/incident-mapper gazetteer import OUT.txt
    .venv/bin/python tools/build_gazetteer_coverage.py --user-layer

The rows are the cities of one country from the npm package ``country-state-city`` 3.2.1
(the dr5hn countries-states-cities database; data ODbL 1.0, package GPL-3.0), fetched with
``npm pack`` unless ``--tgz`` names the tarball. Its cities carry no GeoNames id, feature
code, population or alternate names, so the dump gets ids from 990,000,000 up (outside the
GeoNames range), feature P.PPL and population 0. The output is for a local test only: it is
not committed (ODbL would ask the derived database to be shared alike).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = ("country-state-city", "3.2.1")
FIRST_ID = 990_000_000
TIMEZONES = {"SY": "Asia/Damascus", "IQ": "Asia/Baghdad"}


def npm_pack(dest: Path) -> Path:
    """Fetch the pinned tarball with the ordinary npm client."""
    subprocess.run(["npm", "pack", f"{PACKAGE[0]}@{PACKAGE[1]}", "--pack-destination", str(dest)],
                   check=True, capture_output=True)
    return dest / f"{PACKAGE[0]}-{PACKAGE[1]}.tgz"


def dump_rows(tgz: Path, country: str) -> list[list[str]]:
    """The 19 GeoNames columns of every city of ``country`` in the tarball."""
    with tarfile.open(tgz) as tar:
        fh = tar.extractfile("package/lib/assets/city.json")
        if fh is None:
            raise SystemExit(f"{tgz}: no package/lib/assets/city.json")
        cities = json.load(fh)
    rows: list[list[str]] = []
    for name, cc, _state, lat, lon in cities:
        if cc != country:
            continue
        rows.append([str(FIRST_ID + len(rows)), name, name, "", lat, lon, "P", "PPL", cc, "", "", "", "",
                     "", "0", "", "", TIMEZONES.get(cc, ""), ""])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the dump (tab-separated, UTF-8)")
    parser.add_argument("--country", default="SY", help="ISO alpha-2 code (default SY)")
    parser.add_argument("--tgz", type=Path, help="a local country-state-city-3.2.1.tgz (else npm pack)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rows = dump_rows(args.tgz or npm_pack(Path(tmp)), args.country.upper())
    if not rows:
        raise SystemExit(f"no cities of {args.country!r} in {PACKAGE[0]} {PACKAGE[1]}")
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines("\t".join(row) + "\n" for row in rows)
    print(f"{args.out}: {len(rows)} rows of {args.country.upper()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
