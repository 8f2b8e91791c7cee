"""Toponym recognition: find place names (and demonyms) in text, with original offsets.

The recogniser runs one Aho-Corasick automaton (ahocorasick-rs) over the key-normalised
text (``mapper.text.key_text``) with every gazetteer name key and every demonym, keeps the
matches that sit on word boundaries, then filters them with the ORIGINAL text: a place name
must be capitalised, must not be a stoplisted common word, and must not be part of a
person's name ("Mr. Knights", "Dan Coats", "John Bolton", and later bare "Bolton" in the
same document). Of the surviving matches the leftmost-longest set wins. A following feature
word ("province", "garrison", "airport") extends the mention and records a feature hint;
"X, Y" records Y as X's container.

Demonyms ("Iranian", "Iraqis") are recognised as kind ``"demonym"``; the resolver maps them
to their country but marks them ``ignored`` unless a place is meant ("Iraqi territory").

Word lists are data files under ``mapper/data/`` (titles, stoplist, feature words, extra
demonyms); first names come from the US Census 1990 lists shipped in the ``names`` package and
country demonyms from the ``countryinfo`` package.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import ahocorasick_rs

from gazetteer.normalize import name_key
from mapper.text import KeyText, key_text

__all__ = ["FeatureHint", "Kind", "Lexicon", "Recognizer", "ToponymSpan"]

Kind = Literal["place", "demonym"]

# Lower-case words allowed inside a capitalised multi-word name ("Bay of Pigs", "al-Qaim").
CONNECTORS = frozenset(
    "of the de du des la le les el al ad an ar as ash at az en and y da di do dos das von van "
    "der den upon on sur am im bin ibn bint abu s".split()
)
_ARTICLE_PREFIX = frozenset("al el ad an ar as ash at az ed".split())


@dataclass(frozen=True)
class FeatureHint:
    """What a feature word after a name says: GeoNames class and preferred codes."""

    word: str
    feature_class: str
    feature_codes: tuple[str, ...]


@dataclass
class ToponymSpan:
    """One recognised name. ``start``/``end`` are offsets in the original text.

    ``name_start``/``name_end`` delimit the name itself inside a mention that a feature
    word extended ("Anbar" inside "Anbar province"). ``container`` is the index (in the
    result list) of the mention that contains this one ("Prague, Oklahoma").
    """

    start: int
    end: int
    text: str
    key: str
    kind: Kind
    name_start: int
    name_end: int
    hint: FeatureHint | None = None
    container: int | None = None
    dateline: bool = False
    person: bool = False
    reason: str = ""
    demonym_country: str | None = None
    place_meant: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("mapper") / "data" / name))


def _read_words(name: str) -> frozenset[str]:
    words = set()
    for line in _data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return frozenset(words)


def _read_csv(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in _data_path(name).read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Lexicon:
    """The word lists the recogniser uses (all data files; see module docstring)."""

    titles: frozenset[str]
    stoplist: frozenset[str]
    first_names: frozenset[str]
    demonyms: dict[str, str]  # folded key -> ISO country code (or a name key for regions)
    place_nouns: frozenset[str]  # "territory", "soil": demonym + noun means a place
    feature_words: dict[str, FeatureHint]

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The lexicon built from the shipped data files and packages (cached)."""
        hints = {}
        for row in _read_csv("place_feature_words.csv"):
            codes = tuple(row["feature_codes"].split())
            hints[name_key(row["words"])] = FeatureHint(row["words"], row["feature_class"], codes)
        extra = _read_csv("demonyms.csv")
        demonyms = _country_demonyms()
        for row in extra:
            demonyms[name_key(row["demonym"])] = row["target"]
        return cls(
            titles=_read_words("person_titles.txt"),
            stoplist=_read_words("toponym_stoplist.txt"),
            first_names=_first_names(),
            demonyms=demonyms,
            place_nouns=_read_words("demonym_place_nouns.txt"),
            feature_words=hints,
        )


def _first_names() -> frozenset[str]:
    """Given names from the US Census 1990 lists in the ``names`` package (public domain)."""
    import names

    folder = Path(names.__file__).parent
    out = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (folder / fname).read_text(encoding="ascii").splitlines():
            if line.strip():
                out.add(line.split()[0].lower())
    return frozenset(out)


