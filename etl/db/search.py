"""Full-text search over article headlines and bodies, on each database's own engine.

The index lives in the database (migration 0005): SQLite FTS5 kept in sync by
triggers, a PostgreSQL GIN expression index, a MariaDB/MySQL FULLTEXT index.
A query is split into words and every word must match (stemmed on SQLite and
PostgreSQL), so ``newsetl search`` behaves the same on the three databases.
The words a server's index leaves out (PostgreSQL's stopwords and
one- and two-letter words such as "Xi" or the parts of "U.S."; InnoDB's
stopwords and words under three letters) are not dropped: they are matched as
whole words (plus a plural or possessive ending, close to what SQLite's
stemmer allows) with a regular expression over the rows the other words found
(or over every article when no word is indexed), so "the", "Xi" and "U.S."
find the same articles on the three databases.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, Integer, String, Text, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.selectable import TextualSelect

from etl.db.engine import make_engine, require_database
from etl.db.types import UTCDateTime
from etl.errors import EtlError

FULLTEXT_INDEX = "ix_articles_fulltext"
"""The PostgreSQL and MariaDB/MySQL index (migration 0005)."""
FTS_TABLE = "articles_fts"
"""The SQLite FTS5 table; FTS5 adds shadow tables named ``articles_fts_*``."""
PG_DOCUMENT = "to_tsvector('english', COALESCE(a.headline, '') || ' ' || a.body)"
"""Must stay the expression of the GIN index, or PostgreSQL scans every article."""
VIEW_TYPES_TABLE = "view_column_types"
"""SQLite only: empty, its columns declare the types of the view columns (migration 0010)."""
MYSQL_MIN_WORD = 3
"""InnoDB does not index shorter words (``innodb_ft_min_token_size``)."""
_INNODB_STOPWORDS_TEXT = "a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www"
INNODB_STOPWORDS = frozenset(_INNODB_STOPWORDS_TEXT.split())
"""InnoDB's default full-text stopwords: never indexed, so requiring one would match nothing."""
SNIPPET_CONTEXT = 80

_SOURCE_JOIN = "LEFT JOIN sources p ON p.id = a.publisher_id LEFT JOIN sources w ON w.id = a.wire_source_id"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article that matches, best first; ``snippet`` marks matches with [brackets]."""

    article_id: int
    published_at: datetime | None
    headline: str | None
    source_name: str | None
    snippet: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["published_at"] = self.published_at.isoformat() if self.published_at else None
        return row


def include_in_autogenerate(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic ``include_object`` hook: skip the objects made by hand in migrations.

    The search objects of migration 0005 (0011 on SQLite) and the SQLite table
    that declares the view column types (migration 0010).
    """
    if type_ == "index" and name == FULLTEXT_INDEX:
        return False
    if type_ == "table" and name == VIEW_TYPES_TABLE:
        return False
    return not (
        type_ == "table" and name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    )


def query_words(query: str) -> list[str]:
    """The words of a free-text query; punctuation and search operators are dropped."""
    return re.findall(r"\w+", query)


def _typed(sql: str) -> TextualSelect:
    return text(sql).columns(
        id=Integer(),
        published_at=UTCDateTime(),
        headline=String(),
        source_name=String(),
        snippet=Text(),
        score=Float(),
    )


def _hit(
    article_id: int,
    published_at: datetime | None,
    headline: str | None,
    source: str | None,
    snippet_text: str | None,
    score: float,
) -> SearchHit:
    snippet_text = " ".join(snippet_text.split()) if snippet_text else None
    return SearchHit(article_id, published_at, headline, source, snippet_text, float(score))


def _sqlite(connection: Connection, words: list[str], limit: int) -> list[SearchHit]:
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    rows = connection.execute(
        _typed(
            f"""SELECT a.id, a.published_at, a.headline, COALESCE(p.name, w.name) AS source_name,
                   snippet({FTS_TABLE}, 1, '[', ']', '…', 24) AS snippet, -{FTS_TABLE}.rank AS score
            FROM {FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid {_SOURCE_JOIN}
            WHERE {FTS_TABLE} MATCH :match ORDER BY {FTS_TABLE}.rank LIMIT :limit"""
        ),
        {"match": match, "limit": limit},
    )
    return [_hit(*row) for row in rows]


SHORT_WORD = 3
"""Words shorter than this are matched by regular expression on the servers (see the module doc)."""


def _scanned_words(connection: Connection, words: list[str], dialect: str) -> list[str]:
    """The words the server's full-text index does not hold, to be matched by regular expression."""
    if dialect == "postgresql":
        empty = [
            w
            for w in words
            if not connection.execute(
                text("SELECT numnode(plainto_tsquery('english', :w))"), {"w": w}
            ).scalar()
        ]
        return [w for w in words if len(w) < SHORT_WORD or w in empty]
    return [w for w in words if len(w) < MYSQL_MIN_WORD or w.lower() in INNODB_STOPWORDS]


_INFLECTION = "(s|es|'s|’s)?"
"""What a word matched by regular expression may end with: SQLite's porter stemmer finds "its" for "it"."""


