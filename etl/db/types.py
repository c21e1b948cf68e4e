"""Column types shared by the models and the migrations.

Migrations import this module, so keep it importable and stable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Float, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeDecorator, TypeEngine

MYSQL = ("mysql", "mariadb")
BINARY_COLLATION = "utf8mb4_bin"
"""MariaDB/MySQL collation of identity keys: compares code points, as PostgreSQL and SQLite do."""


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as naive UTC and read back as aware UTC.

    Naive values are refused: every datetime is converted to UTC in transform,
    so a naive one here is a bug that would silently shift times.

    Args:
        fractional_seconds: keep microseconds on MariaDB/MySQL (``DATETIME(6)``;
            plain ``DATETIME`` rounds them away). PostgreSQL and SQLite always keep them.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self, fractional_seconds: bool = False) -> None:
        super().__init__()
        self.fractional_seconds = fractional_seconds

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if self.fractional_seconds and dialect.name in MYSQL:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: convert to UTC first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite returns text for expressions like MAX()
            value = datetime.fromisoformat(value)
        result: datetime = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return result


def long_text() -> Text:
    """Text that holds the 20 MB input limit everywhere (MariaDB/MySQL ``TEXT`` stops at 64 KB)."""
    return Text().with_variant(mysql.LONGTEXT(), *MYSQL)


def double() -> Float[float]:
    """A double-precision float everywhere (MariaDB/MySQL ``FLOAT`` is single precision)."""
    return Float().with_variant(mysql.DOUBLE(asdecimal=False), *MYSQL)


def key_string(length: int = 255) -> String:
    """A string compared code point by code point on every database.

    For identity keys and aliases: MariaDB's default collations equate "US"
    with "us" and "ı" with "i", which would merge rows PostgreSQL and SQLite keep apart.
    """
    return String(length).with_variant(mysql.VARCHAR(length, collation=BINARY_COLLATION), *MYSQL)
