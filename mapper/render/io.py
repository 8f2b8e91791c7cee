"""Atomic output paths for writers that create the file themselves."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from mapper.atomic import atomic_path


@contextlib.contextmanager
def fresh_path(target: Path) -> Iterator[Path]:
    """Like ``atomic_path``, but the temporary path does not exist yet and ends with the
    target's suffix (GDAL drivers and Chromium create their own file and check the suffix)."""
    with atomic_path(target) as tmp:
        tmp.unlink()
        named = tmp.with_name(tmp.name + target.suffix)
        try:
            yield named
            os.replace(named, tmp)
        finally:
            named.unlink(missing_ok=True)
