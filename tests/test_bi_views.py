"""Reporting views and schema comments on every database, over the corpus loaded by the real pipeline."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String, inspect
from sqlalchemy.types import NullType

from etl.db.base import Base
from etl.db.engine import make_engine
from tests.bi_corpus import NORTHERN
from tests.snapshots import rows, scalar

pytestmark = pytest.mark.nlp

DATE_COLUMNS = ("published_at", "published_date", "source_name", "publisher", "wire_source")
VIEW_COLUMNS = {
    "articles_report": (
        "article_id", "headline", "published_at", "published_date", "published_tz_known", "source_name",
        "publisher", "wire_source", "section", "language", "dateline", "url", "word_count", "contributors",
        "contributor_count", "mention_count", "entity_count", "quote_count", "anonymous_quote_count",
    ),
    "quotes_report": (
        "quote_id", "article_id", "quote_position", "quote_text", "kind", "speaker", "speaker_name",
        "speaker_text", "speaker_entity_id", "speaker_anonymous", "speaker_description", "cue", "headline",
        *DATE_COLUMNS,
    ),
    "mentions_report": (
        "mention_id", "article_id", "entity_id", "entity_name", "entity_type", "mention_text", "paragraph",
        "start_offset", "end_offset", "country_code", "latitude", "longitude", "headline", *DATE_COLUMNS,
    ),
    "contributors_report": (
        "article_id", "credit_position", "contributor_id", "contributor_name", "role", "location", "headline",
        *DATE_COLUMNS,
    ),
    "entity_daily_counts": (
        "entity_id", "entity_name", "entity_type", "published_date", "source_id", "source_name",
        "article_count", "mention_count",
    ),
    "places_report": (
        "entity_id", "place_name", "place_type", "country_code", "latitude", "longitude", "article_count",
        "mention_count", "first_published_at", "last_published_at",
    ),
}  # fmt: skip


def test_inspector_sees_every_view_with_columns_and_types(corpus_url: str) -> None:
    engine = make_engine(corpus_url)
    try:
        inspector = inspect(engine)
        assert set(VIEW_COLUMNS) <= set(inspector.get_view_names())
        assert not set(VIEW_COLUMNS) & set(inspector.get_table_names())
        for view, expected in VIEW_COLUMNS.items():
            columns = {c["name"]: c["type"] for c in inspector.get_columns(view)}
            assert tuple(columns) == expected, view
            if engine.dialect.name != "sqlite":
                untyped = [name for name, type_ in columns.items() if isinstance(type_, NullType)]
                assert not untyped, f"{view}: no type for {untyped}"
        # SQLite declares types for columns read straight from a table, not for computed ones.
        articles = {c["name"]: c["type"] for c in inspector.get_columns("articles_report")}
        assert isinstance(articles["article_id"], Integer) and isinstance(articles["headline"], String)
    finally:
        engine.dispose()


def test_articles_report_has_contributors_in_order_and_counts(corpus_url: str) -> None:
    [row] = rows(
        corpus_url,
        """SELECT source_name, published_date, contributors, contributor_count, quote_count,
                  anonymous_quote_count, mention_count, entity_count, word_count
           FROM articles_report WHERE headline = 'Copenhagen and Oslo sign shipping pact'""",
    )
    source, day, contributors, credits, quotes, anonymous, mentions, entities, words = row
    assert (source, str(day), contributors, credits) == (NORTHERN, "2024-03-13", "Ines Duarte; Tom Okafor", 2)
    assert (quotes, anonymous) == (2, 0)
    assert mentions >= entities >= 3 and words > 30
    assert scalar(corpus_url, "SELECT COUNT(*) FROM articles_report") == 6


def test_quotes_report_joins_speaker_article_and_source(corpus_url: str) -> None:
    [row] = rows(
        corpus_url,
        """SELECT speaker, speaker_anonymous, headline, source_name, published_date
           FROM quotes_report WHERE quote_text LIKE 'We listened to every objection%'""",
    )
    assert row[0] == "Sarah Mitchell" and not row[1]
    assert (row[2], str(row[4])) == ("Copenhagen port approves harbour expansion", "2024-03-04")
    anonymous = rows(
        corpus_url, "SELECT speaker, speaker_text FROM quotes_report WHERE speaker_anonymous = :t", t=True
    )
    assert anonymous and all(speaker is None for speaker, _ in anonymous)
    assert scalar(corpus_url, "SELECT COUNT(*) FROM quotes_report") == scalar(
        corpus_url, "SELECT COUNT(*) FROM quotes"
    )


def test_mention_and_credit_views_keep_one_row_per_base_row(corpus_url: str) -> None:
    for view, table in (("mentions_report", "mentions"), ("contributors_report", "article_contributors")):
        assert scalar(corpus_url, f"SELECT COUNT(*) FROM {view}") == scalar(
            corpus_url, f"SELECT COUNT(*) FROM {table}"
        )
    assert scalar(corpus_url, "SELECT SUM(mention_count) FROM entity_daily_counts") == scalar(
        corpus_url, "SELECT COUNT(*) FROM mentions"
    )
    days = rows(
        corpus_url,
        """SELECT published_date, source_name, article_count FROM entity_daily_counts
           WHERE entity_name = 'Sarah Mitchell' ORDER BY published_date""",
    )
    assert [str(d) for d, _, _ in days] == ["2024-03-04", "2024-03-06", "2024-03-13", "2024-03-14"]
    assert all(count == 1 for _, _, count in days)


def test_places_report_lists_only_places(corpus_url: str) -> None:
    types = {t for (t,) in rows(corpus_url, "SELECT DISTINCT place_type FROM places_report")}
    assert types and types <= {"GPE", "LOC", "FAC"}
    places = scalar(corpus_url, "SELECT COUNT(*) FROM entities WHERE type IN ('GPE', 'LOC', 'FAC')")
    assert scalar(corpus_url, "SELECT COUNT(*) FROM places_report") == places


def test_every_table_and_column_has_its_comment_in_the_database(corpus_url: str) -> None:
    engine = make_engine(corpus_url)
    try:
        if not engine.dialect.supports_comments:
            pytest.skip("SQLite keeps no comments")
        inspector = inspect(engine)
        for table in Base.metadata.sorted_tables:
            assert inspector.get_table_comment(table.name)["text"] == table.comment
            stored = {c["name"]: c.get("comment") for c in inspector.get_columns(table.name)}
            assert stored == {c.name: c.comment for c in table.columns}, table.name
        if engine.dialect.name == "postgresql":
            assert "One row per quote" in (inspector.get_table_comment("quotes_report")["text"] or "")
    finally:
        engine.dispose()
