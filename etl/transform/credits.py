"""Credit lines: who reported, wrote and edited a story, and where they were.

    (Reporting by Greg Torode in Hong Kong; Editing by Alex Richardson)
    Associated Press writer Jane Doe in Paris contributed to this report.

:func:`read_credit_line` reads such a line into contributors with roles and
places; :func:`merge_contributors` joins them with the byline's authors, one
entry per person and role. Shared by every format reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from etl.records import ContributorRecord, ContributorRole
from etl.transform.bylines import canonical_agency, looks_like_person_name, normalize_person_name

MAX_CREDIT_LINE = 600
"""A longer paragraph is story text, never a credit line: no regex scans it as one."""

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
    if len(text) >= MAX_CREDIT_LINE:
        # Checked before any regex runs: the patterns backtrack on long hostile lines.
        return None
    in_parentheses = _CREDIT_PARENTHESES.fullmatch(text)
    match = in_parentheses or _CREDIT_PLAIN.match(text)
    if match is not None:
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


def split_trailing_credit(paragraph: str) -> tuple[str, list[ContributorRecord]] | None:
    """Split "... gas sales. (Reporting by X; Editing by Y)" into the story and the credit.

    Only the paragraph's last :data:`MAX_CREDIT_LINE` characters are searched:
    a credit longer than that is not read anyway.
    """
    offset = max(0, len(paragraph) - MAX_CREDIT_LINE)
    match = _CREDIT_PARENTHESES.search(paragraph, offset)
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
