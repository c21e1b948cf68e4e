"""The stage boundaries in DESIGN.md, checked on the source (no imports run).

Third-party lanes: transform never imports SQLAlchemy, load never imports bs4
or spaCy. Between etl's own packages: the CLI goes through the pipeline and
db, never a stage; load never imports transform; transform never imports db
or load; extract never imports transform. ``pytest -s`` prints the graph.
"""

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


def _modules(path: Path) -> set[str]:
    """Full names of the absolute imports of one file, function-level imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _imports(path: Path) -> set[str]:
    """Top-level package names a file imports."""
    return {name.split(".")[0] for name in _modules(path)}


def _part(name: str) -> str:
    """The etl package (or top-level module) a dotted module name belongs to: ``etl.load.runs`` -> ``load``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "etl"


def import_graph() -> dict[str, set[str]]:
    """For each of etl's packages and top-level modules, the other ones it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(ETL.rglob("*.py")):
        relative = path.relative_to(ETL)
        source = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        targets = {_part(name) for name in _modules(path) if name == "etl" or name.startswith("etl.")}
        graph.setdefault(source, set()).update(targets - {source})
    return graph


def _offenders(files: list[Path], packages: set[str]) -> dict[str, list[str]]:
    """The forbidden imports of each file that has some."""
    found = {
        str(path.relative_to(ETL)): sorted(
            name for name in _modules(path) if any(name == p or name.startswith(p + ".") for p in packages)
        )
        for path in files
    }
    return {file: names for file, names in found.items() if names}


def _files(where: str) -> list[Path]:
    target = ETL / where
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


PACKAGE_RULES = [
    pytest.param("cli.py", {"etl.transform", "etl.extract", "etl.load"}, id="cli-calls-no-stage"),
    pytest.param(
        "load",
        {"etl.transform"},
        id="load-imports-no-transform",
    ),
    pytest.param("transform", {"etl.db", "etl.load"}, id="transform-imports-no-db-or-load"),
    pytest.param("extract", {"etl.transform"}, id="extract-imports-no-transform"),
]


@pytest.mark.parametrize(("where", "packages"), PACKAGE_RULES)
def test_packages_import_only_down_the_layers(where: str, packages: set[str]) -> None:
    assert not _offenders(_files(where), packages)


def test_print_the_import_graph() -> None:
    graph = import_graph()
    print("\netl import graph (package -> the etl packages it imports):")
    for source, targets in sorted(graph.items()):
        print(f"  {source:<10} -> {', '.join(sorted(targets)) or '-'}")
    assert {"cli", "pipeline", "transform", "extract", "load", "db"} <= set(graph)
    assert "pipeline" in graph["cli"]


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


READERS = {
    "wire": ETL / "transform" / "formats" / "wire.py",
    "json_record": ETL / "transform" / "formats" / "json_record.py",
    "html": ETL / "transform" / "formats" / "html",
}


def _etl_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("etl.")}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_format_readers_import_none_of_each_other(reader: str) -> None:
    """Each input format is read side by side; what they share lives below them."""
    others = {f"etl.transform.formats.{name}" for name in READERS if name != reader}
    files = [READERS[reader]] if READERS[reader].suffix else sorted(READERS[reader].rglob("*.py"))
    imported = {module for path in files for module in _etl_modules(path)}
    assert not {m for m in imported if any(m == o or m.startswith(o + ".") for o in others)}


def test_shared_transform_modules_import_no_reader() -> None:
    shared = [p for p in (ETL / "transform").glob("*.py") if p.name not in {"documents.py", "batch.py"}]
    offenders = {
        p.name: sorted(m for m in _etl_modules(p) if m.startswith("etl.transform.formats")) for p in shared
    }
    assert not {name: mods for name, mods in offenders.items() if mods}


def test_no_module_in_etl_is_over_500_lines() -> None:
    sizes = {
        str(p.relative_to(ETL)): len(p.read_text(encoding="utf-8").splitlines()) for p in ETL.rglob("*.py")
    }
    assert not {path: n for path, n in sizes.items() if n > 500}
