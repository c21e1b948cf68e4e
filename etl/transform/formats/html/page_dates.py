"""Choose the publication and update dates among the dates a page offers.

Structured metadata (JSON-LD, article:published_time, itemprop) ranks above
<time> tags and visible text; a date without a zone gives way to the same
day written with one. A dated URL (``/2016/12/15/slug``) is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from etl.transform.dates import parse_date
from etl.transform.formats.html.metadata import Candidate


@dataclass(frozen=True, slots=True)
class ChosenDate:
    value: datetime
    tz_known: bool
    text: str


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
    return ChosenDate(day, False, match.group(0))


def parse_when(text: str) -> tuple[datetime, bool] | None:
    """Parse a date as written into (value, tz_known); None unless it holds a year.

    dateutil's fuzzy parser turns "5 minutes ago" into today; requiring a
    four-digit year (or an epoch number) keeps such noise out.
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
    if not re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = parse_date(text)
        if parsed is None:
            return None
        return parsed.value, parsed.tz_known
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), False
    return value.astimezone(UTC), True


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


def choose_date(candidates: list[Candidate]) -> ChosenDate | None:
    """Pick the most trusted parseable date; prefer a zoned twin of the same day."""
    parsed = []
    for order, candidate in enumerate(candidates):
        when = parse_when(candidate.value)
        if when is not None and 1990 <= when[0].year <= 2100:
            parsed.append((_date_rank(candidate.source), order, when, candidate.value))
    if not parsed:
        return None
    parsed.sort(key=lambda item: (item[0], item[1]))
    _, _, (value, tz_known), text = parsed[0]
    if not tz_known:
        for _, _, (other, other_known), other_text in parsed[1:]:
            if other_known and other.date() == value.date():
                return ChosenDate(other, True, other_text)
    return ChosenDate(value, tz_known, text)
