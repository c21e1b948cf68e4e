"""Alembic, driven from code: upgrade, downgrade, current, check, and the run guard."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

import migrations
from etl.db.engine import display_url, make_engine
from etl.errors import SchemaNotCurrent

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config(url: str) -> Config:
    """An Alembic config that works from any directory (migrations are packaged)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
    """Migrate up to ``revision``; return the revision reached (not "head" or "+1")."""
    return _run(url, "upgrade", revision)


def downgrade(url: str, revision: str) -> str | None:
    """Migrate down to ``revision``; return the revision reached (None: no table left)."""
    return _run(url, "downgrade", revision)


def check(url: str) -> None:
    """Raise if the models and the migrated database differ (``alembic check``)."""
    _run(url, "check")


def ensure_schema(engine: Engine, url: str) -> bool:
    """Migrate an empty database; refuse one that is behind head.

    Returns:
        True when the database was empty and has just been migrated.

    Raises:
        SchemaNotCurrent: the database has tables but is not at head.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    if current is None and not set(inspect(engine).get_table_names()) - {"alembic_version"}:
        upgrade(url)
        return True
    where = f"at revision {current}" if current else "not managed by newsetl (no alembic_version)"
    raise SchemaNotCurrent(
        f"the database {display_url(url)} is {where}; this newsetl expects {head}. "
        f"Run `newsetl db upgrade --db '{display_url(url)}'` first."
    )
