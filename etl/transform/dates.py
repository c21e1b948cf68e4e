"""Parse publication dates as written into aware datetimes (the load stores them in UTC).

dateutil does the parsing; this module adds what news text needs on top of it:
time-zone abbreviations used by newsrooms ("EDT", "ET", "BST"), telling which
parts of a date were actually written (a bare "May 14" has no year), and
finding the date inside a header line such as
"By Thomson Reuters May 14, 2024 | 5:03 PM".
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as written, as a datetime in the offset it was written in (when known).

    Keeping the offset lets the contract print the local day; the database
    stores the same instant in UTC.
    """

    text: str
    value: datetime
    tz_known: bool
    has_date: bool = True
    """False when only a time of day was written (the date part is a placeholder)."""
    has_year: bool = True
    has_time: bool = True


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


_NEW_YORK = ZoneInfo("America/New_York")
_CHICAGO = ZoneInfo("America/Chicago")
_DENVER = ZoneInfo("America/Denver")
_LOS_ANGELES = ZoneInfo("America/Los_Angeles")
_LONDON = ZoneInfo("Europe/London")

TIMEZONE_ABBREVIATIONS: dict[str, tzinfo] = {
    # Generic US zones ("5 p.m. ET") follow daylight saving time by date.
    "ET": _NEW_YORK,
    "CT": _CHICAGO,
    "MT": _DENVER,
    "PT": _LOS_ANGELES,
    "EDT": _fixed(-4),
    "EST": _fixed(-5),
    "CDT": _fixed(-5),
    "CST": _fixed(-6),
    "MDT": _fixed(-6),
    "MST": _fixed(-7),
    "PDT": _fixed(-7),
    "PST": _fixed(-8),
    "AKDT": _fixed(-8),
    "AKST": _fixed(-9),
    "HST": _fixed(-10),
    "GMT": UTC,
    "UTC": UTC,
    "UT": UTC,
    "Z": UTC,
    "BST": _fixed(1),
    "UK": _LONDON,
    "WET": _fixed(0),
    "WEST": _fixed(1),
    "CET": _fixed(1),
    "CEST": _fixed(2),
    "EET": _fixed(2),
    "EEST": _fixed(3),
    "MSK": _fixed(3),
    # IST is also Irish and Israeli time; India is by far the most frequent in news copy.
    "IST": _fixed(5.5),
    "PKT": _fixed(5),
    "ICT": _fixed(7),
    "WIB": _fixed(7),
    "HKT": _fixed(8),
    "SGT": _fixed(8),
    "AWST": _fixed(8),
    "PHT": _fixed(8),
    "KST": _fixed(9),
    "JST": _fixed(9),
    "ACST": _fixed(9.5),
    "AEST": _fixed(10),
    "AEDT": _fixed(11),
    "NZST": _fixed(12),
    "NZDT": _fixed(13),
}
"""Zone abbreviations seen in news copy; dateutil knows only UTC/GMT by itself."""

# Two defaults that differ in every field: a field equal in both parses was written.
_DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)
_SEPARATORS = re.compile(r"\s*[|•·]\s*")
_SEPARATOR_TOKENS = frozenset({"|", "•", "·", "-", "–", "—", "/"})
_MAX_DATE_TOKENS = 12
_MAX_LINE_TOKENS = 40


_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
_DOTTED_TIME = re.compile(
    r"(?<![\d.])([01]?\d|2[0-3])\.([0-5]\d)(?![\d.])(?=\s*(?:[ap]\.?m\b|[A-Z]{2,5}\b|$))", re.I
)


def _normalise_written(text: str) -> str:
    """Rewrite what dateutil misreads: "GMT+8" (it takes POSIX's inverted sign) and "17.03"."""
    text = _GMT_OFFSET.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)
    return _DOTTED_TIME.sub(r"\1:\2", text)


_DATEUTIL: Any = dateutil_parser.DEFAULTPARSER


