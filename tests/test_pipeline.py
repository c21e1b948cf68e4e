"""The pipeline on every configured database: idempotence, changes, crashes, bad input."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from sqlalchemy import event

import etl.batch_commit
import etl.load.pending
import etl.pipeline
from etl.batch_plan import KeyDigests
from etl.config import Settings
from etl.db.engine import make_engine
from etl.errors import LoadError
from etl.pipeline import Pipeline, run_pipeline
from etl.records import RawDocument, Rejection
from etl.transform.batch import transform_batch
from tests.articles import (
    HARBOUR_STORY,
    PUTIN_STORY_A,
    PUTIN_STORY_B,
    small_story,
    write_jsonl,
    write_text,
)
from tests.snapshots import rows, scalar, snapshot


def _corpus(folder: Path) -> Path:
    write_text(folder, "wire/harbour.txt", HARBOUR_STORY)
    write_jsonl(
        folder,
        "feed.jsonl",
        [
            {
                "title": "Library opens late on Fridays",
                "text": "The central library will stay open until 10 p.m. on Fridays, the council said.",
                "author": "Ines Duarte",
                "date": "2024-03-01T09:30:00+01:00",
                "url": "https://news.example.org/library",
                "publisher": "Example Gazette",
            },
            {
                "title": "Second item",
                "text": "Short body about bridges.",
                "author": ["A. Writer", "B. Writer"],
            },
        ],
    )
    return folder


def _settings(url: str, *paths: Path, **overrides: object) -> Settings:
    return Settings(paths=paths, database_url=url, nlp=False, **overrides)  # type: ignore[arg-type]


def test_rerun_changes_nothing(database_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    first = run_pipeline(_settings(database_url, corpus))
    assert (first.new, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 0)
    before = snapshot(database_url)
    second = run_pipeline(_settings(database_url, corpus))
    assert (second.seen, second.new, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert snapshot(database_url) == before
    assert scalar(database_url, "SELECT COUNT(*) FROM etl_runs WHERE status = 'succeeded'") == 2
    counts = rows(database_url, "SELECT documents_new, documents_unchanged FROM etl_runs ORDER BY id")
    assert counts == [(3, 0), (0, 3)]


def test_json_record_fields_are_loaded(database_url: str, tmp_path: Path) -> None:
    run_pipeline(_settings(database_url, _corpus(tmp_path / "in")))
    [(headline, published, url, source)] = rows(
        database_url,
        """SELECT a.headline, a.published_at, a.url, s.name FROM articles a
           JOIN sources s ON s.id = a.publisher_id WHERE a.url IS NOT NULL""",
    )
    assert headline == "Library opens late on Fridays"
    assert str(published).startswith("2024-03-01 08:30:00")  # stored as UTC
    assert url == "https://news.example.org/library"
    assert source == "Example Gazette"
    names = [r[0] for r in rows(database_url, "SELECT name FROM contributors ORDER BY name")]
    assert "Ines Duarte" in names and "A. Writer" in names


def test_changed_document_replaces_its_rows(database_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    article_id = scalar(database_url, "SELECT id FROM articles WHERE headline LIKE 'Port authority%'")
    write_text(
        corpus, "wire/harbour.txt", HARBOUR_STORY.replace("harbour, ending", "harbour and canal, ending")
    )
    report = run_pipeline(_settings(database_url, corpus))
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
    assert scalar(database_url, "SELECT COUNT(*) FROM articles") == 3
    assert scalar(database_url, "SELECT id FROM articles WHERE headline LIKE 'Port authority%'") == article_id
    assert "canal" in scalar(database_url, "SELECT body FROM articles WHERE id = :i", i=article_id)
    # derived rows were replaced, not added to
    positions = rows(
        database_url, "SELECT position FROM article_contributors WHERE article_id = :i", i=article_id
    )
    assert len(positions) == len(set(positions))


def test_reprocess_redoes_unchanged_documents(database_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    before = snapshot(database_url)
    report = run_pipeline(_settings(database_url, corpus, reprocess=True))
    assert (report.new, report.updated, report.unchanged) == (0, 3, 0)
    assert snapshot(database_url) == before


def test_new_pipeline_version_reprocesses(database_url: str, tmp_path: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    monkeypatch.setattr(etl.pipeline, "PIPELINE_VERSION", "test-next")
    report = run_pipeline(_settings(database_url, corpus))
    assert report.updated == 3
    assert scalar(database_url, "SELECT COUNT(DISTINCT pipeline_version) FROM articles") == 1


def test_bad_input_is_recorded_and_the_rest_loads(database_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    write_text(corpus, "empty.txt", "")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    noise = random.Random(7)
    (corpus / "undecodable.txt").write_bytes(
        b"Headline\n\nThe " + bytes(noise.randrange(0x80, 0x100) for _ in range(400))
    )
    with (corpus / "feed.jsonl").open("a") as handle:
        handle.write('"just a string"\n{"title": "no body here"}\n')
    report = run_pipeline(_settings(database_url, corpus))
    assert report.new == 3
    assert report.status == "succeeded"
    reasons = dict(rows(database_url, "SELECT source_uri, reason FROM rejected_documents"))
    by_name = {
        Path(uri.split("#")[0]).name + ("#" + uri.split("#")[1] if "#" in uri else ""): r
        for uri, r in reasons.items()
    }
    assert by_name["empty.txt"] == "empty file"
    assert "binary" in by_name["binary.txt"]
    assert "undecodable" in by_name["undecodable.txt"]
    assert "JSON string, not an object" in by_name["feed.jsonl#2"]
    assert "no text" in by_name["feed.jsonl#3"]
    assert report.rejected == len(reasons) >= 4
    assert scalar(database_url, "SELECT documents_rejected FROM etl_runs") == report.rejected


def test_crash_then_rerun_equals_one_clean_run(database_url: str, tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "in"
    for index in range(6):
        write_text(corpus, f"story{index}.txt", small_story(index))
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    run_pipeline(_settings(clean_url, corpus, batch_size=2))

    real_load = etl.batch_commit.load_articles
    calls = {"n": 0}

    def failing_load(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (simulated)")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(etl.batch_commit, "load_articles", failing_load)
    with pytest.raises(LoadError, match="rolled back") as failure:
        run_pipeline(_settings(database_url, corpus, batch_size=2))
    assert str(failure.value).endswith("RuntimeError: disk full (simulated)")
    assert scalar(database_url, "SELECT COUNT(*) FROM articles") == 2  # first batch only
    assert scalar(database_url, "SELECT status FROM etl_runs") == "failed"
    monkeypatch.setattr(etl.batch_commit, "load_articles", real_load)
    report = run_pipeline(_settings(database_url, corpus, batch_size=2))
    assert (report.new, report.unchanged) == (4, 2)
    assert snapshot(database_url) == snapshot(clean_url)


def test_counts_move_only_when_a_batch_commits(sqlite_url: str, tmp_path: Path, monkeypatch) -> None:
    """A batch that is rolled back is counted neither in the report nor in ``etl_runs``."""
    corpus = tmp_path / "in"
    for index in range(6):
        write_text(corpus, f"story{index}.txt", small_story(index))
    real_record = etl.pipeline.record_rejections
    calls = {"n": 0}

    def failing_record(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("lost connection (simulated)")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(etl.pipeline, "record_rejections", failing_record)
    pipeline = Pipeline(_settings(sqlite_url, corpus, batch_size=2))
    with pytest.raises(LoadError):
        pipeline.run()
    report = pipeline.report
    assert (report.status, report.seen, report.new) == ("failed", 2, 2)
    assert rows(sqlite_url, "SELECT status, documents_seen, documents_new FROM etl_runs") == [
        ("failed", 2, 2)
    ]


def test_statements_per_batch_are_bounded(tmp_path: Path, sqlite_url: str) -> None:
    """Bulk loading: the statement count grows with batches, not with documents."""
    corpus = tmp_path / "in"
    for index in range(1000):
        write_text(corpus, f"s/{index:04d}.txt", small_story(index))
    statements = {"n": 0}
    real_make_engine = make_engine

    def counting_engine(url: str, **kwargs):
        engine = real_make_engine(url, **kwargs)
        event.listen(
            engine, "before_cursor_execute", lambda *a: statements.__setitem__("n", statements["n"] + 1)
        )
        return engine

    import etl.pipeline as pipeline_module

    pipeline_module.make_engine = counting_engine
    try:
        report = run_pipeline(_settings(sqlite_url, corpus, batch_size=100))
    finally:
        pipeline_module.make_engine = real_make_engine
    assert report.new == 1000
    assert statements["n"] < 10 * 30  # 10 batches, a few dozen statements each at most
    print(f"1000 documents in {report.seconds:.2f}s: {report.documents_per_second:.0f} docs/s (no NLP)")


@pytest.mark.nlp
def test_two_articles_mentioning_putin_share_one_entity(database_url: str, tmp_path: Path) -> None:
    # The corpus writes the full name in three articles: enough for a bare surname
    # elsewhere to join it (resolve.SURNAME_MIN_ARTICLES).
    for name in ("a.txt", "a2.txt", "a3.txt"):
        write_text(tmp_path / "in", name, PUTIN_STORY_A)
    run_pipeline(Settings(paths=(tmp_path / "in",), database_url=database_url))
    write_text(tmp_path / "in2", "b.txt", PUTIN_STORY_B)
    run_pipeline(Settings(paths=(tmp_path / "in2",), database_url=database_url))
    people = rows(database_url, "SELECT id, name FROM entities WHERE type = 'PERSON'")
    putins = [(i, n) for i, n in people if "putin" in n.lower()]
    assert len(putins) == 1 and putins[0][1] == "Vladimir Putin"
    articles = scalar(
        database_url, "SELECT COUNT(DISTINCT article_id) FROM mentions WHERE entity_id = :e", e=putins[0][0]
    )
    assert articles == 4
    aliases = {
        r[0]
        for r in rows(database_url, "SELECT alias FROM entity_aliases WHERE entity_id = :e", e=putins[0][0])
    }
    assert {"Vladimir Putin", "Putin"} <= aliases


@pytest.mark.nlp
def test_worker_processes_give_the_same_database(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_text(corpus, "harbour.txt", HARBOUR_STORY)
    write_text(corpus, "putin_a.txt", PUTIN_STORY_A)
    write_text(corpus, "putin_b.txt", PUTIN_STORY_B)
    for index in range(5):
        write_text(corpus, f"s{index}.txt", small_story(index))
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    run_pipeline(Settings(paths=(corpus,), database_url=one, batch_size=2))
    report = run_pipeline(Settings(paths=(corpus,), database_url=two, batch_size=2, workers=2))
    assert report.new == 8
    assert snapshot(two) == snapshot(one)


@pytest.mark.nlp
def test_entities_and_quotes_load_idempotently(database_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_text(corpus, "harbour.txt", HARBOUR_STORY)
    write_text(corpus, "putin_a.txt", PUTIN_STORY_A)
    run_pipeline(Settings(paths=(corpus,), database_url=database_url))
    before = snapshot(database_url)
    [(text, speaker, description, anonymous, entity)] = rows(
        database_url,
        """SELECT q.text, q.speaker_name, q.speaker_description, q.speaker_anonymous, e.name
           FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id WHERE q.kind = 'direct'""",
    )
    assert text.startswith("We listened to every objection")
    assert (speaker, entity, bool(anonymous)) == ("Lars Holm", "Lars Holm", False)
    assert "chairman" in description
    assert before["count:mentions"] > 0 and before["count:quotes"] >= 1
    report = run_pipeline(Settings(paths=(corpus,), database_url=database_url, reprocess=True))
    assert report.updated == 2
    assert snapshot(database_url) == before


def test_nul_characters_are_dropped_at_the_input(database_url: str, tmp_path: Path) -> None:
    """PostgreSQL refuses NUL in text; a stray one must not abort the run."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "late_nul.txt").write_bytes(b"Headline\n\n" + b"Plain words. " * 900 + b"\x00 after the NUL.\n")
    write_jsonl(
        corpus, "feed.jsonl", [{"title": "T\u0000itle", "text": "Body \u0000 text", "author": "Ann Lee"}]
    )
    report = run_pipeline(_settings(database_url, corpus))
    assert (report.new, report.rejected) == (2, 0)
    assert scalar(database_url, "SELECT COUNT(*) FROM articles WHERE headline = 'Title'") == 1
    assert "after the NUL" in scalar(database_url, "SELECT body FROM articles WHERE headline = 'Headline'")


