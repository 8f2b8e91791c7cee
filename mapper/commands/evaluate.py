"""``incident-mapper evaluate CORPUS.xml``: score the geoparser on a gold corpus."""

from __future__ import annotations

import json
import math

import click

from mapper.evaluate import SPLITS


def _clean(value: object) -> object:
    """JSON-safe: NaN becomes null, floats are rounded to 4 places."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


@click.command("evaluate")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(SPLITS), default="all", show_default=True,
              help="Which documents to score (the committed document-level split).")
@click.option("--layout", type=click.Choice(["gwn", "lgl", "geovirus"]), default=None,
              help="Corpus layout; detected from the XML when omitted.")
@click.option("--no-gold-spans", is_flag=True, help="Skip resolution with gold spans.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def command(corpus: str, split: str, layout: str | None, no_gold_spans: bool, as_json: bool) -> None:
    """Score the geoparser on a gold corpus (GeoWebNews, LGL/TR-News or GeoVirus XML)."""
    from mapper.evaluate import evaluate_corpus, read_corpus
    from mapper.resolve import default_geoparser

    gold = read_corpus(corpus, layout=layout)  # type: ignore[arg-type]
    parser = default_geoparser()
    scores = evaluate_corpus(
        gold, split=split,
        parse=lambda text, doc_id: parser.parse(text, doc_id=doc_id),
        resolve=None if no_gold_spans else (
            lambda text, spans, doc_id: parser.resolve(text, spans, doc_id=doc_id)))
    scores = _clean(scores)  # type: ignore[assignment]
    if as_json:
        click.echo(json.dumps(scores, indent=2))
        return
    rec, res, e2e = scores["recognition"], scores["resolution_gold_spans"], scores["end_to_end"]
    click.echo(f"{scores['corpus']} ({split}): {scores['documents']} documents, "
               f"{scores['gold_toponyms']} gold toponyms")
    click.echo(f"recognition  P {rec['precision']}  R {rec['recall']}  F1 {rec['f1']}")
    if res:
        click.echo(f"gold spans   acc@161 {res['acc_at_161']}  mean {res['mean_km']} km  "
                   f"median {res['median_km']} km  AUC {res['auc']}  (n={res['n']})")
        click.echo("             " + ", ".join(f"{k} {v}" for k, v in res["outcomes"].items()))
        if scores.get("resolution_fallbacks"):
            click.echo("  fallbacks  " + ", ".join(f"{k} {v['right']} right / {v['wrong']} wrong"
                                                  for k, v in scores["resolution_fallbacks"].items()))
    click.echo(f"end to end   acc@161 {e2e['acc_at_161']}  "
               f"({scores['chars_per_second']} chars/s)")
