"""The command line as a user types it (CliRunner, absolute tmp paths)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from etl.cli import cli
from tests.articles import HARBOUR_STORY, write_text
from tests.snapshots import scalar


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Every command under ``group``, read from the click group itself, groups included."""
    yield list(prefix)
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield [*prefix, name]


COMMANDS = list(_command_paths(cli))


def test_command_walk_finds_nested_commands() -> None:
    assert {"run", "extract", "db upgrade", "db check"} <= {" ".join(c) for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "newsetl")
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 4


def test_run_reports_and_strict_fails_on_rejections(
    runner: CliRunner, tmp_path: Path, sqlite_url: str
) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "empty.txt", "")
    args = ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path / "in")]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2 seen, 1 new, 0 updated, 0 unchanged, 1 rejected" in result.stdout
    assert "empty.txt: empty file" in result.stdout
    strict = runner.invoke(cli, [*args[:1], "--strict", *args[1:]], catch_exceptions=False)
    assert strict.exit_code == 1
    assert "rejected and --strict" in strict.stderr
    assert "1 unchanged" in strict.stdout


def test_run_json_report(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    result = runner.invoke(cli, ["run", "--no-nlp", "--json", "--db", sqlite_url, str(tmp_path / "in")])
    report = json.loads(result.stdout)
    assert report["new"] == 1 and report["status"] == "succeeded" and report["run_id"] == 1


def test_password_is_never_printed(runner: CliRunner, tmp_path: Path) -> None:
    url = "postgresql+psycopg://newsetl:s3cr3t-pw@127.0.0.1:1/news"
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", url, str(tmp_path)])
    assert result.exit_code != 0
    assert "s3cr3t-pw" not in result.output
    assert "Traceback" not in result.output


def test_database_url_from_environment(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    result = runner.invoke(
        cli, ["run", "--no-nlp", str(tmp_path / "in")], env={"NEWSETL_DATABASE_URL": sqlite_url}
    )
    assert result.exit_code == 0, result.output
    assert scalar(sqlite_url, "SELECT COUNT(*) FROM articles") == 1


def test_run_refuses_old_schema_with_the_fix(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    assert runner.invoke(cli, ["db", "upgrade", "--db", sqlite_url, "--revision", "0001"]).exit_code == 0
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path)])
    assert result.exit_code == 1
    assert "newsetl db upgrade" in result.stderr
    assert "Traceback" not in result.output
    current = runner.invoke(cli, ["db", "current", "--db", sqlite_url])
    assert "revision 0001" in current.stdout and "behind" in current.stdout
    assert runner.invoke(cli, ["db", "upgrade", "--db", sqlite_url]).exit_code == 0
    assert runner.invoke(cli, ["db", "check", "--db", sqlite_url]).exit_code == 0
    assert runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path)]).exit_code == 0


def test_stats_counts_rows(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    runner.invoke(cli, ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path / "in")], catch_exceptions=False)
    result = runner.invoke(cli, ["stats", "--json", "--db", sqlite_url], catch_exceptions=False)
    figures = json.loads(result.stdout)
    assert figures["tables"]["articles"] == 1
    assert figures["runs"][0]["documents_new"] == 1


def test_stats_on_empty_database_says_what_to_do(runner: CliRunner, sqlite_url: str) -> None:
    result = runner.invoke(cli, ["stats", "--db", sqlite_url])
    assert result.exit_code == 1
    assert "newsetl run" in result.stderr


def test_extract_json_touches_no_database(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_text(tmp_path, "story.txt", HARBOUR_STORY)
    result = runner.invoke(cli, ["extract", "--json", "--no-nlp", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert record["source_uri"] == str(path)
    assert record["headline"].startswith("Port authority approves")
    assert set(record) >= {"published_at", "publisher", "contributors", "body", "entities", "quotes"}
    assert not list(tmp_path.glob("*.db"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuch://host/db", "unusable database URL"),
        ("sqlite:////nonexistent-dir/sub/x.db", "cannot use the database"),
        ("postgresql+psycopg://u:pw-secret@127.0.0.1:1/x", "cannot use the database"),
    ],
)
def test_database_errors_are_one_line_messages(
    runner: CliRunner, tmp_path: Path, url: str, message: str
) -> None:
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", url, str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "pw-secret" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_without_paths_outside_a_checkout_asks_for_them(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("etl.cli.default_seed_path", lambda: tmp_path / "seeds")
    result = runner.invoke(cli, ["run", "--no-nlp", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "give the files or folders to load" in result.stderr


def test_extract_rejects_like_run_and_goes_on(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """Any transform failure (not only ParseError) is a rejection on stderr; the rest is printed."""
    import etl.transform.batch

    real_parse = etl.transform.batch.parse_document

    def parse(document):
        if document.source_uri.endswith("bad.txt"):
            raise ValueError("odd input")
        return real_parse(document)

    monkeypatch.setattr(etl.transform.batch, "parse_document", parse)
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "bad.txt", HARBOUR_STORY)
    write_text(tmp_path / "in", "empty.txt", "")
    result = runner.invoke(
        cli, ["extract", "--json", "--no-nlp", str(tmp_path / "in")], catch_exceptions=False
    )
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line)["source_uri"].endswith("good.txt")
    errors = sorted(result.stderr.splitlines())
    assert errors[0].startswith("rejected ") and errors[0].endswith(
        "bad.txt: could not be parsed (ValueError: odd input)"
    )
    assert errors[1].endswith("empty.txt: empty file")


def test_run_summary_rate_counts_processed_documents_only(
    runner: CliRunner, tmp_path: Path, sqlite_url: str
) -> None:
    write_text(tmp_path / "in", "good.txt", HARBOUR_STORY)
    args = ["run", "--no-nlp", "--db", sqlite_url, str(tmp_path / "in")]
    first = runner.invoke(cli, args, catch_exceptions=False)
    assert "docs/s)" in first.stdout
    again = runner.invoke(cli, args, catch_exceptions=False)
    assert "1 unchanged" in again.stdout
    assert "docs/s" not in again.stdout and "(nothing to process)" in again.stdout
