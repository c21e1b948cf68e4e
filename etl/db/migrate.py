"""Alembic, driven from code: upgrade, downgrade, current, check, and the run guard."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

import migrations
from etl.db.engine import display_url, make_engine
from etl.errors import EtlError, SchemaNotCurrent

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent

SCHEMA_LOCK_NAME = "newsetl_schema"
"""MariaDB/MySQL ``GET_LOCK`` name held while a process creates or upgrades the schema."""
SCHEMA_LOCK_KEY = 0x6E657773_65746C31
"""PostgreSQL ``pg_advisory_lock`` key for the same purpose ("newsetl1")."""
SCHEMA_LOCK_TIMEOUT = 900
"""Seconds a MariaDB process waits for another one's migration before giving up."""
FIRST_RUN_MARKER = "newsetl_unfinished_first_run"
"""MariaDB/MySQL only: a table that exists while a first run creates the schema.

MariaDB commits every DDL statement on its own, so a first run killed half-way
leaves some tables and an ``alembic_version`` behind head that ``upgrade``
cannot continue ("Table already exists"). The marker is created before the
first migration and dropped after the last: found by a later run, it says the
database was empty when that first run began and holds only what it created,
so the partial schema is dropped and created again from the start.
"""


def alembic_config(url: str) -> Config:
    """An Alembic config that works from any directory (migrations are packaged)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache  # the migrations are packaged: reading them once per process is enough (~70 ms a run)
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _is_mysql(engine: Engine) -> bool:
    return engine.dialect.name in ("mysql", "mariadb")


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the database-wide schema lock (servers only): one process migrates at a time.

    A session-level advisory lock on its own autocommit connection, so it is
    released when the block ends or when the process dies with its connection.
    SQLite needs none: its writers are serialised and its DDL is transactional.
    """
    dialect = engine.dialect.name
    if dialect != "postgresql" and not _is_mysql(engine):
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if dialect == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            release = text("SELECT pg_advisory_unlock(:name)")
        else:
            got = connection.execute(
                text("SELECT GET_LOCK(:name, :timeout)"),
                {"name": SCHEMA_LOCK_NAME, "timeout": SCHEMA_LOCK_TIMEOUT},
            ).scalar()
            if got != 1:
                raise EtlError(
                    f"another newsetl process has been migrating {display_url(str(engine.url))} "
                    f"for over {SCHEMA_LOCK_TIMEOUT} s; try again when it has finished"
                )
            release = text("SELECT RELEASE_LOCK(:name)")
        try:
            yield
        finally:
            name: int | str = SCHEMA_LOCK_KEY if dialect == "postgresql" else SCHEMA_LOCK_NAME
            connection.execute(release, {"name": name})


def _run(url: str, action: str, *args: object) -> str | None:
    """Run an Alembic command; return the revision the database is at afterwards."""
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            getattr(command, action)(config, *args)
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate up to ``revision``; return the revision reached (not "head" or "+1").

    Under the schema lock; a MariaDB first run that was killed half-way is
    started over (see :data:`FIRST_RUN_MARKER`).
    """
    engine = make_engine(url)
    try:
        with schema_lock(engine):
            _redo_unfinished_first_run(engine, url)
            return _run(url, "upgrade", revision)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> str | None:
    """Migrate down to ``revision``; return the revision reached (None: no table left)."""
    return _run(url, "downgrade", revision)


def check(url: str) -> None:
    """Raise if the models and the migrated database differ (``alembic check``)."""
    _run(url, "check")


def ensure_schema(engine: Engine, url: str) -> bool:
    """Migrate an empty database; refuse one that is behind head.

    Two first runs at once: the schema lock lets one migrate while the other
    waits, then finds the database at head. A MariaDB first run killed while
    migrating is started over (:data:`FIRST_RUN_MARKER`); any other database
    behind head is never altered here.

    Returns:
        True when the database was empty and has just been migrated.

    Raises:
        SchemaNotCurrent: the database has tables but is not at head.
    """
    head = head_revision()
    if current_revision(engine) == head and not (_is_mysql(engine) and _has_first_run_marker(engine)):
        return False
    with schema_lock(engine):
        # Again under the lock: another process may have migrated while this one waited.
        redone = _redo_unfinished_first_run(engine, url)
        current = current_revision(engine)
        if current == head:
            return redone
        if current is None and not set(inspect(engine).get_table_names()) - {"alembic_version"}:
            _first_run_upgrade(engine, url)
            return True
    where = f"at revision {current}" if current else "not managed by newsetl (no alembic_version)"
    raise SchemaNotCurrent(
        f"the database {display_url(url)} is {where}; this newsetl expects {head}. "
        f"Run `newsetl db upgrade --db '{display_url(url)}'` first."
    )


def _has_first_run_marker(engine: Engine) -> bool:
    return _is_mysql(engine) and inspect(engine).has_table(FIRST_RUN_MARKER)


def _first_run_upgrade(engine: Engine, url: str) -> None:
    """Migrate an empty database to head; on MariaDB, between the marker's creation and removal."""
    if _is_mysql(engine):
        with engine.begin() as connection:
            connection.execute(
                text(f"CREATE TABLE IF NOT EXISTS {FIRST_RUN_MARKER} (started_at VARCHAR(40))")
            )
    _run(url, "upgrade", "head")
    if _is_mysql(engine):
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {FIRST_RUN_MARKER}"))


def _redo_unfinished_first_run(engine: Engine, url: str) -> bool:
    """Finish a MariaDB first run that was killed half-way; True when this migrated the database.

    Called under the schema lock. A marker left at head (killed after the last
    migration) is just removed. Below head, every view and table the killed
    run created is dropped and the schema is created again from the start:
    the marker says the database was empty when that run began, and no
    article is loaded before the schema is complete.
    """
    if not _has_first_run_marker(engine):
        return False
    if current_revision(engine) == head_revision():
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {FIRST_RUN_MARKER}"))
        return False
    log.warning(
        "an earlier first run was stopped while creating the schema: "
        "dropping its partial tables and creating the schema again"
    )
    with engine.begin() as connection:
        inspector = inspect(connection)
        quote = connection.dialect.identifier_preparer.quote
        for view in inspector.get_view_names():
            connection.execute(text(f"DROP VIEW IF EXISTS {quote(view)}"))
        connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
        for table in inspector.get_table_names():
            if table != FIRST_RUN_MARKER:
                connection.execute(text(f"DROP TABLE IF EXISTS {quote(table)}"))
        connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
    _first_run_upgrade(engine, url)
    return True
