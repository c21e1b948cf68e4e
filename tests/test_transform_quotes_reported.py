"""Reported speech (indirect attributions), on short articles written for these tests."""

from __future__ import annotations

import pytest

from etl.records import QuoteRecord
from tests.test_transform_quotes import nlp, quotes_of

pytestmark = pytest.mark.nlp

__all__ = ["nlp"]


def indirect(quotes: tuple[QuoteRecord, ...], words: str) -> QuoteRecord:
    matches = [q for q in quotes if q.kind == "indirect" and words in q.text]
    assert matches, f"no indirect quote with {words!r} in {[(q.kind, q.text) for q in quotes]}"
    return matches[0]


def test_according_to_attributes_the_rest_of_the_clause(nlp) -> None:
    for paragraph in (
        "Turnout fell sharply in the northern districts, according to the electoral commission.",
        "According to the electoral commission, turnout fell sharply in the northern districts.",
    ):
        quote = indirect(quotes_of(nlp, paragraph), "fell sharply")
        assert quote.text.lower() == "turnout fell sharply in the northern districts"
        assert quote.cue == "according to"
        assert quote.speaker is not None and quote.speaker.text == "the electoral commission"


def test_a_belief_is_attributed_to_who_holds_it(nlp) -> None:
    quotes = quotes_of(nlp, "Local farmers believe that the new dam will ruin the river.")
    quote = indirect(quotes, "dam")
    assert quote.text == "the new dam will ruin the river"
    assert quote.speaker is not None and quote.speaker.text == "Local farmers"


def test_a_finding_is_attributed_to_the_document(nlp) -> None:
    quotes = quotes_of(nlp, "A survey by the county showed that most residents oppose the new road.")
    quote = indirect(quotes, "residents")
    assert quote.speaker is not None and "survey" in quote.speaker.text


def test_a_pledge_is_attributed_through_its_to_clause(nlp) -> None:
    quotes = quotes_of(nlp, "Mayor Ruth Evans pledged to rebuild the flooded library by the spring.")
    quote = indirect(quotes, "rebuild")
    assert "the flooded library" in quote.text
    assert quote.speaker is not None and quote.speaker.name == "Ruth Evans"


def test_a_call_for_something_is_attributed(nlp) -> None:
    quotes = quotes_of(nlp, "The drivers’ union called for an independent inquiry into the crash.")
    quote = indirect(quotes, "inquiry")
    assert quote.text == "an independent inquiry into the crash"
    assert quote.speaker is not None and "union" in quote.speaker.text


def test_a_report_inside_a_report_is_its_own_attribution(nlp) -> None:
    quotes = quotes_of(
        nlp, "The minister said on Friday that engineers believe the old bridge is no longer safe."
    )
    outer = indirect(quotes, "engineers believe")
    inner = [q for q in quotes if q.kind == "indirect" and q.text.startswith("the old bridge")]
    assert outer.speaker is not None and outer.speaker.text == "The minister"
    assert inner and inner[0].speaker is not None and inner[0].speaker.text == "engineers"


def test_a_paraphrase_with_a_quoted_fragment_is_reported_whole(nlp) -> None:
    quotes = quotes_of(
        nlp, "Maria Lopez said the new rules were “a gift to polluters” and should be withdrawn."
    )
    assert sorted(q.kind for q in quotes) == ["indirect", "partial"]
    whole = indirect(quotes, "should be withdrawn")
    assert whole.speaker is not None and whole.speaker.name == "Maria Lopez"


@pytest.mark.parametrize(
    "paragraph",
    [
        "The storm continued to batter the coast for a third day.",
        "It seems that the ferry will not run this week.",
        "There are signs that the market will recover.",
    ],
)
def test_no_source_no_attribution(nlp, paragraph: str) -> None:
    assert not [q for q in quotes_of(nlp, paragraph) if q.kind == "indirect"]


def test_what_somebody_is_telling_is_not_reported_speech(nlp) -> None:
    # "telling the story" / "told reporters": the object of "tell" is a listener or a thing.
    quotes = quotes_of(
        nlp,
        "The mayor defended the budget.",
        "Voss spent the evening telling the story of the flood, and reminded the hall that "
        "“the pumps were paid for once, in 1974.”",
    )
    assert not [q for q in quotes if q.kind == "indirect" and "story of the flood" in q.text]
