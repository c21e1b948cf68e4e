"""Golden files: compare a JSON-ready value with ``<case>.json``, or rewrite it on request.

The one golden-file mechanism of the suite (wire copies, HTML pages): every
golden test calls :func:`check_golden` with the ``update_golden`` fixture, so
``pytest --update-golden`` rewrites them all and ``git diff`` shows the change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from etl.records import ArticleRecord
from etl.transform.contract import article_to_contract


def article_snapshot(article: ArticleRecord) -> dict[str, Any]:
    """The data contract of an article (no NLP) plus how its date was written."""
    snapshot = article_to_contract(article)
    snapshot.pop("entities")
    snapshot.pop("quotes")
    snapshot["published_at_text"] = article.published_at_text
    snapshot["published_tz_known"] = article.published_tz_known
    snapshot["paragraph_count"] = len(article.paragraphs)
    return snapshot


def check_golden(actual: dict[str, Any], expected_path: Path, update: bool) -> None:
    """Assert ``actual`` equals the golden file; rewrite the file instead when ``update``."""
    if update or not expected_path.exists():
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if not update:
            raise AssertionError(f"{expected_path} did not exist and was written; check it and commit it")
        return
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected, (
        f"output differs from {expected_path}; if the change is intended, run "
        "`pytest --update-golden` and review the diff"
    )
