"""Documents in, joined GeoDataFrames out: the library face of ``incident-mapper run``.

The stages are plain functions over plain records (see DESIGN.md section 3); this module
only wires them together and keeps the accounts for ``report.json``. Only the CLI decides
file paths for outputs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from mapper import frames, partitions
from mapper.documents import expand_inputs, iter_documents
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


@dataclass
class ResultBatch:
    """The outcomes of a batch of documents in columns: what workers send back to the collector.

    Place and actor mentions travel as Arrow record batches (one per batch, not one object
    per mention), which cost little to pickle and are spilled as they are. ``items`` holds,
    in input order, each document's id or the ``SkippedDocument``; ``mention_counts``,
    ``actor_counts`` and ``incidents`` hold one entry per document. A document's place
    mentions are stored ordered by ``(start, end)``, the order of the mentions table;
    ``mention_order`` gives each one's position in ``DocumentResult.mentions``, so that
    ``outcomes()`` gives back exactly what the extractor returned.
    """

    items: list[str | SkippedDocument]
    mentions: pa.RecordBatch
    mention_counts: list[int]
    mention_order: list[int]
    actor_mentions: pa.RecordBatch
    actor_counts: list[int]
    incidents: list[list[Incident]]

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def pack(cls, outcomes: Iterable[DocumentResult | SkippedDocument]) -> ResultBatch:
        """The batch of ``outcomes`` (``DocumentResult`` or ``SkippedDocument``, in order)."""
        items: list[str | SkippedDocument] = []
        mentions: list[PlaceMention] = []
        counts: list[int] = []
        order: list[int] = []
        actor_mentions: list[ActorMention] = []
        actor_counts: list[int] = []
        incidents: list[list[Incident]] = []
        for outcome in outcomes:
            if isinstance(outcome, SkippedDocument):
                items.append(outcome)
                continue
            items.append(outcome.doc_id)
            found = outcome.mentions
            ranks = sorted(range(len(found)), key=lambda i: (found[i].start, found[i].end))
            mentions.extend(found[i] for i in ranks)
            order.extend(ranks)
            counts.append(len(found))
            actor_mentions.extend(outcome.actor_mentions)
            actor_counts.append(len(outcome.actor_mentions))
            incidents.append(outcome.incidents)
        return cls(items, _record_batch(mentions, MENTION_SCHEMA), counts, order,
                   _record_batch(actor_mentions, _actor_schema()), actor_counts, incidents)

    def outcomes(self) -> list[DocumentResult | SkippedDocument]:
        """The ``DocumentResult``s and ``SkippedDocument``s of the batch, in input order."""
        from mapper.actors import ActorMention

        mentions = _records(self.mentions, PlaceMention)
        actor_mentions = _records(self.actor_mentions, ActorMention)
        out: list[DocumentResult | SkippedDocument] = []
        begin = actor_begin = n = 0
        for item in self.items:
            if isinstance(item, SkippedDocument):
                out.append(item)
                continue
            end, actor_end = begin + self.mention_counts[n], actor_begin + self.actor_counts[n]
            found: list[Any] = [None] * (end - begin)
            for position, mention in zip(self.mention_order[begin:end], mentions[begin:end],
                                         strict=True):
                found[position] = mention
            out.append(DocumentResult(item, found, self.incidents[n],
                                      actor_mentions[actor_begin:actor_end]))
            begin, actor_begin, n = end, actor_end, n + 1
        return out


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
    with partitions.spill_folder() as spill:
        collector = Collector(spill)
        if inputs:
            paths = expand_inputs(inputs)  # a missing input fails here, before any work
            total = scale.estimate_documents(paths) if progress else None
            with contextlib.ExitStack() as stack:
                def read() -> Iterator[Document | SkippedDocument]:
                    return iter_documents(paths, published=published, strict=strict)

                # With worker processes, a reader process reads while this one builds the
                # extractor (or starts the cluster); alone, this process reads as it goes.
                parallel = engine != "local" or jobs > 1
                stream = stack.enter_context(scale.read_ahead(read)) if parallel else read()
                if extractor is None and engine == "local":
                    extractor = scale.extractor_for(spacy_model)  # built once per process
                collector.consume(scale.process_batches(
                    collector.remember(stream), extractor=extractor, jobs=jobs, engine=engine,
                    scheduler=scheduler, workers=workers, progress=progress,
                    spacy_model=spacy_model, total=total))
        extracted = time.perf_counter()
        imported: list[Incident] = []
        import_report: dict[str, Any] = {}
        if incidents_files:
            from mapper.importers import load_incidents

            imported, import_report = load_incidents(incidents_files, fmt=incidents_format,
                                                     column_map=column_map or {})
        from mapper.actors import ActorRegistry

        registry = extractor.registry if extractor is not None else ActorRegistry.default()
        result = collector.finish(registry=registry, imported=imported)
    if import_report:
        result.report["imports"] = import_report
    result.report["timings"] = {
        "extract_seconds": round(extracted - started, 3),
        "assemble_seconds": round(time.perf_counter() - extracted, 3),
    }
    return result


def assemble(
    documents: Iterable[Document],
    skipped: Iterable[SkippedDocument],
    results: Iterable[DocumentResult],
    *,
    registry: Any,
    imported: Sequence[Incident] = (),
) -> Result:
    """Join per-document results (and imported incidents) into frames and a report.

    Documents and their mentions keep the order given (mentions by offset within a
    document); incidents are ordered by ``merge_incidents``, places by mention count.
    """
    with partitions.spill_folder() as spill:
        collector = Collector(spill)
        for doc in documents:
            collector.documents.append(_meta(doc))
        collector.skipped.extend(skipped)
        iterator = iter(results)
        while chunk := list(islice(iterator, 256)):
            collector.add_batch(ResultBatch.pack(chunk))
        return collector.finish(registry=registry, imported=imported)


def _meta(doc: Document) -> dict[str, Any]:
    """What the report keeps of a document (not its text)."""
    return {"doc_id": doc.doc_id, "path": doc.source_path, "title": doc.title,
            "published": doc.published.isoformat() if doc.published else None,
            "chars": len(doc.text),
            "warnings": [w for w in doc.metadata.get("warnings", "").split("\n") if w]}


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """Python's cycle collector paused: assembling a large run makes millions of objects but no
    cycles, and the collector's full passes over them cost more than the assembly itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Collector:
    """Streams per-document results into the run's frames and report with bounded memory.

    Results arrive as ``ResultBatch``es. Place and actor mentions, by far the most numerous
    records, are kept as the batches' Arrow record batches and written to parquet parts in
    ``spill`` every ``SPILL_MENTIONS`` records, then read back once at the end: the place
    mentions as the mentions frame, from which places and counts are aggregated; the actor
    mentions streamed into the actors frame. Incidents (far fewer) stay in memory, as does
    one small record per document for the report.
    """

    SPILL_MENTIONS = 50_000

    def __init__(self, spill: Path) -> None:
        self.documents: list[dict[str, Any]] = []
        self.skipped: list[SkippedDocument] = []
        self.incidents: list[Incident] = []
        self._mentions: list[pa.RecordBatch] = []
        self._actor_mentions: list[pa.RecordBatch] = []
        self._held = 0
        self._writer = partitions.PartWriter(
            spill / "mentions", template=pd.DataFrame(columns=list(frames.MENTION_COLUMNS)))
        self._actor_writer = partitions.PartWriter(
            spill / "actors", template=pd.DataFrame(columns=_actor_schema().names))
        self._inputs: deque[dict[str, Any] | None] = deque()

    def remember(self, stream: Iterable[Document | SkippedDocument]
                 ) -> Iterator[Document | SkippedDocument]:
        """Pass the input stream through, noting each document's report record in order."""
        for item in stream:
            self._inputs.append(_meta(item) if isinstance(item, Document) else None)
            yield item

    def consume(self, batches: Iterable[ResultBatch]) -> None:
        """Take ``scale.process_batches``'s batches, in the order ``remember`` saw the inputs."""
        for batch in batches:
            for item in batch.items:
                meta = self._inputs.popleft()
                if isinstance(item, str):
                    if meta is None or meta["doc_id"] != item:
                        raise RuntimeError(f"result for {item!r} arrived out of order")
                    self.documents.append(meta)
            self.add_batch(batch)

    def add(self, outcome: DocumentResult | SkippedDocument) -> None:
        """Take one document's outcome (``assemble`` and tests; runs send whole batches)."""
        self.add_batch(ResultBatch.pack([outcome]))

    def add_batch(self, batch: ResultBatch) -> None:
        """Take the outcomes of a batch: skipped inputs, incidents and mentions."""
        self.skipped.extend(item for item in batch.items if isinstance(item, SkippedDocument))
        for found in batch.incidents:
            self.incidents.extend(found)
        for held, records in ((self._mentions, batch.mentions),
                              (self._actor_mentions, batch.actor_mentions)):
            if records.num_rows:
                held.append(records)
                self._held += records.num_rows
        if self._held >= self.SPILL_MENTIONS:
            self._spill()

    def _spill(self) -> None:
        for writer, held in ((self._writer, self._mentions), (self._actor_writer, self._actor_mentions)):
            if held:
                writer.write_arrow(pa.Table.from_batches(held))
        self._mentions, self._actor_mentions, self._held = [], [], 0

    @_without_gc()
    def finish(self, *, registry: Any, imported: Sequence[Incident] = ()) -> Result:
        """The frames and the report of everything collected."""
        self._spill()
        self._writer.close()
        mentions_gdf = _mentions_frame(self._writer.folder)
        places_gdf = _places_frame(mentions_gdf)
        incidents = self.incidents
        merged_count = 0
        if imported or incidents:
            from mapper.merge import merge_incidents

            incidents, merged_count = merge_incidents([*incidents, *imported])
        incidents_gdf = frames.incidents_frame(incidents)
        from mapper.actors import ActorMention

        actor_mentions = _read_records(self._actor_writer.folder, ActorMention)
        actors_gdf = registry.actors_frame(actor_mentions, incidents_gdf, mentions_gdf)
        counts = mentions_gdf["status"].value_counts().to_dict() if len(mentions_gdf) else {}
        report: dict[str, Any] = {
            "documents": {
                "read": len(self.documents),
                "skipped": len(self.skipped),
                "processed": self.documents,
                "skipped_files": [{"path": s.source_path, "reason": s.reason} for s in self.skipped],
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


def _mentions_frame(folder: Path) -> gpd.GeoDataFrame:
    """The spilled place mentions as ``frames.mentions_frame`` makes them, built column-wise.

    Geometry is the point (lon, lat), null where either is missing.
    """
    import pyarrow.parquet as pq

    # Text is read dictionary-encoded, then made object columns (None where missing) like
    # ``frames.mentions_frame``'s: writers and the map go through them value by value, which
    # Arrow-backed strings make slow. Each distinct value becomes one Python string, shared by
    # its rows, so memory stays small.
    names = [f.name for f in MENTION_SCHEMA if pa.types.is_large_string(f.type)]
    arrow = pq.read_table(folder, read_dictionary=names).unify_dictionaries()
    text = {name: _shared_strings(arrow.column(name)) for name in names}
    arrow = arrow.drop_columns(list(text))
    table = arrow.to_pandas(ignore_metadata=True, self_destruct=True)
    del arrow
    # Arrow's allocator keeps the memory of the table just read for reuse: give it back (at
    # 1.5 million mentions, ~350 MB that would stay in the process to its end).
    pa.default_memory_pool().release_unused()
    for name, values in text.items():
        table[name] = pd.Series(values, dtype=object, copy=False)
    table = table[[name for name in frames.MENTION_COLUMNS if name in table.columns]]
    for col in ("start", "end"):
        table[col] = table[col].astype("Int64")
    missing = (table["lon"].isna() | table["lat"].isna()).to_numpy()
    points = shapely.points(table["lon"].fillna(0.0).to_numpy(float),  # shapely order: lon, lat
                            table["lat"].fillna(0.0).to_numpy(float))
    points[missing] = None
    frames.check_columns(table, frames.MENTION_COLUMNS, what="spilled mentions")
    # The geometry joins the columns in place: given as a separate series, GeoDataFrame would
    # copy every column (~300 MB at 1.5 million mentions).
    table["geometry"] = gpd.GeoSeries(points, crs=frames.CRS)
    return gpd.GeoDataFrame(table, geometry="geometry", crs=frames.CRS, copy=False)


def _shared_strings(column: pa.ChunkedArray) -> np.ndarray:
    """A dictionary-encoded text column whose chunks share one dictionary as a NumPy object
    array: None where null, one ``str`` per distinct value."""
    if not column.num_chunks:
        return np.empty(0, dtype=object)
    dictionary = column.chunk(0).dictionary
    values = np.array([*dictionary.to_pylist(), None], dtype=object)
    codes = [chunk.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
             for chunk in column.chunks]
    return values[np.concatenate(codes)]


def _places_frame(mentions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frames.places_frame`` of the mentions frame, from its columns rather than records.

    Resolved mentions with a place id, per place: the first mention's name, codes and point,
    the number of mentions, and the sorted document ids and surface forms; most mentioned
    first, then by id.
    """
    names = ["place_id", "name", "feature_class", "feature_code", "country_code", "admin1"]
    resolved = mentions.loc[(mentions["status"] == "resolved") & mentions["place_id"].notna(),
                            [*names, "doc_id", "text", "lon", "lat"]]  # only the columns used
    first = resolved.drop_duplicates("place_id")  # in order of first mention
    counts: dict[str, int] = dict.fromkeys(first["place_id"].tolist(), 0)
    docs: dict[str, set[str]] = {key: set() for key in counts}
    forms: dict[str, set[str]] = {key: set() for key in counts}
    for place_id, doc_id, text in zip(resolved["place_id"].tolist(), resolved["doc_id"].tolist(),
                                      resolved["text"].tolist(), strict=True):
        counts[place_id] += 1
        docs[place_id].add(doc_id)
        forms[place_id].add(text)
    columns = {n: _python(first[n]) for n in names}
    rows = []
    for i, place_id in enumerate(columns["place_id"]):
        row = {n: columns[n][i] for n in names}
        row["mentions"] = counts[place_id]
        row["doc_ids"] = json.dumps(sorted(docs[place_id]), ensure_ascii=False)
        row["surface_forms"] = json.dumps(sorted(forms[place_id]), ensure_ascii=False)
        rows.append(row)
    lon, lat = first["lon"].to_numpy(float), first["lat"].to_numpy(float)
    points = shapely.points(lon, lat)  # shapely order: lon, lat
    points[np.isnan(lon) | np.isnan(lat)] = None
    ranked = sorted(range(len(rows)), key=lambda i: (-rows[i]["mentions"], rows[i]["place_id"]))
    frame = pd.DataFrame([rows[i] for i in ranked], columns=list(frames.PLACE_COLUMNS))
    frame["mentions"] = pd.array(frame["mentions"], dtype="Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points[ranked], crs=frames.CRS),
                            crs=frames.CRS)


def _python(column: pd.Series) -> list[Any]:
    """The values of ``column`` as Python objects, missing values (NA, NaN) as None."""
    return [None if v is None or v is pd.NA or v != v else v for v in column.tolist()]


MENTION_SCHEMA = partitions.arrow_schema(frames.MENTION_COLUMNS)


def _actor_schema() -> pa.Schema:
    from mapper.actors import ActorMention

    return partitions.arrow_schema([f.name for f in fields(ActorMention)])


def _record_batch(records: Sequence[Any], schema: pa.Schema) -> pa.RecordBatch:
    """Dataclass records as an Arrow record batch with one column per field of ``schema``."""
    return pa.record_batch([pa.array([getattr(r, name) for r in records], type=column.type)
                            for name, column in zip(schema.names, schema, strict=True)],
                           schema=schema)


def _records(batch: pa.RecordBatch, record: type) -> list[Any]:
    """The ``record`` dataclasses of an Arrow record batch (the inverse of ``_record_batch``)."""
    columns = [batch.column(name).to_pylist() for name in batch.schema.names]
    return [record(*values) for values in zip(*columns, strict=True)]


def _read_records(folder: Path, record: type) -> Iterator[Any]:
    """The ``record`` dataclasses spilled to ``folder``, one part at a time, in order."""
    import pyarrow.parquet as pq

    names = [f.name for f in fields(record)]
    for path in partitions.part_files(folder):
        table = pq.read_table(path, columns=names)
        yield from (record(*values) for values in
                    zip(*(table.column(n).to_pylist() for n in names), strict=True))
