"""ArticleRecords -> rows, one transaction per batch, bulk statements only.

Load order inside the batch transaction: sources, contributors and entities
(insert if absent, then one SELECT for their ids), then articles (insert new,
update changed, delete the derived rows of changed ones), then the derived
rows in bulk. A crash rolls the whole batch back, so a re-run finds the
database as it was before the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, String, bindparam, delete, select, update

from etl.db.base import table_of
from etl.db.models import (
    Article,
    ArticleContributor,
    ArticleEntity,
    Contributor,
    DatelinePlace,
    Entity,
    EntityAlias,
    Mention,
    Quote,
    RejectedDocument,
    Source,
)
from etl.keys import sha256_text
from etl.load.name_forms import product_cues
from etl.load.pending import mark_changed
from etl.load.upsert import chunks, clip_strings, insert_missing, insert_rows
from etl.records import ArticleRecord, Rejection

log = logging.getLogger(__name__)

articles_t = table_of(Article)
sources_t = table_of(Source)
contributors_t = table_of(Contributor)
article_contributors_t = table_of(ArticleContributor)
dateline_places_t = table_of(DatelinePlace)
entities_t = table_of(Entity)
article_entities_t = table_of(ArticleEntity)
aliases_t = table_of(EntityAlias)
mentions_t = table_of(Mention)
quotes_t = table_of(Quote)
rejected_t = table_of(RejectedDocument)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the database already holds for a document key."""

    id: int
    content_sha256: str
    pipeline_version: str


@dataclass(slots=True)
class LoadStats:
    new: int = 0
    updated: int = 0
    clipped_names: int = 0
    """Names (contributors, entities, sources) longer than their key column, stored clipped."""


def clip_key(column: Column[Any], key: str) -> str:
    """``key`` cut to ``column``'s length, as :func:`clip_strings` stores it.

    Ids are looked up by the stored (clipped) key, never by the full one, so a
    name over the column's length keeps its row and its credit.
    """
    length = column.type.length if isinstance(column.type, String) else None
    return key[:length] if length else key


def find_stored_articles(connection: Connection, document_keys: Iterable[str]) -> dict[str, StoredArticle]:
    """Map document key -> stored article, for the keys already loaded."""
    by_hash = {sha256_text(key): key for key in document_keys}
    found: dict[str, StoredArticle] = {}
    for chunk in chunks(list(by_hash)):
        rows = connection.execute(
            select(
                articles_t.c.document_key_sha256,
                articles_t.c.id,
                articles_t.c.content_sha256,
                articles_t.c.pipeline_version,
            ).where(articles_t.c.document_key_sha256.in_(chunk))
        )
        for key_hash, article_id, content, version in rows:
            found[by_hash[key_hash]] = StoredArticle(article_id, content, version)
    return found


def _ids_by(connection: Connection, column: Any, id_column: Any, keys: Iterable[Any]) -> dict[Any, int]:
    ids: dict[Any, int] = {}
    for chunk in chunks(sorted(set(keys))):
        for key, row_id in connection.execute(select(column, id_column).where(column.in_(chunk))):
            ids[key] = row_id
    return ids


def _load_sources(connection: Connection, articles: Sequence[ArticleRecord], now: datetime) -> dict[str, int]:
    rows: dict[str, dict[str, Any]] = {}
    for article in articles:
        for name, domain, key in (
            (article.publisher, article.publisher_domain, article.publisher_key),
            (article.wire_source, None, article.wire_source_key),
        ):
            if key and key not in rows:
                rows[key] = {
                    "name": name or domain,
                    "name_key": clip_key(sources_t.c.name_key, key),
                    "domain": domain,
                    "created_at": now,
                }
    insert_missing(connection, sources_t, [rows[k] for k in sorted(rows)])
    stored = _ids_by(connection, sources_t.c.name_key, sources_t.c.id, (r["name_key"] for r in rows.values()))
    ids = {key: stored[row["name_key"]] for key, row in rows.items() if row["name_key"] in stored}
    # A source first seen without a domain learns it from a later page.
    with_domain = [{"k": row["name_key"], "d": row["domain"]} for row in rows.values() if row["domain"]]
    if with_domain:
        connection.execute(
            update(sources_t)
            .where(sources_t.c.name_key == bindparam("k"), sources_t.c.domain.is_(None))
            .values(domain=bindparam("d")),
            with_domain,
        )
    return ids


