"""The ``etl_runs`` row of a run: started, counted batch by batch, finished.

The load side owns this table like every other one, so the pipeline only says
what happened and never writes SQL. Counts are whole figures, not increments:
the row always holds what the committed batches add up to.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from etl.db.base import table_of
from etl.db.models import EtlRun

log = logging.getLogger(__name__)

runs_t = table_of(EtlRun)


@dataclass(frozen=True, slots=True)
class RunCounts:
    """Documents a run has accounted for so far, in committed batches only."""

    seen: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def __add__(self, other: RunCounts) -> RunCounts:
        return RunCounts(
            self.seen + other.seen,
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.rejected + other.rejected,
        )

    def as_columns(self) -> dict[str, int]:
        return {
            "documents_seen": self.seen,
            "documents_new": self.new,
            "documents_updated": self.updated,
            "documents_unchanged": self.unchanged,
            "documents_rejected": self.rejected,
        }


def start_run(engine: Engine, arguments: Mapping[str, Any], pipeline_version: str) -> int:
    """Insert a ``running`` row in its own transaction and return its id.

    Committed at once so that a run that later crashes is still on record.
    """
    with engine.begin() as connection:
        result = connection.execute(
            insert(runs_t).values(
                started_at=datetime.now(UTC),
                status="running",
                arguments=json.dumps(dict(arguments)),
                pipeline_version=pipeline_version,
                **RunCounts().as_columns(),
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def record_counts(connection: Connection, run_id: int, counts: RunCounts) -> None:
    """Set the run's counts inside the caller's batch transaction.

    Written in the same transaction as the batch, so the row never counts a
    batch that was rolled back.
    """
    connection.execute(update(runs_t).where(runs_t.c.id == run_id).values(**counts.as_columns()))


def finish_run(engine: Engine, run_id: int, status: str, counts: RunCounts, error: str | None = None) -> None:
    """Close the run with its outcome and final counts.

    When the run failed, the database may be what failed: a second error here
    is logged, and the original one is what the caller goes on to raise.
    """
    try:
        with engine.begin() as connection:
            connection.execute(
                update(runs_t)
                .where(runs_t.c.id == run_id)
                .values(status=status, finished_at=datetime.now(UTC), error=error, **counts.as_columns())
            )
    except Exception:
        if error is None:
            raise
        log.error("could not record the failed run: %s", traceback.format_exc(limit=1))
