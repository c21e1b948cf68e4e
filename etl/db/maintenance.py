"""Keep planner statistics fresh after a load, on each database in its own way."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

LOADED_TABLES = (
    "sources",
    "articles",
    "dateline_places",
    "contributors",
    "article_contributors",
    "entities",
    "entity_aliases",
    "mentions",
    "quotes",
)
"""The tables a run writes in bulk (the run record tables stay small)."""


def refresh_statistics(bind: Connection | Engine, tables: Iterable[str] = LOADED_TABLES) -> None:
    """Update the query planner's statistics of ``tables`` after a load.

    Without them SQLite plans the reporting views' joins blind (a query of
    docs/queries.md took a minute instead of a second), and PostgreSQL's
    autovacuum may not have analysed a bulk load yet.

    - SQLite: ``ANALYZE`` the first time (no ``sqlite_stat1`` yet), then
      ``PRAGMA optimize``, which re-analyses only tables that changed much.
    - PostgreSQL: ``ANALYZE`` of each table.
    - MariaDB/MySQL: ``ANALYZE TABLE`` of the tables, in one statement.

    Args:
        bind: an engine, or a connection (committed here on an engine only).
        tables: the tables to analyse (SQLite analyses what it needs).
    """
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            _refresh(connection, tuple(tables))
        return
    _refresh(bind, tuple(tables))


def _refresh(connection: Connection, tables: tuple[str, ...]) -> None:
    dialect = connection.dialect.name
    quote = connection.dialect.identifier_preparer.quote
    if dialect == "sqlite":
        analysed = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        connection.exec_driver_sql("PRAGMA optimize" if analysed else "ANALYZE")
    elif dialect == "postgresql":
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {quote(table)}")
    elif dialect in ("mysql", "mariadb"):
        # ANALYZE TABLE returns a result set per table; read it so the connection is free.
        connection.exec_driver_sql("ANALYZE TABLE " + ", ".join(quote(t) for t in tables)).all()
    else:  # pragma: no cover - other dialects are not supported
        log.warning("no statistics refresh for %s", dialect)
        return
    log.debug("statistics refreshed on %s", dialect)
