"""Loader: one entity row per person across articles, and ambiguity left alone."""

from __future__ import annotations

from datetime import UTC, datetime

from etl.db import migrate
from etl.db.engine import make_engine
from etl.load.loader import find_stored_articles, load_articles
from etl.records import ArticleRecord, EntityRecord, MentionRecord
from tests.snapshots import rows


def _article(key: str, *names: str) -> ArticleRecord:
    body = " and ".join(names) + " spoke."
    entities, offset = [], 0
    for name in names:
        entities.append(
            EntityRecord(
                name=name,
                type="PERSON",
                key=name.lower(),
                mentions=(MentionRecord(offset, offset + len(name), name),),
            )
        )
        offset += len(name) + len(" and ")
    return ArticleRecord(
        source_uri=key, document_key=key, content_sha256=key, body=body, entities=tuple(entities)
    )


def _load(url: str, *articles: ArticleRecord) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            stored = find_stored_articles(connection, (a.document_key for a in articles))
            load_articles(connection, articles, stored, "test", datetime.now(UTC))
    finally:
        engine.dispose()


def test_bare_surname_joins_the_only_known_person_and_not_an_ambiguous_one(database_url: str) -> None:
    migrate.upgrade(database_url)
    _load(database_url, _article("a", "Vladimir Putin", "Barack Obama", "Michelle Obama", "Ann O_Neil"))
    _load(database_url, _article("b", "Putin", "Obama", "Neil"))
    people = sorted(r[0] for r in rows(database_url, "SELECT name FROM entities WHERE type = 'PERSON'"))
    # "Putin" joined Vladimir Putin; "Obama" has two candidates and stays apart;
    # "Neil" is not the surname of "Ann O_Neil" (whose key holds a LIKE wildcard).
    assert people == ["Ann O_Neil", "Barack Obama", "Michelle Obama", "Neil", "Obama", "Vladimir Putin"]
    putin_articles = rows(
        database_url,
        """SELECT COUNT(DISTINCT m.article_id) FROM mentions m JOIN entities e ON e.id = m.entity_id
           WHERE e.name = 'Vladimir Putin'""",
    )
    assert putin_articles == [(2,)]
