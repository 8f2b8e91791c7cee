"""Documents in, joined GeoDataFrames out: the library face of ``incident-mapper run``.

The stages are plain functions over plain records (see DESIGN.md section 3); this module
only wires them together and keeps the accounts for ``report.json``. Only the CLI decides
file paths for outputs.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from mapper import frames
from mapper.documents import iter_documents
from mapper.model import Document, Incident, PlaceMention, SkippedDocument

if TYPE_CHECKING:
    import folium

    from mapper.actors import ActorMention


@dataclass
class DocumentResult:
    """What the extractor found in one document."""

    doc_id: str
    mentions: list[PlaceMention]
    incidents: list[Incident]
    actor_mentions: list[ActorMention]


class Extractor:
    """Loads the gazetteer, the actor registry and the lexicons once; then processes documents.

    One instance per process: building it is the expensive part (the gazetteer index and the
    name automata), processing a document is cheap.
    """

    def __init__(self, *, spacy_model: str | None = None) -> None:
        self.spacy_model = spacy_model
        from mapper.actors import ActorRegistry
        from mapper.incidents import IncidentExtractor
        from mapper.resolve import Geoparser

        self.geoparser = Geoparser(spacy_model=spacy_model)
        self.registry = ActorRegistry.default()
        self.incident_extractor = IncidentExtractor(registry=self.registry, geoparser=self.geoparser)

    def process(self, doc: Document) -> DocumentResult:
        mentions = self.geoparser.parse(doc.text, doc_id=doc.doc_id)
        actor_mentions = self.registry.find(doc.text, doc_id=doc.doc_id)
        incidents = self.incident_extractor.extract(doc, mentions, actor_mentions)
        return DocumentResult(doc.doc_id, mentions, incidents, actor_mentions)


@dataclass
class Result:
    """The outputs of a run: GeoDataFrames in EPSG:4326 with the columns of ``mapper.frames``.

    ``incidents``, ``places``, ``mentions`` and ``actors`` always exist, possibly empty.
    ``report`` is what ``report.json`` holds.
    """

    incidents: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    mentions: gpd.GeoDataFrame
    actors: gpd.GeoDataFrame
    report: dict[str, Any] = field(default_factory=dict)

    def map(self, *, tiles: str | None = None) -> folium.Map:
        """A layered folium map of the result (displays inline in Jupyter)."""
        from mapper.render import build_map

        return build_map(self, tiles=tiles)

    def to_files(self, out_dir: str | os.PathLike[str], **options: Any) -> list[Path]:
        """Write map.html, the GeoJSON/CSV exports and report.json into ``out_dir``."""
        from mapper.export import write_outputs

        return write_outputs(self, Path(out_dir), **options)


def run(
    inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str] = (),
    *,
    published: dt.date | None = None,
    strict: bool = False,
    incidents_files: Sequence[str | os.PathLike[str]] = (),
    incidents_format: str = "auto",
    column_map: dict[str, str] | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    spacy_model: str | None = None,
    extractor: Extractor | None = None,
) -> Result:
    """Read every document under ``inputs`` (and structured incident files) and map them.

    ``published`` is the publication date for documents whose metadata has none; relative
    dates ("Thursday", "last week") resolve against it. Unreadable inputs are skipped and
    listed in ``report["documents"]["skipped_files"]`` (or raise ``InputError`` when
    ``strict``). ``incidents_files`` are ACLED / UCDP / GDELT / CSV files imported with
    ``incidents_format`` and ``column_map`` and merged with what the articles report.
    ``jobs``, ``engine`` (``"local"`` or ``"dask"``), ``scheduler`` and ``workers`` choose
    how documents are processed; the result is the same whichever is chosen.
    """
    from mapper import scale

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    started = time.perf_counter()
    documents: list[Document] = []
    skipped: list[SkippedDocument] = []
    results: list[DocumentResult] = []
    if inputs:
        if extractor is None and engine == "local" and jobs == 1:
            extractor = Extractor(spacy_model=spacy_model)
        stream = iter_documents(inputs, published=published, strict=strict)
        for item in scale.process(_remember(stream, documents), extractor=extractor, jobs=jobs,
                                  engine=engine, scheduler=scheduler, workers=workers,
                                  progress=progress, spacy_model=spacy_model):
            if isinstance(item, SkippedDocument):
                skipped.append(item)
            else:
                results.append(item)
    extracted = time.perf_counter()
    imported: list[Incident] = []
    import_report: dict[str, Any] = {}
    if incidents_files:
        from mapper.importers import load_incidents

        imported, import_report = load_incidents(incidents_files, fmt=incidents_format,
                                                 column_map=column_map or {})
    from mapper.actors import ActorRegistry

    registry = extractor.registry if extractor is not None else ActorRegistry.default()
    result = assemble(documents, skipped, results, registry=registry, imported=imported)
    if import_report:
        result.report["imports"] = import_report
    result.report["timings"] = {
        "extract_seconds": round(extracted - started, 3),
        "assemble_seconds": round(time.perf_counter() - extracted, 3),
    }
    return result


def _remember(stream: Iterable[Document | SkippedDocument], documents: list[Document]
              ) -> Iterator[Document | SkippedDocument]:
    """Pass the stream through, keeping the documents' metadata (not their text) for the report."""
    for item in stream:
        if isinstance(item, Document):
            documents.append(Document(item.doc_id, "", item.title, item.url, item.published,
                                      item.source_path, {"chars": str(len(item.text))}))
        yield item


