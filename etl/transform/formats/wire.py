"""Plain-text wire copy -> ArticleRecord.

The whole text is read with the wire-copy conventions
(:mod:`etl.transform.wire_conventions`): the first paragraph that is not a
byline or date line is the headline; bylines, dates, the dateline and the
credit line become metadata; what is left is the story.
"""

from __future__ import annotations

from etl.errors import ParseError
from etl.records import ArticleRecord, RawDocument
from etl.transform.articles import assemble_article
from etl.transform.text import split_paragraphs
from etl.transform.wire_conventions import read_wire_paragraphs


def parse_wire_copy(raw: RawDocument) -> ArticleRecord:
    """Parse a plain-text wire copy.

    Raises:
        ParseError: the text is empty, or holds nothing besides a headline and bylines.
    """
    paragraphs = split_paragraphs(raw.text)
    if not paragraphs:
        raise ParseError(raw.source_uri, "no text")
    copy = read_wire_paragraphs(paragraphs)
    if not copy.paragraphs:
        raise ParseError(raw.source_uri, "no story text besides the headline and bylines")
    return assemble_article(
        raw,
        copy.paragraphs,
        headline=copy.headline,
        url=raw.url,
        published=copy.published,
        updated=copy.updated,
        dateline=copy.dateline,
        contributors=copy.contributors,
        publisher=copy.publisher,
        wire_source=copy.wire_source,
    )
