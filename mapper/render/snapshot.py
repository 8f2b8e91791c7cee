"""A PNG snapshot of a map file, taken with headless Chromium (Debian's ``chromium``).

The browser runs with networking features off and a throw-away profile; the map itself needs
no network. Flags: reference/folium_offline.md, 5a.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mapper.errors import MapperError
from mapper.render.io import fresh_path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


def find_chromium() -> str:
    """The Chromium executable (``$CHROMIUM`` or the first of ``CHROMIUM_NAMES`` on PATH)."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_NAMES):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    raise MapperError("--png needs Chromium, which was not found (install the Debian package "
                      f"'chromium' or set CHROMIUM=/path/to/chrome); looked for {list(CHROMIUM_NAMES)}")


def snapshot(html: Path, target: Path, *, chromium: str | None = None, width: int = 1400,
             height: int = 900, wait_ms: int = 4000, timeout_s: float = 120.0) -> Path:
    """Render ``html`` and save a ``width`` x ``height`` PNG to ``target`` (atomically)."""
    browser = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="im-chromium-") as profile, fresh_path(target) as tmp:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--virtual-time-budget={wait_ms}", f"--screenshot={tmp}", html.resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise MapperError(f"{browser} took more than {timeout_s:.0f} s to render {html}") from exc
        if done.returncode != 0 or not tmp.is_file() or not tmp.stat().st_size:
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise MapperError(f"{browser} could not render {html} (exit {done.returncode}): {' | '.join(tail)}")
    return target
