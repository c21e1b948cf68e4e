"""The three databases hold the same rows for the same input: case and accent variants,
long bodies, coordinates and fractional seconds (issues 14 and 16)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from etl.config import Settings
from etl.db import migrate
from etl.db.base import table_of
from etl.db.engine import make_engine
from etl.db.models import Article, Contributor, Entity, EntityAlias, EtlRun, Source
from etl.load.upsert import insert_missing, insert_rows
from etl.pipeline import run_pipeline
from tests.articles import write_jsonl
from tests.databases import backend_id, reset_database, server_urls

NOW = datetime(2024, 3, 4, 9, 15, 30, 123456, tzinfo=UTC)

# Written for these tests: every name comes in spellings that differ only by case or by
# dotless ı / ç / ğ / ş, which MariaDB's default collations would equate.
RECORDS: list[dict[str, object]] = [
    {
        "title": "Opposition leader Kılıçdaroğlu tours flooded districts",
        "text": (
            "ANKARA (Bosphorus Ledger) – Kemal Kılıçdaroğlu visited three flooded districts on Monday and "
            "met families who lost their homes.\n\n"
            "“The state must rebuild before winter,” Kılıçdaroğlu said in Samsun.\n\n"
            "The US embassy offered emergency tents, an official said."
        ),
        "author": "Ayşe Yılmaz",
        "date": "2024-03-04T09:00:00+03:00",
        "url": "https://ledger.example.org/2024/03/04/floods",
        "publisher": "Bosphorus Ledger",
    },
    {
        "title": "Kilicdaroglu calls for flood inquiry",
        "text": (
            "ANKARA (bosphorus ledger) – Kemal Kilicdaroglu on Tuesday called for an inquiry into the "
            "flood warnings.\n\n"
            "“Nobody warned the villages,” Kilicdaroglu told reporters in Ankara.\n\n"
            "Officials in the us embassy and in FRANCE and France said aid was on its way."
        ),
        "author": "Ayse Yilmaz",
        "date": "2024-03-05T10:30:00+03:00",
        "url": "https://ledger.example.org/2024/03/05/inquiry",
        "publisher": "bosphorus ledger",
    },
    {
        "title": "US and us: aid arrives in Samsun",
        "text": (
            "SAMSUN (Bosphorus Ledger) – The first US aid flight landed in Samsun on Wednesday, "
            "said AYSE YILMAZ, a city council member.\n\n"
            "“It is enough for a week,” said Ayşe Yilmaz, the council's spokeswoman."
        ),
        "author": "AYŞE YILMAZ",
        "date": "2024-03-06T12:00:00+03:00",
        "url": "https://ledger.example.org/2024/03/06/aid",
        "publisher": "Bosphorus Ledger",
    },
]

TABLES = (
    "sources",
    "articles",
    "dateline_places",
    "contributors",
    "article_contributors",
    "entities",
    "entity_aliases",
    "mentions",
    "quotes",
    "etl_runs",
    "rejected_documents",
)


def _urls(folder: Path) -> list[str]:
    return [f"sqlite:///{folder / 'parity.db'}", *server_urls()]


def _fresh(url: str) -> str:
    if not url.startswith("sqlite"):
        reset_database(url)
    migrate.upgrade(url)
    return url


@pytest.fixture(
    params=[pytest.param("sqlite", id="sqlite")] + [pytest.param(u, id=backend_id(u)) for u in server_urls()]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'db.db'}" if request.param == "sqlite" else request.param
    engine = make_engine(_fresh(url))
    yield engine
    engine.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t: connection.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar_one() for t in TABLES}
    finally:
        engine.dispose()


@pytest.mark.nlp
def test_row_counts_are_identical_on_every_database(tmp_path: Path) -> None:
    if not server_urls():
        pytest.skip("set NEWSETL_TEST_DATABASE_URLS to compare with PostgreSQL and MariaDB")
    folder = tmp_path / "in"
    write_jsonl(folder, "variants.jsonl", RECORDS)
    counts = {}
    for url in _urls(tmp_path):
        run_pipeline(Settings(paths=(folder,), database_url=_fresh(url)))
        counts[backend_id(url)] = _counts(url)
    first = next(iter(counts.values()))
    assert first["articles"] == len(RECORDS) and first["entity_aliases"] > 0
    assert all(c == first for c in counts.values()), counts


def test_keys_that_differ_by_case_or_dotless_i_stay_apart(engine: Engine) -> None:
    with engine.begin() as connection:
        insert_missing(
            connection,
            table_of(Source),
            [{"name": n, "name_key": n, "created_at": NOW} for n in ("reuters", "Reuters", "REUTERS")],
        )
        insert_missing(
            connection,
            table_of(Contributor),
            [
                {"name": n, "name_key": n, "created_at": NOW}
                for n in ("ayse yilmaz", "ayşe yılmaz", "Ayse Yilmaz")
            ],
        )
        entities = [
            {"name": k, "type": "PERSON", "key": k, "created_at": NOW}
            for k in ("kilicdaroglu", "kılıçdaroğlu", "Kilicdaroglu", "ilhan", "ılhan")
        ]
        insert_missing(connection, table_of(Entity), entities)
        entity_id = connection.execute(select(func.min(table_of(Entity).c.id))).scalar_one()
        aliases = [
            {"entity_id": entity_id, "alias": a} for a in ("US", "us", "Us", "FRANCE", "France", "ı", "i")
        ]
        insert_missing(connection, table_of(EntityAlias), aliases)
        insert_missing(connection, table_of(EntityAlias), aliases)  # idempotent
    with engine.connect() as connection:

        def count(model: type) -> int:
            return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())

        assert (count(Source), count(Contributor), count(Entity), count(EntityAlias)) == (3, 3, 5, 7)


def test_long_body_precise_coordinates_and_microseconds(engine: Engine) -> None:
    body = (
        "Nineteen ferries crossed the strait at dawn; İstanbul's harbour master counted each one. " * 11700
    )[:1_000_000] + "ğ end"
    arguments = '{"paths": [' + ", ".join(f'"/data/in/{i:05d}.html"' for i in range(1300)) + "]}"
    with engine.begin() as connection:
        insert_rows(
            connection,
            table_of(Article),
            [
                {
                    "document_key": "https://example.org/long",
                    "document_key_sha256": "a" * 64,
                    "source_uri": "file:///long.json",
                    "content_sha256": "b" * 64,
                    "pipeline_version": "test",
                    "published_at": NOW,
                    "published_tz_known": True,
                    "body": body,
                    "word_count": len(body.split()),
                    "first_loaded_at": NOW,
                    "last_loaded_at": NOW,
                }
            ],
        )
        insert_rows(
            connection,
            table_of(Entity),
            [
                {
                    "name": "New York",
                    "type": "GPE",
                    "key": "new york",
                    "latitude": 40.71427,
                    "longitude": -74.00597,
                    "created_at": NOW,
                }
            ],
        )
        insert_rows(
            connection,
            table_of(EtlRun),
            [{"started_at": NOW, "status": "running", "arguments": arguments, "pipeline_version": "test"}],
        )
    articles, entities, runs = table_of(Article), table_of(Entity), table_of(EtlRun)
    with engine.connect() as connection:
        stored_body, published = connection.execute(select(articles.c.body, articles.c.published_at)).one()
        latitude, longitude = connection.execute(select(entities.c.latitude, entities.c.longitude)).one()
        stored_arguments, started = connection.execute(select(runs.c.arguments, runs.c.started_at)).one()
    assert len(body) == 1_000_005 and stored_body == body
    assert published == NOW and started == NOW  # microseconds kept
    assert (latitude, longitude) == (40.71427, -74.00597)
    assert stored_arguments == arguments


def test_mariadb_key_columns_are_binary(engine: Engine) -> None:
    if engine.dialect.name not in ("mysql", "mariadb"):
        return
    inspector = inspect(engine)
    for table, column in (
        ("sources", "name_key"),
        ("contributors", "name_key"),
        ("entities", "key"),
        ("entities", "type"),
        ("entity_aliases", "alias"),
        ("articles", "document_key_sha256"),
    ):
        reflected = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        assert getattr(reflected[column], "collation", None) == "utf8mb4_bin", (table, column)


EVAL_INPUTS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "data" / "ner-dev" / "inputs"


@pytest.mark.nlp
def test_row_counts_are_identical_on_real_dev_inputs(tmp_path: Path) -> None:
    """The same comparison on real articles nobody on the team wrote, when the eval data is present."""
    if not server_urls():
        pytest.skip("set NEWSETL_TEST_DATABASE_URLS to compare with PostgreSQL and MariaDB")
    if not EVAL_INPUTS.is_dir():
        pytest.skip(f"no evaluation inputs at {EVAL_INPUTS}")
    folder = tmp_path / "real"
    folder.mkdir()
    for path in sorted(EVAL_INPUTS.glob("*.txt"))[:40]:
        shutil.copyfile(path, folder / path.name)  # links out of a folder are not followed
    counts = {}
    for url in _urls(tmp_path):
        run_pipeline(Settings(paths=(folder,), database_url=_fresh(url)))
        counts[backend_id(url)] = _counts(url)
    first = next(iter(counts.values()))
    assert first["articles"] == 40 and first["entity_aliases"] > 0
    assert all(c == first for c in counts.values()), counts
