"""The ``file_stamps`` table: input files a successful run read whole.

:func:`find_stamps` looks a window of paths up in one query per chunk;
:func:`write_stamps` replaces the stamps of the given paths in bulk, in the
caller's transaction. Which file may be stamped, and when, is decided by
:mod:`etl.file_stamps`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select

from etl.db.base import table_of
from etl.db.models import FileStamp
from etl.load.upsert import chunks, insert_missing

stamps_t = table_of(FileStamp)


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


def find_stamps(connection: Connection, paths: Iterable[str]) -> dict[str, Stamp]:
    """Map path -> stored stamp, for the paths that have one."""
    by_hash = {path_sha256(path): path for path in paths}
    hashes = list(by_hash)
    found: dict[str, Stamp] = {}
    columns = (stamps_t.c.path_sha256, stamps_t.c.size, stamps_t.c.mtime_ns, stamps_t.c.pipeline_version)
    for chunk in chunks(hashes):
        rows = connection.execute(
            select(*columns, stamps_t.c.documents).where(stamps_t.c.path_sha256.in_(chunk))
        )
        for key, size, mtime_ns, version, documents in rows:
            path = by_hash[key]
            found[path] = Stamp(path, int(size), int(mtime_ns), version, int(documents))
    return found


def write_stamps(connection: Connection, stamps: Sequence[Stamp], now: datetime) -> None:
    """Replace the stamps of ``stamps``' paths with these (bulk: a delete and an insert per chunk)."""
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
            }
            for stamp in batch
        ]
        connection.execute(
            delete(stamps_t).where(stamps_t.c.path_sha256.in_([r["path_sha256"] for r in rows]))
        )
        # A concurrent run may stamp the same file meanwhile: its stamp is as good as ours.
        insert_missing(connection, stamps_t, rows)
