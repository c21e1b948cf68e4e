"""SQLite full-text table declared so Datasette finds it

Datasette finds the FTS table of ``articles`` by matching ``content="articles"``
(double quotes) in its DDL; revision 0005 wrote ``content='articles'``, so
``/articles?_search=`` silently returned every row. The FTS5 table is created
again with the same columns and options, the name double-quoted, and its
index rebuilt from ``articles``; the triggers are recreated with it.

Its shadow tables (``articles_fts_data``, ``_idx``, ``_docsize``,
``_config``) cannot be hidden on SQLite: Datasette hides them by itself,
and docs/bi-tools.md tells Superset users to ignore them. PostgreSQL and
MariaDB/MySQL have no FTS table (an index), so nothing changes there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:11:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROP = (
    "DROP TRIGGER IF EXISTS articles_fts_after_update",
    "DROP TRIGGER IF EXISTS articles_fts_after_delete",
    "DROP TRIGGER IF EXISTS articles_fts_after_insert",
    "DROP TABLE IF EXISTS articles_fts",
)


def _create(content: str) -> tuple[str, ...]:
    return (
        f"""CREATE VIRTUAL TABLE articles_fts USING fts5(
        headline, body, content={content}, content_rowid='id',
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
        # Index the articles already loaded.
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    )


def _recreate(content: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in (*DROP, *_create(content)):
        op.execute(statement)


def upgrade() -> None:
    _recreate('"articles"')


def downgrade() -> None:
    _recreate("'articles'")
