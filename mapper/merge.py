"""Merge reports of the same event from several articles and datasets into one incident.

Rule (docs/importers.md): two reports are the same event when
  - they are both threats or both attacks, of the same method family (rocket/mortar/artillery
    = indirect fire; drone/airstrike = air; ...; from ``method`` or else the ACLED
    sub_event_type; families in ``mapper/data/import_crosswalks.yaml``);
  - their date ranges overlap or lie within one day of each other;
  - their points lie within the sum of their uncertainty radii (``uncertainty_km``, or by
    ``geo_precision``: 2, 25, 100 km);
  - they are not in two different countries (one event per place: strikes on both sides of
    a border stay two events, as ACLED codes them);
  - they are not two rows of the same curated dataset file (ACLED, UCDP and user tables were
    de-duplicated by their coders; GDELT rows and article reports are merged).
Grouping is complete-linkage (a report joins a group only if it matches every member), in a
fixed order, so the result does not depend on input order and no chain of near matches
swallows distinct events. The merged incident keeps every evidence item (the report with the
most precise date first, so the quote shown comes from the article about the event rather
than a later recap); each field comes
from the member best placed for it (place from the most precise location, dates from the
most precise date, fatalities as the lowest figure), and disagreeing values are listed with
their sources in ``MergeResult.conflicts``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from mapper.model import Evidence, Incident

DAY_SLACK = dt.timedelta(days=1)
#: Radius (km) assumed for an incident without ``uncertainty_km``, by ``geo_precision``.
DEFAULT_RADIUS_KM: dict[int | None, float] = {1: 2.0, 2: 25.0, 3: 100.0, None: 25.0}
_ORIGIN_RANK = {"extracted": 0, "csv": 1, "ucdp": 2, "acled": 3, "gdelt": 4}
_CONFLICT_FIELDS = ("event_type", "sub_event_type", "method", "date_start", "date_end",
                    "location", "country", "admin1", "actor1", "actor2", "fatalities")


@dataclass
class MergeResult:
    """Merged incidents (sorted by id), how many reports were merged away, and conflicts."""

    incidents: list[Incident]
    merged: int
    groups: int = 0  # incidents that absorbed at least one other report
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_incidents(incidents: Sequence[Incident]) -> tuple[list[Incident], int]:
    """Merge reports of the same event; returns the incidents (by id) and how many merged away."""
    result = merge_incidents_detailed(incidents)
    return result.incidents, result.merged


def merge_incidents_detailed(incidents: Sequence[Incident]) -> MergeResult:
    """``merge_incidents`` with the groups and the conflicting values kept with their sources."""
    from mapper.importers.common import paused_gc

    with paused_gc():
        groups = _group(incidents)
    merged: list[Incident] = []
    conflicts: list[dict[str, Any]] = []
    for members in groups:
        incident = _combine(members) if len(members) > 1 else members[0]
        merged.append(incident)
        if len(members) > 1:
            conflicts.extend(_conflicts(incident.id, members))
    merged.sort(key=lambda i: i.id)
    return MergeResult(merged, len(incidents) - len(merged),
                       sum(1 for g in groups if len(g) > 1), conflicts)


# --- matching --------------------------------------------------------------------------------

@cache
def _families() -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    from mapper.importers.common import crosswalks

    out = []
    for entry in crosswalks()["method_families"]:
        words = "|".join(re.escape(k) for k in entry["keywords"])
        out.append((entry["family"], re.compile(rf"\b(?:{words})", re.IGNORECASE),
                    frozenset(entry["sub_event_types"])))
    return tuple(out)


@cache
def _family(method: str, sub_event_type: str, is_threat: bool) -> str | None:
    if is_threat:
        return "threat"
    for name, pattern, _ in _families():
        if method and pattern.search(method):
            return name
    for name, _, subs in _families():
        if sub_event_type in subs:
            return name
    return None


@cache
def _curated() -> frozenset[str]:
    from mapper.importers.common import crosswalks

    return frozenset(crosswalks()["curated_origins"])


@dataclass(slots=True)
class _Key:
    """What matching needs of one incident, computed once."""

    incident: Incident
    family: str | None
    start: dt.date | None
    end: dt.date | None
    radius: float
    files: frozenset[str]


def _key(i: Incident, curated: frozenset[str]) -> _Key:
    radius = i.uncertainty_km if i.uncertainty_km is not None else DEFAULT_RADIUS_KM.get(
        i.geo_precision, DEFAULT_RADIUS_KM[None])
    files = frozenset(e.doc_id.rsplit("#", 1)[0] for e in i.evidence if e.origin in curated)
    return _Key(i, _family(i.method or "", i.sub_event_type or "", bool(i.is_threat)),
                i.date_start, i.date_end or i.date_start, float(radius), files)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def same_event(a: _Key, b: _Key) -> bool:
    """True when two reports describe one event under the module's rule."""
    if a.family is None or a.family != b.family:
        return False
    if a.files & b.files:
        return False
    assert a.start and a.end and b.start and b.end  # only dated reports are compared
    if a.start > b.end + DAY_SLACK or b.start > a.end + DAY_SLACK:
        return False
    x, y = a.incident, b.incident
    if x.country and y.country and x.country != y.country:
        return False  # one event per place: strikes on both sides of a border stay two
    if x.lat is None or x.lon is None or y.lat is None or y.lon is None:
        same_name = x.location and y.location and x.location.casefold() == y.location.casefold()
        return bool(x.place_id and x.place_id == y.place_id) or bool(same_name)
    return _haversine_km(x.lat, x.lon, y.lat, y.lon) <= a.radius + b.radius


