"""Migrations on every configured database: one head, up and down, models in sync, names."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from etl.db import migrate
from etl.db.base import Base
from etl.db.engine import make_engine
from etl.db.search import include_in_autogenerate
from etl.errors import SchemaNotCurrent


def test_single_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_matches_models_and_downgrades_stepwise(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_in_autogenerate}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        tables = set(inspect(engine).get_table_names())
        assert {"articles", "sources", "contributors", "entities", "quotes", "etl_runs"} <= tables
    finally:
        engine.dispose()

    script = ScriptDirectory.from_config(migrate.alembic_config(database_url))
    revisions = list(script.walk_revisions())  # head first
    for revision in revisions:
        migrate.downgrade(database_url, revision.down_revision or "base")
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    for revision in reversed(revisions):
        migrate.upgrade(database_url, revision.revision)
    migrate.check(database_url)


def test_every_constraint_is_named_within_63_characters() -> None:
    names = []
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"
            names.append(str(constraint.name))
        names += [str(index.name) for index in table.indexes]
    too_long = [name for name in names if len(name) > 63]
    assert not too_long


def test_every_string_column_has_a_length() -> None:
    from sqlalchemy import String, Text

    for table in Base.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, String) and not isinstance(column.type, Text):
                assert column.type.length, f"{table.name}.{column.name} has no length"


def test_run_refuses_a_database_behind_head(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url, "0001")
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(SchemaNotCurrent, match="newsetl db upgrade"):
            migrate.ensure_schema(engine, sqlite_url)
        assert migrate.current_revision(engine) == "0001"  # never altered silently
    finally:
        engine.dispose()


def test_empty_database_is_migrated_on_first_use(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        assert migrate.ensure_schema(engine, sqlite_url) is True
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert migrate.ensure_schema(engine, sqlite_url) is False
    finally:
        engine.dispose()