def _parse_with_both_defaults(text: str, fuzzy: bool, dayfirst: bool) -> tuple[datetime, datetime]:
    """``dateutil_parser.parse(text, default=...)`` with each default, the text tokenised once.

    The steps of ``dateutil.parser.parser.parse``, in its order, with its errors: only
    the filling-in of unwritten fields depends on the default.
    """
    res, _ = _DATEUTIL._parse(text, dayfirst=dayfirst, fuzzy=fuzzy)
    if res is None:
        raise dateutil_parser.ParserError("Unknown string format: %s", text)
    if len(res) == 0:
        raise dateutil_parser.ParserError("String does not contain a date: %s", text)
    values = []
    for default in (_DEFAULT_A, _DEFAULT_B):
        try:
            naive = _DATEUTIL._build_naive(res, default)
        except ValueError as exc:
            raise dateutil_parser.ParserError(str(exc) + ": %s", text) from exc
        values.append(_DATEUTIL._build_tzaware(naive, res, TIMEZONE_ABBREVIATIONS))
    return values[0], values[1]


def _parse_strict(text: str, fuzzy: bool = False, dayfirst: bool = False) -> ParsedDate | None:
    """Parse ``text`` with dateutil; record which parts were written."""
    text_as_written, text = text, _normalise_written(text)
    try:
        with warnings.catch_warnings():
            # A word dateutil takes for an unknown zone ("E") means this is not a date we can read.
            warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
            first, second = _parse_with_both_defaults(text, fuzzy, dayfirst)
    except (ValueError, OverflowError, TypeError, dateutil_parser.UnknownTimezoneWarning):
        return None
    has_year = first.year == second.year
    has_day = first.day == second.day and first.month == second.month
    has_time = first.hour == second.hour
    if not has_year and not has_day and not has_time:
        return None
    value = first
    if not has_day:
        value = value.replace(year=1900, month=1, day=1)
    if value.tzinfo is None:
        return ParsedDate(text_as_written, value.replace(tzinfo=UTC), False, has_day, has_year, has_time)
    return ParsedDate(text_as_written, value, True, has_day, has_year, has_time)


