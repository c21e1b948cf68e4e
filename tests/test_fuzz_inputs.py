"""Fuzz: generated malformed inputs of every format through ``newsetl run``.

A seeded generator (no stored files) writes mutated wire copies, HTML pages,
JSON, JSONL, gzip and WARC files plus odd filesystem objects, runs the CLI in
a subprocess with a timeout (so a hang fails instead of stalling CI), and
checks: the run succeeds, the counts add up (new + updated + unchanged +
rejected == seen), every generated input is accounted for as an article or a
rejection with a reason, and the run stays within its time budget.

``NEWSETL_FUZZ_SEED`` changes the seed; ``NEWSETL_FUZZ_CASES`` the number of
SQLite cases (default 1,200). Server databases from ``NEWSETL_TEST_DATABASE_URLS``
get a smaller share.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from etl.db.engine import make_engine
from tests.databases import backend_id, reset_database, server_urls

ROOT = Path(__file__).resolve().parent.parent
SEED = int(os.environ.get("NEWSETL_FUZZ_SEED", "16"))
SQLITE_CASES = int(os.environ.get("NEWSETL_FUZZ_CASES", "1200"))
SERVER_CASES = int(os.environ.get("NEWSETL_FUZZ_SERVER_CASES", "1000"))
NLP_CASES = 40
CHUNK = 300
SECONDS_PER_DOCUMENT = 2.0
"""Budget per input, on average over a run (a hang or a minutes-long document fails it)."""
RUN_TIMEOUT = 240
GZIP_MAGIC = b"\x1f\x8b"

WORDS = [
    "port",
    "authority",
    "approved",
    "harbour",
    "plan",
    "Monday",
    "dispute",
    "fishing",
    "cooperatives",
    "said",
    "would",
    "study",
    "final",
    "text",
    "before",
    "deciding",
    "appeal",
    "minister",
    "Reuters",
    "Copenhagen",
    "Oslo",
    "election",
    "court",
    "ruling",
    "price",
    "market",
]

Case = tuple[str, bytes]


def _sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _wire(rng: random.Random) -> str:
    paragraphs = [_sentence(rng, 16) for _ in range(rng.randint(1, 6))]
    return (
        f"{_sentence(rng, 6)}\n\nBy {rng.choice(['Maria Jensen', 'Tom Okafor', 'Ана Петрова'])}\n\n"
        f"OSLO (Reuters) - {chr(10).join(paragraphs)}\n\n(Editing by Ruth Mendel)\n"
    )


def _html(rng: random.Random) -> str:
    body = "".join(f"<p>{_sentence(rng, 18)}</p>" for _ in range(rng.randint(1, 8)))
    return (
        f"<html><head><title>{_sentence(rng, 5)}</title>"
        f'<meta name="author" content="Maria Jensen"></head><body><article>{body}</article></body></html>'
    )


def _record(rng: random.Random, name: str, index: int) -> dict[str, object]:
    record: dict[str, object] = {"title": _sentence(rng, 5), "body": _wire(rng)}
    if rng.random() < 0.6:
        record["url"] = f"https://fuzz.example/{name}/{index}"
    return record


# -- mutations ------------------------------------------------------------------------

ODD_TEXT = [
    "\ud800",
    "\udfff",
    "\x00",
    "\u202e",
    "\ufeff",
    "\u0301" * 50,
    "“" * 30,
    "«»„“",
    "By " * 40,
    "(Reporting by " * 20,
    "http://" + "a" * 3000,
    "9" * 5000,
    "\r\n\r",
    "<script>" * 20,
    "&#0;&#xD800;&bogus;",
    "İıŞşĞğ",
    "\x1b[31m",
]


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if not data:
            data += bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        elif choice < 0.3:
            del data[rng.randrange(len(data)) :]  # truncate
        elif choice < 0.55:
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice < 0.75:
            at = rng.randrange(len(data))
            data[at:at] = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")
        elif choice < 0.9:
            at = rng.randrange(len(data))
            data[at:at] = data[at : at + rng.randint(1, 200)] * rng.randint(2, 20)
        else:
            data = bytearray(rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]) + data)
    return bytes(data)


def _mutate_text(rng: random.Random, value: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(value) + 1)
        value = value[:at] + rng.choice(ODD_TEXT) + value[at:]
    return value


# -- generators, one per format -----------------------------------------------------


def gen_txt(rng: random.Random, name: str) -> list[Case]:
    base = _wire(rng)
    if rng.random() < 0.5:
        data = _mutate_text(rng, base).encode("utf-8", "surrogatepass")
    else:
        data = _mutate_bytes(
            rng, base.encode(rng.choice(["utf-8", "utf-16", "latin-1", "cp1252"]), "replace")
        )
    return [(f"{name}.txt", data)]


def gen_html(rng: random.Random, name: str) -> list[Case]:
    base = _html(rng)
    if rng.random() < 0.3:
        depth = rng.choice([100, 1000, 5000])
        base = base.replace("<article>", "<article>" + "<div>" * depth) + "</div>" * rng.randint(0, depth)
    data = (
        _mutate_bytes(rng, base.encode())
        if rng.random() < 0.6
        else _mutate_text(rng, base).encode("utf-8", "surrogatepass")
    )
    return [(f"{name}.{rng.choice(['html', 'htm', 'xhtml'])}", data)]


def _json_text(rng: random.Random, name: str) -> str:
    kind = rng.random()
    if kind < 0.15:
        depth = rng.choice([60, 70, 1000, 50_000])
        return "[" * depth + "]" * depth
    if kind < 0.25:
        return '{"title": "Big", "body": "x", "n": ' + "7" * rng.choice([4000, 4301, 20_000]) + "}"
    if kind < 0.35:
        return rng.choice(["[]", "{}", "null", "42", '"string"', "[1, [2]]", "[{}]", "", " ", "\ufeff[]"])
    records = [_record(rng, name, i) for i in range(rng.randint(1, 5))]
    if rng.random() < 0.3 and len(records) > 1:
        records[-1]["url"] = records[0].get("url", f"https://fuzz.example/{name}/dup")
        records[0]["url"] = records[-1]["url"]
    if rng.random() < 0.3:
        records[0]["url"] = rng.choice(
            ["file:///etc/passwd", f"file://{ROOT}/README.md", "javascript:alert(1)", "", 7, None, "http://"]
        )
    value: object = records if rng.random() < 0.7 else records[0]
    return json.dumps(value, ensure_ascii=rng.random() < 0.5)


def gen_json(rng: random.Random, name: str) -> list[Case]:
    content = _json_text(rng, name)
    if rng.random() < 0.4:
        content = _mutate_text(rng, content)
    data = content.encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        data = _mutate_bytes(rng, data)
    return [(f"{name}.json", data)]


def gen_jsonl(rng: random.Random, name: str) -> list[Case]:
    lines = []
    for index in range(rng.randint(0, 6)):
        if rng.random() < 0.7:
            lines.append(json.dumps(_record(rng, name, index)))
        else:
            lines.append(_json_text(rng, name).replace("\n", " "))
    if len(lines) > 2 and rng.random() < 0.3:
        lines.append(lines[0])  # the same URL again: a duplicate
    content = "\n".join(lines) + rng.choice(["\n", "", "\n\n\n"])
    data = content.encode("utf-8", "surrogatepass")
    if rng.random() < 0.3:
        data = _mutate_bytes(rng, data)
    return [(f"{name}.{rng.choice(['jsonl', 'ndjson'])}", data)]


def gen_gz(rng: random.Random, name: str) -> list[Case]:
    inner_name, inner = rng.choice([gen_txt, gen_html, gen_json, gen_jsonl])(rng, name)[0]
    data = gzip.compress(inner)
    roll = rng.random()
    if roll < 0.3:
        data = data[: rng.randrange(len(data))]
    elif roll < 0.6:
        data = _mutate_bytes(rng, data)
    elif roll < 0.7:
        data = gzip.compress(b"x" * (2 * 1024 * 1024))  # a small bomb-like stream, still under the limit
    return [(f"{inner_name}.gz", data)]


def gen_warc(rng: random.Random, name: str) -> list[Case]:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=rng.random() < 0.7)
    for index in range(rng.randint(1, 4)):
        uri = rng.choice(
            [
                f"https://fuzz.example/{name}/{index}",
                f"https://fuzz.example/{name}/0",
                "file:///etc/passwd",
                "dns:x",
                None,
            ]
        )
        content_type = rng.choice(
            ["text/html", "text/html; charset=utf-8", "text/html; charset=bogus", "image/png"]
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        body = _html(rng).encode()
        if rng.random() < 0.3:
            body = _mutate_bytes(rng, body)
        record = writer.create_warc_record(
            uri or "https://placeholder.invalid/", "response", payload=io.BytesIO(body), http_headers=headers
        )
        if uri is None:
            record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    data = buffer.getvalue()
    roll = rng.random()
    if roll < 0.35:
        data = data[: rng.randrange(len(data))]
    elif roll < 0.6:
        data = _mutate_bytes(rng, data)
    suffix = "warc.gz" if data.startswith(GZIP_MAGIC) else "warc"
    return [(f"{name}.{suffix}", data)]


def gen_odd(rng: random.Random, name: str) -> list[Case]:
    roll = rng.random()
    if roll < 0.3:
        return [
            (
                f"{name}.{rng.choice(['pdf', 'bin', 'docx', 'csv'])}",
                bytes(rng.randrange(256) for _ in range(64)),
            )
        ]
    if roll < 0.5:
        return [(f"{name}.txt", b"")]
    if roll < 0.7:
        return [(f"{name}.txt", bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000))))]
    return [(f"{name}.txt", b" \n\t" * rng.randint(1, 100))]


GENERATORS: list[Callable[[random.Random, str], list[Case]]] = [
    gen_txt,
    gen_html,
    gen_json,
    gen_jsonl,
    gen_gz,
    gen_warc,
    gen_odd,
]


def write_cases(folder: Path, rng: random.Random, count: int, prefix: str) -> list[str]:
    """Write ``count`` generated inputs (plus a few filesystem oddities) and return their names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(count):
        generator = GENERATORS[number % len(GENERATORS)]
        for name, data in generator(rng, f"{prefix}{number:04d}"):
            (folder / name).write_bytes(data)
            names.append(name)
    # Filesystem oddities: none may be opened, followed out of the folder, or skipped silently.
    odd = {
        "fifo.txt": lambda p: os.mkfifo(p),
        "loop.txt": lambda p: p.symlink_to(p),
        "dangling.txt": lambda p: p.symlink_to(folder / "nowhere.txt"),
        "passwd.txt": lambda p: p.symlink_to("/etc/passwd"),
    }
    for name, make in odd.items():
        make(folder / f"{prefix}{name}")
        names.append(f"{prefix}{name}")
    with open(os.path.join(os.fsencode(folder), prefix.encode() + b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Headline\n\nBody text.")
    names.append(f"{prefix}caf\\xe9.txt")
    return names


def run_cli(folder: Path, url: str, nlp: bool) -> tuple[dict[str, object], float]:
    command = [sys.executable, "-m", "etl", "run", "--db", url, "--json", str(folder)]
    if not nlp:
        command.insert(4, "--no-nlp")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=RUN_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"newsetl run hung for over {RUN_TIMEOUT} s on {folder}")
    seconds = time.perf_counter() - started
    assert done.returncode == 0, f"run aborted (exit {done.returncode}):\n{done.stderr.decode()[-4000:]}"
    return json.loads(done.stdout), seconds


def _stored_uris(url: str) -> tuple[list[str], list[tuple[str, str]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            articles = [row[0] for row in connection.execute(text("SELECT source_uri FROM articles"))]
            rejections = [
                (row[0], row[1])
                for row in connection.execute(text("SELECT source_uri, reason FROM rejected_documents"))
            ]
    finally:
        engine.dispose()
    return articles, rejections


def check_run(folder: Path, url: str, names: list[str], nlp: bool = False) -> float:
    report, seconds = run_cli(folder, url, nlp)
    assert report["status"] == "succeeded"
    seen = report["seen"]
    assert report["new"] + report["updated"] + report["unchanged"] + report["rejected"] == seen, report
    articles, rejections = _stored_uris(url)
    assert all(reason and reason.strip() for _, reason in rejections)
    accounted = {Path(uri.split("#")[0]).name for uri in articles} | {
        Path(uri.split("#")[0]).name for uri, _ in rejections
    }
    missing = [name for name in names if name not in accounted]
    assert not missing, f"inputs neither loaded nor rejected: {missing[:20]}"
    assert len(articles) + len(rejections) >= len(names)
    assert seconds < SECONDS_PER_DOCUMENT * max(seen, 1) + 30, f"{seconds:.1f} s for {seen} documents"
    return seconds


def _chunks(total: int) -> list[int]:
    return [min(CHUNK, total - start) for start in range(0, total, CHUNK)]


@pytest.mark.parametrize("chunk", range(len(_chunks(SQLITE_CASES))))
def test_fuzz_sqlite(tmp_path: Path, chunk: int) -> None:
    rng = random.Random(SEED * 1000 + chunk)
    names = write_cases(tmp_path / "in", rng, _chunks(SQLITE_CASES)[chunk], f"c{chunk}-")
    check_run(tmp_path / "in", f"sqlite:///{tmp_path / 'fuzz.db'}", names)


@pytest.mark.nlp
def test_fuzz_sqlite_with_nlp(tmp_path: Path) -> None:
    rng = random.Random(SEED * 1000 + 999)
    names = write_cases(tmp_path / "in", rng, NLP_CASES, "nlp-")
    check_run(tmp_path / "in", f"sqlite:///{tmp_path / 'fuzz.db'}", names, nlp=True)


@pytest.mark.parametrize("url", server_urls(), ids=backend_id)
def test_fuzz_servers(tmp_path: Path, url: str) -> None:
    reset_database(url)
    rng = random.Random(SEED * 1000 + 500)
    names = write_cases(tmp_path / "in", rng, SERVER_CASES, "srv-")
    check_run(tmp_path / "in", url, names)


def test_fuzz_rerun_changes_nothing(tmp_path: Path) -> None:
    """A second run over the same hostile folder updates nothing (no duplicate churn)."""
    rng = random.Random(SEED * 1000 + 77)
    names = write_cases(tmp_path / "in", rng, 80, "re-")
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    check_run(tmp_path / "in", url, names)
    report, _ = run_cli(tmp_path / "in", url, nlp=False)
    assert report["updated"] == 0 and report["new"] == 0, report
    assert sqlite3.connect(tmp_path / "fuzz.db").execute("SELECT count(*) FROM etl_runs").fetchone() == (2,)
