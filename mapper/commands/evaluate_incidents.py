"""PLACEHOLDER (incidents work, issue 5): ``incident-mapper evaluate-incidents``."""

from __future__ import annotations

import click


@click.command("evaluate-incidents")
@click.argument("gold", type=click.Path(exists=True))
def command(gold: str) -> None:
    """Score incident extraction on a hand-annotated gold set."""
    raise click.ClickException("not implemented yet")