def test_a_batch_without_articles_never_loads_spacy(monkeypatch) -> None:
    """Reruns of unchanged or rejected documents must not pay for the model."""
    import etl.transform.nlp.annotate

    def no_model(model: str | None = None) -> None:
        raise AssertionError("spaCy was loaded for a batch with no article")

    monkeypatch.setattr(etl.transform.nlp.annotate, "load_pipeline", no_model)
    empty = RawDocument(
        source_uri="empty.txt", document_key="empty.txt", text="", format="text", content_sha256="0" * 64
    )
    assert transform_batch([], nlp=True, spacy_model=None) == []
    [rejection] = transform_batch([empty], nlp=True, spacy_model=None)
    assert isinstance(rejection, Rejection) and rejection.stage == "transform"


@pytest.mark.parametrize("batch_size", [1, 100])
def test_a_key_claimed_by_two_files_is_loaded_once_and_reported(
    sqlite_url: str, tmp_path: Path, batch_size: int
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    record = '{"url": "https://news.example.org/ferry", "headline": "Ferry %s", "body": "The ferry ran %s."}'
    (folder / "a.jsonl").write_text(record % ("one", "early") + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(record % ("two", "late") + "\n", encoding="utf-8")
    settings = Settings(database_url=sqlite_url, paths=(folder,), batch_size=batch_size, nlp=False)
    first = run_pipeline(settings)
    assert (first.seen, first.new, first.rejected) == (2, 1, 1)
    assert "duplicate" in first.rejections[0]["reason"]
    assert rows(sqlite_url, "SELECT headline FROM articles") == [("Ferry one",)]
    again = run_pipeline(settings)
    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, 1, 1)


def test_a_date_outside_the_utc_range_rejects_its_document_not_the_batch(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        '{"url": "https://news.example.org/late", "headline": "Late", "body": "The clock ran out.", '
        '"date": "9999-12-31T23:00:00-05:00"}',
        '{"url": "https://news.example.org/early", "headline": "Early", "body": "The clock began.", '
        '"date": "0001-01-01T01:00:00+05:00"}',
        '{"url": "https://news.example.org/fine", "headline": "Fine", "body": "The clock is right.", '
        '"date": "2024-01-01T09:00:00+01:00"}',
    ]
    (folder / "dates.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_pipeline(_settings(database_url, folder))
    assert (report.new, report.rejected) == (1, 2)
    reasons = sorted(r["reason"] for r in report.rejections)
    assert all("outside years 1 to 9999 in UTC" in reason for reason in reasons)
    assert all(r["source_uri"].endswith(("#0", "#1")) for r in report.rejections)
    assert rows(database_url, "SELECT headline FROM articles") == [("Fine",)]


def _resolution_fails(*args: object, **kwargs: object) -> None:
    raise RuntimeError("resolution ran")


def test_an_unchanged_rerun_skips_resolution_and_writes_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus, batch_size=1))
    assert scalar(database_url, "SELECT COUNT(*) FROM pending_resolutions") == 0
    before = snapshot(database_url)
    monkeypatch.setattr(etl.load.pending, "resolve_entities", _resolution_fails)
    report = run_pipeline(_settings(database_url, corpus, batch_size=1))
    assert (report.status, report.seen, report.unchanged, report.new) == ("succeeded", 3, 3, 0)
    # Counted without a transaction per batch, recorded when the run is closed.
    assert rows(
        database_url, "SELECT documents_seen, documents_unchanged FROM etl_runs ORDER BY id DESC LIMIT 1"
    ) == [(3, 3)]
    assert snapshot(database_url) == before
    # --reprocess always resolves.
    with pytest.raises(RuntimeError, match="resolution ran"):
        run_pipeline(_settings(database_url, corpus, reprocess=True))