def _span(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class _Index:
    """Groups indexed by (method family, day) and by the curated files they hold.

    A row of a curated file skips, in one step per day, every group holding a row of its own
    file: importing a million UCDP rows does not compare them with each other.
    """

    def __init__(self) -> None:
        self.members: list[list[_Key]] = []
        self.files: list[frozenset[str]] = []
        self.slots: list[set[tuple[str, dt.date]]] = []
        self.by_slot: dict[tuple[str, dt.date], dict[frozenset[str], set[int]]] = {}

    def candidates(self, family: str, first: dt.date, last: dt.date,
                   files: frozenset[str]) -> list[int]:
        found: set[int] = set()
        for day in _span(first - DAY_SLACK, last + DAY_SLACK):
            for held, groups in self.by_slot.get((family, day), {}).items():
                if not held & files:
                    found |= groups
        return sorted(found)

    def add(self, target: int | None, keys: list[_Key], files: frozenset[str],
            slots: list[tuple[str, dt.date]]) -> None:
        """Put ``keys`` into group ``target`` (a new group when None) and index it."""
        if target is None:
            target = len(self.members)
            self.members.append([])
            self.files.append(frozenset())
            self.slots.append(set())
        old, new = self.files[target], self.files[target] | files
        if new != old:
            for slot in self.slots[target]:
                self.by_slot[slot][old].discard(target)
                self.by_slot[slot].setdefault(new, set()).add(target)
            self.files[target] = new
        for slot in slots:
            if slot not in self.slots[target]:
                self.slots[target].add(slot)
                self.by_slot.setdefault(slot, {}).setdefault(new, set()).add(target)
        self.members[target].extend(keys)


def _group(incidents: Sequence[Incident]) -> list[list[Incident]]:
    """Complete-linkage groups in a fixed order (by date, then id); same id = same incident."""
    by_id: dict[str, list[Incident]] = defaultdict(list)
    for i in incidents:
        by_id[i.id].append(i)
    order = sorted(by_id.values(), key=lambda g: (g[0].date_start or dt.date.max, g[0].id))
    index = _Index()
    curated = _curated()
    for same_id in order:
        keys = [_key(i, curated) for i in same_id]
        first = keys[0]
        files = frozenset().union(*(k.files for k in keys))
        target, slots = None, []
        if first.start is not None and first.end is not None and first.family is not None:
            for g in index.candidates(first.family, first.start, first.end, files):
                if all(same_event(k, m) for k in keys for m in index.members[g]):
                    target = g
                    break
            slots = [(first.family, day) for day in _span(first.start, first.end)]
        index.add(target, keys, files, slots)
    return [[k.incident for k in g] for g in index.members]


# --- combining -------------------------------------------------------------------------------

def _place_rank(i: Incident) -> tuple:
    has_point = i.lat is not None and i.lon is not None
    return (not has_point, i.geo_precision or 9,
            i.uncertainty_km if i.uncertainty_km is not None else math.inf,
            _ORIGIN_RANK.get(i.origin, 9), i.id)


def _date_rank(i: Incident) -> tuple:
    span = (i.date_end - i.date_start).days if i.date_start and i.date_end else 10**6
    return (i.time_precision or 9, span, _ORIGIN_RANK.get(i.origin, 9), i.id)


def _type_rank(i: Incident) -> tuple:
    return (not i.method, not i.sub_event_type, _ORIGIN_RANK.get(i.origin, 9), i.id)


def _combine(members: list[Incident]) -> Incident:
    """One incident from several reports: each field from the member best placed for it."""
    place = min(members, key=_place_rank)
    when = min(members, key=_date_rank)
    kind = min(members, key=_type_rank)
    by_rank = sorted(members, key=_place_rank)
    actor = next((m for m in by_rank if m.actor1), place)
    named = {actor.actor1, actor.actor2}
    others: list[str] = []
    for m in by_rank:
        for name in (m.actor1, m.actor2, *(m.assoc_actors or "").split(";")):
            name = (name or "").strip()
            if name and name not in named and name not in others:
                others.append(name)
    figures = [m.fatalities for m in members if m.fatalities is not None]
    confidences = [m.confidence for m in members if m.confidence is not None]
    # restricted licences first, so "ACLED; own" is recognised as restricted by its prefix
    licences = sorted({m.licence for m in members}, key=lambda x: (not x.lower().startswith("acled"), x))
    evidence: list[Evidence] = []
    # the report with the most precise date first: usually the article whose main event it
    # is, rather than a later article's recap
    for m in sorted(members, key=_date_rank):
        for e in m.evidence:
            if e not in evidence:
                evidence.append(e)
    return replace(
        place,
        event_type=kind.event_type, sub_event_type=kind.sub_event_type,
        disorder_type=kind.disorder_type, method=kind.method, cameo_code=kind.cameo_code
        or next((m.cameo_code for m in by_rank if m.cameo_code), None),
        is_threat=kind.is_threat,
        date_start=when.date_start, date_end=when.date_end, time_precision=when.time_precision,
        actor1=actor.actor1, actor2=actor.actor2, assoc_actors="; ".join(others) or None,
        attribution=actor.attribution or next((m.attribution for m in by_rank if m.attribution), None),
        target=next((m.target for m in by_rank if m.target), None),
        fatalities=min(figures) if figures else None,
        confidence=max(confidences) if confidences else None,
        licence="; ".join(licences),
        evidence=evidence,
    )


def _conflicts(merged_id: str, members: list[Incident]) -> list[dict[str, Any]]:
    """Fields on which the members disagree, each value with the documents that gave it."""
    out = []
    for name in _CONFLICT_FIELDS:
        values: dict[str, list[str]] = {}
        for m in sorted(members, key=_place_rank):
            value = getattr(m, name)
            if value is None or value == "":
                continue
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            values.setdefault(text, []).extend(e.doc_id for e in m.evidence)
        if len(values) > 1:
            out.append({"id": merged_id, "field": name,
                        "values": [{"value": v, "doc_ids": d} for v, d in values.items()]})
    return out
