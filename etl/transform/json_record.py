"""A JSON record (one object of a .json/.jsonl file) -> ArticleRecord.

Records come from scrapers and APIs with many spellings of the same field;
the first present, non-empty field of each alias list wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from etl.errors import ParseError
from etl.records import ArticleRecord, RawDocument

HEADLINE_FIELDS = ("headline", "title")
BODY_FIELDS = ("body", "text", "content", "maintext", "article_body", "articleBody")
HTML_FIELDS = ("html", "raw_html", "page")
AUTHOR_FIELDS = ("authors", "author", "byline", "contributors")
DATE_FIELDS = (
    "published_at",
    "date_publish",
    "datePublished",
    "published",
    "date",
    "pubdate",
    "publish_date",
)
UPDATED_FIELDS = ("updated_at", "date_modify", "dateModified", "modified", "updated")
PUBLISHER_FIELDS = ("publisher", "source", "source_domain", "site_name", "outlet")
LANGUAGE_FIELDS = ("language", "lang")
SECTION_FIELDS = ("section", "category")


def first_field(fields: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """Return the first present, non-empty value among ``names``."""
    for name in names:
        value = fields.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def parse_json_record(raw: RawDocument) -> ArticleRecord:
    """Parse one JSON record: plain fields, or raw HTML in an ``html`` field."""
    fields = raw.fields
    html = first_field(fields, HTML_FIELDS)
    if isinstance(html, str) and first_field(fields, BODY_FIELDS) is None:
        from etl.transform.html import parse_html_page

        page = replace(raw, text=html, format="html")
        return parse_html_page(page)
    body = first_field(fields, BODY_FIELDS)
    if not isinstance(body, str) or not body.strip():
        raise ParseError(raw.source_uri, f"record has no text in any of the fields {', '.join(BODY_FIELDS)}")
    return article_from_fields(raw, fields, body)


def _names(value: Any) -> list[str]:
    """Author field values: a string, a list of strings, or objects with a name."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def article_from_fields(raw: RawDocument, fields: Mapping[str, Any], body_text: str) -> ArticleRecord:
    """Build the article from a record's fields and its body text."""
    from etl.transform.authors import parse_byline
    from etl.transform.dates import parse_date
    from etl.transform.text import join_paragraphs, split_paragraphs

    body, spans = join_paragraphs(split_paragraphs(body_text))
    contributors = tuple(c for name in _names(first_field(fields, AUTHOR_FIELDS)) for c in parse_byline(name))
    published = parse_date(first_field(fields, DATE_FIELDS))
    updated = parse_date(first_field(fields, UPDATED_FIELDS))
    publisher = first_field(fields, PUBLISHER_FIELDS)
    if isinstance(publisher, Mapping):
        publisher = publisher.get("name")
    headline = first_field(fields, HEADLINE_FIELDS)
    return ArticleRecord(
        source_uri=raw.source_uri,
        document_key=raw.document_key,
        content_sha256=raw.content_sha256,
        body=body,
        paragraphs=spans,
        headline=headline.strip() if isinstance(headline, str) else None,
        url=raw.url,
        published_at=published.value if published else None,
        published_at_text=published.text if published else None,
        published_tz_known=published.tz_known if published else False,
        updated_at=updated.value if updated and updated.tz_known else None,
        language=first_field(fields, LANGUAGE_FIELDS),
        section=first_field(fields, SECTION_FIELDS),
        publisher=publisher if isinstance(publisher, str) else None,
        contributors=contributors,
    )