def _load_contributors(
    connection: Connection, articles: Sequence[ArticleRecord], now: datetime
) -> dict[str, int]:
    rows: dict[str, dict[str, Any]] = {}
    for article in articles:
        for contributor in article.contributors:
            key = contributor.key
            if key and key not in rows:
                rows[key] = {
                    "name": contributor.name,
                    "name_key": clip_key(contributors_t.c.name_key, key),
                    "created_at": now,
                }
    # Sorted: concurrent runs take the unique-key locks in one order, so never deadlock.
    insert_missing(connection, contributors_t, [rows[k] for k in sorted(rows)])
    stored = _ids_by(
        connection, contributors_t.c.name_key, contributors_t.c.id, (r["name_key"] for r in rows.values())
    )
    return {key: stored[row["name_key"]] for key, row in rows.items() if row["name_key"] in stored}


def _load_entities(
    connection: Connection, articles: Sequence[ArticleRecord], now: datetime
) -> dict[tuple[str, str], int]:
    """Insert missing entities and aliases; map (article entity key, type) -> entity id.

    These links are provisional: each article's entity is linked to the row
    of its own ``(key, type)``. Which corpus entity it belongs to (a bare
    surname, a short form, a type decided by votes) depends on the whole
    corpus and is decided after the last batch by
    :func:`etl.load.resolve.resolve_entities`, never here, so the result does
    not depend on how the input was cut into batches.
    """
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for article in articles:
        for entity in article.entities:
            rows.setdefault(
                (entity.key, entity.type),
                {
                    "name": entity.name,
                    "type": entity.type,
                    "key": clip_key(entities_t.c.key, entity.key),
                    "country_code": entity.country_code,
                    "latitude": entity.latitude,
                    "longitude": entity.longitude,
                    "created_at": now,
                },
            )
    # Sorted: rows get ids in the same order whatever order the batch came in.
    insert_missing(connection, entities_t, [rows[k] for k in sorted(rows)])
    ids: dict[tuple[str, str], int] = {}
    for chunk in chunks(sorted({row["key"] for row in rows.values()})):
        query = select(entities_t.c.key, entities_t.c.type, entities_t.c.id).where(
            entities_t.c.key.in_(chunk)
        )
        for key, type_, entity_id in connection.execute(query):
            ids[(key, type_)] = entity_id
    resolved = {
        source: ids[(row["key"], row["type"])]
        for source, row in rows.items()
        if (row["key"], row["type"]) in ids
    }
    aliases = {
        (resolved[(e.key, e.type)], alias)
        for a in articles
        for e in a.entities
        if (e.key, e.type) in resolved
        for alias in {e.name, *(m.text for m in e.mentions)}
    }
    insert_missing(connection, aliases_t, [{"entity_id": i, "alias": alias} for i, alias in sorted(aliases)])
    return resolved


def _load_article_entities(
    connection: Connection,
    articles: Sequence[ArticleRecord],
    article_ids: Mapping[str, int],
    entities: Mapping[tuple[str, str], int],
) -> dict[tuple[int, int], int]:
    """Store each article's own entities; map (article id, position) -> article_entities id."""
    rows = []
    for article in articles:
        article_id = article_ids[sha256_text(article.document_key)]
        for position, entity in enumerate(article.entities):
            entity_id = entities.get((entity.key, entity.type))
            if entity_id is None:
                continue
            rows.append(
                {
                    "article_id": article_id,
                    "position": position,
                    "name": entity.name,
                    "key": entity.key,
                    "type": entity.type,
                    "mention_count": len(entity.mentions),
                    "product_cues": product_cues(
                        article.body, [m for m in entity.mentions if m.field == "body"]
                    ),
                    "entity_id": entity_id,
                }
            )
    insert_rows(connection, article_entities_t, rows)
    ids: dict[tuple[int, int], int] = {}
    for chunk in chunks(sorted({row["article_id"] for row in rows})):
        query = select(
            article_entities_t.c.article_id, article_entities_t.c.position, article_entities_t.c.id
        ).where(article_entities_t.c.article_id.in_(chunk))
        for article_id, position, row_id in connection.execute(query):
            ids[(article_id, position)] = row_id
    return ids