def assemble(
    documents: Iterable[Document],
    skipped: Iterable[SkippedDocument],
    results: Iterable[DocumentResult],
    *,
    registry: Any,
    imported: Sequence[Incident] = (),
) -> Result:
    """Join per-document results (and imported incidents) into frames and a report.

    The order is deterministic: documents by id, mentions by offset.
    """
    documents = sorted(documents, key=lambda d: d.doc_id)
    skipped = sorted(skipped, key=lambda s: s.source_path)
    results = sorted(results, key=lambda r: r.doc_id)
    mentions = [m for r in results for m in sorted(r.mentions, key=lambda m: (m.start, m.end))]
    incidents = [i for r in results for i in r.incidents]
    merged_count = 0
    if imported or incidents:
        from mapper.merge import merge_incidents

        incidents, merged_count = merge_incidents([*incidents, *imported])
    actor_mentions = [a for r in results for a in r.actor_mentions]
    incidents_gdf = frames.incidents_frame(incidents)
    mentions_gdf = frames.mentions_frame(mentions)
    places_gdf = frames.places_frame(mentions)
    actors_gdf = registry.actors_frame(actor_mentions, incidents_gdf, mentions_gdf)
    counts = mentions_gdf["status"].value_counts().to_dict() if len(mentions_gdf) else {}
    report: dict[str, Any] = {
        "documents": {
            "read": len(documents),
            "skipped": len(skipped),
            "processed": [
                {"doc_id": d.doc_id, "path": d.source_path, "title": d.title,
                 "published": d.published.isoformat() if d.published else None,
                 "chars": int(d.metadata.get("chars", len(d.text)))}
                for d in documents
            ],
            "skipped_files": [{"path": s.source_path, "reason": s.reason} for s in skipped],
        },
        "mentions": {
            "total": len(mentions_gdf),
            "resolved": int(counts.get("resolved", 0)),
            "unresolved": int(counts.get("unresolved", 0)),
            "ambiguous": int(counts.get("ambiguous", 0)),
            "ignored": int(counts.get("ignored", 0)),
        },
        "places": len(places_gdf),
        "incidents": {
            "total": len(incidents_gdf),
            "threats": int(incidents_gdf["is_threat"].sum()) if len(incidents_gdf) else 0,
            "without_place": int(incidents_gdf.geometry.isna().sum()) if len(incidents_gdf) else 0,
            "imported": len(imported),
            "merged": merged_count,
        },
        "actors": len(actors_gdf),
    }
    return Result(incidents_gdf, places_gdf, mentions_gdf, actors_gdf, report)
