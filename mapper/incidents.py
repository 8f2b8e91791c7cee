"""Incidents from sentences: what happened, where, when, by whom, linked to the right place.

``IncidentExtractor.extract(doc, mentions, actor_mentions)`` reads a document sentence by
sentence with the trigger lexicon (``mapper.events``), the actor mentions
(``mapper.actors``), the resolved place mentions of the geoparser and the date resolver
(``mapper.dates``), and links them with rules:

- **Threats** (a threat cue spoken by an actor, about violence; or an ultimatum such as
  "... or face a new war") become one incident with ``is_threat`` true; triggers inside a
  threat are never attacks. Hypothetical, negated and generic mentions ("could use",
  "a wave of drone attacks", "regular rocket assaults") are not incidents.
- **Place** = where it happened: the first resolved place after the trigger that a locative
  or target word introduces ("near the U.S. Embassy", "at the Basrah Airport", "in
  Baghdad"), else the first place after it, else a locative place before it, else the last
  place of the previous sentence (``geo_precision`` 3). A place inside an actor's name
  ("Iran-backed", "Iraqi Security Forces") or a demonym is never used, so an actor's home
  country never places an event. "near" gives ACLED ``geo_precision`` 2; a country,
  province or region 3; "the Iraq-Syria border" is a border area (a point on the shared
  border, precision 3).
- **Actor** = a demonym right before the trigger ("U.S. airstrike"), else "by X" after it,
  else the nearest actor before it that is not a target ("attacks on U.S. forces"), else
  the actor after an attribution cue ("bore the hallmarks of ... Kata'ib Hezbollah"). Persons
  are never perpetrators of attacks, only voices of threats.
- **Attribution** vocabulary: ``claimed`` (the perpetrator says it did it), ``denied`` (the
  named actor denies it), ``suspected`` ("likely", "hallmarks", "blamed"), ``attributed``
  (the source names the actor as the perpetrator without hedging), ``unknown`` (no actor).
- **Date** = the nearest date expression in the sentence, resolved against the publication
  date; ``time_precision`` as ACLED defines it.
- **One incident per event**: a later mention of the same event in the document ("the
  strike", "the retaliatory strikes") joins the earlier incident as another Evidence item.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mapper.actors import Actor, ActorMention, ActorRegistry
from mapper.dates import DateMention, find_dates
from mapper.events import Cue, Lexicon, Trigger
from mapper.model import Document, Evidence, Incident, PlaceMention, Span
from mapper.text import fold, sentence_spans

__all__ = ["ATTRIBUTIONS", "IncidentExtractor"]

ATTRIBUTIONS = ("claimed", "attributed", "suspected", "denied", "unknown")
_ATTRIBUTION_ORDER = ("denied", "claimed", "suspected", "attributed")

# uncertainty radius (km) by kind of place, and for "near"
_UNCERTAINTY_KM = {"site": 1.0, "town": 5.0, "near": 25.0, "region": 75.0, "country": 250.0, "border": 100.0}
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|outside|inside|into|targeted|targeting|target|hit|hitting|struck|striking|against|"
    r"toward|towards|around|along|across|over|within|close to|north of|south of|east of|west of|of)"
    r"\s+(?:the\s+)?(?:[\w.'’]+\s+){0,2}$", re.IGNORECASE)
_ADJECTIVE_GAP = re.compile(r"^[\s\-]*(?:[a-z]+[\s\-]+)?$")  # "retaliatory " between demonym and trigger
_NOT_A_LOCATION_AFTER = re.compile(
    r"^(?:[\-‐–]\s*(?:backed|led|allied|supported|sponsored|aligned|based|linked|trained|funded|affiliated)\b"
    r"|['’]s\s+(?:proxies|proxy|allies|militias|government|military|forces|regime|leaders|backing|nuclear"
    r"|[\w-]+\s+(?:news\s+agency|media|television|tv|newspaper)))",
    re.IGNORECASE)
_SPEAKER_GAP = 80  # characters between a speaker and the threat word
_BORDER_AFTER = re.compile(r"^\s*(?:border|frontier)s?\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:()\u2014\u2013]|,\s|\s-\s")
_DEFINITE = re.compile(r"\b(?:the|that|this|these|those)\s+(?:[\w.'’-]+\s+){0,3}$", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "both": 2}
_KILLED_BEFORE = re.compile(
    r"\b(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|scores|hundreds|several)"
    r"\s+(?:[\w.'’-]+\s+){0,3}(?:were|was|have been|had been|are)?\s*(?:killed|dead|died|slain)\b", re.IGNORECASE)
_KILLED_AFTER = re.compile(
    r"\b(?:killed|killing|kills)\s+(?:at least\s+|about\s+|around\s+|nearly\s+|some\s+)?"
    r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|scores|hundreds|several|both)\b",
    re.IGNORECASE)
_KILLED_WORD = re.compile(r"\b(?:killed|killing|kills)\b", re.IGNORECASE)
_ALSO_KILLED = re.compile(r"\b(?:was|were)\s+(?:also\s+)?killed\b", re.IGNORECASE)
_NO_CASUALTIES = re.compile(r"\bno\s+(?:casualties|fatalities|deaths|one was killed|injuries)\b", re.IGNORECASE)


@dataclass
class _Place:
    """A usable place for an event, with how precisely it locates it."""

    place_id: str | None
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    precision: int
    uncertainty_km: float
    rank: int  # specificity: 3 site, 2 town, 1 region, 0 country
    start: int
    end: int


@dataclass
class _Candidate:
    """An incident being assembled from one sentence (and later mentions of the same event)."""

    method: str
    family: str
    sub_event_override: str | None
    is_threat: bool
    trigger: Span
    sentence: Span
    definite: bool
    place: _Place | None
    place_from_context: bool
    dates: DateMention | None
    actor: Actor | None
    actor2: Actor | None
    attribution: str
    target: str | None
    fatalities: int | None
    weak: bool
    evidence: list[Span] = field(default_factory=list)


class IncidentExtractor:
    """Turns one document's text, place mentions and actor mentions into incidents."""

    def __init__(self, *, registry: ActorRegistry, geoparser: Any = None, lexicon: Lexicon | None = None) -> None:
        self.registry = registry
        self.geoparser = geoparser
        self.lexicon = lexicon or Lexicon.default()

    # --- entry point ------------------------------------------------------------------

    def extract(self, doc: Document, mentions: list[PlaceMention],
                actor_mentions: list[ActorMention]) -> list[Incident]:
        """Incidents reported in ``doc``, one per event, each with its quotes as evidence."""
        text = doc.text
        if not text:
            return []
        folded = fold(text)
        triggers = self.lexicon.triggers(text, folded)
        cues = self.lexicon.cues(text, folded)
        dates = find_dates(text, published=doc.published)
        actors = sorted(actor_mentions, key=lambda a: a.start)
        places = self._usable_places(text, mentions, actors)
        candidates: list[_Candidate] = []
        sentences = sentence_spans(text)
        prev_places: list[_Place] = []
        for sent in sentences:
            s_trig = _within(triggers, sent)
            s_places = _within(places, sent)
            s_cues = _within(cues, sent)
            if s_trig or any(c.kind == "threat_cues" for c in s_cues):
                ctx = _Sentence(text, folded, sent, s_trig, s_cues, _within(dates, sent),
                                _within(actors, sent), s_places, prev_places)
                candidates.extend(self._sentence_candidates(ctx))
            if s_places:
                prev_places = s_places
        merged = self._merge(candidates)
        return [self._incident(doc, c) for c in merged if _reportable(c)]

    # --- places -------------------------------------------------------------------------

    def _usable_places(self, text: str, mentions: list[PlaceMention], actors: list[ActorMention]) -> list[_Place]:
        """Resolved mentions that can locate an event (not inside an actor name, not demonyms)."""
        spans = [(a.start, a.end) for a in actors]
        starts = [s for s, _ in spans]
        out: list[_Place] = []
        ordered = sorted((m for m in mentions if m.status == "resolved" and m.lat is not None and m.lon is not None),
                         key=lambda m: m.start)
        for i, m in enumerate(ordered):
            if "demonym" in (m.reason or "").lower():
                continue
            j = bisect_left(starts, m.end)
            if any(s <= m.start and m.end <= e for s, e in spans[max(0, j - 3):j]):
                continue  # inside an actor's name: "Iran-backed militias", "Iraqi Security Forces"
            after = text[m.end:m.end + 40]
            if _NOT_A_LOCATION_AFTER.match(after):
                continue
            border = self._border(text, ordered, i)
            if border is not None:
                out.append(border)
                continue
            if i > 0 and out and out[-1].place_id and out[-1].place_id.startswith("border:") and out[-1].end >= m.end:
                continue
            out.append(_place_of(m))
        return out

    def _border(self, text: str, ordered: list[PlaceMention], i: int) -> _Place | None:
        """"the Iraq-Syria border": two countries joined by a dash and followed by "border"."""
        m = ordered[i]
        if i + 1 >= len(ordered) or not _is_country(m):
            return None
        n = ordered[i + 1]
        if not _is_country(n) or text[m.end:n.start].strip() not in ("-", "–", "—", "/", "and"):
            return None
        if not _BORDER_AFTER.match(text[n.end:n.end + 20]):
            return None
        point = _border_point(self._gazetteer(), m.country_code or "", n.country_code or "")
        if point is None:
            return None
        lon, lat, half_km = point
        name = f"{m.name}–{n.name} border"
        return _Place(f"border:{m.country_code}-{n.country_code}", name, lat, lon, m.country_code, None, 3,
                      min(max(half_km, 25.0), 400.0), 1, m.start, n.end)

    def _gazetteer(self) -> Any:
        return getattr(self.geoparser, "gazetteer", None)

    # --- one sentence -------------------------------------------------------------------

    def _sentence_candidates(self, s: _Sentence) -> list[_Candidate]:
        threat = self._threat(s)
        if threat is not None:
            return [threat]
        if not s.triggers:
            return []
        groups = self._trigger_groups(s)
        out = []
        for group in groups:
            cand = self._link(s, group, groups)
            if cand is not None:
                out.append(cand)
        return out

    def _threat(self, s: _Sentence) -> _Candidate | None:
        """A threat or warning in this sentence, or None."""
        lx = self.lexicon
        if any(c.kind == "not_threat" for c in s.cues):
            return None
        local = s.folded[s.span.start:s.span.end]
        cue_start = cue_end = None
        speaker: ActorMention | None = None
        for pattern in lx.ultimatums:
            hit = pattern.search(local)
            if hit:
                cue_start, cue_end = s.span.start + hit.start(), s.span.start + hit.end()
                said = _last(c for c in s.cues if c.kind == "threat_cues" and c.end <= cue_start)
                if said is not None:
                    cue_start, cue_end = said.start, said.end
                speaker = _last(a for a in s.actors if a.end <= cue_start and a.kind != "demonym"
                                and cue_start - a.end <= _SPEAKER_GAP)
                break
        if cue_end is None:
            for cue in (c for c in s.cues if c.kind == "threat_cues"):
                who = _last(a for a in s.actors if a.end <= cue.start and a.kind != "demonym"
                            and cue.start - a.end <= _SPEAKER_GAP)
                if who is None:
                    continue
                violent = [v for v in s.cues if v.kind == "threat_violence" and v.start >= cue.end
                           and not _by_other(s, v.end, who.actor_id)]
                conditional = [c for c in s.cues if c.kind == "hypothetical" and c.start >= cue.end
                               and s.folded[c.start:c.end] in ("if", "unless")]
                if violent and not (conditional and conditional[0].start < violent[0].start):
                    cue_start, cue_end, speaker = cue.start, cue.end, who
                    break
        if cue_start is None or cue_end is None:
            return None
        actor = self.registry.get(speaker.actor_id) if speaker else None
        after = [p for p in s.places if p.start >= cue_end]
        that = re.search(r"\bthat\b", s.folded[cue_end:s.span.end])
        if that:
            inner = [p for p in after if p.start >= cue_end + that.end()]
            after = inner or after
        before = [p for p in s.places if p.end <= cue_end]
        place = after[0] if after else (before[-1] if before else None)
        addressee = _first(a for a in s.actors if a.start >= cue_end and a.kind == "actor"
                           and (actor is None or a.actor_id != actor.actor_id))
        return _Candidate(
            method="threat", family="threat", sub_event_override=None, is_threat=True,
            trigger=Span(cue_start, cue_end), sentence=s.span, definite=False, place=place,
            place_from_context=False, dates=_nearest(s.dates, cue_start, cue_end), actor=actor,
            actor2=self.registry.get(addressee.actor_id) if addressee else None,
            attribution="claimed" if actor else "unknown", target=None, fatalities=None, weak=False,
            evidence=[s.span])

    def _trigger_groups(self, s: _Sentence) -> list[list[Trigger]]:
        """Triggers of one event phrase grouped ("attempted assassination via armed drone");
        weak triggers are dropped when a specific one names the event."""
        lx = self.lexicon
        specific = [t for t in s.triggers if not t.weak or self._state_strike(s, t)]
        chosen = specific if specific else list(s.triggers)
        groups: list[list[Trigger]] = []
        for t in chosen:
            if groups:
                prev = groups[-1][-1]
                gap = s.text[prev.end:t.start]
                if (len(gap.split()) <= 2 and not any(prev.end <= p.start < t.start for p in s.places)
                        and not _CLAUSE_BREAK.search(gap)
                        and lx.family(prev.method) != "threat"):
                    groups[-1].append(t)
                    continue
            groups.append([t])
        return groups

    def _state_strike(self, s: _Sentence, t: Trigger) -> bool:
        """"Israeli strikes", "American strikes": a weak strike word made specific by a demonym."""
        if fold(t.text) not in self.lexicon.air_when_state:
            return False
        return self._demonym_before(s, t.start) is not None

    def _demonym_before(self, s: _Sentence, start: int) -> ActorMention | None:
        for a in reversed(s.actors):
            if a.end > start:
                continue
            if a.kind == "demonym" and _ADJECTIVE_GAP.match(s.text[a.end:start]) and start - a.end <= 20:
                return a
            if start - a.end > 20:
                break
        return None

    def _link(self, s: _Sentence, group: list[Trigger], groups: list[list[Trigger]]) -> _Candidate | None:
        lx = self.lexicon
        first, last = group[0], group[-1]
        clause_start = _clause_start(s.text, s.span.start, first.start)
        # hypothetical, negated, generic?
        for cue in s.cues:
            if cue.kind == "hypothetical" and s.span.start <= cue.start < first.start:
                return None
            if cue.kind == "negation" and first.start - 25 <= cue.start < first.start:
                return None
            if cue.kind == "aggregate" and (clause_start <= cue.start < first.start
                                            or last.end <= cue.start <= last.end + 25):
                return None
        method, override = self._method(s, group)
        weak = all(t.weak for t in group) and not any(self._state_strike(s, t) for t in group)
        if weak:
            method = "attack"
        info = lx.method(method)
        # segment of the sentence that belongs to this event: up to the next group
        idx = groups.index(group)
        seg_end = groups[idx + 1][0].start if idx + 1 < len(groups) else s.span.end
        place, from_context = self._place_for(s, first.start, last.end, seg_end)
        if weak and place is None and not _DEFINITE.search(s.text[max(s.span.start, first.start - 40):first.start]):
            return None
        actor, actor_mention = self._actor_for(s, first.start, last.end, seg_end)
        actor2_mention = self._target_actor(s, last.end, seg_end, exclude=actor_mention)
        return _Candidate(
            method=method, family=info.family, sub_event_override=override, is_threat=False,
            trigger=Span(first.start, last.end), sentence=s.span,
            definite=bool(_DEFINITE.search(s.text[max(s.span.start, first.start - 40):first.start])),
            place=place, place_from_context=from_context,
            dates=_nearest(s.dates, first.start, last.end), actor=actor,
            actor2=self.registry.get(actor2_mention.actor_id) if actor2_mention else None,
            attribution=self._attribution(s, actor), target=_target_text(s.text, last.end, seg_end),
            fatalities=self._fatalities(s, first.start), weak=weak, evidence=[s.span])

    def _method(self, s: _Sentence, group: list[Trigger]) -> tuple[str, str | None]:
        """The method of a trigger group, and a sub-event type forced by its means."""
        lx = self.lexicon
        methods = []
        for t in group:
            method = t.method
            intercepted = lx.intercepted.get(method)
            if intercepted and any(c.kind == "interception" and 0 <= t.start - c.end <= 15 for c in s.cues):
                method = intercepted
            elif t.weak and self._state_strike(s, t):
                method = "airstrike"
            methods.append(method)
        strong = [m for m in methods if m != "attack"] or methods
        main = strong[0]
        override = None
        if lx.family(main) == "assassination":
            means = [m for m in strong[1:] if m in lx.means_override]
            if means:
                override = lx.method(means[0]).sub_event_type
        return main, override

    def _place_for(self, s: _Sentence, start: int, end: int, seg_end: int) -> tuple[_Place | None, bool]:
        """Where the event of the trigger at ``[start, end)`` happened (see the module doc)."""
        for p in s.places:
            if end <= p.start < seg_end and _LOCATIVE.search(s.text[max(end, p.start - 60):p.start]):
                return _with_near(s, p, end), False
        clause = _clause_start(s.text, s.span.start, start)
        before = [p for p in s.places if p.end <= start and p.start >= s.span.start]
        for p in reversed(before):
            if _LOCATIVE.search(s.text[max(s.span.start, p.start - 30):p.start]) and not _after_actor(s, p):
                near = _with_near(s, p, clause)
                return near, False
        if s.prev_places:
            p = s.prev_places[-1]
            coarse = _Place(p.place_id, p.name, p.lat, p.lon, p.country, p.admin1, 3,
                            max(p.uncertainty_km, _UNCERTAINTY_KM["region"]), p.rank, p.start, p.end)
            return coarse, True
        return None, False

    def _actor_for(self, s: _Sentence, start: int, end: int, seg_end: int) -> tuple[Actor | None, ActorMention | None]:
        demonym = self._demonym_before(s, start)
        if demonym is not None:
            return self.registry.get(demonym.actor_id), demonym
        for a in s.actors:
            if end <= a.start < min(seg_end, end + 60) and a.kind == "actor" \
                    and re.search(r"\bby\s+(?:the\s+)?$", s.text[max(end, a.start - 12):a.start]):
                return self.registry.get(a.actor_id), a
        for a in reversed(s.actors):
            if a.end > start or a.kind != "actor":
                continue
            if _is_target(s.text, s.span.start, a.start):
                continue
            return self.registry.get(a.actor_id), a
        for cue in s.cues:
            if cue.kind.startswith("attribution:"):
                for a in s.actors:
                    if a.start >= cue.end and a.kind == "actor":
                        return self.registry.get(a.actor_id), a
        return None, None

    def _target_actor(self, s: _Sentence, end: int, seg_end: int, *, exclude: ActorMention | None) -> ActorMention | None:
        for a in s.actors:
            if a is exclude or a.kind == "person":
                continue
            if a.start >= end and a.start < seg_end and _is_target(s.text, end, a.start):
                return a
        return None

    def _attribution(self, s: _Sentence, actor: Actor | None) -> str:
        if actor is None:
            return "unknown"
        kinds = {c.kind.split(":", 1)[1] for c in s.cues if c.kind.startswith("attribution:")}
        for kind in _ATTRIBUTION_ORDER:
            if kind in kinds:
                return kind
        return "attributed"

    def _fatalities(self, s: _Sentence, start: int) -> int | None:
        """Deaths reported in the sentence (ACLED: lowest figure, "dozens" = 12, vague = 3)."""
        local = s.text[s.span.start:s.span.end]
        if _NO_CASUALTIES.search(local):
            return 0
        counts = []
        for rx in (_KILLED_BEFORE, _KILLED_AFTER):
            for m in rx.finditer(local):
                counts.append(self._number(m["n"]))
        if counts:
            return min(counts)
        named = 0
        for m in _KILLED_WORD.finditer(local):
            pos = s.span.start + m.end()
            people = [a for a in s.actors if a.kind == "person" and pos <= a.start <= pos + 40]
            named += len(people[:2]) if people else 0
        named += len(_ALSO_KILLED.findall(local))
        return named or None

    def _number(self, word: str) -> int:
        w = word.lower()
        if w.isdigit():
            return int(w)
        return _NUMBER_WORDS.get(w) or self.lexicon.vague_numbers.get(w, 3)

    # --- one incident per event -------------------------------------------------------

    def _merge(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Join later mentions of an event into the first (same family, compatible place and date)."""
        out: list[_Candidate] = []
        for cand in candidates:
            target = None
            for prev in reversed(out):
                if _same_event(prev, cand):
                    target = prev
                    break
            if target is None:
                out.append(cand)
                continue
            target.evidence.extend(e for e in cand.evidence if e not in target.evidence)
            if cand.place and (target.place is None or target.place_from_context
                               or (cand.place.rank > target.place.rank and not cand.place_from_context)):
                target.place, target.place_from_context = cand.place, cand.place_from_context
            if target.dates is None or target.dates.range is None:
                target.dates = cand.dates or target.dates
            if target.actor is None and cand.actor is not None:
                target.actor, target.attribution = cand.actor, cand.attribution
            if cand.fatalities is not None:
                target.fatalities = max(target.fatalities or 0, cand.fatalities)
            if target.weak and not cand.weak:
                target.method, target.family, target.weak = cand.method, cand.family, False
        return out

    # --- output -------------------------------------------------------------------------

    def _incident(self, doc: Document, c: _Candidate) -> Incident:
        info = self.lexicon.method(c.method)
        sub_event = c.sub_event_override or info.sub_event_type
        disorder = info.disorder_type
        rng = c.dates.range if c.dates else None
        p = c.place
        confidence = 0.45 + (0.2 if p else 0) + (0.1 if rng else 0) + (0.1 if c.actor else 0) \
            - (0.15 if c.weak else 0) - (0.15 if c.place_from_context else 0) + 0.05 * min(len(c.evidence) - 1, 2)
        digest = hashlib.sha1(f"{doc.doc_id}\x1f{c.trigger.start}\x1f{c.trigger.end}".encode()).hexdigest()[:16]
        evidence = [Evidence(doc.doc_id, doc.title or doc.doc_id, doc.url, doc.text[e.start:e.end], e.start, e.end)
                    for e in c.evidence]
        return Incident(
            id=f"IM-{digest}", event_type=info.event_type, sub_event_type=sub_event, method=c.method,
            is_threat=c.is_threat, disorder_type=disorder, cameo_code=info.cameo,
            date_start=rng.start if rng else None, date_end=rng.end if rng else None,
            time_precision=rng.time_precision if rng else None,
            location=p.name if p else None, place_id=p.place_id if p else None,
            lat=p.lat if p else None, lon=p.lon if p else None,
            geo_precision=p.precision if p else None, uncertainty_km=p.uncertainty_km if p else None,
            country=p.country if p else None, admin1=p.admin1 if p else None,
            actor1=c.actor.name if c.actor else None, actor2=c.actor2.name if c.actor2 else None,
            assoc_actors=_assoc(self.registry, c.actor), attribution=c.attribution, target=c.target,
            fatalities=c.fatalities, confidence=round(max(0.05, min(confidence, 0.99)), 2),
            origin="extracted", licence="own", evidence=evidence,
        )


# --- helpers (pure) ------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str
    folded: str
    span: Span
    triggers: list[Trigger]
    cues: list[Cue]
    dates: list[DateMention]
    actors: list[ActorMention]
    places: list[_Place]
    prev_places: list[_Place]


def _within(items: list[Any], span: Span) -> list[Any]:
    """Items whose ``start`` lies in ``span`` (items sorted by start)."""
    starts = [i.start for i in items]
    lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
    return [i for i in items[lo:hi] if i.end <= span.end]


def _first(items: Any) -> Any:
    return next(iter(items), None)


def _last(items: Any) -> Any:
    found = None
    for found in items:  # noqa: B007
        pass
    return found


def _is_country(m: PlaceMention) -> bool:
    return (m.feature_code or "").startswith("PCL")


def _place_of(m: PlaceMention) -> _Place:
    code, cls = (m.feature_code or "").upper(), (m.feature_class or "").upper()
    if code.startswith("PCL"):
        kind, precision, rank = "country", 3, 0
    elif cls in ("A", "L", "T", "H", "U", "V") or code.startswith("ADM") or code in ("RGN", "AREA"):
        kind, precision, rank = "region", 3, 1
    elif cls == "S" or code in ("AIRP", "AIRB", "MILB", "BLDG", "INSM", "DIP"):
        kind, precision, rank = "site", 1, 3
    else:
        kind, precision, rank = "town", 1, 2
    return _Place(m.place_id, m.name or m.text, float(m.lat or 0.0), float(m.lon or 0.0), m.country_code,
                  m.admin1, precision, _UNCERTAINTY_KM[kind], rank, m.start, m.end)


def _with_near(s: _Sentence, p: _Place, since: int) -> _Place:
    """``p`` with ACLED geo_precision 2 when a "near" cue stands right before it."""
    near = any(c.kind == "near" and since <= c.start and p.start - 30 <= c.end <= p.start for c in s.cues)
    if not near or p.precision >= 2:
        return p
    return _Place(p.place_id, p.name, p.lat, p.lon, p.country, p.admin1, 2,
                  max(p.uncertainty_km, _UNCERTAINTY_KM["near"]), p.rank, p.start, p.end)


def _after_actor(s: _Sentence, p: _Place) -> bool:
    """"Iranian proxies in Iraq": a place that only says where an actor is based."""
    return any(0 <= p.start - a.end <= 5 and s.text[a.end:p.start].strip() in ("in", "of", "from")
               for a in s.actors)


def _clause_start(text: str, sentence_start: int, pos: int) -> int:
    """Start of the clause holding ``pos`` (after the last clause break before it)."""
    last = sentence_start
    for m in _CLAUSE_BREAK.finditer(text, sentence_start, pos):
        last = m.end()
    return last


def _is_target(text: str, lo: int, pos: int) -> bool:
    return bool(re.search(r"\b(?:against|on|at|targeting|targeted|toward|towards|hitting|hit|struck|killed|"
                          r"killing|attacked|attacking)\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,2}$",
                          text[max(lo, pos - 40):pos], re.IGNORECASE))


def _target_text(text: str, end: int, seg_end: int) -> str | None:
    """What was attacked, as written: the phrase after a target word ("targeted the U.S. embassy")."""
    m = re.search(r"\b(?:against|on|at|targeting|targeted|toward|towards|hitting|hit|struck)\s+"
                  r"(?P<t>(?:the\s+)?[^,;:()\u2014]{3,60}?)(?=\s+(?:in|near|along|on|at|with|while|when|and|that|which)\b|[,;:()\u2014]|\.\s|\.$|$)",
                  text[end:seg_end])
    return " ".join(m["t"].split()) if m else None


def _nearest(dates: list[DateMention], start: int, end: int) -> DateMention | None:
    """The date expression nearest the trigger (resolved ones first)."""
    if not dates:
        return None

    def distance(d: DateMention) -> tuple[int, int]:
        gap = start - d.end if d.end <= start else max(0, d.start - end)
        return (0 if d.range is not None else 1, gap)

    return min(dates, key=distance)


def _km(a: _Place, b: _Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _places_compatible(a: _Place | None, b: _Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.place_id and a.place_id == b.place_id:
        return True
    if min(a.rank, b.rank) <= 1 and a.country and a.country == b.country:
        return True  # a country or region and a place inside it
    return _km(a, b) <= 25.0


def _same_event(prev: _Candidate, cand: _Candidate) -> bool:
    if prev.is_threat != cand.is_threat:
        return False
    families = {prev.family, cand.family}
    if len(families) > 1 and not (cand.weak and cand.definite) and not (prev.weak and families & {"attack"}):
        return False
    if not _places_compatible(prev.place if not prev.place_from_context else None,
                              cand.place if not cand.place_from_context else None):
        return False
    pr = prev.dates.range if prev.dates else None
    cr = cand.dates.range if cand.dates else None
    if pr is not None and cr is not None and not pr.overlaps(cr):
        return False
    if cand.definite:
        return True
    if cand.place is None or cand.place_from_context or cr is None:
        return cr is not None or (cand.place is not None and not cand.place_from_context)
    return (pr is not None and cr is not None and pr == cr and prev.place is not None
            and cand.place is not None and _places_compatible(prev.place, cand.place))


def _reportable(c: _Candidate) -> bool:
    """An incident needs its own place or a resolved date; a place from context needs a date."""
    dated = c.dates is not None and c.dates.range is not None
    if c.place is not None and not c.place_from_context:
        return True
    return dated


def _by_other(s: _Sentence, pos: int, actor_id: str) -> bool:
    """"attacks by Iranian proxies": violence someone other than the speaker commits."""
    return any(a.start - pos <= 15 and a.start >= pos and a.actor_id != actor_id
               and re.match(r"\s*by\b", s.text[pos:a.start]) for a in s.actors)


def _assoc(registry: ActorRegistry, actor: Actor | None) -> str | None:
    """Parent and backers of the perpetrator ("Popular Mobilization Forces; IRGC-Quds Force")."""
    if actor is None:
        return None
    names = []
    if actor.parent and registry.get(actor.parent):
        names.append(registry.get(actor.parent).name)  # type: ignore[union-attr]
    for b in actor.backers:
        backer = registry.get(b)
        if backer is not None and backer.name not in names:
            names.append(backer.name)
    return "; ".join(names) or None


@cache
def _country_shapes(gazetteer: Any) -> dict[str, Any]:
    frame = gazetteer.countries()
    return {row.country_code: row.geometry for row in frame.itertuples(index=False)}


@cache
def _border_cached(gazetteer: Any, a: str, b: str) -> tuple[float, float, float] | None:
    shapes = _country_shapes(gazetteer)
    if a not in shapes or b not in shapes:
        return None
    strip = shapes[a].buffer(0.05).intersection(shapes[b].buffer(0.05))
    if strip.is_empty:
        return None
    point = strip.point_on_surface()
    minx, miny, maxx, maxy = strip.bounds
    half_km = 111.0 * math.hypot(maxx - minx, (maxy - miny)) / 2
    return float(point.x), float(point.y), half_km  # lon, lat (shapely order)


def _border_point(gazetteer: Any, a: str, b: str) -> tuple[float, float, float] | None:
    """A point on the border of countries ``a`` and ``b`` (lon, lat, half length in km), or None."""
    if gazetteer is None or not hasattr(gazetteer, "countries") or not a or not b:
        return None
    try:
        return _border_cached(gazetteer, *sorted((a, b)))
    except (AttributeError, KeyError, ValueError, TypeError):
        return None
