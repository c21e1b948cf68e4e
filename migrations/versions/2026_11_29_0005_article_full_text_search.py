"""full-text search over article headlines and bodies, on each database's own engine

- SQLite: an FTS5 table ``articles_fts`` with external content (``articles``),
  kept in sync by triggers on insert, update and delete, so the bulk loader
  needs no change. Porter stemming, diacritics folded.
- PostgreSQL: a GIN expression index on ``to_tsvector('english', headline || body)``;
  queries use the same expression (``etl/db/search.py``).
- MariaDB/MySQL: a FULLTEXT index on ``(headline, body)``.

These objects are not in the models; ``etl.db.search.include_in_autogenerate``
keeps them out of autogenerate. SQLite caveat for later migrations: a batch
operation that recreates ``articles`` drops these triggers; recreate them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 00:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_articles_fulltext"
PG_DOCUMENT = "to_tsvector('english', COALESCE(headline, '') || ' ' || body)"

SQLITE_UP = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        headline, body, content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_after_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, headline, body) VALUES (new.id, new.headline, new.body);
    END""",
    """CREATE TRIGGER articles_fts_after_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, headline, body)
        VALUES ('delete', old.id, old.headline, old.body);
    END""",
    """CREATE TRIGGER articles_fts_after_update AFTER UPDATE OF headline, body ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, headline, body)
        VALUES ('delete', old.id, old.headline, old.body);
        INSERT INTO articles_fts (rowid, headline, body) VALUES (new.id, new.headline, new.body);
    END""",
    # Index the articles loaded before this revision.
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)

SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS articles_fts_after_update",
    "DROP TRIGGER IF EXISTS articles_fts_after_delete",
    "DROP TRIGGER IF EXISTS articles_fts_after_insert",
    "DROP TABLE IF EXISTS articles_fts",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX {INDEX} ON articles USING gin (({PG_DOCUMENT}))")
    else:
        op.execute(f"CREATE FULLTEXT INDEX {INDEX} ON articles (headline, body)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.drop_index(INDEX, table_name="articles")
        if dialect in ("mysql", "mariadb"):
            # InnoDB keeps a hidden FTS_DOC_ID column after the index is gone, and a FULLTEXT index
            # created again on top of it matches nothing (MariaDB 10.11): rebuild the table without it.
            op.execute("ALTER TABLE articles FORCE")
