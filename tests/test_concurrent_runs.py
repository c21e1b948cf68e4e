"""Independent ``newsetl run`` processes on overlapping inputs into one server database at once.

Cron jobs that overlap, two machines without Dask: each run plans its batches
without knowing of the other, so both try to insert the same articles,
sources, contributors (and, with NLP, entities and aliases) at the same time.
The database must end exactly as after one run over the union of the inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.config import Settings
from etl.db.engine import make_engine
from etl.db.migrate import ensure_schema
from etl.pipeline import run_pipeline
from tests.databases import backend_id, server_urls
from tests.executor_corpus import ROOT, fresh, worker_environment, write_corpus
from tests.snapshots import rows, snapshot

SERVERS = [pytest.param(url, id=backend_id(url)) for url in server_urls()]


def _inputs(tmp_path: Path, count: int) -> tuple[Path, Path, Path]:
    """Two thirds of the documents in both runs' inputs, a sixth in each run's alone."""
    shared = write_corpus(tmp_path / "shared", count=count * 2 // 3)
    only_a = write_corpus(tmp_path / "a", count=count // 6, start=1000)
    only_b = write_corpus(tmp_path / "b", count=count // 6, start=2000)
    return shared, only_a, only_b


def _run_together(url: str, nlp: bool, *inputs: tuple[Path, ...]) -> None:
    worker_environment()
    base = [sys.executable, "-m", "etl", "-q", "run", "--batch-size", "2", "--db", url]
    base.append("--nlp" if nlp else "--no-nlp")
    runs = [
        subprocess.Popen(
            base + [str(p) for p in paths],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in inputs
    ]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, f"{out}\n{err}"


def _check(url: str, tmp_path: Path, count: int, nlp: bool) -> None:
    shared, only_a, only_b = _inputs(tmp_path, count)
    run_pipeline(Settings(paths=(shared, only_a, only_b), database_url=fresh(url), nlp=nlp, batch_size=2))
    expected = snapshot(url)
    # Migrated first: two first runs racing to create the schema is etl/db/migrate.py's lock, not this test.
    engine = make_engine(fresh(url))
    try:
        ensure_schema(engine, url)
    finally:
        engine.dispose()
    _run_together(url, nlp, (shared, only_a), (only_b, shared))
    assert snapshot(url) == expected
    runs = rows(url, "SELECT status, documents_new, documents_unchanged FROM etl_runs ORDER BY id")
    assert [r[0] for r in runs] == ["succeeded", "succeeded"]
    # Every article was written by exactly one of the runs; the other counted it unchanged.
    assert sum(r[1] for r in runs) == expected["count:articles"]
    # Both runs stamped the shared files as they went; whichever stamp stayed, it was confirmed.
    stamps = rows(
        url, "SELECT pending_run_id IS NULL, COUNT(*) FROM file_stamps GROUP BY pending_run_id IS NULL"
    )
    assert dict(stamps) == {
        True: len(set(shared.iterdir()) | set(only_a.iterdir()) | set(only_b.iterdir())) - 3
    }


@pytest.mark.parametrize("url", SERVERS)
def test_two_runs_on_overlapping_inputs_equal_one_run(url: str, tmp_path: Path) -> None:
    _check(url, tmp_path, count=120, nlp=False)


@pytest.mark.nlp
@pytest.mark.parametrize("url", SERVERS)
def test_two_runs_with_entities_on_overlapping_inputs_equal_one_run(url: str, tmp_path: Path) -> None:
    """Entities and aliases are shared rows too, and each run resolves entities at its end."""
    _check(url, tmp_path, count=12, nlp=True)
