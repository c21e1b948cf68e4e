"""discover -> extract -> transform -> load, in bounded batches, with a run record.

The only module that calls all three stages (the CLI comes here, never to a
stage). Each batch is one database transaction; documents whose content and
pipeline version are unchanged are skipped before any parsing or NLP. The
``etl_runs`` row is written by ``etl.load.runs``; this module only says what
happened, and its report counts a batch once that batch has committed.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from etl.batch_commit import BatchWrite, corpus_lock, retry_transaction, write_batch, writer_engine
from etl.batch_plan import BatchPlanner, PlannedBatch, plan_windows
from etl.config import Settings
from etl.db.engine import display_url, is_transient, make_engine, split_oversized
from etl.db.maintenance import refresh_statistics
from etl.db.migrate import ensure_schema
from etl.errors import EtlError, LoadError
from etl.executors import (
    BatchExecutor,
    BatchFailed,
    WorkerLoad,
    make_executor,
    rejected_batch,
    transform_and_load,
)
from etl.extract.discovery import count_documents as count_documents
from etl.extract.files import extract_documents
from etl.file_stamps import FileStamps
from etl.heap import releasing_between
from etl.load.loader import record_rejections
from etl.load.pending import resolve_if_changed
from etl.load.runs import RunCounts, finish_run, record_counts, start_run
from etl.records import ArticleRecord, Rejection
from etl.transform.batch import TransformResult, transform_batch, transform_documents
from etl.transform.contract import article_to_contract
from etl.transform.nlp.gate import is_english

log = logging.getLogger(__name__)

PIPELINE_VERSION = "4"
"""Bump when transform output changes, so ``newsetl run`` redoes old articles."""

PLAN_WINDOW = 10
"""Batches read ahead and checked against the database in one lookup (see ``BatchPlanner.plan``)."""

NLP_SUFFIX = {True: "+nlp", False: "-nlp"}
"""Stored after the version on each article: what it was processed with (``1+nlp``)."""


def processed_with(nlp: bool) -> str:
    """The ``pipeline_version`` stored on an article: the version plus whether NLP ran."""
    return PIPELINE_VERSION + NLP_SUFFIX[nlp]


def is_current(stored_version: str, nlp: bool) -> bool:
    """Whether an article stored with ``stored_version`` needs no work for a run with ``nlp``.

    A document processed without NLP is out of date when NLP is asked for now;
    one processed with NLP stays current for a ``--no-nlp`` run (its entities
    and quotes are kept, not thrown away). A version without a suffix (before
    the suffix existed) counts as processed without NLP.
    """
    if stored_version == processed_with(True):
        return True
    return not nlp and stored_version in (processed_with(False), PIPELINE_VERSION)


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """Documents just accounted for, told to the progress callback as they happen.

    ``documents`` moves a progress bar on. Of them, ``transformed`` went
    through transform (parsed, and annotated when NLP is on; the basis of a
    docs/s rate), ``unchanged`` were skipped without work, and ``rejected``
    could not be read or parsed. Not yet committed: the run report says what was.
    """

    documents: int = 0
    transformed: int = 0
    unchanged: int = 0
    rejected: int = 0
    words: int = 0


ProgressCallback = Callable[[ProgressUpdate], None]


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run, after the run record was closed; carries what was committed."""

    def __init__(self, report: RunReport) -> None:
        super().__init__(f"interrupted after {report.seen} documents committed")
        self.report = report


