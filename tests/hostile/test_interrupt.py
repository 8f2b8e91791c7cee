"""An interrupted run (SIGINT, SIGTERM) leaves the previous outputs intact and says so."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import Run


def _handles(pid: int, signum: int) -> bool:
    """True once process ``pid`` has installed a handler for ``signum`` (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def _sigint_default() -> None:
    """Ctrl-C on, as at a terminal: a shell starts background jobs with SIGINT ignored, and a
    child inherits that (Python then never installs its KeyboardInterrupt handler)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_leaves_previous_outputs(hostile: Run, tmp_path: Path,
                                                 sig: signal.Signals, code: int) -> None:
    out = tmp_path / "out"
    shutil.copytree(hostile.out, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:  # far more than a few seconds of work
        for i in range(50_000):
            fh.write(json.dumps({"id": f"a{i}", "text": f"Rockets struck Baghdad, report {i}."}) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "mapper", "run", str(feed), "--out", str(out),
                             "--jobs", "1", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_sigint_default)
    try:
        deadline = time.monotonic() + 60
        while not _handles(proc.pid, signal.SIGTERM):  # the CLI's handlers are in place
            assert proc.poll() is None and time.monotonic() < deadline, "run did not start"
            time.sleep(0.05)
        # Well into loading and extraction: past the imports (a signal during one may meet a
        # third-party ``except:`` that swallows it), whatever the machine's load.
        while _cpu_seconds(proc.pid) < 4.0:
            assert proc.poll() is None and time.monotonic() < deadline, "run did not get going"
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, stderr
    assert f"interrupted by {sig.name}: no output was written" in stderr
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no .part file left
