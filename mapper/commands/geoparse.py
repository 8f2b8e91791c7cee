"""``incident-mapper geoparse FILE|- --json``: the place mentions of one text."""

from __future__ import annotations

import json
from dataclasses import asdict

import click


@click.command("geoparse")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
def command(source: click.utils.LazyFile, as_json: bool) -> None:
    """Print the place mentions of FILE (or - for standard input) as JSON."""
    from mapper.resolve import default_geoparser

    text = source.read()
    mentions = default_geoparser().parse(text, doc_id=getattr(source, "name", "-"))
    click.echo(json.dumps([asdict(m) for m in mentions], ensure_ascii=False, indent=2))
