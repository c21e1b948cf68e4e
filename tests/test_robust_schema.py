"""First runs that race or die: schema creation is serialised, and a killed MariaDB migration is finished."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from etl.db import migrate
from etl.db.engine import make_engine
from tests.articles import small_story, write_text
from tests.databases import backend_id, reset_database, server_urls

SERVERS = [pytest.param(u, id=backend_id(u)) for u in server_urls()]
MARIADB = [pytest.param(u, id=backend_id(u)) for u in server_urls() if backend_id(u) == "mysql"]


def _environment() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _corpus(folder: Path, count: int) -> Path:
    for index in range(count):
        write_text(folder, f"{index:03d}.txt", small_story(index))
    return folder


def _run_command(url: str, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "etl", "run", "--db", url, "--no-nlp", str(corpus)]


def _article_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM articles")).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", SERVERS)
def test_two_first_runs_on_an_empty_database_both_succeed(url: str, tmp_path: Path) -> None:
    reset_database(url)
    corpus = _corpus(tmp_path / "corpus", 5)
    processes = [
        subprocess.Popen(
            _run_command(url, corpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment()
        )
        for _ in range(2)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        assert "Traceback" not in err.decode()
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
    assert _article_count(url) == 5


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", MARIADB)
def test_a_first_run_killed_while_migrating_is_finished_by_the_next_run(url: str, tmp_path: Path) -> None:
    """Kill ``newsetl run`` at varied moments of its first migration; the next run ends at head and loads."""
    corpus = _corpus(tmp_path / "corpus", 3)
    rng = random.Random(16)
    partial_states = 0
    # Kill soon after the marker appears: at once, then after short varied delays. A quiet
    # machine migrates in about a second, a loaded one in several; try until a kill has
    # landed mid-migration (at most six runs).
    delays = [0.0, rng.uniform(0.05, 0.2), rng.uniform(0.2, 0.6), 0.0, rng.uniform(0.0, 0.1), 0.0]
    for attempt, delay in enumerate(delays):
        if attempt >= 3 and partial_states:
            break
        reset_database(url)
        process = subprocess.Popen(
            _run_command(url, corpus),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )
        # Wait for the migration to start (the marker table), then kill it a little later.
        deadline = time.monotonic() + 60
        while migrate.FIRST_RUN_MARKER not in _tables(url) and process.poll() is None:
            assert time.monotonic() < deadline, "the first run never started migrating"
            time.sleep(0.05)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        tables = _tables(url)
        if migrate.FIRST_RUN_MARKER in tables and len(tables) > 1:
            partial_states += 1
        rerun = subprocess.run(
            _run_command(url, corpus), capture_output=True, env=_environment(), timeout=300, check=False
        )
        assert rerun.returncode == 0, rerun.stderr.decode()
        engine = make_engine(url)
        try:
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
        assert migrate.FIRST_RUN_MARKER not in _tables(url)
        assert _article_count(url) == 3
    assert partial_states, "no kill landed during the migration: lengthen the delays"
    # The migrated schema is the one migrations build (``alembic check``).
    migrate.check(url)


@pytest.mark.parametrize("url", MARIADB)
def test_db_upgrade_finishes_a_killed_first_run(url: str) -> None:
    """The partial schema of a killed first run, rebuilt by hand: ``db upgrade`` starts it over."""
    reset_database(url)
    migrate.upgrade(url, "0004")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE {migrate.FIRST_RUN_MARKER} (started_at VARCHAR(40))"))
            # As if 0005 had been killed half-way: one of its objects is there already.
            connection.execute(
                text("CREATE FULLTEXT INDEX ix_articles_fulltext ON articles (headline, body)")
            )
    finally:
        engine.dispose()
    assert migrate.upgrade(url) == migrate.head_revision()
    assert migrate.FIRST_RUN_MARKER not in _tables(url)


def test_a_database_behind_head_without_the_marker_is_still_refused(sqlite_url: str) -> None:
    """Only a killed first run is redone; any other database behind head is never altered."""
    from etl.errors import SchemaNotCurrent

    migrate.upgrade(sqlite_url, "0004")
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(SchemaNotCurrent, match="newsetl db upgrade"):
            migrate.ensure_schema(engine, sqlite_url)
        assert migrate.current_revision(engine) == "0004"
    finally:
        engine.dispose()
