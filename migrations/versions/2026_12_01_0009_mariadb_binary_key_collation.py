"""identity keys compare code point by code point on MariaDB/MySQL

MariaDB's default collations equate "US" with "us" and "ı" with "i", so a
second spelling of a name hit the unique key of the first and its row (an
alias, a credit, mentions) was lost, while PostgreSQL and SQLite kept both.
Every unique natural key (and every column in one) gets ``utf8mb4_bin``, so
the three databases hold the same rows. Nothing changes on PostgreSQL (its
default collation is deterministic) or SQLite (BINARY).

Downgrade restores the table's default collation; it fails with a duplicate key
when the table holds two keys that differ only in case or accents.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 00:09:00
"""

from collections.abc import Sequence

from alembic import op

from etl.db.ddl import mysql_modify_columns, mysql_table_collation

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEYS = {
    "sources": {"name_key": 255},
    "contributors": {"name_key": 255},
    "entities": {"key": 255, "type": 16},
    "entity_aliases": {"alias": 255},
    "articles": {"document_key_sha256": 64},
}


def _set(binary: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return
    for table, columns in KEYS.items():
        collation = "utf8mb4_bin" if binary else mysql_table_collation(bind, table)
        charset = collation.split("_", 1)[0]
        mysql_modify_columns(
            bind,
            table,
            {
                name: f"VARCHAR({length}) CHARACTER SET {charset} COLLATE {collation}"
                for name, length in columns.items()
            },
        )


def upgrade() -> None:
    _set(binary=True)


def downgrade() -> None:
    _set(binary=False)
