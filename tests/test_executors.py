"""The executors of issue 12 on a 2-worker LocalCluster: same rows as one process, in both load modes.

Each test compares the database after a run on Dask with the one a
single-process run of the same corpus leaves (``tests/snapshots.py``: rows
without surrogate ids or load times). ``--executor dask-local`` starts its own
LocalCluster per run (seconds); the other tests share one 2-worker cluster,
set up as ``newsetl`` sets up its own, through ``--executor dask --scheduler``.
Workers import ``etl`` and ``tests`` from this checkout through ``PYTHONPATH``.
"""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import Any

import pytest

import etl.pipeline
from etl.config import Settings
from etl.executors import ExecutorError, check_settings, make_executor, transform_and_load
from etl.pipeline import run_pipeline
from etl.transform.batch import transform_batch
from tests.executor_corpus import fresh, worker_environment, write_corpus
from tests.snapshots import rows, snapshot

KILL_ARMED = "NEWSETL_TEST_KILL_ARMED"
POISON = "NEWSETL_TEST_POISON"

needs_dask = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("dask", "distributed")),
    reason="dask is not installed (pip install 'newsetl[dask]')",
)


def _settings(url: str, corpus: Path, **overrides: Any) -> Settings:
    options: dict[str, Any] = {"nlp": False, "batch_size": 4}
    options.update(overrides)
    return Settings(paths=(corpus,), database_url=url, **options)


def _reference(url: str, corpus: Path, **overrides: Any) -> dict[str, Any]:
    """The snapshot of a single-process run, leaving ``url`` empty again for the run under test."""
    run_pipeline(_settings(fresh(url), corpus, **overrides))
    expected = snapshot(url)
    fresh(url)
    return expected


# -- run on the workers (module-level, so dask pickles them by reference) -------


def _die_once() -> None:
    """Kill this worker process if the test armed it (SIGKILL: no cleanup); the first worker disarms it."""
    armed = os.environ.get(KILL_ARMED)
    if armed:
        try:
            os.rename(armed, armed + ".fired")
        except FileNotFoundError:
            return
        os.kill(os.getpid(), 9)


def dying_transform(*args: Any) -> Any:
    """transform_batch on a worker that is killed in the middle of its first batch."""
    _die_once()
    return transform_batch(*args)


def dying_after_commit(*args: Any) -> Any:
    """transform_and_load on a worker killed after its first batch committed, before it answered."""
    result = transform_and_load(*args)
    _die_once()
    return result


def poisoned_transform(documents: Any, *args: Any) -> Any:
    """A batch holding the poison document fails on every worker, every time."""
    if any(os.environ.get(POISON, "\0") in d.source_uri for d in documents):
        raise RuntimeError("a document this worker cannot survive")
    return transform_batch(documents, *args)


# -- without dask ---------------------------------------------------------------


def test_without_dask_asking_for_it_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = builtins.__import__

    def no_dask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ExecutorError) as caught:
        make_executor(Settings(paths=(tmp_path,), executor="dask-local"))
    message = str(caught.value)
    assert "\n" not in message and "pip install 'newsetl[dask]'" in message


def test_load_on_workers_is_refused_on_sqlite_with_the_reason(tmp_path: Path) -> None:
    settings = Settings(
        paths=(tmp_path,),
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        executor="dask-local",
        load_on_workers=True,
    )
    with pytest.raises(ExecutorError, match="SQLite takes one writer at a time"):
        check_settings(settings)
    local = Settings(paths=(tmp_path,), database_url=f"sqlite:///{tmp_path / 'x.db'}", load_on_workers=True)
    with pytest.raises(ExecutorError, match="SQLite takes one writer at a time"):
        check_settings(local)
    # The local pool loads on its workers too; with --workers 1 its one process loads as usual.
    for workers in (1, 2):
        pg = Settings(
            paths=(tmp_path,), database_url="postgresql://x/y", workers=workers, load_on_workers=True
        )
        check_settings(pg)
    with pytest.raises(ExecutorError, match="--scheduler"):
        check_settings(Settings(paths=(tmp_path,), executor="dask"))


# -- on a LocalCluster ----------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 2-worker cluster for the module; workers see the kill switch and poison variables."""
    import dask
    from distributed import LocalCluster

    worker_environment()
    armed = tmp_path_factory.mktemp("kill") / "armed"
    os.environ[KILL_ARMED] = str(armed)
    os.environ[POISON] = "s0005.txt"
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        local = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        )
    local.armed = armed
    yield local
    local.close()
    del os.environ[KILL_ARMED], os.environ[POISON]


def _on(cluster: Any) -> dict[str, Any]:
    return {"executor": "dask", "scheduler": cluster.scheduler_address}


def _load_modes(database_url: str) -> list[bool]:
    return [False] if database_url.startswith("sqlite") else [False, True]


@needs_dask
def test_dask_local_gives_the_single_process_rows(database_url: str, tmp_path: Path) -> None:
    worker_environment()
    corpus = write_corpus(tmp_path / "in")
    expected = _reference(database_url, corpus)
    assert expected["count:articles"] == 33 and expected["count:contributors"] == 6
    for load_on_workers in _load_modes(database_url):
        options = {"executor": "dask-local", "workers": 2, "load_on_workers": load_on_workers}
        report = run_pipeline(_settings(fresh(database_url), corpus, **options))
        assert (report.status, report.new, report.rejected) == ("succeeded", 33, 1), load_on_workers
        assert snapshot(database_url) == expected, f"load_on_workers={load_on_workers}"


