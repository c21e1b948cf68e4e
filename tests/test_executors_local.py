"""The local process pool (``--workers N``): same rows as one process in both load modes, a
killed worker loses and doubles nothing, and its workers do not outlive a killed client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import etl.pipeline
from etl.config import Settings
from etl.pipeline import run_pipeline
from tests.executor_corpus import ROOT, fresh, worker_environment, write_corpus
from tests.snapshots import snapshot
from tests.test_executors import KILL_ARMED, dying_after_commit, dying_transform


def _settings(url: str, corpus: Path, **overrides: Any) -> Settings:
    options: dict[str, Any] = {"nlp": False, "batch_size": 4}
    options.update(overrides)
    return Settings(paths=(corpus,), database_url=url, **options)


def _reference(url: str, corpus: Path) -> dict[str, Any]:
    """The snapshot of a single-process run, leaving ``url`` empty again for the run under test."""
    run_pipeline(_settings(fresh(url), corpus))
    expected = snapshot(url)
    fresh(url)
    return expected


def _load_modes(database_url: str) -> list[bool]:
    return [False] if database_url.startswith("sqlite") else [False, True]


def test_the_pool_gives_the_single_process_rows_in_both_load_modes(database_url: str, tmp_path: Path) -> None:
    worker_environment()
    corpus = write_corpus(tmp_path / "in")
    expected = _reference(database_url, corpus)
    for load_on_workers in _load_modes(database_url):
        options = {"workers": 2, "load_on_workers": load_on_workers, "batch_size": 3}
        report = run_pipeline(_settings(fresh(database_url), corpus, **options))
        assert (report.status, report.new, report.rejected) == ("succeeded", 33, 1), load_on_workers
        assert snapshot(database_url) == expected, f"load_on_workers={load_on_workers}"
        again = run_pipeline(_settings(database_url, corpus, workers=2, load_on_workers=load_on_workers))
        assert (again.new, again.updated, again.unchanged) == (0, 0, 33)
        assert snapshot(database_url) == expected


def test_a_pool_worker_killed_mid_batch_loses_and_doubles_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Client mode: killed in the middle of a transform; worker mode: after its commit, before answering.

    The killed worker breaks the pool; a new pool tries every unit that was out once more.
    """
    worker_environment()
    corpus = write_corpus(tmp_path / "in")
    expected = _reference(database_url, corpus)
    armed = tmp_path / "armed"
    monkeypatch.setenv(KILL_ARMED, str(armed))
    for load_on_workers in _load_modes(database_url):
        armed.write_text("")
        if load_on_workers:
            monkeypatch.setattr(etl.pipeline, "transform_and_load", dying_after_commit)
        else:
            monkeypatch.setattr(etl.pipeline, "transform_batch", dying_transform)
        options = {"workers": 2, "load_on_workers": load_on_workers}
        report = run_pipeline(_settings(fresh(database_url), corpus, **options))
        assert not armed.exists(), "no worker was killed"
        assert (report.status, report.rejected) == ("succeeded", 1)
        assert snapshot(database_url) == expected, f"load_on_workers={load_on_workers}"


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (from /proc, no psutil needed)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def test_pool_workers_die_soon_after_the_client_is_killed(tmp_path: Path) -> None:
    worker_environment()
    corpus = write_corpus(tmp_path / "in", count=600)
    command = [sys.executable, "-m", "etl", "-q", "run", "--no-nlp", "--workers", "2", "--batch-size", "1"]
    command += ["--db", f"sqlite:///{tmp_path / 'x.db'}", str(corpus)]
    client = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and client.poll() is None:
            workers = _children(client.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the pool never started (or the run ended first)"
        client.send_signal(signal.SIGKILL)
        client.wait()
        deadline = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(workers), "pool workers outlived their client by 10 s"
    finally:
        if client.poll() is None:
            client.kill()
        for pid in _alive(_children(client.pid)):
            os.kill(pid, signal.SIGKILL)
