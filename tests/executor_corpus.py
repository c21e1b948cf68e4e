"""A small corpus for the executor and concurrency tests, and helpers to run and compare."""

from __future__ import annotations

import os
from pathlib import Path

from tests.articles import HARBOUR_STORY, PUTIN_STORY_A, PUTIN_STORY_B, write_jsonl, write_text
from tests.databases import reset_database

ROOT = Path(__file__).resolve().parent.parent

BYLINES = ("Maria Jensen", "Tom Okafor", "Ines Duarte", "Ruth Mendel", "Lars Holm", "Ana Silva")
AGENCIES = (("Reuters", "COPENHAGEN"), ("AP", "SPRINGFIELD"), ("AFP", "PARIS"))


def story(index: int) -> str:
    """A distinct wire story; bylines and agencies repeat, so batches share contributors and sources."""
    agency, city = AGENCIES[index % len(AGENCIES)]
    first, second = BYLINES[index % len(BYLINES)], BYLINES[(index * 5 + 1) % len(BYLINES)]
    return (
        f"Council vote number {index} passes after debate\n\n"
        f"By {first} and {second}\n\n"
        f"{city} ({agency}) – The town council approved measure {index} on Tuesday by a vote of 5-2.\n\n"
        f"Supporters said the measure would repave {index % 17 + 2} streets before winter.\n"
    )


def write_corpus(folder: Path, count: int = 30, start: int = 0) -> Path:
    """``count`` stories numbered from ``start`` in ``folder``, plus three NLP stories and a bad file."""
    for index in range(start, start + count):
        write_text(folder, f"s{index:04d}.txt", story(index))
    write_text(folder, "harbour.txt", HARBOUR_STORY)
    write_text(folder, "putin_a.txt", PUTIN_STORY_A)
    write_text(folder, "putin_b.txt", PUTIN_STORY_B)
    write_jsonl(folder, "bad.jsonl", [{"title": "no body at all"}])
    return folder


def worker_environment() -> None:
    """Dask workers and subprocesses import etl and tests from this checkout."""
    path = os.environ.get("PYTHONPATH", "")
    if str(ROOT) not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), path) if p)


def fresh(url: str) -> str:
    """An empty database at ``url`` (a server database is emptied; a SQLite file is new)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        reset_database(url)
    return url
