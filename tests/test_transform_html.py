"""HTML pages -> ArticleRecord: golden files plus targeted checks.

Each ``fixtures/html/<case>.html`` is compared with
``fixtures/html/expected/<case>.json``. After an intended change, rewrite the
golden files with ``pytest --update-golden tests/test_transform_html.py``
and read the diff before committing it.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from etl.errors import ParseError
from etl.records import ArticleRecord, RawDocument
from etl.transform.contract import format_datetime
from etl.transform.formats.html.reader import parse_html_page
from etl.transform.publishers import publisher_key
from tests.golden import check_golden

FIXTURES = Path(__file__).parent / "fixtures" / "html"
EXPECTED = FIXTURES / "expected"
ERROR_CASES = {"no_article"}
CASES = sorted(p.stem for p in FIXTURES.glob("*.html") if p.stem not in ERROR_CASES)


def page(name: str, url: str | None = None) -> RawDocument:
    path = FIXTURES / f"{name}.html"
    return RawDocument(
        source_uri=str(path),
        document_key=url or path.as_uri(),
        text=path.read_text(encoding="utf-8"),
        format="html",
        content_sha256="0" * 64,
        url=url,
    )


def golden_view(article: ArticleRecord) -> dict[str, object]:
    """The fields a golden file pins, in a stable JSON form."""
    return {
        "headline": article.headline,
        "contributors": [[c.name, c.role] for c in article.contributors],
        "published_at": format_datetime(article.published_at, article.published_tz_known),
        "published_tz_known": article.published_tz_known,
        "updated_at": format_datetime(article.updated_at),
        "publisher": article.publisher,
        "publisher_domain": article.publisher_domain,
        "section": article.section,
        "language": article.language,
        "url": article.url,
        "dateline": article.dateline,
        "wire_source": article.wire_source,
        "body": article.body.split("\n\n"),
    }


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool) -> None:
    check_golden(golden_view(parse_html_page(page(case))), EXPECTED / f"{case}.json", update_golden)


def test_jsonld_author_list_gives_every_author_and_zoned_dates() -> None:
    article = parse_html_page(page("jsonld_author_list"))
    assert [c.name for c in article.contributors] == ["Dana Whitfield", "Marcus Oyelaran"]
    assert "Ledger Staff" not in [c.name for c in article.contributors]
    assert article.published_tz_known
    # The instant is kept in the offset the page wrote, so its day is the printed day.
    assert (
        article.published_at is not None and article.published_at.isoformat() == "2024-03-05T18:42:00-05:00"
    )
    assert article.updated_at is not None
    assert article.updated_at.astimezone(UTC).isoformat() == "2024-03-06T14:15:00+00:00"
    assert article.publisher == "The Lakeside Ledger"
    assert article.publisher_domain == "lakesideledger.com"
    # The loader's source key: the page's name and domain meet on one key.
    assert (
        publisher_key(article.publisher, article.publisher_domain)
        == publisher_key("Lakeside Ledger")
        == "lakesideledger"
    )
    assert article.url == "https://www.lakesideledger.com/news/2024/03/05/harbor-flood-wall-approved/"
    assert article.language == "en"


def test_jsonld_author_list_body_has_no_boilerplate() -> None:
    body = parse_html_page(page("jsonld_author_list")).body
    assert body.startswith("The Lakeside harbor council voted 6-1")
    assert "Construction is expected to begin in September" in body
    for boilerplate in (
        "Share on Facebook",
        "Related stories",
        "Fish market reopens",
        "Subscribe for $1",
        "All rights reserved",
        "Workers survey the harbor seawall",
    ):
        assert boilerplate not in body


def test_jsonld_graph_resolves_author_reference_and_prefers_article_over_webpage() -> None:
    article = parse_html_page(page("jsonld_graph"))
    assert [c.name for c in article.contributors] == ["Priya Ramanathan"]
    assert article.headline == "Rail strike called off as union accepts new pay offer"
    # The NewsArticle's date, not the WebPage's.
    assert article.published_at is not None and article.published_at.hour == 9
    assert article.publisher == "Northern Courier"
    assert article.section == "Business"
    assert article.url == "https://northerncourier.co.uk/business/rail-strike-called-off/"


def test_opengraph_only_cuts_site_name_and_reads_author_page_url() -> None:
    article = parse_html_page(page("opengraph_only"))
    assert article.headline == "City opens its first public tool library"
    assert [c.name for c in article.contributors] == ["Lena Marsh"]
    assert format_datetime(article.published_at) == "2022-06-14T14:20:00+00:00"
    assert article.language == "en"
    assert article.url == "https://riverbendpost.com/2022/06/14/tool-library-opens/"
    assert "Share this article" not in article.body


def test_byline_only_page_uses_visible_byline_and_h1() -> None:
    article = parse_html_page(page("byline_only"))
    assert article.headline == "Orchard growers count losses after late frost"
    assert [c.name for c in article.contributors] == ["Jane Roe", "John Poe"]
    assert article.published_at is not None and article.published_at.date().isoformat() == "2021-04-18"
    assert not article.published_tz_known
    assert "Advertise with us" not in article.body


def test_wire_story_on_local_site_credits_people_not_the_agency() -> None:
    article = parse_html_page(page("ap_story_local"))
    names = [c.name for c in article.contributors if c.role == "author"]
    assert names == ["Mary Katherine Solis", "Derek Abano"]
    assert article.publisher == "The Hill Country Herald"
    assert article.wire_source == "Associated Press"
    assert article.dateline == "WASHINGTON"
    # The dateline is read, and stays in the text as published.
    assert article.body.startswith("WASHINGTON (AP) — The Senate passed a short-term spending bill")
    # The credit line leaves the body and credits its writer.
    assert "contributed to this report" not in article.body
    assert ("Lisa Tran", "additional_reporting") in [(c.name, c.role) for c in article.contributors]
    assert "Storm season ends quietly" not in article.body
    assert "The Senate passed a short-term spending bill" in article.body


def test_page_without_article_raises_parse_error_with_reason() -> None:
    with pytest.raises(ParseError) as info:
        parse_html_page(page("no_article"))
    assert info.value.reason
    assert "no article text" in info.value.reason
    assert info.value.source_uri.endswith("no_article.html")


def test_url_from_container_wins_over_canonical() -> None:
    article = parse_html_page(page("jsonld_author_list", url="https://example.org/mirror/123"))
    assert article.url == "https://example.org/mirror/123"
    assert article.document_key == "https://example.org/mirror/123"


def test_title_site_name_joined_without_spaces_is_cut() -> None:
    from etl.transform.formats.html.titles import strip_site_name

    assert strip_site_name("Headline words here_Tech_Daily Bugle", ["Daily Bugle"]) == "Headline words here"
    assert strip_site_name("見出しの文です：デイリー新聞", ["デイリー新聞"]) == "見出しの文です"
    assert strip_site_name("COVID-19: What we know", ["Daily Bugle"]) == "COVID-19: What we know"


@pytest.mark.parametrize(
    "byline,sites,expected",
    [
        ("By Nada Tawfik, Daily Planet, Metropolis", ["Daily Planet"], ["Nada Tawfik"]),
        ("By Jane Roe | Updated March 3, 2024, 5:00 PM", [], ["Jane Roe"]),
        ("Sam Stein Senior Politics Editor", [], ["Sam Stein"]),
        ("Politik · Jochen Bittner, Tina Hildebrandt", [], ["Jochen Bittner", "Tina Hildebrandt"]),
        ("More stories by Jeremy Herron", [], ["Jeremy Herron"]),
        ("April Glaser @aprilaser Dec 15, 2016", [], ["April Glaser"]),
        ("Editorial Staff", [], []),
        ("ABOUT DW", ["DW"], []),
        ("Daily Planet News", ["Daily Planet News"], []),
        ("Metro Desk", [], ["Metro Desk"]),
        ("U.S. Customs and Border Protection", [], []),
    ],
)
def test_byline_names(byline: str, sites: list[str], expected: list[str]) -> None:
    from etl.transform.formats.html.authors import split_names

    assert split_names(byline, sites) == expected


def test_author_page_url_gives_a_name() -> None:
    from etl.transform.formats.html.authors import name_from_url

    assert name_from_url("https://www.example.com/profile/julia-carrie-wong") == "Julia Carrie Wong"
    assert name_from_url("https://www.example.ca/news/author/pete-evans-1.3333505") == "Pete Evans"
    assert name_from_url("https://www.facebook.com/examplenews") is None


def test_jsonld_entities_are_decoded() -> None:
    from etl.transform.formats.html.metadata import read_page_metadata
    from etl.transform.formats.html.page import PageTags, parse_page

    html = (
        (FIXTURES / "jsonld_graph.html")
        .read_text(encoding="utf-8")
        .replace(
            '"headline":"Rail strike called off as union accepts new pay offer"',
            '"headline":"Rail &amp; bus strike called off"',
        )
    )
    root = parse_page(html)
    assert root is not None
    meta = read_page_metadata(PageTags.of(root))
    assert meta.titles[0].value == "Rail & bus strike called off"
    assert meta.titles[0].source == "jsonld:headline"
