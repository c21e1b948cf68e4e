"""The schema as typed SQLAlchemy models. Alembic migrations own the DDL.

Natural keys make loads idempotent: articles by ``document_key_sha256``,
sources and contributors by normalised name, entities by ``(key, type)``.
Long text is never indexed directly (MySQL limits key length): a SHA-256
column carries the unique key instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from etl.db.base import Base
from etl.db.types import double, key_string, long_text

URL_LENGTH = 2048


class Source(Base):
    """A publisher or wire service (Reuters, AP, The New York Times)."""

    __tablename__ = "sources"
    __table_args__ = {
        "comment": "Publishers and wire services (Reuters, AP, The New York Times), one row per normalised name."
    }

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(comment='Name as first seen ("Reuters").')
    name_key: Mapped[str] = mapped_column(
        key_string(), unique=True, comment="Normalised name or domain that identifies the source; unique."
    )
    domain: Mapped[str | None] = mapped_column(
        comment='Web domain of the publisher when known ("reuters.com").'
    )
    created_at: Mapped[datetime] = mapped_column(comment="When the source was first loaded (UTC).")

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, name={self.name!r})"


class Article(Base):
    """One document, identified by its URL or, without one, path and record index."""

    __tablename__ = "articles"
    __table_args__ = {"comment": "One row per document: metadata, body and where it came from."}

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    document_key: Mapped[str] = mapped_column(
        String(URL_LENGTH),
        comment="Document identity: its URL when known, else absolute path (plus record number in a JSON/JSONL file).",
    )
    document_key_sha256: Mapped[str] = mapped_column(
        key_string(64),
        unique=True,
        comment="SHA-256 of document_key; unique (long keys cannot be indexed on MySQL).",
    )
    source_uri: Mapped[str] = mapped_column(
        String(URL_LENGTH), comment="File (and record) the document was read from."
    )
    url: Mapped[str | None] = mapped_column(
        String(URL_LENGTH), comment="Canonical URL of the article when known."
    )
    content_sha256: Mapped[str] = mapped_column(
        String(64), comment="SHA-256 of the raw input; an unchanged document is skipped on re-runs."
    )
    pipeline_version: Mapped[str] = mapped_column(
        String(32), comment="newsetl pipeline version that produced this row."
    )
    headline: Mapped[str | None] = mapped_column(String(1000), comment="Headline.")
    published_at: Mapped[datetime | None] = mapped_column(
        index=True,
        comment="Publication time in UTC (wall-clock time as if UTC when published_tz_known is false).",
    )
    published_at_text: Mapped[str | None] = mapped_column(
        comment="Publication date as written in the source."
    )
    published_tz_known: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="True when the source gave a time zone for published_at."
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        comment="Time of the latest update stated by the source (UTC)."
    )
    dateline: Mapped[str | None] = mapped_column(
        comment='Dateline as written ("HONG KONG/MOSCOW (Reuters)").'
    )
    language: Mapped[str | None] = mapped_column(String(16), comment='Language code of the body ("en").')
    section: Mapped[str | None] = mapped_column(comment='Section or desk stated by the source ("World").')
    body: Mapped[str] = mapped_column(
        long_text(), comment="Clean article text; mention and quote offsets index into it."
    )
    word_count: Mapped[int] = mapped_column(Integer, comment="Words in the body.")
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"),
        index=True,
        comment="Publisher (sources.id).",
    )
    wire_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"),
        index=True,
        comment="Wire service the story came from (sources.id), e.g. Reuters in a partner's copy.",
    )
    first_loaded_at: Mapped[datetime] = mapped_column(comment="When the document was first loaded (UTC).")
    last_loaded_at: Mapped[datetime] = mapped_column(
        comment="When the document was last loaded or reprocessed (UTC)."
    )

    publisher: Mapped[Source | None] = relationship(foreign_keys=[publisher_id])
    wire_source: Mapped[Source | None] = relationship(foreign_keys=[wire_source_id])
    contributors: Mapped[list[ArticleContributor]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, headline={self.headline!r})"


class DatelinePlace(Base):
    """A place named in an article's dateline ("HONG KONG/MOSCOW (Reuters)")."""

    __tablename__ = "dateline_places"
    __table_args__ = {"comment": "Places named in an article's dateline, in order."}

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, comment="Article (articles.id)."
    )
    position: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False, comment="Order in the dateline, from 0."
    )
    name: Mapped[str] = mapped_column(comment='Place name as written ("HONG KONG").')


