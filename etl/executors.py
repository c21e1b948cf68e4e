"""Where a batch's transform (and, with ``--load-on-workers``, its load) runs.

Three executors behind one small interface, chosen by ``--executor``:

- ``local``: in this process (``--workers 1``) or a local process pool;
- ``dask-local``: a Dask ``LocalCluster`` of ``--workers`` processes started
  for the run;
- ``dask``: an existing Dask cluster at ``--scheduler tcp://HOST:8786``.

Discovery, the unchanged-document check and the run record stay on the
client. A work unit is a list of :class:`~etl.records.RawDocument` (the text
already read and split on the client, not paths): the client must read every
document anyway to hash it for the unchanged-document check, containers
(JSONL, WARC) are split there, and workers need no view of the client's files.
A batch's text is small next to the seconds of NLP it costs.

Each worker process loads the spaCy model once (``load_pipeline`` is cached
per process) and keeps one database engine per URL. A batch whose task fails
twice (an exception on a worker, or a worker that died under it) comes back
as :class:`BatchFailed`; the pipeline then records its documents in
``rejected_documents``. Errors of the installation or the database schema stop
the run instead: every batch would fail the same way.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from etl.batch_commit import retry_transaction, write_batch, writer_engine
from etl.config import EXECUTORS, Settings
from etl.db.engine import make_engine
from etl.errors import EtlError, SchemaNotCurrent
from etl.records import ArticleRecord, RawDocument, Rejection
from etl.transform.batch import MissingDependency, TransformResult, transform_batch

log = logging.getLogger(__name__)

DASK_HINT = "install it with `pip install 'newsetl[dask]'` (dask and distributed)"


class ExecutorError(EtlError):
    """The executor asked for cannot run: a missing extra, a bad combination of options."""


class BatchFailed(Exception):
    """A batch's task failed on the workers every time it was tried; its documents are rejected."""


FATAL = (MissingDependency, SchemaNotCurrent, ExecutorError)
"""Failures of the installation or the database, not of a batch's data: they stop the run."""


# -- on the worker ---------------------------------------------------------

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _worker_engine(url: str) -> Engine:
    """One engine (a small pool) per database URL per worker process."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = writer_engine(make_engine(url))
        return engine


@dataclass(frozen=True, slots=True)
class WorkerLoad:
    """What a worker did with a batch it transformed and loaded itself."""

    new: int
    updated: int
    already_loaded: int
    articles: int
    words: int
    rejections: list[Rejection] = field(default_factory=list)
    """Not written by the worker: the client records them with the run's counts."""


def transform_and_load(
    documents: Sequence[RawDocument],
    nlp: bool,
    spacy_model: str | None,
    database_url: str,
    version: str,
    reprocess: bool,
) -> WorkerLoad:
    """The work unit of ``--load-on-workers``: transform a batch and write it in one transaction.

    Idempotent: a second attempt (after a worker died past its commit) finds
    the articles stored with the same content and version and writes nothing.
    """
    results = transform_batch(documents, nlp, spacy_model)
    articles = [r for r in results if isinstance(r, ArticleRecord)]
    engine = _worker_engine(database_url)
    now = datetime.now(UTC)

    def attempt() -> Any:
        with engine.begin() as connection:
            return write_batch(connection, articles, version, now, reprocess)

    written = retry_transaction(attempt)
    return WorkerLoad(
        written.new,
        written.updated,
        written.already_loaded,
        len(articles),
        sum(a.word_count for a in articles),
        [r for r in results if isinstance(r, Rejection)],
    )


def _exit_with_parent(interval: float = 1.0) -> None:
    """Process-pool initializer: end this worker soon after its parent dies.

    A pool worker otherwise waits on its task queue forever once the client
    is killed (SIGKILL runs no cleanup), keeping a spaCy model in memory.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="newsetl-parent-watch", daemon=True).start()


# -- on the client ---------------------------------------------------------


class BatchExecutor:
    """Runs work units; ``in_flight`` bounds how many batches are out at once."""

    in_flight: int = 1
    remote: bool = True
    """False for the in-process executor (progress is told per document there)."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        raise NotImplementedError

    def collect(self, handle: Any) -> Any:
        """The result of a submitted unit; :class:`BatchFailed` when it failed for good."""
        return handle.result()

    def close(self) -> None:
        """Stop the workers (and a cluster the executor started)."""


class InlineExecutor(BatchExecutor):
    remote = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future


