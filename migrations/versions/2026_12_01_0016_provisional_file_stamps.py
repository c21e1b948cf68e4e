"""file_stamps.pending_run_id: stamps written as a run goes, usable once it succeeds

A run writes each file's stamp once the batches holding its documents have
committed, tied to the run, instead of holding every stamp in memory until it
ends; it confirms them (``pending_run_id`` back to NULL) in one statement when
it succeeds. Lookups use confirmed stamps only. Existing stamps are confirmed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table in place
    # (no view reads file_stamps, so its copy-and-swap is safe).
    with op.batch_alter_table("file_stamps") as batch:
        batch.add_column(
            sa.Column(
                "pending_run_id",
                sa.Integer(),
                nullable=True,
                comment="Run (etl_runs.id) that wrote it and has not succeeded yet; "
                "NULL once it has (only then used).",
            )
        )
        batch.create_index(batch.f("ix_file_stamps_pending_run_id"), ["pending_run_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_file_stamps_pending_run_id_etl_runs"),
            "etl_runs",
            ["pending_run_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # Unconfirmed stamps have no meaning without the column.
    op.execute("DELETE FROM file_stamps WHERE pending_run_id IS NOT NULL")
    with op.batch_alter_table("file_stamps") as batch:
        batch.drop_constraint(batch.f("fk_file_stamps_pending_run_id_etl_runs"), type_="foreignkey")
        batch.drop_index(batch.f("ix_file_stamps_pending_run_id"))
        batch.drop_column("pending_run_id")
