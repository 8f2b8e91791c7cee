"""Write outputs so that a reader never sees half a file.

Every output is written to a temporary file in the same folder and renamed into place
(``os.replace`` is atomic on POSIX), so an interrupted run leaves the previous output intact.
Each completed replacement is recorded, so the CLI can say what an interrupted run wrote.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mapper.errors import InputError

_COMPLETED: list[Path] = []


def _file_mode() -> int:
    """The mode a new file gets under this process's umask (``mkstemp`` would give 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success only.

    The temporary file exists (empty) when yielded and is removed if the block fails or is
    interrupted; it gets the usual file mode, not ``mkstemp``'s private 0600.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.fchmod(fd, _MODE)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if tmp.is_file():
            with open(tmp, "rb") as fh:  # data on disk before the rename makes it visible
                os.fsync(fh.fileno())
        os.replace(tmp, target)
        _COMPLETED.append(target)
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


def completed_writes() -> list[Path]:
    """Every file this process has put in place with ``atomic_path``, oldest first."""
    return list(_COMPLETED)


def inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refusing any name that would escape ``out_dir`` (``..``, absolute).

    Symbolic links are resolved first, so a link inside ``out_dir`` pointing elsewhere is
    refused too.
    """
    refused = InputError(f"refusing to write {name!r} outside the output folder {out_dir}")
    if "\x00" in name:
        raise refused
    base = out_dir.resolve()
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise refused
    return target
