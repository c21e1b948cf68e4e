"""RawDocument -> ArticleRecord: pick the parser for the document's format."""

from __future__ import annotations

from etl.records import ArticleRecord, RawDocument
from etl.transform.formats.json_record import embedded_html_page, parse_json_record
from etl.transform.formats.wire import parse_wire_copy
from etl.transform.publishers import with_source_keys


def parse_document(raw: RawDocument) -> ArticleRecord:
    """Parse one document and write the identity keys of its sources into the record."""
    return with_source_keys(_read_format(raw))


def _read_format(raw: RawDocument) -> ArticleRecord:
    """Parse metadata, contributors and body (no NLP) of one document.

    A JSON record that carries an HTML page instead of a body goes to the HTML
    reader as that page.

    Raises:
        ParseError: the document holds no article.
    """
    if raw.format == "record":
        page = embedded_html_page(raw)
        if page is None:
            return parse_json_record(raw)
        raw = page
    if raw.format == "html":
        # Imported here: lxml, trafilatura and htmldate load only when a run meets HTML.
        from etl.transform.formats.html.reader import parse_html_page

        return parse_html_page(raw)
    return parse_wire_copy(raw)
