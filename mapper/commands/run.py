"""``incident-mapper run INPUT... --out DIR``: the main job."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from mapper.commands.options import IsoDate
from mapper.errors import InputError


def _column_map(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"{value!r} is not FIELD=COLUMN (e.g. date=Date)", ctx, param)
        mapping[field.strip()] = column.strip()
    return mapping


@click.command("run")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for map.html, GeoJSON, CSV and report.json (created if needed).")
@click.option("--published", type=IsoDate(),
              help="Publication date for documents that carry none (relative dates resolve against it).")
@click.option("--strict", is_flag=True, help="Fail on the first unreadable document instead of skipping it.")
@click.option("--incidents", "incidents_files", multiple=True, type=click.Path(path_type=Path),
              help="Structured incident file to map (ACLED, UCDP GED, GDELT, CSV, GeoJSON, GeoPackage). Repeatable.")
@click.option("--incidents-format", default="auto", show_default=True,
              type=click.Choice(["auto", "acled", "ucdp", "gdelt", "csv"]),
              help="Layout of the --incidents files.")
@click.option("--map", "column_map", multiple=True, callback=_column_map, metavar="FIELD=COLUMN",
              help="Column mapping for plain CSV incidents, e.g. --map date=Date --map lat=Latitude.")
@click.option("--include-restricted", is_flag=True,
              help="Also export rows whose licence forbids redistribution (ACLED).")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["geojson", "gpkg", "kml", "csv", "parquet"]),
              help="Extra export formats besides the defaults. Repeatable.")
@click.option("--tiles", default=None, help="Online tile layer to add (e.g. OpenStreetMap); the default map needs no network.")
@click.option("--png", is_flag=True, help="Also save a PNG snapshot of the map (needs Chromium).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: all cores).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster).")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Dask workers for a LocalCluster.")
@click.option("--spacy-model", default=None, metavar="NAME_OR_DIR",
              help="An installed spaCy model to add place candidates (never downloaded).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def command(inputs: tuple[Path, ...], out_dir: Path, published: dt.date | None, strict: bool,
            incidents_files: tuple[Path, ...], incidents_format: str, column_map: dict[str, str],
            include_restricted: bool, formats: tuple[str, ...], tiles: str | None, png: bool,
            jobs: int | None, engine: str, scheduler: str | None, workers: int | None,
            spacy_model: str | None, quiet: bool) -> None:
    """Map the incidents reported in INPUT files or folders (.txt, .md, .html, .jsonl)."""
    from mapper.pipeline import run

    if not inputs and not incidents_files:
        raise click.UsageError("give at least one INPUT or --incidents FILE")
    result = run(
        list(inputs), published=published, strict=strict,
        incidents_files=list(incidents_files), incidents_format=incidents_format,
        column_map=column_map, jobs=jobs or os.cpu_count() or 1, engine=engine,
        scheduler=scheduler, workers=workers, progress=not quiet and sys.stderr.isatty(),
        spacy_model=spacy_model,
    )
    written = result.to_files(out_dir, formats=formats, tiles=tiles, png=png,
                              include_restricted=include_restricted)
    report = result.report
    if not quiet:
        click.echo(
            f"{report['documents']['read']} documents read, {report['documents']['skipped']} skipped; "
            f"{report['mentions']['total']} place mentions ({report['mentions']['resolved']} resolved); "
            f"{report['incidents']['total']} incidents", err=True)
        for path in written:
            click.echo(f"wrote {path}", err=True)
        for item in report["documents"]["skipped_files"]:
            click.echo(f"skipped {item['path']}: {item['reason']}", err=True)
    if inputs and not report["documents"]["read"] and not incidents_files:
        first = report["documents"]["skipped_files"][0] if report["documents"]["skipped_files"] else None
        why = f" ({first['path']}: {first['reason']})" if first else ""
        raise InputError(f"no document could be read from {', '.join(map(str, inputs))}{why}; "
                         f"see {out_dir / 'report.json'}")
