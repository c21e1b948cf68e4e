"""Quotes and their speakers, on short articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.records import ArticleRecord, QuoteRecord
from etl.transform.nlp.entities.passes import extract_entities
from etl.transform.nlp.quotes.extract import extract_quotes
from etl.transform.text import join_paragraphs

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_bd8123d896ecf23b.txt"


@pytest.fixture(scope="module")
def nlp():
    from etl.transform.nlp.model import load_pipeline

    try:
        return load_pipeline()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"spaCy model not available: {exc}")


def quotes_of(nlp, *paragraphs: str) -> tuple[QuoteRecord, ...]:
    body, spans = join_paragraphs(list(paragraphs))
    article = ArticleRecord(
        source_uri="t.txt", document_key="t", content_sha256="x", body=body, paragraphs=spans
    )
    doc = nlp(body)
    quotes = extract_quotes(doc, article, extract_entities(doc, article))
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
    return quotes


def find(quotes: tuple[QuoteRecord, ...], words: str) -> QuoteRecord:
    matches = [q for q in quotes if words in q.text]
    assert matches, f"no quote with {words!r} in {[q.text for q in quotes]}"
    return matches[0]


def test_curly_quote_with_inverted_cue_and_description(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Ministers met in Oslo on Monday to discuss fishing quotas for the coming season.",
        "“We expect a hard bargain from both sides this year,” said Maria Jensen, "
        "a Copenhagen-based trade lawyer.",
    )
    quote = find(quotes, "hard bargain")
    assert quote.kind == "direct"
    assert quote.text == "We expect a hard bargain from both sides this year"
    assert quote.cue == "said"
    assert quote.speaker is not None
    assert quote.speaker.text == "Maria Jensen"
    assert quote.speaker.description == "a Copenhagen-based trade lawyer"
    assert not quote.speaker.anonymous
    assert quote.paragraph == 1


def test_straight_marks_and_subject_first_cue(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The mayor of Leeds defended the new bus lanes on Friday.",
        '"The lanes will cut journey times by a third," Mayor Tom Bradley said.',
    )
    quote = find(quotes, "journey times")
    assert quote.kind == "direct"
    assert quote.speaker is not None and "Bradley" in quote.speaker.text


def test_quote_broken_by_attribution_gives_two_passages_with_one_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Senator Helen Marsh spoke to reporters after the vote in Washington.",
        "“We did what we promised,” she said, “and we will keep doing it.”",
    )
    first, second = find(quotes, "promised"), find(quotes, "keep doing")
    assert first is not second
    assert first.kind == second.kind == "direct"
    for quote in (first, second):
        assert quote.speaker is not None
        assert quote.speaker.text == "she"
        assert quote.speaker.name == "Helen Marsh"


def test_multi_paragraph_quote_keeps_its_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Union leader Paul Okafor addressed the rally outside the factory gates.",
        "“We have waited three years for a fair offer,” Okafor said. “The company has had every chance.",
        "“Now it is time for the workers to decide.”",
    )
    opened = find(quotes, "every chance")
    continued = find(quotes, "time for the workers")
    assert opened.kind == continued.kind == "direct"
    assert continued.paragraph == 2
    assert continued.speaker is not None and continued.speaker.name == opened.speaker.name
    assert continued.speaker.text == "Okafor"


def test_uncued_paragraph_of_quote_belongs_to_previous_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“Prices will stay high until the spring,” said Ana Lima, an economist at Banco Central.",
        "“Households should not expect relief before then.”",
    )
    quote = find(quotes, "Households")
    assert quote.speaker is not None and quote.speaker.text == "Ana Lima"


def test_partial_quote_inside_reported_speech(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Secretary of State Laura Finch visited Ankara last week.",
        "Finch said the shipments were “fuelling a war that has no end in sight”.",
    )
    quote = find(quotes, "fuelling a war")
    assert quote.kind == "partial"
    assert quote.speaker is not None and quote.speaker.name == "Laura Finch"


def test_scare_quotes_and_titles_are_not_quotes_of_anybody(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The summit is expected to highlight the pair’s “no limits” partnership.",
        "On Sunday’s broadcast of “Meet the Press,” Governor Tim Walsh said the talks had stalled.",
    )
    assert not any("no limits" in q.text for q in quotes)
    assert not any(q.kind == "direct" and "Meet the Press" in q.text for q in quotes)


@pytest.mark.parametrize(
    "paragraph",
    [
        "“This one never closes, said nobody in particular.",
        "A stray ” closer and a stray “ opener in one line.",
        '"Unbalanced "straight" marks here.',
        "”",
        "“",
    ],
)
def test_unbalanced_marks_never_crash(nlp, paragraph: str) -> None:
    quotes = quotes_of(nlp, "The council met on Tuesday.", paragraph, "Nothing else happened.")
    assert all(q.end > q.start for q in quotes)


def test_organisation_speaks(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The foreign ministry confirmed the visit on Tuesday, saying the two leaders would discuss "
        "“regional issues of common concern”.",
    )
    quote = find(quotes, "regional issues")
    assert quote.speaker is not None
    assert quote.speaker.text.lower() == "the foreign ministry"
    assert not quote.speaker.anonymous


@pytest.mark.parametrize(
    ("paragraph", "speaker_text"),
    [
        ("“Nothing will change,” a senior official said on condition of anonymity.", "a senior official"),
        ("“The deal is dead,” sources said.", "sources"),
        ("“We were not consulted,” said a spokesperson who declined to be named.", "a spokesperson"),
    ],
)
def test_anonymous_speakers(nlp, paragraph: str, speaker_text: str) -> None:
    quotes = quotes_of(nlp, "Talks between the two governments broke down on Monday.", paragraph)
    assert len(quotes) == 1
    speaker = quotes[0].speaker
    assert speaker is not None
    assert speaker.text == speaker_text
    assert speaker.anonymous
    assert speaker.name is None


def test_named_speaker_is_not_anonymous(nlp) -> None:
    quotes = quotes_of(nlp, "“We will appeal,” said company spokesman Jonas Berg.")
    assert quotes[0].speaker is not None
    assert not quotes[0].speaker.anonymous


def test_according_to(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The factory will close in March, “with no prospect of reopening,” according to Peter Novak, "
        "the plant manager.",
    )
    quote = find(quotes, "no prospect")
    assert quote.speaker is not None and "Novak" in quote.speaker.text
    assert quote.cue == "according to"


@pytest.mark.parametrize(
    ("paragraph", "cue"),
    [
        ("“We will not sell,” Sarah Cole told Reuters.", "told"),
        ("“We will not sell,” Sarah Cole wrote in a statement.", "wrote"),
        ("“We will not sell,” Sarah Cole added.", "added"),
        ("Sarah Cole said: “We will not sell.”", "said"),
    ],
)
def test_cue_verbs(nlp, paragraph: str, cue: str) -> None:
    quotes = quotes_of(nlp, "The owners of the Harbour Hotel met bidders this week.", paragraph)
    quote = find(quotes, "We will not sell")
    assert quote.kind == "direct"
    assert quote.cue == cue
    assert quote.speaker is not None and quote.speaker.text == "Sarah Cole"


def test_quote_with_no_speaker_is_kept_with_none(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "“Enough is enough.”",
        "The slogan appeared on banners across the city on Saturday.",
    )
    quote = find(quotes, "Enough is enough")
    assert quote.kind == "direct"
    assert quote.speaker is None


def test_pronoun_resolves_to_recent_person(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Coach Daniel Reyes was asked about the injury list after training.",
        "“We have enough players to win on Sunday,” he told reporters.",
    )
    speaker = find(quotes, "enough players").speaker
    assert speaker is not None
    assert speaker.text == "he"
    assert speaker.name == "Daniel Reyes"
    assert speaker.entity_type == "PERSON"


def test_typewriter_quotes(nlp) -> None:
    quotes = quotes_of(nlp, "''It was a mistake,'' said Mr. Holt, the former treasurer.")
    quote = find(quotes, "It was a mistake")
    assert quote.text == "It was a mistake"
    assert quote.speaker is not None and "Holt" in quote.speaker.text


def test_transcript_labels_name_the_speaker(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Partial transcript as follows:",
        '"HOST: Will you run again?',
        '"SMITH: I have not decided yet."',
    )
    answer = find(quotes, "not decided")
    assert answer.text.startswith("I have not decided")
    assert answer.speaker is not None and answer.speaker.text == "SMITH"


def test_seed_article(nlp) -> None:
    from etl.extract.files import extract_documents
    from etl.transform.documents import parse_document

    (raw,) = list(extract_documents([SEED]))
    article = parse_document(raw)
    doc = nlp(article.body)
    quotes = extract_quotes(doc, article, extract_entities(doc, article))

    def speaker_of(words: str) -> tuple[str | None, str | None, bool]:
        speaker = find(quotes, words).speaker
        assert speaker is not None
        return speaker.text, speaker.name, speaker.anonymous

    assert find(quotes, "China is Russia’s strategic partner").kind == "direct"
    assert speaker_of("China is Russia’s strategic partner") == ("a Russian official", None, True)
    assert find(quotes, "powering Russia’s brutal war").kind == "partial"
    assert speaker_of("powering Russia’s brutal war")[1] == "Antony Blinken"
    assert speaker_of("I’m sure Putin would like")[1] == "Alexander Neill"
    assert speaker_of("What more China can do")[1] == "Alexander Neill"
    assert find(quotes, "I’m sure Putin").speaker.description == "a Singapore-based defence analyst"
    assert speaker_of("The very act of receiving Putin")[1] == "James Char"
    assert speaker_of("China needs to have Russia on its side")[1] == "James Char"
    assert speaker_of("international and regional issues")[0] == "The Chinese foreign ministry"
    assert speaker_of("resource appendage") == ("a senior Russian source", None, True)
    assert not any(q.kind == "direct" and "no limits" in q.text for q in quotes)


def test_indirect_speech(nlp) -> None:
    quotes = quotes_of(
        nlp, "The two leaders would exchange views on trade and security, the foreign ministry said."
    )
    quote = find(quotes, "exchange views")
    assert quote.kind == "indirect"
    assert quote.text == "The two leaders would exchange views on trade and security"
    assert quote.cue == "said"
    assert quote.speaker is not None and quote.speaker.text == "the foreign ministry"


def test_shared_surname_resolves_to_the_person_last_named(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Senator Tim Scott spoke first at the convention in Richmond.",
        "Later, Congressman Bobby Scott took the stage to loud applause.",
        "“This is our year,” Scott said.",
    )
    speaker = find(quotes, "our year").speaker
    assert speaker is not None and speaker.name == "Bobby Scott"


def test_he_skips_a_person_the_article_calls_she(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Ms. Anna Berg chaired the hearing. She opened it at nine.",
        "Mr. Tom Hale testified after Ms. Berg.",
        "“We never saw the report,” he said.",
    )
    speaker = find(quotes, "never saw").speaker
    assert speaker is not None and speaker.text == "he"
    assert speaker.name == "Tom Hale"


def test_inverted_cue_before_the_quote(nlp) -> None:
    quotes = quotes_of(nlp, "Critics were unconvinced. Said Ellis: “I don’t see any reform here.”")
    speaker = find(quotes, "any reform").speaker
    assert speaker is not None and speaker.text == "Ellis"


def test_quote_after_reported_speech_in_the_same_paragraph(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "The committee may wait until after the vote, Senator Ruth Adler said. "
        "“Nobody wants to be seen tipping the scales.”",
    )
    speaker = find(quotes, "tipping the scales").speaker
    assert speaker is not None and speaker.name == "Ruth Adler"


def test_quote_inside_a_that_clause_is_partial(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "Ruth Adler said that for most families, “the new tax is a burden they cannot carry.”",
    )
    assert find(quotes, "cannot carry").kind == "partial"


def test_a_lone_word_or_title_in_marks_is_not_a_quote(nlp) -> None:
    quotes = quotes_of(nlp, "“Marriage Story”", "Click the “link” below to read more about the festival.")
    assert quotes == ()


def test_spokesperson_for_a_named_person_is_still_anonymous(nlp) -> None:
    quotes = quotes_of(nlp, "“We have no comment,” said a spokeswoman for Hillary Clinton.")
    speaker = quotes[0].speaker
    assert speaker is not None and speaker.anonymous
    assert speaker.name is None


def test_the_president_resolves_to_the_person_with_that_title(nlp) -> None:
    quotes = quotes_of(
        nlp,
        "President Barack Obama met Vice President Joe Biden and Chancellor Angela Merkel at the White House.",
        "“We agreed on the next steps,” the president said.",
    )
    speaker = find(quotes, "next steps").speaker
    assert speaker is not None and speaker.text == "the president"
    assert speaker.name == "Barack Obama"
    assert speaker.entity_type == "PERSON"


@pytest.mark.parametrize(
    ("paragraph", "anonymous"),
    [
        ("“Attendance doubled this year,” its director said.", True),
        ("“Attendance doubled this year,” the ministry said.", False),
        ("“Attendance doubled this year,” the museum director said.", False),
        ("“Attendance doubled this year,” several curators said.", True),
    ],
)
def test_only_unnamed_people_are_anonymous(nlp, paragraph: str, anonymous: bool) -> None:
    quotes = quotes_of(nlp, "The maritime museum published its annual figures on Monday.", paragraph)
    speaker = find(quotes, "Attendance doubled").speaker
    assert speaker is not None
    assert speaker.anonymous is anonymous
