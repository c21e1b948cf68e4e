"""`newsetl db grant-readonly`: the login reads every table and view and can change nothing."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from etl.cli import cli
from etl.config import Settings
from etl.db.engine import make_engine
from etl.db.roles import grant_readonly, revoke_readonly, scram_sha256_verifier, sqlite_readonly_url
from etl.errors import EtlError
from etl.pipeline import run_pipeline
from tests.conftest import SEEDS
from tests.databases import backend_id, reset_database, server_urls

ROLE = "newsetl_bi_reader_test"
PASSWORD = "Read only: 50% 'quoted' \\ ok"

WRITES = {
    "insert": "INSERT INTO sources (name, name_key, created_at) VALUES ('x', 'x', '2024-01-01 00:00:00')",
    "update": "UPDATE articles SET headline = 'changed'",
    "delete": "DELETE FROM articles",
    "drop": "DROP TABLE rejected_documents",
    "drop view": "DROP VIEW quotes_report",
    "create": "CREATE TABLE intruder (id INTEGER)",
}


@pytest.fixture(params=[pytest.param(u, id=backend_id(u)) for u in server_urls()])
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL or MariaDB database holding the seed (SQLite has no roles)."""
    database_url = request.param
    reset_database(database_url)
    run_pipeline(Settings(paths=(SEEDS,), database_url=database_url, nlp=False))
    yield database_url
    revoke_readonly(database_url, ROLE)


def _as_role(url: str) -> str:
    return make_url(url).set(username=ROLE, password=PASSWORD).render_as_string(hide_password=False)


@pytest.mark.parametrize("statement", sorted(WRITES))
def test_readonly_login_cannot_write(server_url: str, runner: CliRunner, statement: str) -> None:
    result = runner.invoke(
        cli,
        ["db", "grant-readonly", ROLE, "--password", PASSWORD, "--db", server_url],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    engine = create_engine(_as_role(server_url))
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                # The role's read-only default can be switched off by the role itself: privileges must hold anyway.
                connection.exec_driver_sql("SET default_transaction_read_only = off")
                connection.commit()
            with pytest.raises(DBAPIError) as refused:
                connection.execute(text(WRITES[statement]))
            message = str(refused.value.orig).lower()
            assert "denied" in message or "must be owner" in message, message
            connection.rollback()
    finally:
        engine.dispose()
    owner = make_engine(server_url)
    try:
        assert {"rejected_documents", "articles"} <= set(inspect(owner).get_table_names())
        assert "quotes_report" in inspect(owner).get_view_names()
        with owner.connect() as connection:
            assert connection.execute(text("SELECT headline FROM articles")).scalar() != "changed"
    finally:
        owner.dispose()


def test_readonly_login_reads_tables_views_and_later_tables(server_url: str) -> None:
    granted = grant_readonly(server_url, ROLE, PASSWORD)
    assert granted.warnings == ()
    owner = make_engine(server_url)
    with owner.begin() as connection:
        connection.execute(text("CREATE TABLE bi_later_table (id INTEGER)"))
        connection.execute(text("INSERT INTO bi_later_table (id) VALUES (7)"))
    engine = create_engine(_as_role(server_url))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM articles")).scalar() == 1
            assert connection.execute(text("SELECT COUNT(*) FROM articles_report")).scalar() == 1
            assert connection.execute(text("SELECT COUNT(*) FROM sources")).scalar() >= 0
            assert connection.execute(text("SELECT id FROM bi_later_table")).scalar() == 7
            assert "quotes_report" in inspect(connection).get_view_names()
    finally:
        engine.dispose()
        with owner.begin() as connection:
            connection.execute(text("DROP TABLE bi_later_table"))
        owner.dispose()


def test_grant_twice_updates_the_password(server_url: str) -> None:
    first = grant_readonly(server_url, ROLE)
    assert first.generated_password and len(first.password) >= 20
    second = grant_readonly(server_url, ROLE, PASSWORD)
    assert not second.generated_password
    engine = create_engine(_as_role(server_url))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM quotes_report")).scalar() == 0
    finally:
        engine.dispose()


def test_bad_role_names_are_refused() -> None:
    for name in ("bad-name", "1st", "x; DROP TABLE articles", "a" * 64):
        with pytest.raises(EtlError, match="role name"):
            grant_readonly("postgresql+psycopg://nobody@127.0.0.1:1/none", name)


def test_sqlite_points_to_a_read_only_url(
    sqlite_url: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_pipeline(Settings(paths=(SEEDS,), database_url=sqlite_url, nlp=False))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["db", "grant-readonly", "reader", "--db", "sqlite:///test.db"])
    assert result.exit_code == 0, result.output
    readonly = sqlite_readonly_url("sqlite:///test.db")
    assert readonly == f"sqlite:///file:{tmp_path.resolve().as_posix()}/test.db?mode=ro&uri=true"
    assert readonly in result.output and "Error" not in result.output
    assert "no login was created" in result.output and "can read every table" not in result.output
    monkeypatch.chdir("/")  # an absolute URL works from any directory, as a BI tool's
    engine = create_engine(readonly)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM articles_report")).scalar() == 1
            with pytest.raises(DBAPIError, match="readonly"):
                connection.execute(text("DELETE FROM articles"))
    finally:
        engine.dispose()


def test_a_login_without_rights_gets_a_clear_refusal(server_url: str) -> None:
    grant_readonly(server_url, ROLE, PASSWORD)
    with pytest.raises(EtlError, match="could not create the login 'newsetl_bi_other'"):
        grant_readonly(_as_role(server_url), "newsetl_bi_other", PASSWORD)


def test_scram_verifier_matches_postgresql_own() -> None:
    """The password reaches PostgreSQL only as a SCRAM verifier, computed exactly as the server does."""
    urls = [u for u in server_urls() if make_url(u).get_backend_name() == "postgresql"]
    if not urls:
        pytest.skip("no PostgreSQL server configured")
    engine = make_engine(urls[0])
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL password_encryption = 'scram-sha-256'")
            connection.exec_driver_sql(
                "CREATE ROLE newsetl_bi_scram_probe PASSWORD 'Grüße, 50%% sure'"
            )  # %% : the driver's placeholder escape
            stored = connection.execute(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = 'newsetl_bi_scram_probe'")
            ).scalar_one()
            connection.exec_driver_sql("DROP ROLE newsetl_bi_scram_probe")
    finally:
        engine.dispose()
    iterations, rest = stored.removeprefix("SCRAM-SHA-256$").split(":", 1)
    salt = base64.b64decode(rest.split("$", 1)[0])
    assert scram_sha256_verifier("Grüße, 50% sure", salt, int(iterations)) == stored


def test_grant_stores_a_verifier_not_the_password(server_url: str) -> None:
    if make_url(server_url).get_backend_name() != "postgresql":
        pytest.skip("MariaDB hashes the password itself")
    grant_readonly(server_url, ROLE, PASSWORD)
    engine = make_engine(server_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": ROLE}
            )
            assert stored.scalar_one().startswith("SCRAM-SHA-256$4096:")
    finally:
        engine.dispose()
