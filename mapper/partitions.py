"""GeoParquet partitions: the run's frames as folders of part files, for data too big for one file.

A partitioned frame is a folder ``<name>/`` of ``part-00000.parquet``, ``part-00001.parquet``,
... each a GeoParquet file (geometry as WKB, EPSG:4326 in the ``geo`` metadata) with the same
Arrow schema, so the folder reads with ``geopandas.read_parquet(folder)`` and
``dask_geopandas.read_parquet(folder)``. Column types are fixed by column name (below), never
inferred per part: a column that is empty in one part and filled in the next must not change
type, or the folder would not read as one dataset.

The same writer spills place mentions to disk while a large run streams (``mapper.pipeline``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mapper import frames
from mapper.errors import InputError

__all__ = [
    "PART_ROWS", "PartWriter", "admin1_counts", "arrow_schema", "conform", "part_files",
    "read_partitions", "spill_folder", "write_partitioned",
]

#: Rows per part file when a whole frame is written (``write_partitioned``).
PART_ROWS = 100_000

# Column types by column name (the frames hold these as object columns with None); other
# columns keep their numeric or boolean kind, and everything else is text.
_INTS = frozenset({"start", "end", "time_precision", "geo_precision", "fatalities",
                   "n_sources", "mentions", "incidents"})
_FLOATS = frozenset({"lat", "lon", "score", "uncertainty_km", "confidence"})
_BOOLS = frozenset({"is_threat"})


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the fixed column types: nullable Int64, Float64, boolean, or string.

    The same column always gets the same type, whatever its values (all null included). A
    GeoDataFrame keeps its geometry (and gets EPSG:4326 if it has no CRS).
    """
    out = frame.copy()
    geo = isinstance(out, gpd.GeoDataFrame)
    for col in out.columns:
        if geo and col == out.geometry.name:
            continue
        dtype = out[col].dtype
        if col in _BOOLS or pd.api.types.is_bool_dtype(dtype):
            out[col] = pd.array(out[col], dtype="boolean")
        elif col in _INTS or pd.api.types.is_integer_dtype(dtype):
            out[col] = pd.array(out[col], dtype="Int64")
        elif col in _FLOATS or pd.api.types.is_float_dtype(dtype):
            out[col] = pd.array(pd.to_numeric(out[col]), dtype="Float64")
        else:
            out[col] = out[col].astype("string")
    if geo and out.crs is None:
        out = out.set_crs(frames.CRS)
    return out


def arrow_schema(columns: Sequence[str]) -> pa.Schema:
    """The Arrow schema ``conform`` gives a frame of ``columns`` when it is written to parquet.

    Integers, floats and booleans by column name as in ``conform``; every other column text.
    Lets records be sent and spilled as Arrow data with the types of a conformed frame.
    """
    def kind(col: str) -> pa.DataType:
        if col in _BOOLS:
            return pa.bool_()
        if col in _INTS:
            return pa.int64()
        if col in _FLOATS:
            return pa.float64()
        return pa.large_string()

    return pa.schema([(col, kind(col)) for col in columns])


class PartWriter:
    """Append frames to a folder as numbered parquet parts (one part per non-empty frame).

    GeoDataFrames become GeoParquet parts. ``close()`` writes one empty part when nothing was
    written, so the folder always reads, with the right columns, as an empty frame. Use as a
    context manager.
    """

    def __init__(self, folder: Path, *, template: pd.DataFrame) -> None:
        self.folder = folder
        self.template = template
        self.parts = 0
        self.rows = 0
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self._write(frame)

    def _write(self, frame: pd.DataFrame) -> None:
        path = self.folder / f"part-{self.parts:05d}.parquet"
        conform(frame).to_parquet(path, index=False, compression="zstd")
        self.parts += 1
        self.rows += len(frame)

    def write_arrow(self, table: pa.Table) -> None:
        """Write an Arrow table as the next part, as it is (its types should be ``arrow_schema``'s)."""
        if table.num_rows:
            pq.write_table(table, self.folder / f"part-{self.parts:05d}.parquet", compression="zstd")
            self.parts += 1
            self.rows += table.num_rows

    def close(self) -> None:
        if self.parts == 0:
            self._write_empty()

    def _write_empty(self) -> None:
        path = self.folder / "part-00000.parquet"
        conform(self.template).to_parquet(path, index=False, compression="zstd")
        self.parts = 1

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


