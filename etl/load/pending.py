"""Whether the corpus-wide entity resolution has anything new to read.

Every batch that writes articles adds a row to ``pending_resolutions`` inside
its own transaction (:func:`mark_changed`), on the client or on a Dask worker
alike, so the row exists exactly when the batch's rows do, even if the run that
wrote it is killed before it resolves. :func:`resolve_if_changed` resolves
only when such rows exist and then deletes the rows it saw at its start (never
one a concurrent writer committed meanwhile: that writer's batch may not have
been read, so it stays pending for the next resolution).

Resolution reads nothing else that a run can change (article entities,
mentions and quote speakers are written only with their article), and it is
idempotent, so with no pending row it would change nothing: an unchanged
re-run skips it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from etl.db.base import table_of
from etl.db.models import PendingResolution
from etl.load.resolve import ResolveStats, resolve_entities
from etl.load.upsert import chunks

log = logging.getLogger(__name__)

pending_t = table_of(PendingResolution)


def mark_changed(connection: Connection, articles: int, now: datetime) -> None:
    """Record, in the batch's transaction, that it wrote ``articles`` articles."""
    connection.execute(insert(pending_t).values(articles=articles, created_at=now))


def pending_ids(connection: Connection) -> list[int]:
    """The batches written since the last resolution (committed ones)."""
    return list(connection.execute(select(pending_t.c.id).order_by(pending_t.c.id)).scalars())


def resolve_if_changed(connection: Connection, force: bool = False) -> ResolveStats | None:
    """Resolve entities if any batch wrote articles since the last resolution (or ``force``).

    Call it in the resolution's transaction, under the corpus lock. Returns
    None when it skipped.
    """
    seen = pending_ids(connection)
    if not seen and not force:
        log.info("entity resolution skipped: no article changed since the last one")
        return None
    stats = resolve_entities(connection)
    _clear(connection, seen)
    return stats


def _clear(connection: Connection, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        connection.execute(delete(pending_t).where(pending_t.c.id.in_(chunk)))
