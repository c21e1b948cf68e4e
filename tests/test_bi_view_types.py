"""What a BI tool sees of the views through SQLAlchemy's inspector (Superset's path)."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.types import NullType

from etl.db.engine import make_engine

VIEWS = {
    "articles_report",
    "quotes_report",
    "mentions_report",
    "contributors_report",
    "entity_daily_counts",
    "places_report",
}


def test_every_view_column_has_a_declared_type(corpus_url: str) -> None:
    engine = make_engine(corpus_url)
    try:
        inspector = inspect(engine)
        assert set(inspector.get_view_names()) >= VIEWS
        untyped = [
            f"{view}.{column['name']}"
            for view in sorted(VIEWS)
            for column in inspector.get_columns(view)
            if isinstance(column["type"], NullType)
        ]
        assert not untyped
        dates = {c["name"]: c["type"] for c in inspector.get_columns("entity_daily_counts")}
        assert dates["published_date"].python_type.__name__ == "date"
        assert dates["article_count"].python_type is int
    finally:
        engine.dispose()


def test_every_view_column_is_described_on_postgresql(corpus_url: str) -> None:
    engine = make_engine(corpus_url)
    try:
        if engine.dialect.name != "postgresql":
            return  # MariaDB/MySQL views cannot hold comments; SQLite keeps none (docs/schema.md)
        inspector = inspect(engine)
        missing = [
            f"{view}.{column['name']}"
            for view in sorted(VIEWS)
            for column in inspector.get_columns(view)
            if not column.get("comment")
        ]
        assert not missing
    finally:
        engine.dispose()


def test_sqlite_view_dates_stay_iso_text(corpus_url: str) -> None:
    engine = make_engine(corpus_url)
    try:
        if engine.dialect.name != "sqlite":
            return
        with engine.connect() as connection:
            day = connection.exec_driver_sql(
                "SELECT published_date FROM entity_daily_counts ORDER BY published_date LIMIT 1"
            ).scalar_one()
            first = connection.exec_driver_sql(
                "SELECT MIN(first_published_at) FROM places_report"
            ).scalar_one()
        assert day == "2024-03-04"
        assert first.startswith("2024-03-")
    finally:
        engine.dispose()
