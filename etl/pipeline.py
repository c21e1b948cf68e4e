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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Engine, insert, update

from etl.config import Settings
from etl.db.engine import display_url, make_engine
from etl.db.migrate import ensure_schema
from etl.db.models import EtlRun
from etl.errors import EtlError, LoadError, ParseError
from etl.extract.files import extract_documents
from etl.load.loader import find_stored_articles, load_articles, record_rejections
from etl.records import ArticleRecord, RawDocument, Rejection
from etl.transform.article import parse_document

log = logging.getLogger(__name__)

PIPELINE_VERSION = "1"
"""Bump when transform output changes, so ``newsetl run`` redoes old articles."""

runs_t = EtlRun.__table__

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


class Pipeline:
    """One run of the ETL over ``settings.paths`` into ``settings.database_url``."""

    def __init__(self, settings: Settings, progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self.progress = progress or (lambda _n: None)
        self.report = RunReport(database=display_url(settings.database_url))
        self._nlp: Any = None

    def run(self) -> RunReport:
        started = time.perf_counter()
        engine = make_engine(self.settings.database_url)
        try:
            self.report.migrated = ensure_schema(engine, self.settings.database_url)
            self._start_run(engine)
            try:
                for batch in _batches(
                    extract_documents(self.settings.paths, self.settings.max_bytes), self.settings.batch_size
                ):
                    self._process_batch(engine, batch)
            except BaseException as exc:
                self.report.status = "failed"
                self.report.seconds = time.perf_counter() - started
                self._finish_run(engine, error=f"{type(exc).__name__}: {exc}")
                raise
            self.report.status = "succeeded"
            self.report.seconds = time.perf_counter() - started
            self._finish_run(engine)
        finally:
            engine.dispose()
        return self.report

    # -- the run record ---------------------------------------------------

    def _start_run(self, engine: Engine) -> None:
        arguments = {
            "paths": [str(p) for p in self.settings.paths],
            "reprocess": self.settings.reprocess,
            "strict": self.settings.strict,
            "batch_size": self.settings.batch_size,
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
            self.report.run_id = result.inserted_primary_key[0]

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

    def _annotate(self, articles: Sequence[ArticleRecord]) -> list[ArticleRecord]:
        if not self.settings.nlp or not articles:
            return list(articles)
        from etl.transform.nlp import annotate_articles, load_pipeline

        if self._nlp is None:
            self._nlp = load_pipeline(self.settings.spacy_model)
        return list(annotate_articles(articles, self._nlp))

    def _process_batch(self, engine: Engine, batch: Sequence[RawDocument | Rejection]) -> None:
        rejections = [item for item in batch if isinstance(item, Rejection)]
        for rejection in rejections:
            log.warning("rejected %s: %s", rejection.source_uri, rejection.reason)
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
        parsed = [_parse(document) for document in todo]
        articles = self._annotate([p for p in parsed if isinstance(p, ArticleRecord)])
        rejections += [p for p in parsed if isinstance(p, Rejection)]

        report = self.report
        report.seen += len(batch) - (sum(isinstance(d, RawDocument) for d in batch) - len(documents))
        report.unchanged += len(documents) - len(todo)
        report.rejected += len(rejections)
        report.rejections.extend({"source_uri": r.source_uri, "reason": r.reason} for r in rejections)
        now = datetime.now(UTC)
        try:
            with engine.begin() as connection:
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
            raise LoadError(
                f"loading a batch failed and was rolled back: {type(exc).__name__}: {exc}"
            ) from exc
        self.progress(len(batch))


def run_pipeline(settings: Settings, progress: ProgressCallback | None = None) -> RunReport:
    """Run the ETL once and return what it did.

    Raises:
        SchemaNotCurrent: the database is behind the code's migrations.
        LoadError: a batch could not be written (it was rolled back).
    """
    return Pipeline(settings, progress).run()
