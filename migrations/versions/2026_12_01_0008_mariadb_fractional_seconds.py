"""fractional seconds kept on MariaDB/MySQL

MariaDB/MySQL ``DATETIME`` drops microseconds; ``DATETIME(6)`` keeps them, as
PostgreSQL's ``TIMESTAMP`` and SQLite's ISO text already do (nothing changes on them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:08:00
"""

from collections.abc import Sequence

from alembic import op

from etl.db.ddl import mysql_modify_columns

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = {
    "sources": ("created_at",),
    "articles": ("published_at", "updated_at", "first_loaded_at", "last_loaded_at"),
    "contributors": ("created_at",),
    "entities": ("created_at",),
    "etl_runs": ("started_at", "finished_at"),
    "rejected_documents": ("created_at",),
}


def _set(sql_type: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return
    for table, columns in COLUMNS.items():
        mysql_modify_columns(bind, table, dict.fromkeys(columns, sql_type))


def upgrade() -> None:
    _set("DATETIME(6)")


def downgrade() -> None:
    _set("DATETIME")