def _article_row(
    article: ArticleRecord, sources: Mapping[str, int], version: str, now: datetime
) -> dict[str, Any]:
    publisher = article.publisher_key
    wire = article.wire_source_key
    return {
        "document_key": article.document_key,
        "document_key_sha256": sha256_text(article.document_key),
        "source_uri": article.source_uri,
        "url": article.url,
        "content_sha256": article.content_sha256,
        "pipeline_version": version,
        "headline": article.headline,
        "published_at": article.published_at,
        "published_at_text": article.published_at_text,
        "published_tz_known": article.published_tz_known,
        "updated_at": article.updated_at,
        "dateline": article.dateline,
        "language": article.language,
        "section": article.section,
        "body": article.body,
        "word_count": article.word_count,
        "publisher_id": sources.get(publisher) if publisher else None,
        "wire_source_id": sources.get(wire) if wire else None,
        "last_loaded_at": now,
    }


def _derived_rows(
    article_id: int,
    article: ArticleRecord,
    contributors: Mapping[str, int],
    entities: Mapping[tuple[str, str], int],
    article_entities: Mapping[tuple[int, int], int],
) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {"contributors": [], "places": [], "mentions": [], "quotes": []}
    for position, contributor in enumerate(article.contributors):
        contributor_id = contributors.get(contributor.key)
        if contributor_id is not None:
            rows["contributors"].append(
                {
                    "article_id": article_id,
                    "position": position,
                    "contributor_id": contributor_id,
                    "role": contributor.role,
                    "location": contributor.location,
                }
            )
    for position, place in enumerate(article.dateline_places):
        rows["places"].append({"article_id": article_id, "position": position, "name": place})
    by_name: dict[str, int] = {}
    for position, entity in enumerate(article.entities):
        entity_id = entities.get((entity.key, entity.type))
        if entity_id is None:
            continue
        by_name.setdefault(entity.name, entity_id)
        for mention in entity.mentions:
            rows["mentions"].append(
                {
                    "article_id": article_id,
                    "entity_id": entity_id,
                    "article_entity_id": article_entities.get((article_id, position)),
                    "start_offset": mention.start,
                    "end_offset": mention.end,
                    "text": mention.text,
                    "paragraph": mention.paragraph,
                    "field": mention.field,
                }
            )
    for position, quote in enumerate(article.quotes):
        speaker = quote.speaker
        rows["quotes"].append(
            {
                "article_id": article_id,
                "position": position,
                "text": quote.text,
                "kind": quote.kind,
                "start_offset": quote.start,
                "end_offset": quote.end,
                "paragraph": quote.paragraph,
                "speaker_text": speaker.text if speaker else None,
                "speaker_name": speaker.name if speaker else None,
                "speaker_entity_id": by_name.get(speaker.name) if speaker and speaker.name else None,
                "speaker_anonymous": bool(speaker and speaker.anonymous),
                "speaker_description": speaker.description if speaker else None,
                "cue": quote.cue,
            }
        )
    return rows


def _lock_articles(connection: Connection, article_ids: Sequence[int]) -> None:
    """``SELECT ... FOR UPDATE`` the articles whose derived rows are about to be replaced.

    A concurrent run replacing the same article waits here until this batch
    commits, then deletes what this one inserted: two overlapping
    ``--reprocess`` runs never add the derived rows twice. Ascending ids: two
    runs lock in one order. SQLite serialises writers and renders no lock.
    """
    for chunk in chunks(article_ids):
        connection.execute(
            select(articles_t.c.id)
            .where(articles_t.c.id.in_(chunk))
            .order_by(articles_t.c.id)
            .with_for_update()
        ).all()


