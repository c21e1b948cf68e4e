"""Choose the publication and update dates among the dates a page offers.

Structured metadata (JSON-LD, article:published_time, itemprop) ranks above
<time> tags and visible text; a date without a zone gives way to the same
day written with one. A dated URL (``/2016/12/15/slug``) is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from etl.transform.dates import parse_date
from etl.transform.formats.html.metadata import Candidate


@dataclass(frozen=True, slots=True)
class ChosenDate:
    value: datetime
    tz_known: bool
    text: str
    structured: bool = True
    """Whether a metadata source gave it (JSON-LD, <meta>, microdata), not a <time> tag or visible text."""


_CJK_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_]|$)")


def date_in_url(url: str | None) -> ChosenDate | None:
    """The day in a dated URL path (``/2016/12/15/slug``), zone unknown."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        year, month, day_of_month = (int(g) for g in match.groups())
        day = datetime(year, month, day_of_month, tzinfo=UTC)
    except ValueError:
        return None
    return ChosenDate(day, False, match.group(0), False)


_NUMERIC_DATE = re.compile(r"(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.]\d{2}(?![\d/.])")


def parse_when(text: str, dayfirst: bool = False) -> tuple[datetime, bool] | None:
    """Parse a date as written into (value, tz_known); None unless it holds a year.

    dateutil's fuzzy parser turns "5 minutes ago" into today; requiring a
    four-digit year, an all-numeric date ("3/09/15", read in the page's
    locale order) or an epoch number keeps such noise out. A zoned value
    keeps the offset the page wrote, so its day is the day the page printed.
    """
    text = text.strip()
    cjk = _CJK_DATE.search(text)
    if cjk:
        year, month, day = (int(g) for g in cjk.groups())
        try:
            return datetime(year, month, day, tzinfo=UTC), False
        except ValueError:
            return None
    if re.fullmatch(r"\d{10}(\d{3})?", text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC), True
    if not re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text) and not _NUMERIC_DATE.search(text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = parse_date(text, dayfirst=dayfirst)
        if parsed is None:
            return None
        return parsed.value, parsed.tz_known
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), False
    return value, True


_DATE_RANK = (
    "jsonld:datePublished",
    "meta:article:published_time",
    "meta:og:article:published_time",
    "itemprop",
    "meta:",
    "time-pub",
    "jsonld:dateCreated",
    "jsonld-page:datePublished",
    "time",
    "jsonld-page",
    "visible",
)


def _date_rank(source: str) -> int:
    for rank, prefix in enumerate(_DATE_RANK):
        if source.startswith(prefix):
            return rank
    return len(_DATE_RANK)


_Parsed = tuple[int, int, tuple[datetime, bool], str]

SAME_INSTANT = timedelta(minutes=2)
EARLIER_BY = timedelta(minutes=10)
MAX_OFFSET = timedelta(hours=14)


def _parse_all(candidates: list[Candidate], dayfirst: bool) -> list[_Parsed]:
    parsed = []
    for order, candidate in enumerate(candidates):
        when = parse_when(candidate.value, dayfirst)
        if when is not None and 1990 <= when[0].year <= 2100:
            parsed.append((_date_rank(candidate.source), order, when, candidate.value))
    parsed.sort(key=lambda item: (item[0], item[1]))
    return parsed


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _not_the_update(
    parsed: list[_Parsed], updated: list[_Parsed], printed_before_update: set[str]
) -> _Parsed:
    """The best candidate, unless it is the update time and the page prints an earlier one.

    Sites that rewrite ``article:published_time`` on every edit leave it
    equal to the modified time; the first publication then survives only in
    the visible "Published X / Updated Y" line, which names both.
    """
    best = parsed[0]
    best_utc = _as_utc(best[2][0])
    if not any(abs(_as_utc(u[2][0]) - best_utc) <= SAME_INSTANT for u in updated):
        return best
    for other in parsed[1:]:
        if other[3] in printed_before_update and _as_utc(other[2][0]) < best_utc - EARLIER_BY:
            return other
    return best


def _in_printed_offset(value: datetime, parsed: list[_Parsed]) -> datetime:
    """A UTC instant shown in the page's own offset, when a zoneless twin reveals it.

    "2016-12-23T00:47Z" next to "December 22, 2016, 6:47 PM" says the page
    prints its dates at UTC-6: the day it printed is December 22.
    """
    if value.utcoffset() != timedelta(0):
        return value
    instant = value.replace(second=0, microsecond=0, tzinfo=None)
    for _, _, (other, known), _ in parsed:
        if known or (other.hour, other.minute) == (0, 0):
            continue
        offset = other.replace(second=0, microsecond=0, tzinfo=None) - instant
        if offset and abs(offset) <= MAX_OFFSET and offset % timedelta(minutes=15) == timedelta(0):
            return value.astimezone(timezone(offset))
    return value


def choose_date(
    candidates: list[Candidate], updated: list[Candidate] | None = None, dayfirst: bool = False
) -> ChosenDate | None:
    """Pick the most trusted parseable date; prefer a zoned twin of the same day.

    Args:
        candidates: the dates offered for this field, in page order.
        updated: for the publication date, the update dates the page offers;
            a candidate equal to one of them is the update, not the publication.
        dayfirst: read all-numeric dates day first (the page's locale).
    """
    parsed = _parse_all(candidates, dayfirst)
    if not parsed:
        return None
    printed = {c.value for c in candidates if c.source == "visible-before-update"}
    chosen = _not_the_update(parsed, _parse_all(updated or [], dayfirst), printed)
    rank, _, (value, tz_known), text = chosen
    # The printed publication that corrects the metadata's is as trusted as the metadata.
    structured = rank < _date_rank("time-pub") or chosen is not parsed[0]
    if not tz_known:
        for _, _, (other, other_known), other_text in parsed[1:]:
            if other_known and other.date() == value.date():
                return ChosenDate(_in_printed_offset(other, parsed), True, other_text, structured)
        return ChosenDate(value, tz_known, text, structured)
    return ChosenDate(_in_printed_offset(value, parsed), tz_known, text, structured)


def candidates_on_day(candidates: list[Candidate], day: str, dayfirst: bool = False) -> list[Candidate]:
    """The candidates whose printed day is ``day`` (YYYY-MM-DD)."""
    kept = []
    for candidate in candidates:
        when = parse_when(candidate.value, dayfirst)
        if when is not None and when[0].date().isoformat() == day:
            kept.append(candidate)
    return kept
