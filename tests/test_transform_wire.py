"""Plain-text wire copy: headline, bylines, dates, dateline, credit line, clean body."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl.errors import ParseError
from etl.records import ArticleRecord, ContributorRecord, RawDocument
from etl.transform.credits import read_credit_line
from etl.transform.datelines import read_dateline_line, read_dateline_prefix
from etl.transform.formats.wire import parse_wire_copy
from etl.transform.wire_conventions import read_wire_paragraphs
from tests.golden import article_snapshot, check_golden

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
SEED = ROOT / "seeds" / "000_bd8123d896ecf23b.txt"
CASES = {path.stem: path for path in sorted(FIXTURES.glob("*.txt"))} | {"seed_reuters": SEED}


def raw_text(text: str, name: str = "story.txt") -> RawDocument:
    return RawDocument(
        source_uri=name,
        document_key=name,
        text=text,
        format="text",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def parse_file(path: Path) -> ArticleRecord:
    return parse_wire_copy(raw_text(path.read_text(encoding="utf-8"), path.name))


def people(article: ArticleRecord) -> list[tuple[str, str, str | None]]:
    return [(c.name, c.role, c.location) for c in article.contributors]


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, update_golden: bool) -> None:
    article = parse_file(CASES[case])
    check_golden(article_snapshot(article), FIXTURES / "expected" / f"{case}.json", update_golden)


def test_seed_reuters_story() -> None:
    article = parse_file(SEED)
    assert article.headline == "Defying West, Russia’s Putin due to meet Xi Jinping in Beijing"
    assert people(article) == [
        ("Greg Torode", "author", None),
        ("Greg Torode", "reporting", "Hong Kong"),
        ("Guy Faulconbridge", "author", None),
        ("Guy Faulconbridge", "reporting", "Moscow"),
        ("Chen Aizhu", "additional_reporting", "Beijing"),
        ("Alex Richardson", "editing", None),
    ]
    assert article.published_at == datetime(2024, 5, 14, 17, 3, tzinfo=UTC)
    assert article.published_tz_known is False
    assert article.published_at_text == "May 14, 2024 | 5:03 PM"
    assert article.dateline == "HONG KONG/MOSCOW"
    assert article.dateline_places == ("Hong Kong", "Moscow")
    assert article.wire_source == "Reuters"
    assert article.body.startswith("Russian President Vladimir Putin’s Beijing visit on Thursday")
    assert article.body.endswith("to fill the gap of lost European gas sales.")
    for furniture in ("Reporting By", "By Greg Torode", "Thomson Reuters", "(Reuters)", "5:03 PM"):
        assert furniture not in article.body
    # Paragraph spans index into the body.
    start, end = article.paragraphs[0]
    assert article.body[start:end].startswith("Russian President")
    assert len(article.paragraphs) == 20  # 24 in the file: headline, 2 bylines, credit


def test_time_zone_abbreviation_gives_utc() -> None:
    article = parse_file(FIXTURES / "reuters_credit_line.txt")
    assert article.published_at == datetime(2024, 5, 14, 21, 3, tzinfo=UTC)
    assert article.published_tz_known is True
    assert article.published_at_text == "May 14, 2024 5:03 PM EDT"


def test_ap_style_byline_updated_line_and_contributed_line() -> None:
    article = parse_file(FIXTURES / "ap_updated_line.txt")
    assert people(article) == [
        ("Anne Bell", "author", None),
        ("Bob Crane", "author", None),
        ("Carl Dean", "author", None),
        ("Dana Fox", "additional_reporting", "New York"),
        ("Eli Stone", "additional_reporting", "Chicago"),
    ]
    assert article.updated_at == datetime(2024, 5, 15, 19, 15, tzinfo=UTC)
    # An "Updated" time is not the publication time.
    assert article.published_at is None
    assert article.wire_source == "Associated Press"
    assert article.dateline == "WASHINGTON"
    assert article.body.startswith("A Senate committee on Wednesday")
    assert "contributed to this report" not in article.body
    assert "Updated" not in article.body


def test_writing_by_credit_without_parentheses() -> None:
    article = parse_file(FIXTURES / "writing_by_plain_credit.txt")
    assert people(article) == [
        ("Bart van Dijk", "reporting", None),
        ("Sarah O'Neill", "writing", None),
        ("Tom Ashby", "editing", None),
    ]
    assert article.dateline_places == ("The Hague",)
    assert article.published_at == datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
    assert article.published_tz_known is True
    assert "Editing by" not in article.body


def test_compiled_by_credit() -> None:
    article = parse_file(FIXTURES / "compiled_by.txt")
    assert people(article) == [
        ("Julia Weber", "writing", None),
        ("Marco Rossi", "writing", None),
        ("Karin Strohecker", "editing", None),
    ]
    assert article.dateline == "BRUSSELS"
    # "May 14" without a year is not a publication date.
    assert article.published_at is None
    assert article.body.startswith("A storm brought heavy rain")


def test_story_without_structure_keeps_first_paragraph_as_headline() -> None:
    text = (FIXTURES / "no_byline.txt").read_text(encoding="utf-8")
    article = parse_wire_copy(raw_text(text))
    assert article.headline == "Governor signs budget after weeks of talks"
    assert article.contributors == ()
    assert article.dateline is None
    assert article.published_at is None
    # Nothing but the headline is taken out, even a paragraph that starts with "By".
    assert article.body.split("\n\n") == text.strip().split("\n\n")[1:]
    assert article.body.endswith("By the end of the month, districts will receive their first payments.")


def test_thomson_reuters_is_the_source_not_a_contributor() -> None:
    article = parse_file(FIXTURES / "thomson_reuters_byline.txt")
    names = {c.name for c in article.contributors}
    assert names == {"Priya Nair", "Tomás García", "Jan Harvey"}
    assert article.wire_source == "Reuters"
    assert article.dateline_places == ("London", "Santiago")


def test_conll_style_dateline_line_and_bare_byline() -> None:
    article = parse_file(FIXTURES / "conll_style.txt")
    assert article.headline == "SOCCER - RIVERTON CLINCH LEAGUE TITLE WITH LATE GOAL ."
    assert people(article) == [("Jan Novak", "author", None)]
    assert article.dateline_places == ("Prague",)
    assert article.published_at == datetime(1996, 8, 30, tzinfo=UTC)
    assert article.published_tz_known is False
    # The dateline line stays in the body (its place is an entity mention); the byline does not.
    assert article.body.startswith("PRAGUE 1996-08-30\n\nRiverton won the league title")
    assert "Jan Novak" not in article.body


def test_single_paragraph_is_headline_and_body() -> None:
    article = parse_wire_copy(raw_text("Just one line of text."))
    assert article.headline == "Just one line of text."
    assert article.body == "Just one line of text."


def test_empty_text_is_rejected() -> None:
    with pytest.raises(ParseError):
        parse_wire_copy(raw_text("  \n\n "))


def test_story_opening_with_dateline_has_no_headline() -> None:
    copy = read_wire_paragraphs(
        [
            "WASHINGTON (AP) — The Senate voted 52-48 on Thursday to confirm the nominee, "
            "ending a months-long fight over the post.",
            "The vote fell largely along party lines.",
        ]
    )
    assert copy.headline is None
    assert copy.paragraphs[0].startswith("The Senate voted")
    assert copy.wire_source == "Associated Press"


@pytest.mark.parametrize(
    ("paragraph", "dateline", "places", "source", "rest"),
    [
        (
            "HONG KONG/MOSCOW (Reuters) – Russian",
            "HONG KONG/MOSCOW",
            ("Hong Kong", "Moscow"),
            "Reuters",
            "Russian",
        ),
        ("WASHINGTON (AP) — The Senate", "WASHINGTON", ("Washington",), "AP", "The Senate"),
        ("KYIV, Ukraine (AP) — Russian", "KYIV, Ukraine", ("Kyiv, Ukraine",), "AP", "Russian"),
        ("NEW YORK, May 14 (Reuters) - Stocks", "NEW YORK", ("New York",), "Reuters", "Stocks"),
        ("Washington (CNN) — The", "Washington", ("Washington",), "CNN", "The"),
        ("LONDON — Britain's", "LONDON", ("London",), None, "Britain's"),
        ("(Bloomberg) -- Stocks rose", "", (), "Bloomberg", "Stocks rose"),
        ("RIO DE JANEIRO (Reuters) -- Brazil", "RIO DE JANEIRO", ("Rio de Janeiro",), "Reuters", "Brazil"),
    ],
)
def test_read_dateline_prefix(
    paragraph: str, dateline: str, places: tuple[str, ...], source: str | None, rest: str
) -> None:
    found = read_dateline_prefix(paragraph)
    assert found is not None
    line, remainder = found
    assert (line.text, line.places, line.source, remainder) == (dateline, places, source, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Senate voted on Thursday.",
        "NATO: allies agree on new spending target",
        "U.S. - China trade talks resume",
        "Mr. Smith (R) - a senator - said",
        "(Pictured) - The new bridge",
    ],
)
def test_story_text_is_not_a_dateline(paragraph: str) -> None:
    assert read_dateline_prefix(paragraph) is None


def test_read_dateline_line() -> None:
    found = read_dateline_line("MILWAUKEE , Wisconsin 1996-08-29")
    assert found is not None
    dateline, name, line = found
    assert dateline.text == "MILWAUKEE, Wisconsin"
    assert dateline.places == ("Milwaukee, Wisconsin",)
    assert dateline.date is not None and dateline.date.value.date().isoformat() == "1996-08-29"
    assert name is None and line == "MILWAUKEE , Wisconsin 1996-08-29"
    spaced = read_dateline_line("FARMINGTON HILLS , Mich . 1996-08-30")
    assert spaced is not None and spaced[0].places == ("Farmington Hills, Mich.",)
    assert read_dateline_line("Talks resume on 1996-08-29") is None
    assert read_dateline_line("LONDON") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "(Reporting By Greg Torode in Hong Kong and Guy Faulconbridge in Moscow; "
            "additional reporting by Chen Aizhu in Beijing; Editing by Alex Richardson)",
            [
                ("Greg Torode", "reporting", "Hong Kong"),
                ("Guy Faulconbridge", "reporting", "Moscow"),
                ("Chen Aizhu", "additional_reporting", "Beijing"),
                ("Alex Richardson", "editing", None),
            ],
        ),
        (
            "Reporting by Ana Lima; Writing by Joe Park; Editing by Kim Lee and Raj Patel",
            [
                ("Ana Lima", "reporting", None),
                ("Joe Park", "writing", None),
                ("Kim Lee", "editing", None),
                ("Raj Patel", "editing", None),
            ],
        ),
        (
            "(Reporting by Ana Lima and Joe Park in London; Editing by Kim Lee)",
            [
                ("Ana Lima", "reporting", "London"),
                ("Joe Park", "reporting", "London"),
                ("Kim Lee", "editing", None),
            ],
        ),
        (
            "(Reporting by Ana Lima in Port of Spain and Joe Park in Trinidad and Tobago)",
            [("Ana Lima", "reporting", "Port of Spain"), ("Joe Park", "reporting", "Trinidad and Tobago")],
        ),
        (
            "((Reporting by Ana Lima; ana.lima@example.com; +44 20 7542 1234))",
            [("Ana Lima", "reporting", None)],
        ),
        ("(Compiled by Gdansk Newsroom)", []),
        (
            "(Reporting by Warsaw Newsroom and Ana Lima; Editing by Kim Lee)",
            [("Ana Lima", "reporting", None), ("Kim Lee", "editing", None)],
        ),
        ("Compiled by Gdansk Newsroom", None),
        (
            "Graphics by Sam Wu. Editing by Ed Osmond",
            [("Sam Wu", "other", None), ("Ed Osmond", "editing", None)],
        ),
        (
            "Associated Press writer Dana Fox in New York contributed.",
            [("Dana Fox", "additional_reporting", "New York")],
        ),
        ("The money was spent by the council in the end.", None),
        ("Officials said the government contributed to this report.", None),
    ],
)
def test_read_credit_line(line: str, expected: list[tuple[str, str, str | None]] | None) -> None:
    found = read_credit_line(line)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert [(c.name, c.role, c.location) for c in found] == expected


def test_credit_line_at_the_end_of_the_last_paragraph() -> None:
    copy = read_wire_paragraphs(
        ["Headline here", "Prices rose on Tuesday. (Reporting by Ana Lima; Editing by Kim Lee)"]
    )
    assert copy.paragraphs == ("Prices rose on Tuesday.",)
    assert copy.contributors == (
        ContributorRecord("Ana Lima", "reporting"),
        ContributorRecord("Kim Lee", "editing"),
    )


def test_updated_time_without_date_takes_the_publication_day() -> None:
    copy = read_wire_paragraphs(
        ["Headline", "Published May 14, 2024 11:00 p.m. EDT", "Updated 11:45 p.m. EDT", "The story text."]
    )
    assert copy.published is not None and copy.published.value == datetime(2024, 5, 15, 3, 0, tzinfo=UTC)
    assert copy.updated is not None and copy.updated.value == datetime(2024, 5, 15, 3, 45, tzinfo=UTC)
    assert copy.paragraphs == ("The story text.",)


def test_reuters_boilerplate_is_not_body() -> None:
    copy = read_wire_paragraphs(
        [
            "Headline",
            "Story text.",
            "(Editing by Kim Lee)",
            "Our Standards: The Thomson Reuters Trust Principles.",
        ]
    )
    assert copy.paragraphs == ("Story text.",)
    assert [c.name for c in copy.contributors] == ["Kim Lee"]


def test_byline_and_dateline_after_a_standfirst() -> None:
    copy = read_wire_paragraphs(
        [
            "Central bank holds rates",
            "Policymakers signal cuts later in the year as inflation cools.",
            "By Ana Lima",
            "LONDON (Reuters) - The Bank of England held interest rates on Thursday.",
            "Markets had expected the decision.",
        ]
    )
    assert copy.headline == "Central bank holds rates"
    assert copy.paragraphs == (
        "Policymakers signal cuts later in the year as inflation cools.",
        "The Bank of England held interest rates on Thursday.",
        "Markets had expected the decision.",
    )
    assert [c.name for c in copy.contributors] == ["Ana Lima"]
    assert copy.dateline is not None and copy.dateline.places == ("London",)


def test_long_first_paragraph_is_story_not_headline() -> None:
    lead = (
        "The city council voted on Monday to close the old harbour bridge to cars for good, ending a "
        "decade of debate over the crumbling structure. Cyclists and pedestrians will keep using it, "
        "the council said, while a new crossing is built upstream. Work is due to start next spring "
        "and to last three years, officials said at a meeting that ran late into the night."
    )
    copy = read_wire_paragraphs([lead, "Shop owners near the bridge said they feared losing trade."])
    assert copy.headline is None
    assert copy.paragraphs[0] == lead


def test_scraped_page_furniture_around_the_byline() -> None:
    copy = read_wire_paragraphs(
        [
            "Oil rises as supply worries grow",
            "By Jane Doe",
            "3 minute read",
            "May 14, 2024 5:03 PM GMT+8",
            "Updated an hour ago",
            "LONDON, May 14 (Reuters) - Oil prices rose on Tuesday.",
            "Brent crude gained 1%.",
        ]
    )
    assert copy.paragraphs == ("Oil prices rose on Tuesday.", "Brent crude gained 1%.")
    assert copy.published is not None and copy.published.value == datetime(2024, 5, 14, 9, 3, tzinfo=UTC)
    assert [c.name for c in copy.contributors] == ["Jane Doe"]
    assert copy.wire_source == "Reuters"
