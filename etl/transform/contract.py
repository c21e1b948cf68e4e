"""The ``newsetl extract --json`` data contract (see DESIGN.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from etl.records import ArticleRecord, QuoteRecord


def format_datetime(value: datetime | None, tz_known: bool = True) -> str | None:
    """Render a datetime as ISO-8601 in the offset it was written in; no offset when unknown."""
    if value is None:
        return None
    if not tz_known or value.tzinfo is None:
        return value.replace(tzinfo=None).isoformat()
    return value.isoformat()


def _quote(quote: QuoteRecord) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "text": quote.text,
        "kind": quote.kind,
        "start": quote.start,
        "end": quote.end,
        "speaker": None
        if speaker is None
        else {
            "text": speaker.text,
            "name": speaker.name,
            "anonymous": speaker.anonymous,
            "description": speaker.description,
        },
        "cue": quote.cue,
    }


def article_to_contract(article: ArticleRecord) -> dict[str, Any]:
    """Return the JSON-ready dict of the data contract for one article."""
    return {
        "source_uri": article.source_uri,
        "headline": article.headline,
        "published_at": format_datetime(article.published_at, article.published_tz_known),
        "publisher": article.publisher or article.wire_source,
        "contributors": [
            {"name": c.name, "role": c.role, "location": c.location} for c in article.contributors
        ],
        "body": article.body,
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "mentions": [
                    {"start": m.start, "end": m.end, "text": m.text, "field": m.field} for m in e.mentions
                ],
                **(
                    {"country_code": e.country_code, "latitude": e.latitude, "longitude": e.longitude}
                    if e.latitude is not None or e.country_code
                    else {}
                ),
            }
            for e in article.entities
        ],
        "quotes": [_quote(q) for q in article.quotes],
        # Extra fields beyond the scored contract.
        "url": article.url,
        "updated_at": format_datetime(article.updated_at),
        "dateline": article.dateline,
        "dateline_places": list(article.dateline_places),
        "wire_source": article.wire_source,
        "language": article.language,
        "section": article.section,
        "word_count": article.word_count,
    }
