"""Alembic environment: shares the app's connection when given one."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool

from etl.db.base import Base
from etl.db.engine import make_engine
from etl.db.search import include_in_autogenerate

config = context.config

# Only configure logging when run from the alembic CLI with an ini file;
# otherwise migrations would silence the application's loggers.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

import etl.db.models  # noqa: E402,F401  (registers the tables on Base.metadata)

target_metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave views and the full-text search objects (hand-written migrations) out of autogenerate."""
    if not include_in_autogenerate(obj, name, type_, reflected, compare_to):
        return False
    return not (type_ == "table" and reflected and compare_to is None and name in _view_names())


def _view_names() -> set[str]:
    return set(config.attributes.get("view_names", ()))


def _configure(connection: object) -> None:
    from sqlalchemy import inspect

    config.attributes["view_names"] = inspect(connection).get_view_names()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = os.environ.get("NEWSETL_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url, foreign_keys=False, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        # Inspecting views above began a transaction that alembic leaves to us.
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
