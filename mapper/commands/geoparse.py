"""``incident-mapper geoparse FILE|- --json``: the place mentions of one text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import BinaryIO

import click


@click.command("geoparse")
@click.argument("source", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
def command(source: BinaryIO, as_json: bool) -> None:
    """Print the place mentions of FILE (or - for standard input) as JSON.

    Every mention is listed, resolved or not, with its status (resolved, ambiguous,
    unresolved, ignored) and the reason.
    """
    from mapper.documents import text_from_bytes
    from mapper.resolve import default_geoparser

    text = text_from_bytes(source.read(), name=getattr(source, "name", "-"))
    mentions = default_geoparser().parse(text, doc_id=getattr(source, "name", "-"))
    click.echo(json.dumps([asdict(m) for m in mentions], ensure_ascii=False, indent=2))
