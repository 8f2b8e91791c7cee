"""GeoParquet partitions: readable by geopandas and dask-geopandas, same rows, stable types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import dask_geopandas
import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import frames, partitions, pipeline
from mapper.errors import InputError
from mapper.model import PlaceMention

# dask's parquet reader calls GeoDataFrame.reset_index(inplace=True), deprecated in pandas 3.1.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def result(corpus: Path) -> pipeline.Result:
    found = pipeline.run([corpus], jobs=1)
    assert len(found.mentions) and len(found.places) and len(found.incidents)
    return found


@pytest.mark.parametrize("layer", ["incidents", "places", "mentions"])
def test_a_partitioned_layer_reads_back_whole_with_both_readers(result, layer, tmp_path) -> None:
    frame = getattr(result, layer)
    rows = max(1, len(frame) // 3)
    folder = partitions.write_partitioned(frame, tmp_path / f"{layer}.parquet", rows=rows)
    assert len(partitions.part_files(folder)) == -(-len(frame) // rows)
    expected = partitions.conform(frame)
    back = gpd.read_parquet(folder)
    assert_geodataframe_equal(back, expected)
    assert back.crs.to_epsg() == 4326
    lazy = dask_geopandas.read_parquet(folder)
    assert lazy.npartitions == len(partitions.part_files(folder))
    assert_geodataframe_equal(lazy.compute().reset_index(drop=True), expected)


def test_an_empty_layer_is_one_readable_part_with_every_column(tmp_path) -> None:
    empty = frames.incidents_frame([])
    folder = partitions.write_partitioned(empty, tmp_path / "incidents.parquet")
    assert [p.name for p in partitions.part_files(folder)] == ["part-00000.parquet"]
    back = gpd.read_parquet(folder)
    assert list(back.columns) == [*frames.INCIDENT_COLUMNS, "geometry"]
    assert len(back) == 0 and back.crs.to_epsg() == 4326
    assert len(dask_geopandas.read_parquet(folder).compute()) == 0


def test_rewriting_replaces_the_folder_and_leaves_nothing_behind(result, tmp_path) -> None:
    target = tmp_path / "places.parquet"
    partitions.write_partitioned(result.places, target, rows=2)
    partitions.write_partitioned(result.places.iloc[:1], target)
    assert len(gpd.read_parquet(target)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.parquet"]


def test_bad_targets_are_refused(result, tmp_path) -> None:
    with pytest.raises(InputError, match="rows per part must be at least 1, got 0"):
        partitions.write_partitioned(result.places, tmp_path / "p", rows=0)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is not a folder"):
        partitions.write_partitioned(result.places, tmp_path / "file")
    with pytest.raises(InputError, match="no part-"):
        partitions.read_partitions(tmp_path)


_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable as UTF-8
_text = st.text(st.characters(codec="utf-8", exclude_categories=_SURROGATES), max_size=12)
_mention = st.builds(
    PlaceMention, doc_id=_text, start=st.integers(0, 10**6), end=st.integers(0, 10**6), text=_text,
    status=st.sampled_from(["resolved", "unresolved", "ambiguous", "ignored"]),
    place_id=st.none() | _text, name=st.none() | _text, country_code=st.none() | st.sampled_from(["IQ", "SY"]),
    lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
    score=st.none() | st.floats(0, 1), reason=_text,
)


@settings(max_examples=20, deadline=None)
@given(mentions=st.lists(_mention, max_size=20), chunk=st.integers(1, 7))
def test_mentions_written_in_any_chunks_read_back_the_same(mentions, chunk, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("parts") / "mentions"
    with partitions.PartWriter(folder, template=frames.mentions_frame([])) as writer:
        for begin in range(0, len(mentions), chunk):
            writer.write(frames.mentions_frame(mentions[begin:begin + chunk]))
    assert writer.rows == len(mentions)
    back = partitions.read_partitions(folder)
    assert_geodataframe_equal(back, partitions.conform(frames.mentions_frame(mentions)))


def test_format_parquet_writes_the_layers_as_partitioned_folders(tmp_path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("Rockets struck Al Asad Air Base in Anbar province on Thursday, officials in "
                   "Baghdad said.\n", encoding="utf-8")
    result = pipeline.run([doc], published=dt.date(2024, 1, 5), jobs=1)
    result.to_files(tmp_path / "out", formats=("parquet",))
    mentions = gpd.read_parquet(tmp_path / "out" / "mentions.parquet")
    assert {"Anbar", "Baghdad"} <= {t.removesuffix(" province") for t in mentions["text"]}
    for layer in ("incidents", "places", "mentions"):
        folder = tmp_path / "out" / f"{layer}.parquet"
        assert_geodataframe_equal(gpd.read_parquet(folder), partitions.conform(getattr(result, layer)))
        assert_geodataframe_equal(dask_geopandas.read_parquet(folder).compute().reset_index(drop=True),
                                  gpd.read_parquet(folder))


def test_admin1_counts_over_partitions_match_the_whole_layer(result, tmp_path) -> None:
    from mapper.render.geo import admin1_counts

    located = result.incidents[result.incidents.geometry.notna()]
    assert len(located) > 0
    folder = partitions.write_partitioned(result.incidents, tmp_path / "incidents.parquet",
                                          rows=max(1, len(result.incidents) // 4))
    expected = admin1_counts(result.incidents)
    assert expected["incidents"].sum() > 0
    assert_geodataframe_equal(partitions.admin1_counts(folder), expected)
