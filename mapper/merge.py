"""PLACEHOLDER (importers work, issue 7): merge duplicate incidents from several sources."""

from __future__ import annotations

from collections.abc import Sequence

from mapper.model import Incident


def merge_incidents(incidents: Sequence[Incident]) -> tuple[list[Incident], int]:
    """Merge reports of the same event; returns the incidents and how many were merged away."""
    return sorted(incidents, key=lambda i: i.id), 0
