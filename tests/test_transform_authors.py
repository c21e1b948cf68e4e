"""Bylines -> people and organisations."""

from __future__ import annotations

import pytest

from etl.records import ContributorRecord
from etl.transform.bylines import (
    Byline,
    canonical_agency,
    looks_like_person_name,
    normalize_person_name,
    parse_byline,
    split_byline,
)


@pytest.mark.parametrize(
    ("byline", "people", "organisations"),
    [
        ("By Jane Doe and John Roe, Reuters", ("Jane Doe", "John Roe"), ("Reuters",)),
        ("Jane Doe | Reuters", ("Jane Doe",), ("Reuters",)),
        ("Jane Doe, Washington Post", ("Jane Doe",), ("Washington Post",)),
        ("By Jane Doe, The New York Times", ("Jane Doe",), ("The New York Times",)),
        ("By Anne Bell, Bob Crane and Carl Dean", ("Anne Bell", "Bob Crane", "Carl Dean"), ()),
        ("BY ANNE BELL, BOB CRANE AND CARL DEAN", ("Anne Bell", "Bob Crane", "Carl Dean"), ()),
        ("JANE DOE", ("Jane Doe",), ()),
        ("By Mary McDonald", ("Mary McDonald",), ()),
        ("Ursula von der Leyen", ("Ursula von der Leyen",), ()),
        ("Jean-Luc O'Brien", ("Jean-Luc O'Brien",), ()),
        ("By J.K. Rowling & Neil Gaiman", ("J.K. Rowling", "Neil Gaiman"), ()),
        ("Martin Luther King, Jr.", ("Martin Luther King Jr.",), ()),
        ("Jane Doe, Senior Reporter", ("Jane Doe",), ()),
        ("Jane Doe | Contributor", ("Jane Doe",), ()),
        ("By Jane Doe | Updated May 14, 2024 5:03 PM EDT", ("Jane Doe",), ()),
        ("By Jane Doe May 14, 2024", ("Jane Doe",), ()),
        ("Jane Doe https://example.com/jane jane.doe@example.com @janedoe", ("Jane Doe",), ()),
        ("Jane Doe View profile", ("Jane Doe",), ()),
        ("By Jane Doe with John Roe", ("Jane Doe", "John Roe"), ()),
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe"), ()),
        ("Jane Doe and Jane Doe", ("Jane Doe",), ()),
        ("Written by: Jane Doe", ("Jane Doe",), ()),
        ("Author: Jane Doe", ("Jane Doe",), ()),
        ("By Thomson Reuters", (), ("Reuters",)),
        ("Reuters Staff", (), ("Reuters",)),
        ("By The Associated Press", (), ("Associated Press",)),
        ("AP", (), ("Associated Press",)),
        ("AFP", (), ("AFP",)),
        ("By Bloomberg News", (), ("Bloomberg",)),
        ("CNN Wire", (), ("CNN Wire",)),
        ("Jane Doe, AP", ("Jane Doe",), ("Associated Press",)),
        ("Staff", (), ()),
        ("Contributor", (), ()),
        ("View profile", (), ()),
        ("Updated May 14, 2024", (), ()),
        ("and", (), ()),
        ("https://example.com/authors/jane-doe", (), ()),
        ("@janedoe", (), ()),
        ("By the numbers: why the vote matters", (), ()),
        ("", (), ()),
    ],
)
def test_split_byline(byline: str, people: tuple[str, ...], organisations: tuple[str, ...]) -> None:
    assert split_byline(byline) == Byline(people, organisations)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("JANE DOE", "Jane Doe"),
        ("  jane   doe ", "Jane Doe"),
        ("By Jane Doe,", "Jane Doe"),
        ("MARY MCDONALD", "Mary McDonald"),
        ("Mary McDonald", "Mary McDonald"),
        ("URSULA VON DER LEYEN", "Ursula von der Leyen"),
        ("JEAN-LUC O'BRIEN", "Jean-Luc O'Brien"),
        ("JOHN SMITH III", "John Smith III"),
        ("Tomás García", "Tomás García"),
        ("d'Arcy Moses", "d'Arcy Moses"),
    ],
)
def test_normalize_person_name(name: str, expected: str) -> None:
    assert normalize_person_name(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", True),
        ("Ursula von der Leyen", True),
        ("J. Doe", True),
        ("Jane", False),
        ("Senior Reporter", False),
        ("Washington Post", False),
        ("Gdansk Newsroom", False),
        ("the numbers", False),
        ("Jane Doe 2024", False),
        ("One Two Three Four Five Six", False),
    ],
)
def test_looks_like_person_name(text: str, expected: bool) -> None:
    assert looks_like_person_name(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reuters", "Reuters"),
        ("Thomson Reuters", "Reuters"),
        ("REUTERS STAFF", "Reuters"),
        ("The Associated Press", "Associated Press"),
        ("AP", "Associated Press"),
        ("Agence France-Presse", "AFP"),
        ("Washington Post", None),
        ("Jane Doe", None),
    ],
)
def test_canonical_agency(text: str, expected: str | None) -> None:
    assert canonical_agency(text) == expected


def test_parse_byline_keeps_people_with_role() -> None:
    assert parse_byline("By Jane Doe and John Roe, Reuters", "writing") == [
        ContributorRecord("Jane Doe", "writing"),
        ContributorRecord("John Roe", "writing"),
    ]
    assert parse_byline("Reuters Staff") == []


@pytest.mark.parametrize(
    "prose",
    [
        "By the end of the day, it was over.",
        "By Tuesday, the storm had passed",
        "By then, Smith and Jones had left",
    ],
)
def test_prose_starting_with_by_names_nobody(prose: str) -> None:
    assert split_byline(prose) == Byline()


def test_first_names_that_are_also_words() -> None:
    assert split_byline("By Will Dunham and Said Ahmed").people == ("Will Dunham", "Said Ahmed")


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("A. Writer and B. Writer", ("A. Writer", "B. Writer")),
        ("Jane Doe, White House Correspondent", ("Jane Doe",)),
        ("Jane Doe, Chief Political Correspondent", ("Jane Doe",)),
        ("Jane Doe | Senior Editor, Business", ("Jane Doe",)),
    ],
)
def test_job_titles_and_initials(byline: str, people: tuple[str, ...]) -> None:
    assert split_byline(byline).people == people


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("松村太郎", ("松村太郎",)),
        ("By 後藤 大地", ("後藤 大地",)),
        ("Paul", ("Paul",)),
        ("By CNN", ()),
        ("Admin", ()),
        ("Reporter", ()),
        ("Paul, Washington", ()),
    ],
)
def test_caseless_scripts_and_single_names(byline: str, people: tuple[str, ...]) -> None:
    assert split_byline(byline).people == people


@pytest.mark.parametrize(
    ("byline", "people", "organisations"),
    [
        ("By JANE DOE Associated Press", ("Jane Doe",), ("Associated Press",)),
        ("By Jane Doe Reuters", ("Jane Doe",), ("Reuters",)),
        ("Jane Doe AP", ("Jane Doe",), ("Associated Press",)),
        ("By Jane Doe of The Associated Press", ("Jane Doe",), ("Associated Press",)),
        ("By Jane Doe for CNN Wire", ("Jane Doe",), ("CNN Wire",)),
        ("Jane Pa", ("Jane Pa",), ()),
    ],
)
def test_agency_written_after_the_name(
    byline: str, people: tuple[str, ...], organisations: tuple[str, ...]
) -> None:
    assert split_byline(byline) == Byline(people, organisations)