class Contributor(Base):
    """A person credited on articles, one row per normalised name."""

    __tablename__ = "contributors"
    __table_args__ = {"comment": "People credited on articles, one row per normalised name."}

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(comment="Name as first seen.")
    name_key: Mapped[str] = mapped_column(
        key_string(), unique=True, comment="Normalised name that identifies the person; unique."
    )
    created_at: Mapped[datetime] = mapped_column(comment="When the contributor was first loaded (UTC).")

    def __repr__(self) -> str:
        return f"Contributor(id={self.id!r}, name={self.name!r})"


class ArticleContributor(Base):
    """Who did what on an article: author, reporting (from where), editing, ..."""

    __tablename__ = "article_contributors"
    __table_args__ = {
        "comment": "Credits: who did what on an article (author, reporting from where, editing)."
    }

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, comment="Article (articles.id)."
    )
    position: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False, comment="Order of the credit in the article, from 0."
    )
    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributors.id", ondelete="CASCADE"),
        index=True,
        comment="Contributor (contributors.id).",
    )
    role: Mapped[str] = mapped_column(
        String(32), comment="author, reporting, additional_reporting, editing, writing or other."
    )
    location: Mapped[str | None] = mapped_column(
        comment='Where the contributor reported from ("Hong Kong"), when stated.'
    )

    article: Mapped[Article] = relationship(back_populates="contributors")
    contributor: Mapped[Contributor] = relationship()


class Entity(Base):
    """A person, organisation or place, one row per thing across the corpus."""

    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("key", "type"),
        {"comment": "People, organisations and places, one row per thing across the corpus."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(index=True, comment='Canonical (fullest) name ("Vladimir Putin").')
    type: Mapped[str] = mapped_column(
        key_string(16), index=True, comment="PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or OTHER."
    )
    key: Mapped[str] = mapped_column(key_string(), comment="Normalised name; unique together with type.")
    country_code: Mapped[str | None] = mapped_column(
        String(2), comment="ISO 3166-1 alpha-2 country code of a place."
    )
    latitude: Mapped[float | None] = mapped_column(double(), comment="Latitude of a place (WGS 84 degrees).")
    longitude: Mapped[float | None] = mapped_column(
        double(), comment="Longitude of a place (WGS 84 degrees)."
    )
    created_at: Mapped[datetime] = mapped_column(comment="When the entity was first loaded (UTC).")
    article_count: Mapped[int | None] = mapped_column(
        Integer, comment="Articles that mention the entity (set by entity resolution)."
    )
    mention_count: Mapped[int | None] = mapped_column(
        Integer, comment="Mentions of the entity in all articles (set by entity resolution)."
    )

    def __repr__(self) -> str:
        return f"Entity(id={self.id!r}, name={self.name!r}, type={self.type!r})"


class EntityAlias(Base):
    """A surface form seen for an entity ("Putin", "Vladimir Putin")."""

    __tablename__ = "entity_aliases"
    __table_args__ = (
        UniqueConstraint("entity_id", "alias"),
        {"comment": 'Surface forms seen for an entity ("Putin", "Vladimir Putin").'},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), comment="Entity (entities.id)."
    )
    alias: Mapped[str] = mapped_column(key_string(), comment="Form of the name as written in an article.")
    article_count: Mapped[int | None] = mapped_column(
        Integer, comment="Articles that write the entity this way (set by entity resolution)."
    )
    mention_count: Mapped[int | None] = mapped_column(
        Integer, comment="Mentions written this way (set by entity resolution)."
    )


