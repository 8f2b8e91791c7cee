"""``incident-mapper export RUN_DIR --format ...``: convert a previous run's outputs."""

from __future__ import annotations

from pathlib import Path

import click

from mapper.export import FORMATS


@click.command("export")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Format to write besides the default files (map.html, GeoJSON, CSV, report.json). "
                   "Repeatable: gpkg, kml, csv (ACLED layout), parquet; geojson is always written.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (default: RUN_DIR itself).")
@click.option("--tiles", default=None, help="Online tile layer to add to map.html (e.g. OpenStreetMap).")
@click.option("--png", is_flag=True, help="Also save map.png (needs Chromium).")
@click.option("-q", "--quiet", is_flag=True, help="Do not list the files written.")
def command(run_dir: Path, formats: tuple[str, ...], out_dir: Path | None, tiles: str | None, png: bool,
            quiet: bool) -> None:
    """Convert the outputs of a previous run in RUN_DIR (incidents.geojson, places.geojson,
    mentions.csv, actors.csv, report.json) to other formats."""
    from mapper.export import read_run, write_outputs

    result = read_run(run_dir)
    written = write_outputs(result, out_dir or run_dir, formats=formats, tiles=tiles, png=png)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}", err=True)
