"""Train the candidate ranker on the TRAIN split of GeoWebNews and LGL only.

Run:  .venv/bin/python benchmarks/train_geoparse_ranker.py [--out mapper/data/ranker.json]

Features come from ``Geoparser.features`` with gold spans; the second round re-extracts them
with the first round's weights (the "near other places" features depend on the choices).
Prints the train-split acc@161 (gold spans) before and after. Dev/test are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from mapper.evaluate import evaluate_corpus, fit_ranker, ranker_examples, read_corpus
from mapper.resolve import FEATURES, Geoparser, Ranker

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_geoparse import CORPORA


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "mapper" / "data" / "ranker.json"))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--steps", type=int, default=1500, help="Adam steps per round")
    ap.add_argument("--l2", type=float, default=1e-4, help="L2 penalty on the weights (picked on DEV)")
    ap.add_argument("--once-per-name", action="store_true",
                    help="one example per name and document instead of one per mention")
    args = ap.parse_args(argv)
    corpora = [read_corpus(p) for p in CORPORA.values()]
    # Round 1 extracts features with the hand-set weights, not the shipped ones: the result
    # does not depend on what was trained before.
    parser = Geoparser(ranker=Ranker.hand_set())
    t0 = time.perf_counter()
    weights: list[float] = list(parser.ranker.weights)
    for rnd in range(args.rounds):
        examples = [e for c in corpora for e in ranker_examples(c, parser, split="train",
                                                          once_per_name=args.once_per_name)]
        weights = fit_ranker(examples, l2=args.l2, steps=args.steps)
        parser.ranker = Ranker(tuple(weights), source=f"round {rnd + 1}")
        for c in corpora:
            s = evaluate_corpus(c, split="train", parse=lambda t, d: [],
                                resolve=lambda t, sp, d: parser.resolve(t, sp, doc_id=d))
            print(f"round {rnd + 1}: {len(examples)} examples; {c.name} train gold-span "
                  f"acc@161 {s['resolution_gold_spans']['acc_at_161']:.3f}")
    out = {
        "about": "Weights of the geoparser's candidate ranker (mapper.resolve.FEATURES), a "
                 "conditional logit fitted by benchmarks/train_geoparse_ranker.py on the TRAIN "
                 "split (mapper/data/eval_split.json) of GeoWebNews and LGL only.",
        "weights": {f: round(w, 5) for f, w in zip(FEATURES, weights, strict=True)},
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
