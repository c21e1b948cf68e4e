"""long text columns hold the 20 MB input limit on MariaDB/MySQL

MariaDB/MySQL ``TEXT`` stops at 65,535 bytes: a longer article body failed its
batch on every re-run. ``LONGTEXT`` there (4 GB); PostgreSQL and SQLite text
has no such limit, so nothing changes on them. Also the other unbounded text
columns: quote text, run arguments (a run over ~1,300 paths), run errors and
rejection reasons.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 00:06:00
"""

from collections.abc import Sequence

from alembic import op

from etl.db.ddl import mysql_modify_columns

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = {
    "articles": ("body",),
    "quotes": ("text",),
    "etl_runs": ("arguments", "error"),
    "rejected_documents": ("reason",),
}


def _set(sql_type: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return
    for table, columns in COLUMNS.items():
        mysql_modify_columns(bind, table, dict.fromkeys(columns, sql_type))


def upgrade() -> None:
    _set("LONGTEXT")


def downgrade() -> None:
    # Fails (strict mode) when a stored value is over 64 KB: nothing is cut silently.
    _set("TEXT")
