"""JSON records -> ArticleRecord: field aliases, authors as people, wire-copy bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from etl.errors import ParseError
from etl.records import ArticleRecord, RawDocument
from etl.transform.formats.json_record import parse_json_record


def parse(fields: dict[str, Any]) -> ArticleRecord:
    text = json.dumps(fields)
    return parse_json_record(
        RawDocument(
            source_uri="records.jsonl#0",
            document_key="records.jsonl#0",
            text=text,
            format="record",
            content_sha256="0" * 64,
            record_index=0,
            fields=fields,
        )
    )


def people(article: ArticleRecord) -> list[tuple[str, str, str | None]]:
    return [(c.name, c.role, c.location) for c in article.contributors]


@pytest.mark.parametrize(
    "authors",
    [
        "By Jane Doe and John Roe",
        ["Jane Doe", "JOHN ROE"],
        [{"name": "Jane Doe"}, {"name": "John Roe", "url": "https://example.com/jr"}],
        {"name": "Jane Doe and John Roe"},
    ],
)
def test_author_shapes(authors: Any) -> None:
    article = parse({"title": "A headline", "text": "Story text.", "authors": authors})
    assert people(article) == [("Jane Doe", "author", None), ("John Roe", "author", None)]


def test_agency_in_author_field_is_the_wire_source() -> None:
    article = parse({"headline": "H", "body": "Story.", "author": ["Jane Doe", "Reuters Staff"]})
    assert people(article) == [("Jane Doe", "author", None)]
    assert article.wire_source == "Reuters"
    assert article.publisher is None


def test_outlet_in_author_field_is_the_publisher_unless_given() -> None:
    article = parse({"headline": "H", "body": "Story.", "author": "Jane Doe, Washington Post"})
    assert article.publisher == "Washington Post"
    given = parse(
        {"headline": "H", "body": "Story.", "author": "Jane Doe, Washington Post", "publisher": "WaPo"}
    )
    assert given.publisher == "WaPo"


def test_agency_publisher_is_also_the_wire_source() -> None:
    article = parse({"headline": "H", "body": "Story.", "publisher": {"name": "Thomson Reuters"}})
    assert article.publisher == "Thomson Reuters"
    assert article.wire_source == "Reuters"


def test_date_fields() -> None:
    article = parse({"title": "H", "text": "Story.", "datePublished": "2024-05-14T17:03:00-04:00"})
    assert article.published_at == datetime(2024, 5, 14, 21, 3, tzinfo=UTC)
    assert article.published_tz_known
    naive = parse({"title": "H", "text": "Story.", "date": "May 14, 2024 5:03 PM"})
    assert naive.published_at == datetime(2024, 5, 14, 17, 3, tzinfo=UTC)
    assert not naive.published_tz_known
    assert naive.published_at_text == "May 14, 2024 5:03 PM"


def test_wire_copy_body_is_cleaned_and_read() -> None:
    body = (
        "By Lena Ortiz\n\n"
        "SINGAPORE (Reuters) - Singapore's main port handled a record number of containers.\n\n"
        "Volumes rose 9%.\n\n"
        "(Reporting by Lena Ortiz in Singapore; Editing by Martin Hale)"
    )
    article = parse({"title": "Port volumes hit record", "text": body, "date": "2024-05-14"})
    assert article.headline == "Port volumes hit record"
    assert article.body == "Singapore's main port handled a record number of containers.\n\nVolumes rose 9%."
    assert people(article) == [
        ("Lena Ortiz", "author", None),
        ("Lena Ortiz", "reporting", "Singapore"),
        ("Martin Hale", "editing", None),
    ]
    assert article.dateline_places == ("Singapore",)
    assert article.wire_source == "Reuters"
    assert [article.body[start:end] for start, end in article.paragraphs] == [
        "Singapore's main port handled a record number of containers.",
        "Volumes rose 9%.",
    ]


def test_plain_body_is_kept_whole() -> None:
    body = "First paragraph of the story.\n\nBy the end of the day, it was over."
    article = parse({"title": "H", "text": body})
    assert article.body == body
    assert article.contributors == ()


def test_record_without_body_is_rejected() -> None:
    with pytest.raises(ParseError):
        parse({"title": "Only a title"})
