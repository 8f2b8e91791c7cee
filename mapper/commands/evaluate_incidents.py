"""``incident-mapper evaluate-incidents``: score incident extraction on a hand-annotated gold set."""

from __future__ import annotations

import json

import click

from mapper.errors import InputError


@click.command("evaluate-incidents")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--root", "roots", multiple=True, metavar="NAME=DIR",
              help="Folder of a document root named in the gold file (default: examples=examples/articles, "
                   "seeds=$INCIDENT_MAPPER_SEEDS or ../shared/seeds).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def command(gold: str, roots: tuple[str, ...], as_json: bool) -> None:
    """Score incident extraction on GOLD (precision, recall, F1, actor and date accuracy)."""
    from mapper.evaluate_incidents import default_roots, evaluate

    folders: dict[str, str] = {k: str(v) for k, v in default_roots().items()}
    for item in roots:
        name, sep, folder = item.partition("=")
        if not sep or not name or not folder:
            raise InputError(f"--root {item!r}: expected NAME=DIR, e.g. seeds=../shared/seeds")
        folders[name] = folder
    result = evaluate(gold, roots=folders)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"documents {result['documents']} (skipped {len(result['skipped'])})  gold {result['gold']}  "
               f"predicted {result['predicted']}  matched {result['matched']}")
    click.echo(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    for key in ("actor", "date"):
        acc = result[f"{key}_accuracy"]
        click.echo(f"{key} accuracy {'n/a' if acc is None else f'{acc:.3f}'} over {result[f'{key}_n']} matches")
    for split in ("dev", "test"):
        part = result[split]
        click.echo(f"  {split}: {part['documents']} documents, P {part['precision']:.3f} R {part['recall']:.3f} "
                   f"F1 {part['f1']:.3f}")
    click.echo(f"incidents placed only by an actor's name: {result['placed_by_actor_name']}")
    for item in result["skipped"]:
        click.echo(f"skipped {item['doc']}: {item['reason']}", err=True)
    for item in result["stale_quotes"]:
        click.echo(f"stale gold quote in {item['doc']}: {item['quote']!r}", err=True)
