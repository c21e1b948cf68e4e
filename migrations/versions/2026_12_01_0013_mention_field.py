"""mentions.field: which text a mention's offsets index, 'headline' or 'body'

Mentions in the headline are extracted too; their offsets index
``articles.headline``. Rows loaded before this revision are body mentions.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on every backend: SQLite adds a column with a constant
    # default in place, so the reporting views over ``mentions`` stay valid.
    op.add_column(
        "mentions",
        sa.Column(
            "field",
            sa.String(length=8),
            server_default="body",
            nullable=False,
            comment="Which text the offsets index: 'headline' (articles.headline) or 'body' (articles.body).",
        ),
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # Batch mode copies the table into place; the legacy rename skips the
        # re-check of views that name it while the copy is being swapped in.
        op.execute("PRAGMA legacy_alter_table=ON")
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("field")
    if sqlite:
        op.execute("PRAGMA legacy_alter_table=OFF")
