"""The local process pool (``--workers N``): its workers do not outlive a killed client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.executor_corpus import ROOT, worker_environment, write_corpus


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