class ArticleEntity(Base):
    """What transform said about one entity of one article, and the corpus entity it resolved to."""

    __tablename__ = "article_entities"
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        Index("ix_article_entities_key_type", "key", "type"),
        {
            "comment": "Each article's own entities (name, key and type as the article gives them) "
            "and the corpus entity each one resolved to."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), comment="Article (articles.id)."
    )
    position: Mapped[int] = mapped_column(Integer, comment="Order of the entity in the article, from 0.")
    name: Mapped[str] = mapped_column(comment="Fullest name the article uses for it.")
    key: Mapped[str] = mapped_column(comment="Normalised name from transform.")
    type: Mapped[str] = mapped_column(String(16), comment="Type the article's mentions were given.")
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions of it in the article.")
    product_cues: Mapped[int] = mapped_column(
        Integer, comment='Mentions read as a product or platform ("on X", "X users").'
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"),
        index=True,
        comment="Corpus entity it resolved to (entities.id).",
    )


class Mention(Base):
    """One occurrence of an entity in an article body (character offsets)."""

    __tablename__ = "mentions"
    __table_args__ = (
        Index("ix_mentions_entity_id_article_id", "entity_id", "article_id"),
        {"comment": "Every occurrence of an entity in an article body."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="Article (articles.id)."
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), comment="Entity mentioned (entities.id)."
    )
    article_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_entities.id", ondelete="CASCADE"),
        index=True,
        comment="The article's own entity this mention belongs to (article_entities.id).",
    )
    start_offset: Mapped[int] = mapped_column(Integer, comment="Start character offset into articles.body.")
    end_offset: Mapped[int] = mapped_column(
        Integer, comment="End character offset into articles.body (exclusive)."
    )
    text: Mapped[str] = mapped_column(comment="The mention as written.")
    paragraph: Mapped[int | None] = mapped_column(Integer, comment="Paragraph number in the body, from 0.")
    field: Mapped[str] = mapped_column(
        String(8),
        server_default="body",
        comment="Which text the offsets index: 'headline' (articles.headline) or 'body' (articles.body).",
    )


class Quote(Base):
    """A quoted passage with its speaker as written and as resolved."""

    __tablename__ = "quotes"
    __table_args__ = {"comment": "Quoted passages with who said them, as written and as resolved."}

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="Article (articles.id)."
    )
    position: Mapped[int] = mapped_column(Integer, comment="Order of the quote in the article, from 0.")
    text: Mapped[str] = mapped_column(long_text(), comment="The quoted words (without quote marks).")
    kind: Mapped[str] = mapped_column(String(16), comment="direct, partial or indirect.")
    start_offset: Mapped[int] = mapped_column(Integer, comment="Start character offset into articles.body.")
    end_offset: Mapped[int] = mapped_column(
        Integer, comment="End character offset into articles.body (exclusive)."
    )
    paragraph: Mapped[int | None] = mapped_column(Integer, comment="Paragraph number in the body, from 0.")
    speaker_text: Mapped[str | None] = mapped_column(
        comment='Speaker as written ("a senior Russian official").'
    )
    speaker_name: Mapped[str | None] = mapped_column(
        index=True, comment='Speaker\'s name when named ("Alexander Neill").'
    )
    speaker_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"),
        index=True,
        comment="Speaker resolved to an entity (entities.id), when found.",
    )
    speaker_anonymous: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="True when the speaker is unnamed (an official, a source)."
    )
    speaker_description: Mapped[str | None] = mapped_column(
        String(1000), comment='How the speaker is described ("a Singapore-based defence analyst").'
    )
    cue: Mapped[str | None] = mapped_column(
        String(64), comment='Reporting verb that attributes the quote ("said").'
    )


