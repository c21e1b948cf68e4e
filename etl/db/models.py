"""The schema as typed SQLAlchemy models. Alembic migrations own the DDL.

Natural keys make loads idempotent: articles by ``document_key_sha256``,
sources and contributors by normalised name, entities by ``(key, type)``.
Long text is never indexed directly (MySQL limits key length): a SHA-256
column carries the unique key instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from etl.db.base import Base

URL_LENGTH = 2048


class Source(Base):
    """A publisher or wire service (Reuters, AP, The New York Times)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(unique=True)
    domain: Mapped[str | None]
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, name={self.name!r})"


class Article(Base):
    """One document, identified by its URL or, without one, path and record index."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(String(URL_LENGTH))
    document_key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_uri: Mapped[str] = mapped_column(String(URL_LENGTH))
    url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    content_sha256: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    headline: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_at_text: Mapped[str | None]
    published_tz_known: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None]
    dateline: Mapped[str | None]
    language: Mapped[str | None] = mapped_column(String(16))
    section: Mapped[str | None]
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    wire_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    first_loaded_at: Mapped[datetime]
    last_loaded_at: Mapped[datetime]

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

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str]


class Contributor(Base):
    """A person credited on articles, one row per normalised name."""

    __tablename__ = "contributors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(unique=True)
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"Contributor(id={self.id!r}, name={self.name!r})"


class ArticleContributor(Base):
    """Who did what on an article: author, reporting (from where), editing, ..."""

    __tablename__ = "article_contributors"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributors.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    location: Mapped[str | None]

    article: Mapped[Article] = relationship(back_populates="contributors")
    contributor: Mapped[Contributor] = relationship()


class Entity(Base):
    """A person, organisation or place, one row per thing across the corpus."""

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("key", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    type: Mapped[str] = mapped_column(String(16))
    key: Mapped[str]
    country_code: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"Entity(id={self.id!r}, name={self.name!r}, type={self.type!r})"


class EntityAlias(Base):
    """A surface form seen for an entity ("Putin", "Vladimir Putin")."""

    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str]


class Mention(Base):
    """One occurrence of an entity in an article body (character offsets)."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_entity_id_article_id", "entity_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str]
    paragraph: Mapped[int | None] = mapped_column(Integer)


class Quote(Base):
    """A quoted passage with its speaker as written and as resolved."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    speaker_text: Mapped[str | None]
    speaker_name: Mapped[str | None]
    speaker_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    speaker_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker_description: Mapped[str | None] = mapped_column(String(1000))
    cue: Mapped[str | None] = mapped_column(String(64))


class EtlRun(Base):
    """One invocation of ``newsetl run``: arguments, counts, outcome."""

    __tablename__ = "etl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    arguments: Mapped[str] = mapped_column(Text)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    documents_seen: Mapped[int] = mapped_column(Integer, default=0)
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    documents_updated: Mapped[int] = mapped_column(Integer, default=0)
    documents_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    documents_rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class RejectedDocument(Base):
    """A document that could not be processed in a run, and why."""

    __tablename__ = "rejected_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_runs.id", ondelete="CASCADE"), index=True)
    source_uri: Mapped[str] = mapped_column(String(URL_LENGTH))
    stage: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
