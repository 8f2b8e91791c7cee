"""Incidents from sentences: what happened, where, when, by whom, linked to the right place.

``IncidentExtractor.extract(doc, mentions, actor_mentions)`` reads a document sentence by
sentence with the trigger lexicon (``mapper.events``), the actor mentions
(``mapper.actors``), the resolved place mentions of the geoparser and the date resolver
(``mapper.dates``), and links them with rules:

- **Threats** (a threat word spoken by an actor about violence it would commit, or an
  ultimatum such as "... or face a new war") become one incident with ``is_threat`` true;
  triggers inside a threat are never attacks. Hypothetical, negated and generic mentions
  ("could use", "a wave of drone attacks", "regular rocket assaults", "150 attacks since
  October") are not incidents.
- **Place** = where it happened: a resolved place that a locative or target word introduces
  after the trigger ("near the U.S. Embassy", "at the Basrah Airport", "in Baghdad"), else
  one before it ("In Erbil, rockets ..."), else, for a dated event, the last place of the
  previous sentence (``geo_precision`` 3). Places listed together ("hit al-Qaim and
  Akashat") give one incident each. A place inside an actor's name ("Iran-backed",
  "Iran's Revolutionary Guards"), a demonym, or one that says where an actor is based
  ("militias operating in Syria") is never used, so an actor's home country never places an
  event. "X, in Y province" keeps X (Y only contains it). A passive "its headquarters near X
  was hit" is an event at X. An event placed only in a country moves to the site or town of
  that country that one of the next three sentences without another event names with a
  locative ("the heaviest damage was at ... the al-Qaim district"). A threat is placed only
  by a place of its own clause. "near" gives ACLED ``geo_precision`` 2; a country, province or region 3; "the
  Iraq-Syria border" is a border area (a point on the shared border, precision 3).
- **Actor** = a demonym or air force right before the trigger ("U.S. airstrike", "American
  warplanes struck"), else "by X" after it, else the nearest actor before it that is not a
  target ("attacks on U.S. forces", "U.S. forces ... came under rocket fire"), else the actor
  after an attribution cue ("bore the hallmarks of ... Kata'ib Hezbollah"); "by an American
  drone" counts as "by X"; the subject of a passive ("was hit") and "supporters of X" are
  never perpetrators, nor is an event's target through a later mention; "President X ordered
  the strikes" or "he authorised strikes" (X named in the sentence before) gives the forces
  X commands. Otherwise persons are never
  perpetrators of attacks, only voices of threats. A later "X claimed responsibility"
  names the perpetrator of the event before it.
- **Attribution** vocabulary: ``claimed`` (the perpetrator says it did it, or voices the
  threat), ``attributed`` (the source names the perpetrator without hedging),
  ``suspected`` ("likely", "hallmarks", "blamed"), ``denied`` (the named actor denies it),
  ``unknown`` (no perpetrator named).
- **Date** = the nearest date expression in the sentence, resolved against the publication
  date ("two days after" counts from another date of the sentence, "days after" and "less
  than a week after" give a window; with no date before it, "The killing came ... after"
  counts from the document's first dated event); ``time_precision`` as
  ACLED defines it (1 day, 2 week, 3 month, else null).
- **Fatalities** follow ACLED: the lowest figure, "dozens" = 12, vague plurals = 3.
- **Method**: munitions fired from the air ("missiles fired by an American drone") are an
  air strike.
- **One incident per event**: later mentions of the same event ("the strike", "the
  retaliatory strikes", "Friday's attack") join the earlier incident as more Evidence: a bare
  "the strike" joins the event of its own or the previous sentence, else the document's
  first event; a place inside it ("the Kirkuk attack") picks the event there. A mention placed
  only by its context never absorbs a dated event elsewhere. "At least one more hit near X"
  is the attack of the sentence before at another place, with its perpetrator.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from mapper.actors import Actor, ActorMention, ActorRegistry
from mapper.dates import DateMention, DateRange, find_dates
from mapper.events import Cue, Lexicon, Trigger
from mapper.model import Document, Evidence, Incident, PlaceMention, Span
from mapper.text import fold, sentence_spans

__all__ = ["ATTRIBUTIONS", "IncidentExtractor"]

ATTRIBUTIONS = ("claimed", "attributed", "suspected", "denied", "unknown")

# uncertainty radius (km) by kind of place, and for "near"
_UNCERTAINTY_KM = {"site": 1.0, "town": 5.0, "near": 25.0, "region": 75.0, "country": 250.0}
_MATCH_KM = 25.0
_SPEAKER_GAP = 80  # characters between a speaker and its threat word
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|outside|inside|into|targeted|targeting|target|hit|hitting|struck|striking|against|"
    r"toward|towards|around|along|across|over|within|leaving|approached|approaching|close to|"
    r"north of|south of|east of|west of|northeast of|northwest of|southeast of|southwest of)"
    r"\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,4}$", re.IGNORECASE)
_LIST_GAP = re.compile(r"^\s*(?:,\s*)?(?:and|or|as well as|,)\s+(?:the\s+)?$"
                       r"|^\s*(?:,\s*)?(?:and|including)\b[^.;:]{0,40}?\b(?:in|at|around|near)\s+(?:the\s+)?"
                       r"(?:[a-z][\w-]*\s+){0,2}$"
                       r"|^\s*,?\s*including\s+(?:the\s+)?(?:around\s+|in\s+|at\s+|near\s+)?$", re.IGNORECASE)
_GROUP_GAP = re.compile(r"^[\s,]*(?:(?:and|or|via|by|with|using|of|a|an|the|combined|other)[\s,]+)*$", re.IGNORECASE)
_NEXT_VERB = re.compile(r"\s(?:and|but)\s+(?!the\b|a\b|an\b)[a-z]+ed\b")  # "... and ordered an inquiry in"
_BASE_WORDS = re.compile(r"\b(?:operating|based|active|stationed|deployed|headquartered)\s+in\s+(?:the\s+)?$",
                         re.IGNORECASE)
_DEMONYM_GAP = re.compile(r"^[\s\-]*(?:[a-z][\w-]*[\s\-]+){0,2}$")  # "retaliatory ", "fighter jets "
_POSSESSIVE_ACTOR = re.compile(r"^['’]s\s+")
_NOT_A_LOCATION_AFTER = re.compile(
    r"^(?:[\-‐–]\s*(?:backed|led|allied|supported|sponsored|aligned|based|linked|trained|funded|affiliated)\b"
    r"|['’]s\s+(?:proxies|proxy|allies|militias|government|military|forces|regime|leaders|backing|nuclear"
    r"|foreign\s+ministry|supreme\s+leader|[\w-]+\s+(?:news\s+agency|media|television|tv|newspaper)))",
    re.IGNORECASE)
_BORDER_AFTER = re.compile(r"^\s*(?:border|frontier)s?\b", re.IGNORECASE)
_BORDER_GAP = ("-", "–", "—", "/", "and")
_CLAUSE_BREAK = re.compile(r"[;:()\u2014\u2013]|,\s|\s-\s")
_ELABORATION = re.compile(r"[:\u2014\u2013]|\bincluding\b|\bsuch as\b|\bnamely\b", re.IGNORECASE)
_DEFINITE = re.compile(r"(?:\b(?:the|that|this|these|those|both|either)\s+|['’]s\s+)(?:[\w.'’-]+\s+){0,2}$",
                       re.IGNORECASE)
_COUNTED = re.compile(r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|hundreds|"
                      r"several|many|numerous|multiple)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_EVENT_NOUNS = re.compile(r"(?:attacks|strikes|assaults|raids|bombings|incidents|operations)$", re.IGNORECASE)
_STRIKE_FAMILIES = frozenset({"air", "indirect fire", "explosive", "attack"})
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "both": 2}
_NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|scores|hundreds|several)"
_KILLED_BEFORE = re.compile(rf"\b(?P<n>{_NUM})\s+(?:[\w.'’-]+\s+){{0,3}}(?:were|was|have been|had been|are)?\s*"
                            r"(?:killed|dead|died|slain)\b", re.IGNORECASE)
_KILLED_AFTER = re.compile(r"\b(?:killed|killing|kills)\s+(?:at least\s+|about\s+|around\s+|nearly\s+|some\s+)?"
                           rf"(?P<n>{_NUM}|both)\b", re.IGNORECASE)
_KILLED_WORD = re.compile(r"\b(?:killed|killing|kills)\b", re.IGNORECASE)
_ALSO_KILLED = re.compile(r"\b(?:was|were)\s+(?:also\s+)?killed\b", re.IGNORECASE)
_NO_CASUALTIES = re.compile(r"\bno\s+(?:casualties|fatalities|deaths|one was killed|injuries|reported injuries)\b",
                            re.IGNORECASE)
_TARGET_BEFORE = re.compile(r"\b(?:against|on|at|targeting|targeted|toward|towards|hitting|hit|struck|killed|"
                            r"killing|attacked|attacking|for)\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,2}$", re.IGNORECASE)
_TARGET_TEXT = re.compile(r"\b(?:against|on|at|targeting|targeted|toward|towards|hitting|hit|struck)\s+"
                          r"(?!least\b|(?:about|around|some)\s+\d|\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
                          r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)"
                          r"(?P<t>(?:the\s+)?[^,;:()\u2014]{3,60}?)"
                          r"(?=\s+(?:in|near|along|on|at|with|while|when|and|that|which|before|after)\b"
                          r"|[,;:()\u2014]|\.?\s*$)", re.IGNORECASE)
_APPOSITIVE = re.compile(r"\s*(?:the|a|an)\s+[\w\s'’-]{0,40}?\b(?:that|which|who|whom)\b", re.IGNORECASE)
_ELABORATION_AFTER = re.compile(r"\s*(?:including|such as|namely)\b", re.IGNORECASE)
_OBJECT_BEFORE = re.compile(r"\b(?:against|on|at|targeting|targeted|toward|towards|for|by|between|of|from|with|to)"
                            r"\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,1}$", re.IGNORECASE)  # not a speaker: "posed by X"
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)
# munitions launched from the air are an air strike ("missiles fired by an American drone")
_AIR_LAUNCHED = re.compile(r"\s+(?:were\s+|was\s+)?(?:fired|launched|dropped)\s+(?:by|from)\s+(?:the\s+|an?\s+)?"
                           r"(?:[\w.'’-]+\s+){0,2}?(?:drones?|uavs?|aircraft|warplanes?|jets?|helicopters?|bombers?)\b",
                           re.IGNORECASE)
_PASSIVE = ("was ", "were ")
_PLAIN_LIST_GAP = re.compile(r"^\s*(?:,\s*)?(?:and|or|,)\s+(?:the\s+)?$", re.IGNORECASE)
_COMMAND_BEFORE = re.compile(r"\b(?:ordered|authori[sz]ed|approved|directed)\s+(?:the\s+|an?\s+|new\s+)?"
                             r"(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_SUPPORTERS = re.compile(r"\b(?:supporters|followers|sympathi[sz]ers|loyalists|partisans)\s+of\b", re.IGNORECASE)
# "X, in Y province": Y only says where X lies
_CONTAINER_GAP = re.compile(r"^\s*,\s*in\s+(?:the\s+)?$", re.IGNORECASE)
# "The killing came less than a week after ...": the subject is the article's main event
_MAIN_EVENT_SUBJECT = re.compile(r"\s*(?:(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?[\w-]+|it)\s+"
                                 r"(?:came|happened|occurred|took\s+place|followed|was\s+carried\s+out)\s+",
                                 re.IGNORECASE)


@dataclass(frozen=True)
class _Place:
    """A usable place for an event, with how precisely it locates it."""

    place_id: str | None
    name: str
    lat: float
    lon: float
    countries: tuple[str, ...]
    admin1: str | None
    precision: int
    uncertainty_km: float
    rank: int  # specificity: 3 site, 2 town, 1 region or border, 0 country
    start: int
    end: int


@dataclass
class _Candidate:
    """An incident being assembled from one sentence (and later mentions of the same event)."""

    method: str
    family: str
    words: str  # the trigger words as written (folded)
    sub_event_override: str | None
    is_threat: bool
    trigger: Span
    definite: bool
    place: _Place | None
    place_from_context: bool
    dates: DateRange | None
    actor: Actor | None
    actor2: Actor | None
    attribution: str
    target: str | None
    fatalities: int | None
    weak: bool
    evidence: list[Span] = field(default_factory=list)
    prefer: str | None = None  # the method a weak strike word most likely means ("airstrike")
    sents: list[int] = field(default_factory=list)  # sentence numbers of its mentions
    model: _Candidate | None = None  # the event a weak mention took its method from (same attack)


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
    air_context: bool
    main_date: DateRange | None = None  # the date of the document's first dated event
    prev_actors: list[ActorMention] = field(default_factory=list)  # of the sentence before

    def cues_of(self, kind: str) -> list[Cue]:
        return [c for c in self.cues if c.kind == kind]


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
        self._text = text
        folded = fold(text)
        gate = _Index(self.lexicon.gate(text, folded))
        triggers = _Index(self.lexicon.triggers(text, folded))
        if not triggers.items and not any(c.kind == "threat_cues" for c in gate.items):
            return []
        sentences = bounded_sentences(text)
        wanted = [i for i, sent in enumerate(sentences) if triggers.within(sent) or gate.within(sent)]
        nearby = sorted(set(wanted) | {i - 1 for i in wanted if i > 0}
                        | {i + k for i in wanted for k in (1, 2) if i + k < len(sentences)})
        starts = [sentences[i].start for i in nearby]
        ends = [sentences[i].end for i in nearby]

        def relevant(m: PlaceMention) -> bool:  # in a sentence read, or the one before it
            k = bisect_left(ends, m.end)
            return k < len(starts) and starts[k] <= m.start

        actors = sorted(actor_mentions, key=lambda a: a.start)
        places = _Index(self._usable_places(text, [m for m in mentions if relevant(m)], actors))
        actors_ix = _Index(self._resolve_anaphora(text, actors, [sentences[i] for i in wanted]))
        air_context = any(c.kind == "air_context" for c in gate.items)
        candidates: list[_Candidate] = []
        for i in wanted:
            sent = sentences[i]
            s_trig = triggers.within(sent)
            s_cues = self.lexicon.cues(text, folded, start=sent.start, end=sent.end)
            s_trig = self._air_verbs(s_trig, s_cues, text)
            if s_trig or any(c.kind == "threat_cues" for c in s_cues):
                dates = find_dates(text[sent.start:sent.end], published=doc.published, offset=sent.start)
                prev_places = places.within(sentences[i - 1]) if i > 0 else []
                main = _first(c.dates for c in candidates if c.dates is not None and not c.is_threat)
                s = _Sentence(text, folded, sent, s_trig, s_cues, dates, actors_ix.within(sent),
                              places.within(sent), prev_places, air_context, main,
                              actors_ix.within(sentences[i - 1]) if i > 0 else [])
                for cand in self._sentence_candidates(s):
                    cand.sents = [i]
                    candidates.append(cand)
            elif candidates and any(c.kind == "attribution:claimed" for c in s_cues):
                self._claim(sent, s_cues, actors_ix.within(sent), candidates[-1])
        merged = self._merge(candidates)
        self._refine_countries(merged, sentences, places, triggers)
        return [self._incident(doc, c) for c in merged if _reportable(c)]

    def _refine_countries(self, merged: list[_Candidate], sentences: list[Span], places: _Index,
                          triggers: _Index) -> None:
        """An event placed only in a country ("three of them in western Iraq") moves to the first
        site or town of that country that a following sentence without another event names
        with a locative ("the heaviest damage was at a headquarters in the al-Qaim district")."""
        taken = {i for c in merged for i in c.sents}
        for c in merged:
            p = c.place
            if p is None or c.place_from_context or c.is_threat or p.rank > 0 or not c.sents or not p.countries:
                continue
            first = min(c.sents)
            for j in range(first + 1, min(first + 4, len(sentences))):
                if j in taken or triggers.within(sentences[j]):
                    continue
                sent = sentences[j]
                found = [q for q in places.within(sent) if q.rank >= 1 and q.countries[:1] == p.countries[:1]
                         and q.place_id != p.place_id
                         and _LOCATIVE.search(self._text[max(sent.start, q.start - 60):q.start])]
                if found:
                    best = max(found, key=lambda q: (q.rank, -q.start))
                    c.place = replace(best, precision=max(best.precision, 2),
                                      uncertainty_km=max(best.uncertainty_km, _UNCERTAINTY_KM["near"]))
                    c.evidence.extend(e for e in [sent] if e not in c.evidence)
                    break

    def _resolve_anaphora(self, text: str, actors: list[ActorMention], spans: list[Span]) -> list[ActorMention]:
        """Add "the Guards", "those factions", "the militia" in ``spans`` as mentions of the
        actor they name (the last one mentioned before that fits; ``anaphora`` in triggers.yaml)."""
        rx = self.lexicon.anaphora_regex
        if rx is None:
            return actors
        extra = []
        for m in (m for span in spans for m in rx.finditer(text, span.start, span.end)):
            if any(a.start <= m.start() < a.end for a in actors):
                continue
            rule = self.lexicon.anaphora[m.group(1).lower()]
            for a in reversed(actors):
                if a.end > m.start():
                    continue
                actor = self.registry.get(a.actor_id)
                if actor is None or a.kind != "actor":
                    continue
                if ("contains" in rule and rule["contains"] in fold(a.text)) or actor.kind in rule.get("kinds", ()):
                    extra.append(ActorMention(a.doc_id, m.start(), m.end(), m.group(0), a.actor_id, "actor"))
                    break
        return sorted(actors + extra, key=lambda a: a.start) if extra else actors

    def _air_verbs(self, triggers: list[Trigger], cues: list[Cue], text: str) -> list[Trigger]:
        """Add "bombers hit", "warplanes pounded": an air verb right after an air subject."""
        subjects = [c for c in cues if c.kind == "air_subject"]
        extra = []
        taken = {(t.start, t.end) for t in triggers}
        for verb in (c for c in cues if c.kind == "air_verbs"):
            if any(0 <= verb.start - s.end <= 2 for s in subjects) and (verb.start, verb.end) not in taken:
                extra.append(Trigger(verb.start, verb.end, text[verb.start:verb.end], "airstrike", False))
        if not extra:
            return triggers
        out = [t for t in triggers if not any(t.start < e.end and e.start < t.end for e in extra)]
        return sorted(out + extra, key=lambda t: t.start)

    # --- places -------------------------------------------------------------------------

    def _usable_places(self, text: str, mentions: list[PlaceMention], actors: list[ActorMention]) -> list[_Place]:
        """Resolved mentions that can locate an event (not inside an actor name, not demonyms)."""
        spans = [(a.start, a.end) for a in actors]
        starts = [s for s, _ in spans]
        ordered = sorted((m for m in mentions if m.status == "resolved" and m.lat is not None and m.lon is not None),
                         key=lambda m: m.start)
        out: list[_Place] = []
        skip_until = -1
        for i, m in enumerate(ordered):
            if m.start < skip_until or "demonym" in (m.reason or "").lower():
                continue
            j = bisect_left(starts, m.end)
            if any(s <= m.start and m.end <= e for s, e in spans[max(0, j - 3):j]):
                continue  # inside an actor's name: "Iran-backed militias", "Iraqi Security Forces"
            after = text[m.end:m.end + 60]
            if _NOT_A_LOCATION_AFTER.match(after):
                continue
            possessive = _POSSESSIVE_ACTOR.match(after)
            if possessive and any(a_start == m.end + possessive.end() for a_start in starts[j:j + 2]):
                continue  # "Iran's Islamic Revolutionary Guard Corps"
            border = self._border(text, ordered, i)
            if border is not None:
                out.append(border)
                skip_until = border.end
                continue
            out.append(_place_of(m))
        return out

    def _border(self, text: str, ordered: list[PlaceMention], i: int) -> _Place | None:
        """"the Iraq-Syria border": two countries joined by a dash and followed by "border"."""
        m = ordered[i]
        if i + 1 >= len(ordered) or not _is_country(m):
            return None
        n = ordered[i + 1]
        if not _is_country(n) or text[m.end:n.start].strip() not in _BORDER_GAP:
            return None
        if not _BORDER_AFTER.match(text[n.end:n.end + 20]):
            return None
        point = _border_point(self._gazetteer(), m.country_code or "", n.country_code or "")
        if point is None:
            return None
        lon, lat, half_km = point
        return _Place(f"border:{'-'.join(sorted((m.country_code or '', n.country_code or '')))}",
                      f"{m.name}–{n.name} border", lat, lon, (m.country_code or "", n.country_code or ""),
                      None, 3, min(max(half_km, _MATCH_KM), 400.0), 1, m.start, n.end)

    def _gazetteer(self) -> Any:
        return getattr(self.geoparser, "gazetteer", None)

    # --- one sentence -------------------------------------------------------------------

    def _sentence_candidates(self, s: _Sentence) -> list[_Candidate]:
        threat = self._threat(s)
        out: list[_Candidate] = []
        groups = self._trigger_groups(s)
        if threat is not None:
            # "X said four of its fighters were killed when ... was hit, and vowed revenge":
            # events reported in a clause of their own before the threat are events too
            lo = _clause_start(s.text, s.span.start, threat.trigger.start)
            groups = [g for g in groups if g[-1].end < lo and _CLAUSE_BREAK.search(s.text, g[-1].end, lo)]
        used: list[ActorMention] = []
        for group in groups:
            out.extend(self._link(s, group, groups, used))
        return [*out, threat] if threat is not None else out

    def _threat(self, s: _Sentence) -> _Candidate | None:
        """A threat or warning in this sentence, or None."""
        if s.cues_of("not_threat"):
            return None
        local = s.folded[s.span.start:s.span.end]
        cue_start = cue_end = None
        speaker: ActorMention | None = None
        for pattern in self.lexicon.ultimatums:
            hit = pattern.search(local)
            if hit:
                cue_start, cue_end = s.span.start + hit.start(), s.span.start + hit.end()
                said = _last(c for c in s.cues_of("threat_cues") if c.end <= cue_start)
                if said is not None:
                    cue_start, cue_end = said.start, said.end
                speaker = self._speaker(s, cue_start)
                break
        if cue_start is None:
            for cue in s.cues_of("threat_cues"):
                who = self._speaker(s, cue.start)
                if who is None:
                    continue
                if any(cue.start - 40 <= c.start < cue.start for c in s.cues_of("aggregate")):
                    continue  # "continued to threaten": a trend, not a statement
                violent = [v for v in s.cues_of("threat_violence")
                           if v.start >= cue.end and not self._in_condition(s, cue.end, v.start)
                           and not _by_other(s, v.end, who.actor_id)]
                if violent:
                    cue_start, cue_end, speaker = cue.start, cue.end, who
                    break
        if cue_start is None or cue_end is None:
            return None
        actor = self.registry.get(speaker.actor_id) if speaker else None
        next_verb = _NEXT_VERB.search(s.text, cue_end, s.span.end)  # "..., and cautioned countries ..."
        after = [p for p in s.places if p.start >= cue_end and (next_verb is None or p.start < next_verb.start())]
        that = re.search(r"\bthat\b", s.folded[cue_end:s.span.end])
        if that:
            after = [p for p in after if p.start >= cue_end + that.end()] or after
        after = [p for p in after if not self._addressee(s, p, cue_end)]
        clause = _clause_start(s.text, s.span.start, cue_start)
        before = [p for p in s.places if clause <= p.start and p.end <= cue_start and not self._actor_base(s, p)]
        place = after[0] if after else (before[-1] if before else None)
        addressee = _first(a for a in s.actors if a.start >= cue_end and a.kind == "actor"
                           and (actor is None or a.actor_id != actor.actor_id))
        return _Candidate(
            method="threat", family="threat", words="threat", sub_event_override=None, is_threat=True,
            trigger=Span(cue_start, cue_end), definite=False, place=place, place_from_context=False,
            dates=self._date(s, cue_start, cue_end), actor=actor,
            actor2=self.registry.get(addressee.actor_id) if addressee else None,
            attribution="claimed" if actor else "unknown", target=None, fatalities=None, weak=False,
            evidence=[s.span])

    def _speaker(self, s: _Sentence, cue_start: int) -> ActorMention | None:
        """Who voices a threat: the nearest actor or person before the threat word (not an
        object: "against U.S. forces"), or the actor the sentence starts with."""
        for a in reversed(s.actors):
            if a.end > cue_start or a.kind == "demonym":
                continue
            if cue_start - a.end > _SPEAKER_GAP:
                break
            if not _OBJECT_BEFORE.search(s.text[max(s.span.start, a.start - 40):a.start]):
                return a
        first = _first(a for a in s.actors if a.kind != "demonym")
        if first is not None and first.end <= cue_start and not s.text[s.span.start:first.start].strip(" \t\n\"“'‘"):
            return first
        return None

    def _in_condition(self, s: _Sentence, lo: int, pos: int) -> bool:
        """Is ``pos`` inside an if/unless clause that starts after ``lo`` ("if attacks harmed ...")?"""
        for c in s.cues_of("hypothetical"):
            if lo <= c.start < pos and s.folded[c.start:c.end] in ("if", "unless") \
                    and "," not in s.text[c.end:pos]:
                return True
        return False

    def _addressee(self, s: _Sentence, p: _Place, cue_end: int) -> bool:
        """"warning Tehran that ...": a place right after the threat word names whom it addresses."""
        return not s.text[cue_end:p.start].strip()

    def _trigger_groups(self, s: _Sentence) -> list[list[Trigger]]:
        """Triggers of one event phrase grouped ("attempted assassination via armed drone");
        a weak trigger that another trigger elaborates ("two attacks: mortars ...") or that
        refers back to one ("killed by the strike") is dropped."""
        specific = [t for t in s.triggers if not t.weak or self._air_actor_before(s, t) is not None]
        chosen = []
        for t in s.triggers:
            if t in specific:
                chosen.append(t)
                continue
            if any(o.end <= t.start for o in specific):
                continue  # refers back to an event already named in this sentence
            if any(t.end <= o.start <= t.end + 100 and _ELABORATION.search(s.text[t.end:o.start]) for o in specific):
                continue  # "attacks ...: mortars", "attacks ..., including a rocket attack"
            chosen.append(t)
        groups: list[list[Trigger]] = []
        for t in chosen:
            if groups:
                prev = groups[-1][-1]
                gap = s.text[prev.end:t.start]
                if _GROUP_GAP.match(gap) and len(gap.split()) <= 2 and not _CLAUSE_BREAK.search(gap) \
                        and not any(prev.end <= p.start < t.start for p in s.places):
                    groups[-1].append(t)
                    continue
            groups.append([t])
        return groups

    def _air_actor_before(self, s: _Sentence, t: Trigger) -> ActorMention | Cue | None:
        """"Israeli strikes", "American warplanes struck": what makes a weak strike word an airstrike."""
        if fold(t.text) not in self.lexicon.air_when_state:
            return None
        demonym = self._demonym_before(s, t.start)
        if demonym is not None:
            return demonym
        return _last(c for c in s.cues_of("air_subject") if 0 <= t.start - c.end <= 2)

    def _demonym_before(self, s: _Sentence, start: int) -> ActorMention | None:
        for a in reversed(s.actors):
            if a.end > start:
                continue
            if start - a.end > 25:
                break
            if a.kind == "demonym" and _DEMONYM_GAP.match(s.text[a.end:start]):
                return a
            if a.kind == "actor" and not s.text[a.end:start].strip() and \
                    any(a.start <= c.start and c.end <= a.end for c in s.cues_of("air_subject")):
                return a  # "American warplanes struck"
        return None

    def _link(self, s: _Sentence, group: list[Trigger], groups: list[list[Trigger]],
              used: list[ActorMention]) -> list[_Candidate]:
        """The incidents one trigger group names (one per place when places are listed)."""
        first, last = group[0], group[-1]
        if self._not_an_event(s, group):
            return []
        method, override = self._method(s, group)
        weak = method == "attack"
        info = self.lexicon.method(method)
        idx = groups.index(group)
        seg_end = groups[idx + 1][0].start if idx + 1 < len(groups) else s.span.end
        next_verb = _NEXT_VERB.search(s.text, last.end, seg_end)
        seg_end = next_verb.start() if next_verb else seg_end
        places, from_context = self._places_for(s, first.start, last.end, seg_end, weak=weak)
        lead_start = max(s.span.start, first.start - 40)
        lead = s.text[lead_start:first.start]
        definite_np = _DEFINITE.search(lead)
        definite = bool(definite_np)
        if weak and not places and definite_np is not None:  # "the Kirkuk attack"
            np_start = lead_start + definite_np.start()
            places = [p for p in s.places if np_start <= p.start and p.end <= first.start][-1:]
        if weak and not places and not definite:
            return []
        actor_mention = self._actor_for(s, first.start, last.end, seg_end, used)
        if actor_mention is not None:
            used.append(actor_mention)
        actor = self.registry.get(actor_mention.actor_id) if actor_mention else None
        if actor is None:
            actor = self._attributed_actor(s)
        victim = self._target_actor(s, first.start, last.end, seg_end, exclude=actor_mention)
        base = _Candidate(
            method=method, family=info.family, words=" ".join(fold(t.text) for t in group),
            sub_event_override=override, is_threat=False, trigger=Span(first.start, last.end),
            definite=definite, place=None, place_from_context=from_context,
            dates=self._date(s, first.start, last.end, lo=_clause_start(s.text, s.span.start, first.start),
                             hi=seg_end), actor=actor,
            actor2=self.registry.get(victim.actor_id) if victim else None,
            attribution=self._attribution(s, actor), target=_target_text(s.text, last.end, seg_end),
            fatalities=self._fatalities(s, _clause_start(s.text, s.span.start, first.start), seg_end),
            weak=weak, evidence=[s.span],
            prefer="airstrike" if weak and s.air_context and fold(group[-1].text) in self.lexicon.air_when_state
            else None)
        if not places:
            return [base]
        return [replace(base, place=p, evidence=[s.span]) for p in places]

    def _not_an_event(self, s: _Sentence, group: list[Trigger]) -> bool:
        """Hypothetical, negated or generic mentions ("could", "no", "regular", "150 attacks"),
        and "killing of" without a known person after it."""
        first, last = group[0], group[-1]
        if fold(first.text) in self.lexicon.needs_person and len(group) == 1 and not any(
                a.kind == "person" and 0 <= a.start - first.end <= 25 for a in s.actors):
            return True
        clause_start = _clause_start(s.text, s.span.start, first.start)
        for cue in s.cues:
            if cue.kind == "hypothetical" and s.span.start <= cue.start < first.start:
                return True
            if cue.kind == "negation" and first.start - 25 <= cue.start < first.start:
                return True
            if cue.kind == "aggregate" and (min(clause_start, first.start - 40) <= cue.start < first.start
                                            or last.end <= cue.start <= last.end + 25):
                return True
            if cue.kind == "supply_before" and first.start - 40 <= cue.start < first.start:
                return True
            if cue.kind == "supply_after" and last.end <= cue.start <= last.end + 25:
                return True
        return bool(_EVENT_NOUNS.search(last.text) and _COUNTED.search(s.text[clause_start:first.start]))

    def _method(self, s: _Sentence, group: list[Trigger]) -> tuple[str, str | None]:
        """The method of a trigger group, and a sub-event type forced by its means."""
        lx = self.lexicon
        methods = []
        for t in group:
            method = t.method
            intercepted = lx.intercepted.get(method)
            clause_end = _clause_end(s.text, t.end, s.span.end)
            if intercepted and any(
                    (c.kind == "interception" and (0 <= t.start - c.end <= 15 or t.end <= c.start < min(t.end + 60, clause_end)))
                    for c in s.cues):
                method = intercepted
            elif t.weak and self._air_actor_before(s, t) is not None:
                method = "airstrike"
            elif lx.family(method) == "indirect fire" and _AIR_LAUNCHED.match(s.text, t.end):
                method = "airstrike"  # "missiles fired by an American drone"
            methods.append(method)
        strong = [m for m in methods if m != "attack"] or methods
        main = strong[0]
        override = None
        if lx.family(main) == "assassination":
            means = [m for m in strong[1:] if m in lx.means_override]
            if means:
                override = lx.method(means[0]).sub_event_type
        return main, override

    def _places_for(self, s: _Sentence, start: int, end: int, seg_end: int, *, weak: bool
                    ) -> tuple[list[_Place], bool]:
        """Where the event at ``[start, end)`` happened: one place, or several listed together."""
        candidates = []
        based: _Place | None = None
        for p in s.places:
            if not end <= p.start < seg_end:
                continue
            if self._actor_base(s, p) or (based is not None and _LIST_GAP.match(s.text[based.end:p.start])):
                based = p  # "groups operating in Syria and Iraq"
                continue
            candidates.append(p)
        for i, p in enumerate(candidates):
            if _LOCATIVE.search(s.text[max(end, p.start - 60):p.start]):
                found = [_with_near(s, p, end)]
                for q in candidates[i + 1:]:
                    if _CONTAINER_GAP.match(s.text[found[-1].end:q.start]):
                        continue  # "near Abu Kamal, in Deir ez-Zor province"
                    gap = s.text[found[-1].end:q.start]
                    if not _LIST_GAP.match(gap):
                        break
                    listed = _with_near(s, q, found[-1].end)
                    if found[-1].precision == 2 and listed.precision < 2 and _PLAIN_LIST_GAP.match(gap):
                        listed = replace(listed, precision=2,  # "around al-Qaim and Akashat"
                                         uncertainty_km=max(listed.uncertainty_km, _UNCERTAINTY_KM["near"]))
                    found.append(listed)
                return _drop_containers(found), False
        passive = fold(s.text[start:end]).startswith(_PASSIVE)
        if weak and not passive:
            return [], False
        before = [p for p in s.places if p.end <= start]
        if passive:  # "its headquarters near Abu Kamal, in Deir ez-Zor province, was hit"
            lo = _subject_start(s.text, s.span.start, start)
            found = []
            for p in (p for p in before if p.start >= lo):
                if found and _CONTAINER_GAP.match(s.text[found[-1].end:p.start]):
                    continue
                if _LOCATIVE.search(s.text[max(lo, p.start - 60):p.start]) and not self._actor_base(s, p):
                    found.append(_with_near(s, p, lo))
            return _drop_containers(found)[:1] if found else [], False
        for p in reversed(before):
            if _LOCATIVE.search(s.text[max(s.span.start, p.start - 30):p.start]) and not self._actor_base(s, p):
                return [_with_near(s, p, _clause_start(s.text, s.span.start, start))], False
        if s.prev_places:
            p = s.prev_places[-1]
            return [replace(p, precision=3, uncertainty_km=max(p.uncertainty_km, _UNCERTAINTY_KM["region"]))], True
        return [], False

    def _actor_base(self, s: _Sentence, p: _Place) -> bool:
        """"Iranian proxies in Iraq", "groups operating in Syria": where an actor is, not an event."""
        if _BASE_WORDS.search(s.text[max(s.span.start, p.start - 40):p.start]):
            return True
        for a in s.actors:
            if 0 <= p.start - a.end <= 30 and a.kind == "actor" and self.lexicon.actor_base.match(s.text[a.end:p.start]):
                return True
        return False

    def _actor_for(self, s: _Sentence, start: int, end: int, seg_end: int,
                   used: list[ActorMention]) -> ActorMention | None:
        air = self._demonym_before(s, start)
        if air is not None:
            return air
        for a in s.actors:
            if end <= a.start < min(seg_end, end + 60) and a.kind in ("actor", "demonym") \
                    and _BY_BEFORE.search(s.text[max(end, a.start - 12):a.start]):
                return a
        if fold(s.text[start:end]).startswith(_PASSIVE):
            return None  # "its headquarters ... was hit": the subject is the target
        lo = _actor_clause_start(s.text, s.span.start, start)
        if _SUPPORTERS.search(s.text, lo, start):
            return None  # "supporters of Kata'ib Hezbollah besieged ...": a crowd, not the group
        subject = _first(s.actors)
        for a in reversed(s.actors):
            if a.end > start or a.kind != "actor":
                continue
            if a.start < lo and (a in used or not (a is subject and len(s.text[s.span.start:a.start].split()) <= 2)):
                continue  # another clause, unless the actor is the subject the sentence opens with
            if _TARGET_BEFORE.search(s.text[max(s.span.start, a.start - 40):a.start]):
                continue
            between = s.text[a.end:start]
            if self.lexicon.victim_verbs.search(between):
                continue  # "U.S. forces near the al-Omar oil field came under rocket fire"
            speech = self.lexicon.speech_verbs.search(between)
            if speech and not any(a.end <= b.start < a.end + speech.start() for b in s.actors if b is not a):
                continue  # "officials condemned Iran for the attacks" (but: "KH, the group the U.S. blamed for")
            return a
        return self._commander(s, lo, start)

    def _commander(self, s: _Sentence, lo: int, start: int) -> ActorMention | None:
        """"President X ordered the strikes", "he authorised strikes": the forces of the person
        who ordered them (a person of the registry, or "he"/"she" for the last one named)."""
        cmd = _COMMAND_BEFORE.search(s.text[lo:start])
        if cmd is None:
            return None
        at = lo + cmd.start()
        person = _last(a for a in s.actors if a.kind == "person" and lo <= a.start and a.end <= at
                       and not s.text[a.end:at].strip(" ,"))
        if person is None and re.search(r"\b(?:he|she)\s*$", s.text[lo:at], re.IGNORECASE):
            person = _last(a for a in s.prev_actors if a.kind == "person")
        return person

    def _attributed_actor(self, s: _Sentence) -> Actor | None:
        """The actor after an attribution cue ("bore the hallmarks of ... Kata'ib Hezbollah")."""
        for cue in s.cues:
            if cue.kind.startswith("attribution:") and cue.kind != "attribution:denied":
                for a in s.actors:
                    if a.start >= cue.end and a.kind == "actor" \
                            and not _TARGET_BEFORE.search(s.text[max(cue.end, a.start - 40):a.start]):
                        return self.registry.get(a.actor_id)
        return None

    def _target_actor(self, s: _Sentence, start: int, end: int, seg_end: int, *,
                      exclude: ActorMention | None) -> ActorMention | None:
        for a in s.actors:
            if a is exclude or a.kind == "person":
                continue
            if end <= a.start < seg_end and _TARGET_BEFORE.search(s.text[max(end, a.start - 40):a.start]):
                return a
            if a.end <= start and self.lexicon.victim_verbs.search(s.text[a.end:start]):
                return a
        return None

    def _attribution(self, s: _Sentence, actor: Actor | None) -> str:
        if actor is None:
            return "unknown"
        kinds = {c.kind.split(":", 1)[1] for c in s.cues if c.kind.startswith("attribution:")}
        for kind in ("denied", "claimed", "suspected", "attributed"):
            if kind in kinds:
                return kind
        return "attributed"

    def _claim(self, sent: Span, cues: list[Cue], actors: list[ActorMention], cand: _Candidate) -> None:
        """"X claimed responsibility" after an event: X is its perpetrator."""
        if cand.is_threat:
            return
        cue = next(c for c in cues if c.kind == "attribution:claimed")
        claimant = _last(a for a in actors if a.kind == "actor" and a.end <= cue.start)
        if claimant is None:
            return
        actor = self.registry.get(claimant.actor_id)
        if actor is not None and cand.attribution != "claimed":
            cand.actor, cand.attribution = actor, "claimed"
            cand.evidence.append(sent)

    def _date(self, s: _Sentence, start: int, end: int, *, lo: int | None = None,
              hi: int | None = None) -> DateRange | None:
        """The range of the date expression nearest the trigger: one in its own clause (within
        ``[lo, hi)``), else one before it in the sentence or shortly after it ("two days after"
        counts from another date of the sentence)."""
        own = [d for d in s.dates if lo is not None and hi is not None and lo <= d.start
               and d.end <= _clause_end(s.text, end, hi)]
        nearby = [d for d in s.dates if d.end <= start or d.start - end <= 60]
        nearest = _nearest(own, start, end) or _nearest(nearby, start, end)
        if nearest is None:
            return None
        if nearest.range is not None:
            return nearest.range
        if nearest.offset_window is not None:
            anchor = _first(d for d in s.dates if d.range is not None and d.end <= nearest.start)
            if anchor is not None and anchor.range is not None:
                return nearest.anchored(anchor.range)
            if s.main_date is not None and _MAIN_EVENT_SUBJECT.match(s.text, s.span.start) \
                    and nearest.start <= start:
                return nearest.anchored(s.main_date)  # "The killing came days after ..."
        return None

    def _fatalities(self, s: _Sentence, lo: int, hi: int) -> int | None:
        """Deaths reported in ``[lo, hi)`` of the sentence (ACLED: lowest figure, "dozens" = 12,
        vague = 3; named persons killed count one each)."""
        local = s.text[lo:hi]
        if _NO_CASUALTIES.search(local):
            return 0
        counts = [self._number(m["n"]) for rx in (_KILLED_BEFORE, _KILLED_AFTER) for m in rx.finditer(local)]
        if counts:
            return min(counts)
        victims = set()
        for m in _KILLED_WORD.finditer(local):
            pos = lo + m.end()
            victims |= {a.start for a in s.actors if a.kind == "person" and pos <= a.start <= pos + 40}
        named = len(victims) + len(_ALSO_KILLED.findall(local))
        return named or None

    def _number(self, word: str) -> int:
        w = word.lower()
        if w.isdigit():
            return int(w)
        return _NUMBER_WORDS.get(w) or self.lexicon.vague_numbers.get(w, 3)

    # --- one incident per event -------------------------------------------------------

    def _merge(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Join later mentions of an event into the first; weak mentions that join nothing take
        the method, actor and date of the event they most likely continue."""
        out: list[_Candidate] = []
        for cand in candidates:
            strike = self.lexicon.air_when_state
            same = [prev for prev in reversed(out) if _same_event(prev, cand, strike)]
            if len(same) > 1 and cand.weak and cand.definite and cand.dates is None and cand.sents and \
                    (cand.place is None or cand.place_from_context):
                # "the strike" with nothing of its own: the event just mentioned, else the
                # article's main event (not a background event of an earlier paragraph)
                recent = [p for p in same if p.sents and cand.sents[0] - max(p.sents) <= 1]
                same = recent or same[-1:]
            target = _first(p for p in same if p.method == cand.prefer) or _first(same)
            if target is not None:
                _absorb(target, cand)
                continue
            if cand.place is None and cand.dates is None and not cand.is_threat:
                continue  # names no new event: nothing places or dates it, and it joined none
            if cand.weak:
                models = [prev for prev in reversed(out) if not prev.weak and not prev.is_threat
                          and _word_fits(cand.words, prev.family, strike) and _dates_fit(prev.dates, cand.dates)]
                if cand.sents:  # the event of this sentence or the one before, if any ("one more hit")
                    models = [p for p in models if cand.sents[0] - 1 in p.sents or cand.sents[0] in p.sents] or models
                model = _first(p for p in models if p.method == cand.prefer) or _first(models)
                if model is not None:
                    cand.method, cand.family, cand.weak = model.method, model.family, False
                    cand.model = model
                    cand.sub_event_override = model.sub_event_override
                    cand.dates = cand.dates or model.dates
                    if cand.actor is None or model.attribution == "claimed":
                        cand.actor, cand.attribution = model.actor, model.attribution
                elif cand.place is None:
                    continue  # a vague "attack" with no place of its own
                elif cand.prefer:
                    cand.method, cand.family, cand.weak = cand.prefer, self.lexicon.family(cand.prefer), False
            out.append(cand)
        for cand in out:  # "At least one more hit near X": the same attack, so the same perpetrator
            model = cand.model
            if model is not None:
                if cand.actor is None and model.actor is not None:
                    cand.actor, cand.attribution = model.actor, model.attribution
                elif model.actor is None and cand.actor is not None:
                    model.actor, model.attribution = cand.actor, cand.attribution
        return out

    # --- output -------------------------------------------------------------------------

    def _incident(self, doc: Document, c: _Candidate) -> Incident:
        info = self.lexicon.method(c.method)
        rng, p = c.dates, c.place
        confidence = 0.45 + (0.2 if p else 0) + (0.1 if rng else 0) + (0.1 if c.actor else 0) \
            - (0.15 if c.weak else 0) - (0.15 if c.place_from_context else 0) + 0.05 * min(len(c.evidence) - 1, 2)
        place_key = p.place_id if p else ""
        digest = hashlib.sha1(f"{doc.doc_id}\x1f{c.trigger.start}\x1f{c.trigger.end}\x1f{place_key}".encode()
                              ).hexdigest()[:16]
        evidence = [Evidence(doc.doc_id, doc.title or doc.doc_id, doc.url, doc.text[e.start:e.end].strip(),
                             e.start + _lstrip_len(doc.text[e.start:e.end]),
                             e.start + _lstrip_len(doc.text[e.start:e.end]) + len(doc.text[e.start:e.end].strip()))
                    for e in c.evidence]
        return Incident(
            id=f"IM-{digest}", event_type=info.event_type, sub_event_type=c.sub_event_override or info.sub_event_type,
            method=c.method, is_threat=c.is_threat, disorder_type=info.disorder_type, cameo_code=info.cameo,
            date_start=rng.start if rng else None, date_end=rng.end if rng else None,
            time_precision=rng.time_precision if rng else None,
            location=p.name if p else None, place_id=p.place_id if p else None,
            lat=p.lat if p else None, lon=p.lon if p else None,
            geo_precision=p.precision if p else None, uncertainty_km=p.uncertainty_km if p else None,
            country=p.countries[0] if p and p.countries else None, admin1=p.admin1 if p else None,
            actor1=c.actor.name if c.actor else None, actor2=c.actor2.name if c.actor2 else None,
            assoc_actors=_assoc(self.registry, c.actor), attribution=c.attribution, target=c.target,
            fatalities=c.fatalities, confidence=round(max(0.05, min(confidence, 0.99)), 2),
            origin="extracted", licence="own", evidence=evidence,
        )


