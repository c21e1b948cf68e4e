"""The conventions of wire copy: where a story keeps its metadata around the text.

Wire copy puts its metadata in a few conventional places around the story:

    Defying West, Russia's Putin due to meet Xi Jinping in Beijing    <- headline
    By Thomson Reuters May 14, 2024 | 5:03 PM                          <- organisation byline + date
    By Greg Torode and Guy Faulconbridge                               <- byline
    Updated 3:15 p.m. EDT                                              <- updated time
    LONDON 1996-08-30                                                  <- dateline line (CoNLL copies)
    HONG KONG/MOSCOW (Reuters) – Russian President ...                 <- dateline prefix, then the story
    ...
    (Reporting By Greg Torode in Hong Kong; Editing by Alex Richardson)  <- credit line

:func:`read_wire_paragraphs` takes those apart and returns the clean story
paragraphs as a :class:`WireCopy`. Every format reader applies it: the
plain-text reader to the whole text, the JSON reader to a record's body, the
HTML reader to the extracted paragraphs. A text with none of this structure
keeps the plain reading: headline = first paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.records import ContributorRecord
from etl.transform.bylines import looks_like_person_name, normalize_person_name, split_byline
from etl.transform.credits import merge_contributors, read_credit_line, split_trailing_credit
from etl.transform.datelines import (
    Dateline,
    dateline_source_names,
    read_dateline_line,
    read_dateline_prefix,
)
from etl.transform.dates import ParsedDate, combine_time_with_date, find_date_in_line

MAX_HEADER_LINE = 250
"""Longer paragraphs are story text, never a byline or date line."""
MAX_HEADLINE = 300
"""A first paragraph longer than this, with more than one sentence, is story text."""
LOOKAHEAD_PARAGRAPHS = 2
"""How many paragraphs past the first story paragraph may still hold a byline or dateline."""
MAX_HEADER_PARAGRAPHS = 30
"""Bylines, date lines and furniture read before the story at most; the rest is story text."""
MAX_CREDIT_PARAGRAPHS = 10
"""Credit lines and boilerplate taken off the end of a story at most; the rest stays in the body."""

_DATE_LABELS = re.compile(
    r"^(?:(?:first|last|originally)?\s*(?:published|posted|updated|modified|filed|date[d]?)\b|on|at|[|•·,:;–—-])*$",
    re.I,
)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified)\b", re.I)
_SEGMENT_BEFORE_LABEL = re.compile(r"\s+(?=(?:last\s+)?(?:updated|modified|published|posted)\b)", re.I)
_BYLINE_START = re.compile(r"^(?:by|written by|words by|story by)\s+\S", re.I)
# Page furniture that scraped copy keeps between headline and story.
_HEADER_FURNITURE = re.compile(
    r"^(?:\d+\s+min(?:ute)?s?\s+read|(?:updated|published)\s+(?:an?|\d+)\s+(?:second|minute|hour|day)s?\s+ago|"
    r"listen to (?:this )?article|share(?: this article)?|save|print)\.?$",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]")
_BOILERPLATE = re.compile(r"^(?:our standards:.*trust principles\.?|©.*reuters.*)$", re.I)


@dataclass(frozen=True, slots=True)
class WireCopy:
    """The metadata read from a wire story and its clean paragraphs."""

    headline: str | None
    paragraphs: tuple[str, ...]
    contributors: tuple[ContributorRecord, ...] = ()
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    dateline: Dateline | None = None
    agencies: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()

    @property
    def wire_source(self) -> str | None:
        """The news agency the story came from."""
        return self.agencies[0] if self.agencies else None

    @property
    def publisher(self) -> str | None:
        """An outlet (not an agency) named by the byline or the dateline."""
        return self.outlets[0] if self.outlets else None


@dataclass(slots=True)
class _Header:
    """What the header lines said, collected while scanning."""

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    dateline: Dateline | None = None


def _read_date_segment(segment: str, header: _Header) -> bool:
    """Read "Updated 3:15 p.m. EDT May 14, 2024" or "By Jane Doe May 14, 2024" into ``header``."""
    found = find_date_in_line(segment)
    rest = segment
    if found is not None:
        rest = " ".join(part for part in (found.before, found.after) if part)
    is_byline = bool(_BYLINE_START.match(rest))
    if is_byline:
        byline = split_byline(rest)
        if not byline.people and not byline.organisations:
            return False
        header.authors.extend(byline.people)
        header.agencies.extend(byline.agencies)
        header.outlets.extend(byline.outlets)
    elif found is None or not _DATE_LABELS.match(rest.strip()):
        return False
    if found is not None:
        if _UPDATED_LABEL.search(found.before):
            header.updated = header.updated or found.date
        elif found.date.has_date:
            header.published = header.published or found.date
        elif not is_byline:
            # A time of day alone cannot stand as a publication date.
            return False
    return True


def _read_header_line(paragraph: str, header: _Header) -> bool:
    """Read a byline or date line into ``header``; False (and ``header`` unchanged) when it is neither."""
    if len(paragraph) > MAX_HEADER_LINE:
        return False
    trial = _Header()
    segments = [s for s in _SEGMENT_BEFORE_LABEL.split(paragraph) if s.strip()]
    if not segments or not all(_read_date_segment(segment, trial) for segment in segments):
        return False
    header.authors.extend(trial.authors)
    header.agencies.extend(trial.agencies)
    header.outlets.extend(trial.outlets)
    header.published = header.published or trial.published
    header.updated = header.updated or trial.updated
    return True


def _is_story_opening(paragraph: str) -> bool:
    """A first paragraph that is already the story ("WASHINGTON (AP) — The Senate ...").

    Also a long paragraph of several sentences: no headline runs that long, and
    taking it for one would drop story text from the body.
    """
    if len(paragraph) > MAX_HEADLINE and _SENTENCE_BREAK.search(paragraph):
        return True
    prefix = read_dateline_prefix(paragraph)
    if prefix is None:
        return False
    # "CRICKET - ENGLISH COUNTY SCORES ." is a headline with a topic label, not a dateline.
    dateline, rest = prefix
    return dateline.source is not None or len(rest) > 120


def _is_bare_byline(paragraph: str) -> bool:
    """A line holding only a person's name, as Reuters copy put it above the dateline."""
    return len(paragraph) < 60 and looks_like_person_name(normalize_person_name(paragraph))


