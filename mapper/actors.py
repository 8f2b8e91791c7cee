"""The actor registry: armed groups and forces under all their names, found in text.

The registry is data: ``mapper/data/actors.yaml`` plus any files the user names with
``ActorRegistry.load(paths)`` or the ``INCIDENT_MAPPER_ACTORS`` environment variable (paths
separated by ``os.pathsep``; a user row with an existing id replaces it). Aliases match on
folded text (quotes, dashes, diacritics and case do not matter), acronyms ("KH", "PMF") match
case-sensitively, all on whole words, longest first. ``find`` returns ``ActorMention``s whose
``kind`` says how the actor was named: ``actor`` (a name or alias), ``person`` (a leader or
spokesman: the voice of a threat, never the perpetrator of an attack) or ``demonym``
("American", only meaningful right before an attack word).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from ahocorasick_rs import AhoCorasick, MatchKind
from shapely.geometry import MultiPoint

from gazetteer.normalize import name_key
from mapper import frames
from mapper.errors import InputError
from mapper.events import keep_case
from mapper.text import fold

__all__ = ["ACLED_ACTOR_TYPES", "ENV_VAR", "Actor", "ActorMention", "ActorRegistry"]

ENV_VAR = "INCIDENT_MAPPER_ACTORS"
# ACLED inter types, in the order of its numeric inter codes 1..8 (the export relies on it)
ACLED_ACTOR_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
                     "Protesters", "Civilians", "External/Other forces")
_ACLED_SUFFIX = re.compile(r"\s*\((?:\d{4}\s*[-–]\s*(?:\d{4})?|[^)]*\d{4}[^)]*)\)\s*$")


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a document at ``[start, end)``; ``kind`` is actor, person or demonym."""

    doc_id: str
    start: int
    end: int
    text: str
    actor_id: str
    kind: str = "actor"


@dataclass(frozen=True)
class Actor:
    """One registry row (see the header of ``mapper/data/actors.yaml`` for the fields)."""

    actor_id: str
    name: str
    kind: str
    source: str
    country: str | None = None
    parent: str | None = None
    backers: tuple[str, ...] = ()
    generic: bool = False
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)


