"""``incident-mapper gazetteer build|info|import``: inspect, rebuild and extend the gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group("gazetteer")
def command() -> None:
    """Inspect, rebuild and extend the offline gazetteer."""


@command.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the cached index is current.")
def build(force: bool) -> None:
    """Build the default place index into the user cache (done on first use anyway)."""
    from gazetteer import index

    directory = index.ensure_built(lambda msg: click.echo(f"  {msg}", err=True), force=force)
    click.echo(f"gazetteer index: {directory}")


@command.command("info")
def info() -> None:
    """Show what is loaded, from where, and its size (JSON)."""
    from gazetteer import Gazetteer

    click.echo(json.dumps(Gazetteer.default().info(), indent=2, ensure_ascii=False))


@command.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad", is_flag=True,
              help="Skip malformed rows (counted and reported) instead of stopping at the first.")
def import_(files: tuple[Path, ...], skip_bad: bool) -> None:
    """Import GeoNames dumps (IQ.txt, allCountries.txt, cities1000.txt, alternateNamesV2.txt,
    plain or .zip) into the user layer over the default index. Geoname files go first."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )

    from gazetteer import Gazetteer
    from gazetteer.errors import GazetteerDataError
    from gazetteer.userlayer import UserLayer, default_path
    from mapper.errors import InputError

    ordered = sorted(files, key=lambda p: p.name.lower().startswith("alternatenames"))
    base = Gazetteer(user_layer=False)
    layer = UserLayer(default_path())
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, transient=True) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(path: str, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = bar.add_task(Path(path).name, total=total or None)
                bar.update(tasks[path], completed=done)

            reports = layer.import_files(ordered, base=base, skip_bad=skip_bad, progress=progress)
    except GazetteerDataError as exc:
        raise InputError(str(exc)) from exc
    finally:
        layer.close()
    Gazetteer.reset_default()
    for r in reports:
        click.echo(f"{r.path}: {r.kind}, {r.rows:,} rows, {r.names:,} names, "
                   f"{r.skipped:,} skipped, {r.seconds:.1f} s")
        for err in r.errors:
            click.echo(f"  skipped: {err}", err=True)
    click.echo(f"user layer: {default_path()}")
