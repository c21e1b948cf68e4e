"""Dates as written -> UTC, with the zone known or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from etl.transform.dates import combine_time_with_date, find_date_in_line, parse_date


@pytest.mark.parametrize(
    ("text", "value", "tz_known"),
    [
        ("May 14, 2024 5:03 PM EDT", datetime(2024, 5, 14, 21, 3, tzinfo=UTC), True),
        ("May 14, 2024 5:03 PM", datetime(2024, 5, 14, 17, 3, tzinfo=UTC), False),
        ("2024-05-14T17:03:00Z", datetime(2024, 5, 14, 17, 3, tzinfo=UTC), True),
        ("2024-05-14T17:03:00+02:00", datetime(2024, 5, 14, 15, 3, tzinfo=UTC), True),
        ("Tue May 14, 2024 5:03pm EST", datetime(2024, 5, 14, 22, 3, tzinfo=UTC), True),
        ("14 May 2024 17:03 GMT", datetime(2024, 5, 14, 17, 3, tzinfo=UTC), True),
        ("14 May 2024 17:03 BST", datetime(2024, 5, 14, 16, 3, tzinfo=UTC), True),
        # "ET" follows daylight saving time: -4 in May, -5 in January.
        ("May 14, 2024 5:03 p.m. ET", datetime(2024, 5, 14, 21, 3, tzinfo=UTC), True),
        ("January 14, 2024 5:03 p.m. ET", datetime(2024, 1, 14, 22, 3, tzinfo=UTC), True),
        ("May 14, 2024 | 5:03 PM", datetime(2024, 5, 14, 17, 3, tzinfo=UTC), False),
        ("1996-08-30", datetime(1996, 8, 30, tzinfo=UTC), False),
        ("Published on Thursday, May 16, 2024", datetime(2024, 5, 16, tzinfo=UTC), False),
    ],
)
def test_parse_date(text: str, value: datetime, tz_known: bool) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.value, parsed.tz_known) == (value, tz_known)
    if not tz_known:  # wall-clock time, tagged UTC and flagged
        assert parsed.value.utcoffset() == timedelta(0)


def test_parse_date_keeps_the_offset_it_was_written_in() -> None:
    parsed = parse_date("2024-05-14T01:30:00+09:00")
    assert parsed is not None
    assert parsed.value.utcoffset() == timedelta(hours=9)
    assert parsed.value == datetime(2024, 5, 13, 16, 30, tzinfo=UTC)  # the same instant


@pytest.mark.parametrize(
    "text", ["", "   ", "not a date", "May", "2024", "5:03 PM", "May 14", None, True, []]
)
def test_parse_date_rejects_what_is_not_a_dated_day(text: object) -> None:
    assert parse_date(text) is None


def test_parse_date_epoch_seconds_and_milliseconds() -> None:
    expected = datetime(2024, 5, 14, 21, 3, tzinfo=UTC)
    assert parse_date(1715720580) is not None and parse_date(1715720580).value == expected  # type: ignore[union-attr]
    assert parse_date(1715720580000).value == expected  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "before", "after", "written"),
    [
        ("By Thomson Reuters May 14, 2024 | 5:03 PM", "By Thomson Reuters", "", "May 14, 2024 | 5:03 PM"),
        ("Updated 3:15 p.m. EDT May 15, 2024", "Updated", "", "3:15 p.m. EDT May 15, 2024"),
        ("LONDON 1996-08-30", "LONDON", "", "1996-08-30"),
        ("May 14, 2024 5:03 PM EDT | By Jane Doe", "", "| By Jane Doe", "May 14, 2024 5:03 PM EDT"),
        ("Updated 3:15 p.m. EDT", "Updated", "", "3:15 p.m. EDT"),
    ],
)
def test_find_date_in_line(line: str, before: str, after: str, written: str) -> None:
    found = find_date_in_line(line)
    assert found is not None
    assert (found.before, found.after, found.date.text) == (before, after, written)


@pytest.mark.parametrize("line", ["By Theresa May", "By Jane Doe", "Chapter 2", "The 2024 race"])
def test_find_date_in_line_needs_a_day_or_a_time(line: str) -> None:
    assert find_date_in_line(line) is None


def test_time_only_is_marked_and_combined_with_the_written_day() -> None:
    found = find_date_in_line("Updated 11:45 p.m. EDT")
    assert found is not None and not found.date.has_date and found.date.has_time
    published = parse_date("May 14, 2024 11:00 p.m. EDT")
    assert published is not None
    combined = combine_time_with_date(found.date, published)
    assert combined.value == datetime(2024, 5, 15, 3, 45, tzinfo=UTC)
    assert combined.tz_known


def test_yearless_date_is_marked() -> None:
    found = find_date_in_line("May 14")
    assert found is not None and found.date.has_date and not found.date.has_year


def test_dash_between_date_and_time() -> None:
    found = find_date_in_line("May 14, 2024 — 5:03 PM EDT")
    assert found is not None and (found.before, found.after) == ("", "")
    assert found.date.value == datetime(2024, 5, 14, 21, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # dateutil reads "GMT+8" with POSIX's inverted sign; news means eight hours ahead of UTC.
        ("May 14, 2024 5:03 PM GMT+8", datetime(2024, 5, 14, 9, 3, tzinfo=UTC)),
        ("May 14, 2024 5:03 PM UTC-4", datetime(2024, 5, 14, 21, 3, tzinfo=UTC)),
        ("Tuesday 14 May 2024 17.03 BST", datetime(2024, 5, 14, 16, 3, tzinfo=UTC)),
    ],
)
def test_offsets_and_dotted_times_as_newsrooms_write_them(text: str, value: datetime) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.tz_known
    assert parsed.value == value
    assert parsed.text == text


def test_dotted_numbers_are_not_times() -> None:
    parsed = parse_date("2024.05.14")
    assert parsed is not None and parsed.value == datetime(2024, 5, 14, tzinfo=UTC)
