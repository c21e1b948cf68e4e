"""Wire copy inside a web page: dateline and credit line, as for plain text.

An AP or Reuters story republished by a local site carries the same
"CITY (AP) —" dateline and "contributed to this report" credit lines as the
wire text; the rules for them live in :mod:`etl.transform.wire_conventions`
and :mod:`etl.transform.datelines`, shared with the other format readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.records import ContributorRecord
from etl.transform.datelines import Dateline, read_dateline_prefix
from etl.transform.dates import ParsedDate
from etl.transform.wire_conventions import read_wire_paragraphs


@dataclass(frozen=True, slots=True)
class WireConventions:
    """What the wire rules found in a page's body, and the body without it."""

    paragraphs: list[str]
    dateline: Dateline | None = None
    wire_source: str | None = None
    contributors: tuple[ContributorRecord, ...] = ()
    published: ParsedDate | None = None
    updated: ParsedDate | None = None


def apply_wire_conventions(paragraphs: list[str]) -> WireConventions:
    """Run the wire-copy byline, dateline and credit-line rules over extracted paragraphs.

    The page's headline is known from its markup, so none is expected here.
    """
    copy = read_wire_paragraphs(paragraphs, expect_headline=False)
    return WireConventions(
        paragraphs=_keep_dateline_prefix(list(copy.paragraphs), paragraphs),
        dateline=copy.dateline,
        wire_source=copy.wire_source,
        contributors=copy.contributors,
        published=copy.published,
        updated=copy.updated,
    )


def _keep_dateline_prefix(cleaned: list[str], original: list[str]) -> list[str]:
    """Put a "CITY (AP) —" prefix back on the paragraph it was cut from.

    On a web page the dateline is part of the published text, and readers
    (and the body-text benchmarks) expect the story to start with it; its
    metadata is kept all the same.
    """
    for position, paragraph in enumerate(cleaned[:3]):
        for source in original[:6]:
            if (
                source != paragraph
                and source.endswith(paragraph)
                and read_dateline_prefix(source) is not None
            ):
                cleaned[position] = source
                return cleaned
    return cleaned