def _country_demonyms() -> dict[str, str]:
    """Demonym -> ISO code from ``countryinfo`` (one adjective per country) plus plurals."""
    import countryinfo

    out: dict[str, str] = {}
    folder = Path(countryinfo.__file__).parent / "data"
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        demonym = record.get("demonym")
        code = (record.get("ISO") or {}).get("alpha2")
        if not demonym or not code:
            continue
        key = name_key(demonym)
        out.setdefault(key, code)
        if key[-1:] in ("n", "i"):  # Iranian -> Iranians, Iraqi -> Iraqis
            out.setdefault(key + "s", code)
    return out


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.\s*$")


class Recognizer:
    """Finds toponyms in text. Build once (the automaton is the expensive part)."""

    def __init__(self, names: Iterable[str], *, lexicon: Lexicon | None = None,
                 notable: Iterable[str] = ()) -> None:
        """``names``: gazetteer name keys; ``notable``: keys of well-known places that may
        start a sentence even when they are also common words (countries, big cities)."""
        self.lexicon = lexicon or Lexicon.default()
        self.notable = frozenset(notable)
        keys = {k for k in names if _usable_key(k)}
        self.place_keys = frozenset(keys)
        patterns = sorted(keys | set(self.lexicon.demonyms))
        self._patterns = patterns
        self._kinds = ["place" if p in keys else "demonym" for p in patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(
            [f" {p} " for p in patterns], matchkind=ahocorasick_rs.MatchKind.Standard)

    def find(self, text: str) -> list[ToponymSpan]:
        """Every toponym and demonym of ``text`` (persons and stoplisted words included
        with ``person=True`` / a ``reason``, so the caller can account for them)."""
        kt = key_text(text)
        hay = f" {kt.keys} "
        raw = self._automaton.find_matches_as_indexes(hay, overlapping=True)
        # Offsets in ``hay`` include the leading space of the pattern: key offset = start.
        cands: list[tuple[int, int, int]] = []
        for idx, s, e in raw:
            cands.append((s, e - 2, idx))
        cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        persons: set[str] = set()
        chosen: list[ToponymSpan] = []
        rejected: list[ToponymSpan] = []
        pos = 0
        for ks, ke, idx in cands:
            if ks < pos:
                continue
            span = self._check(text, kt, ks, ke, idx)
            if span is None:
                continue
            if span.reason and not span.person:
                continue  # lower case, stoplist: not a mention at all
            if span.person:
                persons.add(span.key)
                rejected.append(span)
                pos = ke
                continue
            self._extend(text, kt, span, ke)
            chosen.append(span)
            pos = max(ke, kt_end_key(kt, span.end))
        # A surname seen as a person's name is a person everywhere in the document.
        for span in chosen:
            if span.key in persons and span.kind == "place":
                span.person = True
                span.reason = "person name (same name marked as person in this document)"
        result = sorted(chosen + rejected, key=lambda s: s.start)
        _link_containers(text, result)
        _mark_dateline(text, result)
        return result

    # -- filters ------------------------------------------------------------------------

    def _check(self, text: str, kt: KeyText, ks: int, ke: int, idx: int) -> ToponymSpan | None:
        start, end = kt.span(ks, ke)
        surface = text[start:end]
        key = self._patterns[idx]
        kind: Kind = "place" if self._kinds[idx] == "place" else "demonym"
        span = ToponymSpan(start, end, surface, key, kind, start, end)
        if not _capitalised(surface):
            span.reason = "lower case"
            return span
        upper = surface.isupper()
        if kind == "place" and len(key) <= 2 and not upper:
            span.reason = "short word not in capitals"
            return span
        if key in self.lexicon.stoplist and not (upper and len(key) > 3):
            span.reason = "stoplist"
            return span
        if kind == "demonym":
            span.demonym_country = self.lexicon.demonyms[key]
            nxt = _next_word(text, end)
            span.place_meant = nxt.lower() in self.lexicon.place_nouns
            if kind == "demonym" and key in self.place_keys:
                span.kind = "place"  # "Kuwaiti" is not a place name, but some demonyms are
            return span
        if self._is_person(text, start, end, key):
            span.person = True
            span.reason = "person name"
            return span
        if _sentence_initial(text, start) and " " not in key and key not in self.notable \
                and _next_word(text, end)[:1].islower() and not upper:
            # "Police said", "Will it" -- a capitalised common word opening a sentence.
            if key in self.lexicon.first_names:
                span.reason = "sentence-initial first name"
                return span
        return span

    def _is_person(self, text: str, start: int, end: int, key: str) -> bool:
        lex = self.lexicon
        before = text[max(0, start - 40):start]
        prev = _prev_word(text, start)
        if prev and prev.lower().rstrip(".") in lex.titles and prev[:1].isupper():
            return True  # "Mr. Knights", "Gen. Votel", "Senator Bolton"
        if _INITIAL.search(before):
            return True  # "John R. Bolton", "J. Kirby"
        if prev and _CAPITALISED_WORD.fullmatch(prev) and prev.lower() in lex.first_names \
                and key not in self.notable and text[start - 1: start] == " ":
            prev_start = start - 1 - len(prev)
            if not _sentence_initial(text, prev_start) or prev.lower() not in self.place_keys:
                return True  # "Dan Coats", "John Bolton", "Barack Obama"
        nxt = _next_word(text, end)
        if " " not in key and key in lex.first_names and _CAPITALISED_WORD.fullmatch(nxt or "") \
                and name_key(nxt) not in self.place_keys and text[end:end + 1] == " ":
            return True  # "Jordan Peterson", "Paris Hilton": a first name before a surname
        return bool(re.match(r",\s*\d{1,3}\s*,", text[end:end + 8]))  # "Henry, 19,"

    def _extend(self, text: str, kt: KeyText, span: ToponymSpan, ke: int) -> None:
        """Extend a place over a following feature word ("Anbar province")."""
        if span.kind != "place":
            return
        rest = kt.keys[ke:ke + 40]
        m = re.match(r" (?:s (?:(?:main|international|old|new) )?)?([a-z]+(?: [a-z]+)?)", rest)
        if not m:
            return
        words = m.group(1)
        for candidate in (words, words.split(" ")[0]):
            hint = self.lexicon.feature_words.get(candidate)
            if hint is None:
                continue
            possessive = rest.startswith(" s ")
            if possessive and hint.feature_class != "S":
                return  # "Iraq's province" is not a name
            end_key = ke + m.start(1) + len(candidate)
            new_end = kt.span(ke, end_key)[1]
            span.end = new_end
            span.text = text[span.start:new_end]
            span.hint = hint
            return


def kt_end_key(kt: KeyText, original_end: int) -> int:
    """Key offset just after the original offset ``original_end`` (for skipping)."""
    lo, hi = 0, len(kt.keys)
    while lo < hi:
        mid = (lo + hi) // 2
        if kt.original(mid) < original_end:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _usable_key(key: str) -> bool:
    """Latin-script keys of at least two letters (the text is English)."""
    return len(key) >= 2 and key.isascii() and any(c.isalpha() for c in key)


def _capitalised(surface: str) -> bool:
    """A name whose words are capitalised, allowing lower-case connectors and articles."""
    words = _WORD.findall(surface)
    if not words:
        return False
    first = True
    for w in words:
        if w[0].isupper() or w[0].isdigit():
            first = False
            continue
        low = w.lower()
        if first and low in _ARTICLE_PREFIX:
            continue  # "al-Qaim"
        if not first and low in CONNECTORS:
            continue
        return False
    return not first


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([^\W_]+\.?)[\s]*$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*([^\W_]+)", text[end:end + 30])
    return m.group(1) if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    """True when nothing but quotes/brackets stands between ``start`` and a sentence end."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(['":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;—–-"


def _link_containers(text: str, spans: list[ToponymSpan]) -> None:
    """"Prague, Oklahoma": record the second name as the container of the first."""
    places = [(i, s) for i, s in enumerate(spans) if s.kind == "place" and not s.person]
    for (_, a), (j, b) in itertools.pairwise(places):
        if re.fullmatch(r"\s*,\s*", text[a.end:b.start]) and a.hint is None:
            a.container = j


def _mark_dateline(text: str, spans: list[ToponymSpan]) -> None:
    """"BAGHDAD (AP) —" / "WASHINGTON —" at the start of a line is a dateline."""
    for s in spans:
        line_start = text.rfind("\n", 0, s.start) + 1
        if text[line_start:s.start].strip():
            continue
        after = text[s.end:s.end + 40]
        if s.text.isupper() and re.match(r"(?:,\s*[A-Za-z. ]+)?\s*(?:\([^)]{1,30}\))?\s*[—–-]", after):
            s.dateline = True
