"""Assemble the ArticleRecord: the last step of every format reader.

Each reader (wire text, HTML page, JSON record) finds the same things in its
own way: story paragraphs, a headline, dates, a dateline, contributors and
sources. :func:`assemble_article` turns them into the record the same way for
all of them, so the body, its paragraph spans and the date fields cannot drift
apart between formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from etl.errors import ParseError
from etl.records import ArticleRecord, ContributorRecord, RawDocument
from etl.transform.datelines import Dateline
from etl.transform.dates import DatedValue, article_date_fields
from etl.transform.language import article_language
from etl.transform.text import join_paragraphs


def assemble_article(
    raw: RawDocument,
    paragraphs: Sequence[str],
    *,
    headline: str | None,
    url: str | None,
    published: DatedValue | None,
    updated: DatedValue | None,
    dateline: Dateline | None,
    contributors: tuple[ContributorRecord, ...],
    publisher: str | None,
    wire_source: str | None,
    publisher_domain: str | None = None,
    declared_languages: Iterable[str | None] = (),
    section: str | None = None,
) -> ArticleRecord:
    """Build the article of ``raw`` from what its reader found.

    Args:
        raw: the document read; gives the identity fields.
        paragraphs: the clean story paragraphs, joined into the body with blank lines.
        published: the publication date chosen by the reader.
        updated: the update date; kept only when its time zone is known.
        dateline: the story's dateline, if it has one.
        declared_languages: the language tags the document states, most trusted first;
            without a usable one the language is identified from the text.
    """
    body, spans = join_paragraphs(list(paragraphs))
    dates = article_date_fields(published, updated)
    for field_name in ("published_at", "updated_at"):
        _check_storable(raw, field_name, dates[field_name])
    return ArticleRecord(
        source_uri=raw.source_uri,
        document_key=raw.document_key,
        content_sha256=raw.content_sha256,
        body=body,
        paragraphs=spans,
        headline=headline,
        url=url,
        **dates,
        dateline=dateline.text or None if dateline else None,
        dateline_places=dateline.places if dateline else (),
        language=article_language(declared_languages, body or headline or ""),
        section=section,
        publisher=publisher,
        publisher_domain=publisher_domain,
        wire_source=wire_source,
        contributors=contributors,
    )


def _check_storable(raw: RawDocument, field_name: str, value: datetime | None) -> None:
    """Refuse a date the database cannot hold in UTC ("9999-12-31T23:00-05:00" is past year 9999).

    Raises:
        ParseError: naming the document, so one odd date never fails a whole batch at load.
    """
    if value is None:
        return
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ParseError(
            raw.source_uri,
            f"its {field_name.replace('_', ' ')} {value.isoformat()} falls outside years 1 to 9999 in UTC",
        ) from None
