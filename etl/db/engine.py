"""Engines for the three supported databases."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from etl.errors import EtlError
from etl.records import ArticleRecord, Rejection

DRIVER_PACKAGES = {
    "psycopg": "psycopg[binary]  (or `pip install 'newsetl[postgresql]'`)",
    "psycopg2": "psycopg2-binary  (or use postgresql+psycopg:// with `pip install 'newsetl[postgresql]'`)",
    "pymysql": "pymysql  (or `pip install 'newsetl[mysql]'`)",
    "mysqldb": "mysqlclient  (or use mysql+pymysql:// with `pip install 'newsetl[mysql]'`)",
    "mariadbconnector": "mariadb  (or use mysql+pymysql:// with `pip install 'newsetl[mysql]'`)",
    "cx_oracle": "cx_Oracle",
    "oracledb": "oracledb",
    "pyodbc": "pyodbc",
}
"""The pip package of each SQLAlchemy driver a URL may name."""


class DriverNotInstalled(EtlError):
    """The database URL names a driver whose package is not installed."""


def require_database(url: str) -> None:
    """Raise unless the database exists; never creates one (SQLite would make an empty file).

    Servers are not checked here: connecting says whether the database exists.
    """
    parsed = make_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file and file != ":memory:" and not file.startswith("file:") and not Path(file).is_file():
        raise EtlError(
            f"there is no database at {display_url(url)} (no file {parsed.database}): "
            "`newsetl run` creates it and loads articles (`newsetl db upgrade` creates it empty)"
        )


SECRET_QUERY_KEYS = frozenset({"password", "passwd", "pwd", "sslpassword", "secret", "token", "api_key"})
"""Query parameters that carry a credential (``?password=`` works with psycopg and PyMySQL)."""


def display_url(url: str) -> str:
    """The URL with any password masked, in ``user:password@`` or in the query, safe to print or log."""
    parsed = make_url(url)
    hidden = {key: "***" for key in parsed.query if key.casefold() in SECRET_QUERY_KEYS}
    if hidden:
        parsed = parsed.update_query_dict(hidden)
    # The query is rendered URL-encoded: show the mask as in ``user:***@``.
    return parsed.render_as_string(hide_password=True).replace("=%2A%2A%2A", "=***")


def make_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite, turn foreign keys on for every connection.

    Migrations pass ``foreign_keys=False``: SQLite batch mode recreates tables,
    which enforced foreign keys would break.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "mysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    try:
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:
        driver = parsed.get_driver_name()
        package = DRIVER_PACKAGES.get(driver.lower(), driver)
        raise DriverNotInstalled(
            f"the database driver {driver!r} for {parsed.get_backend_name()} is not installed "
            f"({exc.name or exc}): pip install {package}"
        ) from exc
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03"})
"""PostgreSQL: serialization failure, deadlock, and the server ending the session
(``pg_terminate_backend``, shutdown, not yet accepting connections)."""
RETRYABLE_MYSQL_CODES = frozenset({1213, 2006, 2013})
"""MariaDB/MySQL: deadlock, server has gone away, lost connection during query."""


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is worth one retry of the whole transaction.

    A dropped or terminated connection (SQLAlchemy marks the connection
    invalidated), a deadlock between two runs, and a unique key taken by a
    concurrent run between this batch's lookup and its insert (two first runs
    over one folder): the transaction was rolled back, and doing it again from
    the start is safe; the second time the other run's rows are found and replaced.
    """
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, IntegrityError):
        return True
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    args: tuple[object, ...] = tuple(getattr(orig, "args", ()))
    return bool(args) and args[0] in RETRYABLE_MYSQL_CODES


def max_statement_bytes(connection: Connection) -> int | None:
    """The largest statement the server accepts (MariaDB/MySQL ``max_allowed_packet``); None: no limit.

    Over it, MariaDB drops the connection ("server has gone away") instead of
    reporting an error.
    """
    if connection.dialect.name not in ("mysql", "mariadb"):
        return None
    return int(connection.exec_driver_sql("SELECT @@max_allowed_packet").scalar_one())


STATEMENT_MARGIN = 64 * 1024
"""Bytes kept free in a statement for everything but the article's long strings."""


def split_oversized(
    connection: Connection, articles: Sequence[ArticleRecord]
) -> tuple[list[ArticleRecord], list[Rejection]]:
    """Reject, naming the setting to change, the articles too big for one statement on this server.

    MariaDB drops the connection on a statement over ``max_allowed_packet``
    (16 MB by default, under the 20 MB input limit); the rest of the batch loads.
    """
    limit = max_statement_bytes(connection)
    if limit is None:
        return list(articles), []
    fitting, rejected = [], []
    for article in articles:
        size = escaped_size(article.body) + escaped_size(article.headline or "") + STATEMENT_MARGIN
        if size <= limit:
            fitting.append(article)
            continue
        reason = (
            f"too large for this MariaDB/MySQL server: the article needs a {size / 2**20:.1f} MB statement "
            f"and max_allowed_packet is {limit / 2**20:.1f} MB (raise it on the server to load it)"
        )
        rejected.append(
            Rejection(article.source_uri, reason, "load", article.document_key, article.content_sha256)
        )
    return fitting, rejected


def escaped_size(value: str) -> int:
    """Bytes ``value`` takes in a statement: UTF-8, plus one per character the driver escapes."""
    return len(value.encode("utf-8", "surrogatepass")) + sum(value.count(c) for c in "\\'\"\n\r\x00\x1a")
