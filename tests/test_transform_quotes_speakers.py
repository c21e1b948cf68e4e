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


def test_speaker_named_in_a_paragraph_ending_with_a_colon(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The inquiry heard from the harbour master on Friday.",
        "Said Captain Erik Solberg:",
        "“The warning lights had been broken for a month.”",
    )
    assert "Solberg" in (speaker_text(quotes, "warning lights") or "")


def test_a_new_source_described_in_a_run_of_quotes_is_not_the_previous_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Voters queued for hours outside the school in Dunmore.",
        "“I have never seen a line like this,” said Edith Crane, a retired teacher.",
        "Another voter was less impressed. “It is a shambles,” he said.",
    )
    speaker = find(quotes, "shambles").speaker
    assert speaker is not None and speaker.text == "he"
    assert speaker.name is None  # "he" is the other voter, whom the article does not name


def test_speaker_named_in_the_following_sentence(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Voters queued for hours outside the school in Dunmore.",
        "“I have never seen a line like this,” said Edith Crane, a retired teacher.",
        "“It is a shambles.” That was the verdict of another voter, a bus driver.",
        "“We will not back down.” Those words came from Ivar Lunde, the union leader.",
    )
    assert speaker_text(quotes, "shambles") == "another voter"
    assert speaker_name(quotes, "back down") == "Ivar Lunde"


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


def test_a_phrase_fragment_is_not_a_speaker(nlp) -> None:
    quotes = quotes_of(nlp, "“Nobody listened to us,” said a visibly angry Ivar Lunde after the meeting.")
    speaker = find(quotes, "Nobody listened").speaker
    assert speaker is not None and speaker.name == "Ivar Lunde"
    assert speaker.text != "a"


def test_nickname_in_quote_marks_is_part_of_the_name(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“The harbour will reopen by June,” said Councilwoman Patricia “Patty” Moreno.",
    )
    assert not any(q.text == "Patty" for q in quotes)
    assert "Moreno" in (speaker_text(quotes, "harbour will reopen") or "")


def test_short_spoken_quotes_are_kept_and_a_scare_quote_is_not(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The minister was asked whether taxes would rise.",
        "“Absolutely not.” That was the answer from Finance Minister Karl Vik.",
        "Karl Vik, finance minister: “No.”",
        "The so-called “green levy” has been debated for months.",
    )
    assert find(quotes, "Absolutely not").kind == "direct"
    assert "Karl Vik" in (speaker_text(quotes, "Absolutely not") or "")
    assert speaker_name(quotes, "No.") == "Karl Vik"
    assert not any("green levy" in q.text for q in quotes if q.kind == "direct")


@pytest.mark.parametrize(
    ("paragraph", "words", "speaker"),
    [
        # a manner-of-speaking verb tags a quote like "said"
        ("“The vote was rigged from the start,” Dorothy Quill fumed.", "rigged", "Dorothy Quill"),
        ("“Will the fund survive the winter?” Pia Holt pressed.", "fund survive", "Pia Holt"),
        # a phrasal speech verb
        ("“We will appeal the ruling,” Lise Dahl went on.", "appeal the ruling", "Lise Dahl"),
        # a colon after any verb: its subject is the source
        (
            "Governor Lars Eide resisted: “The state cannot suspend the law.”",
            "suspend the law",
            "Governor Lars Eide",
        ),
        # a passive cue speaks through its agent, not its subject (the addressee)
        ("Senator Ruth Vik was asked by host Tom Lund, “Will you run again?”", "run again", "Tom Lund"),
        # a document "saying" something speaks for whoever issued it
        (
            "Mayor Anna Lie released a statement saying, “We will not close the school.”",
            "close the school",
            "Lie",
        ),
        # the expletive of the clause a cue hangs off did not say anything
        (
            "Nina Berg said it was too early to celebrate but added, “We expect to win.”",
            "expect to win",
            "Nina Berg",
        ),
        # a person named by age is somebody, not a date
        ("“The plan will work,” said the 46-year-old.", "plan will work", "the 46-year-old"),
        # a pronoun is a whole noun phrase: the place before it is not part of the speaker
        ("Soon after the flood in Alta she tweeted, “Stay off the roads tonight.”", "Stay off", "she"),
    ],
)
def test_speaker_shapes(nlp, paragraph: str, words: str, speaker: str) -> None:
    quotes = quotes_of(nlp, "Residents gathered at the town hall on Monday evening.", paragraph)
    found = find(quotes, words).speaker
    assert found is not None
    assert found.text == speaker or speaker in (found.name or "")


def test_after_a_question_a_new_sentence_with_its_own_clause_is_not_the_tag(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“The tunnel is over budget,” Arne Dahl said. “Who pays for it?” "
        "Later, Councillor Berit Moen claimed that the figures were wrong.",
    )
    assert speaker_name(quotes, "Who pays") == "Arne Dahl"


@pytest.mark.parametrize(
    "paragraph",
    [
        "The timing of the vote did not surprise analyst Kari Holm: “Turnout always drops in winter.”",
        "Mayor Anna Lie spoke in Bergen, telling the crowd, “Turnout always drops in winter.”",
    ],
)
def test_what_is_not_the_speaker(nlp, paragraph: str) -> None:
    speaker = speaker_text(quotes_of(nlp, paragraph), "Turnout always")
    assert speaker is None or not speaker.lower().startswith(("the timing", "the crowd"))


@pytest.mark.parametrize("line", ["Ola Berg via Getty Images", "Ola Berg"])
def test_credit_lines_and_subheadings_are_not_round_up_sources(nlp, line: str) -> None:
    quotes = quotes_of(nlp, "The ferry strike entered its second week.", "“Nobody is talking to us.”", line)
    assert "Ola Berg" not in (speaker_text(quotes, "Nobody is talking") or "")


def test_round_up_item_names_its_source_after_a_dash_before_the_colon(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Here is what the analysts are saying this week.",
        "FERRY FARES SET TO RISE AGAIN IN SPRING - Harriet Olsen: “The operator has signalled a second "
        "increase before the summer timetable starts.”",
        "Pollsters were wrong again - Daniel Whitcombe: “The main thing we learned was plain: "
        "keep calling voters until the very last day.”",
    )
    assert speaker_text(quotes, "second increase") == "Harriet Olsen"
    assert speaker_text(quotes, "main thing we learned") == "Daniel Whitcombe"


def test_round_up_line_with_the_dash_glued_to_the_name(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Readers sent us their views.",
        '"The new timetable is a disaster for anyone working nights."',
        "-Margaret Ellery, Dunmore.",
        '"Great news for the town. The harbour finally has a future."',
        "-Mayor Tom Rudd, writing after the council vote.",
    )
    assert speaker_text(quotes, "working nights") == "Margaret Ellery"
    assert speaker_name(quotes, "finally has a future") == "Tom Rudd"


def test_inverted_past_tense_cue_before_a_colon_is_not_part_of_the_name(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Garrick spoke to the committee for an hour. “The old wharf has been neglected for a decade.”",
        "Continued Garrick: “Frankly the wharf is a serious worry. Nobody wants to pay for the repairs.”",
    )
    assert speaker_text(quotes, "serious worry") == "Garrick"


def test_a_paragraph_ending_in_a_colon_introduces_the_quote_below_from_its_last_sentence(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Councillor Ruth Amberley spoke for twenty minutes. “The engineers did a fine job,” Amberley said. "
        "She went on to say:",
        '"Nobody will remember the delays once the bridge is open. We will be proud of it."',
    )
    assert speaker_text(quotes, "bridge is open") == "She"
    assert speaker_name(quotes, "bridge is open") == "Councillor Ruth Amberley"
