"""PLACEHOLDER (export work, issue 6): ``incident-mapper export``."""

from __future__ import annotations

import click


@click.command("export")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
def command(run_dir: str) -> None:
    """Convert a previous run's outputs to other formats."""
    raise click.ClickException("not implemented yet")
