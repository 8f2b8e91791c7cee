"""Train the recogniser's span filter (``mapper.toponyms.SpanFilter``) on TRAIN+DEV.

The rules of ``Recognizer.find`` propose spans; this fits a logistic regression (numpy,
Newton steps with an L2 penalty) that says which of them are toponyms, over the simple
features of ``Recognizer.span_features``. Labels come from a gold corpus (GeoWebNews by
default; LGL too with ``--train GWN LGL``), TRAIN and DEV documents only, by the scorer's
own matching rule; test documents are never read.

The penalty and the threshold are chosen by cross-validation over documents (``FOLDS``
folds of the training corpora's TRAIN+DEV documents; a corpus not trained on is scored with
the weights fitted on all training documents): the pair with the best mean recognition F1
over the corpora among those that drop at most ``MAX_PLACED_LOST_SHARE`` of each corpus's
mentions that the resolver places right (end-to-end accuracy must not drop). The final
weights are fitted on all TRAIN+DEV documents. Prints the cross-validated table and writes
the weights as JSON:

    .venv/bin/python benchmarks/train_recognition.py [--out mapper/data/recognition_filter.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper import toponyms  # noqa: E402
from mapper.evaluate import error_km, match_mentions, read_corpus, select_split  # noqa: E402
from mapper.resolve import Geoparser, default_geoparser  # noqa: E402
from mapper.toponyms import SPAN_FEATURES, SPAN_FILTER_FILE, judged_spans  # noqa: E402

CORPORA = {
    "GWN": ROOT.parent / "shared" / "corpora" / "geowebnews" / "GWN.xml",
    "LGL": ROOT.parent / "shared" / "corpora" / "lgl" / "lgl.xml",
}
SPLITS = ("train", "dev")  # never "test"
FOLDS = 5
L2S = (0.3, 1.0, 3.0, 10.0)  # penalties tried (on the weights, not the bias)
THRESHOLDS = [round(t, 2) for t in np.arange(0.0, 0.61, 0.05)]
# Share of a corpus's judged mentions placed within 161 km that a threshold may drop.
MAX_PLACED_LOST_SHARE = 0.002


@dataclass
class DocExamples:
    """One document's judged spans: feature rows, 0/1 labels (the span matches a gold
    toponym), which ones the resolver places within 161 km of their gold point; and what
    the filter does not judge (roads, abbreviations): their matches and count, and the
    document's gold count, so that precision and recall are the scorer's."""

    x: Any
    y: Any
    placed: Any
    unjudged_tp: int
    unjudged: int
    gold: int


def examples(parser: Geoparser, path: Path) -> list[DocExamples]:
    """The ``DocExamples`` of the TRAIN and DEV documents of the corpus at ``path``."""
    recognizer = parser.recognizer
    corpus = read_corpus(path)
    out = []
    width = len(SPAN_FEATURES)
    for split in SPLITS:
        for doc in select_split(corpus, split):
            mentions = {(m.start, m.end): m for m in parser.parse(doc.text)}
            spans = recognizer.find(doc.text, filtered=False)
            judged = judged_spans(spans)
            preds = [s for s in spans if not s.person]  # what the scorer would see
            pairs = match_mentions(doc.toponyms, preds)  # type: ignore[arg-type]
            matched = {id(preds[i]): doc.toponyms[g] for g, i in pairs.items()}
            labels, placed = [], []
            for s in judged:
                g = matched.get(id(s))
                labels.append(0.0 if g is None else 1.0)
                m = mentions.get((s.start, s.end))
                placed.append(g is not None and g.has_point and m is not None
                              and error_km(g, m) < 161.0)
            judged_ids = {id(s) for s in judged}
            unjudged = [s for s in preds if id(s) not in judged_ids]
            x = (recognizer.span_features(doc.text, spans) if judged
                 else np.zeros((0, width)))
            out.append(DocExamples(x, np.asarray(labels), np.asarray(placed, dtype=bool),
                                   sum(1 for s in unjudged if id(s) in matched),
                                   len(unjudged), len(doc.toponyms)))
    return out


def fit(x: Any, y: Any, *, l2: float, steps: int = 50) -> Any:
    """Logistic regression weights by Newton's method (L2 on all but the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_docs(docs: list[DocExamples], *, l2: float) -> Any:
    return fit(np.vstack([d.x for d in docs]), np.concatenate([d.y for d in docs]), l2=l2)


def probabilities(docs: list[DocExamples], w: Any) -> list[Any]:
    return [1.0 / (1.0 + np.exp(-(d.x @ w))) for d in docs]


