"""double-precision coordinates on MariaDB/MySQL

MariaDB/MySQL ``FLOAT`` is single precision (40.7143 for 40.71427). ``DOUBLE``
there; PostgreSQL's ``FLOAT`` is already double precision and SQLite's REAL is
8 bytes, so nothing changes on them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:07:00
"""

from collections.abc import Sequence

from alembic import op

from etl.db.ddl import mysql_modify_columns

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set(sql_type: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb"):
        mysql_modify_columns(bind, "entities", {"latitude": sql_type, "longitude": sql_type})


def upgrade() -> None:
    _set("DOUBLE")


def downgrade() -> None:
    _set("FLOAT")
