"""Scale benchmark: documents/s, MB/s, peak memory and time to first output per engine.

Run: ``.venv/bin/python benchmarks/bench_scale.py`` (default sizes 10000 and 100000; pass
``--sizes 2000`` for a quick look, ``--engines local1,local2,dask2`` to choose engines).

The corpus is synthetic but made of real text: the article texts of GeoWebNews (``GWN.xml``)
and LGL (``lgl.xml``) from ``../shared/corpora`` and the seed articles, shuffled with a fixed
seed and repeated to the wanted number of documents, written as JSON Lines in a temporary
folder. Each engine runs ``mapper.pipeline.run`` and writes the default outputs
(``Result.to_files``: map, GeoJSON, CSV, report) in a fresh child process; a sampler reads the
memory of that process and all its children (pool workers, Dask workers) with psutil every
0.2 s and keeps the peak of the sum, as PSS (the real footprint) and as RSS (shared pages
counted once per process).

Columns: "docs/s" and "MB/s" over the whole run, startup included; "steady docs/s" from the
first output to the end of processing (writing excluded); "CPU s", the user + system time of the whole process tree (processes that are not the
run's own children, such as Dask workers forked by a forkserver, from the samples; unlike
wall times, it does not depend on what else runs on the machine; the load average is printed
for that reason), and "parent CPU s", the part spent in the main process (reading, collecting,
writing: the serial part of the run); "busy cores", the cores the whole tree kept busy
on average from the first output to the end of processing (sampled with the memory; with 2
workers on 2 cores, below 2 means workers waited, 2 means any shortfall is per-document cost);
"first s", the time until the first document's result reaches the collector; "write s",
the time to write the outputs. "seconds", "docs/s" and "MB/s" include the writing. "outputs" is a
digest of the files written (GeoJSON, CSV, report.json without timings): equal digests, equal
files. After each size, a line gives the ratios local2/local1 and dask2/local2.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = (SHARED / "corpora" / "geowebnews" / "GWN.xml", SHARED / "corpora" / "lgl" / "lgl.xml")
SEEDS = SHARED / "seeds"
ENGINES = {
    "local1": {"engine": "local", "jobs": 1},
    "local2": {"engine": "local", "jobs": 2},
    "dask2": {"engine": "dask", "workers": 2},
}


def source_texts(*, corpora: tuple[Path, ...] = CORPORA, seeds: Path = SEEDS) -> list[dict[str, str]]:
    """The real article texts: every ``<article><text>`` of the corpora, and the seed files."""
    texts = []
    for path in corpora:
        for number, article in enumerate(ET.parse(path).getroot().iter("article")):
            text = (article.findtext("text") or "").strip()
            if text:
                texts.append({"source": f"{path.name}#{number}",
                              "title": (article.findtext("title") or "").strip(), "text": text})
    for path in sorted(seeds.glob("*.txt")):
        texts.append({"source": path.name, "title": "", "text": path.read_text(encoding="utf-8")})
    if not texts:
        raise SystemExit(f"no article texts found in {corpora} or {seeds}")
    return texts


def synthetic_records(texts: list[dict[str, str]], n: int, *, seed: int = 8) -> Iterator[dict[str, str]]:
    """``n`` records drawn from ``texts``: shuffled rounds over all of them, each with its own id."""
    rng = random.Random(seed)
    order: list[int] = []
    for i in range(n):
        if not order:
            order = list(range(len(texts)))
            rng.shuffle(order)
        item = texts[order.pop()]
        yield {"id": f"syn-{i:07d}", "title": item["title"], "text": item["text"],
               "published": "2022-01-14", "origin": item["source"]}


def write_corpus(path: Path, n: int, *, texts: list[dict[str, str]] | None = None) -> int:
    """Write ``n`` synthetic records to ``path`` as JSON Lines; return the size in bytes."""
    texts = texts if texts is not None else source_texts()
    with path.open("w", encoding="utf-8") as fh:
        for record in synthetic_records(texts, n):
            fh.write(json.dumps(record) + "\n")  # ASCII: U+0085 would split a line
    return path.stat().st_size


# The child: one run of the pipeline, reporting times as JSON on stdout.
_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from mapper import pipeline
first = []
class Timed(pipeline.Collector):
    def add_batch(self, batch):
        if not first:
            first.append(time.perf_counter() - started)
        super().add_batch(batch)
pipeline.Collector = Timed
options = json.loads(sys.argv[2])
result = pipeline.run([sys.argv[1]], progress=False, **options)
processed = time.perf_counter()
result.to_files(sys.argv[3])
seconds = time.perf_counter() - started
import hashlib, pathlib
digest = hashlib.sha256()
for path in sorted(pathlib.Path(sys.argv[3]).iterdir()):
    if path.suffix in (".geojson", ".csv"):
        digest.update(path.name.encode() + path.read_bytes())
report = dict(result.report)
report.pop("timings")
digest.update(json.dumps(report, sort_keys=True).encode())
own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
parent_cpu = own.ru_utime + own.ru_stime
print(json.dumps({"seconds": seconds, "write": seconds - (processed - started),
                  "cpu": parent_cpu + children.ru_utime + children.ru_stime, "parent_cpu": parent_cpu,
                  "first": first[0] if first else None,
                  "read": result.report["documents"]["read"],
                  "skipped": result.report["documents"]["skipped"],
                  "mentions": result.report["mentions"]["total"],
                  "incidents": result.report["incidents"]["total"],
                  "outputs": digest.hexdigest()[:8]}))
"""


