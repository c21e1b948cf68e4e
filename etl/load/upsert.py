"""Dialect-aware bulk "insert if absent", string clipping, and the chunks of bulk statements."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, String, Table, UniqueConstraint
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


def _string_lengths(table: Table) -> dict[str, int]:
    """``table``'s string columns with their lengths (computed once per table)."""
    lengths = _LENGTHS.get(table)
    if lengths is None:
        lengths = _LENGTHS[table] = {
            column.name: column.type.length
            for column in table.columns
            if isinstance(column.type, String) and column.type.length
        }
    return lengths


_LENGTHS: dict[Table, dict[str, int]] = {}


def clip_strings(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """Cut strings to their column's length.

    PostgreSQL and MySQL (strict mode) refuse over-long values, SQLite keeps
    them: clipping here makes the three databases hold the same data.
    """
    clipped = dict(row)
    for name, length in _string_lengths(table).items():
        value = clipped.get(name)
        if isinstance(value, str) and len(value) > length:
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


CHUNK = 500
"""Rows or keys per bulk statement (``IN (...)``, insert), well under every driver's parameter limit."""


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``: one bulk statement each."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    """Plain bulk insert with string clipping.

    On PostgreSQL the rows go in one ``COPY`` (:func:`copy_rows`) when they all
    name the same columns; elsewhere, and otherwise, one executemany.
    """
    if not rows:
        return
    clipped = [clip_strings(table, row) for row in rows]
    if (
        connection.dialect.name == "postgresql"
        and _same_columns(clipped)
        and _scalar_defaults(table, clipped[0])
    ):
        copy_rows(connection, table, clipped)
    else:
        connection.execute(table.insert(), clipped)


def _scalar_defaults(table: Table, row: Mapping[str, Any]) -> bool:
    """Whether every column absent from ``row`` has no client-side default or a constant one."""
    return all(
        column.default is None or column.default.is_scalar
        for column in table.columns
        if column.name not in row
    )


def _same_columns(rows: Sequence[Mapping[str, Any]]) -> bool:
    names = rows[0].keys()
    return all(row.keys() == names for row in rows)


def copy_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` with PostgreSQL's ``COPY ... FROM STDIN``, in the connection's transaction.

    psycopg's executemany still sends one INSERT per row (pipelined): the
    server parses, plans and runs each. ``COPY`` streams them into one
    statement, several times faster for the thousands of mentions of a batch.
    Values pass through the columns' own bind processing (UTC datetimes stored
    naive, as an INSERT would). A driver error comes back as SQLAlchemy's
    ``DBAPIError`` subclass, as from an INSERT, so races are told apart and
    retried the same way.
    """
    dialect = connection.dialect
    names = list(rows[0])
    # COPY applies no client-side defaults: the scalar ones of absent columns are sent.
    defaults = {
        column.name: column.default.arg  # type: ignore[attr-defined]
        for column in table.columns
        if column.name not in rows[0] and column.default is not None
    }
    names += list(defaults)
    rows = [{**row, **defaults} for row in rows] if defaults else rows
    columns = [table.c[name] for name in names]
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)}) FROM STDIN"
    )
    raw = connection.connection.driver_connection
    dbapi = dialect.loaded_dbapi
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(
                    [
                        value if process is None or value is None else process(value)
                        for value, process in zip((row[n] for n in names), processors, strict=True)
                    ]
                )
    except dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, dbapi.Error) from exc