class EtlRun(Base):
    """One invocation of ``newsetl run``: arguments, counts, outcome."""

    __tablename__ = "etl_runs"
    __table_args__ = {"comment": "Every newsetl run: arguments, counts and outcome."}

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    started_at: Mapped[datetime] = mapped_column(comment="When the run started (UTC).")
    finished_at: Mapped[datetime | None] = mapped_column(
        comment="When the run ended (UTC); null while running."
    )
    status: Mapped[str] = mapped_column(String(16), comment="running, succeeded or failed.")
    arguments: Mapped[str] = mapped_column(long_text(), comment="Settings of the run as JSON.")
    pipeline_version: Mapped[str] = mapped_column(String(32), comment="newsetl pipeline version of the run.")
    documents_seen: Mapped[int] = mapped_column(Integer, default=0, comment="Documents read.")
    documents_new: Mapped[int] = mapped_column(
        Integer, default=0, comment="Documents loaded for the first time."
    )
    documents_updated: Mapped[int] = mapped_column(
        Integer, default=0, comment="Documents whose content or pipeline version changed."
    )
    documents_unchanged: Mapped[int] = mapped_column(
        Integer, default=0, comment="Documents skipped as unchanged."
    )
    documents_rejected: Mapped[int] = mapped_column(
        Integer, default=0, comment="Documents rejected (see rejected_documents)."
    )
    error: Mapped[str | None] = mapped_column(long_text(), comment="Error that failed the run.")


class RejectedDocument(Base):
    """A document that could not be processed in a run, and why."""

    __tablename__ = "rejected_documents"
    __table_args__ = {"comment": "Documents a run could not process, and why."}

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    run_id: Mapped[int] = mapped_column(
        ForeignKey("etl_runs.id", ondelete="CASCADE"), index=True, comment="Run (etl_runs.id)."
    )
    source_uri: Mapped[str] = mapped_column(
        String(URL_LENGTH), comment="File (and record) that was rejected."
    )
    stage: Mapped[str] = mapped_column(
        String(16), comment="Stage that rejected it: extract, transform or load."
    )
    reason: Mapped[str] = mapped_column(long_text(), comment="Why, in words.")
    content_sha256: Mapped[str | None] = mapped_column(
        String(64), comment="SHA-256 of the raw input, when it could be read."
    )
    created_at: Mapped[datetime] = mapped_column(comment="When it was rejected (UTC).")


class PendingResolution(Base):
    """A committed batch that changed articles since the last corpus entity resolution."""

    __tablename__ = "pending_resolutions"
    __table_args__ = {
        "comment": "Batches that changed articles since the last entity resolution (emptied by it)."
    }

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    articles: Mapped[int] = mapped_column(Integer, comment="Articles the batch wrote (new or changed).")
    created_at: Mapped[datetime] = mapped_column(comment="When the batch was loaded (UTC).")


class FileStamp(Base):
    """An input file a successful run read whole: re-runs skip it unopened while it is unchanged.

    Written provisionally (``pending_run_id`` set) as the run's batches commit,
    confirmed when the run succeeds.
    """

    __tablename__ = "file_stamps"
    __table_args__ = {
        "comment": "Input files a successful run read whole; an unchanged one is not opened again."
    }

    path_sha256: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="SHA-256 of path (long paths cannot be indexed on MySQL)."
    )
    path: Mapped[str] = mapped_column(String(URL_LENGTH), comment="Absolute path of the file, as discovered.")
    size: Mapped[int] = mapped_column(BigInteger, comment="Size in bytes when it was read.")
    mtime_ns: Mapped[int] = mapped_column(BigInteger, comment="Modification time (ns) when it was read.")
    pipeline_version: Mapped[str] = mapped_column(
        String(32), comment="Version its documents were processed with (as articles.pipeline_version)."
    )
    documents: Mapped[int] = mapped_column(Integer, comment="Documents it held (all loaded).")
    stamped_at: Mapped[datetime] = mapped_column(comment="When the run that read it succeeded (UTC).")
    pending_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("etl_runs.id", ondelete="CASCADE"),
        index=True,
        comment="Run (etl_runs.id) that wrote it and has not succeeded yet; NULL once it has (only then used).",
    )
