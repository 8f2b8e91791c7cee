"""Write outputs so that a reader never sees half a file.

Every output is written to a temporary file in the same folder and renamed into place
(``os.replace`` is atomic on POSIX), so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mapper.errors import InputError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write_text(target: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refusing any name that would escape ``out_dir`` (``..``, absolute)."""
    base = out_dir.resolve()
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise InputError(f"refusing to write {name!r} outside the output folder {out_dir}")
    return target
