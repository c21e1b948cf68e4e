"""Loading under concurrency and failure: overlapping replacements, long names, dropped connections."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select, text

from etl import batch_commit, pipeline
from etl.config import Settings
from etl.db import migrate
from etl.db.engine import make_engine
from etl.load.loader import (
    article_contributors_t,
    article_entities_t,
    dateline_places_t,
    find_stored_articles,
    load_articles,
    mentions_t,
    quotes_t,
    record_rejections,
)
from etl.load.runs import ABANDONED, runs_t, start_run
from etl.records import (
    ArticleRecord,
    ContributorRecord,
    EntityRecord,
    MentionRecord,
    QuoteRecord,
    Rejection,
    SpeakerRecord,
)
from tests.articles import small_story, write_text
from tests.databases import backend_id, reset_database, server_urls

DERIVED = {
    "mentions": mentions_t,
    "quotes": quotes_t,
    "article_entities": article_entities_t,
    "article_contributors": article_contributors_t,
    "dateline_places": dateline_places_t,
}


def _article(index: int, name: str = "Lars Holm", contributor: str = "Maria Jensen") -> ArticleRecord:
    body = f"{name} said the plan for harbour {index} was final. {name} spoke in Oslo."
    second = body.index(name, 1)
    return ArticleRecord(
        source_uri=f"file:///in/{index}.txt",
        document_key=f"file:///in/{index}.txt",
        content_sha256=f"{index:064d}",
        body=body,
        dateline_places=("OSLO",),
        contributors=(
            ContributorRecord(name=contributor, role="author", key=contributor.lower()),
            ContributorRecord(name="Tom Okafor", role="reporting", location="Oslo", key="tom okafor"),
        ),
        entities=(
            EntityRecord(
                name=name,
                type="PERSON",
                key=name.lower(),
                mentions=(
                    MentionRecord(0, len(name), name),
                    MentionRecord(second, second + len(name), name),
                ),
            ),
            EntityRecord(
                name="Oslo",
                type="GPE",
                key="oslo",
                mentions=(MentionRecord(len(body) - 5, len(body) - 1, "Oslo"),),
            ),
        ),
        quotes=(
            QuoteRecord(
                text=f"the plan for harbour {index} was final",
                kind="indirect",
                start=len(name) + 6,
                end=len(name) + 30,
                speaker=SpeakerRecord(text=name, name=name),
                cue="said",
            ),
        ),
    )


def _load(connection: Connection, articles: list[ArticleRecord]) -> Any:
    stored = find_stored_articles(connection, (a.document_key for a in articles))
    return load_articles(connection, articles, stored, "test", datetime.now(UTC))


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in DERIVED.items()
            }
    finally:
        engine.dispose()


def test_overlapping_replacements_of_the_same_articles_do_not_add_twice(database_url: str) -> None:
    """Two runs replace the same articles at once: the second waits for the first, then replaces its rows."""
    migrate.upgrade(database_url)
    articles = [_article(i) for i in range(20)]
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            _load(connection, articles)
        once = _counts(database_url)
        assert once["mentions"] == 60 and once["quotes"] == 20

        first_loaded = threading.Event()
        errors: list[BaseException] = []

        def first() -> None:
            try:
                with engine.begin() as connection:
                    _load(connection, articles)
                    first_loaded.set()
                    time.sleep(1.5)  # The second writer starts while this transaction is open.
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                first_loaded.set()

        def second() -> None:
            first_loaded.wait(30)
            try:
                with engine.begin() as connection:
                    _load(connection, articles)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        assert _counts(database_url) == once
    finally:
        engine.dispose()


def _environment() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.mark.parametrize("url", [pytest.param(u, id=backend_id(u)) for u in server_urls()])
def test_two_reprocess_runs_at_once_give_the_counts_of_one(url: str, tmp_path: Path) -> None:
    """The issue's case end to end: two ``newsetl run --reprocess`` processes over one corpus.

    Whether the two processes' batches overlap is up to the scheduler; the
    overlap itself is forced, on every database, by the test above.
    """
    reset_database(url)
    corpus = tmp_path / "corpus"
    for index in range(40):
        write_text(corpus, f"{index:03d}.txt", small_story(index))
    command = [sys.executable, "-m", "etl", "run", "--db", url, "--no-nlp", "--batch-size", "4", str(corpus)]
    subprocess.run(command, check=True, capture_output=True, env=_environment(), timeout=300)
    once = _counts(url)
    assert once["dateline_places"] == 40
    processes = [
        subprocess.Popen(
            [*command, "--reprocess"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment()
        )
        for _ in range(2)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    assert _counts(url) == once


def test_names_longer_than_their_column_keep_their_credit_and_are_counted(database_url: str) -> None:
    migrate.upgrade(database_url)
    long_person = "Maria " + "Jensen-" * 45 + "Holm"
    long_entity = "Lars " + "Holm-" * 60 + "Berg"
    assert len(long_person) > 255 and len(long_entity) > 255
    articles = [_article(1, name=long_entity, contributor=long_person), _article(2, contributor=long_person)]
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            stats = _load(connection, articles)
        assert stats.clipped_names == 2
        with engine.connect() as connection:
            credits = (
                connection.execute(
                    text(
                        "SELECT c.name_key FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id "
                        "WHERE ac.position = 0"
                    )
                )
                .scalars()
                .all()
            )
            assert credits == [long_person.lower()[:255]] * 2
            assert _counts(database_url)["mentions"] == 6
        # Loaded again: the clipped keys are found, not inserted twice.
        with engine.begin() as connection:
            stats = _load(connection, articles)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM contributors")).scalar_one() == 2
            assert connection.execute(text("SELECT count(*) FROM article_contributors")).scalar_one() == 4
    finally:
        engine.dispose()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_runs_left_running_by_a_killed_process_are_marked_abandoned(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    host = socket.gethostname()
    rows = {
        "dead here": ({"process": {"host": host, "pid": _dead_pid()}}, now),
        "alive here": ({"process": {"host": host, "pid": os.getpid()}}, now - timedelta(days=3)),
        "pid reused": ({"process": {"host": host, "pid": os.getpid(), "started": "1"}}, now),
        "elsewhere, old": ({"process": {"host": host + "-other", "pid": 1}}, now - timedelta(days=2)),
        "elsewhere, recent": ({"process": {"host": host + "-other", "pid": 1}}, now - timedelta(hours=1)),
        "before pids, old": ({"paths": []}, now - timedelta(days=2)),
    }
    try:
        with engine.begin() as connection:
            for label, (arguments, started) in rows.items():
                connection.execute(
                    insert(runs_t).values(
                        started_at=started,
                        status="running",
                        arguments=json.dumps({**arguments, "label": label}),
                        pipeline_version="test",
                    )
                )
        new_id = start_run(engine, {"paths": []}, "test")
        with engine.connect() as connection:
            result = connection.execute(
                select(runs_t.c.id, runs_t.c.arguments, runs_t.c.status, runs_t.c.error)
            )
            by_label = {
                json.loads(arguments).get("label", run_id): (status, error)
                for run_id, arguments, status, error in result
            }
        assert by_label["dead here"] == ("failed", ABANDONED)
        assert by_label["elsewhere, old"] == ("failed", ABANDONED)
        assert by_label["before pids, old"] == ("failed", ABANDONED)
        assert by_label["alive here"] == ("running", None)
        if Path(f"/proc/{os.getpid()}/stat").exists():
            assert by_label["pid reused"] == ("failed", ABANDONED)
        assert by_label["elsewhere, recent"] == ("running", None)
        assert by_label[new_id] == ("running", None)
    finally:
        engine.dispose()


def _kill_own_session(connection: Connection) -> None:
    """End ``connection``'s server session from another connection, as an admin or a failover would."""
    engine = make_engine(connection.engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as killer:
            if connection.dialect.name == "postgresql":
                pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
                killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            else:
                pid = connection.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
                killer.exec_driver_sql(f"KILL {int(pid)}")
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", [pytest.param(u, id=backend_id(u)) for u in server_urls()])
def test_a_batch_is_retried_once_after_its_connection_is_dropped(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    reset_database(url)
    corpus = tmp_path / "corpus"
    for index in range(6):
        write_text(corpus, f"{index}.txt", small_story(index))
    calls: list[int] = []
    original = batch_commit.load_articles

    def dropped_once(connection: Connection, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            _kill_own_session(connection)
        return original(connection, *args, **kwargs)

    monkeypatch.setattr(batch_commit, "load_articles", dropped_once)
    settings = Settings(database_url=url, paths=(corpus,), nlp=False, batch_size=3)
    with caplog.at_level(logging.WARNING, logger="etl.pipeline"):
        report = pipeline.run_pipeline(settings)
    assert report.status == "succeeded"
    assert (report.seen, report.new) == (6, 6)
    assert len(calls) == 3  # The first batch twice, the second once.
    assert "retrying a batch once" in caplog.text
    assert _counts(url)["dateline_places"] == 6


def test_a_rejection_reason_holding_a_nul_byte_is_stored(database_url: str) -> None:
    """PostgreSQL text cannot hold NUL; the reason is stored with the byte written as ``\\x00``."""
    migrate.upgrade(database_url)
    run_id = start_run(make_engine(database_url), {"paths": []}, "test")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            record_rejections(
                connection,
                [Rejection("file:///in/a\x00b.json", "invalid JSON: bad character '\x00' at 3", "extract")],
                run_id,
                datetime.now(UTC),
            )
        with engine.connect() as connection:
            uri, reason = connection.execute(text("SELECT source_uri, reason FROM rejected_documents")).one()
        assert (uri, reason) == ("file:///in/a\\x00b.json", "invalid JSON: bad character '\\x00' at 3")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url", [pytest.param(u, id=backend_id(u)) for u in server_urls() if backend_id(u) == "mysql"]
)
def test_a_20_mb_article_over_max_allowed_packet_is_rejected_and_the_rest_loads(
    url: str, tmp_path: Path
) -> None:
    reset_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            packet = connection.exec_driver_sql("SELECT @@max_allowed_packet").scalar_one()
    finally:
        engine.dispose()
    if packet > 20 * 2**20:
        pytest.skip(f"this server's max_allowed_packet ({packet}) holds a 20 MB statement")
    corpus = tmp_path / "corpus"
    paragraph = "Officials said on Tuesday that the talks would go on until a deal was reached. " * 20
    big = "Big story\n\nLONDON (Reuters) - " + "\n\n".join([paragraph] * (20 * 2**20 // (len(paragraph) + 2)))
    write_text(corpus, "big.txt", big[: 20 * 2**20 - 1] + ".")
    write_text(corpus, "small.txt", small_story(1))
    report = pipeline.run_pipeline(Settings(database_url=url, paths=(corpus,), nlp=False))
    assert report.status == "succeeded"
    assert (report.seen, report.new, report.rejected) == (2, 1, 1)
    assert "max_allowed_packet" in report.rejections[0]["reason"]


def test_two_runs_inserting_the_same_new_articles_at_once_both_succeed(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run's insert meets the first run's articles: it retries and replaces them."""
    migrate.upgrade(database_url)
    corpus = tmp_path / "corpus"
    for index in range(4):
        write_text(corpus, f"{index}.txt", small_story(index))
    first_loaded = threading.Event()
    original = batch_commit.load_articles

    def overlapping(connection: Connection, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == "second":
            first_loaded.wait(30)
        stats = original(connection, *args, **kwargs)
        if threading.current_thread().name == "first":
            first_loaded.set()
            time.sleep(1.5)  # The second run looks up and inserts while this batch is open.
        return stats

    monkeypatch.setattr(batch_commit, "load_articles", overlapping)
    reports: dict[str, Any] = {}

    def run(name: str) -> None:
        try:
            reports[name] = pipeline.run_pipeline(
                Settings(database_url=database_url, paths=(corpus,), nlp=False)
            )
        except BaseException as exc:  # pragma: no cover - reported below
            reports[name] = exc
            first_loaded.set()

    threads = [threading.Thread(target=run, args=(name,), name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(getattr(r, "status", None) == "succeeded" for r in reports.values()), reports
    assert reports["first"].new == 4
    assert _counts(database_url)["dateline_places"] == 4


def test_a_run_killed_with_sigkill_is_marked_abandoned_by_the_next_run(
    sqlite_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    for index in range(400):
        write_text(corpus, f"{index:03d}.txt", small_story(index))
    command = [sys.executable, "-m", "etl", "run", "--db", sqlite_url, "--no-nlp", "--batch-size", "1"]
    process = subprocess.Popen(
        [*command, str(corpus)], env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    try:
        while True:
            assert time.monotonic() < deadline and process.poll() is None, (
                "the run ended before it was killed"
            )
            if Path(sqlite_url.removeprefix("sqlite:///")).exists():
                engine = make_engine(sqlite_url)
                try:
                    with engine.connect() as connection:
                        if (
                            migrate.current_revision(engine)
                            and connection.execute(
                                select(func.count()).select_from(runs_t).where(runs_t.c.documents_seen > 0)
                            ).scalar_one()
                        ):
                            break
                finally:
                    engine.dispose()
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    subprocess.run(
        [*command, str(tmp_path / "corpus" / "000.txt")],
        env=_environment(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            runs = connection.execute(select(runs_t.c.status, runs_t.c.error).order_by(runs_t.c.id)).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in runs] == [("failed", ABANDONED), ("succeeded", None)]


def test_the_run_report_counts_names_stored_clipped(sqlite_url: str, tmp_path: Path) -> None:
    long_name = "Maria " + "Jensen-" * 40 + "Holm"
    assert 255 < len(long_name) < 1_000
    record = {
        "url": "https://example.com/a",
        "title": "Harbour plan approved",
        "author": long_name,
        "text": "The port authority approved the plan on Monday, ending a long dispute.",
    }
    corpus = tmp_path / "corpus"
    write_text(corpus, "a.json", json.dumps(record))
    report = pipeline.run_pipeline(Settings(database_url=sqlite_url, paths=(corpus,), nlp=False))
    assert report.new == 1
    assert report.clipped_names == 1
    assert report.as_dict()["clipped_names"] == 1
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM article_contributors")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_run_summary_says_names_were_clipped(sqlite_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from etl.cli import cli

    record = {
        "url": "https://example.com/b",
        "title": "Harbour plan approved",
        "author": "Maria " + "Jensen-" * 40 + "Holm",
        "text": "The port authority approved the plan on Monday, ending a long dispute.",
    }
    corpus = tmp_path / "corpus"
    write_text(corpus, "b.json", json.dumps(record))
    result = CliRunner().invoke(cli, ["-q", "run", "--no-nlp", "--db", sqlite_url, str(corpus)])
    assert result.exit_code == 0, result.output
    assert "1 name(s) over the column length were stored clipped" in result.output
