"""``incident-mapper geocode NAME --json``: gazetteer candidates, best first."""

from __future__ import annotations

import json

import click


@click.command("geocode")
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-2 country code to restrict to (e.g. IQ).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--fuzzy/--no-fuzzy", default=True, show_default=True, help="Fall back to fuzzy matching.")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
def command(name: str, country: str | None, limit: int, fuzzy: bool, as_json: bool) -> None:
    """Print gazetteer candidates for NAME, best first."""
    from gazetteer import Gazetteer

    candidates = Gazetteer.default().search(name, country=country, limit=limit, fuzzy=fuzzy)
    click.echo(json.dumps([c.as_dict() for c in candidates], ensure_ascii=False, indent=2))
