"""The ``etl_runs`` row of a run: started, counted batch by batch, finished.

The load side owns this table like every other one, so the pipeline only says
what happened and never writes SQL. Counts are whole figures, not increments:
the row always holds what the committed batches add up to.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from etl.db.base import table_of
from etl.db.models import EtlRun

log = logging.getLogger(__name__)

runs_t = table_of(EtlRun)

ABANDONED = "abandoned (the process ended without finishing)"
"""The error recorded on a run found ``running`` whose process is gone."""
STALE_AFTER = timedelta(hours=24)
"""A ``running`` row from another machine (or with no process recorded) this old is abandoned.

Its process cannot be checked from here; no run of newsetl's batches is
expected to go a day without finishing, so such a row is taken for a killed run.
"""


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


def _process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # Someone else's process: it exists.
    except (OSError, OverflowError):
        return False
    return True


def _process_start(pid: int) -> str | None:
    """When process ``pid`` started (Linux: clock ticks since boot); None where unknown.

    Tells a run's process from a later one that was given the same pid.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _is_abandoned(arguments: str, started_at: datetime, now: datetime) -> bool:
    """Whether a ``running`` row belongs to a process that has ended without finishing it."""
    try:
        recorded = json.loads(arguments)
    except ValueError:
        recorded = {}
    process = recorded.get("process") if isinstance(recorded, dict) else None
    if isinstance(process, dict) and process.get("host") == socket.gethostname():
        pid = process.get("pid")
        if not (isinstance(pid, int) and _process_alive(pid)):
            return True
        started = process.get("started")
        return started is not None and started != _process_start(pid)
    return now - started_at > STALE_AFTER


def mark_abandoned_runs(connection: Connection, now: datetime) -> int:
    """Close every ``running`` row whose process is gone as ``failed``; return how many.

    A run killed with SIGKILL, or by a power cut, never gets to finish its row.
    The row records the host and process id of its run: on this host a
    process that no longer exists settles it; a row from another host, or one
    written before runs recorded their process, once it is older than
    :data:`STALE_AFTER`.
    """
    rows = connection.execute(
        select(runs_t.c.id, runs_t.c.arguments, runs_t.c.started_at).where(runs_t.c.status == "running")
    ).all()
    abandoned = [run_id for run_id, arguments, started in rows if _is_abandoned(arguments, started, now)]
    if abandoned:
        connection.execute(
            update(runs_t)
            .where(runs_t.c.id.in_(abandoned), runs_t.c.status == "running")
            .values(status="failed", finished_at=now, error=ABANDONED)
        )
        log.warning("marked %d earlier run(s) as failed: %s", len(abandoned), ABANDONED)
    return len(abandoned)


def start_run(engine: Engine, arguments: Mapping[str, Any], pipeline_version: str) -> int:
    """Insert a ``running`` row in its own transaction and return its id.

    Committed at once so that a run that later crashes is still on record.
    The row records this process (host and pid in ``arguments``), so that a
    later run can tell it was abandoned; earlier abandoned runs are closed
    first (:func:`mark_abandoned_runs`).
    """
    now = datetime.now(UTC)
    pid = os.getpid()
    process = {"host": socket.gethostname(), "pid": pid, "started": _process_start(pid)}
    with engine.begin() as connection:
        mark_abandoned_runs(connection, now)
        result = connection.execute(
            insert(runs_t).values(
                started_at=now,
                status="running",
                arguments=json.dumps({**arguments, "process": process}),
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