def _word_filters(words: list[str], dialect: str) -> tuple[str, dict[str, str]]:
    """SQL that requires each of ``words`` as a whole word, any case, in the headline or body."""
    document = "CONCAT(COALESCE(a.headline, ''), ' ', a.body)"
    clauses, params = [], {}
    for i, word in enumerate(words):  # \w+ words: nothing to escape
        if dialect == "postgresql":
            clauses.append(f"(COALESCE(a.headline, '') || ' ' || a.body) ~* :word{i}")
            params[f"word{i}"] = rf"\m{word}{_INFLECTION}\M"
        else:
            clauses.append(f"{document} REGEXP :word{i}")
            params[f"word{i}"] = rf"(?i)\b{word}{_INFLECTION}\b"
    return "".join(f" AND {clause}" for clause in clauses), params


def _scan(connection: Connection, words: list[str], dialect: str, limit: int) -> list[SearchHit]:
    """Every word outside the index: a scan with regular expressions (newest first)."""
    where, params = _word_filters(words, dialect)
    rows = connection.execute(
        text(
            f"""SELECT a.id, a.published_at, a.headline, COALESCE(p.name, w.name) AS source_name, a.body
            FROM articles a {_SOURCE_JOIN} WHERE 1 = 1{where}
            ORDER BY a.published_at DESC, a.id LIMIT :limit"""
        ).columns(published_at=UTCDateTime()),
        {**params, "limit": limit},
    )
    return [
        _hit(row.id, row.published_at, row.headline, row.source_name, snippet(row.body, words), 0.0)
        for row in rows
    ]


def _postgresql(connection: Connection, words: list[str], limit: int) -> list[SearchHit]:
    scanned = _scanned_words(connection, words, "postgresql")
    indexed = [w for w in words if w not in scanned]
    if not indexed:
        return _scan(connection, words, "postgresql", limit)
    where, params = _word_filters(scanned, "postgresql")
    # ts_headline is slow: compute it for the page of hits only.
    rows = connection.execute(
        _typed(
            f"""WITH q AS (SELECT plainto_tsquery('english', :query) AS query),
            hits AS (
                SELECT a.id, a.published_at, a.headline, COALESCE(p.name, w.name) AS source_name, a.body,
                       ts_rank({PG_DOCUMENT}, q.query) AS score
                FROM articles a CROSS JOIN q {_SOURCE_JOIN}
                WHERE {PG_DOCUMENT} @@ q.query{where}
                ORDER BY score DESC, a.id LIMIT :limit)
            SELECT hits.id, hits.published_at, hits.headline, hits.source_name,
                   ts_headline('english', hits.body, q.query,
                               'StartSel=[, StopSel=], MaxWords=30, MinWords=10, MaxFragments=1') AS snippet,
                   hits.score
            FROM hits CROSS JOIN q ORDER BY hits.score DESC, hits.id"""
        ),
        {"query": " ".join(indexed), "limit": limit, **params},
    )
    return [_hit(*row) for row in rows]


def _mysql(connection: Connection, words: list[str], limit: int) -> list[SearchHit]:
    scanned = _scanned_words(connection, words, "mysql")
    indexed = [w for w in words if w not in scanned]
    if not indexed:
        return _scan(connection, words, "mysql", limit)
    where, params = _word_filters(scanned, "mysql")
    against = " ".join("+" + word for word in indexed)
    match = "MATCH (a.headline, a.body) AGAINST (:against IN BOOLEAN MODE)"
    rows = connection.execute(
        text(
            f"""SELECT a.id, a.published_at, a.headline, COALESCE(p.name, w.name) AS source_name,
                   a.body, {match} AS score
            FROM articles a {_SOURCE_JOIN}
            WHERE {match}{where} ORDER BY score DESC, a.id LIMIT :limit"""
        ).columns(published_at=UTCDateTime()),
        {"against": against, "limit": limit, **params},
    )
    return [
        _hit(row.id, row.published_at, row.headline, row.source_name, snippet(row.body, indexed), row.score)
        for row in rows
    ]


def snippet(body: str, words: list[str], context: int = SNIPPET_CONTEXT) -> str | None:
    """A window of ``body`` around the first word that matches, the match in [brackets]."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)
    found = pattern.search(body)
    if not found:
        return None
    start, end = max(found.start() - context, 0), min(found.end() + context, len(body))
    window = body[start : found.start()] + "[" + found.group(0) + "]" + body[found.end() : end]
    window = " ".join(window.split())
    return ("…" if start else "") + window + ("…" if end < len(body) else "")


def search_articles(url: str, query: str, limit: int = 20) -> list[SearchHit]:
    """Articles whose headline or body contains every word of ``query``, best first.

    Raises:
        EtlError: the query has no words, or the database has no search index
            (run ``newsetl db upgrade``).
    """
    words = query_words(query)
    if not words:
        raise EtlError(f"nothing to search for in {query!r}: give at least one word")
    require_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            dialect = connection.dialect.name
            try:
                if dialect == "sqlite":
                    return _sqlite(connection, words, limit)
                if dialect == "postgresql":
                    return _postgresql(connection, words, limit)
                return _mysql(connection, words, limit)
            except DBAPIError as exc:
                if _missing_index(connection, dialect):
                    raise EtlError(
                        "the database has no full-text index yet: run `newsetl db upgrade` first"
                    ) from exc
                raise
    finally:
        engine.dispose()


def _missing_index(connection: Connection, dialect: str) -> bool:
    connection.rollback()
    inspector = inspect(connection)
    if dialect == "sqlite":
        return FTS_TABLE not in inspector.get_table_names()
    if "articles" not in inspector.get_table_names():
        return True
    return FULLTEXT_INDEX not in {index["name"] for index in inspector.get_indexes("articles")}
