"""Frozen records passed between the stages: the seam of the pipeline.

Extract yields :class:`RawDocument` (or :class:`Rejection`), transform turns a
RawDocument into an :class:`ArticleRecord`, load writes ArticleRecords to the
database. Nothing here imports SQLAlchemy, bs4 or spaCy, so every record can be
pickled to a worker process or serialised to JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from etl.keys import person_key

DocumentFormat = Literal["text", "html", "record"]
"""How the payload of a RawDocument is to be read.

``text`` is a plain-text wire copy, ``html`` a web page, ``record`` a JSON
object whose fields (headline, body, html, author, ...) are in ``fields``.
"""

ContributorRole = Literal["author", "reporting", "additional_reporting", "editing", "writing", "other"]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER"]
QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as read from disk: decoded text plus where it came from.

    Attributes:
        source_uri: the input path as given (plus ``#N`` for record N of a
            multi-record file); what ``extract --json`` prints and what the
            eval scorer matches on.
        document_key: stable identity of the document: its URL when known,
            else the resolved path plus record index.
        text: the decoded payload (wire text, HTML, or the JSON record text).
        format: how ``text`` is to be parsed.
        content_sha256: hash of the payload bytes, for skipping unchanged
            documents before any parsing or NLP.
        encoding: the encoding the bytes were decoded with.
        record_index: position of the record in a multi-record file.
        url: the document's URL when the container knows it (JSON, WARC).
        fields: structured fields of a JSON record (``format == "record"``).
    """

    source_uri: str
    document_key: str
    text: str
    format: DocumentFormat
    content_sha256: str
    encoding: str = "utf-8"
    record_index: int | None = None
    url: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A document (or file) that could not be processed, and why.

    Rejections are recorded in ``rejected_documents``; they are never dropped.
    """

    source_uri: str
    reason: str
    stage: Literal["extract", "transform", "load"] = "extract"
    document_key: str | None = None
    content_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ContributorRecord:
    """A person credited on an article, with the role they played."""

    name: str
    role: ContributorRole
    location: str | None = None
    key: str = ""
    """Identity of the person across articles; computed from ``name`` when not given."""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", person_key(self.name))


MentionField = Literal["headline", "body"]
"""Which text a mention's offsets index."""


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """One occurrence of an entity: ``body[start:end] == text``, or the headline's when ``field`` says so."""

    start: int
    end: int
    text: str
    paragraph: int | None = None
    field: MentionField = "body"


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A named thing an article talks about, with every mention of it.

    ``name`` is the canonical (fullest) name used in the article; ``key`` is
    the normalised form that identifies the entity across articles.
    Places may carry an ISO country code and coordinates from the gazetteer.
    """

    name: str
    type: EntityType
    key: str
    mentions: tuple[MentionRecord, ...] = ()
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    """Who a quote is attributed to, as written and as resolved."""

    text: str
    name: str | None = None
    anonymous: bool = False
    description: str | None = None
    entity_type: EntityType | None = None


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A quoted passage in the body (offsets exclude the quote marks)."""

    text: str
    kind: QuoteKind
    start: int
    end: int
    speaker: SpeakerRecord | None = None
    cue: str | None = None
    paragraph: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """Everything transform learnt about one document.

    Datetimes are timezone-aware, in the offset the source wrote them in when
    the zone was known (the database stores them as UTC); when the source gave
    a wall-clock time without a zone, the value is tagged UTC and
    ``published_tz_known`` is False.
    """

    source_uri: str
    document_key: str
    content_sha256: str
    body: str
    headline: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    published_at_text: str | None = None
    published_tz_known: bool = False
    updated_at: datetime | None = None
    dateline: str | None = None
    dateline_places: tuple[str, ...] = ()
    language: str | None = None
    section: str | None = None
    publisher: str | None = None
    publisher_domain: str | None = None
    wire_source: str | None = None
    publisher_key: str | None = None
    """Identity of the publisher (``publishers.publisher_key``), set by transform."""
    wire_source_key: str | None = None
    contributors: tuple[ContributorRecord, ...] = ()
    paragraphs: tuple[tuple[int, int], ...] = ()
    entities: tuple[EntityRecord, ...] = ()
    quotes: tuple[QuoteRecord, ...] = ()

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def paragraph_of(self, offset: int) -> int | None:
        """Return the index of the paragraph that holds ``offset``."""
        for index, (start, end) in enumerate(self.paragraphs):
            if start <= offset < end:
                return index
        return None
