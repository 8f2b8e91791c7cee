"""Geoparsing benchmark: ours vs geotext vs EUPEG's stored outputs vs published figures.

Run:  .venv/bin/python benchmarks/bench_geoparse.py [--splits all,test] [--json OUT]

For GeoWebNews and LGL (``../shared/corpora``) it prints, per corpus and split:

- ours (``mapper.resolve.Geoparser``): recognition P/R/F1, resolution with gold spans
  (acc@161, mean/median km, AUC) and end-to-end acc@161;
- geotext 0.4.0 (PyPI peer, run in this process): its city and country mentions, located in
  the text in order; cities placed at the most populous cities15000 row of that name (its
  own data file), countries at our gazetteer's point for the country it names;
- EUPEG's stored 2019 outputs of 9 geoparsers (``eupeg-baselines``), scored by our scorer
  against our gold (whole corpus only: the outputs are per document, so the split applies);
- Mordecai3 and CamCoder figures as published (not recomputed; different subsets).

Then speed: MB of text per second end to end (recognise + resolve) once the parser is built,
in 1 process and on 2 processes, by wall clock and by CPU time (the CPU figure is what the
machine would do unloaded), twice:

- new text: workers forked from the parser before it has parsed anything, so every name is
  looked up for the first time, as in a fresh run (best of 3 rounds, one pass each);
- names seen before: after one pass over the corpus has filled the per-name caches, as in a
  long run where most names recur (1 process: the best of 3 passes; 2 processes: the best of
  3 rounds, each a new pool whose workers parse the corpus 3 times between them).

``--speed-only`` skips the tables:

    .venv/bin/python benchmarks/bench_geoparse.py --speed-only
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mapper.evaluate import GoldCorpus, evaluate_corpus, read_corpus
from mapper.model import PlaceMention

SHARED = Path(os.environ.get("MAPPER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPORA = {
    "GeoWebNews": SHARED / "corpora" / "geowebnews" / "GWN.xml",
    "LGL": SHARED / "corpora" / "lgl" / "lgl.xml",
}
EUPEG = SHARED / "corpora" / "eupeg-baselines" / "geoparser_output"
EUPEG_SYSTEMS = ("CLAVIN", "CamCoder", "DBpedia", "Edinburgh", "GeoTxt", "SpaCyNER",
                 "StanfordNER", "TopoCluster", "Yahoo")
# Published figures, resolution with gold spans (acc@161, mean km): Mordecai3 README
# (ahalterman/mordecai3, current model; held-out subsets GWN N=474, LGL N=967) and CamCoder
# (Gritta et al., ACL 2018, Table 1; end to end on its own recognised subset, LGL only).
PUBLISHED = {
    "GeoWebNews": [("Mordecai3 (published, gold spans, N=474)", {"gold_acc": 0.941, "mean_km": 249.4})],
    "LGL": [("Mordecai3 (published, gold spans, N=967)", {"gold_acc": 0.827, "mean_km": 303.9}),
            ("CamCoder (published, own subset, ACL 2018)", {"own_acc": 0.76, "auc": 0.22})],
}


# -- peers -----------------------------------------------------------------------------


class GeotextPeer:
    """geotext 0.4.0 with a population prior over its own cities15000 file."""

    def __init__(self, gazetteer: Any) -> None:
        import geotext

        self.GeoText = geotext.GeoText
        self.cities: dict[str, tuple[int, float, float]] = {}
        path = Path(geotext.__file__).parent / "data" / "cities15000.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 15:
                continue
            key, pop = cols[1].lower(), int(cols[14] or 0)
            if key not in self.cities or pop > self.cities[key][0]:
                self.cities[key] = (pop, float(cols[4]), float(cols[5]))
        self.gazetteer = gazetteer
        self._countries: dict[str, tuple[float, float] | None] = {}

    def _country_point(self, name: str) -> tuple[float, float] | None:
        if name not in self._countries:
            hits = self.gazetteer.search(name, limit=5)
            best = next((c.place for c in hits if c.place.feature_class == "A"), None)
            self._countries[name] = (best.lat, best.lon) if best else None
        return self._countries[name]

    def parse(self, text: str, doc_id: str) -> list[PlaceMention]:
        g = self.GeoText(text)
        wanted = dict.fromkeys(g.cities, "city") | dict.fromkeys(g.countries, "country")
        out: list[PlaceMention] = []
        pos = 0
        for name in _in_order(text, g.cities, g.countries):
            start = text.find(name, pos)
            if start < 0:
                continue
            pos = start + len(name)
            m = PlaceMention(doc_id, start, pos, name, status="resolved")
            if wanted[name] == "city":
                city = self.cities.get(name.lower())
                point = (city[1], city[2]) if city else None
            else:
                point = self._country_point(name)
            if point is not None:
                m.lat, m.lon = point
            out.append(m)
        return out


def _in_order(text: str, cities: list[str], countries: list[str]) -> list[str]:
    """Merge geotext's two lists back into text order (each list is already in order)."""
    items = []
    for names in (cities, countries):
        pos = 0
        for n in names:
            i = text.find(n, pos)
            if i >= 0:
                items.append((i, n))
                pos = i + len(n)
    return [n for _, n in sorted(items)]


