"""``incident-mapper geoparse FILE|- --json``: the place mentions of one text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

import click


@click.command("geoparse")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
def command(source: TextIO, as_json: bool) -> None:
    """Print the place mentions of FILE (or - for standard input) as JSON.

    Every mention is listed, resolved or not, with its status (resolved, ambiguous,
    unresolved, ignored) and the reason.
    """
    from mapper.resolve import default_geoparser

    text = source.read()
    mentions = default_geoparser().parse(text, doc_id=getattr(source, "name", "-"))
    click.echo(json.dumps([asdict(m) for m in mentions], ensure_ascii=False, indent=2))
