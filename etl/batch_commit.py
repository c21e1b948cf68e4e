"""One batch into the database, safe with other writers on the same database.

Several writers may load into one PostgreSQL or MariaDB at once: the Dask
workers of ``--load-on-workers``, or independent ``newsetl run`` processes on
overlapping inputs. Each batch stays one transaction; what makes it safe:

- shared rows (sources, contributors, entities, aliases) are inserted "if
  absent" in key order (:func:`etl.load.upsert.insert_missing`), so two
  writers never wait on each other in opposite orders;
- an article another writer (or an earlier attempt of the same batch, on a
  worker that died after its commit) has already stored with the same content
  and pipeline version is skipped, so a retried batch never doubles rows;
- a transaction that loses a race (deadlock, serialization failure, a unique
  key or foreign key another writer just took or removed) is rolled back and
  run again from the start (:func:`retry_transaction`): the second time it
  sees the other writer's committed rows;
- MariaDB/MySQL transactions run at READ COMMITTED, so a row another writer
  committed after this transaction began is visible to the SELECT that follows
  an "insert if absent" (at REPEATABLE READ it is not, and the link is lost);
- the corpus-wide entity resolution runs under a database-wide lock
  (:func:`corpus_lock`), one at a time, and is itself retried.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from etl.load.loader import StoredArticle, find_stored_articles, load_articles
from etl.records import ArticleRecord

log = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 6
"""Tries of one transaction that keeps losing races before the error is raised."""

_PG_RACES = {"40001", "40P01", "23505", "23503", "55P03"}
"""serialization failure, deadlock, unique violation, foreign key violation, lock not available."""

_MYSQL_RACES = {1213, 1205, 1062, 1452, 1451, 1020}
"""deadlock, lock wait timeout, duplicate key, FK child/parent, record changed since last read."""

LOCK_KEY = 0x6E657773
"""PostgreSQL advisory lock key ("news") taken by entity resolution."""

LOCK_NAME = "newsetl_resolve"
"""MariaDB/MySQL named lock taken by entity resolution."""


def is_race(exc: BaseException) -> bool:
    """Whether ``exc`` is a conflict with a concurrent writer that a fresh attempt can win."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    # MariaDB/MySQL first: PyMySQL also sets a generic ``sqlstate`` ("23000"), the error number says more.
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] in _MYSQL_RACES
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return str(sqlstate) in _PG_RACES
    # SQLite: another process holds the write lock past the busy timeout.
    return "database is locked" in str(orig)


def retry_transaction(attempt: Callable[[], T], what: str = "a batch") -> T:
    """Run ``attempt`` (one whole transaction) again while it loses races with other writers."""
    for tries in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except DBAPIError as exc:
            if tries == ATTEMPTS or not is_race(exc):
                raise
            pause = min(2.0, 0.05 * 2**tries) * (0.5 + random.random())
            first_line = (str(exc.orig).strip().splitlines() or [""])[0]
            log.info("%s lost a race with another writer (%s); retrying in %.2fs", what, first_line, pause)
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def writer_engine(engine: Engine) -> Engine:
    """``engine`` with the isolation level that concurrent "insert if absent, then select" needs."""
    if engine.dialect.name in ("mysql", "mariadb"):
        return engine.execution_options(isolation_level="READ COMMITTED")
    return engine


@contextmanager
def corpus_lock(connection: Connection) -> Iterator[None]:
    """Hold the database-wide lock of entity resolution while the block runs (in its transaction)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        yield
    elif dialect in ("mysql", "mariadb"):
        connection.execute(text("SELECT GET_LOCK(:n, 3600)"), {"n": LOCK_NAME})
        try:
            yield
        finally:
            connection.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": LOCK_NAME})
    else:  # SQLite: one writer at a time already.
        yield


def not_yet_loaded(
    articles: Sequence[ArticleRecord], stored: Mapping[str, StoredArticle], version: str, reprocess: bool
) -> list[ArticleRecord]:
    """The articles of a batch still to write, given what the database holds (looked up in the transaction).

    Since the batch was planned, another writer may have stored some of them,
    or an earlier attempt of this very batch may have committed before its
    worker died. One stored with the same content and version is left alone
    (unless ``reprocess``), so writing the same batch twice changes nothing.
    """
    return [
        a
        for a in articles
        if reprocess
        or a.document_key not in stored
        or stored[a.document_key].content_sha256 != a.content_sha256
        or stored[a.document_key].pipeline_version != version
    ]


@dataclass(frozen=True, slots=True)
class BatchWrite:
    """What writing one batch did."""

    new: int
    updated: int
    already_loaded: int
    """Articles that another writer (or an earlier attempt of this batch) had stored already."""
    clipped_names: int = 0
    """Names longer than their column, stored clipped."""


def write_batch(
    connection: Connection,
    articles: Sequence[ArticleRecord],
    version: str,
    now: datetime,
    reprocess: bool = False,
) -> BatchWrite:
    """Write one batch's articles inside the caller's transaction (see :func:`not_yet_loaded`)."""
    stored = find_stored_articles(connection, (a.document_key for a in articles))
    todo = not_yet_loaded(articles, stored, version, reprocess)
    stats = load_articles(connection, todo, stored, version, now)
    return BatchWrite(stats.new, stats.updated, len(articles) - len(todo), stats.clipped_names)