def test_a_changed_article_makes_the_next_run_resolve(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "in")
    run_pipeline(_settings(database_url, corpus))
    write_text(corpus, "wire/harbour.txt", HARBOUR_STORY.replace("harbour", "port"))
    monkeypatch.setattr(etl.load.pending, "resolve_entities", _resolution_fails)
    with pytest.raises(RuntimeError, match="resolution ran"):
        run_pipeline(_settings(database_url, corpus))
    # The batch committed before resolution failed: it stays pending for the next run.
    assert scalar(database_url, "SELECT SUM(articles) FROM pending_resolutions") == 1


@pytest.mark.nlp
def test_a_run_killed_before_resolution_is_finished_by_the_unchanged_rerun(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "in"
    for name in ("a.txt", "a2.txt", "a3.txt"):
        write_text(corpus, name, PUTIN_STORY_A)
    write_text(corpus, "b.txt", PUTIN_STORY_B)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    run_pipeline(Settings(paths=(corpus,), database_url=clean, batch_size=2))
    real = etl.load.pending.resolve_entities
    monkeypatch.setattr(etl.load.pending, "resolve_entities", _resolution_fails)
    with pytest.raises(RuntimeError, match="resolution ran"):
        run_pipeline(Settings(paths=(corpus,), database_url=database_url, batch_size=2))
    assert snapshot(database_url) != snapshot(clean)  # provisional links: "Putin" on its own row
    monkeypatch.setattr(etl.load.pending, "resolve_entities", real)
    report = run_pipeline(Settings(paths=(corpus,), database_url=database_url, batch_size=2))
    assert (report.new, report.unchanged) == (0, 4)
    assert snapshot(database_url) == snapshot(clean)
    assert scalar(database_url, "SELECT COUNT(*) FROM pending_resolutions") == 0


def test_key_digests_remember_every_key_across_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-wide duplicate check keeps digests packed; none is forgotten when the small set is merged."""
    monkeypatch.setattr(KeyDigests, "RECENT", 8)
    seen = KeyDigests()
    digests = [hashlib.blake2b(f"https://x.org/{i}".encode(), digest_size=16).digest() for i in range(100)]
    assert all(seen.add(digest) for digest in digests)
    assert not any(seen.add(digest) for digest in reversed(digests))
    assert len(seen) == 100
    assert seen.add(hashlib.blake2b(b"https://x.org/new", digest_size=16).digest())


def test_key_digests_tell_apart_digests_that_end_in_zero_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packed digests are fixed-width strings, which numpy returns without trailing NULs."""
    monkeypatch.setattr(KeyDigests, "RECENT", 1)
    seen = KeyDigests()
    digests = [b"\x01" + b"\x00" * 15, b"\x01" + b"\x00" * 14 + b"\x02", b"\x00" * 16, b"\x01" * 16]
    assert all(seen.add(digest) for digest in digests)
    assert not any(seen.add(digest) for digest in digests)
    assert seen.add(b"\x02" + b"\x00" * 15)
