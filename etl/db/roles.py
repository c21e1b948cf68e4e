"""A read-only login for BI tools: SELECT on every table and view, nothing else.

PostgreSQL: a LOGIN role with CONNECT, USAGE on the schema, SELECT on all
tables and views, default privileges so tables created later (by the user who
runs the grant, normally the one who migrates) are readable too, and
``default_transaction_read_only``. MariaDB/MySQL: a user with SELECT and
SHOW VIEW on the database, which covers future tables by itself. SQLite has
no users: open the file read-only instead (``?mode=ro``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from etl.db.engine import make_engine
from etl.errors import EtlError

ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
"""Letters, digits and underscores: safe to quote on every database, within PostgreSQL's 63."""


@dataclass(frozen=True, slots=True)
class ReadOnlyGrant:
    """What :func:`grant_readonly` did, for the CLI to report."""

    name: str
    password: str
    generated_password: bool
    database: str
    warnings: tuple[str, ...] = ()
    readonly_url: str | None = None
    """SQLite: the read-only URL to give the BI tool (SQLite has no logins)."""


def sqlite_readonly_url(url: str) -> str:
    """The read-only URI form of a SQLite URL (what to give a BI tool instead of a role).

    The path is made absolute: a BI tool resolves a relative one from its own directory.
    """
    database = make_url(url).database or "newsetl.db"
    path = Path(database).expanduser().resolve().as_posix()
    return f"sqlite:///file:{quote(path, safe='/')}?mode=ro&uri=true"


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__


def _check_name(name: str) -> None:
    if not ROLE_NAME.fullmatch(name):
        raise EtlError(
            f"role name {name!r}: use letters, digits and underscores (at most 63, not starting with a digit)"
        )


def _sql_string(value: str) -> str:
    """A standard SQL string literal (PostgreSQL with standard_conforming_strings, the default)."""
    if "\x00" in value:
        raise EtlError("a password cannot contain NUL characters")
    return "'" + value.replace("'", "''") + "'"


def scram_sha256_verifier(password: str, salt: bytes | None = None, iterations: int = 4096) -> str:
    """The PostgreSQL SCRAM-SHA-256 verifier of ``password`` (RFC 5802/7677), as stored in pg_authid.

    NFKC stands in for SASLprep, which PostgreSQL applies to the password first.
    """
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFKC", password).encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def grant_readonly(url: str, name: str, password: str | None = None, host: str = "%") -> ReadOnlyGrant:
    """Create (or update) a login that can read every table and view of the database at ``url``.

    Args:
        url: the database, connected as a user allowed to create roles and grant.
        name: the role (PostgreSQL) or user (MariaDB/MySQL) name.
        password: its password; a random one is generated when omitted.
        host: MariaDB/MySQL only: the host part of the account (``%`` = any).

    Raises:
        EtlError: SQLite (no roles), a bad name, or the database refused.
    """
    _check_name(name)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        readonly = sqlite_readonly_url(url)
        # SQLite has no logins: the read-only file URL is the grant. ``database`` carries it too,
        # so the CLI's one-line report names it.
        return ReadOnlyGrant(
            name,
            "",
            False,
            readonly,
            (f"SQLite has no users or roles: {name!r} is not created; give your BI tool the URL above",),
            readonly_url=readonly,
        )
    generated = password is None
    password = password if password is not None else secrets.token_urlsafe(18)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if backend == "postgresql":
                warnings = _grant_postgresql(connection, name, password)
            else:
                warnings = _grant_mysql(connection, name, password, host)
            database = connection.exec_driver_sql(
                "SELECT current_database()" if backend == "postgresql" else "SELECT DATABASE()"
            ).scalar_one()
    except DBAPIError as exc:  # e.g. permission denied: not a user allowed to create roles
        raise EtlError(f"could not create the login {name!r}: {_first_line(exc)}") from exc
    finally:
        engine.dispose()
    return ReadOnlyGrant(name, password, generated, str(database), warnings)


def _grant_postgresql(connection: Connection, name: str, password: str) -> tuple[str, ...]:
    role = connection.dialect.identifier_preparer.quote(name)
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    verb = "ALTER" if exists else "CREATE"
    # Passwords cannot be bound parameters in utility statements; sending the SCRAM verifier
    # instead of the password keeps it out of server logs (as psql's \password does).
    _execute_literal(
        connection,
        f"{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        f"PASSWORD {_sql_string(scram_sha256_verifier(password))}",
    )
    database = connection.dialect.identifier_preparer.quote(
        connection.exec_driver_sql("SELECT current_database()").scalar_one()
    )
    schema = connection.dialect.identifier_preparer.quote(
        connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    )
    for statement in (
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
        f"ALTER ROLE {role} SET default_transaction_read_only = on",
    ):
        connection.exec_driver_sql(statement)
    can_create = connection.execute(
        text("SELECT has_schema_privilege(:n, current_schema(), 'CREATE')"), {"n": name}
    ).scalar_one()
    if can_create:
        # Before PostgreSQL 15 every role may create tables in "public" through PUBLIC.
        return (
            f"{name} can still create tables in schema {schema} through PUBLIC; "
            f"run `REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC` as its owner to stop that",
        )
    return ()


def _execute_literal(connection: Connection, statement: str) -> None:
    """Run a statement holding literals; the drivers read % as a placeholder, so double it."""
    connection.exec_driver_sql(statement.replace("%", "%%"), ())


def _grant_mysql(connection: Connection, name: str, password: str, host: str) -> tuple[str, ...]:
    database = connection.dialect.identifier_preparer.quote(
        connection.exec_driver_sql("SELECT DATABASE()").scalar_one()
    )
    # The driver quotes and escapes the account and password (MySQL escapes backslashes too).
    account = {"name": name, "host": host}
    connection.execute(
        text("CREATE USER IF NOT EXISTS :name@:host IDENTIFIED BY :password"),
        {**account, "password": password},
    )
    connection.execute(
        text("ALTER USER :name@:host IDENTIFIED BY :password"), {**account, "password": password}
    )
    # Database-level grants also cover tables and views created later.
    connection.execute(text(f"GRANT SELECT, SHOW VIEW ON {database}.* TO :name@:host"), account)
    return ()


def revoke_readonly(url: str, name: str, host: str = "%") -> None:
    """Drop the read-only login made by :func:`grant_readonly` (its grants in this database first)."""
    _check_name(name)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        raise EtlError("SQLite has no users or roles: nothing to revoke")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if backend == "postgresql":
                if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
                    role = connection.dialect.identifier_preparer.quote(name)
                    # DROP OWNED also removes its privileges and default privileges here.
                    connection.exec_driver_sql(f"DROP OWNED BY {role}")
                    connection.exec_driver_sql(f"DROP ROLE {role}")
            else:
                connection.execute(text("DROP USER IF EXISTS :name@:host"), {"name": name, "host": host})
    finally:
        engine.dispose()