def peak_tree_memory(pid: int, stop: threading.Event, out: list[tuple[int, int, float]],
                     cpu_samples: list[tuple[float, float]]) -> None:
    """Sample ``pid`` and all its descendants until ``stop``; append the peaks (PSS, RSS) in
    bytes and the CPU seconds of the descendants (the last value seen of each) to ``out``, and
    (time, CPU seconds of the whole tree so far) at each sample to ``cpu_samples``.

    PSS (proportional set size) counts a page shared by k processes as 1/k in each, so the
    sum is the tree's real footprint; the RSS sum counts shared pages (forked workers, the
    memory-mapped gazetteer) once per process and overstates it.
    """
    peak_pss = peak_rss = 0
    cpu: dict[int, float] = {}
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        pss = rss = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        now = time.perf_counter()
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            pss += getattr(info, "pss", info.rss)
            rss += info.rss
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        cpu_samples.append((now, sum(cpu.values())))
        stop.wait(0.2)
    out.append((peak_pss, peak_rss, sum(v for p, v in cpu.items() if p != pid)))


def measure(corpus: Path, options: dict, out: Path) -> dict:
    """Run the pipeline on ``corpus`` and write its outputs to ``out``, in a child process.

    Returns the child's times and counts and the peak memory of its process tree.
    """
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(corpus), json.dumps(options), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    stop, peak = threading.Event(), list[tuple[int, int, float]]()
    cpu_samples: list[tuple[float, float]] = []
    sampler = threading.Thread(target=peak_tree_memory, args=(proc.pid, stop, peak, cpu_samples))
    sampler.start()
    stdout, stderr = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({options}):\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["pss_mb"], result["rss_mb"] = (p / 2**20 for p in peak[0][:2]) if peak else (float("nan"),) * 2
    # Dask workers forked by a forkserver are not the run's children: its rusage misses them.
    if peak:
        result["cpu"] = max(result["cpu"], result["parent_cpu"] + peak[0][2])
    result["busy"] = busy_cores(cpu_samples, started + (result["first"] or 0.0),
                                started + result["seconds"] - result["write"])
    return result


def busy_cores(samples: list[tuple[float, float]], begin: float, end: float) -> float:
    """Cores the process tree kept busy on average between ``begin`` and ``end`` (from the
    first result to the end of processing): below the number of workers means they waited."""
    inside = [(t, cpu) for t, cpu in samples if begin <= t <= end]
    if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
        return float("nan")
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])


