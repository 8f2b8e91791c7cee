"""Coverage of the default gazetteer: the two checks that decide which open sources to add.

Run:  .venv/bin/python tools/build_gazetteer_coverage.py [--misses N]

Prints two tables, measured on the built default index:

- UCDP GED Syria 2016-2019 (``../shared/datasets/ucdp_ged_syria_2016_2019``): of the distinct
  ``where_coordinates`` strings (trailing "town"/"village"/"city"/"area" dropped, country
  Syria), the share with a candidate of that name in Syria within 10 km of UCDP's point, by
  ``where_prec``: "top" counts the top-ranked candidate only, "any" any candidate (the
  ceiling a better ranking could reach with this data). UCDP is the check only: nothing from
  it enters the gazetteer.
- Gold coverage of the geoparsing corpora (GeoWebNews and LGL, TRAIN split unless ``--split``): the share
  of gold toponyms with a point that have a candidate of the same name within 161 km
  (100 miles), by corpus.

``--user-layer`` measures with the imported user layer too (after ``incident-mapper gazetteer
import``). ``--misses N`` also lists the N most frequent gold names with no candidate within 161 km.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from gazetteer.core import haversine_km

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = {"GeoWebNews": SHARED / "corpora" / "geowebnews" / "GWN.xml",
           "LGL": SHARED / "corpora" / "lgl" / "lgl.xml"}


def ucdp_coverage(gaz) -> list[tuple[str, int, float, float]]:
    """(where_prec, strings, share top within 10 km, share any within 10 km) rows."""
    from benchmarks.bench_gazetteer import ucdp_syria_strings

    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _text, row in ucdp_syria_strings().iterrows():
        hits = gaz.search(row.query, country="SY", limit=None)
        near = [haversine_km(row.lat, row.lon, h.place.lat, h.place.lon) <= 10 for h in hits]
        for key in (str(row.prec), "all"):
            tally[key][0] += 1
            tally[key][1] += bool(near and near[0])
            tally[key][2] += any(near)
    return [(k, n, top / n, anyhit / n) for k, (n, top, anyhit) in sorted(tally.items())]


def gold_coverage(gaz, *, split: str = "train") -> tuple[list[tuple[str, int, float]], Counter[str]]:
    """(corpus, gold toponyms with a point, share with a same-name candidate within 161 km)
    rows, and the names of the misses."""
    from mapper.evaluate import read_corpus, select_split

    rows = []
    misses: Counter[str] = Counter()
    total_n = total_hit = 0
    for name, path in CORPORA.items():
        corpus = read_corpus(path)
        n = hit = 0
        for doc in select_split(corpus, split):
            for t in doc.toponyms:
                if not t.has_point:
                    continue
                n += 1
                assert t.lat is not None and t.lon is not None
                cands = gaz.search(t.text, limit=None)
                if any(haversine_km(t.lat, t.lon, c.place.lat, c.place.lon) <= 161 for c in cands):
                    hit += 1
                else:
                    misses[t.text] += 1
        rows.append((name, n, hit / n if n else 0.0))
        total_n += n
        total_hit += hit
    rows.append(("both", total_n, total_hit / total_n if total_n else 0.0))
    return rows, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="list the N most frequent missed gold names")
    parser.add_argument("--split", default="train", choices=("train", "dev", "test", "all"),
                        help="corpus split of the gold check (default train)")
    parser.add_argument("--user-layer", action="store_true",
                        help="include the imported user layer (incident-mapper gazetteer import)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_gazetteer import UCDP
    from gazetteer import Gazetteer

    gaz = Gazetteer(user_layer=args.user_layer)
    print(f"{'default index + user layer' if args.user_layer else 'default index'}: "
          f"{len(gaz.place_ids()):,} places")
    if UCDP.exists():
        print("\nUCDP GED Syria: distinct where_coordinates with a same-name candidate in Syria within 10 km")
        print(f"{'where_prec':<10}  {'strings':>7}  {'top':>6}  {'any':>6}")
        for prec, n, top, anyhit in ucdp_coverage(gaz):
            print(f"{prec:<10}  {n:>7}  {top:>6.1%}  {anyhit:>6.1%}")
    rows, misses = gold_coverage(gaz, split=args.split)
    print(f"\nGold toponyms ({args.split} split) with a same-name candidate within 161 km")
    print(f"{'corpus':<10}  {'toponyms':>8}  {'covered':>7}")
    for name, n, share in rows:
        print(f"{name:<10}  {n:>8}  {share:>7.1%}")
    if args.misses:
        print(f"\nmost frequent misses: {', '.join(f'{k} ({v})' for k, v in misses.most_common(args.misses))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
