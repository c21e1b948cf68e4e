"""File stamps on every configured database: an unchanged file is not opened on a re-run.

Reads are counted through the real reader (``etl.file_stamps.read_discovered``
wrapped, not replaced); the databases are real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import etl.batch_commit
import etl.file_stamps
import etl.load.pending
from etl.config import Settings
from etl.db.engine import make_engine
from etl.errors import LoadError
from etl.load.runs import start_run
from etl.load.stamps import Stamp, find_stamps, write_stamps
from etl.pipeline import PIPELINE_VERSION, Pipeline, processed_with, run_pipeline
from etl.records import Rejection
from tests.articles import HARBOUR_STORY, small_story, write_jsonl, write_text
from tests.snapshots import rows, scalar, snapshot

FEED = [
    {"title": "Library opens late", "text": "The library stays open until 10 p.m.", "url": "https://x.org/a"},
    {"title": "Bridge closes", "text": "The old bridge closes for repairs in May.", "url": "https://x.org/b"},
]


def _corpus(folder: Path) -> Path:
    write_text(folder, "wire/harbour.txt", HARBOUR_STORY)
    write_jsonl(folder, "feed.jsonl", FEED)
    return folder


def _settings(url: str, *paths: Path, **overrides: object) -> Settings:
    return Settings(paths=paths, database_url=url, nlp=False, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the runs open, in order."""
    opened: list[str] = []
    real = etl.file_stamps.read_discovered

    def counting(item: Path | Rejection, max_bytes: int) -> Iterator[object]:
        if isinstance(item, Path):
            opened.append(item.name)
        return real(item, max_bytes)

    monkeypatch.setattr(etl.file_stamps, "read_discovered", counting)
    return opened


def _stamps(url: str) -> list[tuple[object, ...]]:
    """The usable stamps: those of runs that succeeded."""
    return rows(
        url,
        "SELECT path, size, mtime_ns, pipeline_version, documents FROM file_stamps "
        "WHERE pending_run_id IS NULL ORDER BY path",
    )


def _pending(url: str) -> int:
    return int(scalar(url, "SELECT COUNT(*) FROM file_stamps WHERE pending_run_id IS NOT NULL"))


@pytest.fixture
def write_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Provisional stamps written as each file's batch commits (not held for a thousand files)."""
    monkeypatch.setattr(etl.file_stamps, "WRITE_EVERY", 1)


