"""Fuzzing benchmark: every atheris target in ``fuzz/`` for >= 100,000 inputs, zero crashes.

Run:  .venv/bin/python benchmarks/bench_fuzz.py [--runs 100000] [--max-len 4096]

Each target runs in its own process on a fresh copy of the seed corpus
(``tests/data/hostile/documents``); libFuzzer's "Done N runs" line gives the inputs tried,
its last status line the peak resident memory. Prints one table: target, inputs, seconds,
inputs/s, peak RSS, crashes (a crash is any exception the target does not allow, or a
broken contract; the reproducer is kept in the printed folder). Exits 1 on any crash.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "data" / "hostile" / "documents"


@dataclass
class Row:
    """One target's run."""

    target: str
    inputs: int
    seconds: float
    rss_mb: int
    crashes: int
    artifacts: Path
    tail: str


def run_target(target: Path, *, runs: int, max_len: int, work: Path) -> Row:
    corpus = work / f"{target.stem}-corpus"
    corpus.mkdir()
    for seed in SEEDS.rglob("*.*"):
        shutil.copyfile(seed, corpus / seed.name)
    artifacts = work / f"{target.stem}-crashes"
    artifacts.mkdir()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(target), f"-runs={runs}", f"-max_len={max_len}",
         f"-artifact_prefix={artifacts}/", "-print_final_stats=1", str(corpus)],
        capture_output=True, text=True, cwd=work)
    seconds = time.perf_counter() - started
    log = proc.stdout + proc.stderr
    done = re.search(r"Done (\d+) runs", log)
    rss = re.findall(r"rss: (\d+)Mb", log)
    crashes = len(list(artifacts.iterdir())) + (proc.returncode != 0)
    return Row(target.stem, int(done.group(1)) if done else 0, seconds,
               int(rss[-1]) if rss else 0, crashes, artifacts, log[-1500:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--max-len", type=int, default=4096)
    args = parser.parse_args(argv)
    targets = sorted((ROOT / "fuzz").glob("fuzz_*.py"))
    work = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    rows = [run_target(t, runs=args.runs, max_len=args.max_len, work=work) for t in targets]
    print(f"{'target':<16} {'inputs':>9} {'seconds':>9} {'inputs/s':>9} {'peak RSS':>9} {'crashes':>8}")
    for r in rows:
        print(f"{r.target:<16} {r.inputs:>9,} {r.seconds:>9.1f} {r.inputs / r.seconds:>9.0f} "
              f"{r.rss_mb:>6} MB {r.crashes:>8}")
    failed = [r for r in rows if r.crashes or r.inputs < args.runs]
    for r in failed:
        print(f"\n{r.target}: {r.inputs:,} inputs, crashes kept in {r.artifacts}\n{r.tail}",
              file=sys.stderr)
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
