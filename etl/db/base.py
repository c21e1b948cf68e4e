"""Declarative base with a constraint naming convention and the type map."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase

from etl.db.types import UTCDateTime

# Set before the first migration: adding it later renames every constraint.
# Every generated name must stay within 63 characters (PostgreSQL and MySQL
# truncate longer ones differently); tests/test_migrations.py checks this.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {str: String(255), datetime: UTCDateTime(fractional_seconds=True)}


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, typed as a Table for bulk statements."""
    return cast(Table, model.__table__)