def read_eupeg(path: Path) -> list[list[PlaceMention]]:
    """EUPEG output lines: one document a line; ``name,,mention,,lat,,lon,,start,,end``."""
    docs: list[list[PlaceMention]] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        mentions = []
        for item in filter(None, line.strip().split("||")):
            f = item.split(",,")
            if len(f) < 6:
                continue
            try:
                lat, lon, start, end = float(f[2]), float(f[3]), int(f[4]), int(f[5])
            except ValueError:
                continue
            mentions.append(PlaceMention(str(i), start, end, f[1], status="resolved",
                                         name=f[0], lat=lat, lon=lon))
        docs.append(mentions)
    return docs


# -- runs ------------------------------------------------------------------------------


def _row(system: str, s: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"system": system}
    if s is not None:
        rec, res, e2e = s["recognition"], s.get("resolution_gold_spans"), s["end_to_end"]
        row.update(p=rec["precision"], r=rec["recall"], f1=rec["f1"],
                   gold_acc=res["acc_at_161"] if res else None,
                   mean_km=res["mean_km"] if res else None,
                   median_km=res["median_km"] if res else None,
                   auc=res["auc"] if res else None,
                   e2e=e2e["acc_at_161"], chars_per_second=s.get("chars_per_second"))
    row.update(extra)
    return row


def run_corpus(name: str, corpus: GoldCorpus, split: str, parser: Any, peer: GeotextPeer,
               *, eupeg: bool) -> list[dict[str, Any]]:
    rows = []
    ours = evaluate_corpus(corpus, split=split,
                           parse=lambda t, d: parser.parse(t, doc_id=d),
                           resolve=lambda t, sp, d: parser.resolve(t, sp, doc_id=d))
    rows.append(_row("incident-mapper (ours)", ours, docs=ours["documents"], gold=ours["gold_toponyms"]))
    geo = evaluate_corpus(corpus, split=split, parse=peer.parse, resolve=None)
    rows.append(_row("geotext 0.4.0 (same process)", geo))
    if eupeg:
        by_id = {d.doc_id: d.index for d in corpus.documents}
        for system in EUPEG_SYSTEMS:
            path = EUPEG / f"{'GeoWebNews' if name == 'GeoWebNews' else 'LGL'}_{system}.txt"
            if not path.exists():
                continue
            outputs = read_eupeg(path)
            s = evaluate_corpus(corpus, split=split, parse=_stored(outputs, by_id), resolve=None)
            s["chars_per_second"] = None
            rows.append(_row(f"EUPEG 2019: {system}", s))
    for label, figures in PUBLISHED.get(name, []):
        rows.append({"system": label, **figures})
    return rows


