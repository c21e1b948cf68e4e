"""Run spaCy over batches of articles and add their entities and quotes.

Documents go through ``nlp.pipe`` in bounded batches so memory stays flat; the
model itself is loaded once per process by :func:`etl.transform.nlp.model.load_pipeline`
(imported here too, for callers that take both from this module).

Two gates decide what the English model reads:

* **Language first.** Only English text goes through it: an article whose
  language is English ("en", "en-GB", ...) or unknown. Every article gets a
  language at transform (its declaration, else identification), so "unknown"
  is left to texts too short to identify, which in the dev sets are English
  wire copy; reading them costs little and drops nothing. Any other language
  keeps its metadata, contributors and body and gets no entities or quotes.
* **Length.** The model reads at most :data:`MAX_NLP_CHARS` of a body, cut at
  the last paragraph break before the limit, so no single document takes
  minutes: entities and quotes come from that first part (logged). Offsets
  stay offsets into the whole body.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from etl.records import ArticleRecord
from etl.transform.nlp.entities.headline import add_headline_mentions
from etl.transform.nlp.entities.passes import extract_entities
from etl.transform.nlp.gate import is_english
from etl.transform.nlp.lemmas import defer_lemmas, deferred_lemmatizer
from etl.transform.nlp.model import load_pipeline
from etl.transform.nlp.quotes.extract import extract_quotes

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["MAX_NLP_CHARS", "PIPE_BATCH_SIZE", "annotate_articles", "is_english", "load_pipeline"]

log = logging.getLogger(__name__)

PIPE_BATCH_SIZE = 64
"""Documents per ``nlp.pipe`` batch: spaCy's default of 256 can peak at 2.5 GB; 32 was ~4% slower."""

MAX_NLP_CHARS = 100_000
"""Characters of a body the model reads (a long novel chapter; news is rarely a tenth of it)."""


def nlp_text(body: str, limit: int = MAX_NLP_CHARS) -> str:
    """The part of ``body`` the model reads: all of it, or its paragraphs up to ``limit`` characters."""
    if len(body) <= limit:
        return body
    cut = body.rfind("\n", 0, limit)
    if cut <= limit // 2:
        cut = body.rfind(" ", 0, limit)
    return body[: cut if cut > 0 else limit]


def _clipped(article: ArticleRecord, length: int) -> ArticleRecord:
    """The article as the model read it: its body and paragraphs up to ``length``."""
    if length >= len(article.body):
        return article
    paragraphs = tuple((start, min(end, length)) for start, end in article.paragraphs if start < length)
    return replace(article, body=article.body[:length], paragraphs=paragraphs)


def annotate_articles(
    articles: Iterable[ArticleRecord],
    nlp: Language,
    batch_size: int = PIPE_BATCH_SIZE,
    max_chars: int = MAX_NLP_CHARS,
) -> Iterator[ArticleRecord]:
    """Add entities and quotes to each English article, streaming through ``nlp.pipe``.

    Articles come out in the order they went in. Articles not in English pass
    through without entities or quotes; a body over ``max_chars`` is read up
    to that point (see the module docstring).
    """
    # Articles that skip spaCy; each carries its position so it is yielded
    # before the next annotated article that came after it.
    skipped: deque[tuple[int, ArticleRecord]] = deque()
    limit = min(max_chars, nlp.max_length)

    def bodies() -> Iterator[tuple[str, tuple[int, ArticleRecord]]]:
        for position, article in enumerate(articles):
            if not is_english(article.language):
                log.debug(
                    "%s: language %s, not English; no entities or quotes",
                    article.source_uri,
                    article.language,
                )
                skipped.append((position, article))
                continue
            text = nlp_text(article.body, limit)
            if len(text) < len(article.body):
                log.info(
                    "%s: body of %d characters; entities and quotes from its first %d only",
                    article.source_uri,
                    len(article.body),
                    len(text),
                )
            yield text, (position, article)

    # Lemmas are computed for the tokens the quote rules read, not for every token.
    lemmatizer = deferred_lemmatizer(nlp)
    disable = ["lemmatizer"] if lemmatizer is not None else []
    for doc, (position, article) in nlp.pipe(
        bodies(), as_tuples=True, batch_size=batch_size, disable=disable
    ):
        while skipped and skipped[0][0] < position:
            yield skipped.popleft()[1]
        if lemmatizer is not None:
            defer_lemmas(doc, lemmatizer)
        read = _clipped(article, len(doc.text))
        entities = extract_entities(doc, read)
        quotes = extract_quotes(doc, read, entities)
        yield replace(article, entities=add_headline_mentions(article, entities), quotes=quotes)
    while skipped:
        yield skipped.popleft()[1]
