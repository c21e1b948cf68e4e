"""The faster attribute ruler matches and on-demand lemmas give spaCy's own annotations.

Each test parses text written for it with the model as shipped and with
newsetl's pipeline, and compares token by token: the speed-up must not change
one tag, morphology, dependency, entity or lemma.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.nlp

from etl.transform.nlp.annotate import annotate_articles  # noqa: E402
from etl.transform.nlp.attribute_matches import AttributeMatches  # noqa: E402
from etl.transform.nlp.lemmas import defer_lemmas, deferred_lemmatizer, lemma  # noqa: E402
from etl.transform.nlp.model import load_pipeline, load_stock_pipeline  # noqa: E402

# Contractions and clitics the ruler's two-token rules handle, pronouns in both cases,
# modals, "there is", determiners used as pronouns, runs of spaces and a line break.
TEXT = (
    "Y'all ain't gonna believe it, the harbour master said.  Let's wait, he told them; "
    "c'mon, nothin' moved.\n\nThere were three boats that left, and those that stayed "
    "got ta wait. I'd have gone myself, but she said it could not be done. "
    "Somebody asked if we'd seen anything. Hers was the only ship that had been "
    "repaired; they gets the engines back by Friday, said Mayor Ines Duarte of Porto Vale."
)


@pytest.fixture(scope="module")
def stock():
    return load_stock_pipeline()


@pytest.fixture(scope="module")
def ours():
    return load_pipeline()


def test_indexed_matches_equal_the_matchers_on_written_text(stock) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = stock(TEXT)
    expected = ruler.match(doc)
    assert AttributeMatches(ruler)(doc) == expected
    # The text reaches the two-token rules, not only the one-token tag table.
    assert any(end - start == 2 for _, _, start, end in expected)


def test_patterns_with_operators_stay_with_a_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], {"LEMMA": "big"}, index=-1)
    ruler.add([[{"LOWER": {"REGEX": "^harb"}}]], {"LEMMA": "harbour"})
    ruler.add([[{"IS_SPACE": True}]], {"LEMMA": "space"})
    ruler.add([[{"LOWER": {"NOT_IN": ["the", "a"]}, "IS_SPACE": False}]], {"NORM": "x"})
    doc = nlp.make_doc("The very very big harbour  and a Harbor")
    fast = AttributeMatches(ruler)
    assert len(fast._rest) == 1  # only the "OP" pattern went to the Matcher
    assert fast(doc) == ruler.match(doc)
    assert len(fast(doc)) > 3


def test_our_pipeline_annotates_as_the_model_as_shipped(stock, ours) -> None:
    assert isinstance(ours.get_pipe("attribute_ruler").match, AttributeMatches)
    lemmatizer = deferred_lemmatizer(ours)
    assert lemmatizer is not None
    expected = stock(TEXT)
    doc = defer_lemmas(next(iter(ours.pipe([TEXT], disable=["lemmatizer"]))), lemmatizer)
    seen = [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]
    assert seen == [
        (t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in expected
    ]
    assert [lemma(t) for t in doc] == [t.lemma_ for t in expected]
    index = lemmatizer.lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for words in index.values())
    # The lemmatizer did not run: lemmas come on demand (the ruler sets a few itself).
    assert sum(not t.lemma for t in doc) > len(doc) // 2


def test_quote_cues_read_lemmas_on_demand(ours) -> None:
    """A cue is known by its lemma ("says" -> "say"): it is found though the pipe skips the lemmatizer."""
    from etl.records import ArticleRecord

    body = (
        "\u201cWe will reopen the north dock on Monday,\u201d says harbour master Ines Duarte. "
        "The dock closed after the storm."
    )
    article = ArticleRecord(
        source_uri="t.txt", document_key="t.txt", content_sha256="0", body=body, paragraphs=((0, len(body)),)
    )
    (annotated,) = annotate_articles([article], ours)
    assert [(q.cue, q.speaker.name if q.speaker else None) for q in annotated.quotes] == [
        ("says", "Ines Duarte")
    ]
