"""The ``file_stamps`` table: input files a successful run read whole.

:func:`find_stamps` looks a window of paths up (one query on PostgreSQL, one per chunk elsewhere);
:func:`write_stamps` replaces the stamps of the given paths in bulk with
provisional ones tied to a run, which :func:`confirm_stamps` makes usable once
that run has succeeded (or :func:`discard_stamps` deletes). Which file may be
stamped, and when, is decided by :mod:`etl.file_stamps`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, text, update

from etl.db.base import table_of
from etl.db.models import FileStamp
from etl.load.upsert import chunks, insert_missing

stamps_t = table_of(FileStamp)

_PG_LOOKUP = text(
    """
    SELECT wanted.position, stamp.size, stamp.mtime_ns, stamp.pipeline_version, stamp.documents
    FROM unnest(string_to_array(:hashes, ',')) WITH ORDINALITY AS wanted (path_sha256, position)
    CROSS JOIN LATERAL (
        SELECT size, mtime_ns, pipeline_version, documents FROM file_stamps
        WHERE file_stamps.path_sha256 = wanted.path_sha256 AND pending_run_id IS NULL
        LIMIT 1
    ) AS stamp
    """
)
"""Confirmed stamps of a window of paths, by position in the window.

The digests go as one comma-joined text (a hex digest holds no comma): as a text
array, psycopg checked each element for quoting, a sixth of an unchanged re-run's
client CPU. ``LIMIT 1`` keeps each path one primary-key probe: ``= ANY(...)`` was
planned as a scan of the whole table for every window.
"""


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a run saw of one input file before it read it."""

    path: str
    size: int
    mtime_ns: int
    pipeline_version: str
    documents: int


def path_sha256(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()


StoredStamp = tuple[int, int, str, int]
"""A confirmed stamp as looked up: size, mtime_ns, pipeline_version, documents."""


def find_stamps(connection: Connection, paths: Sequence[str]) -> list[StoredStamp | None]:
    """The confirmed stamp of each of ``paths``, in their order (None: none, or only a provisional one)."""
    hashes = [path_sha256(path) for path in paths]
    if connection.dialect.name == "postgresql":
        # One text parameter for the whole window, and one primary-key probe per path
        # (LIMIT 1 keeps the planner from a scan of the whole table per window).
        rows = connection.execute(_PG_LOOKUP, {"hashes": ",".join(hashes)}).all()
        found: list[StoredStamp | None] = [None] * len(hashes)
        for position, size, mtime_ns, version, documents in rows:
            found[position - 1] = (size, mtime_ns, version, documents)
        return found
    c = stamps_t.c
    columns = (c.path_sha256, c.size, c.mtime_ns, c.pipeline_version, c.documents)
    confirmed = c.pending_run_id.is_(None)
    by_hash: dict[str, StoredStamp] = {}
    for chunk in chunks(hashes):
        query = select(*columns).where(c.path_sha256.in_(chunk), confirmed)
        for key, size, mtime_ns, version, documents in connection.execute(query):
            by_hash[key] = (int(size), int(mtime_ns), version, int(documents))
    return [by_hash.get(key) for key in hashes]


def write_stamps(connection: Connection, stamps: Sequence[Stamp], run_id: int, now: datetime) -> None:
    """Replace the stamps of ``stamps``' paths with these, provisional for ``run_id`` (bulk, per chunk)."""
    for batch in chunks(stamps):
        rows = [
            {
                "path_sha256": path_sha256(stamp.path),
                "path": stamp.path,
                "size": stamp.size,
                "mtime_ns": stamp.mtime_ns,
                "pipeline_version": stamp.pipeline_version,
                "documents": stamp.documents,
                "stamped_at": now,
                "pending_run_id": run_id,
            }
            for stamp in batch
        ]
        connection.execute(
            delete(stamps_t).where(stamps_t.c.path_sha256.in_([r["path_sha256"] for r in rows]))
        )
        # A concurrent run may stamp the same file meanwhile: its stamp is as good as ours.
        insert_missing(connection, stamps_t, rows)


def confirm_stamps(connection: Connection, run_id: int, now: datetime) -> None:
    """Make the provisional stamps of ``run_id`` usable (the run succeeded)."""
    connection.execute(
        update(stamps_t)
        .where(stamps_t.c.pending_run_id == run_id)
        .values(pending_run_id=None, stamped_at=now)
    )


def discard_stamps(connection: Connection, run_id: int) -> None:
    """Delete the provisional stamps of ``run_id`` (it must not stamp after all)."""
    connection.execute(delete(stamps_t).where(stamps_t.c.pending_run_id == run_id))
