"""pending_resolutions: batches that changed articles since the last entity resolution

Every batch that writes articles adds a row in its own transaction; the
corpus-wide entity resolution deletes the rows it has seen. A run that finds
the table empty skips the resolution: nothing it reads has changed. One row is
added here so that the first run after this revision resolves once.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import etl.db.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "pending_resolutions",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "articles", sa.Integer(), nullable=False, comment="Articles the batch wrote (new or changed)."
        ),
        sa.Column(
            "created_at",
            etl.db.types.UTCDateTime(fractional_seconds=True),
            nullable=False,
            comment="When the batch was loaded (UTC).",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_resolutions")),
        comment="Batches that changed articles since the last entity resolution (emptied by it).",
    )
    op.bulk_insert(table, [{"articles": 0, "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("pending_resolutions")
