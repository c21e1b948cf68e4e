"""Finding quoted passages by their marks (no NLP)."""

from __future__ import annotations

import pytest

from etl.transform.nlp.quotes.marks import find_passages
from etl.transform.text import join_paragraphs


def passages(*paragraphs: str) -> list[tuple[str, int, int, bool]]:
    body, spans = join_paragraphs(list(paragraphs))
    return [(body[p.start : p.end], p.paragraph, p.group, p.closed) for p in find_passages(body, spans)]


def test_curly_quote_broken_by_attribution() -> None:
    assert passages("“A tax on work,” she said, “is a tax on hope.”") == [
        ("A tax on work,", 0, 0, True),
        ("is a tax on hope.", 0, 0, True),
    ]


def test_straight_marks_open_and_close_by_context() -> None:
    assert [p[0] for p in passages('He said "no" and then "never again," twice.')] == ["no", "never again,"]


def test_mixed_straight_and_curly_marks_pair() -> None:
    assert [p[0] for p in passages('"We are ready,” the minister said.')] == ["We are ready,"]


def test_apostrophes_are_not_quotes() -> None:
    assert passages("Russia’s oil and the voters’ choice in the ’90s.") == []


def test_nested_quotes_report_the_outer_one() -> None:
    found = passages("“He told me ‘never’ and then “go home,” he said.”")
    assert len(found) == 1
    assert found[0][0].startswith("He told me")


def test_multi_paragraph_quote_continues_when_next_paragraph_reopens() -> None:
    found = passages("“First part of the speech.", "“Second part.”", "Narration follows.")
    assert found == [("First part of the speech.", 0, 0, False), ("Second part.", 1, 0, True)]


def test_unclosed_quote_without_continuation_ends_at_paragraph() -> None:
    found = passages("“First part with no end.", "Narration follows.")
    assert found == [("First part with no end.", 0, 0, False)]


def test_missing_close_before_a_new_sentence_quote() -> None:
    found = passages("“One thing is clear. “Another,” he said.")
    assert [p[0] for p in found] == ["One thing is clear.", "Another,"]


def test_typewriter_double_apostrophes() -> None:
    assert [p[0] for p in passages("''It is over,'' he said.")] == ["It is over,"]


def test_single_marks_as_primary_quotes() -> None:
    assert [p[0] for p in passages("The minister said ‘we will win’ on Monday.")] == ["we will win"]


@pytest.mark.parametrize("text", ["”", "“", '"', "” stray “", "‘’", "a “b” c” d “", "''", "“\u00a0”"])
def test_unbalanced_marks_never_raise(text: str) -> None:
    for content, *_ in passages(text, text):
        assert content.strip()
