"""The path a user takes: `newsetl db upgrade`, then `newsetl run seeds/`, then plain SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import cli
from tests.conftest import SEEDS
from tests.snapshots import rows, scalar, snapshot

# The user's path runs with NLP (the default), so it loads spaCy.
pytestmark = pytest.mark.nlp

HEADLINE = "Defying West, Russia’s Putin due to meet Xi Jinping in Beijing"


def test_seed_loads_with_metadata_and_contributors(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newsetl.db'}"
    assert runner.invoke(cli, ["db", "upgrade", "--db", url], catch_exceptions=False).exit_code == 0
    result = runner.invoke(cli, ["run", "--db", url, str(SEEDS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stdout

    [(article_id, headline, published, tz_known, body, source)] = rows(
        url,
        """SELECT a.id, a.headline, a.published_at, a.published_tz_known, a.body, s.name
           FROM articles a LEFT JOIN sources s ON s.id = COALESCE(a.wire_source_id, a.publisher_id)""",
    )
    assert headline == HEADLINE
    assert str(published).startswith("2024-05-14 17:03")
    assert not tz_known  # "5:03 PM" with no zone: wall-clock time, flagged
    assert source == "Reuters"
    assert body.startswith("Russian President Vladimir Putin’s Beijing visit on Thursday")
    assert "Reporting By" not in body and "By Greg Torode" not in body

    credits = rows(
        url,
        """SELECT c.name, ac.role, ac.location FROM article_contributors ac
           JOIN contributors c ON c.id = ac.contributor_id WHERE ac.article_id = :a ORDER BY ac.position""",
        a=article_id,
    )
    assert sorted(credits, key=str) == sorted(
        [
            ("Greg Torode", "author", None),
            ("Greg Torode", "reporting", "Hong Kong"),
            ("Guy Faulconbridge", "author", None),
            ("Guy Faulconbridge", "reporting", "Moscow"),
            ("Chen Aizhu", "additional_reporting", "Beijing"),
            ("Alex Richardson", "editing", None),
        ],
        key=str,
    )
    assert scalar(url, "SELECT COUNT(*) FROM contributors") == 4
    places = [
        r[0]
        for r in rows(
            url, "SELECT name FROM dateline_places WHERE article_id = :a ORDER BY position", a=article_id
        )
    ]
    assert places == ["Hong Kong", "Moscow"]

    before = snapshot(url)
    again = runner.invoke(cli, ["run", "--db", url, str(SEEDS)], catch_exceptions=False)
    assert "0 new, 0 updated, 1 unchanged" in again.stdout
    assert snapshot(url) == before


def test_extract_json_prints_the_seed_in_the_contract(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "--json", str(SEEDS)], catch_exceptions=False)
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert record["headline"] == HEADLINE
    assert record["published_at"].startswith("2024-05-14T17:03")
    assert record["publisher"] == "Reuters"
    assert {c["name"] for c in record["contributors"]} == {
        "Greg Torode",
        "Guy Faulconbridge",
        "Chen Aizhu",
        "Alex Richardson",
    }
    for entity in record["entities"]:
        assert entity["type"] in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER"}
        for mention in entity["mentions"]:
            # A mention's offsets index the text its field names (issue 10: headline mentions).
            text = record["headline"] if mention["field"] == "headline" else record["body"]
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for quote in record["quotes"]:
        assert record["body"][quote["start"] : quote["end"]] == quote["text"]