def read_wire_paragraphs(paragraphs: Sequence[str], expect_headline: bool = True) -> WireCopy:
    """Take the headline, bylines, dates, dateline and credit line out of story paragraphs.

    Args:
        paragraphs: the text split into paragraphs (see ``text.split_paragraphs``).
        expect_headline: the first paragraph that is not a byline or date line is
            the headline (plain-text copy); False for record bodies that have
            their headline elsewhere.
    """
    paras = list(paragraphs)
    header = _Header()
    headline: str | None = None
    kept: list[str] = []
    index = 0
    # Bounded: a hostile document of 100,000 byline paragraphs is not a 100,000-line header.
    while index < min(len(paras), MAX_HEADER_PARAGRAPHS):
        paragraph = paras[index]
        if _read_header_line(paragraph, header) or (
            headline is not None and _HEADER_FURNITURE.match(paragraph)
        ):
            index += 1
            continue
        dateline_line = read_dateline_line(paragraph) if header.dateline is None else None
        if dateline_line is not None and (headline is not None or not expect_headline):
            header.dateline, name, line = dateline_line
            if name:
                header.authors.append(normalize_person_name(name))
            # The dateline line stays in the body: unlike a "(Reuters) –" prefix it stands
            # apart from the story, and its place is a mention that entity extraction scores.
            kept.append(line)
            index += 1
            continue
        if expect_headline and headline is None and not _is_story_opening(paragraph):
            headline = paragraph
            index += 1
            continue
        following = paras[index + 1] if index + 1 < len(paras) else ""
        if _is_bare_byline(paragraph) and (
            read_dateline_line(following) is not None or read_dateline_prefix(following) is not None
        ):
            header.authors.append(normalize_person_name(paragraph))
            index += 1
            continue
        break
    # A standfirst may sit between the headline and the byline: look a little further
    # for header lines, and keep the standfirst in the body.
    story = paras[index:]
    lookahead = range(1, min(LOOKAHEAD_PARAGRAPHS + 1, len(story)))
    skipped = {
        j for j in lookahead if _read_header_line(story[j], header) or _HEADER_FURNITURE.match(story[j])
    }
    body = kept + [p for j, p in enumerate(story) if j not in skipped]

    for position, paragraph in enumerate(body[: LOOKAHEAD_PARAGRAPHS + 1]):
        if header.dateline is not None:
            break
        prefix = read_dateline_prefix(paragraph)
        if prefix is not None:
            header.dateline, rest = prefix
            body[position : position + 1] = [rest] if rest.strip() else []

    # Read from the end; each credit is kept in story order. Bounded, like the header.
    credit_lines: list[list[ContributorRecord]] = []
    for _ in range(MAX_CREDIT_PARAGRAPHS):
        if not body:
            break
        last = body[-1]
        if _BOILERPLATE.match(last):
            body.pop()
            continue
        credit = read_credit_line(last)
        if credit is not None:
            credit_lines.append(credit)
            body.pop()
            continue
        split = split_trailing_credit(last)
        if split is not None:
            body[-1], credit = split
            credit_lines.append(credit)
        break
    credits = [contributor for line in reversed(credit_lines) for contributor in line]

    if headline is not None and not body:
        # A single paragraph is both headline and body: never lose the text.
        body = [headline]

    agencies = list(header.agencies)
    outlets = list(header.outlets)
    published = header.published
    if header.dateline is not None:
        agency, outlet = dateline_source_names(header.dateline.source)
        if agency:
            agencies.insert(0, agency)
        if outlet:
            outlets.append(outlet)
        date = header.dateline.date
        if published is None and date is not None and date.has_date and date.has_year:
            published = date
    updated = header.updated
    if updated is not None and not updated.has_date:
        updated = combine_time_with_date(updated, published) if published is not None else None

    authors = [ContributorRecord(name=name, role="author") for name in header.authors]
    return WireCopy(
        headline=headline,
        paragraphs=tuple(body),
        contributors=merge_contributors(authors + credits),
        published=published,
        updated=updated,
        dateline=header.dateline,
        agencies=tuple(dict.fromkeys(agencies)),
        outlets=tuple(dict.fromkeys(outlets)),
    )
