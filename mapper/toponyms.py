"""Toponym recognition: find place names (and demonyms) in text, with original offsets.

One Aho-Corasick automaton (ahocorasick-rs) runs over the key-normalised text
(``mapper.text.key_text``) with every gazetteer name key, every demonym and the AP state
abbreviations; patterns are padded with spaces, so only whole words match. The matches are
then judged on the ORIGINAL text and the leftmost-longest survivor wins at each position:

- a name must be capitalised (lower-case connectors and Arabic articles aside); short
  all-capital words must name a big place ("US", not "BA"); stoplisted words never match;
- a one-word name of a small place (not a country, admin-1 area or city of 100,000) is
  dropped when it is a common English word, a first name or a frequent surname ("Bank",
  "Keith", "Adams"), or is embedded in a longer proper name ("Fig Leaf Boutique"), unless
  "in", "at", "near"... stands before it;
- person names stay unmapped: after a title ("Mr. Knights", "Gen. Votel"), a first name or
  an initial ("Dan Coats", "John R. Bolton"), before a speech verb ("Nelson said"), well-known
  surnames ("Obama"), and every later mention of a name once seen as a person's;
- a feature word after the name ("Anbar province", "At Tanf garrison", "Baghdad's main
  airport") extends the mention and records a feature hint; "X, Y" records Y as X's
  container; a capitalised name opening a line before "(AP) —" is a dateline;
- "US" in capitals is the country (not in a shouted headline); a common word that names a
  country-sized place stays ("Turkey"); no match runs across punctuation ("Horry County, SC");
- a given name or common word that names a small place ("Shiloh", "Monroe") is kept only
  when the document also names it as a place ("in Shiloh", "Winona police", "Greer, South
  Carolina"); two one-word names side by side are a person ("Nancy Levan"), as are names
  after a name particle ("Mike de Kock"), a title two words back ("councillor Dewly Nelson")
  or "O'" ("Macy-O'Toole"), and speakers ("said Noma");
- streets, natural features and buildings named by a head word (``site_head_words.csv``:
  "Royal Street", "Glenrock Lagoon", "Mount Chaambi", "the Karl Bremer Hospital") and
  numbered roads ("Highway 19", "the A417") are site mentions even when the gazetteer lacks
  them; a building named after a place ("Douglas County Hospital", "British Embassy") is
  one mention too, with the place in it as the name to look up (GeoWebNews annotates the
  whole name; LGL would take the place alone).

- "Mississippi State", "Maryland State Police" (a US state's team, university or police)
  mention the state; state abbreviations in capitals ("WA", "NJ") are names unless they
  are English words ("OK"); events and institutions named after a place ("Dubai World
  Cup") are one mention, like buildings (not "Bank of Japan": the country is the mention).

- a name that ends a person's full name in the document ("Dave Allen") is that person when
  it stands alone too ("Allen's childhood"), unless "in", "at" or "near" stands before it;
- an unknown capitalised word between two places of a list ("Hamburg, Brasoc and
  Mannheim") or before a comma and a country or province ("Knockhill, Fife") is a place;
  two names before a plural street word are streets ("State and Hubbard streets"), names
  before a plural feature word places of that kind ("Grayson and Love counties");
  "Washington, D.C." is one name;
- a big place's name that is also a given name is a person before a rare word that ends
  the name ("Vladimir Putin,"), and so is a name after a word for a relative ("his wife,
  Julia,");
- a run of capitalised words after "at", "to", "the"... and before "in" and a place is a
  venue there ("at the Feis Ceoil in Dublin"), a site whose container is that place;
- "of" makes a place of the name after it after a word of ``_PLACE_OF`` ("the town of
  Akuressa", also when the gazetteer lacks it) or as a home town after a person and before
  punctuation ("Bowers, 19, of Martinez,"); a hyphen to another place of four letters or
  more leaves a name a name ("Fargo-Moorhead").

- a surname after a given name no list knows ("fighter Conor McGregor") is that person
  alone too; a building standing for its institution ("White House aides", "denied by the
  Kremlin") is no place; a name in capitals before a dash after a headline ("HARWINTON —")
  is a dateline even when unknown, and an unknown place a rule found ("drove to Lanexa")
  is a place at its other mentions; "St. Peter's Basilica" is one building name.

Last, a span filter (``SpanFilter``: logistic regression over simple features of each
span, ``span_features``) marks the spans it judges no place ("Levi is his service dog",
"Zara now uses...") like person names. It is trained on the TRAIN and DEV splits by
``benchmarks/train_recognition.py`` (penalty and threshold chosen by cross-validation over
documents) and shipped as ``recognition_filter.json``.

Demonyms ("Iranian", "Iraqis", "Kurdish", and the regular forms of provinces, big cities and
regions: "Iowans", "Londoners", "Siberian") come back as kind ``"demonym"``; the resolver
maps them to their place and marks them ``ignored`` unless a place is meant ("Iraqi
territory").

Word lists are data files under ``mapper/data/`` (the small curated ones, such as the
words that make a place of the name before them, in ``recognizer_words.csv``); first names
and surnames come from the US Census 1990 lists in the ``names`` package, country demonyms
from ``countryinfo``, common English words from ``pyspellchecker``'s English frequency list.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import ahocorasick_rs
import numpy as np

from gazetteer.normalize import name_key
from mapper.text import ABBREVIATIONS, KeyText, key_text

__all__ = ["SPAN_FEATURES", "FeatureHint", "Kind", "Lexicon", "Recognizer", "SpanFilter",
           "ToponymSpan", "judged_spans"]

Kind = Literal["place", "demonym"]
_PatternKind = Literal["place", "demonym", "abbreviation", "region"]


@dataclass(frozen=True)
class FeatureHint:
    """What a feature word after a name says: GeoNames class and preferred codes."""

    word: str
    feature_class: str
    feature_codes: tuple[str, ...]


@dataclass(eq=False)
class ToponymSpan:
    """One recognised name. ``start``/``end`` are offsets in the original text.

    ``name_start``/``name_end`` delimit the name itself inside a mention that a feature
    word extended ("Anbar" inside "Anbar province"). ``container`` is the mention that
    contains this one ("Oklahoma" in "Prague, Oklahoma").
    """

    start: int
    end: int
    text: str
    key: str
    kind: Kind
    name_start: int
    name_end: int
    hint: FeatureHint | None = None
    container: ToponymSpan | None = None
    dateline: bool = False
    person: bool = False
    reason: str = ""
    demonym_country: str | None = None
    place_meant: bool = False
    query: str = ""  # the name to look up when it differs from the text ("Kan." -> "Kansas")
    site: bool = False  # a street or building named before its town ("Rashid Street, Baghdad")
    doubtful: bool = False  # a common word or a name: kept only if the document confirms it
    located: bool = False  # "in Shiloh", "Winona police": confirms doubtful mentions
    sure: bool = False  # a pattern the span filter does not judge ("NSW", "B.C.")


def _data_path(name: str) -> Path:
    return Path(str(resources.files("mapper") / "data" / name))


def _read_words(name: str) -> frozenset[str]:
    words = set()
    for line in _data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return frozenset(words)


def read_data_csv(name: str) -> list[dict[str, str]]:
    """The rows of ``mapper/data/<name>``, a CSV whose ``#`` lines name its source."""
    lines = [ln for ln in _data_path(name).read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


WORD_LISTS_FILE = "recognizer_words.csv"


def _word_lists() -> dict[str, frozenset[str]]:
    """The recogniser's small word lists (``recognizer_words.csv``: list name -> words, case
    kept; its header says what each list is for)."""
    lists: dict[str, set[str]] = {}
    for row in read_data_csv(WORD_LISTS_FILE):
        lists.setdefault(row["list"], set()).add(row["word"])
    return {name: frozenset(words) for name, words in lists.items()}


_WORD_LISTS = _word_lists()


def _words(name: str) -> frozenset[str]:
    """One list of ``recognizer_words.csv``; a missing list is an error naming the file."""
    try:
        return _WORD_LISTS[name]
    except KeyError:
        raise ValueError(f"mapper/data/{WORD_LISTS_FILE} has no list {name!r}") from None


# Lower-case words allowed inside a capitalised multi-word name ("Bay of Pigs", "al-Qaim").
CONNECTORS = _words("connector")
_ARTICLE_PREFIX = _words("article_prefix")


@dataclass(frozen=True)
class Lexicon:
    """The word lists the recogniser uses (all data files; see module docstring)."""

    titles: frozenset[str]
    stoplist: frozenset[str]
    first_names: frozenset[str]
    common_first_names: frozenset[str]  # the most frequent ones ("John", not "Star")
    demonyms: dict[str, str]  # folded key -> ISO country code (or a name key for regions)
    place_nouns: frozenset[str]  # "territory", "soil": demonym + noun means a place
    feature_words: dict[str, FeatureHint]
    common_words: frozenset[str]  # frequent English words ("bank", "minister", "story")
    surnames: frozenset[str]  # the most frequent US surnames
    public_figures: frozenset[str]  # surnames that mean the person when alone ("Obama")
    abbreviations: dict[str, tuple[str, str]]  # "kan" -> ("Kansas", "US"); needs a full stop
    site_heads: dict[str, frozenset[str]]  # "last"/"first"/"of"/"building" -> head words

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The lexicon built from the shipped data files and packages (cached)."""
        hints = {}
        for row in read_data_csv("place_feature_words.csv"):
            codes = tuple(row["feature_codes"].split())
            hints[name_key(row["words"])] = FeatureHint(row["words"], row["feature_class"], codes)
        extra = read_data_csv("demonyms.csv")
        demonyms = _country_demonyms()
        for row in extra:
            demonyms[name_key(row["demonym"])] = row["target"]
        return cls(
            titles=_read_words("person_titles.txt"),
            stoplist=_read_words("toponym_stoplist.txt"),
            first_names=_first_names() | _read_words("first_names_extra.txt"),
            common_first_names=(_first_names(COMMON_FIRST_NAMES)
                                | _read_words("first_names_extra.txt")),
            demonyms=demonyms,
            place_nouns=_read_words("demonym_place_nouns.txt"),
            feature_words=hints,
            common_words=_common_words(),
            surnames=_surnames(),
            public_figures=_read_words("person_names.txt"),
            abbreviations={name_key(r["abbreviation"]): (r["name"], r["country_code"])
                           for r in read_data_csv("place_abbreviations.csv")},
            site_heads=_site_heads(),
        )


def _site_heads() -> dict[str, frozenset[str]]:
    """Head words of site names by position, plus the sets of building and natural words."""
    heads: dict[str, set[str]] = {"last": set(), "first": set(), "of": set(), "building": set(),
                                  "natural": set()}
    for row in read_data_csv("site_head_words.csv"):
        heads[row["position"]].add(row["word"])
        if row["kind"] == "building":
            heads["building"].add(row["word"])
        elif row["kind"] == "natural":
            heads["natural"].add(row["word"])
    return {k: frozenset(v) for k, v in heads.items()}


COMMON_WORD_COUNT = 5000  # pyspellchecker count above which a word is a common English word
SURNAME_RANK = 2000
COMMON_FIRST_NAMES = 300  # of each census list: the given names that can stand before a country  # the most frequent surnames of the 1990 US Census list


def _common_words() -> frozenset[str]:
    """Frequent English words from pyspellchecker's English frequency list (MIT).

    Place names appear there too ("paris" 1,081, "china" 3,019), but far less often than
    common words ("bank" 102,171, "minister" 18,798); see ``COMMON_WORD_COUNT``.
    """
    import gzip

    import spellchecker

    path = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        counts: dict[str, int] = json.load(fh)
    return frozenset(w for w, n in counts.items() if n >= COMMON_WORD_COUNT)


def _surnames() -> frozenset[str]:
    """The ``SURNAME_RANK`` most frequent surnames (US Census 1990, in the ``names`` package)."""
    import names

    path = Path(names.__file__).parent / "dist.all.last"
    lines = path.read_text(encoding="ascii").splitlines()[:SURNAME_RANK]
    return frozenset(line.split()[0].lower() for line in lines if line.strip())


def _first_names(limit: int | None = None) -> frozenset[str]:
    """Given names from the US Census 1990 lists in the ``names`` package (public domain);
    the ``limit`` most frequent of each list when given."""
    import names

    folder = Path(names.__file__).parent
    out: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        lines = [ln for ln in (folder / fname).read_text(encoding="ascii").splitlines() if ln.strip()]
        out.update(line.split()[0].lower() for line in lines[:limit])
    return frozenset(out)


def _country_demonyms() -> dict[str, str]:
    """Demonym -> ISO code from ``countryinfo`` (one adjective per country) plus plurals."""
    import countryinfo

    best: dict[str, tuple[int, str]] = {}
    folder = Path(countryinfo.__file__).parent / "data"
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        demonym = record.get("demonym")
        code = (record.get("ISO") or {}).get("alpha2")
        if not demonym or not code:
            continue
        population = int(record.get("population") or 0)
        key = name_key(demonym)
        forms = [key, key + "s"] if key[-1:] in ("n", "i") else [key]  # Iraqi -> Iraqis
        for form in forms:
            # "American" is the demonym of several territories: the most populous wins.
            if form not in best or population > best[form][0]:
                best[form] = (population, code)
    return {form: code for form, (_, code) in best.items()}


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.\s*$")
_DOTTED = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.)+[A-Za-z]$")
_SPEECH_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(_words("speech_after"), key=len, reverse=True))
                           + r")\b")
_AGE = re.compile(r",\s*\d{1,3}\s*,")
_HYPHEN_BEFORE = re.compile(r"([A-Za-z]+)-$")
_PARTY = re.compile(r"[RDI]|DFL")
_AFTER_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|In|At|Near|Outside)\s+([A-Z][a-z]{3,})\b(?![’'-]|\s+[A-Z&(]|\.\w)")
# Two to four capitalised words after "at" (connectors, a number at the end allowed);
# "a(?<!\wa)t" is "\bat" written so that ``re`` skips to an "a" (six times faster).
_VENUE_AFTER_AT = re.compile(
    r"a(?<!\wa)t\s+(([A-Z][\w’'&-]*)(?: (?:of |de |la |the |and |& )?[A-Z][\w’'&-]*){1,3}(?: \d+)?)"
    r"(?![\w’'-]|\s+[A-Z&(]|\.\w)")
_TIME_BEFORE = re.compile(r"\d\s*[ap]\.?m\.?\s+$", re.IGNORECASE)  # "7 a.m. CT", "5pm ET"
# Last words of a firm's name, and words before "at" that make what follows an employer.
_COMPANY_WORDS = _words("company_last")
_ROLE_WORDS = _words("role_before_at")
_SPEECH_BEFORE = _words("speech_before")
_NOT_ALONE = re.compile(r" ?(?:&|\d|[A-Z])")
_BREAK = re.compile(r"[,;:()\[\]\"“”!?]|[a-z]{3}\.\s")
# Words before "of" that make a place of what follows ("City of Monroe", "Gulf of Aden").
_PLACE_OF = _words("place_of")
_SURNAME_PREFIXES = frozenset(("O'", "O’"))
# Particles inside personal names ("Mike de Kock", "Mohammed bin Rashid", "Zaid Al Harbi").
NAME_PARTICLES = _words("name_particle")
_HYPHEN_AFTER = re.compile(r"-([A-Za-z]+)")
_NEXT_WORD = re.compile(r"\s*([^\W_]+)")
_COMMA_ONLY = re.compile(r"\s*,\s*")
_DATELINE_AFTER = re.compile(r"(?:,\s*[A-Za-z. ]+)?\s*(?:\([^)]{1,30}\))?\s*[—–-]")
_SITE_TOWN = re.compile(r",\s*|\s+in\s+")
_FEATURE_AFTER = re.compile(r" (s (?:(?:main|international|old|new) )?)?([a-z]+(?: [a-z]+)?)")
LOCATIVE = _words("locative")
# Words right after a name that make a place of it ("Winona police", "a Trenton man").
PLACE_AFTER = _words("place_after")
# Capitalised words after a name that keep it a place inside a longer name ("Winona Police",
# "Crestwood School Board", "Allendale Woman's Club", "Cauvery Water Regulation Committee").
CIVIC_AFTER = _words("civic_after")
# Capitalised words after a name that make it part of an armed group's or party's name.
ORGANISATION_WORDS = _words("organisation_after")
NOTABLE_POPULATION = 100_000  # a name of a place this big is kept unless it is a common word
COUNTRY_POPULATION = 5_000_000  # ... and of a place this big even then ("Turkey", "Chad")
ACRONYM_POPULATION = 1_000_000  # an all-capitals short word must name a place this big ("US")
ACRONYM_LENGTH = 4


# A gazetteer name's facts as one small int: population order of magnitude (bits 4-7;
# 10 ** (n - 1) people and more) and feature classes (bits 0-3).
_INFO_SIZE = [(n + 1) << 4 for n in range(10)]
_INFO_CLASS = {"P": 1, "A": 2, "L": 8}
_INFO_OTHER = 4  # spots, hills, waters, roads...

# The columns of ``Recognizer.span_features``, in order (the filter's weights name them).
_NAME_FEATURES = (
    "bias", "demonym", "site", "several_words", "notable", "big", "country_size", "admin",
    "unknown_name", "common_word", "first_name", "surname", "short", "population_digits",
    "populated_place", "admin_area", "other_feature", "region",
)
SPAN_FEATURES = (
    *_NAME_FEATURES,
    "feature_word", "all_capitals", "after_locative", "after_the", "after_of",
    "after_capitalised", "sentence_initial", "before_capitalised", "possessive",
    "before_comma", "before_place_word", "has_container", "log_mentions",
    "located_in_document", "before_surname", "before_civic", "after_comma",
)
SPAN_FILTER_FILE = "recognition_filter.json"


@dataclass(frozen=True)
class SpanFilter:
    """Logistic keep/drop model over ``SPAN_FEATURES`` of the recogniser's spans: a span
    whose probability of being a toponym is below ``threshold`` is no place mention.
    Trained on the TRAIN+DEV splits by ``benchmarks/train_recognition.py`` (penalty and
    threshold by cross-validation); shipped as ``mapper/data/recognition_filter.json``."""

    weights: Any  # numpy vector, one weight per feature
    threshold: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpanFilter:
        """The filter of a JSON record (``features``, ``weights``, ``threshold``); the
        feature names must be ``SPAN_FEATURES`` (a stale file is an error, not a guess)."""
        names = tuple(data.get("features", ()))
        if names != SPAN_FEATURES:
            diff = sorted(set(names) ^ set(SPAN_FEATURES)) or ["(their order)"]
            raise ValueError(f"recognition filter: its features differ from SPAN_FEATURES in "
                             f"{', '.join(diff)}; retrain with benchmarks/train_recognition.py")
        weights = np.asarray(data["weights"], dtype=np.float64)
        return cls(weights, float(data["threshold"]))

    @classmethod
    @cache
    def default(cls) -> SpanFilter | None:
        """The shipped filter, or None when no file is shipped."""
        path = _data_path(SPAN_FILTER_FILE)
        if not path.exists():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def probabilities(self, rows: Any) -> Any:
        """P(toponym) of each feature row."""
        if not len(rows):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(np.asarray(rows) @ self.weights)))


class NameInfo(Protocol):
    """What the recogniser needs of a gazetteer name (``gazetteer.NameEntry`` has it)."""

    @property
    def key(self) -> str: ...
    @property
    def max_population(self) -> int: ...
    @property
    def feature_classes(self) -> frozenset[str]: ...


class Recognizer:
    """Finds toponyms in text. Build once (the automaton is the expensive part)."""

    def __init__(self, names: Iterable[NameInfo], *, admin_keys: Iterable[str] = (),
                 lexicon: Lexicon | None = None,
                 span_filter: SpanFilter | Literal["default"] | None = "default") -> None:
        """``names``: gazetteer name keys with the largest population they name
        (``gazetteer.NameEntry`` fits); ``admin_keys``: keys of countries and admin-1 areas,
        which stay names even when they are common words ("Georgia", "Virginia");
        ``span_filter``: the keep/drop model of ``find`` (the shipped one by default)."""
        self.lexicon = lexicon or Lexicon.default()
        admin = frozenset(admin_keys)
        keys: set[str] = set()
        name_info: dict[str, int] = {}  # small ints (see ``_INFO_SIZE``): no objects stored
        notable: set[str] = set()
        big: set[str] = set()
        country_size: set[str] = set()
        regions: set[str] = set()  # areas ("Siberia", "South Ossetia"): demonyms are made of them
        common_words = self.lexicon.common_words
        class_info: dict[frozenset[str], tuple[int, bool]] = {}  # few distinct sets: once each
        for entry in names:  # a million names: kept to plain steps
            key = entry.key
            if not _usable_key(key):
                continue
            population, classes = entry.max_population, entry.feature_classes
            keys.add(key)
            # Population order of magnitude and feature classes, for the span filter.
            found = class_info.get(classes)
            if found is None:
                found = class_info[classes] = (_class_info(classes), "L" in classes)
            info = found[0] | (_INFO_SIZE[min(9, len(str(population)) - 1)] if population else 0)
            name_info[key] = name_info.get(key, 0) | info
            if population >= NOTABLE_POPULATION:
                # A common word ("reading", "part") is notable only as a country or province.
                if population >= COUNTRY_POPULATION or key not in common_words:
                    notable.add(key)
                if population >= ACRONYM_POPULATION:
                    big.add(key)
                if population >= COUNTRY_POPULATION:
                    country_size.add(key)
            if found[1] and key.count(" ") < 2:
                regions.add(key)
        notable |= admin & keys
        self.place_keys = frozenset(keys)
        self._name_info = name_info
        self._key_features: dict[tuple[str, str, bool], tuple[float, ...]] = {}
        self._building_names: dict[str, bool] = {}  # see ``_mark_building_actors``
        self._country_size = frozenset(country_size)
        # Countries, provinces and cities of a million: a given name before a capitalised
        # word does not make them a person ("Jordan Junior Olympic", "Georgia Tech").
        self._major = admin | big
        self._admin = admin
        self.notable = frozenset(notable)
        self._big = frozenset(big)
        abbreviations = set(self.lexicon.abbreviations)
        # Abbreviations of states and provinces that news writes bare ("NSW", "SA", "B.C."):
        # name key -> the exact written forms (the resolver reads them with the same table).
        self._regions = _region_forms()
        # Demonyms of provinces, big cities and regions ("Iowans", "Londoners", "Siberian").
        self._derived = _derived_demonyms(admin | big | regions, keys, self.lexicon)
        demonyms = {**self._derived, **self.lexicon.demonyms}
        patterns = sorted(keys | set(demonyms) | abbreviations | set(self._regions))
        self._patterns = patterns
        self.demonyms = demonyms
        self._kind: list[_PatternKind] = [
            "abbreviation" if p in abbreviations else "demonym" if p in demonyms
            else "place" if p in keys else "region"
            for p in patterns]
        # Patterns that may start in lower case ("al-Qaim"): an Arabic article first.
        self._article = np.array([p[:3].rstrip() in _ARTICLE_PREFIX for p in patterns], dtype=bool)
        # The automaton leaves out the patterns that are never a mention, stoplisted words
        # and titles (abbreviations and phrases aside): half of all matches in news text
        # ("is", "are"). A stoplisted phrase is searched so that it hides the names in it.
        lex = self.lexicon
        # Two-letter stoplisted words that abbreviate a big place ("us" / "US") are searched
        # too; ``_check`` keeps them only when written in capitals in lower-case text.
        self._capital_only = frozenset(k for k in lex.stoplist if len(k) == 2 and k in big)
        searched = [i for i, (p, kind) in enumerate(zip(patterns, self._kind, strict=True))
                    if kind in ("abbreviation", "region") or p in self._capital_only or " " in p
                    or p in self._regions
                    or (p not in lex.stoplist and p not in lex.titles)]
        self._searched = np.array(searched, dtype=np.intp)  # automaton index -> pattern index
        self._site_head = _site_head_pattern(lex.site_heads)
        self._building_words = frozenset(name_key(w) for w in lex.site_heads["building"]
                                         | _BUILDING_WORDS)
        self._stop_phrase = [" " in p and p in lex.stoplist for p in patterns]
        # US states: "Mississippi State", "Maryland State Police" name the state's team,
        # university or police; the mention is the state ("Mississippi"), as both corpora
        # mostly annotate it (a building after it makes a site: "Colorado State University").
        self._us_state_teams = frozenset(
            f"{name_key(name)} state" for name, cc in lex.abbreviations.values() if cc == "US")
        self.span_filter = SpanFilter.default() if span_filter == "default" else span_filter
        self._automaton = ahocorasick_rs.AhoCorasick(
            [f" {patterns[i]} " for i in searched], matchkind=ahocorasick_rs.MatchKind.Standard)

    def find(self, text: str, *, filtered: bool = True) -> list[ToponymSpan]:
        """Every toponym and demonym of ``text``, in text order.

        Person names that are also place names come back with ``person=True`` (the caller
        reports them as ignored); lower-case words, stoplisted and common words do not come
        back at all. With ``filtered``, the span filter (``SpanFilter``) marks the mentions
        it judges no place the same way (with its reason); ``filtered=False`` gives the
        rules' output alone (what the filter is trained on).
        """
        kt = key_text(text)
        persons: set[str] = set()
        spans: list[ToponymSpan] = []
        pos = 0
        for ks, ke, idx, start, end in self._candidates(kt):
            if ks < pos:
                continue
            span, hint = self._check(text, kt, ks, ke, idx, start, end)
            if span is None:
                if self._stop_phrase[idx]:
                    pos = ke  # "El Niño": no shorter name inside it either
                continue
            if span.person:
                if span.reason != _GIVEN_BEFORE_SURNAME:
                    persons.add(span.key)
            else:
                ke = self._extend(text, kt, span, ke, hint)
            spans.append(span)
            pos = ke
        self._mark_name_pairs(text, spans, persons)
        # A surname seen as a person's name is a person everywhere in the document, except
        # where the words before make a place of it ("in Clinton", "the city of Monroe").
        for span in spans:
            if (not span.person and span.kind == "place" and span.key in persons
                    and not self._place_context(text, span.start, span.end)):
                span.person = True
                span.reason = "person name (marked as a person elsewhere in the document)"
        self._mark_full_name_surnames(text, spans, persons)
        self._mark_building_actors(text, spans)
        spans = self._confirm_doubtful(text, spans, persons)
        spans = _add_sites(text, spans)
        spans = self._add_unknown_after_locative(text, spans)
        spans = _add_roads(text, spans)
        spans = self._add_named_sites(text, spans)
        spans = self._add_venues_in(text, spans)
        spans = self._add_listed(text, spans)
        spans = _add_street_pairs(text, spans)
        spans = _join_district(text, spans)
        spans = self._add_feature_lists(text, spans)
        spans = self._add_datelines(text, spans)
        spans = self._add_repeats(text, spans)
        _link_containers(text, spans)
        _mark_dateline(text, spans)
        if filtered and self.span_filter is not None:
            self._apply_filter(text, spans)
        return spans

    def _place_context(self, text: str, start: int, end: int) -> bool:
        """True when "in", "at" or "near" stands right before the name at ``[start, end)``,
        "of" that locates it ("the city of Monroe", "Ross, 29, of Columbia,"), or a word for
        its people or council after it ("Columbus Council"), and no possessive follows: a
        place even where the same name is a person's elsewhere in the document."""
        if text[end:end + 1] in ("'", "’"):
            return False  # "in Carter's home": the person's
        prev = _prev_word(text, start).lower()
        if prev in _STRONG_LOCATIVE:
            return True
        if text[end:end + 1] == " ":
            nxt = _next_word(text, end)
            if nxt.lower() in PLACE_AFTER or nxt in CIVIC_AFTER:
                return True  # "Columbus Council", "the Arlington police", "a Clinton man"
        return (prev == "of" and text[start - 4:start] == " of "
                and self._located_by_of(text, start, end))

    def _mark_full_name_surnames(self, text: str, spans: list[ToponymSpan], persons: set[str]
                                 ) -> None:
        """A name that ends a person's full name somewhere in the document ("Dave Allen",
        "Claude Joseph Villars Dubreuil": a frequent given name, then capitalised words) is
        that person when it stands alone too ("Allen's childhood"), unless "in", "at" or
        "near" stands before it. Not for countries, provinces and big cities, common words,
        demonyms and head words of sites ("Virginia Beach", "Jordan Valley")."""
        lex = self.lexicon
        single = {s.text: s.key for s in spans if s.kind == "place" and not s.person
                  and " " not in s.key and s.hint is None and s.key not in self._major
                  and s.key not in lex.common_words and s.key not in self.demonyms
                  and s.text not in lex.site_heads["last"] and s.key not in lex.feature_words}
        found: set[str] = set()
        for surface, key in single.items():
            if key in found:
                continue
            at = text.find(surface)
            while at >= 0:
                after = text[at + len(surface):at + len(surface) + 2]
                if not (after[:1].isalnum() or after[:1] == "-"
                        or (after[:1] == " " and after[1:].isupper())):  # not "Bush Lincoln"
                    m = _GIVEN_NAMES_BEFORE.search(text, max(0, at - 60), at)
                    if m is not None and ((m.group(1).lower() in lex.common_first_names
                                           and name_key(m.group(1)) not in self._major)
                                          or self._unknown_given_name(text, m)):
                        found.add(key)
                        break
                at = text.find(surface, at + 1)
        for s in spans:
            if (s.key in found and not s.person and s.kind == "place" and s.hint is None
                    and _prev_word(text, s.start).lower() not in _STRONG_LOCATIVE):
                s.person = True
                s.reason = "person name (the surname of a full name in the document)"
                persons.add(s.key)

    def _add_datelines(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """A name in capitals opening a line or a sentence before a dash, after an optional
        ", State" and "(AGENCY)", is the dateline's place, whether or not the gazetteer
        knows it and whoever else bears the name ("HARWINTON —", "CLINTON —", "CAMP
        MURRAY, Wash. -"); names recognised inside it give way to the whole."""
        if " —" not in text and " –" not in text and " -" not in text:
            return spans
        lex = self.lexicon
        out = spans
        seen = -1
        for dash in _SPACED_DASH.finditer(text):  # few: faster than the full pattern
            m = _DATELINE.search(text, max(0, dash.start() - 70), dash.end())
            if m is None or m.start(1) <= seen:
                continue
            start, end = m.span(1)
            seen = start
            surface = m.group(1)
            key = name_key(surface)
            if key not in self.place_keys and (
                    len(surface) < 4 or all(w in lex.common_words or w in lex.stoplist
                                            or w in lex.titles for w in key.split())):
                continue  # "UPDATE —", "BREAKING NEWS —"
            inside = [s for s in out if start <= s.start and s.end <= end]
            if any(s.start < end and start < s.end and s not in inside for s in out):
                continue
            same = [s for s in inside if s.start == start and s.end == end and s.kind == "place"]
            if same:
                same[0].person, same[0].reason, same[0].sure = False, "", True
                same[0].dateline = True
                continue
            span = ToponymSpan(start, end, surface, key, "place", start, end, located=True,
                               sure=True, dateline=True)
            places = [s for s in inside if s.kind == "place" and not s.person]
            if key not in self.place_keys and len(places) == 1:
                span.query = places[0].query or places[0].text  # "CAMP MURRAY": "MURRAY"
            out = sorted([s for s in out if s not in inside] + [span], key=lambda s: s.start)
        return out

    def _add_repeats(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """A one-word name the gazetteer lacks that a rule found as a place ("drove to
        Lanexa", the dateline "HARWINTON —", a list of places) is a place wherever else the
        document writes it alone or before a capitalised word ("Harwinton Senior Center"):
        not inside a longer name begun before it, not hyphenated. Not a name found only
        after "in", "at" or "near" ("stored in Dropbox", "lost money at Wedbush": firms)."""
        found = {s.text.title(): s for s in spans if s.kind == "place" and not s.person
                 and not s.site and s.hint is None and " " not in s.key and s.key.isalpha()
                 and s.key not in self.place_keys
                 and _prev_word(text, s.start).lower() not in _STRONG_LOCATIVE}
        if not found:
            return spans
        taken = [(s.start, s.end) for s in spans]
        extra = []
        for word, first in found.items():
            for m in re.finditer(rf"\b{word}\b", text):
                start, end = m.span()
                if (text[end:end + 1] in ("-", "’", "'") or text[start - 1:start] in ("-", "@")
                        or any(a < end and start < b for a, b in taken)):
                    continue
                prev = _prev_word(text, start)
                if (prev[:1].isupper() and text[start - 1:start] == " "
                        and not _sentence_initial(text, start - 1 - len(prev))
                        and prev.lower() not in _FUNCTION_WORDS):
                    continue  # "Lord Harwinton": a longer name
                extra.append(ToponymSpan(start, end, word, first.key, "place", start, end,
                                         located=True))
        if not extra:
            return spans
        return sorted(spans + extra, key=lambda s: s.start)

    def _mark_building_actors(self, text: str, spans: list[ToponymSpan]) -> None:
        """A building that stands for the institution in it ("White House aides", "the
        Kremlin said", "denied by the Kremlin") is no place mention: a name that ends in a
        building word or that the gazetteer knows only as a spot, before a word for its
        people ("aides", "spokesman") or a speech verb, or after "by the", "with the",
        "behalf of the". "At the White House", "a White House dinner" stay places."""
        cache = self._building_names
        if len(cache) > 100_000:
            cache.clear()
        for s in spans:
            if s.kind != "place" or s.person or s.hint is not None:
                continue
            building = cache.get(s.key)
            if building is None:
                info = self._name_info.get(s.key, 0)
                building = cache[s.key] = s.key not in self._admin and (
                    s.key.rsplit(" ", 1)[-1] in self._building_words
                    or bool(info & _INFO_OTHER and not info & (1 | 2 | 8)))
            if not building:
                continue
            nxt = _next_word(text, s.end)
            if text[s.end:s.end + 1] == " " and (nxt in _ACTOR_AFTER or nxt in _ACTS_AFTER):
                pass  # "White House aides", "the Kremlin said"
            elif _AGENT_BEFORE.search(text, max(0, s.start - 14), s.start) is None:
                continue
            s.person = True
            s.reason = "an institution named by its building (metonymy)"

    def _unknown_given_name(self, text: str, m: re.Match[str]) -> bool:
        """True when ``m`` (a ``_GIVEN_NAMES_BEFORE`` match) is one capitalised word that no
        list knows (no place, common word, demonym, title or site word) after a lower-case
        word or a comma: a given name the census lists lack ("fighter Conor McGregor",
        "starring Aidan Gillen", "his predecessor, Reince Priebus")."""
        word = m.group(1)
        if m.group(2) or len(word) < 3:
            return False
        low = word.lower()
        lex = self.lexicon
        if (name_key(word) in self.place_keys or low in lex.common_words or low in self.demonyms
                or low in lex.titles or low in lex.stoplist or low in lex.feature_words
                or word in lex.site_heads["last"] or word in lex.site_heads["first"]):
            return False
        if text[max(0, m.start() - 2):m.start()] == ", ":
            return True
        prev = _prev_word(text, m.start())
        return (prev.isalpha() and prev.islower() and prev not in LOCATIVE
                and prev not in _FUNCTION_WORDS and text[m.start() - 1:m.start()] == " ")

    def _add_venues_in(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """A run of capitalised words after "at", "to", "the"... and right before "in" and a
        recognised place ("at Terra Kulture in Lagos", "the CHU in Montpellier") is a venue
        there: a site mention with that place as its container. Not a person's name (a
        title, a given name first), a firm, a demonym, nor a run with a name in it."""
        if " in " not in text:
            return spans
        lex = self.lexicon
        extra = []
        ends = [s.end for s in spans]
        for b in spans:
            if b.kind != "place" or b.person or b.site or text[b.start - 4:b.start] != " in ":
                continue
            end = b.start - 4
            start = _run_start(text, end + 1)
            if start >= end or _prev_word(text, start).lower() not in _SITE_BEFORE:
                continue
            surface = text[start:end]
            words = surface.split()
            first = words[0].lower().removesuffix("'s").removesuffix("’s")
            if len(words) == 1 and (first in lex.common_words or first in lex.surnames):
                continue
            if (first in lex.titles or first in lex.first_names or first in lex.public_figures
                    or first in self.demonyms or first in lex.stoplist
                    or words[-1].rstrip(".") in _COMPANY_WORDS or words[-1] in ORGANISATION_WORDS
                    or any(start < e for e in ends if e <= end and e > start - 1)):
                continue
            extra.append(ToponymSpan(start, end, surface, name_key(surface), "place", start, end,
                                     container=b, site=True))
        if not extra:
            return spans
        return sorted(spans + extra, key=lambda s: s.start)

    def _add_feature_lists(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """Names listed before a plural feature word ("Cooke, Grayson and Love counties",
        "Nassau and Baker counties") are each a place of that kind (with its feature hint),
        given names and common words too; the span filter does not judge them."""
        if not any(w in text for w in _FEATURE_SINGULAR):
            return spans
        extra = []
        for m in _FEATURE_LIST.finditer(text):
            hint = self.lexicon.feature_words.get(_FEATURE_SINGULAR[m.group(2)])
            for w in _CAPITALISED_WORD.finditer(text, m.start(1), m.end(1)):
                start, end = w.start(), w.end()
                if any(s.start < end and start < s.end and not s.person for s in spans):
                    continue
                span = ToponymSpan(start, end, w.group(), name_key(w.group()), "place", start,
                                   end, hint=hint, located=True, sure=True)
                extra.append(span)
        if not extra:
            return spans
        kept = [s for s in spans if not any(e.start < s.end and s.start < e.end for e in extra)]
        return sorted(kept + extra, key=lambda s: s.start)

    def _add_listed(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """An unknown capitalised word between two places of a list ("Copenhagen, Hamburg,
        Brasoc and Mannheim") or before a comma and a country or province ("Knockhill,
        Fife") is a place mention (left unresolved when the gazetteer lacks it), unless it is
        a common word, a given name, a surname or a demonym."""
        lex = self.lexicon
        places = [s for s in spans if s.kind == "place" and not s.person and not s.site]
        extra = []
        for i, b in enumerate(places):
            a_end = places[i - 1].end if i else 0
            m = _LISTED.fullmatch(text, a_end, b.start) if i else None
            if m is not None:
                start, end = m.start(1), m.end(1)
            elif (b.key in self._major and b.hint is None
                  and not _NAME_GOES_ON.match(text, b.end)):
                m = _BEFORE_COMMA.search(text, max(a_end, b.start - 40), b.start)
                if m is None:
                    continue
                start, end = m.start(1), m.end(1)
                prev = _prev_word(text, start)
                if prev[:1].isupper() and not _sentence_initial(text, start):
                    continue  # "John Smith, Texas": a longer name
            else:
                continue
            word = text[start:end]
            low = word.lower()
            if (low in lex.common_words or low in lex.first_names or low in lex.surnames
                    or low in lex.stoplist or low in lex.titles or low in self.demonyms
                    or low in lex.public_figures or low in self.place_keys):
                continue
            extra.append(ToponymSpan(start, end, word, low, "place", start, end))
        if not extra:
            return spans
        taken = [(s.start, s.end) for s in spans]
        extra = [e for e in extra if not any(x < e.end and e.start < y for x, y in taken)]
        return sorted(spans + extra, key=lambda s: s.start)

    def _apply_filter(self, text: str, spans: list[ToponymSpan]) -> None:
        """Mark the mentions the span filter scores below its threshold as no place
        (``person=True`` with the filter's reason: the caller reports them as ignored)."""
        judged = judged_spans(spans)
        if not judged or self.span_filter is None:
            return
        probs = self.span_filter.probabilities(self.span_features(text, spans))
        for span, p in zip(judged, probs.tolist(), strict=True):
            if p < self.span_filter.threshold:
                span.person = True
                span.reason = f"no place here (recognition filter, p={p:.2f})"
        for span in spans:
            if span.container is not None and span.container.person:
                span.container = None

    def span_features(self, text: str, spans: list[ToponymSpan]) -> Any:
        """Feature rows (numpy, ``SPAN_FEATURES`` columns) of the spans the filter judges
        (no persons, no numbered roads): simple facts about the span, its words and its
        neighbours, and how the rest of the document names it."""
        lex = self.lexicon
        judged = judged_spans(spans)
        counts: dict[str, int] = {}
        located: set[str] = set()
        prevs = []
        for s in judged:
            counts[s.key] = counts.get(s.key, 0) + 1
            prev = _prev_word(text, s.start)
            prevs.append(prev)
            if s.located or prev.lower() in LOCATIVE:
                located.add(s.key)
        rows = []
        cache = self._key_features
        if len(cache) > 100_000:
            cache.clear()
        for s, prev in zip(judged, prevs, strict=True):
            key = s.key
            ck = (key, s.kind, s.site)
            fixed = cache.get(ck)
            if fixed is None:
                fixed = cache[ck] = self._name_features(key, s.kind, s.site)
            low_prev = prev.lower()
            nxt = _next_word(text, s.end)
            after = text[s.end:s.end + 2]
            rows.append((
                *fixed,
                s.hint is not None,
                s.text.isupper(),
                low_prev in LOCATIVE,
                low_prev == "the",
                low_prev == "of",
                bool(prev[:1].isupper()) and low_prev not in _FUNCTION_WORDS,
                _sentence_initial(text, s.start),
                bool(nxt[:1].isupper()) and text[s.end:s.end + 1] == " ",
                after in ("'s", "’s"),
                after[:1] == ",",
                nxt.lower() in PLACE_AFTER,
                s.container is not None,
                math.log1p(counts[key]),
                key in located,
                nxt.lower() in lex.surnames and bool(nxt[:1].isupper()),
                nxt in CIVIC_AFTER,
                text[max(0, s.start - 2):s.start].strip() == ",",
            ))
        return np.array(rows, dtype=np.float64).reshape(len(rows), len(SPAN_FEATURES))

    def _name_features(self, key: str, kind: str, site: bool) -> tuple[float, ...]:
        """The features of ``SPAN_FEATURES`` that depend on the name alone (cached per
        name by ``span_features``): the first ``len(_NAME_FEATURES)`` columns."""
        lex = self.lexicon
        info = self._name_info.get(key, 0)
        return (
            1.0,
            kind == "demonym",
            site,
            " " in key,
            key in self.notable,
            key in self._big,
            key in self._country_size,
            key in self._admin,
            key not in self.place_keys and not site and kind == "place",
            key in lex.common_words,
            _first_word(key) in lex.first_names,
            key in lex.surnames,
            len(key) <= 4,
            (info >> 4) / 10.0,
            info & 1,
            (info >> 1) & 1,
            (info >> 2) & 1,
            (info >> 3) & 1,
        )

    def _add_unknown_after_locative(self, text: str, spans: list[ToponymSpan]
                                    ) -> list[ToponymSpan]:
        """A capitalised word the gazetteer lacks right after "in", "at", "near"... ("in
        Khayelitsha", "at Makeen"), after "the town of" and the like, or after a word of motion
        and "to" ("moved back to Khayelitsha", "drove to Lanexa") is a place mention (left
        unresolved) unless it is a common word, a given name or surname, a demonym, or starts
        a longer capitalised name; so is a run of capitalised words after "at" ("at Whole Foods": a venue) that does not open
        with a title, a given name or a demonym."""
        lex = self.lexicon
        taken = [(s.start, s.end) for s in spans]
        extra = []
        # "At Makeen the COAS met...": a capitalised preposition only opening a sentence
        # (not in a headline's title case: "Drugs Seized In Raids").
        found = [m for m in _AFTER_LOCATIVE.finditer(text)
                 if text[m.start()].islower() or _sentence_initial(text, m.start())]
        found += (m for m in _UNKNOWN_AFTER_OF.finditer(text)
                  if _prev_word(text, m.start() + 1) in _UNKNOWN_OF_AFTER)
        found += (m for m in _UNKNOWN_AFTER_TO.finditer(text)
                  if _prev_word(text, m.start() + 1).lower() in _MOTION_BEFORE_TO)
        for m in found:
            start, end = m.start(1), m.end(1)
            word = m.group(1)
            low = word.lower()
            if (low in lex.common_words or low in lex.first_names or low in lex.surnames
                    or low in lex.stoplist or low in lex.titles or low in self.demonyms
                    or low in self.place_keys or low in lex.public_figures):
                continue
            if any(a < end and start < b for a, b in taken):
                continue
            extra.append(ToponymSpan(start, end, word, low, "place", start, end))
        # A run of capitalised words after "at" is a venue ("at Whole Foods", "at Brands
        # Hatch", "at Super Bowl 52"): GeoWebNews annotates venues as places.
        taken += [(s.start, s.end) for s in extra]
        for m in _VENUE_AFTER_AT.finditer(text):
            start, end = m.start(1), m.end(1)
            first = m.group(2).lower().removesuffix("'s").removesuffix("’s")
            last = m.group(1).rsplit(" ", 1)[-1]
            if (first in lex.titles or first in lex.first_names or first in lex.public_figures
                    or first in self.demonyms or first in lex.stoplist
                    or last in _COMPANY_WORDS or _prev_word(text, m.start()).lower() in _ROLE_WORDS
                    or any(a < end and start < b for a, b in taken)):
                continue  # "at President Obama's", "at John Smith's", "analyst at Wedbush
                # Securities" (a firm, not a venue); recognised names stay as they are
            surface = text[start:end]
            extra.append(ToponymSpan(start, end, surface, name_key(surface), "place", start, end))
        if not extra:
            return spans
        return sorted(spans + extra, key=lambda s: s.start)

    def _confirm_doubtful(self, text: str, spans: list[ToponymSpan], persons: set[str]
                          ) -> list[ToponymSpan]:
        """Doubtful names ("Shiloh", "Monroe": also given names or common words) are places
        when the document also names them as places: after "in"/"at", before "police" or
        "man", before ", State" ("Greer, South Carolina"), or listed with a place that is not
        doubtful ("Newark, Heath and Pataskala"); the others are dropped."""
        if not any(s.doubtful for s in spans):
            return spans
        confirmed = {s.key for s in spans if s.located and not s.person}
        for a, b in itertools.pairwise(spans):
            if (a.doubtful and b.kind == "place" and b.key in self._major
                    and _COMMA_ONLY.fullmatch(text, a.end, b.start)):
                confirmed.add(a.key)
            gap = _LIST_GAP.fullmatch(text, a.end, b.start)
            if (gap is not None and a.kind == b.kind == "place"
                    and not a.person and not b.person and a.doubtful != b.doubtful
                    and (gap.group() != ", " or _LIST_GAP.match(text, b.end))):
                confirmed.add(a.key if a.doubtful else b.key)  # "Newark, Heath and Pataskala"
        out = []
        for s in spans:
            if s.doubtful:
                if s.key not in confirmed or s.key in persons:
                    continue
                s.doubtful = False
            out.append(s)
        return out

    def _mark_name_pairs(self, text: str, spans: list[ToponymSpan], persons: set[str]) -> None:
        """Two one-word place names side by side ("Dilan Perera", "Nancy Levan", "Xie Yang")
        are a person's name: places are not written next to each other without a comma.
        Not when the second is a well-known place ("Air Zimbabwe") or a notable one that the
        document also writes alone ("Rodeo Gainesville" beside "the Gainesville club"; not
        "Dilan Perera"), nor when the first is one and no given name. The second (the
        surname) joins ``persons``."""
        lex = self.lexicon

        @cache
        def alone() -> frozenset[str]:
            """Names the document also writes with no capitalised word before them."""
            out = set()
            for s in spans:
                prev = _prev_word(text, s.start)
                if (not _CAPITALISED_WORD.fullmatch(prev) or text[s.start - 1:s.start] != " "
                        or _sentence_initial(text, s.start - 1 - len(prev))):
                    out.add(s.key)  # "the Gainesville club", "The Gainesville club"
            return frozenset(out)

        for a, b in itertools.pairwise(spans):
            if (a.kind != "place" or b.kind != "place" or a.person or b.person or a.doubtful
                    or b.doubtful or a.hint
                    or b.hint or " " in a.key or " " in b.key or text[a.end:b.start] != " "):
                continue
            if ((b.key in self.notable and (b.key in self._major or (
                    b.key not in lex.surnames and (a.key in lex.common_words
                                                   or a.key in self.notable
                                                   or b.key in alone()))))
                    or (a.key in self.notable and a.key not in lex.first_names)):
                continue  # "Air Zimbabwe", "Nazi Germany", "Rodeo Gainesville"; not "Che Adams"
            for s in (a, b):
                s.person = True
                s.reason = "person name (two names side by side)"
            persons.add(b.key)

    def _add_named_sites(self, text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
        """Streets, buildings and natural features named by a run of capitalised words with a
        head word ("Royal Street", "Colchester General Hospital", "Mount Chaambi",
        "University of Alberta"): one mention for the whole name, whether or not the
        gazetteer knows it. Names recognised inside it are dropped; the only place name
        inside (if any) becomes the name to look up ("Colchester")."""
        heads = self.lexicon.site_heads
        # start, end, building?, opened by its head ("Mount X")?, natural feature?
        found: list[tuple[int, int, bool, bool, bool]] = []
        for m in self._site_head.finditer(text):
            word = m.group(1)
            start, end = m.start(1), m.end(1)
            if word in heads["of"] and text.startswith(" of ", end):
                after = _RUN_AFTER.match(text, end + 4)
                if after:
                    end = after.end()
            elif word in heads["first"]:
                after = _RUN_AFTER.match(text, end + 1) if text[end:end + 1] == " " else None
                if after is None:
                    continue
                end = after.end()
                if text[end - 2:end] in ("'s", "’s"):
                    end -= 2  # "Mount Hood's slopes", "Lake Lanier's watershed"
            elif word not in heads["last"] or _RUN_CONTINUES.match(text, end):
                continue
            if word not in heads["first"]:
                start = _run_start(text, start)
                if start == m.start(1) and word in heads["building"]:
                    owner = _possessive_start(text, start)  # "St. Peter's Basilica"
                    if owner < start and (text.startswith("St", owner) or name_key(
                            text[owner:start - 3]) not in self.notable):
                        start = owner  # not "Omaha's Center": a city's building
            words = _WORD.findall(text[start:end])
            street = word in heads["last"] and word not in heads["building"] and len(words) > 1
            if not street and not any(
                    w not in heads["last"] and w.rstrip(".") not in heads["last"]
                    and w.lower() not in CONNECTORS and w.lower() not in _FUNCTION_WORDS
                    and w not in heads["first"] and w not in heads["of"] for w in words):
                continue  # "The Hospital", "Street": no name in it; "River Avenue" has one
            if found and start < found[-1][1]:
                continue
            found.append((start, end, word in heads["building"], word in heads["first"],
                          word in heads["natural"]))
        if not found:
            return spans
        out = list(spans)
        place_ends = {s.end for s in spans if s.kind == "place" and not s.person}
        for start, end, building, opens, natural in found:
            inside = [s for s in out if start <= s.start and s.end <= end]
            if any(s.start < end and start < s.end and s not in inside for s in out):
                continue  # a recognised name crosses the boundary: keep it
            if any(s.start == start and (s.end == end or (opens and s.text not in heads["first"]))
                   for s in inside if s.kind == "place" and not s.person):
                continue  # the gazetteer's own name ("Mount Pleasant" in "... High School");
                # not a head word alone ("Rue" in "Rue Casa Calvo")
            places = [s for s in inside if s.kind == "place" and not s.person
                      and s.text not in heads["last"] and s.text not in heads["first"]]
            if building and not (places or any(s.kind == "demonym" for s in inside)) and (
                    _prev_word(text, start).lower() not in _SITE_BEFORE
                    and not (text[start - 3:start] in ("'s ", "’s ") and start - 3 in place_ends)):
                continue  # "The Hospital said": no name, no "at", "to"... nor "Derry's" before it
            surface = text[start:end]
            site = ToponymSpan(start, end, surface, name_key(surface), "place", start, end,
                               site=True)
            if len(places) == 1 and not (opens and natural) and (
                    text[places[0].end:places[0].end + 2] not in ("'s", "’s")):
                # "Douglas County Hospital" is in Douglas County; "Lake Cumberland" is not
                # at Cumberland.
                inner = places[0]
                site.query = inner.query or text[inner.name_start:inner.name_end]
            out = [s for s in out if s not in inside] + [site]
        return sorted(out, key=lambda s: s.start)

    def _given_before_surname(self, text: str, end: int, key: str, nxt: str) -> bool:
        """True when a big place's name that is also a given name stands before a rare
        capitalised word that ends the name ("Vladimir Putin,", "Victoria Vivians’"): no
        place, common word, demonym or title, and no further capitalised word after it
        ("Georgia Modular Systems", "Jordan Junior Olympic" stay places)."""
        lex = self.lexicon
        if " " in key or key not in lex.first_names or text[end:end + 1] != " ":
            return False
        if not _CAPITALISED_WORD.fullmatch(nxt) or len(nxt) < 3:
            return False
        low = nxt.lower()
        if (name_key(nxt) in self.place_keys or low in lex.common_words or low in self.demonyms
                or low in lex.titles or low in lex.feature_words or nxt in lex.site_heads["last"]):
            return False
        return not _NAME_GOES_ON.match(text, end + 1 + len(nxt))

    def _candidates(self, kt: KeyText) -> list[tuple[int, int, int, int, int]]:
        """Automaton matches ``(key_start, key_end, pattern, start, end)`` (``start``/``end``
        in the original text) that start with a capital (or an Arabic article: "al-Qaim")
        and are no stoplisted word or title, by start and then longest first."""
        found = self._automaton.find_matches_as_indexes(f" {kt.keys} ", overlapping=True)
        if not found:
            return []
        # A pattern " key " found at hay[s:e] is the key range [s, e - 2) of ``kt.keys``.
        m = np.fromiter(itertools.chain.from_iterable(found), dtype=np.intp,
                        count=3 * len(found)).reshape(-1, 3)
        idx, ks = self._searched[m[:, 0]], m[:, 1]
        ke = m[:, 2] - 2
        start = kt.offsets[ks]
        keep = ~kt.lower[start] | self._article[idx]
        ks, ke, idx, start = ks[keep], ke[keep], idx[keep], start[keep]
        end = kt.offsets[ke - 1] + 1
        order = np.lexsort((ks - ke, ks))
        return list(zip(ks[order].tolist(), ke[order].tolist(), idx[order].tolist(),
                        start[order].tolist(), end[order].tolist(), strict=True))

    # -- filters ------------------------------------------------------------------------

    def _check(self, text: str, kt: KeyText, ks: int, ke: int, idx: int, start: int, end: int
               ) -> tuple[ToponymSpan | None, tuple[FeatureHint, int] | None]:
        """The match as a span, None when it is no mention at all (see ``find``), and the
        feature word after it (see ``_feature_hint``) when that was looked up. ``start`` and
        ``end`` delimit the key range ``[ks, ke)`` in the original text."""
        key = self._patterns[idx]
        kind = self._kind[idx]
        if key in self._regions:
            region = self._region_span(text, key, start, end)
            if region is not None or kind == "region":
                return region, None
        if kind == "abbreviation":
            if not text[start:start + 1].isupper():
                return None, None
            if text[end:end + 1] == ".":
                end += 1
            elif not _PARTY_BEFORE.search(text, max(0, start - 5), start):
                return None, None  # "Ill." and "Kan." only with their full stop or a party's
                # letter before ("D-Calif")
            name, _cc = self.lexicon.abbreviations[key]
            span = ToponymSpan(start, end, text[start:end], name_key(name), "place", start, end,
                               query=name)
            return span, self._feature_hint(kt, ke)
        if text[end:end + 1] == "." and _DOTTED.search(text, start, end):
            end += 1  # "U.S." / "D.C." keep their final full stop
        surface = text[start:end]
        upper = surface.isupper()
        single = " " not in key
        lex = self.lexicon
        if (single and len(key) <= ACRONYM_LENGTH and upper and key not in self._big
                and (key not in self._admin or key in lex.common_words)):
            return None, None  # "BA", "NATO", "MW", "OK": acronyms of small places; not "NJ"
        if single and upper and len(key) <= 3 and key not in self._big and (
                self._abbreviation_of_no_place(text, start, end)):
            return None, None  # "VistaPrint NV", "7 a.m. CT", "@NC"
        if key in self._capital_only:
            if not upper or _capitals_around(text, start, end):
                return None, None  # "us"; "TRUMP TELLS US" in a headline
        elif (len(key) <= 2 and not upper) or key in lex.stoplist or key in lex.titles:
            return None, None
        if not _capitalised(surface) or text[start - 1:start] in ("@", "#"):
            return None, None  # "@Gillette", "#Iowa": a handle or a hashtag
        if text[start - 1:start] in _GLUED or text[end:end + 1] in _GLUED:
            return None, None  # "T*SOL", "PV*SOL": part of a product's name
        if not single and _PARTY_TAG.match(surface) and not text[start - 1:start].isalnum():
            return None, None  # "D-N" of "D-N.Y.": a party's letter, then the state
        if not single and _BREAK.search(surface):
            return None, None  # "Horry County, SC", "Cape Town. The": across punctuation
        if key.startswith("the ") and key[4:] in self.place_keys:
            return None, None  # "The Korean Peninsula": the name without its article follows
        prev = _prev_word(text, start)
        if kind == "demonym" and not (key in self.place_keys and prev.lower() in LOCATIVE):
            # "Canadian", "Indian" are also towns; only "in Canadian" means the town.
            span = ToponymSpan(start, end, surface, key, "demonym", start, end)
            span.demonym_country = self.demonyms[key]
            span.place_meant = _next_word(text, end).lower() in lex.place_nouns
            return span, None
        if key in self._us_state_teams:
            return None, None  # "Mississippi State": the state alone (the next match)
        span = ToponymSpan(start, end, surface, key, "place", start, end)
        hint = self._feature_hint(kt, ke)
        if hint and hint[0].word == "state" and f"{key} state" in self._us_state_teams:
            hint = None  # "Mississippi" in "Mississippi State"
        if hint:
            return span, hint  # "Walker County", "Anbar province": the feature word decides
        if ((text[start - 1:start] == "-" or text[end:end + 1] == "-"
             or text[max(0, start - 2):start] == "-\n")
                and _hyphen_joined(text, start, end, self._hyphen_partner if len(key) >= 4
                                   else self._notable_or_demonym)):
            return None, None  # "Wal-Mart", "Herald-Press", "Mid-America"
        nxt = _next_word(text, end)
        if nxt in ORGANISATION_WORDS:
            return None, None  # "Quds Force", "Badr Brigades", "Kurdistan Workers Party"
        if self._is_person(text, start, end, key, prev, nxt):
            span.person = True
            span.reason = "person name"
            return span, None
        if (key in self._major and prev.lower() not in LOCATIVE
                and prev.lower() not in _FUNCTION_WORDS
                and self._given_before_surname(text, end, key, nxt)):
            span.person = True
            span.reason = _GIVEN_BEFORE_SURNAME
            return span, None
        if single and key not in self.notable:
            if (prev.lower() in LOCATIVE or (prev == "of" and self._located_by_of(text, start, end))
                    or _PARTY_BEFORE.search(text, max(0, start - 5), start)):
                span.located = True
                return span, None  # "in Nenagh", "at Bolton", "R-Marshall": a place after all
            if key in lex.common_words or key in lex.first_names or key in lex.surnames:
                if nxt.lower() in PLACE_AFTER and text[end:end + 1] == " ":
                    span.located = True
                    return span, None  # "Winona police", "a Trenton man"
                if (self._inside_longer_name(text, start, end, prev, nxt)
                        or _NOT_ALONE.match(text, end)):
                    return None, None  # "Air Zimbabwe", "Stevens & Wilkinson", "Pack 122"
                if _SPEECH_AFTER.match(text, end) or prev.lower() in _SPEECH_BEFORE:
                    span.person = True
                    span.reason = "person name (speaker)"
                    return span, None  # "Noma said", "said Noma": a person, everywhere
                # "Bank", "Story", "Keith", "Adams" without "in"/"at" before: a place only if
                # the document names it as one elsewhere (see ``find``).
                span.doubtful = True
                return span, None
            if _SPEECH_AFTER.match(text, end):
                span.person = True
                span.reason = "person name (speaker)"
                return span, None  # "Nelson says", "Sandberg said": small places do not speak
            if self._inside_longer_name(text, start, end, prev, nxt):
                return None, None  # "Fig Leaf Boutique", "Dilan Perera", "Van Boxtel"
        return span, None

    def _notable_or_demonym(self, key: str) -> bool:
        return key in self.notable or key in self.demonyms

    def _hyphen_partner(self, key: str) -> bool:
        """True when a word hyphenated to a name leaves it a name: a notable place or a
        demonym ("Iraq-Syria", "Nigeria-Ukrainian"), or another place of four letters or more
        that is no common word, given name or surname ("Fargo-Moorhead", not "Wal-Mart",
        "Melbourne-Blake")."""
        if key in self.notable or key in self.demonyms:
            return True
        lex = self.lexicon
        return len(key) >= 4 and key in self.place_keys and not (
            key in lex.common_words or key in lex.first_names or key in lex.surnames)

    def _located_by_of(self, text: str, start: int, end: int) -> bool:
        """True when "of" before the name at ``[start, end)`` makes it a place: "the town of
        Monroe", or a home town after a person or group and before punctuation ("Bowers,
        19, of Martinez,", "Phillip Christofoli of Gaston.", "Troop 208 of Coleridge;")."""
        owner = _prev_word(text, start - 3)
        if owner.lower() in _PLACE_OF and not _NAME_GOES_ON.match(text, end):
            return True  # "the city of Sevierville"; not "the mount of Christophe Soumillon"
        if not _HOME_AFTER.match(text, end):
            return False
        if text[start - 5:start - 3] == ", " or text[start - 4:start - 3].isdigit():
            return True
        lex = self.lexicon
        return bool(_CAPITALISED_WORD.fullmatch(owner)) and owner.lower() not in lex.common_words \
            and name_key(text[start:end]) not in lex.common_words  # not "Chambers of Commerce"

    def _abbreviation_of_no_place(self, text: str, start: int, end: int) -> bool:
        """True when a short word in capitals ("NV", "CT") is no state: a firm's suffix after
        a capitalised word that is no place ("Cimpress NV"), a time zone after a time ("7
        a.m. CT"), a handle ("@NC"), or the start of a longer name ("NC Dinos", "NJ Advance
        Media": a capitalised word that is no place, feature or site word follows)."""
        if text[start - 1:start] == "@" or _TIME_BEFORE.search(text, max(0, start - 8), start):
            return True
        if text[end:end + 1] == " ":
            nxt = _next_word(text, end)
            if (_CAPITALISED_WORD.fullmatch(nxt) and name_key(nxt) not in self.place_keys
                    and nxt.lower() not in self.lexicon.feature_words
                    and nxt not in self.lexicon.site_heads["last"]):
                return True  # "NJ Advance Media", "NC Dinos": a name that goes on
        prev = _prev_word(text, start)
        return bool(prev[:1].isupper() and text[start - 1:start] == " "
                    and not prev.isupper() and name_key(prev) not in self.place_keys
                    and prev.lower() not in LOCATIVE
                    and not _sentence_initial(text, start - 1 - len(prev)))

    def _region_span(self, text: str, key: str, start: int, end: int) -> ToponymSpan | None:
        """A state's or province's abbreviation written exactly as in the table ("NSW",
        "B.C."), or None: not after a number ("500 BC") or a capitalised word that is no
        place ("Airbus SA"), not before "$" ("NT$"), not in a line of capitals."""
        forms = self._regions[key]
        if text[start:end + 1] in forms and text[end:end + 1] == ".":
            end += 1
        elif text[start:end] not in forms:
            return None
        prev = _prev_word(text, start)
        if prev[:1].isdigit() or text[end:end + 1] == "$" or _capitals_around(text, start, end):
            return None
        if (prev[:1].isupper() and name_key(prev) not in self.place_keys
                and text[start - 1:start] == " " and prev.lower() not in LOCATIVE
                and not _sentence_initial(text, start - 1 - len(prev))):
            return None
        surface = text[start:end]
        return ToponymSpan(start, end, surface, key, "place", start, end, sure=True)

    def _inside_longer_name(self, text: str, start: int, end: int, prev: str, nxt: str) -> bool:
        """True when capitalised words that are no place names stand right before or after,
        or the name follows a common noun and "of" ("Chamber of Commerce"; not "City of",
        "Gulf of", nor a person's name: "Nadia Moayyad of Southlake")."""
        before = (prev[:1].isupper() and text[start - 1:start] == " "
                  and not _sentence_initial(text, start - 1 - len(prev))
                  and name_key(prev) not in self.place_keys and prev.lower() not in CONNECTORS)
        after = (nxt[:1].isupper() and text[end:end + 1] == " " and nxt not in CIVIC_AFTER
                 and name_key(nxt) not in self.place_keys
                 and nxt.lower() not in self.lexicon.feature_words)
        if before or after:
            return True
        if prev != "of" or text[start - 4:start] != " of ":
            return False
        owner = _prev_word(text, start - 3)  # "Chamber of Commerce", "Bank of Valletta"
        low = owner.lower()
        lex = self.lexicon
        return bool(owner[:1].isupper() and low in lex.common_words and low not in lex.titles
                    and low not in lex.feature_words and low not in _PLACE_OF
                    and owner not in lex.site_heads["last"]
                    and not _sentence_initial(text, start - 4 - len(owner)))

    def _is_person(self, text: str, start: int, end: int, key: str, prev: str, nxt: str) -> bool:
        """``prev``/``nxt``: the words before and after (``_prev_word``, ``_next_word``)."""
        lex = self.lexicon
        if key in lex.public_figures and prev.lower() not in LOCATIVE:
            return True  # "Obama said", "the Obama administration"
        if prev and prev.lower().rstrip(".") in lex.titles:
            return True  # "Mr. Knights", "Gen. Votel", "Senator Bolton", "director Ali"
        if "." in text[max(0, start - 4):start] and _INITIAL.search(text, max(0, start - 4), start):
            return True  # "John R. Bolton", "J. Kirby"
        if prev in _KIN or (text[start - 2:start] == ", " and _prev_word(text, start - 2) in _KIN):
            return True  # "his wife, Julia,", "daughter Victoria"
        if text[start - 2:start] in _SURNAME_PREFIXES:
            return True  # "O'Toole", "Macy-O’Toole"
        if (prev and _CAPITALISED_WORD.fullmatch(prev) and prev.lower() in lex.first_names
                and text[start - 1:start] == " " and name_key(prev) not in self.notable
                and (key not in self._country_size or prev.lower() in lex.common_first_names)):
            return True  # "Dan Coats", "John Bolton", "George Washington"; not "Star India"
        if _CAPITALISED_WORD.fullmatch(prev) or prev.lower() in NAME_PARTICLES:
            before = (_prev_word(text, start - 1 - len(prev))
                      if text[start - 2 - len(prev):start] == f" {prev} " else "")
            low_before = before.lower().rstrip(".")
            if prev.lower() in NAME_PARTICLES and low_before in lex.first_names:
                return True  # "Mike de Kock", "Mohammed bin Rashid"
            if prev[:1].isupper() and low_before in lex.titles and name_key(prev) not in self.notable:
                return True  # "councillor Dewly Nelson", "producer Daria Zhuk"
        if (" " not in key and key in lex.first_names and text[end:end + 1] == " "
                and _CAPITALISED_WORD.fullmatch(nxt)):
            low = nxt.lower()
            if low not in lex.feature_words and nxt not in lex.site_heads["last"] and (
                    key not in self.notable or low in lex.surnames
                    or (key not in self._major and name_key(nxt) not in self.place_keys
                        and low not in lex.common_words and low not in lex.titles)):
                return True  # "Tom Chilton", "Mary Pitman": a first name before a surname
        return text.startswith(",", end) and bool(_AGE.match(text, end))  # "Henry, 19, of Alexandria"

    def _feature_hint(self, kt: KeyText, ke: int) -> tuple[FeatureHint, int] | None:
        """The feature word after key offset ``ke`` and the key offset after it, if any."""
        m = _FEATURE_AFTER.match(kt.keys, ke)
        if not m:
            return None
        possessive = m.group(1) is not None
        words = m.group(2)
        for candidate in (words, words.split(" ")[0]):
            hint = self.lexicon.feature_words.get(candidate)
            if hint is None or (possessive and hint.feature_class != "S"):
                continue  # "Iraq's province" is no name; "Baghdad's main airport" is one
            return hint, m.start(2) + len(candidate)
        return None

    def _extend(self, text: str, kt: KeyText, span: ToponymSpan, ke: int,
                found: tuple[FeatureHint, int] | None) -> int:
        """Extend a place over a following feature word ("Anbar province"); new key end.
        ``found``: the feature word after the name, when ``_check`` found one."""
        if span.kind != "place":
            return ke
        if found is None:
            return ke
        span.hint, end_key = found
        end = kt.span(ke, end_key).end
        word_start = kt.original(end_key - len(span.hint.word.split(" ")[-1]))
        gap = text[span.end:word_start]
        if gap.strip() and gap.strip() not in _POSSESSIVE_GAPS:
            span.hint = None
            return ke  # "(Springfield) State Journal": no feature word across brackets
        if text[word_start].isupper() or kt.keys.startswith(" s ", ke):
            # "Walker County", "Basrah Airport", "Baghdad's main airport" are names; in
            # "Anbar province" the name is "Anbar" (as corpora annotate it), with the hint.
            span.end = end
            span.text = text[span.start:end]
        return end_key


# Words before "(the) X Hospital" that make a building a place mention ("taken to the ...").
_SITE_BEFORE = _words("site_before")
_FUNCTION_WORDS = _words("function_word")
# A capitalised word of a name (with "St.", "Magistrate's", "Wal-Mart").
_NAME_WORD = r"(?:[A-Z][a-z]{0,2}\.|[A-Z][\w’'&-]*)"  # "St.", not the full stop of "Town."
_RUN_AFTER = re.compile(r"(?:the )?" + _NAME_WORD + r"(?: (?:of |de |la |the )?" + _NAME_WORD + "){0,3}")
_RUN_CONTINUES = re.compile(r" (?:of )?[A-Z]")
# A possessive ends the run: "Augusta's Highland Avenue" is a street of Augusta.
_RUN_WORD_BEFORE = re.compile(r"(?:" + _NAME_WORD + r"|\d+(?:st|nd|rd|th)|of|de|du|la|le|el|al|d’|von|van)"
                              r"(?<![’']s) $")  # "14th St.", not "Augusta's Highland Avenue"


def _site_head_pattern(heads: dict[str, frozenset[str]]) -> re.Pattern[str]:
    """The head words of ``heads`` as whole words (longest first)."""
    words = sorted({w for group in heads.values() for w in group}, key=len, reverse=True)
    # A word starts with a capital after no letter, digit or full stop. Each alternative
    # opens with its capital and looks back from there ("S(?<![\w.]S)(?:treet|quare)"):
    # the expression then starts with a set of letters, which ``re`` skips to quickly
    # (a fifth of the time of "\b(?<!\.)(?=[A-Z])(Street|Square...)", same matches).
    by_initial: dict[str, list[str]] = {}
    for w in words:
        if "A" <= w[0] <= "Z":
            by_initial.setdefault(w[0], []).append(re.escape(w[1:]))
    return re.compile("(" + "|".join(rf"{c}(?<![\w.]{c})(?:{'|'.join(rests)})"
                                     for c, rests in by_initial.items())
                      + r")(?!\w)(?!['’](?!s\b))")  # "University's", not "Hall'"


def _run_start(text: str, start: int) -> int:
    """Start of the run of capitalised words (and connectors) that ends right at ``start``;
    leading connectors and function words ("The", "of") are left out."""
    pos = start
    for _ in range(5):
        m = _RUN_WORD_BEFORE.search(text, max(0, pos - 40), pos)
        if m is None:
            break
        word = m.group().rstrip()
        if word.endswith(".") and len(word) > 2 and word[:-1].lower() not in ABBREVIATIONS:
            break  # "Cup. The Bank of Japan": a sentence ends; "St. Peter", "S. Main" go on
        pos = m.start()
    while pos < start:
        m = _NAME_WORD_AT.match(text, pos)
        word = text[pos:m.end()] if m else ""
        low = word.lower()
        if word and word[0].isupper() and low not in _FUNCTION_WORDS:  # "Van Wyck", not "The"
            break
        nxt = text.find(" ", pos, start)
        pos = start if nxt < 0 else nxt + 1
    return pos


_NAME_WORD_AT = re.compile(r"[\w’'&.-]+")


_POSSESSOR = re.compile(r"(?<![\w.’'-])((?:St\.? )?[A-Z][a-z]+)['’]s $")


def _possessive_start(text: str, start: int) -> int:
    """Start of a possessor right before a building word at ``start`` ("St. Peter's
    Basilica", "St George's Chapel", "Wilson's Hall"), else ``start``: the possessor names
    the building, it is no place it stands in."""
    m = _POSSESSOR.search(text, max(0, start - 20), start)
    return m.start(1) if m else start


# What may stand between a name and its feature word: "Baghdad's main airport".
_POSSESSIVE_GAPS = frozenset(("'s", "’s", "'s main", "’s main", "'s international",
                              "’s international", "'s old", "’s old", "'s new", "’s new"))


def _hyphen_joined(text: str, start: int, end: int, partner: Callable[[str], bool]) -> bool:
    """True when a hyphen joins the name to a capitalised word whose key is no ``partner``
    ("Wal-Mart"; but "Iraq-Syria", "Nigeria-Ukrainian", "Fargo-Moorhead" keep the name)."""
    before = _HYPHEN_BEFORE.search(text[max(0, start - 30):start])
    if before and _PARTY.fullmatch(before.group(1)):
        return False  # "Rep. Jane Doe, R-Charleston": party and home town
    after = _HYPHEN_AFTER.match(text, end, end + 30)
    for m in (before, after):
        if m and m.group(1)[0].isupper():
            if not partner(name_key(m.group(1))):
                return True
    return False


def _derived_demonyms(bases: Iterable[str], place_keys: frozenset[str] | set[str],
                      lex: Lexicon) -> dict[str, str]:
    """Demonym key -> place key, by the regular English endings: Iowa -> Iowan(s), Ohio ->
    Ohioan(s), Ontario -> Ontarian(s), Sicily -> Sicilian(s), Texas -> Texan(s), Dagestan ->
    Dagestani(s), London -> Londoner(s), Boston -> Bostonian(s). A form that is itself a
    place name, a common word, a given name or a surname is left out ("Jordan" -> "Jordaner"
    stays, "Adrian" never comes from "Adria")."""
    out: dict[str, str] = {}
    taken = lex.common_words | lex.first_names | lex.surnames
    for base in sorted(bases):  # a form two bases make goes to the first, whatever the set order
        if len(base) < 4 or not base.isascii() or not base[-1].isalpha():
            continue
        last = base[-1]
        if last == "a":
            forms = [base + "n"]
        elif last == "o":
            forms = [base + "an", base[:-1] + "an"]
        elif last == "y":
            forms = [base[:-1] + "ian"]
        elif base.endswith("stan"):
            forms = [base + "i"]
        elif last == "s":
            forms = [base[:-1] + "n"]
        elif last in "aeiou":
            continue
        else:
            forms = [base + "er", base + "ian"]
        for form in forms:
            for f in (form, form + "s"):
                if f not in place_keys and f.split(" ")[-1] not in taken and f not in lex.demonyms:
                    out.setdefault(f, base)
    return out


def _region_forms() -> dict[str, frozenset[str]]:
    """``region_abbreviations.csv`` (read by the resolver too) as name key -> written forms."""
    forms: dict[str, set[str]] = {}
    for row in read_data_csv("region_abbreviations.csv"):
        forms.setdefault(name_key(row["abbreviation"]), set()).add(row["abbreviation"])
    return {k: frozenset(v) for k, v in forms.items()}


def _first_word(key: str) -> str:
    """The first word of a name key after an Arabic article ("qaim" of "al qaim", not the
    given name "Al")."""
    words = key.split(" ")
    return words[1] if len(words) > 1 and words[0] in _ARTICLE_PREFIX else words[0]


def _capitals_around(text: str, start: int, end: int) -> bool:
    """True when the word before or after ``[start, end)`` is written in capitals (a
    headline or a shouted line, where capitals say nothing)."""
    for word in (_prev_word(text, start), _next_word(text, end)):
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return True
    return False


def _usable_key(key: str) -> bool:
    """Latin-script keys of at least two letters (the text is English)."""
    return len(key) >= 2 and key.isascii() and _LATIN_LETTER.search(key) is not None


_LATIN_LETTER = re.compile("[A-Za-z]")


def _class_info(classes: frozenset[str]) -> int:
    """The span filter's feature-class bits of a name's feature classes."""
    info = 0
    for fc in classes:
        info |= _INFO_CLASS.get(fc, _INFO_OTHER)
    return info


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
    """The word right before ``start`` (with a full stop after it: "Mr."), blanks between
    allowed; "" when anything else stands between. Looks 30 characters back at most."""
    lo = max(0, start - 30)
    i = start
    while i > lo and text[i - 1].isspace():
        i -= 1
    end = i
    if i > lo and text[i - 1] == ".":
        i -= 1
    j = i
    while j > lo and text[j - 1].isalnum():
        j -= 1
    return text[j:end] if j < i else ""


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end, end + 30)
    return m.group(1) if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    """True when nothing but quotes/brackets stands between ``start`` and a sentence end."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(['":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;—–-"


_SITE_WORD = (r"(?:Street|St\.|Road|Avenue|Boulevard|Square|Bridge|Hospital|Mosque|Market|"
              r"Stadium|Hotel|University|Compound|Palace|Prison|Checkpoint|Highway)"
              r"(?=(?:,\s*|\s+in\s+))")
# One to four capitalised words, the first written out: ``re`` skips to a capital only
# when the expression starts with one (not with "(?:...){1,4}"; same matches).
_SITE = re.compile(r"[A-Z][\w'’-]*\s+(?:[A-Z][\w'’-]*\s+){0,3}" + _SITE_WORD)
_SITE_HINT = re.compile(_SITE_WORD)  # every match of _SITE ends with one of these (fast test)


def _add_sites(text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """Streets and buildings right before a recognised place ("Rashid Street, Baghdad",
    "Yarmouk Hospital in Baghdad") become mentions whose container is that place; the
    resolver falls back to the container when the gazetteer does not know them."""
    starts = {s.start: s for s in spans if s.kind == "place" and not s.person}
    if not starts or not _SITE_HINT.search(text):
        return spans
    sites = []
    for m in _SITE.finditer(text):
        after = _SITE_TOWN.match(text[m.end():m.end() + 6])
        town = starts.get(m.end() + after.end()) if after else None
        if town is not None:
            sites.append(ToponymSpan(m.start(), m.end(), m.group(), name_key(m.group()), "place",
                                     m.start(), m.end(), container=town, site=True))
    if not sites:
        return spans
    # Names inside a site's name are part of it ("Rashid" in "Rashid Street").
    kept = [s for s in spans if not any(t.start <= s.start and s.end <= t.end for t in sites)]
    return sorted(kept + sites, key=lambda s: s.start)


# Each alternative opens with its capital and looks back from there ("H(?<!\wH)ighway" is
# "\bHighway"): ``re`` then skips to those letters (eight times faster; same matches).
_ROAD = re.compile(
    "|".join(rf"{w[0]}(?<!\w{w[0]}){w[1:]}[ -]?\d{{1,4}}[A-Z]?(?![\w-])" for w in (
        r"State (?:Highway|Route|Road)", r"County (?:Highway|Route|Road)",
        r"Interstate(?: Highway)?", r"Farm to Market", r"Highway", r"Route", r"Hwy\.", r"Loop"))
    + r"|I(?<!\wI)-\d{1,4}[A-Z]?(?![\w-])"
    r"|A(?<=[ (]A)\d{1,4}(?:\(M\))?(?![\w-])")
_ROAD_WORDS = ("Highway", "Route", "Interstate", "Hwy.", "Loop", "Farm to Market", "Road", "I-")
_A_ROAD = re.compile(r"A\d")
# Words before "A417" that make it a British road ("the A417", "via the A436, A40 and A429").
_ROAD_BEFORE = _words("road_before")
# Words after "A380" that make it something else.
_NOT_ROAD_AFTER = _words("not_road_after")


def _add_roads(text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """Numbered roads ("Highway 19", "Interstate 45", "County Road 225", "I-95", "the A417")
    become site mentions whether or not the gazetteer knows them. "U.S. 54" stays "U.S.":
    corpora annotate the country in it, not the road."""
    if not (any(word in text for word in _ROAD_WORDS) or _A_ROAD.search(text)):
        return spans  # (a fast test: the full pattern is slow on long texts)
    roads: list[ToponymSpan] = []
    for m in _ROAD.finditer(text):
        surface = m.group()
        if surface[0] == "A" and surface[1].isdigit():
            if (_prev_word(text, m.start()).lower() not in _ROAD_BEFORE
                    and text[m.start() - 2:m.start()] != ", "):
                continue
            if _next_word(text, m.end()).lower() in _NOT_ROAD_AFTER:
                continue  # "the A380 superjumbo"
        roads.append(ToponymSpan(m.start(), m.end(), surface, name_key(surface), "place",
                                 m.start(), m.end(), site=True))
    if not roads:
        return spans
    kept = [s for s in spans if not any(r.start < s.end and s.start < r.end for r in roads)]
    return sorted(kept + roads, key=lambda s: s.start)



def judged_spans(spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """The spans the span filter judges: not persons, not numbered roads nor state
    abbreviations (their pattern is sure: "A40", "Highway 19", "NSW")."""
    return [s for s in spans if not s.person and not s.sure
            and not (s.site and _ROAD.fullmatch(s.text))]


# Up to three capitalised words (initials allowed) before a name: when the first is a
# frequent given name, the name is a surname ("Dave Allen", "Claude Joseph Villars
# Dubreuil", "John R. Bolton").
_GIVEN_NAMES_BEFORE = re.compile(r"(?<![\w’'.-])([A-Z][a-z]+)((?: [A-Z]\.| [A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)"
                                 r"{0,2}) (?:[A-Z]\. )?$")
_STRONG_LOCATIVE = frozenset(("in", "at", "near"))
_GLUED = frozenset("*_")  # characters that glue a name into a longer token
_KIN = _words("kin")
_GIVEN_BEFORE_SURNAME = "person name (a given name before a surname)"
_HOME_AFTER = re.compile(r"[,.;:)]| and ")  # "of Martinez,": a home town ends there


# Building words that end an institution's name ("White House", "West Wing"), words for an
# institution's people after it ("aides", "spokesman"), what an institution does ("said",
# "declined"), and what makes it the agent ("denied by the Kremlin").
_BUILDING_WORDS = _words("building_last")
_ACTOR_AFTER = _words("people_after")
_ACTS_AFTER = _words("speech_after") | _words("acts_after")
_AGENT_BEFORE = re.compile(r"\b(?:by|with|behalf of) the $")


# A name in capitals at the start of a line or a sentence, before ", State", "(AGENCY)" and a
# dash: a dateline ("HARWINTON —", "ST. LOUIS –", "CAMP MURRAY, Wash. -").
_DATELINE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?”\"] ))[ \t]*([A-Z][A-Z'’]+(?:\.? [A-Z][A-Z'’]+){0,3})"
    r"(?=(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s*(?:\([^)]{1,30}\))?\s*(?:[—–]|--?)\s)")
_SPACED_DASH = re.compile(r" (?:[—–]|--?)\s")


def _unknown_after(preposition: str) -> re.Pattern[str]:
    """A capitalised word of four or more letters after ``preposition`` that ends the name."""
    return re.compile(rf" {preposition} ([A-Z][a-z]{{3,}})\b(?![’'-]|\s+[A-Z&(]|\.\w)")


# "the town of Akuressa", "the villages of Nuli and Avnevi".
_UNKNOWN_AFTER_OF = _unknown_after("of")
_UNKNOWN_OF_AFTER = _words("place_before_of")
_LIST_GAP = re.compile(r",? and |, |,? or ")
_PARTY_TAG = re.compile(r"(?:[RDI]|DFL)-[A-Z]")  # "D-N.Y.", "R-Wash."
_PARTY_BEFORE = re.compile(r"(?<![\w-])(?:[RDI]|DFL)-$")  # "R-Marshall", "DFL-Cook": a home town
_UNKNOWN_AFTER_TO = _unknown_after("to")
_MOTION_BEFORE_TO = _words("motion_before_to")
# "Cooke, Grayson and Love counties": every name of the list is one of them.
_FEATURE_LIST = re.compile(r"\b((?:[A-Z][a-z]+, )*[A-Z][a-z]+,? (?:and|or) [A-Z][a-z]+) "
                           r"(counties|parishes|provinces|districts|townships)\b")
_FEATURE_SINGULAR = {"counties": "county", "parishes": "parish", "provinces": "province",
                     "districts": "district", "townships": "township"}
_LISTED = re.compile(r", ([A-Z][a-z]{3,})(?:, | and | or )")
_NAME_GOES_ON = re.compile(r"['’]s\b| [A-Z]")  # "Asia's longest", "Delta Air Lines"
_BEFORE_COMMA = re.compile(r"(?<![\w’'-])([A-Z][a-z]{3,}), $")
# Two names before a plural street word ("Bourbon and Dauphine streets").
_STREET_PAIR = re.compile(r"\b([A-Z][a-z]+) and ([A-Z][a-z]+) (?:streets|roads|avenues|"
                          r"boulevards|drives|lanes)\b")


_ORDINALS = _words("ordinal")


def _add_street_pairs(text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """"Bourbon and Dauphine streets", "State and Hubbard streets": both names are streets
    (site mentions), whatever else they name."""
    if "streets" not in text and "roads" not in text and "avenues" not in text:
        return spans
    sites = []
    for m in _STREET_PAIR.finditer(text):
        for g in (1, 2):
            start, end = m.start(g), m.end(g)
            if m.group(g) in _ORDINALS or any(
                    s.start < end and start < s.end and s.end - s.start > end - start
                    for s in spans if not s.person):
                continue  # "Fourth and Seventh streets"; "North Druid Hills and ... roads"
            sites.append(ToponymSpan(start, end, m.group(g), name_key(m.group(g)), "place",
                                     start, end, site=True))
    if not sites:
        return spans
    kept = [s for s in spans if not any(t.start < s.end and s.start < t.end for t in sites)]
    return sorted(kept + sites, key=lambda s: s.start)


def _join_district(text: str, spans: list[ToponymSpan]) -> list[ToponymSpan]:
    """"Washington, D.C." is one name: the city's own, not a city and its container."""
    out: list[ToponymSpan] = []
    for s in spans:
        if (out and s.text == "D.C." and text[out[-1].end:s.start] == ", "
                and out[-1].kind == "place" and not out[-1].person):
            a = out[-1]
            a.end = a.name_end = s.end
            a.text = text[a.start:a.end]
            a.key = name_key(a.text)
            continue
        out.append(s)
    return out


def _link_containers(text: str, spans: list[ToponymSpan]) -> None:
    """"Prague, Oklahoma": record the second name as the container of the first."""
    places = [s for s in spans if s.kind == "place" and not s.person]
    for a, b in itertools.pairwise(places):
        if _COMMA_ONLY.fullmatch(text, a.end, b.start) and a.hint is None and not a.site:
            a.container = b


def _mark_dateline(text: str, spans: list[ToponymSpan]) -> None:
    """"BAGHDAD (AP) —" / "WASHINGTON —" at the start of a line is a dateline."""
    for s in spans:
        if not s.text.isupper():
            continue
        line_start = text.rfind("\n", 0, s.start) + 1
        if text[line_start:s.start].strip():
            continue
        if _DATELINE_AFTER.match(text, s.end, s.end + 40):
            s.dateline = True
