"""docs/schema.md matches the models and the migrated views; `newsetl db diagram` prints the diagram."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from etl.cli import cli
from etl.db import migrate
from etl.db.base import Base
from etl.db.diagram import BEGIN, END, diagram_block, mermaid_diagram, replace_block
from etl.db.engine import make_engine

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMA_MD = DOCS / "schema.md"


def test_committed_diagram_and_reference_match_the_models() -> None:
    document = SCHEMA_MD.read_text(encoding="utf-8")
    committed = document[document.index(BEGIN) : document.index(END) + len(END)]
    assert committed == diagram_block(), (
        "docs/schema.md is stale: run `python -m etl.db.diagram docs/schema.md`"
    )


def test_diagram_has_every_table_column_and_foreign_key() -> None:
    diagram = mermaid_diagram()
    assert diagram.startswith("erDiagram\n")
    for table in Base.metadata.tables.values():
        assert re.search(rf"^    {table.name} {{$", diagram, flags=re.MULTILINE), table.name
        for column in table.columns:
            assert re.search(rf"^        \w+ {column.name}\b", diagram, flags=re.MULTILINE), column.name
    assert '    sources |o--o{ articles : "publisher_id"' in diagram
    assert '    articles ||--o{ quotes : "article_id"' in diagram
    assert '    entities |o--o{ quotes : "speaker_entity_id"' in diagram


def test_replace_block_rewrites_only_between_the_markers() -> None:
    stale = f"intro\n{BEGIN}\nold\n{END}\noutro\n"
    fresh = replace_block(stale)
    assert fresh.startswith("intro\n") and fresh.endswith("\noutro\n") and "old" not in fresh
    assert replace_block(fresh) == fresh


def test_every_view_is_documented_with_all_its_columns(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        inspector = inspect(engine)
        views = {
            name: [c["name"] for c in inspector.get_columns(name)] for name in inspector.get_view_names()
        }
    finally:
        engine.dispose()
    document = SCHEMA_MD.read_text(encoding="utf-8")
    assert len(views) >= 6
    for view, columns in views.items():
        match = re.search(rf"^### `{view}`\n(.*?)(?=^##)", document, flags=re.MULTILINE | re.DOTALL)
        assert match, f"docs/schema.md has no section for the view {view}"
        missing = [c for c in columns if f"`{c}`" not in match.group(1)]
        assert not missing, f"{view}: columns not documented: {missing}"


def test_db_diagram_command_prints_the_diagram(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["db", "diagram"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == mermaid_diagram()


@pytest.mark.parametrize(
    "command",
    [["search"], ["db", "grant-readonly"], ["db", "revoke-readonly"], ["db", "diagram"]],
    ids=" ".join,
)
def test_new_commands_have_help_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "Usage:" in result.output
    assert "newsetl " + " ".join(command) in result.output  # the example block


def test_readme_links_the_docs() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for target in ("docs/schema.md", "docs/queries.md", "docs/bi-tools.md"):
        assert target in readme
        assert (DOCS.parent / target).exists()


def test_every_table_and_column_has_a_comment_in_the_models() -> None:
    """Comments are the schema's documentation in BI tools: a new column needs one (comment=...)."""
    missing = [table.name for table in Base.metadata.tables.values() if not table.comment]
    missing += [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if not column.comment
    ]
    assert not missing, f"add comment= to: {missing}"


def test_images_in_the_docs_exist_and_are_png() -> None:
    """Screenshots linked from docs/*.md (Superset, Datasette) are committed under docs/img/."""
    links = [
        (page.name, target)
        for page in sorted(DOCS.glob("*.md"))
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text(encoding="utf-8"))
    ]
    assert ("bi-tools.md", "img/superset-chart.png") in links
    assert ("bi-tools.md", "img/datasette-search.png") in links
    for page, target in links:
        image = DOCS / target
        assert image.is_file(), f"{page} links {target}, which does not exist"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{target} is not a PNG"
