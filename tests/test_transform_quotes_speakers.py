"""Speakers in the shapes that trip attribution up, on short articles written for these tests."""

from __future__ import annotations

import pytest

from tests.test_transform_quotes import find, nlp, quotes_of

pytestmark = pytest.mark.nlp

__all__ = ["nlp"]


def speaker_text(quotes, words: str) -> str | None:
    speaker = find(quotes, words).speaker
    return speaker.text if speaker else None


def speaker_name(quotes, words: str) -> str | None:
    speaker = find(quotes, words).speaker
    return speaker.name if speaker else None


def test_round_up_line_after_the_quote_names_the_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "We asked readers what the new bus timetable means for them.",
        "“I now wait forty minutes for a bus that used to come every ten.”",
        "— Olive Baxter, nurse",
        "“The evening service finally runs past midnight, which helps shift workers.”",
        "Martin Keane, The Harbour Gazette",
    )
    assert "Olive Baxter" in (speaker_text(quotes, "forty minutes") or "")
    assert "Martin Keane" in (speaker_text(quotes, "past midnight") or "")


def test_speaker_named_before_a_colon(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The hearing drew a crowd of residents from both villages.",
        "Retired engineer Walter Brandt: “Nobody asked us before they drew the map.”",
    )
    assert "Walter Brandt" in (speaker_text(quotes, "drew the map") or "")


def test_a_new_source_described_in_a_run_of_quotes_is_not_the_previous_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Voters queued for hours outside the school in Dunmore.",
        "“I have never seen a line like this,” said Edith Crane, a retired teacher.",
        "“It is worth the wait,” another voter added.",
    )
    assert speaker_name(quotes, "worth the wait") is None
    assert speaker_text(quotes, "worth the wait") == "another voter"


def test_pronoun_resolves_to_the_previous_speaker_not_the_last_name(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“The budget is balanced for the first time in years,” said Treasurer Nora Lindqvist, "
        "who presented it alongside Governor Paul Hendry.",
        "“We kept every promise we made,” she said.",
    )
    assert "Nora Lindqvist" in (speaker_name(quotes, "every promise") or "")


def test_a_document_is_not_resolved_to_a_person(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Commissioner Dana Royce ordered an audit of the port last year.",
        "“Controls over cargo fees were weak throughout the period,” the report said.",
    )
    speaker = find(quotes, "cargo fees").speaker
    assert speaker is not None and speaker.text == "the report"
    assert speaker.name is None


def test_an_adverbial_phrase_is_not_a_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Mayor Ines Ortega toured the flooded district on Monday.",
        "“We will rebuild every home,” Ortega said. Later in the afternoon, “we will need help,” she said.",
    )
    for quote in quotes:
        assert quote.speaker is None or not quote.speaker.text.lower().startswith("later")


def test_nickname_in_quote_marks_is_part_of_the_name(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“The harbour will reopen by June,” said Councilwoman Patricia “Patty” Moreno.",
    )
    assert not any(q.text == "Patty" for q in quotes)
    assert "Moreno" in (speaker_text(quotes, "harbour will reopen") or "")


def test_a_short_spoken_quote_is_kept_and_a_scare_quote_is_not(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Asked whether the plant would close, the manager was brief.",
        "“Absolutely not,” said Greta Olsen.",
        "The so-called “green levy” has been debated for months.",
    )
    assert find(quotes, "Absolutely not").kind == "direct"
    assert not any("green levy" in q.text for q in quotes if q.kind == "direct")