@dataclass(slots=True)
class _PoolTask:
    """A work unit on the process pool, kept so it can be tried again."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    future: Future[Any]
    tries: int = 1


class ProcessPool(BatchExecutor):
    """``--workers N`` on this machine: a process pool whose workers die with the client.

    As on Dask, a unit is tried twice. A worker killed under its unit breaks the
    whole pool (the standard library then stops every worker), so the pool is
    replaced and every unit that was out on it is submitted again, once.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = self._start()
        self.in_flight = 2 * workers

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, initializer=_exit_with_parent)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return _PoolTask(fn, args, self._submit(fn, args))

    def _submit(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        try:
            return self.pool.submit(fn, *args)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start()
            return self.pool.submit(fn, *args)

    def collect(self, handle: Any) -> Any:
        task: _PoolTask = handle
        while True:
            try:
                return task.future.result()
            except FATAL:
                raise
            except Exception as exc:
                if task.tries >= 2:
                    first_line = (str(exc).strip().splitlines() or [""])[0]
                    raise BatchFailed(f"{type(exc).__name__}: {first_line}") from exc
                log.warning("trying a batch again after %s", type(exc).__name__)
                task.tries += 1
                task.future = self._submit(task.fn, task.args)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


LOCAL_CLUSTER_CONFIG = {
    # A task is retried once, whether its worker raised or died under it.
    "distributed.scheduler.allowed-failures": 1,
    # Dask's statistical profiler samples the task thread every 10 ms; against spaCy's
    # deep call stacks that cost ~15% of a worker's CPU (benchmarks/scale.py).
    "distributed.worker.profile.enabled": False,
    # Event-loop health checks (every 20 ms) and the system monitor (every 500 ms) on the
    # scheduler, each nanny and each worker: a third of the cluster's background CPU.
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
}
"""Dask settings of the ``dask-local`` cluster (docs/scale-out.md gives them for a real cluster)."""


class DaskExecutor(BatchExecutor):
    """Batches as tasks on a Dask cluster: an existing one, or a LocalCluster of ``workers`` processes."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        try:
            dask: Any = importlib.import_module("dask")
            distributed: Any = importlib.import_module("distributed")
        except ImportError as exc:
            raise ExecutorError(f"the Dask executors need dask: {DASK_HINT}") from exc
        self.cluster: Any = None
        if scheduler is None:
            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                self.cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.WARNING,
                )
            self.client = distributed.Client(self.cluster)
        else:
            self.client = distributed.Client(scheduler, timeout="30s")
        threads = sum(self.client.nthreads().values()) or workers
        self.in_flight = max(2, 2 * threads)
        self._count = 0

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        self._count += 1
        return self.client.submit(fn, *args, pure=False, retries=1)

    def collect(self, handle: Any) -> Any:
        try:
            return handle.result()
        except FATAL:
            raise
        except Exception as exc:
            first_line = (str(exc).strip().splitlines() or [""])[0]
            raise BatchFailed(f"{type(exc).__name__}: {first_line}") from exc
        finally:
            handle.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_settings(settings: Settings) -> None:
    """Refuse combinations that cannot work, with the reason, before anything starts."""
    if settings.executor not in EXECUTORS:
        raise ExecutorError(f"unknown executor {settings.executor!r} (one of {', '.join(EXECUTORS)})")
    if settings.executor == "dask" and not settings.scheduler:
        raise ExecutorError("--executor dask needs --scheduler tcp://HOST:8786 (or use dask-local)")
    if settings.scheduler and settings.executor != "dask":
        raise ExecutorError("--scheduler is for --executor dask")
    if settings.load_on_workers and settings.database_url.startswith("sqlite"):
        raise ExecutorError(
            "--load-on-workers needs PostgreSQL or MariaDB/MySQL: SQLite takes one writer at a time "
            "and its file is on the client's disk, so load from the client (leave the option out)"
        )


def make_executor(settings: Settings) -> BatchExecutor:
    check_settings(settings)
    if settings.executor == "dask":
        return DaskExecutor(settings.scheduler, settings.workers)
    if settings.executor == "dask-local":
        return DaskExecutor(None, settings.workers)
    return ProcessPool(settings.workers) if settings.workers > 1 else InlineExecutor()


def rejected_batch(documents: Sequence[RawDocument], reason: str) -> list[TransformResult]:
    """The documents of a batch that failed on every try, as rejections (nothing is silently lost)."""
    return [
        Rejection(
            d.source_uri,
            f"its batch failed twice on the workers ({reason})",
            "transform",
            d.document_key,
            d.content_sha256,
        )
        for d in documents
    ]
