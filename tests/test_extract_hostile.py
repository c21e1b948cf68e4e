"""Hostile input at extract: every case ends as documents or a rejection with a reason.

Each test here failed on main before issue 16: the input aborted the run, was
skipped silently, loaded what it should not, or replaced another article.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from etl.config import Settings
from etl.extract.files import extract_documents
from etl.pipeline import run_pipeline
from etl.records import RawDocument, Rejection
from tests.articles import HARBOUR_STORY, write_text

PAGE = (
    "<html><head><title>Harbour plan approved</title></head><body><article>"
    + "".join(
        f"<p>The port authority approved plan number {i} on Monday after a long dispute with"
        f" {i + 2} fishing cooperatives, who said they would study the final text.</p>"
        for i in range(20)
    )
    + "</article></body></html>"
)


def _split(results: list[RawDocument | Rejection]) -> tuple[list[RawDocument], list[Rejection]]:
    return (
        [r for r in results if isinstance(r, RawDocument)],
        [r for r in results if isinstance(r, Rejection)],
    )


def _reasons(paths: list[Path | str]) -> dict[str, str]:
    return {Path(r.source_uri).name: r.reason for r in extract_documents(paths) if isinstance(r, Rejection)}


def _warc(path: Path, pages: list[tuple[str | None, bytes]], gzip: bool = True) -> Path:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for uri, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri or "https://placeholder.invalid/",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
            if uri is None:
                record.rec_headers.remove_header("WARC-Target-URI")
            writer.write_record(record)
    return path


# -- 1. inputs that aborted the run or were skipped silently -------------------------


def test_corrupted_gzip_body_is_rejected(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(HARBOUR_STORY.encode() * 20))
    data[len(data) // 2 : len(data) // 2 + 40] = b"\xff" * 40
    (tmp_path / "story.txt.gz").write_bytes(bytes(data))
    (tmp_path / "feed.jsonl.gz").write_bytes(bytes(data))
    write_text(tmp_path, "good.txt", HARBOUR_STORY)
    documents, rejections = _split(list(extract_documents([tmp_path])))
    assert [Path(d.source_uri).name for d in documents] == ["good.txt"]
    assert {Path(r.source_uri).name for r in rejections} == {"story.txt.gz", "feed.jsonl.gz"}
    assert all("cannot read file" in r.reason for r in rejections)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a":' * 70 + "1" + "}" * 70, "nested too deeply"),
        ('{"title": "A", "body": "x", "n": ' + "9" * 5000 + "}", "number is too long"),
        ("[]", "no records"),
    ],
    ids=["recursion", "depth-limit", "huge-int", "empty-array"],
)
def test_json_that_cannot_be_a_record_is_rejected(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "bad.json").write_text(text)
    (tmp_path / "bad.jsonl").write_text(text.replace("\n", " ") + "\n")
    reasons = _reasons([tmp_path / "bad.json", tmp_path / "bad.jsonl"])
    assert expected in reasons["bad.json"]
    if expected != "no records":  # "[]" on a JSONL line is an array, not an object
        assert expected in reasons["bad.jsonl#0"]


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    record = '{"title": "Bad \\ud800 title", "body": "Body \\udfff text", "\\ud83d": "key"}'
    (tmp_path / "one.json").write_text(record)
    (tmp_path / "feed.jsonl").write_text(record + "\n")
    documents, rejections = _split(list(extract_documents([tmp_path])))
    assert not rejections and len(documents) == 2
    for document in documents:
        assert document.fields["title"] == "Bad \ufffd title"
        assert document.fields["body"] == "Body \ufffd text"
        assert "\ufffd" in document.fields
        document.text.encode("utf-8")  # storable


def test_warc_record_without_target_uri_is_rejected_and_the_rest_loads(tmp_path: Path) -> None:
    path = _warc(tmp_path / "a.warc.gz", [(None, PAGE.encode()), ("https://example.org/b", PAGE.encode())])
    documents, rejections = _split(list(extract_documents([path])))
    assert [d.document_key for d in documents] == ["https://example.org/b"]
    assert len(rejections) == 1 and "no WARC-Target-URI" in rejections[0].reason


def test_file_name_not_valid_utf8_is_rejected_readably(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write(HARBOUR_STORY.encode())
    write_text(tmp_path, "good.txt", HARBOUR_STORY)
    named = os.fsdecode(os.path.join(folder, b"other\xff.txt"))
    documents, rejections = _split(list(extract_documents([tmp_path, named])))
    assert len(documents) == 1
    assert len(rejections) == 2
    for rejection in rejections:
        rejection.source_uri.encode("utf-8")
        assert "not valid UTF-8" in rejection.reason or "no such file" in rejection.reason
    assert any("caf\\xe9.txt" in r.source_uri for r in rejections)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_unsearchable_subfolder_is_rejected(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write_text(locked, "hidden-story.txt", HARBOUR_STORY)
    write_text(tmp_path, "good.txt", HARBOUR_STORY)
    locked.chmod(0o600)  # readable, not searchable
    try:
        reasons = _reasons([tmp_path])
    finally:
        locked.chmod(0o700)
    assert any("permission denied" in reason for reason in reasons.values())


def test_links_and_special_files_are_rejected_never_followed_or_opened(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write_text(root, "good.txt", HARBOUR_STORY)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "again.txt").symlink_to(root / "good.txt")
    (root / "subdir").symlink_to(root)
    os.mkfifo(root / "pipe.txt")  # opening it would block the run forever
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock.txt"))
        documents, rejections = _split(list(extract_documents([root, root / "pipe.txt"])))
    finally:
        server.close()
    assert [Path(d.source_uri).name for d in documents] == ["good.txt"]
    reasons = {Path(r.source_uri).name: r.reason for r in rejections}
    assert "loop" in reasons["loop.txt"]
    assert "dangling" in reasons["dangling.txt"]
    assert "outside the given folder" in reasons["passwd.txt"]
    assert "not followed" in reasons["again.txt"] and "not followed" in reasons["subdir"]
    assert "named pipe" in reasons["pipe.txt"]
    assert "socket" in reasons["sock.txt"]
    assert len(rejections) == 7  # the FIFO named is read (rejected) once, where it is named


def test_empty_folder_and_named_twice_are_accounted_for(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    story = write_text(tmp_path, "story.txt", HARBOUR_STORY)
    documents, rejections = _split(list(extract_documents([tmp_path / "empty", story, story])))
    assert len(documents) == 1
    assert sorted(r.reason for r in rejections) == ["folder holds no input files", "named twice: read once"]


# -- 2. a damaged web archive never replaces a good article ----------------------------


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_record_is_rejected_not_yielded(tmp_path: Path, compressed: bool) -> None:
    body = PAGE.encode() * 3
    good = _warc(tmp_path / "good.warc", [("https://example.org/a", body)], compressed)
    data = good.read_bytes()
    for cut in range(len(data) // 4, len(data) - 20, max(1, len(data) // 40)):
        damaged = tmp_path / f"cut{cut}.warc{'.gz' if compressed else ''}"
        damaged.write_bytes(data[:cut])
        documents, rejections = _split(list(extract_documents([damaged])))
        assert not documents or documents[0].text == body.decode(), cut
        assert rejections or documents, cut


def test_warc_with_content_length_beyond_the_record_is_rejected(tmp_path: Path) -> None:
    good = _warc(tmp_path / "a.warc", [("https://example.org/a", PAGE.encode())], gzip=False)
    data = good.read_bytes()
    start = data.index(b"Content-Length: ") + len(b"Content-Length: ")
    end = data.index(b"\r\n", start)
    bigger = data[:start] + str(int(data[start:end]) + 500).encode() + data[end:]
    good.write_bytes(bigger)
    documents, rejections = _split(list(extract_documents([good])))
    assert not documents
    assert rejections and ("truncated" in rejections[0].reason or "damaged" in rejections[0].reason)


def test_warc_record_with_a_wrong_digest_is_rejected(tmp_path: Path) -> None:
    good = _warc(tmp_path / "a.warc", [("https://example.org/a", PAGE.encode())], gzip=False)
    good.write_bytes(good.read_bytes().replace(b"long dispute", b"LONG DISPUTE", 1))
    documents, rejections = _split(list(extract_documents([good])))
    assert not documents
    assert "digest mismatch" in rejections[0].reason


# -- 3. identity: content cannot claim a file's key; duplicates are reported ------------


def test_record_cannot_claim_a_file_key(tmp_path: Path) -> None:
    page = write_text(tmp_path, "a.html", PAGE)
    claim = page.resolve().as_uri()
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"title": "Fake", "body": "Replaced!", "url": claim})
        + "\n"
        + json.dumps({"title": "Ftp", "body": "x", "url": "ftp://example.org/x"})
        + "\n"
    )
    warc = _warc(tmp_path / "w.warc.gz", [(claim, PAGE.encode())])
    documents, _ = _split(list(extract_documents([tmp_path])))
    keys = [d.document_key for d in documents]
    assert keys.count(claim) == 1
    assert all(d.url is None for d in documents)
    assert f"{warc.resolve().as_uri()}#0" in keys


def test_duplicates_within_a_file_later_wins_earlier_is_reported(tmp_path: Path) -> None:
    records = [
        {"title": f"T{i}", "body": f"Body {i}", "url": url}
        for i, url in enumerate(
            ["https://e.org/a", "https://e.org/b", "https://e.org/a", None, "https://e.org/a"]
        )
    ]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "feed.json").write_text(json.dumps(records))
    _warc(tmp_path / "w.warc.gz", [("https://e.org/w", b"<p>one</p>"), ("https://e.org/w", PAGE.encode())])
    documents, rejections = _split(list(extract_documents([tmp_path])))
    assert len(documents) + len(rejections) == 12
    by_file = {
        name: [d.record_index for d in documents if Path(d.source_uri).name.startswith(name)]
        for name in ("feed.jsonl", "feed.json#", "w.warc")
    }
    assert [d.fields["title"] for d in documents if d.format == "record"] == ["T1", "T3", "T4"] * 2
    assert by_file["w.warc"] == [1]
    duplicates = [r for r in rejections if r.reason.startswith("duplicate of")]
    assert len(duplicates) == 5
    assert any(
        r.source_uri.endswith("feed.jsonl#0") and r.reason.startswith(f"duplicate of {tmp_path}/feed.jsonl#4")
        for r in duplicates
    )


def _run(tmp_path: Path, *paths: Path) -> tuple[object, sqlite3.Connection]:
    url = f"sqlite:///{tmp_path / 'etl.db'}"
    report = run_pipeline(Settings(paths=tuple(paths), database_url=url, nlp=False))
    return report, sqlite3.connect(tmp_path / "etl.db")


def test_run_counts_add_up_with_duplicates_and_odd_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    records = [
        {"title": f"T{i}", "body": f"Body number {i}.", "url": f"https://e.org/{i % 3}"} for i in range(5)
    ]
    root.mkdir()
    (root / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (root / "empty.json").write_text("[]")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(root / "pipe.txt")
    report, db = _run(tmp_path, root)
    assert report.seen == 8  # 5 records + 3 odd files
    assert report.new + report.rejected == 8
    assert report.new == 3
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert db.execute("SELECT count(*) FROM articles WHERE body LIKE '%root:%'").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM rejected_documents").fetchone() == (5,)


def test_truncated_warc_never_replaces_a_stored_article(tmp_path: Path) -> None:
    body = PAGE.replace("Monday", "Tuesday").encode() * 4
    good = _warc(tmp_path / "a.warc.gz", [("https://example.org/a", body)])
    report, db = _run(tmp_path, good)
    assert report.new == 1
    stored = db.execute("SELECT body FROM articles").fetchone()
    data = good.read_bytes()
    good.write_bytes(data[: len(data) * 2 // 3])
    report, db = _run(tmp_path, good)
    assert report.updated == 0 and report.rejected >= 1
    assert db.execute("SELECT body FROM articles").fetchone() == stored
