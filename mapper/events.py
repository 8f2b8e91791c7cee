"""Event vocabulary: trigger words, methods and the cues that qualify them.

The lexicon is data (``mapper/data/triggers.yaml`` and ``mapper/data/event_types.yaml``).
``Lexicon.scan(text)`` finds every trigger ("rocket attack", "armed drone", "airstrikes")
and every cue ("likely", "near", "warned", "could") in one pass over the folded text, with
offsets valid in the original. ``Lexicon.method(name)`` gives a method's ACLED
event_type / sub_event_type / disorder_type (word for word), CAMEO code and family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from ahocorasick_rs import AhoCorasick, MatchKind

from mapper.errors import InputError
from mapper.text import fold

__all__ = ["Cue", "Lexicon", "MethodInfo", "Trigger", "keep_case"]

_GATE_KINDS = frozenset({"threat_cues", "attribution:claimed", "air_context"})
NO_EVENT = "none"  # trigger-lexicon key of phrases that name no event
_KEEP_CASE = str.maketrans(dict.fromkeys("-‐‑‒–—―−_", " ") | dict.fromkeys("’‘ʼʻ`´′", "'"))


def keep_case(text: str) -> str:
    """Fold dashes and quotes like ``fold`` but keep letter case (for acronyms)."""
    return text.translate(_KEEP_CASE)


@dataclass(frozen=True)
class MethodInfo:
    """What a method maps to: ACLED strings word for word, a CAMEO code and a family."""

    method: str
    event_type: str
    sub_event_type: str
    disorder_type: str
    cameo: str
    family: str


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that names an event, at ``[start, end)`` of the original text."""

    start: int
    end: int
    text: str
    method: str
    weak: bool


@dataclass(frozen=True)
class Cue:
    """A qualifying word (kind: near, hypothetical, threat, attribution:claimed, ...)."""

    start: int
    end: int
    kind: str


