"""Lemmas on demand: the rule lemmatizer runs for the few tokens the quote rules ask about.

spaCy's lemmatizer looks up every token of every document, about 5% of the
model's time, while only reporting verbs and a speaker's head noun are ever
read. :func:`annotate_articles <etl.transform.nlp.annotate.annotate_articles>`
runs the pipeline without it and leaves the component on the document, and
:func:`lemma` asks it for one token. The answer is the lemma the component
would have stored: it keeps a lemma already set (the attribute ruler sets some)
and otherwise takes the first the lemmatizer gives, as its ``__call__`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

ON_DEMAND = "newsetl.lemmatizer"
"""``Doc.user_data`` key of the lemmatizer a document was parsed without."""


def deferred_lemmatizer(nlp: Language) -> Any:
    """The pipeline's rule lemmatizer when it can be left to :func:`lemma`, else None.

    Only a lemmatizer that keeps lemmas already set (``overwrite`` off) gives the same
    answer on demand as in the pipeline; other modes and settings run in the pipeline.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
        return None
    return lemmatizer


def index_as_sets(nlp: Language) -> None:
    """Hold the rule lemmatizer's word lists as sets: it asks each if it holds a candidate form.

    spaCy keeps them as lists (57,000 nouns), so every lemma not yet in its
    cache costs a scan of one; membership is all it asks of them, so a set
    gives the same lemmas.
    """
    lemmatizer = deferred_lemmatizer(nlp)
    if lemmatizer is None or "lemma_index" not in lemmatizer.lookups:
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for part_of_speech, words in list(index.items()):
        index[part_of_speech] = frozenset(words)


def defer_lemmas(doc: Doc, lemmatizer: Any) -> Doc:
    doc.user_data[ON_DEMAND] = lemmatizer
    return doc


def lemma(token: Token) -> str:
    """``token.lemma_``, computed now when the document was parsed without the lemmatizer."""
    if token.lemma:
        return token.lemma_
    lemmatizer = token.doc.user_data.get(ON_DEMAND)
    return lemmatizer.lemmatize(token)[0] if lemmatizer is not None else token.lemma_
