"""PLACEHOLDER (importers work, issue 7): structured incident data into our incident model."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from mapper.errors import InputError
from mapper.model import Incident


def load_incidents(paths: Sequence[str | os.PathLike[str]], *, fmt: str = "auto",
                   column_map: dict[str, str] | None = None) -> tuple[list[Incident], dict[str, Any]]:
    """Import incident files; returns the incidents and a report of rows read and rejected."""
    raise InputError(f"{paths[0]}: importing incidents is not implemented yet")