@needs_dask
def test_an_existing_cluster_gives_the_same_rows_and_skips_unchanged(
    cluster: Any, database_url: str, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "in")
    expected = _reference(database_url, corpus)
    for load_on_workers in _load_modes(database_url):
        options = {**_on(cluster), "load_on_workers": load_on_workers}
        report = run_pipeline(_settings(fresh(database_url), corpus, batch_size=3, **options))
        assert (report.status, report.new, report.rejected) == ("succeeded", 33, 1), load_on_workers
        assert snapshot(database_url) == expected, f"load_on_workers={load_on_workers}"
        again = run_pipeline(_settings(database_url, corpus, **options))
        assert (again.new, again.updated, again.unchanged) == (0, 0, 33)
        assert snapshot(database_url) == expected


@needs_dask
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    cluster: Any, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Client mode: killed in the middle of a transform; worker mode: after its commit, before answering."""
    corpus = write_corpus(tmp_path / "in")
    expected = _reference(database_url, corpus)
    for load_on_workers in _load_modes(database_url):
        cluster.armed.write_text("")
        if load_on_workers:
            monkeypatch.setattr(etl.pipeline, "transform_and_load", dying_after_commit)
        else:
            monkeypatch.setattr(etl.pipeline, "transform_batch", dying_transform)
        options = {**_on(cluster), "load_on_workers": load_on_workers}
        report = run_pipeline(_settings(fresh(database_url), corpus, **options))
        assert not cluster.armed.exists(), "no worker was killed"
        assert (report.status, report.rejected) == ("succeeded", 1)
        assert snapshot(database_url) == expected, f"load_on_workers={load_on_workers}"


@needs_dask
def test_a_batch_failing_twice_lands_in_rejected_documents(
    cluster: Any, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "in", count=8)
    monkeypatch.setattr(etl.pipeline, "transform_batch", poisoned_transform)
    report = run_pipeline(_settings(sqlite_url, corpus, batch_size=2, **_on(cluster)))
    assert report.status == "succeeded"
    rejected = rows(sqlite_url, "SELECT source_uri, reason FROM rejected_documents ORDER BY source_uri")
    failed = [uri for uri, reason in rejected if "failed twice" in reason]
    # The poisoned document and the one sharing its batch, with the worker's error in the reason.
    assert len(failed) == 2 and any(uri.endswith("s0005.txt") for uri in failed)
    assert all("a document this worker cannot survive" in r for _, r in rejected if "failed twice" in r)
    assert report.new + report.rejected == report.seen == 12


@needs_dask
@pytest.mark.nlp
def test_dask_local_with_nlp_gives_the_single_process_entities(tmp_path: Path) -> None:
    worker_environment()
    corpus = write_corpus(tmp_path / "in", count=6)
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    run_pipeline(Settings(paths=(corpus,), database_url=one, batch_size=2))
    run_pipeline(Settings(paths=(corpus,), database_url=two, batch_size=2, executor="dask-local", workers=2))
    expected = snapshot(one)
    assert expected["count:mentions"] > 0
    assert snapshot(two) == expected


def test_races_with_other_writers_are_told_apart_on_each_driver() -> None:
    """PyMySQL sets a generic sqlstate ("23000") too: the MariaDB error number decides."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from etl.batch_commit import is_race

    class PyMySQLError(Exception):
        sqlstate = "23000"

    class PsycopgError(Exception):
        def __init__(self, message: str, sqlstate: str) -> None:
            super().__init__(message)
            self.sqlstate = sqlstate

    assert is_race(IntegrityError("insert", {}, PyMySQLError(1062, "Duplicate entry")))
    assert is_race(OperationalError("insert", {}, PyMySQLError(1213, "Deadlock found")))
    assert not is_race(IntegrityError("insert", {}, PyMySQLError(1048, "Column cannot be null")))
    assert is_race(OperationalError("insert", {}, PsycopgError("deadlock detected", "40P01")))
    assert is_race(IntegrityError("insert", {}, PsycopgError("duplicate key", "23505")))
    assert not is_race(IntegrityError("insert", {}, PsycopgError("null value", "23502")))
    assert not is_race(RuntimeError("not a database error"))


@needs_dask
def test_client_killed_mid_run_takes_its_cluster_along_and_a_rerun_finishes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.executor_corpus import ROOT
    from tests.snapshots import scalar
    from tests.test_executors_local import _alive, _children

    worker_environment()
    corpus = write_corpus(tmp_path / "in", count=300)
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    expected = _reference(f"sqlite:///{tmp_path / 'one.db'}", corpus, batch_size=2)
    command = [sys.executable, "-m", "etl", "-q", "run", "--no-nlp", "--batch-size", "2", "--db", url]
    client = subprocess.Popen(command + ["--executor", "dask-local", "--workers", "2", str(corpus)], cwd=ROOT)
    descendants: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        committed = 0
        while committed == 0 and time.monotonic() < deadline and client.poll() is None:
            time.sleep(0.2)
            try:
                committed = scalar(url, "SELECT COUNT(*) FROM articles") or 0
            except Exception:
                committed = 0  # not created yet
        frontier = {client.pid}
        while frontier:
            frontier = set().union(*(_children(pid) for pid in frontier)) - descendants
            descendants |= frontier
        assert client.poll() is None and committed < 303, "the run ended before it could be killed"
        client.send_signal(signal.SIGKILL)
        client.wait()
        deadline = time.monotonic() + 60
        while _alive(descendants) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _alive(descendants), "the LocalCluster's processes outlived their client by a minute"
    finally:
        if client.poll() is None:
            client.kill()
        for pid in _alive(descendants):
            os.kill(pid, signal.SIGKILL)
    finish = subprocess.run(command + ["--executor", "dask-local", "--workers", "2", str(corpus)], cwd=ROOT)
    assert finish.returncode == 0
    assert snapshot(url) == expected
