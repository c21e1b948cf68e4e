"""Per-document limits in transform: no hostile document makes the regexes work for minutes.

Each case is generated, not stored. The work is shown to be bounded (how many
paragraphs are scanned as credits or header lines, whether an over-long line
is read at all), and each whole document parses (no NLP) within one coarse
time budget, far above what a normal article takes, so the test is not flaky.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from etl.records import ArticleRecord, RawDocument
from etl.transform import bylines, credits, wire_conventions
from etl.transform.batch import parse_or_reject
from etl.transform.bylines import MAX_BYLINE, split_byline
from etl.transform.credits import MAX_CREDIT_LINE, read_credit_line, split_trailing_credit
from etl.transform.text import split_paragraphs

BUDGET_SECONDS = 20.0
"""Per document; a normal article parses in milliseconds (the issue saw 4 to 10 minutes)."""

NORMAL = "Gas deal\n\nBy Jane Doe\n\nLONDON (Reuters) - Gazprom said on Tuesday it would sell gas.\n\n"


def _document(text: str) -> RawDocument:
    return RawDocument(
        source_uri="file:///hostile.txt",
        document_key="file:///hostile.txt",
        text=text,
        format="text",
        content_sha256="0" * 64,
    )


def _parse_within_budget(text: str) -> ArticleRecord:
    started = time.perf_counter()
    result = parse_or_reject(_document(text))
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{len(text):,} characters took {elapsed:.1f}s"
    assert isinstance(result, ArticleRecord), result
    return result


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count calls to ``module.name`` (as the module under test looks it up)."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


class _CountingPattern:
    """Stands in for a compiled pattern and counts the scans."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scans = 0

    def __getattr__(self, name: str) -> Any:
        self.scans += 1
        return getattr(self.pattern, name)


def test_a_160_kb_credit_line_is_not_a_credit_line(monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = {
        name: _CountingPattern(getattr(credits, name))
        for name in ("_CREDIT_PARENTHESES", "_CREDIT_PLAIN", "_CONTRIBUTED")
    }
    for name, counting in patterns.items():
        monkeypatch.setattr(credits, name, counting)
    line = "(Reporting by " + "; ".join(f"Jane Doe{i} in Hong Kong" for i in range(7_000)) + ")"
    assert len(line) > 160_000
    assert read_credit_line(line) is None
    assert read_credit_line("(" + "Reporting by Jane Doe contributed from " * 5_000) is None
    assert sum(p.scans for p in patterns.values()) == 0, (
        "an over-long line was scanned by the credit patterns"
    )
    monkeypatch.undo()
    record = _parse_within_budget(NORMAL + line)
    assert [c.name for c in record.contributors] == ["Jane Doe"]


def test_a_credit_at_the_end_of_a_huge_paragraph_is_searched_for_in_its_tail_only() -> None:
    story = "word " * 200_000 + "(" * 20_000 + "the end. "
    assert split_trailing_credit(story + "(Reporting by Jane Doe; Editing by John Roe)") is not None
    assert split_trailing_credit(story) is None
    assert len("(Reporting by Jane Doe)") < MAX_CREDIT_LINE


def test_100000_credit_paragraphs_are_not_all_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, wire_conventions, "read_credit_line")
    text = NORMAL + "\n\n".join(f"(Reporting by Jane Doe{i})" for i in range(100_000))
    record = _parse_within_budget(text)
    assert len(calls) <= wire_conventions.MAX_CREDIT_PARAGRAPHS + 1
    # The ten last credit lines are read as credits, the rest stays story text.
    assert len(record.contributors) <= wire_conventions.MAX_CREDIT_PARAGRAPHS + 1
    assert "(Reporting by Jane Doe0)" in record.body


def test_100000_byline_paragraphs_are_not_all_header(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, wire_conventions, "_read_header_line")
    names = ("Jane Doe", "John Roe", "Maria Jensen", "Tom Okafor", "Ruth Mendel")
    text = "\n\n".join(f"By {names[i % 5]}" for i in range(100_000)) + "\n\nHeadline\n\nThe story."
    _parse_within_budget(text)
    bound = wire_conventions.MAX_HEADER_PARAGRAPHS + wire_conventions.LOOKAHEAD_PARAGRAPHS + 1
    assert len(calls) <= bound


def test_100000_one_word_paragraphs_parse() -> None:
    text = "Headline\n\n" + "\n\n".join("Word" for _ in range(100_000))
    assert len(split_paragraphs(text)) == 100_001
    record = _parse_within_budget(text)
    assert record.body.count("Word") == 100_000


def test_a_985_kb_article_parses() -> None:
    sentence = "Officials in Beijing said on Tuesday that talks with Moscow would go on. "
    paragraphs = [sentence * 6 for _ in range(2_300)]
    text = NORMAL + "\n\n".join(paragraphs)
    assert len(text) > 985_000
    record = _parse_within_budget(text)
    assert record.word_count > 150_000


def test_an_over_long_byline_is_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, bylines, "_clean_byline")
    assert split_byline("By " + "Jane Doe, " * 20_000).people == ()
    assert len("By " + "Jane Doe, " * 200) > MAX_BYLINE
    assert not calls
    assert split_byline("By Jane Doe and John Roe").people == ("Jane Doe", "John Roe")
