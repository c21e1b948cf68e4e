"""file_stamps: input files a successful run read whole, skipped unopened while unchanged

Written at the end of a successful run, one row per file whose documents were
all loaded (or unchanged). A re-run that finds the same path, size and mtime
with a current pipeline version counts the file's documents as unchanged
without opening it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import etl.db.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_stamps",
        sa.Column(
            "path_sha256",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of path (long paths cannot be indexed on MySQL).",
        ),
        sa.Column(
            "path",
            sa.String(length=2048),
            nullable=False,
            comment="Absolute path of the file, as discovered.",
        ),
        sa.Column("size", sa.BigInteger(), nullable=False, comment="Size in bytes when it was read."),
        sa.Column(
            "mtime_ns", sa.BigInteger(), nullable=False, comment="Modification time (ns) when it was read."
        ),
        sa.Column(
            "pipeline_version",
            sa.String(length=32),
            nullable=False,
            comment="Version its documents were processed with (as articles.pipeline_version).",
        ),
        sa.Column("documents", sa.Integer(), nullable=False, comment="Documents it held (all loaded)."),
        sa.Column(
            "stamped_at",
            etl.db.types.UTCDateTime(fractional_seconds=True),
            nullable=False,
            comment="When the run that read it succeeded (UTC).",
        ),
        sa.PrimaryKeyConstraint("path_sha256", name=op.f("pk_file_stamps")),
        comment="Input files a successful run read whole; an unchanged one is not opened again.",
    )


def downgrade() -> None:
    op.drop_table("file_stamps")
