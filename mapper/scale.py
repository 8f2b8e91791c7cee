"""Process documents in batches: in this process, in N local processes, or on a Dask cluster.

``process(items, ...)`` takes the stream of documents and skipped inputs and yields, for each
document, its ``DocumentResult`` (passing ``SkippedDocument`` through), in input order,
whichever engine runs it. The input is read lazily and only a bounded number of batches is
in flight, so memory does not grow with the corpus.

Every engine runs the same function, ``process_batch``, over lists of documents: a local
process pool calls it per batch; the Dask engine maps it over the partitions of a
``dask.bag``. Each process (pool worker or Dask worker) has one ``Extractor`` (the
gazetteer, the actor registry, the lexicons) for every batch: on Linux, local workers are
forked from a parent that has built it; Dask workers (local or remote) build their own.

What keeps the parent process (the serial part) light when workers do the extraction:
results come back as one ``pipeline.ResultBatch`` per batch (Arrow columns, not one object
per mention; ``process_batches``), and ``pipeline.run`` has the inputs read by a forked
reader process (``read_ahead``) that starts before the extractor is built.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from mapper.errors import InputError, MapperError
from mapper.model import Document, SkippedDocument
from mapper.pipeline import DocumentResult, Extractor, ResultBatch

if TYPE_CHECKING:
    from distributed import Client, LocalCluster
    from rich.progress import Progress

__all__ = [
    "BATCH_SIZE", "ENGINES", "dask_client", "estimate_documents", "extractor_for", "local_cluster",
    "process", "process_batch", "process_batches", "read_ahead",
]

Engine = Literal["local", "dask"]
ENGINES: tuple[str, ...] = ("local", "dask")
#: Documents per batch (one task of a process pool, one partition of a Dask bag).
BATCH_SIZE = 64
#: Batches per partition of a Dask bag (a Dask task): 4 x 64 documents. Each task costs the
#: scheduler, the client and the workers' event loops messages and bookkeeping; larger tasks
#: cut that cost (at 30,000 documents, ~15% less CPU than one batch per task).
DASK_PARTITION_BATCHES = 4
#: Batches in flight per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 3
#: How long to wait for a Dask scheduler given by address.
CONNECT_TIMEOUT = "20s"
#: Times Dask retries a batch whose task raised (lost workers are rescheduled by the scheduler).
RETRIES = 3
#: Read-ahead: batches the reader process may hold before the run takes them, and the
#: characters of text per batch (with at most ``BATCH_SIZE`` documents): at most 64 MiB.
READ_AHEAD_BATCHES = 512
READ_AHEAD_CHARS = 128 * 1024
#: How often the run checks, while it waits for the reader, that the reader is still alive.
READER_POLL_SECONDS = 1.0

Item = Document | SkippedDocument
T = TypeVar("T")
Outcome = DocumentResult | SkippedDocument

# One extractor per process and spaCy model, built on first use and kept.
_EXTRACTORS: dict[str | None, Extractor] = {}


def process(items: Iterable[Item], **options: Any) -> Iterator[Outcome]:
    """Yield a ``DocumentResult`` per document (and each ``SkippedDocument``), in input order.

    The options are those of ``process_batches``, whose batches this unpacks.
    """
    for batch in process_batches(items, **options):
        yield from batch.outcomes()


def process_batches(
    items: Iterable[Item],
    *,
    extractor: Extractor | None = None,
    jobs: int = 1,
    engine: Engine | str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    spacy_model: str | None = None,
    batch_size: int = BATCH_SIZE,
    total: int | None = None,
) -> Iterator[ResultBatch]:
    """Yield the outcomes of the documents as ``ResultBatch``es (columns), in input order.

    What ``pipeline.run`` collects: one compact object per batch of documents crosses from
    a worker to this process, not one per mention.

    ``engine="local"`` uses ``jobs`` processes, with ``extractor`` if given (else this
    process's own, see ``extractor_for``); ``engine="dask"`` uses the Dask scheduler at
    ``scheduler``, or a ``local_cluster`` of ``workers`` processes when no address is given.
    Documents travel in batches of ``batch_size``. ``progress`` shows a bar on stderr
    (documents/s and time left, ``total`` being the expected number of documents) when
    stderr is a terminal. A document whose extraction raises is yielded as a
    ``SkippedDocument`` with the error, so every input is accounted for.
    """
    if engine not in ENGINES:
        raise InputError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, got {jobs}")
    if workers is not None and workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    batches = _batches(items, batch_size)
    if engine == "local" and jobs > 1:
        # A single batch is done sooner here than by starting a pool for it.
        head = list(islice(batches, 2))
        jobs = jobs if len(head) > 1 else 1
        batches = chain(head, batches)
    with contextlib.ExitStack() as stack:
        # Start the workers before the progress bar's thread, so no thread runs during fork.
        if engine == "dask":
            client = stack.enter_context(dask_client(scheduler=scheduler, workers=workers,
                                                     spacy_model=spacy_model))
            stream = _dask_stream(batches, client=client, spacy_model=spacy_model)
        elif jobs == 1:
            stream = (_process_packed(batch, spacy_model=spacy_model, extractor=extractor)
                      for batch in batches)
        else:
            pool = stack.enter_context(_start_pool(jobs=jobs, extractor=extractor,
                                                   spacy_model=spacy_model))
            stream = _in_order(batches, lambda batch: pool.submit(
                _process_packed, batch, spacy_model=spacy_model), limit=jobs * IN_FLIGHT_PER_WORKER)
        advance = stack.enter_context(_progress_bar(progress, total))
        for batch in stream:
            yield batch
            advance(len(batch))


def process_batch(items: Sequence[Item], *, spacy_model: str | None = None,
                  extractor: Extractor | None = None) -> list[Outcome]:
    """Extract every document of ``items``; skipped inputs pass through, in order.

    The one function every engine runs, with ``extractor`` or this process's own. A
    document whose extraction raises becomes a ``SkippedDocument`` naming it and the error.
    """
    extractor = extractor or extractor_for(spacy_model)
    out: list[Outcome] = []
    for item in items:
        if isinstance(item, SkippedDocument):
            out.append(item)
            continue
        try:
            out.append(extractor.process(item))
        except Exception as exc:
            where = f"{item.source_path} ({item.doc_id})" if item.source_path else item.doc_id
            out.append(SkippedDocument(where, f"extraction failed: {type(exc).__name__}: {exc}"))
    return out


def _process_packed(items: Sequence[Item], *, spacy_model: str | None = None,
                    extractor: Extractor | None = None) -> ResultBatch:
    """``process_batch`` with its outcomes packed in columns, to send back cheaply."""
    return ResultBatch.pack(process_batch(items, spacy_model=spacy_model, extractor=extractor))


def extractor_for(spacy_model: str | None = None) -> Extractor:
    """This process's extractor for ``spacy_model``, built on first use and kept.

    Building one loads the gazetteer and the automata (seconds, hundreds of MB); every run
    and every batch in this process reuses it.
    """
    found = _EXTRACTORS.get(spacy_model)
    if found is None:
        found = _EXTRACTORS[spacy_model] = Extractor(spacy_model=spacy_model)
    return found


def _warm(spacy_model: str | None, extractor: Extractor | None = None) -> int:
    """Make this process's extractor now: ``extractor`` (inherited through fork) or a new one.

    Pool initializer and Dask worker warm-up; returns the process id.
    """
    if extractor is not None:
        _EXTRACTORS[spacy_model] = extractor
    extractor_for(spacy_model)
    return os.getpid()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# Reading ahead ---------------------------------------------------------------------------------

@contextlib.contextmanager
def read_ahead(read: Callable[[], Iterable[Item]]) -> Iterator[Iterator[Item]]:
    """Yield the items of ``read()``, which a forked reader process produces ahead of time.

    Reading (decoding, JSON, cleaning text) is a good part of the work per document; in its
    own process it runs while this one builds the extractor or starts a cluster, on a core
    that would otherwise idle, and no longer competes with collecting. The reader holds at
    most ``READ_AHEAD_BATCHES`` batches. An error raised by ``read()`` is raised here, where
    the item stream reaches it. Where ``fork`` does not exist, ``read()`` runs here, lazily.
    """
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - macOS/Windows
        yield iter(read())
        return
    context = multiprocessing.get_context("fork")
    queue: Any = context.Queue(maxsize=READ_AHEAD_BATCHES)
    reader = context.Process(target=_read_into, args=(read, queue), daemon=True,
                             name="incident-mapper-reader")
    reader.start()
    try:
        yield _drain(queue, reader)
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()
        queue.close()


def _read_into(read: Callable[[], Iterable[Item]], queue: Any) -> None:
    """The reader process: put ``read()``'s items on ``queue`` in batches, then an end mark.

    An exception ends the stream, after the items read before it, as ("error", exception),
    so the run raises it where the plain stream would have.
    """
    batch: list[Item] = []
    chars = 0
    try:
        for item in read():
            batch.append(item)
            chars += len(item.text) if isinstance(item, Document) else 0
            if len(batch) >= BATCH_SIZE or chars >= READ_AHEAD_CHARS:
                queue.put(("items", batch))
                batch, chars = [], 0
    except BaseException as exc:  # every failure is the run's to report
        # The class and its arguments, not the exception: libraries (tblib, via distributed)
        # change how exceptions pickle, and some then fail to unpickle.
        error: tuple[Any, ...] = (type(exc), exc.args, f"{type(exc).__name__}: {exc}")
        try:
            pickle.dumps(error)
        except Exception:
            error = (MapperError, (f"reading the inputs failed: {error[2]}",), error[2])
        end: tuple[str, Any] = ("error", error)
    else:
        end = ("end", None)
    if batch:
        queue.put(("items", batch))
    queue.put(end)


def _drain(queue: Any, reader: multiprocessing.process.BaseProcess) -> Iterator[Item]:
    """The items the reader puts on ``queue``, in order, until its end mark.

    A reader that dies without an end mark (killed, out of memory) is an error, not a hang.
    """
    while True:
        try:
            kind, value = queue.get(timeout=READER_POLL_SECONDS)
        except Empty:
            if reader.is_alive():
                continue
            try:  # it may have put its last batches just before it ended
                kind, value = queue.get(timeout=READER_POLL_SECONDS)
            except Empty:
                raise MapperError(f"the process reading the inputs ended unexpectedly "
                                  f"(exit code {reader.exitcode})") from None
        if kind == "end":
            return
        if kind == "error":
            raise _rebuilt(*value)
        yield from value


def _rebuilt(kind: type[BaseException], args: tuple[Any, ...], shown: str) -> BaseException:
    """The reader's exception, made again from its class and arguments (else a ``MapperError``)."""
    try:
        return kind(*args)
    except Exception:
        return MapperError(f"reading the inputs failed: {shown}")


# Local process pool ---------------------------------------------------------------------------

@contextlib.contextmanager
def _start_pool(*, jobs: int, extractor: Extractor | None, spacy_model: str | None
                ) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` processes, each with an extractor, started before this returns.

    Where ``fork`` exists the extractor is built once here and inherited by the workers (its
    memory stays shared while nobody writes to it; ``gc.freeze`` keeps the collector from
    touching it); elsewhere each worker builds its own.
    """
    context: multiprocessing.context.BaseContext
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        inherited: Extractor | None = extractor or extractor_for(spacy_model)
    else:  # pragma: no cover - macOS / Windows: the extractor cannot be inherited
        context, inherited = multiprocessing.get_context(), None
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm,
                                 initargs=(spacy_model, inherited)) as pool:
            pool.submit(os.getpid).result()  # with fork, every worker starts on the first task
            gc.unfreeze()
            yield pool
    finally:
        gc.unfreeze()


def _in_order(batches: Iterator[list[Item]], submit: Callable[[list[Item]], Future[ResultBatch]],
              *, limit: int) -> Iterator[ResultBatch]:
    """Submit batches keeping at most ``limit`` in flight; yield their results in order."""
    pending: deque[Future[ResultBatch]] = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# Dask -----------------------------------------------------------------------------------------

@contextlib.contextmanager
def dask_client(*, scheduler: str | None = None, workers: int | None = None,
                spacy_model: str | None = None) -> Iterator[Client]:
    """A ``distributed.Client`` on ``scheduler``, or on a new ``local_cluster`` of ``workers``."""
    from distributed import Client

    with _quiet_logger("distributed"):
        if scheduler:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise MapperError(
                    f"cannot connect to the Dask scheduler at {scheduler!r}: {exc}") from exc
            with client:
                yield client
            return
        with local_cluster(workers=workers, spacy_model=spacy_model) as cluster, \
                Client(cluster) as client:
            yield client


@contextlib.contextmanager
def local_cluster(*, workers: int | None = None, memory_limit: str | float = "auto",
                  spacy_model: str | None = None) -> Iterator[LocalCluster]:
    """A ``LocalCluster`` on 127.0.0.1: ``workers`` single-threaded processes (default: all cores).

    The workers are started with distributed's default ``spawn`` method and each builds its
    own extractor: forking them from a process whose Dask event loop (and, in a test run,
    other libraries' threads) already runs can leave a worker that never executes its tasks.
    No dashboard, and no statistical profiler in the workers (it samples the task's stack
    every 10 ms for the dashboard, ~3% of a worker's CPU time).
    """
    import dask
    from distributed import LocalCluster

    # The nannies hand this configuration to the worker processes they start.
    no_profiler = dask.config.set({"distributed.worker.profile.enabled": False})
    with _quiet_logger("distributed"), no_profiler, LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            host="127.0.0.1", dashboard_address=":0", scheduler_kwargs={"dashboard": False},
            memory_limit=memory_limit, silence_logs=logging.WARNING) as cluster:
        yield cluster


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """Only warnings and errors from logger ``name`` (Dask logs every worker start at INFO)."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def _dask_stream(batches: Iterator[list[Item]], *, client: Client, spacy_model: str | None
                 ) -> Iterator[ResultBatch]:
    """Map ``process_batch`` over ``dask.bag`` partitions on a cluster, results in input order.

    A partition is ``DASK_PARTITION_BATCHES`` batches; partitions are grouped into bags of one
    partition per worker; ``IN_FLIGHT_PER_WORKER`` partitions per worker stay in flight as
    futures, so that workers never wait for the next bag. Tasks are retried ``RETRIES`` times; the tasks of a worker that dies are rescheduled
    on the others. A batch that still fails (a worker without incident-mapper, a task that
    killed workers repeatedly) ends the run with a ``MapperError`` naming the cause.
    """
    try:
        client.run(_warm, spacy_model)
    except Exception as exc:
        raise _cluster_error(exc) from exc
    n_workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    limit = n_workers * IN_FLIGHT_PER_WORKER
    partitions = ([item for batch in run for item in batch]
                  for run in _batches(batches, DASK_PARTITION_BATCHES))
    pending: deque[Any] = deque()
    while group := list(islice(partitions, n_workers)):
        pending.extend(_submit_bag(client, group, spacy_model=spacy_model))
        while len(pending) > limit:
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(future: Any) -> ResultBatch:
    try:
        outcomes: ResultBatch = future.result()
    except Exception as exc:
        raise _cluster_error(exc) from exc
    return outcomes


def _cluster_error(exc: Exception) -> MapperError:
    return MapperError(f"the Dask cluster could not process the documents: {type(exc).__name__}: "
                       f"{exc} (the workers need incident-mapper installed; see docs/scale.md)")


def _submit_bag(client: Client, group: list[list[Item]], *, spacy_model: str | None) -> list[Any]:
    """Submit one bag (one partition per batch of ``group``); its futures in partition order.

    The bag is made from the batches under a fresh unique name: ``db.from_sequence`` would
    name it by hashing every document (``tokenize``), which at 100,000 documents cost the
    parent more CPU time than everything else it does for the cluster.
    """
    import dask.bag as db

    name = f"incident-mapper-documents-{uuid.uuid4().hex}"
    bag = db.Bag({(name, i): batch for i, batch in enumerate(group)}, name, len(group))
    processed = bag.map_partitions(_process_packed, spacy_model=spacy_model)
    return list(client.compute(processed.to_delayed(), retries=RETRIES))


# Progress -------------------------------------------------------------------------------------

@contextlib.contextmanager
def _progress_bar(enabled: bool, total: int | None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; with ``enabled`` and stderr on a terminal, it drives a rich bar."""
    progress = _make_progress() if enabled else None
    if progress is None:
        yield lambda n: None
        return
    task = progress.add_task("documents", total=total)
    with progress:
        yield lambda n: progress.advance(task, n)


def _make_progress() -> Progress | None:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Documents per second."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} docs/s" if speed else "- docs/s", style="progress.data.speed")

    console = Console(stderr=True)
    if not console.is_terminal:
        return None
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, refresh_per_second=4,
    )


def estimate_documents(paths: Iterable[Path]) -> int:
    """The number of documents under ``paths`` for the progress bar (JSON Lines: non-blank lines)."""
    count = 0
    for path in paths:
        if path.suffix.lower() == ".jsonl":
            with contextlib.suppress(OSError), path.open("rb") as fh:
                count += sum(1 for line in fh if line.strip())
        else:
            count += 1
    return count
