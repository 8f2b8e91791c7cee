"""Score incident extraction against a hand-annotated gold set.

Gold file format: ``tests/data/gold/incidents.yaml`` (documented in its header and in the
README beside it). Documents are named by a root and a path (``seeds/000_x.txt``,
``examples/more.jsonl`` plus ``record``); the roots are folders given by the caller.

Matching (one to one, greedy by distance): a predicted incident matches a gold one when
the threat flag agrees, the method family is one of the gold methods' families, the place is
within 25 km of the gold point or, when either side is only known to region level
(ACLED geo_precision 3), in the gold country; and the date ranges overlap. A gold field that
is null (no place, no date named by the text) does not constrain the match. On matches,
actor accuracy counts the gold incidents that name an actor, date accuracy those that
carry a date (correct: the predicted range lies within the gold range, 3 days of slack).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mapper.errors import InputError
from mapper.model import Document, Incident

__all__ = ["GoldDocument", "GoldIncident", "evaluate", "load_gold", "score"]

MATCH_KM = 25.0
DATE_SLACK = dt.timedelta(days=3)


@dataclass(frozen=True)
class GoldIncident:
    methods: tuple[str, ...]
    is_threat: bool
    place_name: str | None
    lat: float | None
    lon: float | None
    precision: int | None
    countries: tuple[str, ...]
    date: tuple[dt.date, dt.date] | None
    actor: str | None
    quote: str


@dataclass
class GoldDocument:
    ref: str  # "seeds/000_x.txt" or "examples/more.jsonl#record"
    path: Path | None
    record: str | None
    published: dt.date | None
    override_published: bool
    split: str = "dev"
    incidents: list[GoldIncident] = field(default_factory=list)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _gold_incident(row: Any, where: str) -> GoldIncident:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected a mapping, got {row!r}")
    for key in ("method", "threat", "quote"):
        if key not in row:
            raise InputError(f"{where}: missing field {key!r}")
    methods = row["method"] if isinstance(row["method"], list) else [row["method"]]
    place = row.get("place")
    lat = lon = None
    countries: tuple[str, ...] = ()
    precision = None
    name = None
    if place is not None:
        if not isinstance(place, dict):
            raise InputError(f"{where}: place must be a mapping or null, got {place!r}")
        name, precision = place.get("name"), place.get("precision")
        if precision not in (1, 2, 3):
            raise InputError(f"{where}: place precision {precision!r} must be 1, 2 or 3")
        if place.get("lat") is not None:
            lat, lon = float(place["lat"]), float(place["lon"])
        raw = place.get("country")
        countries = tuple(raw) if isinstance(raw, list) else ((raw,) if raw else ())
        if lat is None and not countries:
            raise InputError(f"{where}: place needs lat/lon or a country")
    date = row.get("date")
    rng = None
    if date is not None:
        if not isinstance(date, list) or len(date) != 2:
            raise InputError(f"{where}: date must be [first, last] or null, got {date!r}")
        first, last = _date(date[0], where), _date(date[1], where)
        if last < first:
            raise InputError(f"{where}: date range {date!r} ends before it starts")
        rng = (first, last)
    return GoldIncident(tuple(str(m) for m in methods), bool(row["threat"]), name, lat, lon, precision,
                        countries, rng, row.get("actor"), str(row["quote"]))


def load_gold(path: str | os.PathLike[str], *, roots: Mapping[str, str | os.PathLike[str]]) -> list[GoldDocument]:
    """The gold documents of ``path``; ``roots`` maps the first path part ("seeds") to a folder.

    A document whose root folder is missing gets ``path`` None (the caller reports it).
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: gold file is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise InputError(f"{path}: expected a mapping with a list under 'documents'")
    out = []
    for i, row in enumerate(data["documents"]):
        where = f"{path}: documents[{i}]"
        if not isinstance(row, dict) or "doc" not in row:
            raise InputError(f"{where}: expected a mapping with 'doc'")
        root, _, rel = str(row["doc"]).partition("/")
        if root not in roots:
            raise InputError(f"{where}: unknown root {root!r}; known roots: {sorted(roots)}")
        folder = Path(roots[root])
        doc_path = folder / rel if folder.is_dir() else None
        published = row.get("published")
        incidents = [_gold_incident(r, f"{where}.incidents[{j}]") for j, r in enumerate(row.get("incidents") or [])]
        ref = str(row["doc"]) + (f"#{row['record']}" if row.get("record") else "")
        split = str(row.get("split", "dev"))
        if split not in ("dev", "test"):
            raise InputError(f"{where}: split {split!r} must be 'dev' or 'test'")
        out.append(GoldDocument(ref, doc_path, row.get("record"), _date(published, where) if published else None,
                                "published" in row, split, incidents))
    return out


