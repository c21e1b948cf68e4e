"""Shared fixtures: database URLs for every configured backend, paths, the CLI runner."""

from __future__ import annotations

import ast
import sys
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


def _nlp_deselected(config: pytest.Config) -> bool:
    """Whether ``-m`` leaves out the tests marked ``nlp`` (``-m "not nlp"`` and the like)."""
    from _pytest.mark.expression import Expression

    markexpr = str(config.getoption("markexpr") or "")
    return bool(markexpr) and not Expression.compile(markexpr).evaluate(lambda name, **_: name == "nlp")


def _whole_module_is_nlp(path: Path) -> bool:
    """``pytestmark = pytest.mark.nlp`` at the top of a test module, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and ast.unparse(node.value) == "pytest.mark.nlp"
        for node in tree.body
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m "not nlp"`` do not even import an nlp module: importing it may import spaCy."""
    if (
        collection_path.suffix == ".py"
        and collection_path.name.startswith("test_")
        and _nlp_deselected(config)
    ):
        return _whole_module_is_nlp(collection_path) or None
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    if _nlp_deselected(session.config) and "spacy" in sys.modules:
        pytest.exit(
            'collecting the tests imported spaCy under -m "not nlp"; mark the module nlp', returncode=1
        )


@pytest.fixture(autouse=True)
def _spacy_stays_out(request: pytest.FixtureRequest) -> Iterator[None]:
    """``-m "not nlp"`` is the fast lane: a test that loads spaCy there must be marked ``nlp``.

    Only the test that brought spaCy in fails, not every test after it.
    """
    already_loaded = "spacy" in sys.modules
    yield
    if not already_loaded and "spacy" in sys.modules and _nlp_deselected(request.config):
        pytest.fail(f'{request.node.nodeid} imported spaCy under -m "not nlp"; mark it nlp', pytrace=False)


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
