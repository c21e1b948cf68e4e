"""Targeted checks of the HTML reader's rules, each on a page or string written for it.

Golden files pin whole pages (``test_transform_html.py``); these say which
rule each page is there for, so a failing one names the rule it broke.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from etl.transform.bylines import name_in_reading_order, split_byline
from etl.transform.dates import numeric_day_first
from etl.transform.formats.html.metadata import Candidate
from etl.transform.formats.html.page_dates import choose_date
from etl.transform.formats.html.publisher import name_from_domain, title_site_segment
from etl.transform.formats.html.reader import parse_html_page
from etl.transform.formats.html.titles import choose_title, strip_portal_trail, strip_site_name
from tests.test_transform_html import page

# --- titles -----------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Ferry timetable cut for winter | Northsound Courier",
        "Ferry timetable cut for winter - Northsound Courier",
        "Ferry timetable cut for winter — Northsound Courier",
        "Northsound Courier: Ferry timetable cut for winter",
        "Northsound Courier | Ferry timetable cut for winter",
    ],
)
def test_site_name_is_cut_in_its_usual_forms(title: str) -> None:
    assert strip_site_name(title, ["Northsound Courier"]) == "Ferry timetable cut for winter"


def test_a_headline_that_names_the_site_is_not_the_site_name() -> None:
    article = parse_html_page(page("headline_names_site"))
    assert article.headline == "How we rebuilt Quarrytide search: a queue for every shard"
    assert (
        strip_site_name("How we rebuilt Quarrytide search - a queue per shard", ["quarrytide"])
        == "How we rebuilt Quarrytide search - a queue per shard"
    )


def test_portal_title_loses_its_channel_and_site_trail() -> None:
    assert parse_html_page(page("portal_title_trail")).headline == "山城夜市重新开放，摊主盼客流回升"
    assert strip_portal_trail("Headline words here_News_Site") == "Headline words here"
    # An identifier with underscores in a headline is not a trail.
    assert strip_portal_trail("Why my_long_variable_name broke the build") == (
        "Why my_long_variable_name broke the build"
    )


def test_a_site_name_field_holding_the_headline_does_not_hide_the_headline() -> None:
    article = parse_html_page(page("site_name_field_holds_headline"))
    assert article.headline == "Library extends weekend opening hours through the winter"
    assert article.publisher == "Portalview"


def test_logo_heading_is_not_the_headline() -> None:
    candidates = [
        Candidate("Bridge reopens after repairs", "meta:og:title"),
        Candidate("bridgetown back to bridgetown home news", "h1"),
        Candidate("Bridge reopens after repairs", "h1"),
    ]
    assert choose_title(candidates, ["Bridgetown"]) == "Bridge reopens after repairs"


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "day_first"),
    [
        (["en-US"], False),
        (["en_US"], False),
        (["en"], False),
        (["en-GB"], True),
        (["fr-FR"], True),
        ([], False),
    ],
)
def test_numeric_dates_follow_the_page_locale(tags: list[str], day_first: bool) -> None:
    assert numeric_day_first(tags) is day_first


def test_us_page_reads_month_first() -> None:
    article = parse_html_page(page("us_numeric_date"))
    assert article.published_at is not None
    assert (article.published_at.year, article.published_at.month, article.published_at.day) == (2015, 3, 9)
    chosen = choose_date([Candidate("3/09/15 8:00am", "visible")], dayfirst=True)
    assert chosen is not None and (chosen.value.month, chosen.value.day) == (9, 3)


def test_offset_crossing_midnight_keeps_the_printed_day() -> None:
    # JSON-LD 2021-06-30T22:15-04:00 is July 1 in UTC; the page printed June 30.
    article = parse_html_page(page("comments_and_teasers"))
    assert article.published_at is not None and article.published_tz_known
    assert article.published_at.date().isoformat() == "2021-06-30"
    assert article.published_at.astimezone(UTC) == datetime(2021, 7, 1, 2, 15, tzinfo=UTC)


def test_zulu_metadata_is_shown_in_the_offset_the_page_prints() -> None:
    article = parse_html_page(page("utc_meta_printed_local"))
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2022-11-02"
    assert article.published_at.astimezone(UTC) == datetime(2022, 11, 3, 1, 30, 22, tzinfo=UTC)


def test_updated_date_never_replaces_the_published_one() -> None:
    article = parse_html_page(page("published_rewritten_on_update"))
    assert article.published_at == datetime(2024, 1, 4, 21, 0, tzinfo=UTC)
    assert article.updated_at is not None and article.updated_at.date().isoformat() == "2024-01-05"
    # Without a printed "Published ... / Updated ..." line the metadata stands.
    same = choose_date(
        [
            Candidate("2024-01-05T08:30:00Z", "meta:article:published_time"),
            Candidate("Jan 2, 2024", "visible"),
        ],
        [Candidate("2024-01-05T08:30:30Z", "meta:article:modified_time")],
    )
    assert same is not None and same.value.day == 5


# --- authors ----------------------------------------------------------------


def test_comments_teasers_share_labels_and_photographers_are_not_authors() -> None:
    article = parse_html_page(page("comments_and_teasers"))
    authors = [c.name for c in article.contributors if c.role == "author"]
    assert authors == ["Ilse Brandvold"]
    others = {c.name: c.role for c in article.contributors if c.role != "author"}
    assert others == {"Rasmus Tolle": "other"}


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("Jane Doe (with John Roe and Ann Poe)", ("Jane Doe", "John Roe", "Ann Poe")),
        ("Jeanne Dupont (avec Paul Martin et Léa Roux)", ("Jeanne Dupont", "Paul Martin", "Léa Roux")),
        ("By JANE DOE March 11, 2015 3:46 PM Morning Show", ("Jane Doe",)),
        ("By Cindy mangomini December 21, 2016", ("Cindy mangomini",)),
    ],
)
def test_byline_forms(byline: str, people: tuple[str, ...]) -> None:
    assert split_byline(byline).people == people


def test_surname_first_author_field_is_read_in_reading_order() -> None:
    assert name_in_reading_order("Doe, Jane") == "Jane Doe"
    assert name_in_reading_order("Jane Doe") is None
    assert name_in_reading_order("Doe, AP") is None


# --- publisher --------------------------------------------------------------


def test_publisher_falls_back_to_title_segment_then_domain() -> None:
    assert parse_html_page(page("headline_names_site")).publisher == "Quarrytide"
    titles = [Candidate("Bridge reopens | Lakeside Ledger", "title")]
    assert title_site_segment(titles, "Bridge reopens") == "Lakeside Ledger"
    assert name_from_domain("https://www.lakeside-ledger.co.uk/news/1") == "Lakeside Ledger"


def test_htmldate_picks_among_unstructured_dates() -> None:
    # Two <time> tags, a sidebar teaser's first: htmldate's reading of the
    # whole page chooses the article's, which keeps its time and offset.
    raw = page("time_tags_comment_first")
    unweighed = choose_date(
        [Candidate("2020-06-01T10:00:00Z", "time"), Candidate("2019-03-04T09:15:00+01:00", "time")]
    )
    assert unweighed is not None and unweighed.value.year == 2020 and not unweighed.structured
    article = parse_html_page(raw)
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2019-03-04T09:15:00+01:00"


def test_a_date_only_in_the_text_is_still_found() -> None:
    article = parse_html_page(page("date_only_in_text"))
    assert article.published_at is not None and article.published_at.date().isoformat() == "2019-03-04"
    assert not article.published_tz_known


def test_a_date_opening_the_article_text_is_its_date() -> None:
    article = parse_html_page(page("date_opens_the_text"))
    assert article.published_at is not None and article.published_at.date().isoformat() == "2020-06-03"


def test_agency_and_label_bylines_are_not_authors() -> None:
    from etl.transform.formats.html.authors import choose_authors
    from etl.transform.formats.html.byline import BylineCandidate

    assert choose_authors([], [BylineCandidate("AFP", "class")], []) == []
    assert choose_authors([], [BylineCandidate("Last updated 3 May 2020, 10:04", "class")], []) == []
    assert split_byline("Jane Doe Last updated May 3, 2020").people == ("Jane Doe",)