def _strings(value: Any, *, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise InputError(f"{where}: field {key!r} must be a list of names, got {value!r}")
    return tuple(str(v) for v in value)


def _parse_actor(row: Any, *, where: str) -> Actor:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected a mapping with id, name, kind, source; got {row!r}")
    missing = [k for k in ("id", "name", "kind", "source") if not row.get(k)]
    if missing:
        raise InputError(f"{where}: missing field(s) {missing}")
    known = {"id", "name", "kind", "source", "country", "parent", "backers", "generic", "aliases",
             "acronyms", "people", "demonyms"}
    unknown = sorted(set(row) - known)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; allowed: {sorted(known)}")
    if row["kind"] not in ACLED_ACTOR_TYPES:
        raise InputError(f"{where}: kind {row['kind']!r} is not an ACLED actor type; "
                         f"allowed: {list(ACLED_ACTOR_TYPES)}")
    country = row.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
        raise InputError(f"{where}: country {country!r} must be an ISO 3166-1 alpha-2 code such as 'IQ'")
    return Actor(
        actor_id=str(row["id"]), name=str(row["name"]), kind=row["kind"], source=str(row["source"]),
        country=country, parent=row.get("parent"),
        backers=_strings(row.get("backers"), where=where, key="backers"),
        generic=bool(row.get("generic", False)),
        aliases=_strings(row.get("aliases"), where=where, key="aliases"),
        acronyms=_strings(row.get("acronyms"), where=where, key="acronyms"),
        people=_strings(row.get("people"), where=where, key="people"),
        demonyms=_strings(row.get("demonyms"), where=where, key="demonyms"),
    )


def read_actors_file(path: str | os.PathLike[str]) -> list[Actor]:
    """The actors of one YAML file; ``InputError`` naming the file and entry on bad input."""
    path = Path(path)
    try:
        data = yaml_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read actor registry: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: actor registry is not UTF-8 text: {exc}") from exc
    except ValueError as exc:
        raise InputError(f"{path}: actor registry is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise InputError(f"{path}: expected a mapping with a list under 'actors'")
    actors = []
    for i, row in enumerate(data["actors"]):
        ident = row.get("id") if isinstance(row, dict) else None
        actor = _parse_actor(row, where=f"{path}: actors[{i}]" + (f" (id {ident!r})" if ident else ""))
        actors.append(Actor(**{**actor.__dict__, "origin": str(path)}))
    return actors


def yaml_load(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from None


def _default_path() -> Path:
    return Path(str(resources.files("mapper") / "data" / "actors.yaml"))


class ActorRegistry:
    """Actors with aliases, ACLED type, parent and backers, loaded from data files."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        by_id: dict[str, Actor] = {}
        for actor in actors:
            by_id[actor.actor_id] = actor  # later files replace earlier rows
        for actor in by_id.values():
            refs = [r for r in (actor.parent, *actor.backers) if r]
            bad = [r for r in refs if r not in by_id]
            if bad:
                raise InputError(f"{actor.origin or 'actor registry'}: actor {actor.actor_id!r} refers to "
                                 f"unknown actor id(s) {bad}")
        self._actors = by_id
        self._build()

    # --- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, paths: Sequence[str | os.PathLike[str]] = (), *, include_default: bool = True) -> ActorRegistry:
        """The packaged registry (unless ``include_default`` is false) extended by ``paths``."""
        files = ([_default_path()] if include_default else []) + [Path(p) for p in paths]
        return cls(a for f in files for a in read_actors_file(f))

    @classmethod
    def default(cls) -> ActorRegistry:
        """The packaged registry plus the files named in ``$INCIDENT_MAPPER_ACTORS`` (cached)."""
        return _cached_default(os.environ.get(ENV_VAR, ""))

    def _build(self) -> None:
        # folded pattern -> (actor_id, kind, exact form or None, needs a capital first letter)
        entries: dict[str, tuple[str, str, str | None, bool]] = {}
        names: dict[str, str] = {}
        for actor in self._actors.values():
            for kind, forms in (("actor", (actor.name, *actor.aliases)), ("actor", actor.acronyms),
                                ("person", actor.people), ("demonym", actor.demonyms)):
                exact = forms is actor.acronyms or kind == "demonym"
                for form in forms:
                    key = fold(form)
                    if key.strip() and key not in entries:
                        entries[key] = (actor.actor_id, kind, form if exact else None, form[:1].isupper())
            for form in (actor.name, *actor.aliases, *actor.acronyms, actor.actor_id):
                names.setdefault(name_key(form), actor.actor_id)
        self._patterns = list(entries)
        self._info = [entries[p] for p in self._patterns]
        self._ac = AhoCorasick(self._patterns, matchkind=MatchKind.LeftmostLongest)
        self._names = names

    # --- lookup -----------------------------------------------------------------------------

    @property
    def actors(self) -> list[Actor]:
        return list(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def match_name(self, name: str) -> Actor | None:
        """The actor called ``name`` (any alias or acronym, any spelling fold), or None.

        ACLED-style regime years ("Military Forces of Iraq (2014-)") are ignored.
        """
        if not isinstance(name, str):
            return None
        for candidate in (name, _ACLED_SUFFIX.sub("", name)):
            key = name_key(candidate)
            hit = self._names.get(key) or self._names.get(re.sub(r"^the ", "", key))
            if hit:
                return self._actors[hit]
        return None

    def find(self, text: str, *, doc_id: str = "") -> list[ActorMention]:
        """Every actor, person and demonym named in ``text``, in text order."""
        folded = fold(text)
        n = len(text)
        out = []
        for idx, start, end in self._ac.find_matches_as_indexes(folded):
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            actor_id, kind, exact, capital = self._info[idx]
            surface = text[start:end]
            if exact is not None and keep_case(surface) != keep_case(exact):
                continue
            if capital and not surface[:1].isupper():
                continue  # "hashd" in lower case is not the name
            out.append(ActorMention(doc_id, start, end, surface, actor_id, kind))
        return out

    def lineage(self, actor_id: str) -> list[Actor]:
        """The actor, then its parent, the parent's parent, ... (for "part of" questions)."""
        out: list[Actor] = []
        current = self._actors.get(actor_id)
        while current is not None and current not in out:
            out.append(current)
            current = self._actors.get(current.parent) if current.parent else None
        return out

    # --- frames -----------------------------------------------------------------------------

    def actors_frame(self, mentions: Iterable[ActorMention], incidents: gpd.GeoDataFrame,
                     places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """One row per actor named in the documents or in an incident (``frames.ACTOR_COLUMNS``).

        Geometry: a MultiPoint of the places of the actor's incidents (as actor1 or actor2),
        or null; EPSG:4326. Demonyms alone do not count as mentions of an actor.
        """
        stats: dict[str, dict[str, Any]] = {}

        def entry(actor: Actor) -> dict[str, Any]:
            return stats.setdefault(actor.actor_id, {"mentions": 0, "aliases": set(), "docs": set(),
                                                     "incidents": 0, "points": []})

        for m in mentions:
            actor = self._actors.get(m.actor_id)
            if actor is None or m.kind == "demonym":
                continue
            e = entry(actor)
            e["mentions"] += 1
            e["aliases"].add(m.text)
            if m.doc_id:
                e["docs"].add(m.doc_id)
        by_name = {a.name: a for a in self._actors.values()}
        if len(incidents):
            for row in incidents.itertuples(index=False):
                for col in ("actor1", "actor2"):
                    name = getattr(row, col)
                    actor = by_name.get(name) if isinstance(name, str) else None
                    if actor is None and isinstance(name, str):
                        actor = self.match_name(name)
                    if actor is None:
                        continue
                    e = entry(actor)
                    e["incidents"] += 1
                    geom = row.geometry
                    if geom is not None and not geom.is_empty:
                        e["points"].append((geom.x, geom.y))  # shapely order: lon, lat
                    doc_id = getattr(row, "doc_id", None)
                    if isinstance(doc_id, str) and doc_id:
                        e["docs"].add(doc_id)
        order = sorted(stats, key=lambda k: (-stats[k]["mentions"], -stats[k]["incidents"], k))
        rows, geoms = [], []
        for actor_id in order:
            actor, e = self._actors[actor_id], stats[actor_id]
            parent = self._actors.get(actor.parent) if actor.parent else None
            rows.append({
                "actor_id": actor_id,
                "name": actor.name,
                "kind": actor.kind,
                "parent": parent.name if parent else None,
                "backers": "; ".join(self._actors[b].name for b in actor.backers) or None,
                "aliases": json.dumps(sorted(e["aliases"]), ensure_ascii=False),
                "mentions": e["mentions"],
                "incidents": e["incidents"],
                "doc_ids": json.dumps(sorted(e["docs"]), ensure_ascii=False),
            })
            points = sorted(set(e["points"]))
            geoms.append(MultiPoint(points) if points else None)
        frame = gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(frames.ACTOR_COLUMNS)),
                                 geometry=gpd.GeoSeries(geoms, crs=frames.CRS), crs=frames.CRS)
        for col in ("mentions", "incidents"):
            frame[col] = pd.array(frame[col], dtype="Int64")
        return frame


@cache
def _cached_default(env_value: str) -> ActorRegistry:
    paths = [p for p in env_value.split(os.pathsep) if p.strip()]
    return ActorRegistry.load(paths)
