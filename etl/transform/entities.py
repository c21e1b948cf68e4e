"""Named entities of an article, grouped into one record per thing."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, cast

from etl.records import ArticleRecord, EntityRecord, EntityType, MentionRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
    "PRODUCT": "OTHER",
}
"""spaCy labels kept as entities; dates, numbers and money are not entities."""


def entity_key(name: str) -> str:
    """Normalise a name for matching across articles: case, accents, punctuation, "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def extract_entities(doc: Doc, article: ArticleRecord) -> tuple[EntityRecord, ...]:
    """Group the model's entity spans by normalised name and type."""
    groups: dict[tuple[str, EntityType], list[MentionRecord]] = {}
    names: dict[tuple[str, EntityType], str] = {}
    for ent in doc.ents:
        label = SPACY_TYPES.get(ent.label_)
        if label is None:
            continue
        key = (entity_key(ent.text), cast(EntityType, label))
        if not key[0]:
            continue
        groups.setdefault(key, []).append(
            MentionRecord(ent.start_char, ent.end_char, ent.text, article.paragraph_of(ent.start_char))
        )
        names.setdefault(key, ent.text)
    return tuple(
        EntityRecord(name=names[key], type=key[1], key=key[0], mentions=tuple(mentions))
        for key, mentions in groups.items()
    )
