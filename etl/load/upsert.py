"""Dialect-aware bulk "insert if absent" and string clipping."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, String, Table, UniqueConstraint
from sqlalchemy.dialects import mysql, postgresql, sqlite

log = logging.getLogger(__name__)


def clip_strings(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """Cut strings to their column's length.

    PostgreSQL and MySQL (strict mode) refuse over-long values, SQLite keeps
    them: clipping here makes the three databases hold the same data.
    """
    clipped = dict(row)
    for name, value in row.items():
        column = table.c[name]
        length = column.type.length if isinstance(column.type, String) else None
        if isinstance(value, str) and length and len(value) > length:
            clipped[name] = value[:length]
            log.warning(
                "%s.%s clipped from %d to %d characters: %r…",
                table.name,
                name,
                len(value),
                length,
                value[:60],
            )
    return clipped


def unique_key(table: Table) -> list[Column[Any]]:
    """The columns of ``table``'s first unique key (constraint or index), else its primary key."""
    for constraint in sorted(table.constraints, key=lambda c: str(c.name)):
        if isinstance(constraint, UniqueConstraint):
            return list(constraint.columns)
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        if index.unique:
            return [c for c in index.columns if isinstance(c, Column)]
    return list(table.primary_key.columns)


def _in_key_order(table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    names = [c.name for c in unique_key(table)]
    return sorted(rows, key=lambda row: tuple((row.get(n) is None, str(row.get(n, ""))) for n in names))


def insert_missing(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows``, skipping any that collide with a unique key already present.

    One statement per batch (executemany), never one per row. Safe with
    concurrent writers: a row another transaction inserted first (committed or
    not) is skipped, never duplicated and never an error (PostgreSQL and
    SQLite ``ON CONFLICT DO NOTHING``, MariaDB/MySQL a no-op ``ON DUPLICATE KEY
    UPDATE``; the writer waits for the other transaction's commit). Rows go in
    the order of the table's unique key, so two writers inserting overlapping
    sets take their row locks in the same order and do not deadlock each other
    (:mod:`etl.batch_commit` retries the rare deadlock that remains, e.g. on
    MariaDB's gap locks).
    """
    if not rows:
        return
    values = _in_key_order(table, [clip_strings(table, row) for row in rows])
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(postgresql.insert(table).on_conflict_do_nothing(), values)
    elif dialect == "sqlite":
        connection.execute(sqlite.insert(table).on_conflict_do_nothing(), values)
    elif dialect in ("mysql", "mariadb"):
        # A no-op update, unlike INSERT IGNORE, does not also hide truncation or FK errors.
        statement = mysql.insert(table)
        first = table.primary_key.columns.values()[0]
        connection.execute(statement.on_duplicate_key_update({first.name: first}), values)
    else:  # pragma: no cover - other dialects are not supported
        raise NotImplementedError(f"insert_missing on {dialect}")


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Plain bulk insert with string clipping."""
    if rows:
        connection.execute(table.insert(), [clip_strings(table, row) for row in rows])
