"""The stage boundaries in DESIGN.md: transform never imports SQLAlchemy, load never imports bs4 or spaCy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parent.parent / "etl"

FORBIDDEN = {
    "transform": {"sqlalchemy", "alembic"},
    "load": {"bs4", "spacy", "trafilatura", "lxml"},
    "extract": {"sqlalchemy", "spacy"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stage_imports_stay_in_their_lane(stage: str) -> None:
    offenders = {
        str(path.relative_to(ETL)): sorted(_imports(path) & FORBIDDEN[stage])
        for path in (ETL / stage).rglob("*.py")
        if _imports(path) & FORBIDDEN[stage]
    }
    assert not offenders


def test_records_import_no_libraries() -> None:
    assert _imports(ETL / "records.py") <= {
        "__future__",
        "collections",
        "dataclasses",
        "datetime",
        "typing",
        "etl",
    }


def test_identity_keys_need_only_the_standard_library() -> None:
    assert _imports(ETL / "keys.py") <= {"__future__", "hashlib", "re", "unicodedata"}
