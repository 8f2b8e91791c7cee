"""``incident-mapper run INPUT... --out DIR``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from mapper.commands.options import IsoDate


@click.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for map.html, GeoJSON, CSV and report.json.")
@click.option("--published", type=IsoDate(),
              help="Publication date for documents that carry none (relative dates resolve against it).")
@click.option("--strict", is_flag=True, help="Fail on the first unreadable document instead of skipping it.")
def command(inputs: tuple[Path, ...], out_dir: Path, published: dt.date | None, strict: bool) -> None:
    """Map the incidents reported in INPUT files or folders (.txt, .md, .html, .jsonl)."""
    from mapper.pipeline import run

    result = run(list(inputs), published=published, strict=strict)
    written = result.to_files(out_dir)
    report = result.report
    click.echo(
        f"{report['documents']['read']} documents read, {report['documents']['skipped']} skipped; "
        f"{report['mentions']['total']} place mentions ({report['mentions']['resolved']} resolved); "
        f"{report['incidents']['total']} incidents"
    )
    for path in written:
        click.echo(f"wrote {path}")
    if report["documents"]["skipped"]:
        click.echo("skipped: " + json.dumps(report["documents"]["skipped_files"]), err=True)
