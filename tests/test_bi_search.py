"""`newsetl search` on every database: finds the seed, stays in sync with loads, prints JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import insert

from etl.cli import cli
from etl.config import Settings
from etl.db import migrate
from etl.db.base import table_of
from etl.db.engine import make_engine
from etl.db.models import Article
from etl.db.search import search_articles, snippet
from etl.pipeline import run_pipeline
from tests.articles import HARBOUR_STORY, write_text
from tests.conftest import SEEDS
from tests.snapshots import scalar

SEED_HEADLINE = "Defying West, Russia’s Putin due to meet Xi Jinping in Beijing"


def _load(url: str, *paths: Path) -> None:
    run_pipeline(Settings(paths=paths, database_url=url, nlp=False))


def test_search_finds_the_seed_by_a_word_of_its_body(database_url: str, runner: CliRunner) -> None:
    _load(database_url, SEEDS)
    result = runner.invoke(cli, ["search", "--db", database_url, "Gazprom"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert SEED_HEADLINE in result.output
    assert "[Gazprom]" in result.output  # the snippet marks the match

    # Stopwords and short words in a query do not hide the match (InnoDB never indexes them).
    assert [h.article_id for h in search_articles(database_url, "what about the Gazprom of it")] == [1]

    result = runner.invoke(cli, ["search", "--db", database_url, "--json", "Harbin"], catch_exceptions=False)
    [hit] = json.loads(result.output)
    assert hit["headline"] == SEED_HEADLINE and hit["article_id"] == 1
    assert "Harbin" in hit["snippet"]


def test_every_word_must_match_and_limit_applies(
    database_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    _load(database_url, SEEDS)
    write_text(tmp_path / "in", "harbour.txt", HARBOUR_STORY)
    _load(database_url, tmp_path / "in")
    assert [h.headline for h in search_articles(database_url, "harbour dispute")] == [
        "Port authority approves harbour expansion after long dispute"
    ]
    assert search_articles(database_url, "harbour Gazprom") == []
    both = search_articles(database_url, "said")  # in both articles
    assert len(both) == 2
    assert len(search_articles(database_url, "said", limit=1)) == 1
    result = runner.invoke(cli, ["search", "--db", database_url, "zeppelin"], catch_exceptions=False)
    assert result.exit_code == 0 and "No article matches 'zeppelin'" in result.output


def test_index_follows_changed_documents(database_url: str, tmp_path: Path) -> None:
    """Updates through the bulk loader reach the index (SQLite: the triggers of migration 0005)."""
    folder = tmp_path / "in"
    write_text(folder, "harbour.txt", HARBOUR_STORY)
    _load(database_url, folder)
    assert len(search_articles(database_url, "cooperatives")) == 1
    write_text(folder, "harbour.txt", HARBOUR_STORY.replace("fishing cooperatives", "ferry companies"))
    _load(database_url, folder)
    assert scalar(database_url, "SELECT COUNT(*) FROM articles") == 1
    assert [h.headline for h in search_articles(database_url, "ferry companies")] == [
        "Port authority approves harbour expansion after long dispute"
    ]
    # "cooperatives" is still in the last paragraph, "fishing" is gone.
    assert search_articles(database_url, "fishing") == []


def test_search_needs_words_and_a_migrated_database(sqlite_url: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["search", "--db", sqlite_url, "  --- "])
    assert result.exit_code == 1 and "at least one word" in result.output
    result = runner.invoke(cli, ["search", "--db", sqlite_url, "anything"])
    assert result.exit_code == 1 and "newsetl db upgrade" in result.output


def test_snippet_marks_the_first_match_in_a_window() -> None:
    body = "Alpha beta gamma. " * 20 + "The harbours were deepened. " + "Delta epsilon. " * 20
    text = snippet(body, ["harbour"], context=20)
    assert text is not None and "[harbours]" in text
    assert text.startswith("…") and text.endswith("…") and len(text) < 80
    assert snippet(body, ["zeppelin"]) is None


def test_upgrade_indexes_articles_loaded_before_it(database_url: str) -> None:
    """Migration 0005 indexes what an older schema already holds (SQLite: FTS5 'rebuild')."""
    migrate.upgrade(database_url, "0004")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(table_of(Article)),
                {
                    "document_key": "old.txt",
                    "document_key_sha256": "0" * 64,
                    "source_uri": "old.txt",
                    "content_sha256": "1" * 64,
                    "pipeline_version": "old",
                    "headline": "Lighthouse keepers return",
                    "published_tz_known": False,
                    "body": "The lighthouse keepers went back to the island after the storm.",
                    "word_count": 11,
                    "first_loaded_at": datetime(2024, 1, 1, tzinfo=UTC),
                    "last_loaded_at": datetime(2024, 1, 1, tzinfo=UTC),
                },
            )
    finally:
        engine.dispose()
    migrate.upgrade(database_url)
    assert [h.headline for h in search_articles(database_url, "island storm")] == [
        "Lighthouse keepers return"
    ]


def test_search_works_after_a_downgrade_and_upgrade(database_url: str) -> None:
    _load(database_url, SEEDS)
    migrate.downgrade(database_url, "0004")
    migrate.upgrade(database_url)
    assert [h.article_id for h in search_articles(database_url, "Harbin")] == [1]
