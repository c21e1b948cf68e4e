"""Parse publication dates as written into UTC datetimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateutil_parser


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as written, as a datetime (UTC when the zone was known)."""

    text: str
    value: datetime
    tz_known: bool


def parse_date(value: Any) -> ParsedDate | None:
    """Parse a date string (or epoch seconds); None when it is not a date.

    A value without a time zone is kept as wall-clock time, stored as if UTC
    with ``tz_known=False``: guessing the zone would make it wrong silently.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ParsedDate(str(value), datetime.fromtimestamp(value, UTC), True)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = dateutil_parser.parse(text, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return ParsedDate(text, parsed.replace(tzinfo=UTC), False)
    return ParsedDate(text, parsed.astimezone(UTC), True)
