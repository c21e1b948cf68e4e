"""discover -> extract -> transform -> load, in bounded batches, with a run record.

The only module that calls all three stages. Each batch is one database
transaction; documents whose content and pipeline version are unchanged are
skipped before any parsing or NLP.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Engine, insert, update

from etl.config import Settings
from etl.db.base import table_of
from etl.db.engine import display_url, make_engine
from etl.db.migrate import ensure_schema
from etl.db.models import EtlRun
from etl.errors import EtlError, LoadError, ParseError
from etl.extract.files import extract_documents
from etl.load.loader import find_stored_articles, load_articles, record_rejections
from etl.records import ArticleRecord, RawDocument, Rejection
from etl.transform.documents import parse_document

log = logging.getLogger(__name__)

PIPELINE_VERSION = "1"
"""Bump when transform output changes, so ``newsetl run`` redoes old articles."""

runs_t = table_of(EtlRun)

ProgressCallback = Callable[[int], None]


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
    seconds: float = 0.0
    rejections: list[dict[str, str]] = field(default_factory=list)

    @property
    def documents_per_second(self) -> float:
        return self.seen / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "documents_per_second": round(self.documents_per_second, 2)}


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _parse(document: RawDocument) -> ArticleRecord | Rejection:
    """Transform one document; any failure becomes a rejection, never a crash of the batch."""
    try:
        return parse_document(document)
    except ParseError as exc:
        reason = exc.reason
    except Exception as exc:  # a bug on odd input must not stop the run
        log.debug("transform failed for %s\n%s", document.source_uri, traceback.format_exc())
        reason = f"could not be parsed ({type(exc).__name__}: {exc})"
    log.warning("rejected %s: %s", document.source_uri, reason)
    return Rejection(document.source_uri, reason, "transform", document.document_key, document.content_sha256)


def transform_batch(
    documents: Sequence[RawDocument], nlp: bool, spacy_model: str | None
) -> list[ArticleRecord | Rejection]:
    """Parse and annotate a batch of documents: the work a transform worker does.

    Module-level and free of database state so it can run in a worker process;
    the spaCy model is loaded once per process (``load_pipeline`` is cached).
    """
    parsed = [_parse(document) for document in documents]
    articles = [p for p in parsed if isinstance(p, ArticleRecord)]
    rejections = [p for p in parsed if isinstance(p, Rejection)]
    if nlp and articles:
        from etl.transform.nlp.annotate import annotate_articles, load_pipeline

        articles = list(annotate_articles(articles, load_pipeline(spacy_model)))
    return [*articles, *rejections]


@dataclass(slots=True)
class _PlannedBatch:
    """A batch after the unchanged-document check, waiting for its transform."""

    size: int
    rejections: list[Rejection]
    todo: list[RawDocument]
    unchanged: int
    result: Future[list[ArticleRecord | Rejection]] | list[ArticleRecord | Rejection] | None = None

    def transformed(self) -> list[ArticleRecord | Rejection]:
        if isinstance(self.result, Future):
            return self.result.result()
        return self.result or []


class Pipeline:
    """One run of the ETL over ``settings.paths`` into ``settings.database_url``.

    With ``workers > 1`` the transform (parsing and spaCy) runs in a process
    pool while the main process reads input and loads results in order; at
    most ``2 * workers`` batches are in flight, so memory stays bounded.
    """

    def __init__(self, settings: Settings, progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self.progress = progress or (lambda _n: None)
        self.report = RunReport(database=display_url(settings.database_url))

    def run(self) -> RunReport:
        started = time.perf_counter()
        engine = make_engine(self.settings.database_url)
        pool = ProcessPoolExecutor(self.settings.workers) if self.settings.workers > 1 else None
        try:
            self.report.migrated = ensure_schema(engine, self.settings.database_url)
            self._start_run(engine)
            try:
                self._run_batches(engine, pool)
            except BaseException as exc:
                self.report.status = "failed"
                self.report.seconds = time.perf_counter() - started
                self._finish_run(engine, error=f"{type(exc).__name__}: {exc}")
                raise
            self.report.status = "succeeded"
            self.report.seconds = time.perf_counter() - started
            self._finish_run(engine)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            engine.dispose()
        return self.report

    def _run_batches(self, engine: Engine, pool: ProcessPoolExecutor | None) -> None:
        settings = self.settings
        pending: deque[_PlannedBatch] = deque()
        documents = extract_documents(settings.paths, settings.max_bytes)
        for batch in _batches(documents, settings.batch_size):
            planned = self._plan(engine, batch)
            if pool is None:
                planned.result = transform_batch(planned.todo, settings.nlp, settings.spacy_model)
            elif planned.todo:
                planned.result = pool.submit(
                    transform_batch, planned.todo, settings.nlp, settings.spacy_model
                )
            pending.append(planned)
            while len(pending) > 2 * max(settings.workers, 1) - 1:
                self._load(engine, pending.popleft())
        while pending:
            self._load(engine, pending.popleft())

    # -- the run record ---------------------------------------------------

    def _start_run(self, engine: Engine) -> None:
        arguments = {
            "paths": [str(p) for p in self.settings.paths],
            "reprocess": self.settings.reprocess,
            "strict": self.settings.strict,
            "batch_size": self.settings.batch_size,
            "workers": self.settings.workers,
            "nlp": self.settings.nlp,
        }
        with engine.begin() as connection:
            result = connection.execute(
                insert(runs_t).values(
                    started_at=datetime.now(UTC),
                    status="running",
                    arguments=json.dumps(arguments),
                    pipeline_version=PIPELINE_VERSION,
                    documents_seen=0,
                    documents_new=0,
                    documents_updated=0,
                    documents_unchanged=0,
                    documents_rejected=0,
                )
            )
            self.report.run_id = int(result.inserted_primary_key[0])  # type: ignore[index]

    def _counts(self) -> dict[str, int]:
        r = self.report
        return {
            "documents_seen": r.seen,
            "documents_new": r.new,
            "documents_updated": r.updated,
            "documents_unchanged": r.unchanged,
            "documents_rejected": r.rejected,
        }

    def _finish_run(self, engine: Engine, error: str | None = None) -> None:
        try:
            with engine.begin() as connection:
                connection.execute(
                    update(runs_t)
                    .where(runs_t.c.id == self.report.run_id)
                    .values(
                        status=self.report.status,
                        finished_at=datetime.now(UTC),
                        error=error,
                        **self._counts(),
                    )
                )
        except Exception:  # the database may be what failed; the original error matters more
            if error is None:
                raise
            log.error("could not record the failed run: %s", traceback.format_exc(limit=1))

    # -- batches ------------------------------------------------------------

    def _plan(self, engine: Engine, batch: Sequence[RawDocument | Rejection]) -> _PlannedBatch:
        """Split off rejections and unchanged documents, before any parsing or NLP."""
        rejections = [item for item in batch if isinstance(item, Rejection)]
        # The same document twice in a batch (a URL crawled twice): the later copy wins.
        documents = {d.document_key: d for d in batch if isinstance(d, RawDocument)}
        with engine.connect() as connection:
            stored = find_stored_articles(connection, documents)
        todo = [
            document
            for key, document in documents.items()
            if self.settings.reprocess
            or key not in stored
            or stored[key].content_sha256 != document.content_sha256
            or stored[key].pipeline_version != PIPELINE_VERSION
        ]
        return _PlannedBatch(len(rejections) + len(documents), rejections, todo, len(documents) - len(todo))

    def _load(self, engine: Engine, planned: _PlannedBatch) -> None:
        """Write one transformed batch and the run's running counts in one transaction."""
        results = planned.transformed()
        articles = [r for r in results if isinstance(r, ArticleRecord)]
        rejections = planned.rejections + [r for r in results if isinstance(r, Rejection)]
        for rejection in planned.rejections:
            log.warning("rejected %s: %s", rejection.source_uri, rejection.reason)
        report = self.report
        report.seen += planned.size
        report.unchanged += planned.unchanged
        report.rejected += len(rejections)
        report.rejections.extend({"source_uri": r.source_uri, "reason": r.reason} for r in rejections)
        now = datetime.now(UTC)
        try:
            with engine.begin() as connection:
                # Looked up again inside the transaction: an earlier batch in flight
                # may have loaded the same document since the plan was made.
                stored = find_stored_articles(connection, (a.document_key for a in articles))
                stats = load_articles(connection, articles, stored, PIPELINE_VERSION, now)
                record_rejections(connection, rejections, report.run_id or 0, now)
                report.new += stats.new
                report.updated += stats.updated
                connection.execute(
                    update(runs_t).where(runs_t.c.id == report.run_id).values(**self._counts())
                )
        except EtlError:
            raise
        except Exception as exc:
            # The driver's own message, first line only: SQLAlchemy's text repeats
            # the statement and every parameter (whole article bodies).
            cause = getattr(exc, "orig", None) or exc
            reason = (str(cause).strip().splitlines() or [""])[0]
            raise LoadError(
                f"loading a batch failed and was rolled back: {type(cause).__name__}: {reason}"
            ) from exc
        self.progress(planned.size)


def run_pipeline(settings: Settings, progress: ProgressCallback | None = None) -> RunReport:
    """Run the ETL once and return what it did.

    Raises:
        SchemaNotCurrent: the database is behind the code's migrations.
        LoadError: a batch could not be written (it was rolled back).
    """
    return Pipeline(settings, progress).run()
