"""Shared fixtures: database URLs for every configured backend, paths, the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.databases import backend_id, reset_database, server_urls

# The BI corpus fixture (``corpus_url``) is shared by the test_bi_* modules.
pytest_plugins = ["tests.bi_corpus"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVAL_DIR = ROOT.parent / "shared" / "eval"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _database_params() -> list[pytest.ParameterSet]:
    params = [pytest.param("sqlite", id="sqlite")]
    params += [pytest.param(url, id=backend_id(url)) for url in server_urls()]
    return params


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each configured backend (SQLite: a fresh file)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    reset_database(request.param)
    yield request.param


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
