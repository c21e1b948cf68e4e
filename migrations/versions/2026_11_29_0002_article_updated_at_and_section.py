"""article updated_at and section

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 00:07:48.278281
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import etl.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", etl.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("section", sa.String(length=255), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("section")
        batch_op.drop_column("updated_at")