def test_an_unchanged_rerun_opens_no_file(database_url: str, tmp_path: Path, reads: list[str]) -> None:
    corpus = _corpus(tmp_path / "in")
    first = run_pipeline(_settings(database_url, corpus))
    assert (first.seen, first.new) == (3, 3)
    assert sorted(reads) == ["feed.jsonl", "harbour.txt"]
    files = [(corpus / "feed.jsonl", 2), (corpus / "wire" / "harbour.txt", 1)]
    assert _stamps(database_url) == [
        (str(path), path.stat().st_size, path.stat().st_mtime_ns, processed_with(False), documents)
        for path, documents in files
    ]
    before = snapshot(database_url)
    reads.clear()
    second = run_pipeline(_settings(database_url, corpus))
    assert reads == []
    assert second.status == "succeeded"
    assert (second.seen, second.new, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert rows(database_url, "SELECT documents_seen, documents_unchanged FROM etl_runs ORDER BY id") == [
        (3, 0),
        (3, 3),
    ]
    assert snapshot(database_url) == before


def test_a_touched_or_edited_file_is_read_again(database_url: str, tmp_path: Path, reads: list[str]) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    harbour = corpus / "wire" / "harbour.txt"
    stat = harbour.stat()
    os.utime(harbour, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    reads.clear()
    report = run_pipeline(_settings(database_url, corpus))
    assert reads == ["harbour.txt"]
    assert (report.seen, report.new, report.updated, report.unchanged) == (3, 0, 0, 3)
    write_jsonl(
        corpus, "feed.jsonl", [*FEED, {"title": "Third", "text": "A third item.", "url": "https://x.org/c"}]
    )
    reads.clear()
    report = run_pipeline(_settings(database_url, corpus))
    assert reads == ["feed.jsonl"]
    assert (report.seen, report.new, report.unchanged) == (4, 1, 3)
    reads.clear()
    assert run_pipeline(_settings(database_url, corpus)).unchanged == 4
    assert reads == []


def test_results_do_not_depend_on_batch_size(database_url: str, tmp_path: Path, reads: list[str]) -> None:
    corpus = _corpus(tmp_path / "in")
    for index in range(5):
        write_text(corpus, f"story{index}.txt", small_story(index))
    run_pipeline(_settings(database_url, corpus, batch_size=1))
    stamps = _stamps(database_url)
    before = snapshot(database_url)
    reads.clear()
    report = run_pipeline(_settings(database_url, corpus, batch_size=3))
    assert (reads, report.seen, report.unchanged) == ([], 8, 8)
    assert _stamps(database_url) == stamps
    assert snapshot(database_url) == before


def test_a_failed_run_writes_no_usable_stamps(
    database_url: str, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, write_each: None
) -> None:
    corpus = _corpus(tmp_path / "in")
    real = etl.load.pending.resolve_entities

    def fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("resolution failed (simulated)")

    # Every batch committed and each file's stamp was written, then the run failed:
    # the stamps stay provisional, and a re-run reads every file again.
    monkeypatch.setattr(etl.load.pending, "resolve_entities", fails)
    with pytest.raises(RuntimeError, match="simulated"):
        run_pipeline(_settings(database_url, corpus))
    assert (_stamps(database_url), _pending(database_url)) == ([], 2)
    monkeypatch.setattr(etl.load.pending, "resolve_entities", real)
    reads.clear()
    report = run_pipeline(_settings(database_url, corpus))
    assert sorted(reads) == ["feed.jsonl", "harbour.txt"]
    assert (report.unchanged, report.new) == (3, 0)
    assert (len(_stamps(database_url)), _pending(database_url)) == (2, 0)


def test_an_interrupted_run_writes_no_usable_stamps(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_each: None
) -> None:
    corpus = tmp_path / "in"
    for index in range(4):
        write_text(corpus, f"story{index}.txt", small_story(index))
    real = etl.batch_commit.load_articles
    calls = {"n": 0}

    def failing_load(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (simulated)")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(etl.batch_commit, "load_articles", failing_load)
    with pytest.raises(LoadError):
        run_pipeline(_settings(database_url, corpus, batch_size=2))
    # The first batch's two files were stamped provisionally; nothing is usable.
    assert (_stamps(database_url), _pending(database_url)) == ([], 2)
    monkeypatch.setattr(etl.batch_commit, "load_articles", real)
    report = run_pipeline(_settings(database_url, corpus, batch_size=2))
    assert (report.new, report.unchanged) == (2, 2)
    assert len(_stamps(database_url)) == 4


def test_reprocess_reads_everything(database_url: str, tmp_path: Path, reads: list[str]) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    before = snapshot(database_url)
    reads.clear()
    report = run_pipeline(_settings(database_url, corpus, reprocess=True))
    assert sorted(reads) == ["feed.jsonl", "harbour.txt"]
    assert (report.updated, report.unchanged) == (3, 0)
    assert snapshot(database_url) == before


def test_a_file_with_a_rejection_is_not_stamped(sqlite_url: str, tmp_path: Path, reads: list[str]) -> None:
    corpus = _corpus(tmp_path / "in")
    write_text(corpus, "empty.txt", "")
    write_jsonl(corpus, "mixed.jsonl", [{"title": "Ok", "text": "A fine item.", "url": "https://x.org/m"}, 7])
    first = run_pipeline(_settings(sqlite_url, corpus))
    assert [Path(str(p)).name for p, *_ in _stamps(sqlite_url)] == ["feed.jsonl", "harbour.txt"]
    reads.clear()
    second = run_pipeline(_settings(sqlite_url, corpus))
    assert sorted(reads) == ["empty.txt", "mixed.jsonl"]
    assert (second.seen, second.rejected, second.unchanged) == (first.seen, first.rejected, first.seen - 2)


def test_a_key_met_twice_in_a_run_stamps_nothing(
    sqlite_url: str, tmp_path: Path, reads: list[str], write_each: None
) -> None:
    corpus = _corpus(tmp_path / "in")
    write_jsonl(corpus, "zz-again.jsonl", [FEED[0]])  # the same URL in a second file
    # One file a batch: the first two are stamped provisionally before the key comes again.
    first = run_pipeline(_settings(sqlite_url, corpus, batch_size=1))
    assert first.rejected == 1
    assert scalar(sqlite_url, "SELECT COUNT(*) FROM file_stamps") == 0
    reads.clear()
    second = run_pipeline(_settings(sqlite_url, corpus))
    assert len(reads) == 3 and (second.rejected, second.unchanged) == (1, 3)


def test_which_stamp_is_current(sqlite_url: str, tmp_path: Path) -> None:
    """A stamp from an NLP run satisfies a --no-nlp run, not the other way round."""
    no_nlp = Pipeline(_settings(sqlite_url, tmp_path)).stamps
    nlp = Pipeline(Settings(paths=(tmp_path,), database_url=sqlite_url, nlp=True)).stamps
    assert no_nlp.is_current(processed_with(True)) and no_nlp.is_current(processed_with(False))
    assert nlp.is_current(processed_with(True)) and not nlp.is_current(processed_with(False))
    assert not no_nlp.is_current(f"old{PIPELINE_VERSION}+nlp")


def test_stamps_are_written_as_batches_commit_and_used_once_the_run_succeeds(
    database_url: str, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, write_each: None
) -> None:
    """Memory stays flat: a file's stamp leaves the run's memory once its batch has committed."""
    corpus = _corpus(tmp_path / "in")
    for index in range(6):
        write_text(corpus, f"story{index}.txt", small_story(index))
    pipeline = Pipeline(_settings(database_url, corpus, batch_size=2))
    seen: dict[str, object] = {}
    real = etl.load.pending.resolve_entities

    def at_the_end(*args: object, **kwargs: object) -> object:
        # After the last batch, before the run succeeded: written, provisional, nothing held.
        seen["pending"], seen["usable"] = _pending(database_url), len(_stamps(database_url))
        seen["held"] = len(pipeline.stamps._open) + len(pipeline.stamps._ready)
        return real(*args, **kwargs)

    monkeypatch.setattr(etl.load.pending, "resolve_entities", at_the_end)
    assert pipeline.run().status == "succeeded"
    assert seen == {"pending": 8, "usable": 0, "held": 0}
    assert (len(_stamps(database_url)), _pending(database_url)) == (8, 0)
    reads.clear()
    assert run_pipeline(_settings(database_url, corpus, batch_size=5)).unchanged == 9
    assert reads == []


def test_a_file_rejected_in_a_batch_before_its_last_document_is_not_stamped(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_each: None
) -> None:
    """A long JSONL file spans windows: its first batches commit before its last document is read."""
    monkeypatch.setattr(etl.pipeline, "PLAN_WINDOW", 1)
    items = [
        {"title": f"Item {i}", "text": f"Item number {i} of the feed.", "url": f"https://x.org/{i}"}
        for i in range(9)
    ]
    items[1]["text"] = ""  # rejected by transform, in the first batch
    write_jsonl(tmp_path / "in", "long.jsonl", items)
    write_text(tmp_path / "in", "z.txt", HARBOUR_STORY)
    report = run_pipeline(_settings(sqlite_url, tmp_path / "in", batch_size=2))
    assert (report.new, report.rejected) == (9, 1)
    assert [Path(str(p)).name for p, *_ in _stamps(sqlite_url)] == ["z.txt"]


def test_stamps_are_looked_up_in_the_order_asked(database_url: str, tmp_path: Path) -> None:
    """One stamp per path asked, in place: unknown paths and unusable stamps come as None."""
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    harbour, feed = str(corpus / "wire" / "harbour.txt"), str(corpus / "feed.jsonl")
    engine = make_engine(database_url)
    try:
        run_id = start_run(engine, {}, PIPELINE_VERSION)
        with engine.begin() as connection:
            write_stamps(connection, [Stamp(feed, 1, 2, "x", 3)], run_id, datetime.now(UTC))
        with engine.connect() as connection:
            found = find_stamps(connection, [str(corpus / "gone.txt"), harbour, feed, harbour])
    finally:
        engine.dispose()
    stamp = (os.stat(harbour).st_size, os.stat(harbour).st_mtime_ns, processed_with(False), 1)
    # feed.jsonl's stamp was replaced by a provisional one: not usable.
    assert found == [None, stamp, None, stamp]
