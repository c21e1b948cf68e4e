"""Run spaCy over batches of articles and add their entities and quotes.

Documents go through ``nlp.pipe`` in bounded batches so memory stays flat; the
model itself is loaded once per process by :func:`etl.transform.nlp.model.load_pipeline`
(imported here too, for callers that take both from this module).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from etl.records import ArticleRecord
from etl.transform.nlp.entities.passes import extract_entities
from etl.transform.nlp.model import load_pipeline
from etl.transform.nlp.quotes.extract import extract_quotes

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["PIPE_BATCH_SIZE", "annotate_articles", "load_pipeline"]

log = logging.getLogger(__name__)

PIPE_BATCH_SIZE = 32
"""Documents per ``nlp.pipe`` batch: spaCy's default of 256 can peak at 2.5 GB."""


def annotate_articles(
    articles: Iterable[ArticleRecord], nlp: Language, batch_size: int = PIPE_BATCH_SIZE
) -> Iterator[ArticleRecord]:
    """Add entities and quotes to each article, streaming through ``nlp.pipe``.

    Articles come out in the order they went in. A body longer than the
    model's ``max_length`` is passed through without entities or quotes (and
    logged) rather than stopping the batch.
    """
    # Over-long articles skip spaCy; each carries its position so it is
    # yielded before the next annotated article that came after it.
    too_long: deque[tuple[int, ArticleRecord]] = deque()

    def bodies() -> Iterator[tuple[str, tuple[int, ArticleRecord]]]:
        for position, article in enumerate(articles):
            if len(article.body) > nlp.max_length:
                log.warning(
                    "%s: body of %d characters is over spaCy's limit; no entities or quotes",
                    article.source_uri,
                    len(article.body),
                )
                too_long.append((position, article))
                continue
            yield article.body, (position, article)

    for doc, (position, article) in nlp.pipe(bodies(), as_tuples=True, batch_size=batch_size):
        while too_long and too_long[0][0] < position:
            yield too_long.popleft()[1]
        entities = extract_entities(doc, article)
        quotes = extract_quotes(doc, article, entities)
        yield replace(article, entities=entities, quotes=quotes)
    while too_long:
        yield too_long.popleft()[1]
