"""A JSON record (one object of a .json/.jsonl file) -> ArticleRecord.

Records come from scrapers and APIs with many spellings of the same field;
the first present, non-empty field of each alias list wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from etl.errors import ParseError
from etl.records import ArticleRecord, ContributorRecord, RawDocument

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
        from etl.transform.formats.html import parse_html_page

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


def _text_field(fields: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    value = first_field(fields, names)
    if isinstance(value, Mapping):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def article_from_fields(raw: RawDocument, fields: Mapping[str, Any], body_text: str) -> ArticleRecord:
    """Build the article from a record's fields and its body text.

    The body goes through the wire-copy reader, so a body that starts with a
    byline or dateline or ends with a credit line is cleaned and its metadata
    kept. Record fields win over what the body says; agencies named in author
    fields become the wire source, never contributors.
    """
    from etl.transform.bylines import canonical_agency, split_byline
    from etl.transform.dates import article_date_fields, parse_date
    from etl.transform.formats.wire import merge_contributors, read_wire_paragraphs
    from etl.transform.text import join_paragraphs, split_paragraphs

    copy = read_wire_paragraphs(split_paragraphs(body_text), expect_headline=False)
    body, spans = join_paragraphs(list(copy.paragraphs))

    authors: list[ContributorRecord] = []
    agencies: list[str] = []
    outlets: list[str] = []
    for value in _names(first_field(fields, AUTHOR_FIELDS)):
        byline = split_byline(value)
        authors.extend(ContributorRecord(name=name, role="author") for name in byline.people)
        for organisation in byline.organisations:
            (agencies if canonical_agency(organisation) else outlets).append(organisation)
    contributors = merge_contributors([*authors, *copy.contributors])

    publisher = _text_field(fields, PUBLISHER_FIELDS)
    publisher_agency = canonical_agency(publisher) if publisher else None
    wire_source = publisher_agency or next(iter(agencies), None) or copy.wire_source
    published = parse_date(first_field(fields, DATE_FIELDS)) or copy.published
    updated = parse_date(first_field(fields, UPDATED_FIELDS)) or copy.updated
    headline = _text_field(fields, HEADLINE_FIELDS)
    dateline = copy.dateline
    return ArticleRecord(
        source_uri=raw.source_uri,
        document_key=raw.document_key,
        content_sha256=raw.content_sha256,
        body=body,
        paragraphs=spans,
        headline=headline,
        url=raw.url,
        **article_date_fields(published, updated),
        dateline=dateline.text or None if dateline else None,
        dateline_places=dateline.places if dateline else (),
        language=_text_field(fields, LANGUAGE_FIELDS),
        section=_text_field(fields, SECTION_FIELDS),
        publisher=publisher or next(iter(outlets), None) or copy.publisher,
        wire_source=wire_source,
        contributors=contributors,
    )