def read_gold_document(gold: GoldDocument) -> Document:
    """The document a gold entry names, with the gold publication date where it sets one."""
    from mapper.documents import read_file

    assert gold.path is not None
    docs = [d for d in read_file(gold.path) if isinstance(d, Document)]
    if gold.record:
        docs = [d for d in docs if d.doc_id == gold.record]
    if not docs:
        raise InputError(f"{gold.path}: no document {gold.record or ''} found for gold entry {gold.ref}")
    doc = docs[0]
    if gold.override_published:
        doc = Document(doc.doc_id, doc.text, doc.title, doc.url, gold.published, doc.source_path, doc.metadata)
    return doc


# --- matching (pure) -----------------------------------------------------------------------


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def place_distance(gold: GoldIncident, pred: Incident) -> float | None:
    """0..25 km-like distance when the places match, None when they do not."""
    if gold.precision is None:
        return 0.0
    if pred.lat is None or pred.lon is None:
        return None
    if gold.lat is not None and gold.lon is not None:
        km = _km(gold.lat, gold.lon, pred.lat, pred.lon)
        if km <= MATCH_KM:
            return km
    coarse = gold.precision == 3 or (pred.geo_precision or 0) == 3
    if coarse and pred.country and pred.country in (gold.countries or ()):
        return MATCH_KM
    return None


def dates_overlap(gold: GoldIncident, pred: Incident) -> bool:
    if gold.date is None:
        return True
    if pred.date_start is None or pred.date_end is None:
        return False
    return pred.date_start <= gold.date[1] and gold.date[0] <= pred.date_end


def date_correct(gold: GoldIncident, pred: Incident) -> bool:
    if gold.date is None or pred.date_start is None or pred.date_end is None:
        return False
    return gold.date[0] - DATE_SLACK <= pred.date_start and pred.date_end <= gold.date[1] + DATE_SLACK


def score(pairs: list[tuple[list[GoldIncident], list[Incident]]], *, family: Callable[[str], str],
          same_actor: Callable[[str, str | None], bool]) -> dict[str, Any]:
    """Precision, recall, F1 and actor/date accuracy over (gold, predicted) per document."""
    tp = fp = fn = 0
    actor_ok = actor_n = date_ok = date_n = 0
    details = []
    for gold, pred in pairs:
        options = []
        for gi, g in enumerate(gold):
            families = {family(m) for m in g.methods}
            for pi, p in enumerate(pred):
                if bool(p.is_threat) != g.is_threat or family(p.method) not in families:
                    continue
                dist = place_distance(g, p)
                if dist is None or not dates_overlap(g, p):
                    continue
                options.append((dist, gi, pi))
        used_g: set[int] = set()
        used_p: set[int] = set()
        matches = []
        for dist, gi, pi in sorted(options):
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            matches.append((gi, pi, dist))
        tp += len(matches)
        fp += len(pred) - len(used_p)
        fn += len(gold) - len(used_g)
        for gi, pi, _ in matches:
            g, p = gold[gi], pred[pi]
            if g.actor is not None:
                actor_n += 1
                actor_ok += same_actor(g.actor, p.actor1)
            if g.date is not None:
                date_n += 1
                date_ok += date_correct(g, p)
        details.append({
            "matched": [{"gold": gold[gi].quote, "predicted": pred[pi].id, "km": round(d, 1),
                         "actor": [gold[gi].actor, pred[pi].actor1],
                         "date": [_iso(gold[gi].date), _iso((pred[pi].date_start, pred[pi].date_end))]}
                        for gi, pi, d in matches],
            "missed": [gold[i].quote for i in range(len(gold)) if i not in used_g],
            "spurious": [{"id": p.id, "method": p.method, "location": p.location,
                          "quote": p.evidence[0].quote if p.evidence else None}
                         for i, p in enumerate(pred) if i not in used_p],
        })
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": tp + fn, "predicted": tp + fp, "matched": tp,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "actor_accuracy": round(actor_ok / actor_n, 4) if actor_n else None, "actor_n": actor_n,
        "date_accuracy": round(date_ok / date_n, 4) if date_n else None, "date_n": date_n,
        "details": details,
    }