def cross_validated(data: dict[str, list[DocExamples]], train: list[str], *, l2: float
                    ) -> dict[str, list[Any]]:
    """Each document's span probabilities from weights fitted without it: document folds
    for the training corpora, all training documents for the others."""
    out: dict[str, list[Any]] = {}
    everything = fit_docs([d for n in train for d in data[n]], l2=l2)
    for name, docs in data.items():
        if name not in train:
            out[name] = probabilities(docs, everything)
            continue
        probs: list[Any] = [None] * len(docs)
        for k in range(FOLDS):
            rest = [d for n in train for i, d in enumerate(data[n])
                    if n != name or i % FOLDS != k]
            w = fit_docs(rest, l2=l2)
            for i, d in enumerate(docs):
                if i % FOLDS == k:
                    probs[i] = 1.0 / (1.0 + np.exp(-(d.x @ w)))
        out[name] = probs
    return out


def score(docs: list[DocExamples], probs: list[Any], threshold: float
          ) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and well-placed mentions lost when spans below
    ``threshold`` are dropped."""
    tp = pred = gold = lost = 0
    for d, p in zip(docs, probs, strict=True):
        keep = p >= threshold
        tp += int(d.y[keep].sum()) + d.unjudged_tp
        pred += int(keep.sum()) + d.unjudged
        gold += d.gold
        lost += int((d.placed & ~keep).sum())
    prec = tp / pred if pred else 0.0
    rec = tp / gold if gold else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0), lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "mapper" / "data" / SPAN_FILTER_FILE,
                    help="where to write the weights (JSON)")
    ap.add_argument("--train", nargs="+", choices=sorted(CORPORA), default=["GWN"],
                    help="corpora whose TRAIN+DEV documents the weights are fitted on (GWN "
                    "alone gave the better F1 on both corpora)")
    ap.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    args = ap.parse_args(argv)
    # The rules alone: the shipped filter (possibly stale, with other features) stays out.
    toponyms.SPAN_FILTER_FILE = "(none: training)"
    parser = default_geoparser()
    data = {name: examples(parser, path) for name, path in CORPORA.items()}
    budget = {name: int(MAX_PLACED_LOST_SHARE * sum(int(d.placed.sum()) for d in docs))
              for name, docs in data.items()}
    print(f"{FOLDS}-fold cross-validation over TRAIN+DEV documents; trained on "
          f"{' and '.join(args.train)}; well-placed mentions a threshold may drop: "
          + ", ".join(f"{n} {b}" for n, b in budget.items()))
    print("L2 | threshold | " + " | ".join(f"{n} P / R / F1 / placed lost" for n in data)
          + " | mean F1")
    best = (-1.0, L2S[0], 0.0)
    for l2 in L2S:
        probs = cross_validated(data, args.train, l2=l2)
        for t in THRESHOLDS:
            cells, f1s, within = [], [], True
            for name, docs in data.items():
                p, r, f, lost = score(docs, probs[name], t)
                cells.append(f"{p:.3f} / {r:.3f} / {f:.4f} / {lost}")
                f1s.append(f)
                within = within and lost <= budget[name]
            mean = sum(f1s) / len(f1s)
            print(f"{l2:4} | {t:9.2f} | " + " | ".join(cells) + f" | {mean:.4f}"
                  + ("" if within else "  (drops too many)"))
            if within and mean > best[0] + 1e-9:
                best = (mean, l2, t)
    mean, l2, threshold = best
    print(f"chosen: L2 {l2}, threshold {threshold} (cross-validated mean F1 {mean:.4f})")
    w = fit_docs([d for n in args.train for d in data[n]], l2=l2)
    for name, weight in zip(SPAN_FEATURES, w.tolist(), strict=True):
        print(f"  {name:22} {weight:+.3f}")
    if args.dry_run:
        return 0
    record = {
        "about": ("Keep/drop weights for recognised spans (mapper.toponyms.SpanFilter): "
                  "logistic regression trained by benchmarks/train_recognition.py on the TRAIN "
                  f"and DEV documents of {' and '.join(args.train)} (mapper/data/eval_split.json), "
                  f"L2 penalty {l2} and threshold chosen by {FOLDS}-fold cross-validation over "
                  "those documents. Numbers learnt from those corpora's annotations; no text "
                  "of them is stored. Licence: same as the project."),
        "features": list(SPAN_FEATURES),
        "weights": [round(v, 4) for v in w.tolist()],
        "threshold": threshold,
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
