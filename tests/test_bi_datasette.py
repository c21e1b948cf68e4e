"""Datasette, a real client, finds the full-text table and searches articles (SQLite)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from etl.db.engine import make_engine

datasette_app = pytest.importorskip("datasette.app", reason="install the bi extra: pip install -e '.[bi]'")


def _get(path: str, db_file: str) -> Any:
    async def fetch() -> Any:
        datasette = datasette_app.Datasette([db_file], settings={"default_page_size": 100})
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def test_datasette_searches_articles(corpus_url: str) -> None:
    if not corpus_url.startswith("sqlite"):
        pytest.skip("Datasette reads SQLite files")
    db_file = corpus_url.removeprefix("sqlite:///")
    engine = make_engine(corpus_url)
    try:
        with engine.connect() as connection:
            total = connection.exec_driver_sql("SELECT COUNT(*) FROM articles").scalar_one()
            expected = {
                row_id
                for (row_id,) in connection.exec_driver_sql(
                    "SELECT id FROM articles WHERE body LIKE '%ferr%' OR headline LIKE '%ferr%'"
                )
            }
    finally:
        engine.dispose()
    assert 0 < len(expected) < total

    name = db_file.rsplit("/", 1)[-1].removesuffix(".db")
    found = _get(f"/{name}/articles.json?_search=ferry&_shape=objects&_col=id", db_file)
    assert {row["id"] for row in found["rows"]} == expected  # stemmed: ferry, ferries
    nothing = _get(f"/{name}/articles.json?_search=zeppelin&_shape=objects", db_file)
    assert nothing["rows"] == []
    tables = _get(f"/{name}.json", db_file)["tables"]
    articles = next(t for t in tables if t["name"] == "articles")
    assert articles["fts_table"] == "articles_fts"
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"articles_fts", "articles_fts_data", "articles_fts_idx"} <= hidden