def count_clipped_names(articles: Sequence[ArticleRecord]) -> int:
    """How many distinct contributor, entity and source keys are longer than their column."""
    limits = (
        (contributors_t.c.name_key, {c.key for a in articles for c in a.contributors if c.key}),
        (entities_t.c.key, {e.key for a in articles for e in a.entities}),
        (sources_t.c.name_key, {k for a in articles for k in (a.publisher_key, a.wire_source_key) if k}),
    )
    return sum(1 for column, keys in limits for key in keys if clip_key(column, key) != key)


def load_articles(
    connection: Connection,
    articles: Sequence[ArticleRecord],
    stored: Mapping[str, StoredArticle],
    pipeline_version: str,
    now: datetime,
) -> LoadStats:
    """Write a batch of articles and everything derived from them.

    Args:
        connection: a connection inside the batch's transaction.
        articles: the batch, at most one per document key.
        stored: what the database already holds for these keys
            (from :func:`find_stored_articles`); those rows are updated and
            their derived rows replaced.
        pipeline_version: recorded on each article.
        now: the load time (UTC).
    """
    stats = LoadStats()
    if not articles:
        return stats
    stats.clipped_names = count_clipped_names(articles)
    if stats.clipped_names:
        log.warning("%d names longer than their column were stored clipped", stats.clipped_names)
    sources = _load_sources(connection, articles, now)
    contributors = _load_contributors(connection, articles, now)
    entities = _load_entities(connection, articles, now)

    new_rows, changed_rows = [], []
    for article in articles:
        row = clip_strings(articles_t, _article_row(article, sources, pipeline_version, now))
        existing = stored.get(article.document_key)
        if existing is None:
            new_rows.append({**row, "first_loaded_at": now})
        else:
            changed_rows.append({**row, "article_id": existing.id})
    insert_rows(connection, articles_t, new_rows)
    if changed_rows:
        changed_ids = sorted(row["article_id"] for row in changed_rows)
        _lock_articles(connection, changed_ids)
        # Mentions before the article entities they point at.
        tables = (article_contributors_t, dateline_places_t, mentions_t, article_entities_t, quotes_t)
        for table in tables:
            for chunk in chunks(changed_ids):
                connection.execute(delete(table).where(table.c.article_id.in_(chunk)))
        columns = [name for name in changed_rows[0] if name != "article_id"]
        statement = (
            update(articles_t)
            .where(articles_t.c.id == bindparam("article_id"))
            .values({name: bindparam(f"v_{name}") for name in columns})
        )
        connection.execute(
            statement,
            [{"article_id": r["article_id"], **{f"v_{n}": r[n] for n in columns}} for r in changed_rows],
        )
    stats.new, stats.updated = len(new_rows), len(changed_rows)

    ids = _ids_by(
        connection,
        articles_t.c.document_key_sha256,
        articles_t.c.id,
        (sha256_text(a.document_key) for a in articles),
    )
    article_entities = _load_article_entities(connection, articles, ids, entities)
    derived: dict[str, list[dict[str, Any]]] = {
        "contributors": [],
        "places": [],
        "mentions": [],
        "quotes": [],
    }
    for article in articles:
        for name, rows in _derived_rows(
            ids[sha256_text(article.document_key)], article, contributors, entities, article_entities
        ).items():
            derived[name].extend(rows)
    insert_rows(connection, article_contributors_t, derived["contributors"])
    insert_rows(connection, dateline_places_t, derived["places"])
    insert_rows(connection, mentions_t, derived["mentions"])
    insert_rows(connection, quotes_t, derived["quotes"])
    # In this transaction: the corpus resolution is due exactly when these rows exist.
    mark_changed(connection, len(articles), now)
    return stats


def _without_nul(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL: written as the escape ``\\x00``, as a reader would quote it."""
    return value.replace("\x00", "\\x00") if value else value


def record_rejections(
    connection: Connection, rejections: Sequence[Rejection], run_id: int, now: datetime
) -> None:
    """Store why each rejected document could not be processed."""
    insert_rows(
        connection,
        rejected_t,
        [
            {
                "run_id": run_id,
                "source_uri": _without_nul(r.source_uri),
                "stage": r.stage,
                "reason": _without_nul(r.reason),
                "content_sha256": r.content_sha256,
                "created_at": now,
            }
            for r in rejections
        ],
    )
