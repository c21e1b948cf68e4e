"""Datelines: where (and sometimes when) a wire story was filed, and by which agency.

Two shapes occur in copy:

    HONG KONG/MOSCOW (Reuters) – Russian President ...   <- a prefix on the first story paragraph
    LONDON 1996-08-30                                    <- a line of its own (CoNLL Reuters copy)

:func:`read_dateline_prefix` and :func:`read_dateline_line` read them; both
give a :class:`Dateline` with its places split and title-cased
("HONG KONG/MOSCOW" -> "Hong Kong", "Moscow"). Shared by every format reader
through :mod:`etl.transform.wire_conventions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.transform.bylines import canonical_agency, looks_like_person_name
from etl.transform.dates import ParsedDate, find_date_in_line
from etl.transform.text import is_all_caps, title_case

# An ALL-CAPS place ("HONG KONG/MOSCOW", "ST. LOUIS"), optionally qualified (", Calif.", ", Ukraine").
_CAPS_PLACE = r"[A-Z][A-Z0-9.'’/&-]*(?:\s+[A-Z][A-Z0-9.'’/&-]*){0,4}"
_QUALIFIER = r"(?:\s*,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?"
_TITLE_PLACE = r"[A-Z][a-z.'’-]+(?:[\s/][A-Z][a-z.'’-]+){0,3}"
_DATELINE_DATE = r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s*,?\s*\d{4})?))?"
_SOURCE = r"\(\s*(?P<source>[A-Z][\w.&' -]{1,40}?)\s*\)"
_DASH = r"\s*(?P<dash>--?|–|—|:)\s*"
_STORY_START = "(?=[A-Z0-9\"'“‘])"
_DATELINE_PREFIXES = (
    # "HONG KONG/MOSCOW (Reuters) –", "NEW YORK, May 14 (Reuters) -", "KYIV, Ukraine (AP) —", "LONDON —"
    re.compile(
        rf"^(?P<place>{_CAPS_PLACE}{_QUALIFIER}){_DATELINE_DATE}\s*(?:{_SOURCE})?{_DASH}{_STORY_START}"
    ),
    # "Washington (CNN) —": a place in title case needs the source in parentheses.
    re.compile(rf"^(?P<place>{_TITLE_PLACE}{_QUALIFIER}){_DATELINE_DATE}\s*{_SOURCE}{_DASH}{_STORY_START}"),
    # "(Bloomberg) -- Stocks rose": the agency without a place.
    re.compile(rf"^(?P<place>){_SOURCE}{_DASH}{_STORY_START}"),
)
_DATELINE_LINE_PLACE = re.compile(rf"^{_CAPS_PLACE}{_QUALIFIER}$")


@dataclass(frozen=True, slots=True)
class Dateline:
    """Where (and sometimes when) a wire story was filed, and by which agency."""

    text: str
    places: tuple[str, ...]
    source: str | None = None
    date: ParsedDate | None = None


def dateline_places(text: str) -> tuple[str, ...]:
    """Split "HONG KONG/MOSCOW" into ("Hong Kong", "Moscow"); keep a qualifier ("Kyiv, Ukraine")."""
    head, _, qualifier = text.partition(",")
    qualifier = " ".join(qualifier.split())
    places = []
    for part in head.split("/"):
        part = " ".join(part.split())
        if not part:
            continue
        name = title_case(part) if is_all_caps(part) else part
        places.append(f"{name}, {qualifier}" if qualifier else name)
    return tuple(places)


def _dateline_text(text: str) -> str:
    return re.sub(r"\s+,", ",", " ".join(text.split()))


def dateline_source_names(source: str | None) -> tuple[str | None, str | None]:
    """(agency, outlet) named by a dateline's parentheses: "(Reuters)" vs "(CNN)"."""
    if not source:
        return None, None
    agency = canonical_agency(source)
    return (agency, None) if agency else (None, " ".join(source.split()))


def read_dateline_prefix(paragraph: str) -> tuple[Dateline, str] | None:
    """Split "HONG KONG/MOSCOW (Reuters) – Russian ..." into its dateline and the story text."""
    for pattern in _DATELINE_PREFIXES:
        match = pattern.match(paragraph)
        if match is None:
            continue
        place = match.group("place")
        source = match.group("source")
        # Without an agency in parentheses only an ALL-CAPS place and a dash proper is a
        # dateline ("LONDON — The ..."); "NATO: allies ..." or "U.S. - China" are story text.
        if source is None and (not is_all_caps(place) or match.group("dash") not in ("—", "–", "--")):
            continue
        if not place and canonical_agency(source or "") is None:
            # "(Reuters) -" names an agency; "(Pictured) -" names nothing.
            continue
        written_date = match.groupdict().get("date")
        date = find_date_in_line(written_date) if written_date else None
        dateline = Dateline(
            _dateline_text(place),
            dateline_places(place),
            source and " ".join(source.split()),
            date.date if date else None,
        )
        return dateline, paragraph[match.end() :]
    return None


def read_dateline_line(paragraph: str) -> tuple[Dateline, str | None, str] | None:
    """Read a line holding only a place and a date ("LONDON 1996-08-30", as in CoNLL Reuters copy).

    Old Reuters copy may put the reporter's name on the line above, which a
    paragraph split joins: "Glenn Somerville WASHINGTON 1996-08-30".

    Returns:
        The dateline, the byline name before it (or None), and the dateline as written.
    """
    if len(paragraph) > 100:
        return None
    found = find_date_in_line(paragraph)
    if found is None or found.after.strip(" .") or not found.date.has_date or not found.date.has_year:
        return None
    words = found.before.strip(" ,-–—").split()
    # The place starts at the first ALL-CAPS word; anything before it must be a person's name.
    start = next((i for i, word in enumerate(words) if len(word) > 1 and is_all_caps(word)), None)
    if start is None:
        return None
    # Tokenised copy spaces out punctuation: "FARMINGTON HILLS , Mich ." -> "FARMINGTON HILLS, Mich."
    place = re.sub(r"\s+([.,])", r"\1", " ".join(words[start:]))
    name = " ".join(words[:start]) or None
    if not _DATELINE_LINE_PLACE.match(place) or (name and not looks_like_person_name(name)):
        return None
    line = paragraph[paragraph.index(words[start]) :] if name else paragraph
    return Dateline(_dateline_text(place), dateline_places(place), None, found.date), name, line
