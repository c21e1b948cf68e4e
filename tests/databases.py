"""Which databases the suite runs on, and how to reset a shared server database.

SQLite always runs. ``NEWSETL_TEST_DATABASE_URLS`` (comma-separated) adds
PostgreSQL and MariaDB/MySQL servers. Under CI an unreachable server fails the
suite; on a developer's machine it is skipped.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import make_url

from etl.db.engine import make_engine


def server_urls() -> list[str]:
    return [u.strip() for u in os.environ.get("NEWSETL_TEST_DATABASE_URLS", "").split(",") if u.strip()]


def backend_id(url: str) -> str:
    return make_url(url).get_backend_name()


def reset_database(url: str) -> None:
    """Drop every view and table so each test starts from an empty database.

    Raises pytest's skip (or failure under CI) when the server is unreachable.
    """
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            inspector = inspect(connection)
            for view in inspector.get_view_names():
                connection.execute(
                    text(f"DROP VIEW IF EXISTS {connection.dialect.identifier_preparer.quote(view)}")
                )
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(
                f"database {make_url(url).render_as_string(hide_password=True)} unreachable under CI: {exc}"
            )
        pytest.skip(f"database unreachable: {exc}")
    finally:
        engine.dispose()
