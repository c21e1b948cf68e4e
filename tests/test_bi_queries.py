"""Every query of docs/queries.md, on every database, against articles loaded by the real pipeline.

The queries are parsed out of the markdown, so the page and the tests cannot
drift. Each runs twice: as written against the seed (its example values come
from the seed article, so a reader of the README demo gets rows), and with
those values swapped for the six-article corpus of tests/bi_corpus.py, where
a check per question asserts on the result, not only that the query runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from etl.config import Settings
from etl.db.engine import make_engine
from etl.pipeline import run_pipeline
from tests.bi_corpus import HERALD, NORTHERN, backend_params
from tests.databases import reset_database
from tests.snapshots import rows as query_rows
from tests.snapshots import scalar

ROOT = Path(__file__).resolve().parent.parent
QUERIES_MD = ROOT / "docs" / "queries.md"
SEEDS = ROOT / "seeds"
LABELS = {"SQLite": "sqlite", "PostgreSQL": "postgresql", "MariaDB/MySQL": "mysql"}
AUTHORS = {"Maria Jensen", "Tom Okafor", "Ines Duarte"}

pytestmark = pytest.mark.nlp

# docs/queries.md's example values name things in the seed article; the corpus has its own.
CORPUS_VALUES = {
    "'Alexander Neill'": "'Sarah Mitchell'",
    "'beijing'": "'copenhagen'",
    "'2024-05-01'": "'2024-03-01'",
    "'2024-05-31'": "'2024-03-31'",
    "'pipelines'": "'ferries'",
}
# Questions that need more than one article to return a row (docs/queries.md says so under each).
EMPTY_ON_ONE_ARTICLE = {6, 12}


@dataclass(frozen=True)
class DocQuery:
    number: int
    question: str
    sql: str
    dialect: str | None  # None: portable


def parse_queries(markdown: str) -> list[DocQuery]:
    """Each ```sql block under a '## N. Question' heading; a first line '-- SQLite' etc. labels a dialect."""
    queries = []
    sections = re.split(r"^## (\d+)\. (.+)$", markdown, flags=re.MULTILINE)
    for number, question, body in zip(sections[1::3], sections[2::3], sections[3::3], strict=True):
        for block in re.findall(r"^```sql\n(.*?)^```", body, flags=re.MULTILINE | re.DOTALL):
            first = block.splitlines()[0].strip()
            dialect = LABELS.get(first.removeprefix("-- ").strip()) if first.startswith("-- ") else None
            queries.append(DocQuery(int(number), question.strip(), block.strip(), dialect))
    return queries


QUERIES = parse_queries(QUERIES_MD.read_text(encoding="utf-8"))


def for_corpus(sql: str) -> str:
    """The query with the seed's example values replaced by the corpus's."""
    for seed_value, corpus_value in CORPUS_VALUES.items():
        sql = sql.replace(seed_value, corpus_value)
    return sql


def run_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def sibling_database(url: str, suffix: str) -> str:
    """The URL of a database named like ``url``'s plus ``suffix`` on the same server, created if missing.

    The seed gets its own database so it never disturbs the module-scoped corpus.
    """
    reset_database(url)  # skips (or fails under CI) when the server is unreachable
    parsed = make_url(url)
    name = f"{parsed.database}{suffix}"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            if parsed.get_backend_name() == "postgresql":
                if not connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first():
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            else:
                connection.execute(text(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4"))
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module", params=backend_params())
def seed_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database per backend holding the seed (``newsetl run seeds/``), loaded once per module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bi_seed') / 'seed.db'}"
    else:
        url = sibling_database(request.param, "_seed")
        reset_database(url)
    run_pipeline(Settings(paths=(SEEDS,), database_url=url))
    return url


def queries_for(number: int, dialect: str) -> list[DocQuery]:
    """The variant for ``dialect`` when there is one, else the portable queries."""
    of_number = [q for q in QUERIES if q.number == number]
    labelled = [q for q in of_number if q.dialect == dialect]
    return labelled or [q for q in of_number if q.dialect is None]


def _day(value: Any) -> str:
    return str(value)[:10]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def check_most_quoted(rows: list[tuple[Any, ...]], url: str) -> None:
    assert rows[0][0] == "Sarah Mitchell" and rows[0][1] >= 3 and rows[0][2] >= 3
    speakers = [row[0] for row in rows]
    assert "Kari Lund" in speakers
    assert [row[1] for row in rows] == sorted((row[1] for row in rows), reverse=True)


def check_anonymous_share(rows: list[tuple[Any, ...]], url: str) -> None:
    by_source = {row[0]: row[1:] for row in rows}
    assert {HERALD, NORTHERN} <= set(by_source)
    for quotes, anonymous, percent in by_source.values():
        assert 0 <= anonymous <= quotes
        assert _number(percent) == pytest.approx(round(100 * _number(anonymous) / quotes, 1), abs=0.05)
    assert by_source[HERALD][1] >= 1 and by_source[NORTHERN][1] >= 1


def check_anonymous_descriptions(rows: list[tuple[Any, ...]], url: str) -> None:
    anonymous = scalar(url, "SELECT COUNT(*) FROM quotes WHERE speaker_anonymous = :t", t=True)
    assert anonymous >= 2
    assert sum(row[1] for row in rows) == anonymous


def check_said_where(rows: list[tuple[Any, ...]], url: str) -> None:
    assert len(rows) >= 3
    assert [_day(row[0]) for row in rows] == sorted(_day(row[0]) for row in rows)
    assert {row[1] for row in rows} == {HERALD, NORTHERN}
    assert any("listened to every objection" in row[3] for row in rows)
    assert _day(rows[0][0]) == "2024-03-04" and rows[0][2] == "Copenhagen port approves harbour expansion"


def check_people_in_period(rows: list[tuple[Any, ...]], url: str) -> None:
    articles = {row[0]: row[1] for row in rows}
    assert rows[0][0] == "Sarah Mitchell" and articles["Sarah Mitchell"] == 4
    assert articles.get("Kari Lund") == 2
    assert not AUTHORS & set(articles), "bylines are not entity mentions"


def check_cooccurrence(rows: list[tuple[Any, ...]], url: str) -> None:
    pairs = {frozenset(row[:2]): row[2] for row in rows}
    copenhagen = [p for p in pairs if "Sarah Mitchell" in p and any(n.lower() == "copenhagen" for n in p)]
    assert copenhagen and pairs[copenhagen[0]] >= 2
    assert all(row[2] >= 2 for row in rows)


def check_place_by_week(rows: list[tuple[Any, ...]], url: str) -> None:
    weeks = {_day(row[0]): (row[1], row[2]) for row in rows}
    assert set(weeks) == {"2024-03-04", "2024-03-11"}
    assert weeks["2024-03-04"][0] >= 1 and weeks["2024-03-11"][0] >= 2
    assert all(mentions >= articles for articles, mentions in weeks.values())


def check_articles_per_day(rows: list[tuple[Any, ...]], url: str) -> None:
    assert [(row[0], _day(row[1]), row[2]) for row in rows] == [
        (HERALD, "2024-03-04", 1),
        (HERALD, "2024-03-06", 1),
        (HERALD, "2024-03-14", 1),
        (HERALD, "2024-03-15", 1),
        (NORTHERN, "2024-03-12", 1),
        (NORTHERN, "2024-03-13", 1),
    ]
    assert all(row[3] > 10 for row in rows)


def check_contributors(rows: list[tuple[Any, ...]], url: str) -> None:
    by_name = {(row[0], row[1]): (row[2], _day(row[3]), _day(row[4])) for row in rows}
    assert by_name[("Tom Okafor", "author")] == (3, "2024-03-06", "2024-03-15")
    assert by_name[("Maria Jensen", "author")] == (2, "2024-03-04", "2024-03-14")
    assert by_name[("Ines Duarte", "author")] == (2, "2024-03-12", "2024-03-13")
    assert rows[0][0] == "Tom Okafor"


def check_reported_from(rows: list[tuple[Any, ...]], url: str) -> None:
    places = scalar(url, "SELECT COUNT(*) FROM dateline_places")
    locations = scalar(url, "SELECT COUNT(*) FROM article_contributors WHERE location IS NOT NULL")
    if not places and not locations:
        assert rows == []  # this transform does not read datelines from JSON bodies yet
        return
    assert {row[0] for row in rows} <= AUTHORS
    assert any(row[0] == "Maria Jensen" and "copenhagen" in row[1].lower() and row[2] == 2 for row in rows)


def check_places(rows: list[tuple[Any, ...]], url: str) -> None:
    names = {row[0].lower() for row in rows}
    assert names & {"oslo", "denmark", "norway", "copenhagen"}
    for _name, country, latitude, longitude, articles, mentions in rows:
        assert articles > 0 and mentions >= articles
        assert country is None or len(country) == 2
        if latitude is not None:
            assert -90 <= latitude <= 90 and -180 <= longitude <= 180
    by_name = {row[0]: row for row in rows}
    if "Norway" in by_name and by_name["Norway"][2] is not None:
        assert 57 < by_name["Norway"][2] < 72


def check_no_named_quote(rows: list[tuple[Any, ...]], url: str) -> None:
    headlines = {row[2] for row in rows}
    assert "Museum extends opening hours" in headlines
    assert "Copenhagen port approves harbour expansion" not in headlines
    assert all(row[3] == row[4] for row in rows)


def check_full_text(rows: list[tuple[Any, ...]], url: str) -> None:
    assert {row[1] for row in rows} == {
        "Oslo ferry operator orders three electric ships",
        "Copenhagen and Oslo sign shipping pact",
    }


def check_runs(rows: list[tuple[Any, ...]], url: str) -> None:
    assert rows and all(row[1] == "succeeded" for row in rows)
    assert rows[0][4:6] == (6, 6)  # seen, new
    assert all(row[8] == 0 for row in rows)


def check_quoted_about(rows: list[tuple[Any, ...]], url: str) -> None:
    by_speaker = {row[0]: (row[1], row[2]) for row in rows}
    assert rows[0][0] == "Sarah Mitchell" and by_speaker["Sarah Mitchell"] == (3, 3)
    assert by_speaker["(anonymous)"][0] >= 2
    assert "James Porter" not in by_speaker  # quoted only in a story whose body never names Copenhagen


def check_outlets_by_week(rows: list[tuple[Any, ...]], url: str) -> None:
    assert [(row[0], _day(row[1]), _number(row[2])) for row in rows] == [
        (HERALD, "2024-03-04", 1),
        (HERALD, "2024-03-11", 1),
        (NORTHERN, "2024-03-11", 1),
    ]


CHECKS: dict[int, Callable[[list[tuple[Any, ...]], str], None]] = {
    1: check_most_quoted,
    2: check_anonymous_share,
    3: check_anonymous_descriptions,
    4: check_said_where,
    5: check_people_in_period,
    6: check_cooccurrence,
    7: check_place_by_week,
    8: check_articles_per_day,
    9: check_contributors,
    10: check_reported_from,
    11: check_places,
    12: check_no_named_quote,
    13: check_full_text,
    14: check_runs,
    15: check_quoted_about,
    16: check_outlets_by_week,
}


def test_every_question_has_a_check_and_a_query_for_each_database() -> None:
    numbers = sorted({q.number for q in QUERIES})
    assert len(numbers) >= 10
    assert numbers == sorted(CHECKS), "add a check for each question of docs/queries.md"
    for number in numbers:
        for dialect in LABELS.values():
            assert queries_for(number, dialect), f"question {number} has no query for {dialect}"


@pytest.mark.parametrize("number", sorted(CHECKS))
def test_documented_query(corpus_url: str, number: int) -> None:
    dialect = make_engine(corpus_url).dialect.name
    for query in queries_for(number, dialect):
        CHECKS[number](run_query(corpus_url, for_corpus(query.sql)), corpus_url)


def test_example_values_are_on_the_page() -> None:
    """Each swapped value is still used by some query (else CORPUS_VALUES is stale)."""
    for seed_value in CORPUS_VALUES:
        assert any(seed_value in query.sql for query in QUERIES), seed_value


@pytest.mark.parametrize("number", sorted(CHECKS))
def test_documented_query_returns_rows_on_the_seed(seed_url: str, number: int) -> None:
    """As written, each query answers on the README demo database: the seed's one article."""
    dialect = make_engine(seed_url).dialect.name
    for query in queries_for(number, dialect):
        rows = run_query(seed_url, query.sql)
        if number in EMPTY_ON_ONE_ARTICLE:
            assert rows == [], (
                f"question {number} now returns rows on the seed: update the page and this test"
            )
        else:
            assert rows, f"question {number} ({query.question}) returns no row on the seed"


def test_page_says_which_questions_return_nothing_on_the_seed() -> None:
    markdown = QUERIES_MD.read_text(encoding="utf-8")
    for number in EMPTY_ON_ONE_ARTICLE:
        section = re.split(r"^## \d+\. ", markdown.split(f"\n## {number}. ", 1)[1], flags=re.MULTILINE)[0]
        assert "seed" in section, (
            f"question {number}: say in docs/queries.md that it returns no rows on the seed"
        )


def test_quote_rows_come_from_the_loader(corpus_url: str) -> None:
    """The quotes the queries count were resolved to speaker entities by the loader."""
    resolved = query_rows(
        corpus_url,
        "SELECT DISTINCT e.name FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id",
    )
    assert ("Sarah Mitchell",) in resolved
