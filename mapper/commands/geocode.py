"""``incident-mapper geocode NAME --json``: gazetteer candidates, best first."""

from __future__ import annotations

import json

import click


@click.command("geocode")
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-2 country code to restrict to (e.g. IQ).")
@click.option("--feature-class", help="GeoNames feature class letter(s) to keep (e.g. P, A, S).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--fuzzy/--no-fuzzy", default=True, show_default=True, help="Fall back to fuzzy matching.")
@click.option("--online", is_flag=True, default=False,
              help="If nothing local matches, ask OpenStreetMap Nominatim (network; rate limited, "
                   "answers cached in the user cache). Off by default.")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
def command(name: str, country: str | None, feature_class: str | None, limit: int, fuzzy: bool,
            online: bool, as_json: bool) -> None:
    """Print gazetteer candidates for NAME, best first."""
    from gazetteer import Gazetteer
    from gazetteer.errors import GazetteerQueryError
    from mapper.errors import InputError

    try:
        candidates = Gazetteer.default().search(name, country=country, feature_class=feature_class,
                                                limit=limit, fuzzy=fuzzy)
    except GazetteerQueryError as exc:
        raise InputError(str(exc)) from exc
    if not candidates and online:
        from importlib.metadata import version

        from gazetteer.online import OnlineFallback

        fallback = OnlineFallback(user_agent=f"incident-mapper/{version('incident-mapper')}")
        try:
            hit = fallback.lookup(name, country=country)
        finally:
            fallback.close()
        candidates = [] if hit is None else [hit]
    click.echo(json.dumps([c.as_dict() for c in candidates], ensure_ascii=False, indent=2))
