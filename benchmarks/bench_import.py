"""Import benchmark: UCDP GED import and map time, and streaming import of a 1 GB CSV.

Run:  .venv/bin/python benchmarks/bench_import.py [--size-mb 1000] [--skip-big]

Prints one table:
- the real UCDP GED Syria release (16,566 rows): import time, rows/s, rows accounted for;
- its map, step by step: ``merge_incidents``, ``mapper.pipeline.assemble`` (merge, frames,
  actors), ``mapper.render.build_map`` and ``to_html``; import to HTML in all: target 10 s;
- a generated UCDP-layout CSV of ``--size-mb`` (the real rows repeated with new ids, so
  places repeat as in real data), written to a temporary folder and deleted afterwards,
  imported in a child process two ways: ``load_incidents`` (every incident kept in memory,
  what ``incident-mapper run`` does) and ``iter_incidents`` (streamed, nothing kept). Peak
  memory is the child's own high-water resident set size, ``VmHWM`` (target: under 1.5 GB).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MAPPER_SHARED", ROOT.parent / "shared"))
UCDP = SHARED / "datasets" / "ucdp_ged_syria_2016_2019" / "ged_syria_2016-01-01_2019-11-30.csv"

_CHILD = r"""
import json, resource, sys, time
from mapper.importers import iter_incidents, load_incidents
from mapper.importers.common import FileReport
mode, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if mode == "load":
    incidents, report = load_incidents([path], fmt="ucdp")
    counts = report["totals"]
else:
    report = FileReport(path, "ucdp", "")
    kept = sum(1 for _ in iter_incidents(path, fmt="ucdp", report=report))
    counts = {"rows_read": report.rows_read, "incidents": kept, "rejected": report.rejected}
try:  # VmHWM: this process's own peak (ru_maxrss would include the parent's size at fork)
    status = open("/proc/self/status").read()
    peak_bytes = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError):
    peak_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": time.perf_counter() - started, "peak_bytes": peak_bytes, **counts}))
"""


def generate(target: Path, size_mb: int) -> int:
    """Write a UCDP-layout CSV of ``size_mb`` MB (10^6 bytes) from the real rows, each copy
    with new ids; returns the number of data rows."""
    with open(UCDP, newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    limit = size_mb * 1_000_000
    rows_written, copy = 0, 0
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        while True:
            for row in rows:
                if out.tell() >= limit:
                    return rows_written
                writer.writerow([f"{row[0]}-{copy}", *row[1:]])
                rows_written += 1
            copy += 1


def child(mode: str, path: Path) -> dict:
    """Run one import in a fresh interpreter; returns its counts, time and peak RSS (MB)."""
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    result: dict = json.loads(out.splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1000,
                        help="size of the generated CSV in MB of 10^6 bytes (1000 = 1 GB)")
    parser.add_argument("--skip-big", action="store_true", help="only the UCDP rows")
    args = parser.parse_args()
    if not UCDP.exists():
        print(f"missing {UCDP}", file=sys.stderr)
        return 1
    from mapper.importers import load_incidents
    from mapper.pipeline import assemble
    from mapper.render import build_map, to_html

    rows = []
    started = time.perf_counter()
    incidents, report = load_incidents([UCDP])
    seconds = time.perf_counter() - started
    t = report["totals"]
    rows.append(("UCDP Syria import (load_incidents)", f"{t['rows_read']:,} rows",
                 f"{seconds:.2f} s", f"{t['rows_read'] / seconds:,.0f} rows/s",
                 f"in {t['rows_read']} = out {t['incidents']} + rejected {t['rejected']} "
                 f"+ skipped {t['skipped']}"))
    from mapper.actors import ActorRegistry
    from mapper.merge import merge_incidents

    started = time.perf_counter()
    _, merged = merge_incidents(incidents)
    merge_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = assemble([], [], [], registry=ActorRegistry.default(), imported=incidents)
    assemble_seconds = time.perf_counter() - started
    started = time.perf_counter()
    m = build_map(result)
    map_seconds = time.perf_counter() - started
    started = time.perf_counter()
    html = to_html(m)
    html_seconds = time.perf_counter() - started
    total = seconds + assemble_seconds + map_seconds + html_seconds
    rows.append(("UCDP Syria: merge_incidents", f"{len(incidents):,} incidents",
                 f"{merge_seconds:.2f} s", f"{merged} merged", "rows of one curated file never merge"))
    rows.append(("UCDP Syria: assemble (merge, frames, actors)", f"{len(result.incidents):,} rows",
                 f"{assemble_seconds:.2f} s", "", ""))
    rows.append(("UCDP Syria: build_map + to_html", f"map.html {len(html) / 1e6:.1f} MB",
                 f"{map_seconds + html_seconds:.2f} s",
                 f"build {map_seconds:.2f} s, html {html_seconds:.2f} s", ""))
    rows.append(("UCDP Syria: import to map.html in all", f"{len(result.incidents):,} incidents",
                 f"{total:.2f} s", "", "target < 10 s"))

    if not args.skip_big:
        with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
            big = Path(tmp) / "big_ucdp.csv"
            started = time.perf_counter()
            n = generate(big, args.size_mb)
            size = big.stat().st_size / 1e6
            rows.append(("generate CSV", f"{n:,} rows", f"{time.perf_counter() - started:.1f} s",
                         f"{size:,.0f} MB", f"{big.stat().st_size / 2**30:.3f} GiB"))
            for mode, label in (("iter", "stream (iter_incidents, none kept)"),
                                ("load", "load_incidents (all kept)")):
                result_json = child(mode, big)
                rows.append((f"{size:,.0f} MB CSV: {label}", f"{result_json['incidents']:,} incidents",
                             f"{result_json['seconds']:.1f} s",
                             f"peak RSS {result_json['peak_bytes'] / 1e9:.2f} GB "
                             f"({result_json['peak_bytes'] / 2**20:,.0f} MiB)",
                             f"target < 1.5 GB; peak / rows = {result_json['peak_bytes'] / n:,.0f} B"))

    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    head = ("what", "size", "time", "rate / memory", "notes")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