def absolute_paths(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The input paths made absolute, so ``source_uri`` is the same whatever the working directory."""
    return tuple(Path(p).expanduser().resolve() for p in paths)


@dataclass(slots=True)
class RunReport:
    """What a run did; printed by the CLI and stored in ``etl_runs``."""

    database: str
    run_id: int | None = None
    status: str = "running"
    migrated: bool = False
    seen: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    clipped_names: int = 0
    not_english: int = 0
    """Articles loaded without entities or quotes because they are not in English."""
    seconds: float = 0.0
    rejections: list[dict[str, str]] = field(default_factory=list)

    @property
    def documents_per_second(self) -> float:
        return self.seen / self.seconds if self.seconds else 0.0

    def counts(self) -> RunCounts:
        return RunCounts(self.seen, self.new, self.updated, self.unchanged, self.rejected)

    def take_counts(self, counts: RunCounts) -> None:
        """Adopt the counts of a committed batch (never before its commit)."""
        self.seen, self.new, self.updated = counts.seen, counts.new, counts.updated
        self.unchanged, self.rejected = counts.unchanged, counts.rejected

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "documents_per_second": round(self.documents_per_second, 2)}


class Pipeline:
    """One run of the ETL over ``settings.paths`` into ``settings.database_url``.

    With ``workers > 1`` the transform (parsing and spaCy) runs in a process
    pool, or on Dask workers (``etl.executors``), while the main process reads
    input and loads results in order; at most ``2 * workers`` batches are in
    flight, so memory stays bounded. With ``load_on_workers`` the workers (pool
    or Dask) also write their batches; this process records the counts and,
    after the last batch, resolves entities once for the whole corpus.
    """

    def __init__(self, settings: Settings, progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self.progress = progress or (lambda _update: None)
        self.report = RunReport(database=display_url(settings.database_url))
        self.paths = absolute_paths(settings.paths)
        self.stamps = FileStamps(processed_with(settings.nlp), self._is_current, not settings.reprocess)
        self.planner = BatchPlanner(
            settings.batch_size,
            settings.reprocess,
            self._is_current,
            lambda: self.stamps.disable("a document key was met twice"),
        )

    def _is_current(self, stored_version: str) -> bool:
        return is_current(stored_version, self.settings.nlp)

    def run(self) -> RunReport:
        started = time.perf_counter()
        base_engine = make_engine(self.settings.database_url)
        engine = writer_engine(base_engine)
        executor: BatchExecutor | None = None
        try:
            executor = make_executor(self.settings)
            self.report.migrated = ensure_schema(base_engine, self.settings.database_url)
            self._start_run(engine)
            try:
                self._run_batches(engine, executor)
                # Corpus-wide: which row each article's entity joins is decided from the
                # whole database, never from how this run's input was cut into batches;
                # one resolution at a time when several runs share the database.
                # Skipped when no batch of any run wrote an article since the last resolution.
                retry_transaction(lambda: self._resolve(engine), "entity resolution")
                # Only now: a failed or interrupted run leaves its stamps unconfirmed (unused).
                self.stamps.finish(engine, self._run_id)
                if self.report.new or self.report.updated:
                    # Planner statistics after a bulk load: BI queries on fresh tables otherwise crawl.
                    refresh_statistics(engine)
            except KeyboardInterrupt as exc:
                self.report.status = "failed"
                self.report.seconds = time.perf_counter() - started
                self._finish_run(
                    engine,
                    error=f"interrupted (Ctrl-C) after {self.report.seen} documents committed; "
                    "run again to finish",
                )
                raise RunInterrupted(self.report) from exc
            except BaseException as exc:
                self.report.status = "failed"
                self.report.seconds = time.perf_counter() - started
                self._finish_run(engine, error=f"{type(exc).__name__}: {exc}")
                raise
            self.report.status = "succeeded"
            self.report.seconds = time.perf_counter() - started
            self._finish_run(engine)
        finally:
            if executor is not None:
                executor.close()
            base_engine.dispose()
        return self.report

    def _resolve(self, engine: Engine) -> None:
        with engine.begin() as connection, corpus_lock(connection):
            resolve_if_changed(connection, force=self.settings.reprocess)

    def _run_batches(self, engine: Engine, executor: BatchExecutor) -> None:
        settings = self.settings
        pending: deque[PlannedBatch] = deque()
        documents = self.stamps.documents(engine, self.paths, settings.max_bytes)
        # Each window's texts and records are freed by the next: their pages go back to the OS.
        windows = releasing_between(plan_windows(documents, settings.batch_size * PLAN_WINDOW))
        for planned in (p for window in windows for p in self.planner.plan(engine, window)):
            skipped = planned.unchanged + len(planned.rejections)
            if skipped:
                self.progress(
                    ProgressUpdate(skipped, unchanged=planned.unchanged, rejected=len(planned.rejections))
                )
            if not executor.remote:
                # In-process: tell progress about each document as it comes out of transform.
                planned.result = [
                    self._transformed(result)
                    for result in transform_documents(planned.todo, settings.nlp, settings.spacy_model)
                ]
            elif planned.todo:
                planned.remote = True
                if settings.load_on_workers:
                    planned.result = executor.submit(
                        transform_and_load,
                        planned.todo,
                        settings.nlp,
                        settings.spacy_model,
                        settings.database_url,
                        processed_with(settings.nlp),
                        settings.reprocess,
                    )
                else:
                    planned.result = executor.submit(
                        transform_batch, planned.todo, settings.nlp, settings.spacy_model
                    )
            pending.append(planned)
            # In-process, a batch is committed as soon as it is transformed (nothing runs
            # alongside it; Ctrl-C then loses at most the batch in hand).
            in_flight = executor.in_flight - 1 if executor.remote else 0
            while len(pending) > in_flight:
                self._load(engine, self._collect(executor, pending.popleft()))
        while pending:
            self._load(engine, self._collect(executor, pending.popleft()))

    @staticmethod
    def _collect(executor: BatchExecutor, planned: PlannedBatch) -> PlannedBatch:
        """Wait for a batch's results; a batch that failed on every try comes back as rejections."""
        if planned.remote:
            try:
                planned.result = executor.collect(planned.result)
            except BatchFailed as exc:
                log.warning("a batch of %d documents failed twice: %s", len(planned.todo), exc)
                planned.result = rejected_batch(planned.todo, str(exc))
        return planned

    def _transformed(self, result: TransformResult) -> TransformResult:
        if isinstance(result, Rejection):
            self.progress(ProgressUpdate(1, transformed=1, rejected=1))
        else:
            self.progress(ProgressUpdate(1, transformed=1, words=result.word_count))
        return result

    # -- the run record ---------------------------------------------------

    def _start_run(self, engine: Engine) -> None:
        arguments = {
            "paths": [str(p) for p in self.paths],
            "reprocess": self.settings.reprocess,
            "strict": self.settings.strict,
            "batch_size": self.settings.batch_size,
            "workers": self.settings.workers,
            "nlp": self.settings.nlp,
            "executor": self.settings.executor,
            "load_on_workers": self.settings.load_on_workers,
        }
        self.report.run_id = start_run(engine, arguments, PIPELINE_VERSION)

    def _finish_run(self, engine: Engine, error: str | None = None) -> None:
        finish_run(engine, self._run_id, self.report.status, self.report.counts(), error)

    @property
    def _run_id(self) -> int:
        if self.report.run_id is None:
            raise RuntimeError("the run record was not started")
        return self.report.run_id

    # -- batches ------------------------------------------------------------

    def _load(self, engine: Engine, planned: PlannedBatch) -> None:
        """Write one transformed batch and the run's new counts in one transaction.

        The report takes the new counts only once the transaction has
        committed, so a batch that is rolled back is counted nowhere.
        """
        loaded = planned.result if isinstance(planned.result, WorkerLoad) else None
        results: list[TransformResult] = [] if loaded else list(planned.result or [])
        articles = [r for r in results if isinstance(r, ArticleRecord)]
        rejections = planned.rejections + [r for r in results if isinstance(r, Rejection)]
        if loaded:
            rejections += loaded.rejections
        if not (loaded or articles or rejections):
            # All unchanged: no transaction. The counts reach etl_runs with the next batch
            # that commits, or when the run is closed.
            self.report.take_counts(
                self.report.counts() + RunCounts(planned.size, unchanged=planned.unchanged)
            )
            self.stamps.committed(engine, planned.files, self._run_id)
            return
        for rejection in rejections:
            # INFO, not WARNING: the run report lists rejections; a warning too printed each one twice.
            log.info("rejected %s: %s", rejection.source_uri, rejection.reason)
        report = self.report
        now = datetime.now(UTC)

        def attempt() -> tuple[RunCounts, int, list[Rejection]]:
            with engine.begin() as connection:
                too_big: list[Rejection] = []
                if loaded:  # written by a worker (--load-on-workers)
                    written: BatchWrite | WorkerLoad = loaded
                    clipped = 0
                else:
                    # Looked up again inside the transaction: another writer may have
                    # stored some of these articles since the plan was made.
                    fitting, too_big = split_oversized(connection, articles)
                    written = write_batch(
                        connection, fitting, processed_with(self.settings.nlp), now, self.settings.reprocess
                    )
                    clipped = written.clipped_names
                record_rejections(connection, rejections + too_big, self._run_id, now)
                counts = report.counts() + RunCounts(
                    seen=planned.size,
                    new=written.new,
                    updated=written.updated,
                    unchanged=planned.unchanged + written.already_loaded,
                    rejected=len(rejections) + len(too_big),
                )
                record_counts(connection, self._run_id, counts)
            return counts, clipped, too_big

        for round_ in (1, 2):
            try:
                # Races with other writers are retried inside; a dropped connection once here.
                counts, clipped, too_big = retry_transaction(attempt)
                break
            except EtlError:
                raise
            except Exception as exc:
                if round_ == 1 and is_transient(exc):
                    # The transaction was rolled back whole: doing it again cannot add twice.
                    log.warning(
                        "retrying a batch once after a transient database error: %s", _first_line(exc)
                    )
                    engine.dispose()
                    continue
                # The driver's own message, first line only: SQLAlchemy's text repeats
                # the statement and every parameter (whole article bodies).
                cause = getattr(exc, "orig", None) or exc
                raise LoadError(
                    f"loading a batch failed and was rolled back: {type(cause).__name__}: {_first_line(exc)}"
                ) from exc
        report.take_counts(counts)
        report.clipped_names += clipped
        if self.settings.nlp:
            report.not_english += sum(not is_english(a.language) for a in articles)
        rejections += too_big
        self.stamps.rejected(rejections)
        self.stamps.committed(engine, planned.files, self._run_id)
        report.rejections.extend({"source_uri": r.source_uri, "reason": r.reason} for r in rejections)
        if planned.remote:
            # From a worker process: progress hears of the batch once it is back.
            done = len(planned.todo)
            stored = loaded.articles if loaded else len(articles)
            words = loaded.words if loaded else sum(a.word_count for a in articles)
            self.progress(ProgressUpdate(done, transformed=done, rejected=done - stored, words=words))


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [""])[0]


def run_pipeline(settings: Settings, progress: ProgressCallback | None = None) -> RunReport:
    """Run the ETL once and return what it did.

    Raises:
        SchemaNotCurrent: the database is behind the code's migrations.
        LoadError: a batch could not be written (it was rolled back).
    """
    return Pipeline(settings, progress).run()


def extract_articles(
    paths: Iterable[Path], max_bytes: int, nlp: bool, spacy_model: str | None
) -> Iterator[TransformResult]:
    """Extract and transform ``paths`` without a database, streaming.

    The same transform and the same error rules as a run: every document that
    cannot be read or parsed comes out as a ``Rejection`` in its place.
    """
    return transform_documents(extract_documents(absolute_paths(paths), max_bytes), nlp, spacy_model)


def extract_contract(
    paths: Iterable[Path], max_bytes: int, nlp: bool, spacy_model: str | None
) -> Iterator[dict[str, Any] | Rejection]:
    """What ``newsetl extract --json`` prints: each article as the data contract (DESIGN.md)."""
    for item in extract_articles(paths, max_bytes, nlp, spacy_model):
        yield item if isinstance(item, Rejection) else article_to_contract(item)