def _iso(rng: tuple[dt.date | None, dt.date | None] | None) -> list[str | None] | None:
    if rng is None:
        return None
    return [d.isoformat() if d else None for d in rng]


def placed_by_actor_name(incident: Incident, doc: Document, place_mentions: list[Any],
                         actor_mentions: list[Any]) -> bool:
    """True when the incident's place is named in its quotes only inside an actor's name."""
    if incident.place_id is None or not incident.place_id.startswith("cc:"):
        return False
    spans = [(a.start, a.end) for a in actor_mentions]
    for ev in incident.evidence:
        if ev.start is None or ev.end is None:
            continue
        lo = ev.start
        for m in place_mentions:
            if m.place_id == incident.place_id and lo - 400 <= m.start and m.end <= ev.end \
                    and not any(s <= m.start and m.end <= e for s, e in spans) \
                    and "demonym" not in (m.reason or ""):
                return False
    return True


# --- running -----------------------------------------------------------------------------


def evaluate(gold_path: str | os.PathLike[str], *, roots: Mapping[str, str | os.PathLike[str]],
             extractor: Any = None) -> dict[str, Any]:
    """Run the extractor over every gold document and score it (the ``evaluate-incidents`` result)."""
    from mapper.pipeline import Extractor

    golds = load_gold(gold_path, roots=roots)
    extractor = extractor or Extractor()
    pairs = []
    skipped = []
    per_doc: list[GoldDocument] = []
    stale = []
    by_actor_name = 0
    for g in golds:
        if g.path is None:
            skipped.append({"doc": g.ref, "reason": "root folder not found"})
            continue
        doc = read_gold_document(g)
        for inc in g.incidents:
            if " ".join(inc.quote.split()) not in " ".join(doc.text.split()):
                stale.append({"doc": g.ref, "quote": inc.quote})
        result = extractor.process(doc)
        pairs.append((g.incidents, result.incidents))
        by_actor_name += sum(placed_by_actor_name(i, doc, result.mentions, result.actor_mentions)
                             for i in result.incidents)
        per_doc.append(g)
    registry = extractor.registry
    lexicon = extractor.incident_extractor.lexicon

    def same_actor(gold_name: str, predicted: str | None) -> bool:
        if predicted is None:
            return False
        a, b = registry.match_name(gold_name), registry.match_name(predicted)
        return (a is not None and a == b) or gold_name == predicted

    result = score(pairs, family=lexicon.family, same_actor=same_actor)
    for g, detail in zip(per_doc, result["details"], strict=True):
        detail["doc"], detail["split"] = g.ref, g.split
    for split in ("dev", "test"):
        chosen = [p for g, p in zip(per_doc, pairs, strict=True) if g.split == split]
        part = score(chosen, family=lexicon.family, same_actor=same_actor)
        part.pop("details")
        result[split] = {"documents": len(chosen), **part}
    result["documents"] = len(pairs)
    result["skipped"] = skipped
    result["stale_quotes"] = stale
    result["placed_by_actor_name"] = by_actor_name
    return result


def default_roots() -> dict[str, Path]:
    """Roots of the project's gold file, relative to the working directory (the repository):
    ``examples`` = examples/articles, ``seeds`` = ``$INCIDENT_MAPPER_SEEDS`` or ../shared/seeds."""
    seeds = os.environ.get("INCIDENT_MAPPER_SEEDS") or os.path.join("..", "shared", "seeds")
    return {"examples": Path("examples") / "articles", "seeds": Path(seeds)}