def _stored(outputs: list[list[PlaceMention]], by_id: dict[str, int]
            ) -> Callable[[str, str], list[PlaceMention]]:
    """A parse function that returns a system's stored output for the document."""
    def parse(text: str, doc_id: str) -> list[PlaceMention]:
        i = by_id[doc_id]
        return outputs[i] if i < len(outputs) else []
    return parse


def _speed_worker(args: tuple[list[str], int]) -> tuple[int, float, float]:
    """Parse ``texts`` ``repeat`` times in a pool worker: bytes, wall and CPU seconds."""
    texts, repeat = args
    parser = _WORKER_PARSER
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for _ in range(repeat):
        for t in texts:
            parser.parse(t)
            n += len(t.encode("utf-8"))
    return n, time.perf_counter() - t0, time.process_time() - c0


_WORKER_PARSER: Any = None


def _balanced(texts: list[str], parts: int) -> list[list[str]]:
    """``texts`` dealt into ``parts`` lists of about equal size in bytes (longest first,
    each to the lightest list), so that no worker waits for a heavier one."""
    chunks: list[list[str]] = [[] for _ in range(parts)]
    sizes = [0] * parts
    for t in sorted(texts, key=lambda t: -len(t.encode("utf-8"))):
        k = sizes.index(min(sizes))
        chunks[k].append(t)
        sizes[k] += len(t.encode("utf-8"))
    return chunks


def measure_speed(parser: Any, texts: list[str], *, processes: int = 2, repeat: int = 3,
                  rounds: int = 3, warm: bool = True) -> dict[str, Any]:
    """End-to-end throughput on ``processes`` workers, the best of ``rounds`` rounds.

    With ``warm``, the parser parses ``texts`` once before forking, so the workers share its
    filled per-name caches; without, call this before ``parser`` has parsed anything: every
    worker then starts with empty caches, as a fresh run does for each new name. Each
    round forks a new pool whose workers parse their share of ``texts`` ``repeat`` times
    (about ``repeat`` times the corpus per round, seconds of work, so that the fork is a
    small part of it). Per round: wall time from before the fork to the last result
    (the headline), the slowest worker's own parsing time (excluding pool start-up), and
    the busiest worker's CPU time; each figure is the best of the rounds.
    """
    global _WORKER_PARSER
    _WORKER_PARSER = parser
    if warm:
        for t in texts:  # fill the caches once
            parser.parse(t)
    chunks = _balanced(texts, processes)
    ctx = mp.get_context("fork")
    walls, inner, cpus = [], [], []
    total = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        with ctx.Pool(processes) as pool:
            results = pool.map(_speed_worker, [(c, repeat) for c in chunks], chunksize=1)
        walls.append(time.perf_counter() - t0)
        total = sum(r[0] for r in results)
        inner.append(max(r[1] for r in results))
        cpus.append(max(r[2] for r in results))
    mb = total / 1e6
    return {"processes": processes, "repeat": repeat, "rounds": rounds, "mb": mb,
            "wall_s": min(walls), "mb_per_s": mb / min(walls),
            "mb_per_s_excluding_pool_start": mb / min(inner),
            "cpu_s": min(cpus), "mb_per_s_cpu": mb / min(cpus),
            "mb_per_s_rounds": [round(mb / w, 3) for w in walls]}


