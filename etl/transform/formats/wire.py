"""Plain-text wire copy -> ArticleRecord.

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
paragraphs; the JSON parser reuses it on record bodies. A text with none of
this structure keeps the plain reading: headline = first paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.errors import ParseError
from etl.records import ArticleRecord, ContributorRecord, ContributorRole, RawDocument
from etl.transform.bylines import (
    canonical_agency,
    looks_like_person_name,
    normalize_person_name,
    split_byline,
)
from etl.transform.dates import ParsedDate, article_date_fields, combine_time_with_date, find_date_in_line
from etl.transform.text import is_all_caps, join_paragraphs, split_paragraphs, title_case

MAX_HEADER_LINE = 250
"""Longer paragraphs are story text, never a byline or date line."""
MAX_HEADLINE = 300
"""A first paragraph longer than this, with more than one sentence, is story text."""
LOOKAHEAD_PARAGRAPHS = 2
"""How many paragraphs past the first story paragraph may still hold a byline or dateline."""

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

_DATE_LABELS = re.compile(
    r"^(?:(?:first|last|originally)?\s*(?:published|posted|updated|modified|filed|date[d]?)\b|on|at|[|•·,:;–—-])*$",
    re.I,
)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified)\b", re.I)
_SEGMENT_BEFORE_LABEL = re.compile(r"\s+(?=(?:last\s+)?(?:updated|modified|published|posted)\b)", re.I)
_BYLINE_START = re.compile(r"^(?:by|written by|words by|story by)\s+\S", re.I)

_ROLE_WORDS = (
    r"(?:additional|further|more|contributing|contributions?|extra)?\s*"
    r"(?:reporting|reported|writing|written|editing|edited|compiled|compiling|compilation|research|"
    r"researched|graphics?|photos?|photography|fact[- ]checking|translation|translated|production|produced|"
    r"data|design|designed|video)"
)
_CREDIT_PARENTHESES = re.compile(
    rf"\s*[(\[]{{1,2}}\s*(?P<credit>{_ROLE_WORDS}\s+by\b[^()\[\]]*)[)\]]{{1,2}}\s*$", re.I
)
_CREDIT_PLAIN = re.compile(rf"^\s*(?:[-–—]+\s*)?(?P<credit>{_ROLE_WORDS}\s+by\b.*?)\s*$", re.I | re.S)
_CREDIT_SEGMENT_SPLIT = re.compile(
    rf"\s*;\s*|(?<=\w)[.,]\s+(?={_ROLE_WORDS}\s+by\b)|\s+and\s+(?={_ROLE_WORDS}\s+by\b)", re.I
)
_CREDIT_SEGMENT = re.compile(r"^(?P<label>.*?)\s*\bby\s+(?P<names>.+)$", re.I | re.S)
_CONTRIBUTED = re.compile(
    r"^(?P<names>.+?)\s+contributed(?:\s+(?:reporting|to\s+(?:this|the)\s+(?:report|story|article)|"
    r"from\s+[\w ,.]+))*\s*\.?$",
    re.I | re.S,
)
_CONTRIBUTOR_TITLE = re.compile(
    r"^(?:the\s+)?(?:(?P<agency>[A-Z][\w.&' -]*?)\s+)?(?:staff\s+)?"
    r"(?:writers?|reporters?|correspondents?|journalists?|photographers?|researchers?)\s+",
    re.I,
)
_CONTACT = re.compile(r"\S+@\S+|\+?\d[\d\s()-]{6,}\d|https?://\S+")
_PEOPLE_SEPARATOR = re.compile(r"\s*(?:,|\band\b|&)\s*", re.I)
_IN_PLACE = re.compile(r"^(?P<name>.+?)\s+in\s+(?P<place>[A-Z].*)$")
# Page furniture that scraped copy keeps between headline and story.
_HEADER_FURNITURE = re.compile(
    r"^(?:\d+\s+min(?:ute)?s?\s+read|(?:updated|published)\s+(?:an?|\d+)\s+(?:second|minute|hour|day)s?\s+ago|"
    r"listen to (?:this )?article|share(?: this article)?|save|print)\.?$",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]")
_BOILERPLATE = re.compile(r"^(?:our standards:.*trust principles\.?|©.*reuters.*)$", re.I)


@dataclass(frozen=True, slots=True)
class Dateline:
    """Where (and sometimes when) a wire story was filed, and by which agency."""

    text: str
    places: tuple[str, ...]
    source: str | None = None
    date: ParsedDate | None = None


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


def _places(text: str) -> tuple[str, ...]:
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


def _source_names(source: str | None) -> tuple[str | None, str | None]:
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
            _places(place),
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
    return Dateline(_dateline_text(place), _places(place), None, found.date), name, line


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
        for name in byline.organisations:
            (header.agencies if canonical_agency(name) else header.outlets).append(name)
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


def _role_of(label: str) -> ContributorRole:
    label = label.lower()
    if any(word in label for word in ("additional", "further", "more", "contribut", "extra")):
        return "additional_reporting" if "report" in label or "contribut" in label else "other"
    if "report" in label:
        return "reporting"
    # "Compiled by" names who wrote the story up from other people's reporting.
    if "writ" in label or "compil" in label:
        return "writing"
    if "edit" in label:
        return "editing"
    return "other"


def read_people_with_places(
    text: str, role: ContributorRole, strict: bool = True
) -> list[ContributorRecord] | None:
    """Read "Greg Torode in Hong Kong and Guy Faulconbridge in Moscow" into contributors.

    With ``strict``, returns None when a part is neither a person nor the rest
    of a place name, so a sentence that merely ends in "by ..." is not taken
    for a credit; otherwise such parts ("Gdansk Newsroom") are skipped.
    """
    text = _CONTACT.sub(" ", text).strip(" .;,")
    entries: list[list[str | None]] = []
    for chunk in (c.strip(" .") for c in _PEOPLE_SEPARATOR.split(text)):
        if not chunk:
            continue
        located = _IN_PLACE.match(chunk)
        name, place = (located.group("name"), located.group("place")) if located else (chunk, None)
        if (
            place is None
            and entries
            and entries[-1][1] is not None
            and len(chunk.split()) == 1
            and chunk[0].isupper()
        ):
            # "in Trinidad and Tobago", "in Kyiv, Ukraine": the rest of the previous place.
            sep = " and " if re.search(rf"\band\s+{re.escape(chunk)}", text) else ", "
            entries[-1][1] = f"{entries[-1][1]}{sep}{chunk}"
            continue
        if canonical_agency(name):
            continue
        person = normalize_person_name(name)
        if not looks_like_person_name(person):
            if strict:
                return None
            continue
        entries.append([person, place])
    if not entries:
        return None if strict else []
    # "Reporting by A and B in London": the place at the end covers everyone before it.
    last_place = entries[-1][1]
    if last_place and all(entry[1] is None for entry in entries[:-1]):
        for entry in entries:
            entry[1] = last_place
    return [ContributorRecord(name=str(name), role=role, location=place) for name, place in entries]


def read_credit_line(text: str) -> list[ContributorRecord] | None:
    """Read a credit line into contributors with roles; None when ``text`` is not one.

    Handles "(Reporting by A in P and B in Q; additional reporting by C in R;
    Editing by D)", the same without parentheses, "Writing by", "Compiled by",
    and AP's "Associated Press writer A in P contributed to this report."
    A credit in parentheses is a credit even when it names no person
    ("(Compiled by Gdansk Newsroom)" gives ``[]``); one without parentheses
    must name only people, so prose is never taken for a credit.
    """
    in_parentheses = _CREDIT_PARENTHESES.fullmatch(text)
    match = in_parentheses or _CREDIT_PLAIN.match(text)
    if match is not None and len(text) < 600:
        contributors: list[ContributorRecord] = []
        for segment in _CREDIT_SEGMENT_SPLIT.split(match.group("credit")):
            part = _CREDIT_SEGMENT.match(segment.strip(" .()[]"))
            if part is None:
                continue
            role = _role_of(part.group("label"))
            people = read_people_with_places(part.group("names"), role, strict=not in_parentheses)
            if people is None:
                return None
            contributors.extend(people)
        return contributors if in_parentheses or contributors else None
    contributed = _CONTRIBUTED.match(text)
    if contributed is not None and len(text) < 400:
        names = _CONTRIBUTOR_TITLE.sub("", contributed.group("names").strip(), count=1)
        return read_people_with_places(names, "additional_reporting")
    return None


def _split_trailing_credit(paragraph: str) -> tuple[str, list[ContributorRecord]] | None:
    """Split "... gas sales. (Reporting by X; Editing by Y)" into the story and the credit."""
    match = _CREDIT_PARENTHESES.search(paragraph)
    if match is None or match.start() == 0:
        return None
    credit = read_credit_line(match.group(0).strip())
    return (paragraph[: match.start()].rstrip(), credit) if credit is not None else None


def merge_contributors(contributors: Sequence[ContributorRecord]) -> tuple[ContributorRecord, ...]:
    """One entry per person and role, grouped by person in order of first appearance.

    A byline author who is also in the credit line ("Reporting by X in P")
    keeps both roles; the same role twice is merged, keeping a known location.
    """
    by_key: dict[tuple[str, str], ContributorRecord] = {}
    order: dict[str, int] = {}
    for contributor in contributors:
        person = contributor.name.casefold()
        order.setdefault(person, len(order))
        key = (person, contributor.role)
        known = by_key.get(key)
        if known is None or (known.location is None and contributor.location):
            by_key[key] = contributor
    # Sorting is stable: roles of one person stay in the order they were met.
    return tuple(sorted(by_key.values(), key=lambda c: order[c.name.casefold()]))


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
    while index < len(paras):
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

    credits: list[ContributorRecord] = []
    while body:
        last = body[-1]
        if _BOILERPLATE.match(last):
            body.pop()
            continue
        credit = read_credit_line(last)
        if credit is not None:
            credits[:0] = credit
            body.pop()
            continue
        split = _split_trailing_credit(last)
        if split is not None:
            body[-1], credit = split
            credits[:0] = credit
        break

    if headline is not None and not body:
        # A single paragraph is both headline and body: never lose the text.
        body = [headline]

    agencies = list(header.agencies)
    outlets = list(header.outlets)
    published = header.published
    if header.dateline is not None:
        agency, outlet = _source_names(header.dateline.source)
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


def parse_wire_copy(raw: RawDocument) -> ArticleRecord:
    """Parse a plain-text wire copy."""
    paragraphs = split_paragraphs(raw.text)
    if not paragraphs:
        raise ParseError(raw.source_uri, "no text")
    copy = read_wire_paragraphs(paragraphs)
    body, spans = join_paragraphs(list(copy.paragraphs))
    if not body:
        raise ParseError(raw.source_uri, "no story text besides the headline and bylines")
    published = copy.published
    dateline = copy.dateline
    return ArticleRecord(
        source_uri=raw.source_uri,
        document_key=raw.document_key,
        content_sha256=raw.content_sha256,
        headline=copy.headline,
        body=body,
        paragraphs=spans,
        url=raw.url,
        **article_date_fields(published, copy.updated),
        dateline=dateline.text or None if dateline else None,
        dateline_places=dateline.places if dateline else (),
        publisher=copy.publisher,
        wire_source=copy.wire_source,
        contributors=copy.contributors,
    )
