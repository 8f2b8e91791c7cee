"""PLACEHOLDER (gazetteer work, issue 3): ``incident-mapper gazetteer import|info|build``."""

from __future__ import annotations

import click


@click.group("gazetteer")
def command() -> None:
    """Inspect and extend the offline gazetteer."""
