"""entity resolution: each article's own entities, and counts on entities and aliases

- ``article_entities``: one row per entity of an article as transform gave it
  (name, key, type, mention count, product cues) with the corpus entity it
  resolved to; ``mentions.article_entity_id`` points at it. Corpus-level
  resolution (``etl/load/resolve.py``) recomputes ``entity_id`` from the whole
  set of these rows.
- ``entities`` and ``entity_aliases`` gain ``article_count`` and
  ``mention_count`` (the evidence: how often each form was written).

Articles loaded before this revision are backfilled: one ``article_entities``
row per (article, entity) their mentions link to.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = {
    "entities": (
        "Articles that mention the entity (set by entity resolution).",
        "Mentions of the entity in all articles (set by entity resolution).",
    ),
    "entity_aliases": (
        "Articles that write the entity this way (set by entity resolution).",
        "Mentions written this way (set by entity resolution).",
    ),
}


def _legacy_alter(on: bool) -> None:
    """SQLite: let batch mode recreate a table that reporting views name.

    Batch mode renames a copy of the table into place; modern SQLite then
    re-checks every view and fails while the original is gone. The legacy
    behaviour renames without that check (the views name the table, which
    exists again right after).
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA legacy_alter_table={'ON' if on else 'OFF'}")


def upgrade() -> None:
    op.create_table(
        "article_entities",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="Article (articles.id)."),
        sa.Column(
            "position", sa.Integer(), nullable=False, comment="Order of the entity in the article, from 0."
        ),
        sa.Column("name", sa.String(255), nullable=False, comment="Fullest name the article uses for it."),
        sa.Column("key", sa.String(255), nullable=False, comment="Normalised name from transform."),
        sa.Column("type", sa.String(16), nullable=False, comment="Type the article's mentions were given."),
        sa.Column("mention_count", sa.Integer(), nullable=False, comment="Mentions of it in the article."),
        sa.Column(
            "product_cues",
            sa.Integer(),
            nullable=False,
            comment='Mentions read as a product or platform ("on X", "X users").',
        ),
        sa.Column(
            "entity_id",
            sa.Integer(),
            nullable=False,
            comment="Corpus entity it resolved to (entities.id).",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_entities_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_article_entities_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_entities")),
        sa.UniqueConstraint("article_id", "position", name=op.f("uq_article_entities_article_id_position")),
        comment="Each article's own entities (name, key and type as the article gives them) "
        "and the corpus entity each one resolved to.",
    )
    op.create_index("ix_article_entities_key_type", "article_entities", ["key", "type"])
    op.create_index(op.f("ix_article_entities_entity_id"), "article_entities", ["entity_id"])
    for table, (articles_comment, mentions_comment) in _COUNTS.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("article_count", sa.Integer(), nullable=True, comment=articles_comment)
            )
            batch.add_column(
                sa.Column("mention_count", sa.Integer(), nullable=True, comment=mentions_comment)
            )
    _legacy_alter(True)
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(
            sa.Column(
                "article_entity_id",
                sa.Integer(),
                nullable=True,
                comment="The article's own entity this mention belongs to (article_entities.id).",
            )
        )
        batch.create_index(op.f("ix_mentions_article_entity_id"), ["article_entity_id"])
        batch.create_foreign_key(
            op.f("fk_mentions_article_entity_id_article_entities"),
            "article_entities",
            ["article_entity_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _legacy_alter(False)
    _backfill()


def _backfill() -> None:
    """One article_entities row per (article, entity) that existing mentions link to."""
    mentions = sa.table(
        "mentions",
        sa.column("id", sa.Integer),
        sa.column("article_id", sa.Integer),
        sa.column("entity_id", sa.Integer),
        sa.column("article_entity_id", sa.Integer),
    )
    entities = sa.table(
        "entities",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("key", sa.String),
        sa.column("type", sa.String),
    )
    groups = sa.table(
        "article_entities",
        sa.column("id", sa.Integer),
        sa.column("article_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("name", sa.String),
        sa.column("key", sa.String),
        sa.column("type", sa.String),
        sa.column("mention_count", sa.Integer),
        sa.column("product_cues", sa.Integer),
        sa.column("entity_id", sa.Integer),
    )
    # The first mention's id orders the entities within the article (unique per article).
    source = (
        sa.select(
            mentions.c.article_id,
            sa.func.min(mentions.c.id),
            entities.c.name,
            entities.c.key,
            entities.c.type,
            sa.func.count(),
            sa.literal(0),
            entities.c.id,
        )
        .select_from(mentions.join(entities, entities.c.id == mentions.c.entity_id))
        .group_by(mentions.c.article_id, entities.c.id, entities.c.name, entities.c.key, entities.c.type)
    )
    op.execute(
        groups.insert().from_select(
            [
                "article_id",
                "position",
                "name",
                "key",
                "type",
                "mention_count",
                "product_cues",
                "entity_id",
            ],
            source,
        )
    )
    owner = (
        sa.select(groups.c.id)
        .where(groups.c.article_id == mentions.c.article_id, groups.c.entity_id == mentions.c.entity_id)
        .scalar_subquery()
    )
    op.execute(mentions.update().values(article_entity_id=owner))


def downgrade() -> None:
    _legacy_alter(True)
    with op.batch_alter_table("mentions") as batch:
        batch.drop_constraint(op.f("fk_mentions_article_entity_id_article_entities"), type_="foreignkey")
        batch.drop_index(op.f("ix_mentions_article_entity_id"))
        batch.drop_column("article_entity_id")
    for table in _COUNTS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("mention_count")
            batch.drop_column("article_count")
    _legacy_alter(False)
    # Its indexes go with it (MySQL refuses to drop one a foreign key needs).
    op.drop_table("article_entities")