# --- helpers (pure) ------------------------------------------------------------------------


class _Index:
    """Items with ``start``/``end`` sorted by start, for fast "which lie in this span"."""

    def __init__(self, items: list[Any]) -> None:
        self.items = sorted(items, key=lambda i: i.start)
        self.starts = [i.start for i in self.items]

    def within(self, span: Span) -> list[Any]:
        lo, hi = bisect_left(self.starts, span.start), bisect_left(self.starts, span.end)
        return [i for i in self.items[lo:hi] if i.end <= span.end]


def _first(items: Any) -> Any:
    return next(iter(items), None)


def _last(items: Any) -> Any:
    found = None
    for found in items:  # noqa: B007
        pass
    return found


def _lstrip_len(text: str) -> int:
    return len(text) - len(text.lstrip())


def _is_country(m: PlaceMention) -> bool:
    return (m.feature_code or "").startswith("PCL")


def _place_of(m: PlaceMention) -> _Place:
    code, cls = (m.feature_code or "").upper(), (m.feature_class or "").upper()
    if code.startswith("PCL"):
        kind, precision, rank = "country", 3, 0
    elif cls == "S" or code in ("AIRP", "AIRB", "AIRF", "MILB", "BLDG", "INSM", "DIP", "OILF", "CMPRF"):
        kind, precision, rank = "site", 1, 3
    elif code in ("AREA", "PPLX"):  # a named district or zone of a city ("Green Zone")
        kind, precision, rank = "town", 1, 2
    elif code.startswith("ADM") or code in ("RGN", "ZN", "PRSH") or cls in ("A", "L", "T", "H", "U", "V"):
        kind, precision, rank = "region", 3, 1
    else:
        kind, precision, rank = "town", 1, 2
    return _Place(m.place_id, m.name or m.text, float(m.lat or 0.0), float(m.lon or 0.0),
                  (m.country_code,) if m.country_code else (), m.admin1, precision, _UNCERTAINTY_KM[kind],
                  rank, m.start, m.end)


