"""PLACEHOLDER (evaluation work, issues 4 and 5): ``evaluate`` and ``evaluate-incidents``."""

from __future__ import annotations

import click


@click.command("evaluate")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
def command(corpus: str) -> None:
    """Score the geoparser on a gold corpus (GeoWebNews, LGL, GeoVirus XML)."""
    raise click.ClickException("not implemented yet")


@click.command("evaluate-incidents")
@click.argument("gold", type=click.Path(exists=True))
def incidents_command(gold: str) -> None:
    """Score incident extraction on a hand-annotated gold set."""
    raise click.ClickException("not implemented yet")