def write_partitioned(frame: gpd.GeoDataFrame, folder: Path, *, rows: int = PART_ROWS) -> Path:
    """Write ``frame`` as a partitioned GeoParquet folder, replacing ``folder`` atomically.

    The parts are written to a temporary folder beside ``folder`` and renamed into place, so
    a failed write leaves an earlier folder intact.
    """
    if rows < 1:
        raise InputError(f"rows per part must be at least 1, got {rows}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".part", dir=folder.parent))
    try:
        with PartWriter(tmp, template=frame.iloc[:0]) as writer:
            for begin in range(0, len(frame), rows):
                writer.write(frame.iloc[begin:begin + rows])
        _replace_folder(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _replace_folder(new: Path, target: Path) -> None:
    """Rename folder ``new`` to ``target``; an existing ``target`` is removed only afterwards."""
    old = None
    if target.exists():
        if not target.is_dir():
            raise InputError(f"{target} exists and is not a folder; cannot write parquet parts there")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def part_files(folder: Path) -> list[Path]:
    """The part files of a partitioned folder, in order."""
    return sorted(folder.glob("part-*.parquet"))


def read_partitions(folder: Path, *, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Read a partitioned folder back as one GeoDataFrame (types as ``conform`` sets them)."""
    parts = part_files(folder)
    if not parts:
        raise InputError(f"{folder}: no part-*.parquet files (not a partitioned GeoParquet folder)")
    frames_ = [gpd.read_parquet(p, columns=list(columns) if columns else None) for p in parts]
    return gpd.GeoDataFrame(pd.concat(frames_, ignore_index=True), crs=frames.CRS)


def admin1_counts(folder: Path, *, admin1: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Incidents per admin-1 area over a partitioned incidents folder, one part at a time.

    The same table as ``mapper.render.geo.admin1_counts`` of the whole layer (columns
    ``ADMIN1_COUNT_COLUMNS`` + polygon), but the points never all sit in memory: each
    ``dask_geopandas`` partition is joined to the admin-1 polygons (a small table, sent whole
    to every partition) and only the per-area counts are summed. Runs on the current Dask
    scheduler (a ``distributed.Client`` if one is active, else local threads).
    """
    import dask_geopandas

    from gazetteer.sources import read_admin1_table
    from mapper.render import geo

    polygons = admin1 if admin1 is not None else read_admin1_table()
    incidents = dask_geopandas.read_parquet(folder, columns=["geometry"])
    per_part = incidents.map_partitions(
        _area_counts, polygons, meta=pd.DataFrame({"area": pd.Series(dtype="int64"),
                                                   "incidents": pd.Series(dtype="int64")}))
    counts = per_part.groupby("area")["incidents"].sum().compute()
    rows = polygons.iloc[counts.index.to_numpy()][["iso_3166_2", "name", "country_code", "geometry"]].copy()
    rows["incidents"] = counts.to_numpy().astype("int64")
    rows = rows.sort_values(["iso_3166_2", "name"], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(rows[[*geo.ADMIN1_COUNT_COLUMNS, "geometry"]], geometry="geometry",
                            crs=frames.CRS)


def _area_counts(part: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> pd.DataFrame:
    """Incidents per admin-1 row position in one partition (the render module's point-in-area rule)."""
    from mapper.render import geo

    where = geo.locate(part.geometry, polygons)
    counts = pd.Series(where[where >= 0], dtype="int64").value_counts()
    return pd.DataFrame({"area": counts.index.to_numpy(dtype="int64"),
                         "incidents": counts.to_numpy(dtype="int64")})


@contextlib.contextmanager
def spill_folder(prefix: str = "incident-mapper-") -> Iterator[Path]:
    """A temporary folder for parts spilled during a run, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        yield Path(name)