def _with_near(s: _Sentence, p: _Place, since: int) -> _Place:
    """``p`` with ACLED geo_precision 2 when a "near" cue stands right before it."""
    near = any(since <= c.start and p.start - 30 <= c.end <= p.start for c in s.cues_of("near"))
    if not near or p.precision >= 2:
        return p
    return replace(p, precision=2, uncertainty_km=max(p.uncertainty_km, _UNCERTAINTY_KM["near"]))


def _drop_containers(places: list[_Place]) -> list[_Place]:
    """Listed places without those that only contain another ("Deir ez-Zor province,
    including around Mayadin") or lie within 25 km of an earlier one."""
    out: list[_Place] = []
    for p in places:
        if any(p.rank < q.rank and set(p.countries) & set(q.countries) and p.rank <= 1 for q in places):
            continue
        if any(_km(p, q) <= _MATCH_KM or p.place_id == q.place_id for q in out):
            continue
        out.append(p)
    return out or places[:1]


#: Longest stretch read as one sentence. Real sentences are far shorter; a text without full
#: stops (a crafted or broken page) is cut into pieces of at most this size so the linking
#: work per sentence stays bounded.
MAX_SENTENCE_CHARS = 1500


def bounded_sentences(text: str, *, limit: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """``sentence_spans(text)``, with any span longer than ``limit`` cut at spaces."""
    out: list[Span] = []
    for span in sentence_spans(text):
        start = span.start
        while span.end - start > limit:
            cut = text.rfind(" ", start + limit // 2, start + limit)
            cut = cut if cut > start else start + limit
            out.append(Span(start, cut))
            start = cut
        out.append(Span(start, span.end))
    return out


def _clause_start(text: str, sentence_start: int, pos: int) -> int:
    """Start of the clause holding ``pos`` (after the last clause break before it)."""
    last = sentence_start
    for m in _CLAUSE_BREAK.finditer(text, sentence_start, pos):
        last = m.end()
    return last


def _subject_start(text: str, sentence_start: int, pos: int) -> int:
    """Start of the subject of a passive verb at ``pos``: after the last "when", "after",
    "as", "while", "said", "that" or semicolon before it."""
    lo = sentence_start
    for m in re.finditer(r"\b(?:when|after|as|while|said|says|that|because)\b|;", text[sentence_start:pos],
                         re.IGNORECASE):
        lo = sentence_start + m.end()
    return lo


def _actor_clause_start(text: str, sentence_start: int, pos: int) -> int:
    """Start of the clause holding ``pos``, reaching back over elaborations ("two attacks:
    mortars ...", "four attacks ..., including a rocket attack")."""
    lo = sentence_start
    for m in _CLAUSE_BREAK.finditer(text, sentence_start, pos):
        if m.group(0).strip() == ":" or _ELABORATION_AFTER.match(text, m.end()) or _APPOSITIVE.match(text, m.end()):
            continue
        lo = m.end()
    return lo


def _clause_end(text: str, pos: int, sentence_end: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, sentence_end)
    return m.start() if m else sentence_end


def _target_text(text: str, end: int, seg_end: int) -> str | None:
    """What was attacked, as written: the phrase after a target word ("targeted the U.S. embassy")."""
    m = _TARGET_TEXT.search(text[end:seg_end])
    return " ".join(m["t"].split()) if m else None


def _nearest(dates: list[DateMention], start: int, end: int) -> DateMention | None:
    """The date expression nearest the trigger (resolvable ones first)."""
    usable = [d for d in dates if d.range is not None or d.reason == "offset"]
    pool = usable or dates
    if not pool:
        return None

    def distance(d: DateMention) -> int:
        return start - d.end if d.end <= start else max(0, d.start - end)

    return min(pool, key=distance)


def _km(a: _Place, b: _Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _places_compatible(a: _Place | None, b: _Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.place_id and a.place_id == b.place_id:
        return True
    if min(a.rank, b.rank) <= 1 and set(a.countries) & set(b.countries):
        return True  # a country, region or border area and a place inside it
    return _km(a, b) <= _MATCH_KM


def _dates_fit(a: DateRange | None, b: DateRange | None) -> bool:
    return a is None or b is None or a.overlaps(b)


def _word_fits(words: str, family: str, strike_words: frozenset[str]) -> bool:
    """Can a weak word ("the strikes", "the attack") refer to an event of ``family``?"""
    if family in ("threat", "protest"):
        return False
    last = words.split()[-1] if words else ""
    return family in _STRIKE_FAMILIES if last in strike_words else True


def _same_event(prev: _Candidate, cand: _Candidate, strike_words: frozenset[str]) -> bool:
    """Is ``cand`` a later mention of the event ``prev``?"""
    if prev.is_threat or cand.is_threat:
        return False
    if prev.family != cand.family and not (
            (cand.weak and _word_fits(cand.words, prev.family, strike_words))
            or (prev.weak and _word_fits(prev.words, cand.family, strike_words))):
        return False
    own_prev = prev.place if not prev.place_from_context else None
    own_cand = cand.place if not cand.place_from_context else None
    if not _places_compatible(own_prev, own_cand) or not _dates_fit(prev.dates, cand.dates):
        return False
    if own_prev is None and own_cand is not None and not _places_compatible(prev.place, own_cand) \
            and prev.dates is None:
        return False  # placed only by its context, and that context is elsewhere
    if cand.definite:
        return True
    if own_cand is None:  # "More than 30 rockets slammed into the base."
        return prev.family == cand.family if cand.dates is None else prev.dates is not None
    if cand.dates is None and own_prev is not None and min(own_cand.rank, own_prev.rank) <= 1 \
            and not cand.words.startswith(_PASSIVE):  # not "its headquarters in X was hit": a site of its own
        return True  # "a strike in Iraq" after "a drone strike in Baghdad", or the reverse
    return (prev.dates is not None and prev.dates == cand.dates and own_prev is not None
            and _places_compatible(own_prev, own_cand))


def _absorb(target: _Candidate, cand: _Candidate) -> None:
    """Fold a later mention into the incident it mentions."""
    target.evidence.extend(e for e in cand.evidence if e not in target.evidence)
    target.sents.extend(i for i in cand.sents if i not in target.sents)
    own = cand.place if not cand.place_from_context else None
    if own and (target.place is None or target.place_from_context or own.rank > target.place.rank):
        target.place, target.place_from_context = own, False
    if target.dates is None:
        target.dates = cand.dates
    if cand.actor is not None and (target.actor is None or (cand.attribution == "claimed"
                                                            and target.attribution != "claimed")) \
            and (target.actor2 is None or cand.actor.actor_id != target.actor2.actor_id):
        # (never the event's own target: "U.S. forces came under rocket fire ... returned fire")
        target.actor, target.attribution = cand.actor, cand.attribution
    if cand.fatalities is not None:
        target.fatalities = max(target.fatalities or 0, cand.fatalities)
    if target.weak and not cand.weak:
        target.method, target.family, target.weak = cand.method, cand.family, False
        target.sub_event_override = cand.sub_event_override


def _reportable(c: _Candidate) -> bool:
    """A threat always counts (the speaker and the quote are the evidence); other incidents need
    their own place or a date, and a place from context needs a date."""
    if c.is_threat:
        return True
    if c.place is not None and not c.place_from_context:
        return True
    return c.dates is not None and not c.weak


def _by_other(s: _Sentence, pos: int, actor_id: str) -> bool:
    """"attacks by Iranian proxies": violence someone other than the speaker commits."""
    return any(0 <= a.start - pos <= 15 and a.actor_id != actor_id and re.match(r"\s*by\b", s.text[pos:a.start])
               for a in s.actors)


def _assoc(registry: ActorRegistry, actor: Actor | None) -> str | None:
    """Parent and backers of the perpetrator ("Popular Mobilization Forces; IRGC-Quds Force")."""
    if actor is None:
        return None
    names: list[str] = []
    for ref in (actor.parent, *actor.backers):
        other = registry.get(ref) if ref else None
        if other is not None and other.name not in names:
            names.append(other.name)
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
    half_km = 111.0 * math.hypot(maxx - minx, maxy - miny) / 2
    return float(point.x), float(point.y), half_km  # shapely order: lon, lat


def _border_point(gazetteer: Any, a: str, b: str) -> tuple[float, float, float] | None:
    """A point on the border of countries ``a`` and ``b`` (lon, lat, half its length in km)."""
    if gazetteer is None or not hasattr(gazetteer, "countries") or not a or not b:
        return None
    try:
        return _border_cached(gazetteer, *sorted((a, b)))
    except (AttributeError, KeyError, ValueError, TypeError):
        return None
