"""Database snapshots that ignore ids and load times, to compare runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from etl.db.engine import make_engine

CONTENT_TABLES = (
    "articles",
    "sources",
    "contributors",
    "article_contributors",
    "dateline_places",
    "entities",
    "entity_aliases",
    "mentions",
    "quotes",
)

QUERIES = {
    "articles": "SELECT document_key, content_sha256, headline, body, word_count FROM articles",
    "contributors": """SELECT a.document_key, ac.position, c.name, ac.role, ac.location
        FROM article_contributors ac JOIN articles a ON a.id = ac.article_id
        JOIN contributors c ON c.id = ac.contributor_id""",
    "mentions": """SELECT a.document_key, e.name, e.type, m.start_offset, m.end_offset
        FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id""",
    "quotes": """SELECT a.document_key, q.position, q.text, q.speaker_name
        FROM quotes q JOIN articles a ON a.id = q.article_id""",
    "sources": "SELECT name_key, domain FROM sources",
}


def snapshot(url: str) -> dict[str, Any]:
    """Row counts of the content tables and their contents without surrogate keys."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            result: dict[str, Any] = {
                f"count:{table}": connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in CONTENT_TABLES
            }
            for name, query in QUERIES.items():
                result[name] = sorted(tuple(row) for row in connection.execute(text(query)))
            return result
    finally:
        engine.dispose()


def scalar(url: str, query: str, **params: Any) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query), params).scalar()
    finally:
        engine.dispose()


def rows(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query), params)]
    finally:
        engine.dispose()
