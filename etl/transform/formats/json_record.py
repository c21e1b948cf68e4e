"""A JSON record (one object of a .json/.jsonl file) -> ArticleRecord.

Records come from scrapers and APIs with many spellings of the same field;
the first present, non-empty field of each alias list wins. A record that
carries a raw HTML page instead of a body is an HTML page: the dispatcher
asks :func:`embedded_html_page` and hands it to the HTML reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from etl.errors import ParseError
from etl.records import ArticleRecord, ContributorRecord, RawDocument
from etl.transform.articles import assemble_article
from etl.transform.bylines import canonical_agency, split_byline
from etl.transform.credits import merge_contributors
from etl.transform.dates import parse_date
from etl.transform.text import split_paragraphs
from etl.transform.wire_conventions import read_wire_paragraphs

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


def embedded_html_page(raw: RawDocument) -> RawDocument | None:
    """The HTML page a record carries instead of a body, as a document of format ``html``.

    A scraper's record may hold the raw page (``html``, ``raw_html``, ``page``)
    and no body text; such a record is an HTML page, and the dispatcher
    (:func:`etl.transform.documents.parse_document`) gives it to the HTML
    reader. Returns None for a record to read with :func:`parse_json_record`.
    """
    fields = raw.fields
    html = first_field(fields, HTML_FIELDS)
    if isinstance(html, str) and first_field(fields, BODY_FIELDS) is None:
        return replace(raw, text=html, format="html")
    return None


def parse_json_record(raw: RawDocument) -> ArticleRecord:
    """Parse one JSON record from its plain fields.

    A record that carries an HTML page instead of a body (see
    :func:`embedded_html_page`) is not read here.

    Raises:
        ParseError: the record has no body text.
    """
    fields = raw.fields
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
    copy = read_wire_paragraphs(split_paragraphs(body_text), expect_headline=False)

    authors: list[ContributorRecord] = []
    agencies: list[str] = []
    outlets: list[str] = []
    for value in _names(first_field(fields, AUTHOR_FIELDS)):
        byline = split_byline(value)
        authors.extend(ContributorRecord(name=name, role="author") for name in byline.people)
        agencies.extend(byline.agencies)
        outlets.extend(byline.outlets)
    contributors = merge_contributors([*authors, *copy.contributors])

    publisher = _text_field(fields, PUBLISHER_FIELDS)
    publisher_agency = canonical_agency(publisher) if publisher else None
    wire_source = publisher_agency or next(iter(agencies), None) or copy.wire_source
    published = parse_date(first_field(fields, DATE_FIELDS)) or copy.published
    updated = parse_date(first_field(fields, UPDATED_FIELDS)) or copy.updated
    return assemble_article(
        raw,
        copy.paragraphs,
        headline=_text_field(fields, HEADLINE_FIELDS),
        url=raw.url,
        published=published,
        updated=updated,
        dateline=copy.dateline,
        contributors=contributors,
        publisher=publisher or next(iter(outlets), None) or copy.publisher,
        wire_source=wire_source,
        declared_languages=[_text_field(fields, LANGUAGE_FIELDS)],
        section=_text_field(fields, SECTION_FIELDS),
    )
