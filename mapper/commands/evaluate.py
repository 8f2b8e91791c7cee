"""PLACEHOLDER (geoparsing evaluation work, issue 4): ``incident-mapper evaluate``."""

from __future__ import annotations

import click


@click.command("evaluate")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
def command(corpus: str) -> None:
    """Score the geoparser on a gold corpus (GeoWebNews, LGL, GeoVirus XML)."""
    raise click.ClickException("not implemented yet")