def source_digest() -> str:
    """A digest of the package sources, to notice code that changed between two runs."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("mapper/**/*.py"), *ROOT.glob("gazetteer/**/*.py"),
                        *ROOT.glob("mapper/data/*"), *ROOT.glob("gazetteer/data/*")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def ratio_lines(n: int, runs: dict[str, list[dict]]) -> list[str]:
    """The throughput ratios the issue sets targets for, and whether the engines wrote the same files.

    ``local2/local1`` (target: at least 1.7) and ``dask2/local2`` (target: at least 0.8), by
    docs/s over the whole run and by steady docs/s, each engine's median over its runs;
    "outputs" compares the digests of the GeoJSON and CSV files and of report.json without
    timings, over every run.
    """
    def median(engine: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[engine])

    repeats = max(len(r) for r in runs.values())
    how = f", medians of {repeats} runs" if repeats > 1 else ""
    lines = []
    for a, b in (("local2", "local1"), ("dask2", "local2")):
        if runs.get(a) and runs.get(b):
            lines.append(f"  {n} docs: {a}/{b} = {median(a, 'docs/s') / median(b, 'docs/s'):.2f} (docs/s), "
                         f"{median(a, 'steady') / median(b, 'steady'):.2f} (steady docs/s){how}")
    every = [r["outputs"] for rs in runs.values() for r in rs]
    if len(every) > 1:
        same = len(set(every)) == 1
        lines.append(f"  {n} docs: outputs {'identical' if same else 'DIFFER'} across "
                     f"{', '.join(runs)} ({len(every)} runs)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"from {', '.join(ENGINES)}")
    parser.add_argument("--tmp", default=None, help="folder for the corpora (default: a temp folder)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per engine, interleaved; ratios use the medians (this VM's CPU "
                             "speed moves by up to ~25%% between runs)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        parser.error(f"unknown engines {unknown}; choose from {', '.join(ENGINES)}")
    texts = source_texts()
    print(f"source texts: {len(texts)} articles; machine: {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    columns = ("docs", "engine", "MB", "seconds", "docs/s", "MB/s", "steady docs/s", "CPU s",
               "parent CPU s", "busy cores", "first s", "write s", "peak PSS MB", "peak RSS MB", "mentions",
               "incidents", "outputs")
    header = " ".join(f"{c:>{max(len(c), 7)}}" for c in columns)
    rows = []
    print(header, flush=True)
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="bench-scale-") as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            size_mb = write_corpus(corpus, n, texts=texts) / 1e6
            digests = set()
            runs: dict[str, list[dict]] = {engine: [] for engine in engines}
            for engine in [e for _ in range(args.repeat) for e in engines]:
                digests.add(source_digest())
                r = measure(corpus, ENGINES[engine], Path(tmp) / f"out-{n}-{engine}")
                if r["read"] + r["skipped"] != n:
                    raise SystemExit(f"{engine}: {r['read']} read + {r['skipped']} skipped != {n}")
                processing = r["seconds"] - r["write"]
                values = (n, engine, f"{size_mb:.1f}", f"{r['seconds']:.1f}", f"{n / r['seconds']:.1f}",
                          f"{size_mb / r['seconds']:.2f}", f"{(n - 1) / (processing - r['first']):.1f}",
                          f"{r['cpu']:.1f}", f"{r['parent_cpu']:.1f}", f"{r['busy']:.2f}", f"{r['first']:.1f}",
                          f"{r['write']:.1f}", f"{r['pss_mb']:.0f}", f"{r['rss_mb']:.0f}",
                          r["mentions"], r["incidents"], r["outputs"])
                row = " ".join(f"{v!s:>{max(len(c), 7)}}" for c, v in zip(columns, values, strict=True))
                rows.append(row)
                print(row, flush=True)
                runs[engine].append({"docs/s": n / r["seconds"],
                                     "steady": (n - 1) / (processing - r["first"]), "outputs": r["outputs"]})
            for line in ratio_lines(n, runs):
                rows.append(line)
                print(line, flush=True)
            if len(digests) > 1:
                rows.append(f"  note: the sources changed between the {n}-document runs; "
                            "their counts need not agree")
                print(rows[-1], flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}\n")
    print(header)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