def parse_date(value: Any, dayfirst: bool = False) -> ParsedDate | None:
    """Parse a date string (or epoch seconds); None when it is not a date.

    ``dayfirst`` reads an all-numeric date ("3/09/15") day first, as most
    locales write it; US pages write the month first (the default).

    A value without a time zone is kept as wall-clock time, stored as if UTC
    with ``tz_known=False``: guessing the zone would make it wrong silently.
    A value without a day and month ("2024", "5:03 PM") is not a date.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Milliseconds since the epoch are common in JSON APIs.
        seconds = value / 1000 if abs(value) > 1e11 else value
        return ParsedDate(str(value), datetime.fromtimestamp(seconds, UTC), True)
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    parsed = _parse_strict(_SEPARATORS.sub(" ", text), dayfirst=dayfirst) or _parse_strict(
        text, fuzzy=True, dayfirst=dayfirst
    )
    if parsed is None or not parsed.has_date or not parsed.has_year:
        return None
    return ParsedDate(text, parsed.value, parsed.tz_known, True, parsed.has_year, parsed.has_time)


_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "mh", "pw"})


def numeric_day_first(language_tags: list[str]) -> bool:
    """Whether a page's numeric dates put the day first, from its declared locale.

    "3/09/15" is March 9 on a US page and 3 September elsewhere. English
    without a region is read month first, as dateutil does; every other
    language, and English outside the US, day first.
    """
    for tag in language_tags:
        parts = tag.strip().replace("_", "-").casefold().split("-")
        if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
            continue
        region = parts[1] if len(parts) > 1 and len(parts[1]) == 2 else None
        if parts[0] == "en":
            return region is not None and region not in _MONTH_FIRST_REGIONS
        return True
    return False


_PARSER_INFO = dateutil_parser.parserinfo()
_AM_PM = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m"})


@lru_cache(maxsize=16384)
def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


# Cached: a line is scanned word by word and the same words recur from line to line.
@lru_cache(maxsize=16384)
def _is_date_word(token: str) -> bool:
    """Can ``token`` begin or end a written date: a number, month, weekday, am/pm or zone?"""
    word = token.strip(",;()")
    if _has_digit(word):
        return True
    if word.lower() in _AM_PM or word.upper() in TIMEZONE_ABBREVIATIONS:
        return True
    bare = word.rstrip(".")
    return _PARSER_INFO.month(bare) is not None or _PARSER_INFO.weekday(bare) is not None


@dataclass(frozen=True, slots=True)
class DateInLine:
    """A date found in a short line, with the words before and after it."""

    date: ParsedDate
    before: str
    after: str


def find_date_in_line(line: str) -> DateInLine | None:
    """Find the longest run of words in a short line that dateutil reads as a date or time.

    Only runs with a day and month, or a time of day, count ("May" alone is a
    month, and a surname). Separators such as ``|`` inside the run are skipped;
    the words around it are returned so the caller can read labels
    ("Updated") or a byline ("By Jane Doe").
    """
    tokens = line.split()
    if not tokens or len(tokens) > _MAX_LINE_TOKENS:
        return None
    # Only windows that start and end on a date word and hold a digit can be dates:
    # checking that first saves most of the dateutil calls.
    edge = [_is_date_word(token) for token in tokens]
    digits = [0]
    for token in tokens:
        digits.append(digits[-1] + _has_digit(token))
    for length in range(min(len(tokens), _MAX_DATE_TOKENS), 0, -1):
        for start in range(len(tokens) - length + 1):
            end = start + length
            if not (edge[start] and edge[end - 1] and digits[end] > digits[start]):
                continue
            window = tokens[start:end]
            candidate = " ".join(token for token in window if token not in _SEPARATOR_TOKENS)
            parsed = _parse_strict(candidate.strip(",;"))
            if parsed is None or not (parsed.has_date or parsed.has_time):
                continue
            return DateInLine(
                date=replace(parsed, text=" ".join(window).strip(",;")),
                before=" ".join(tokens[:start]),
                after=" ".join(tokens[end:]),
            )
    return None


def combine_time_with_date(time_only: ParsedDate, day: ParsedDate) -> ParsedDate:
    """Give a time of day ("Updated 3:15 p.m. EDT") the calendar day of another date.

    The time is read again as written, so its zone (if any) applies to that
    wall-clock time on ``day``'s date before conversion to UTC.
    """
    wall = dateutil_parser.parse(
        _normalise_written(time_only.text), default=_DEFAULT_A, tzinfos=TIMEZONE_ABBREVIATIONS, fuzzy=True
    )
    # The day as written, not its UTC date: "11 p.m. EDT May 14" is May 15 in UTC.
    written = dateutil_parser.parse(
        _normalise_written(day.text), default=_DEFAULT_A, tzinfos=TIMEZONE_ABBREVIATIONS, fuzzy=True
    )
    value = wall.replace(year=written.year, month=written.month, day=written.day)
    if value.tzinfo is None:
        return ParsedDate(time_only.text, value.replace(tzinfo=UTC), False, True, day.has_year, True)
    return ParsedDate(time_only.text, value, True, True, day.has_year, True)


class DatedValue(Protocol):
    """A chosen date: :class:`ParsedDate`, or the HTML parser's candidate."""

    @property
    def text(self) -> str: ...
    @property
    def value(self) -> datetime: ...
    @property
    def tz_known(self) -> bool: ...


def article_date_fields(published: DatedValue | None, updated: DatedValue | None) -> dict[str, Any]:
    """The ArticleRecord date fields; an update time counts only with a known zone."""
    return {
        "published_at": published.value if published else None,
        "published_at_text": published.text if published else None,
        "published_tz_known": published.tz_known if published else False,
        "updated_at": updated.value if updated and updated.tz_known else None,
    }
