"""The local and Dask engines write the same files, byte for byte, and survive a lost worker."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from mapper import pipeline, scale
from mapper.model import SkippedDocument
from mapper.pipeline import DocumentResult

pytestmark = pytest.mark.slow


def output_files(result: pipeline.Result, out: Path) -> dict[str, bytes]:
    """Every GeoJSON and CSV file the run writes, and report.json without timings."""
    written = result.to_files(out)
    files = {p.name: p.read_bytes() for p in written if p.suffix in (".geojson", ".csv")}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report.pop("timings")
    files["report.json"] = json.dumps(report, sort_keys=True).encode()
    return files


@pytest.fixture(scope="module")
def local_files(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    result = pipeline.run([corpus], jobs=1)
    assert result.report["documents"]["read"] > 0 and len(result.mentions) > 0
    return output_files(result, tmp_path_factory.mktemp("local1"))


def test_every_line_is_accounted_for(corpus: Path, local_files: dict[str, bytes]) -> None:
    report = json.loads(local_files["report.json"])
    lines = [n for n, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    assert report["documents"]["read"] + report["documents"]["skipped"] == len(lines)
    assert {s["path"].rsplit(":", 1)[1] for s in report["documents"]["skipped_files"]} == {"6", "18"}


def test_two_local_processes_write_the_same_files(corpus, local_files, tmp_path) -> None:
    assert output_files(pipeline.run([corpus], jobs=2), tmp_path) == local_files


def test_spilling_mentions_in_many_parts_changes_nothing(corpus, local_files, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline.Collector, "SPILL_MENTIONS", 7)
    assert output_files(pipeline.run([corpus], jobs=1), tmp_path) == local_files


def test_the_dask_engine_writes_the_same_files(corpus, local_files, cluster, tmp_path) -> None:
    result = pipeline.run([corpus], engine="dask", scheduler=cluster)
    assert output_files(result, tmp_path) == local_files


def test_a_local_cluster_is_made_on_localhost_when_no_scheduler_is_given() -> None:
    with scale.dask_client(workers=1) as client:
        assert client.scheduler is not None
        address = client.scheduler.address
        assert address is not None and address.startswith("tcp://127.0.0.1:")
        workers = client.scheduler_info()["workers"]
        assert len(workers) == 1
        assert all(addr.startswith("tcp://127.0.0.1:") for addr in workers)


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch) -> None:
    from mapper.errors import MapperError

    monkeypatch.setattr(scale, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(MapperError, match=r"cannot connect to the Dask scheduler at 'tcp://127.0.0.1:9'"):
        list(scale.process([], engine="dask", scheduler="tcp://127.0.0.1:9"))


def test_the_local_cluster_workers_run_without_the_statistical_profiler(cluster) -> None:
    from distributed import Client

    with Client(cluster) as client:
        profiling = client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
    assert list(profiling.values()) == [False, False]


def test_a_killed_worker_loses_no_document(items, cluster, monkeypatch) -> None:
    """Kill one worker process of the cluster mid-run: every document still comes back, right."""
    from distributed import Client

    monkeypatch.setattr(scale, "DASK_PARTITION_BATCHES", 1)  # many small tasks, some in flight
    expected = list(scale.process(items, jobs=1))
    outcomes = []
    with Client(cluster) as spectator:
        pids = spectator.run(os.getpid)
        stream = scale.process(items, engine="dask", scheduler=cluster, batch_size=2)
        outcomes.append(next(stream))
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        outcomes.extend(stream)
        assert victim not in spectator.run(os.getpid).values()
    assert outcomes == expected
    assert sum(isinstance(o, DocumentResult) for o in outcomes) == sum(
        not isinstance(i, SkippedDocument) for i in items)


def test_the_streamed_frames_equal_the_frames_built_in_memory(items, monkeypatch) -> None:
    """Spilled and read back in parts, mentions and places are what ``mapper.frames`` makes."""
    from geopandas.testing import assert_geodataframe_equal

    from mapper import frames

    monkeypatch.setattr(pipeline.Collector, "SPILL_MENTIONS", 50)
    outcomes = [o for o in scale.process(items) if isinstance(o, DocumentResult)]
    mentions = [m for o in outcomes for m in sorted(o.mentions, key=lambda m: (m.start, m.end))]
    from mapper.actors import ActorRegistry

    result = pipeline.assemble([i for i in items if not isinstance(i, SkippedDocument)],
                               [i for i in items if isinstance(i, SkippedDocument)], outcomes,
                               registry=ActorRegistry.default())
    expected = frames.mentions_frame(mentions)
    assert len(expected) > 50
    assert result.mentions.drop(columns="geometry").to_csv(index=False) == \
        expected.drop(columns="geometry").to_csv(index=False)
    assert result.mentions.geometry.equals(expected.geometry)
    assert_geodataframe_equal(result.places, frames.places_frame(mentions))
