"""What the entity passes share: one article's document, spans and the maps they build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from etl.records import ArticleRecord, EntityRecord
from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.tokens import Span, Tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(slots=True)
class State:
    """One article on its way through the passes; each pass reads and updates it in place."""

    doc: Doc
    """The parsed document (its ``ents`` are the model's spans)."""
    tokens: Tokens
    article: ArticleRecord
    lex: Lexicons
    spans: list[Span] = field(default_factory=list)
    """Candidate entities, in document order."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Key of an acronym or short form -> key of the organisation's full name."""
    person_parts: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    """First and last name tokens -> the full person names they are part of."""
    surnames: set[str] = field(default_factory=set)
    org_shorts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """First word of an organisation's name -> the name's tokens ("quillon" -> Quillon Freight Inc)."""
    sports: bool = False
    """Set by the sports pass: the article has results lines or result verbs between sides."""
    entities: tuple[EntityRecord, ...] = ()
    """The result, set by the last pass."""


Pass = Callable[[State], None]
"""A rule pass: reads the state, updates it in place."""