def measure_single(parser: Any, texts: list[str], *, repeat: int = 3) -> dict[str, float]:
    """Warm throughput in this process: the best of ``repeat`` passes, wall and CPU time."""
    for t in texts:  # warm the caches once
        parser.parse(t)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            parser.parse(t)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return {"processes": 1, "repeat": repeat, "mb": mb, "wall_s": min(walls), "mb_per_s": mb / min(walls),
            "cpu_s": min(cpus), "mb_per_s_cpu": mb / min(cpus)}


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:.0f}" if v >= 10 else f"{v:.3f}"
    return str(v)


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    cols = ["system", "p", "r", "f1", "gold_acc", "mean_km", "median_km", "auc", "e2e",
            "own_acc", "chars_per_second"]
    print(f"\n### {title}\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(_fmt(row.get(c)) for c in cols) + " |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", default="all,test", help="comma list of all,train,dev,test")
    ap.add_argument("--corpora", default="GeoWebNews,LGL")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--speed-only", action="store_true", help="skip the accuracy tables")
    ap.add_argument("--json", help="also write all rows to this JSON file")
    args = ap.parse_args(argv)
    from mapper.resolve import Geoparser

    missing = [str(p) for p in CORPORA.values() if not p.exists()]
    if missing:
        print(f"corpora not found: {', '.join(missing)} (set MAPPER_SHARED)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    parser = Geoparser()
    build_s = time.perf_counter() - t0
    peer = GeotextPeer(parser.gazetteer)
    print(f"Geoparser built in {build_s:.1f} s (ranker: {parser.ranker.source})")
    everything: dict[str, Any] = {"build_seconds": build_s, "tables": {}}
    corpora = {name: read_corpus(CORPORA[name]) for name in args.corpora.split(",")}
    texts = [d.text for corpus in corpora.values() for d in corpus.documents]
    fresh: list[dict[str, Any]] = []
    if not args.no_speed:  # before anything is parsed: the workers fork with empty caches
        fresh = [measure_speed(parser, texts, processes=n, repeat=1, warm=False) for n in (1, 2)]
        everything["speed_new_text"] = fresh
    for name, corpus in corpora.items():
        print(f"{name}: {len(corpus.documents)} documents, re-anchored {corpus.reanchored}, "
              f"dropped {corpus.dropped}, excluded types {corpus.excluded_types}")
        if args.speed_only:
            continue
        for split in args.splits.split(","):
            rows = run_corpus(name, corpus, split, parser, peer, eupeg=True)
            print_table(f"{name}, split {split}", rows)
            everything["tables"][f"{name}/{split}"] = rows
    if not args.no_speed:
        one = measure_single(parser, texts)  # best of 3 passes
        speed = measure_speed(parser, texts)
        everything["speed_1_process"] = one
        everything["speed"] = speed
        print("\n### Speed (end to end, parser built)\n")
        print("New text (each worker forked with empty per-name caches, parses its share once; "
              f"best of {fresh[0]['rounds']} rounds):")
        for f in fresh:
            print(f"{f['processes']} process{'es' if f['processes'] > 1 else ''}: {f['mb']:.2f} MB in "
                  f"{f['wall_s']:.2f} s = **{f['mb_per_s']:.2f} MB/s** ({f['mb_per_s_excluding_pool_start']:.2f} "
                  f"MB/s excluding pool start-up; {f['mb_per_s_cpu']:.2f} MB/s by the busiest process's CPU time)")
        print("\nNames seen before (caches warmed by one pass over the corpus):")
        print(f"1 process: {one['mb']:.2f} MB in {one['wall_s']:.2f} s wall = "
              f"**{one['mb_per_s']:.2f} MB/s** ({one['mb_per_s_cpu']:.2f} MB per CPU second); "
              f"best of {one['repeat']} passes")
        print(f"{speed['processes']} processes: {speed['mb']:.2f} MB ({speed['repeat']} passes over "
              f"the corpus) in {speed['wall_s']:.2f} s = **{speed['mb_per_s']:.2f} MB/s** "
              f"({speed['mb_per_s_excluding_pool_start']:.2f} MB/s excluding pool start-up; "
              f"{speed['mb_per_s_cpu']:.2f} MB/s by the busiest process's CPU time, i.e. on two "
              f"free cores); best of {speed['rounds']} rounds (wall MB/s per round: "
              f"{', '.join(f'{v:.2f}' for v in speed['mb_per_s_rounds'])})")
        load = os.getloadavg()[0]
        print(f"(load average {load:.1f} on {os.cpu_count()} cores" + (
            ": wall-clock figures are lower than on an idle machine)"
            if load > (os.cpu_count() or 1) else ")"))
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