class _Matcher:
    """Whole-word, leftmost-longest phrase matching on folded text (case-sensitive entries
    hold an upper-case letter)."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self._keys = sorted(entries)
        self._values = [entries[k] for k in self._keys]
        self._exact = [k if any(c.isupper() for c in k) else None for k in self._keys]
        self._ac = AhoCorasick([fold(k) for k in self._keys], matchkind=MatchKind.LeftmostLongest)

    def find(self, text: str, folded: str) -> list[tuple[int, int, list[str]]]:
        out = []
        n = len(text)
        for idx, start, end in self._ac.find_matches_as_indexes(folded):
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            exact = self._exact[idx]
            if exact is not None and keep_case(text[start:end]) != keep_case(exact):
                continue
            out.append((start, end, self._values[idx]))
        return out


def _words_regex(words: list[str], before: str, after: str) -> re.Pattern[str]:
    """One case-insensitive alternation of ``words`` (longest first), dashes matching spaces."""
    alternatives = sorted((re.escape(fold(w)).replace("\\ ", r"[\s\-]+") for w in words), key=len, reverse=True)
    return re.compile(before + "(?:" + "|".join(alternatives or ["(?!)"]) + ")" + after, re.IGNORECASE)


def _load_yaml(name: str) -> dict[str, Any]:
    path = resources.files("mapper") / "data" / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping at the top level")
    return data


class Lexicon:
    """Triggers, methods and cues from the data files; build once, scan many texts."""

    def __init__(self, *, triggers: dict[str, Any], event_types: dict[str, Any]) -> None:
        disorder = event_types["disorder_types"]
        self.methods: dict[str, MethodInfo] = {}
        for name, row in event_types["methods"].items():
            self.methods[name] = MethodInfo(name, row["event_type"], row["sub_event_type"],
                                            disorder.get(row["sub_event_type"], disorder[row["event_type"]]),
                                            str(row["cameo"]), row["family"])
        self.means_override = frozenset(event_types.get("means_override", ()))
        self.weak = frozenset(triggers.get("weak", ()))
        self.needs_person = frozenset(fold(w) for w in triggers.get("needs_person", ()))
        self.air_when_state = frozenset(fold(w) for w in triggers.get("air_when_state", ()))
        self.intercepted: dict[str, str] = dict(triggers.get("intercepted", {}))
        phrases: dict[str, list[str]] = {}
        for method, words in triggers["triggers"].items():
            if method != NO_EVENT and method not in self.methods:
                raise InputError(f"triggers.yaml: method {method!r} is not in event_types.yaml "
                                 f"(known: {sorted(self.methods)})")
            for word in words:
                if not isinstance(word, str):
                    raise InputError(f"triggers.yaml: triggers.{method}: {word!r} is not text; quote it")
                phrases.setdefault(word, []).append(method)
        for method in self.intercepted.values():
            if method not in self.methods:
                raise InputError(f"triggers.yaml: intercepted method {method!r} is unknown")
        self._triggers = _Matcher(phrases)
        cues: dict[str, list[str]] = {}

        def add(kind: str, words: list[str]) -> None:
            for word in words:
                if not isinstance(word, str):  # YAML reads a bare no/on/yes as a boolean
                    raise InputError(f"triggers.yaml: {kind}: {word!r} is not text; quote it")
                cues.setdefault(word, []).append(kind)

        for kind in ("interception", "threat_cues", "threat_violence", "not_threat", "hypothetical",
                     "negation", "aggregate", "near", "air_subject", "air_context", "air_verbs",
                     "supply_before", "supply_after"):
            add(kind, triggers.get(kind, []))
        for kind, words in triggers.get("attribution", {}).items():
            add(f"attribution:{kind}", words)
        self.vague_numbers: dict[str, int] = {fold(k): int(v) for k, v in triggers.get("vague_numbers", {}).items()}
        self._cues = _Matcher(cues)
        self._gate = _Matcher({k: [v for v in kinds if v in _GATE_KINDS] for k, kinds in cues.items()
                               if any(v in _GATE_KINDS for v in kinds)})
        self.ultimatums = [re.compile(p) for p in triggers.get("ultimatum_patterns", [])]
        self.actor_base = _words_regex(triggers.get("actor_base", []), r"^\s*", r"\s+(?:the\s+)?$")
        self.victim_verbs = _words_regex(triggers.get("victim_verbs", []), r"\b", r"\b")
        self.speech_verbs = _words_regex(triggers.get("speech_verbs", []), r"\b", r"\b")
        self.anaphora: dict[str, dict[str, Any]] = {str(k).lower(): dict(v) for k, v in triggers.get("anaphora", {}).items()}
        self.anaphora_regex = re.compile(r"\b(?:the|those|these|that|this)\s+(" + "|".join(
            re.escape(k) for k in sorted(self.anaphora, key=len, reverse=True)) + r")\b", re.IGNORECASE) \
            if self.anaphora else None

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The lexicon of the package data files (cached)."""
        return cls(triggers=_load_yaml("triggers.yaml"), event_types=_load_yaml("event_types.yaml"))

    def method(self, name: str) -> MethodInfo:
        """ACLED and CAMEO codes of a method; ``InputError`` naming the known ones otherwise."""
        try:
            return self.methods[name]
        except KeyError:
            raise InputError(f"unknown method {name!r}; known: {sorted(self.methods)}") from None

    def family(self, name: str) -> str:
        info = self.methods.get(name)
        return info.family if info else name

    def triggers(self, text: str, folded: str | None = None) -> list[Trigger]:
        """Every trigger in ``text`` (whole words, longest first), in text order."""
        folded = fold(text) if folded is None else folded
        out = []
        for start, end, methods in self._triggers.find(text, folded):
            method = methods[0]
            if method == NO_EVENT:
                continue  # "drone surveillance", "rocket systems": no event
            out.append(Trigger(start, end, text[start:end], method, method in self.weak))
        return out

    def cues(self, text: str, folded: str | None = None, *, start: int = 0, end: int | None = None) -> list[Cue]:
        """Every cue in ``text[start:end]`` (offsets in ``text``); a phrase listed under several
        kinds yields one cue per kind."""
        folded = fold(text) if folded is None else folded
        end = len(text) if end is None else end
        found = self._cues.find(text[start:end], folded[start:end])
        return [Cue(start + s, start + e, kind) for s, e, kinds in found for kind in kinds]

    def gate(self, text: str, folded: str | None = None) -> list[Cue]:
        """The cues that make a sentence worth reading without a trigger (threat words, claims)
        and those that set the document's context (aircraft): a cheap first pass."""
        folded = fold(text) if folded is None else folded
        return [Cue(s, e, kind) for s, e, kinds in self._gate.find(text, folded) for kind in kinds]
