"""Plain-text wire copy -> ArticleRecord (headline, body).

First cut: the headline is the first paragraph, the body is the rest.
"""

from __future__ import annotations

from etl.errors import ParseError
from etl.records import ArticleRecord, RawDocument
from etl.transform.text import join_paragraphs, split_paragraphs


def parse_wire_copy(raw: RawDocument) -> ArticleRecord:
    """Parse a plain-text wire copy."""
    paragraphs = split_paragraphs(raw.text)
    if not paragraphs:
        raise ParseError(raw.source_uri, "no text")
    headline, rest = paragraphs[0], paragraphs[1:]
    body, spans = join_paragraphs(rest or [headline])
    return ArticleRecord(
        source_uri=raw.source_uri,
        document_key=raw.document_key,
        content_sha256=raw.content_sha256,
        headline=headline,
        body=body,
        paragraphs=spans,
        url=raw.url,
    )
