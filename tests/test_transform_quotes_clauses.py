"""Which clause's subject speaks: participles, colons, subordinate clauses (articles written for these tests)."""

from __future__ import annotations

import pytest

from tests.test_transform_quotes import find, nlp, quotes_of

pytestmark = pytest.mark.nlp

__all__ = ["nlp"]


def speaker_of(quotes, words: str) -> tuple[str | None, str | None]:
    speaker = find([q for q in quotes if q.kind != "indirect"], words).speaker
    return (speaker.text, speaker.name) if speaker else (None, None)


def test_a_participle_after_a_reported_clause_is_said_by_the_reporter(nlp) -> None:
    # The parser hangs "adding" on "run out", whose subject is the budget.
    quotes = quotes_of(
        nlp,
        "The council met on Tuesday to vote on the harbour plan.",
        "Councillor Ruth Amberley said the budget would run out by spring, adding, "
        "“We cannot keep borrowing against next year.”",
    )
    assert "Amberley" in (speaker_of(quotes, "keep borrowing")[0] or "")


def test_began_by_saying_is_said_by_the_subject(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Mayor Ellen Voss waited for the hall to fall silent.",
        "When the noise died down she began by saying, “Nobody in this room wanted the mill to close.”",
    )
    assert speaker_of(quotes, "mill to close") == ("she", "Ellen Voss")


def test_the_clause_before_a_colon_is_read_from_its_own_root(nlp) -> None:
    # The parser hangs "apologized" / "worded" under a verb inside the quote.
    quotes = quotes_of(
        nlp,
        "The pumping station failed again on Sunday.",
        'Wexley has since apologized for what happened: "Yes, I should have asked more questions. '
        'Not doing so was a mistake."',
        "The water board, in a letter to residents, worded it even more carefully: "
        '"The board\'s practice was to inspect every pump each spring, so most faults were caught."',
    )
    assert speaker_of(quotes, "more questions")[0] == "Wexley"
    assert speaker_of(quotes, "every pump")[0] == "The water board"


def test_a_colon_after_as_x_reported_names_the_reporter(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The ferry company answered its critics on Monday.",
        "As the Daily Ledger reported, even after the meeting the company was refusing to publish "
        "the timetable:",
        "“We will publish a timetable when the new boats arrive.”",
    )
    assert "Daily Ledger" in (speaker_of(quotes, "new boats")[0] or "")


def test_a_when_clause_only_sets_the_time(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Rivals traded blows at the debate.",
        "When Marsh suggested that the port should be sold, Fenwick fired back forcefully: “Over my dead body.”",
    )
    assert speaker_of(quotes, "dead body")[0] == "Fenwick"


def test_an_inverted_speaker_with_participle_modifiers(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The council met on Tuesday to vote on the harbour plan.",
        "“We have waited long enough for this decision,” said one well-connected Republican "
        "familiar with the plan.",
        "“The vote is a formality now,” said the printed notice on the town hall door.",
    )
    text, name = speaker_of(quotes, "long enough")
    assert "well-connected Republican" in (text or "")
    assert name is None  # a person described by party, not the party
    assert "printed notice" in (speaker_of(quotes, "formality")[0] or "")


def test_an_appositive_name_before_the_cue_verb_speaks(nlp) -> None:
    # The parser leaves "said" without a subject: the name between commas is it.
    quotes = quotes_of(
        nlp,
        "The governor has said little about the merger.",
        "In an email to the Courier, his deputy press secretary, Aaron Pike, said: “Governor Lund thinks "
        "the two counties must share one police force, and that the force works best when both pay for it.”",
    )
    assert speaker_of(quotes, "police force") == ("Aaron Pike", "Aaron Pike")


def test_a_participle_leading_into_the_quote_is_said_by_the_clause_subject(nlp) -> None:
    # The parser hangs "telling" on a verb inside the quote.
    quotes = quotes_of(
        nlp,
        "Sheriff Dana Holt spoke at the county fair on Saturday.",
        "Holt seemed to be ready to joke about the fireworks in Dunmore, telling the crowd, "
        "“Some people get a bit carried away, have you noticed?”",
    )
    assert speaker_of(quotes, "carried away") == ("Holt", "Dana Holt")


def test_a_document_someone_put_out_speaks_for_them(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The race tightened in the last week.",
        "Her campaign quickly sent out an email to volunteers stating, "
        "“Every door you knock on this weekend could decide the county.”",
        "In selling the courses, Mayor Kline released a promotional video that said, "
        '"We are going to have teachers who are absolutely terrific, handpicked by me."',
    )
    assert speaker_of(quotes, "Every door")[0] == "Her campaign"
    assert speaker_of(quotes, "handpicked by me") == ("Mayor Kline", "Kline")


def test_a_reporting_verb_tagged_as_a_noun_after_the_quote(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The Courier turned on the council this week.",
        "“If the council wants to be trusted, it should publish its minutes, and do it now,” the editorial read.",
    )
    assert speaker_of(quotes, "publish its minutes")[0] == "the editorial"


def test_quoted_as_saying(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The pollster Lina Ferro says her firm calls fewer voters than its rivals.",
        "“Our method works because we only call people who have voted before,” Ferro is quoted as saying.",
    )
    assert speaker_of(quotes, "voted before") == ("Ferro", "Lina Ferro")


def test_an_abbreviation_before_a_quote_ends_the_sentence(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The mayor's allies rallied behind the plan.",
        '"We will not let this town fall apart," said Councillor Jo Ames, R-Dunmore, in an interview on '
        'Sunday in Harbourside, Del. "The plan is the only way to keep the mill open."',
    )
    quote = find(quotes, "keep the mill open")
    assert quote.kind == "direct"
    assert quote.speaker is not None and quote.speaker.text == "Councillor Jo Ames"


def test_a_quote_opened_after_said_comma_is_direct_though_the_sentence_runs_on(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The sheriff was asked about the fire.",
        "Sheriff Dana Holt said, “I have not seen that particular report” from the fire marshal, "
        "and promised an inquiry.",
    )
    quote = next(q for q in quotes if q.kind != "indirect" and "particular report" in q.text)
    assert quote.kind == "direct"


def test_as_x_put_it_and_in_x_words_name_the_source(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The feud between the councillors grew.",
        "As the Courier put it, “Nobody in Dunmore has seen a budget meeting this bitter.”",
        "The port was chosen for the summit because, in the Ledger’s words, “it is the most inventive place "
        "on the coast with more start-ups per head than any city.”",
    )
    assert "Courier" in (speaker_of(quotes, "this bitter")[0] or "")
    assert "Ledger" in (speaker_of(quotes, "most inventive")[0] or "")
