"""Corpus-level entity resolution: one ``entities`` row per real thing.

Each batch stores what transform said about every entity of every article
(``article_entities``: name, key, type, mention count, product cues) and links
it provisionally to the row of its own ``(key, type)``. After the last batch,
:func:`resolve_entities` decides from the whole set of those rows which corpus
entity each one belongs to, then rewrites the links, the entity rows (name,
type, counts), the aliases (with counts) and deletes entity rows nothing links
to any more.

The decision is a function of the *set* of distinct article-level names with
their article and mention counts (a "signature" is one ``(key, type)``), so
the result is the same whatever the batch size, worker count or file order;
running it again changes nothing. A later run that adds articles may move an
earlier article's entity (a bare surname that was ambiguous may now have a
dominant full name); that is the point of recomputing from the set.

Rules, applied in this order (each has a test in tests/test_load_entities.py):

1. Name forms. Honorifics and titles before a name ("Mr", "Dr", "President"),
   generational suffixes ("Jr", "III") and a possessive ("'s") are not part of
   the name; case and punctuation are folded; figures after a person's or
   team's name, and scorecard figures ("4-0-18-0", "4 2 0 2") after any name,
   are scores. Two signatures with the same form and the same family (places:
   GPE/LOC; names: everything else) are one entity, so "Bob Estes" typed
   PERSON in one story and ORG in another is one row, while the country
   "Japan" and a team written "Japan" stay apart.
2. People: a name with middle names or initials ("Donald J. Trump") joins the
   same first and last name ("Donald Trump").
3. Short forms, longest first, join a longer name when one candidate clearly
   dominates (:data:`DOMINANCE` and :data:`MIN_ARTICLES`, counted in articles
   of the candidate's entity): a bare surname or an initial and surname
   ("G. Smith") joins a full name with that surname (and initial); a bare
   surname needs the full name in :data:`SURNAME_MIN_ARTICLES` articles, or
   in fewer when an article of each also names the same rare thing (at most
   :data:`CONTEXT_MAX_ARTICLES` articles: the same match, the same campaign);
   one typed ORG or NORP (a scorecard) does not vote on the type. A person's
   name that starts with a place and still holds a full name ("Norvania A.
   Kell") is a scorecard line: the place is dropped; a place, a dash and one
   word ("NORVANIA - Bonds") is a wire heading and stands for the place.
   An organisation's leading words ("Treasury" of "Treasury Department"),
   its trailing words (one trailing word only after a place, or a plural
   nickname after a name the corpus uses alone: "Kestrels" of "Tarnow
   Kestrels", never "Alder" of "New Alder") or its acronym (tried first:
   "W.G.B." is the Western Grain Board, not the W.G.B. Export Council) join
   the full name. A town's name used alone for an organisation joins only its
   club (the town and a plural nickname), never any body named after the town
   ("Tarnow Traders' Association"). A results line ("Oldbury 2 Penrith 1", "Oldbury v
   Penrith") is never a full name. With split evidence (two Obamas of comparable
   weight) the short form stays its own row.
4. Forms of one group word are one entity: a plural and an -ish/-ian/-ic/-i
   adjective of the same stem ("Kurds", "Kurdish"; "Serb", "Serbian").
5. A nationality word joins its place when the corpus has it: formed by a
   regular English suffix ("Iraqi", "Armenians", "Chinese"), listed as
   irregular in ``data/demonyms.json`` ("Dutch", "Swiss", "British"), or a
   place name the model read as NORP.
6. One type per entity, by article votes over its signatures (ties: place,
   then ORG, then PERSON, then the rest). A name whose mentions are mostly
   read as a product or platform ("on X", "via X", "X users", "X account")
   is never a PERSON.

Which mentions of a town's name stand for its club is read in transform, mention
by mention (``entities/team_places.py``: "Tarnow beat Kestria" is the club, "In
Tarnow ," the town), so the two arrive as two article entities of different
types and stay apart here.

Cost: a few aggregate queries over ``article_entities`` and ``mentions`` (index
scans, ``GROUP BY``), memory proportional to the number of distinct names (not
articles), one streamed pass over
``article_entities`` to find the rows whose entity changed, and updates only
for those, issued as bulk statements in chunks of :data:`etl.load.upsert.CHUNK`. Aliases and counts are
recomputed in chunks of entity ids.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from etl.db.base import table_of
from etl.db.models import ArticleEntity, Entity, EntityAlias, Mention, Quote
from etl.keys import fold
from etl.load.identity import Signature, decide
from etl.load.upsert import chunks, insert_missing, insert_rows

log = logging.getLogger(__name__)

entities_t = table_of(Entity)
aliases_t = table_of(EntityAlias)
groups_t = table_of(ArticleEntity)
mentions_t = table_of(Mention)
quotes_t = table_of(Quote)

# -- reading and writing the database ----------------------------------------


@dataclass(slots=True)
class ResolveStats:
    """What one resolution pass did."""

    signatures: int = 0
    entities: int = 0
    relinked: int = 0
    entities_created: int = 0
    entities_deleted: int = 0
    entities_updated: int = 0
    aliases_written: int = 0
    aliases_deleted: int = 0


def read_signatures(connection: Connection) -> list[Signature]:
    """Every distinct (key, type) of article entities with its names and counts."""
    name: Any = groups_t.c.name
    if connection.dialect.name in ("mysql", "mariadb"):
        name = name.collate("utf8mb4_bin")  # "JAPAN" and "Japan" are two display names
    query = select(
        groups_t.c.key,
        groups_t.c.type,
        name,
        func.count(func.distinct(groups_t.c.article_id)),
        func.sum(groups_t.c.mention_count),
        func.sum(groups_t.c.product_cues),
    ).group_by(groups_t.c.key, groups_t.c.type, name)
    found: dict[tuple[str, str], Signature] = {}
    for key, type_, display, articles, mentions, cues in connection.execute(query):
        sig = found.setdefault((key, type_), Signature(key, type_))
        sig.names[display] = sig.names.get(display, 0) + int(articles)
        sig.articles += int(articles)
        sig.mentions += int(mentions or 0)
        sig.cues += int(cues or 0)
    where: dict[tuple[str, str], set[int]] = defaultdict(set)
    for key, type_, article_id in connection.execute(
        select(groups_t.c.key, groups_t.c.type, groups_t.c.article_id).distinct()
    ):
        where[(key, type_)].add(int(article_id))
    for ident, sig in found.items():
        sig.in_articles = frozenset(where[ident])
    return list(found.values())


def resolve_entities(connection: Connection, now: datetime | None = None) -> ResolveStats:
    """Recompute which corpus entity every article entity belongs to, and rewrite the rows.

    Idempotent: a second call with no new articles changes nothing. Call it
    after the last batch of a run, in its own transaction.
    """
    now = now or datetime.now(UTC)
    stats = ResolveStats()
    signatures = read_signatures(connection)
    stats.signatures = len(signatures)
    decided = decide(signatures)

    # Entity rows for every resolved (key, type).
    wanted = {(r.key, r.type): r for r in decided.values()}
    ids = _entity_ids(connection, wanted)
    missing = [
        {"name": r.name, "type": r.type, "key": r.key, "created_at": now}
        for ident, r in sorted(wanted.items())
        if ident not in ids
    ]
    insert_missing(connection, entities_t, missing)
    stats.entities_created = len(missing)
    if missing:
        ids = _entity_ids(connection, wanted)
    stats.entities = len(wanted)

    # Relink the article entities (and their mentions) whose entity changed.
    current = select(groups_t.c.id, groups_t.c.key, groups_t.c.type, groups_t.c.entity_id)
    changes: list[dict[str, Any]] = []
    old_ids: set[int] = set()
    for row_id, key, type_, entity_id in connection.execute(current):
        target = decided[(key, type_)]
        new_id = ids[(target.key, target.type)]
        if entity_id != new_id:
            changes.append({"i": row_id, "e": new_id})
            old_ids.add(entity_id)
    changes.sort(key=lambda c: c["i"])
    stats.relinked = len(changes)
    for chunk in chunks(changes):
        connection.execute(
            update(mentions_t)
            .where(mentions_t.c.article_entity_id == bindparam("i"), mentions_t.c.entity_id != bindparam("e"))
            .values(entity_id=bindparam("e")),
            list(chunk),
        )
        connection.execute(
            update(groups_t).where(groups_t.c.id == bindparam("i")).values(entity_id=bindparam("e")),
            list(chunk),
        )
    _relink_speakers(connection, sorted(old_ids))

    # Entity rows: name, type and counts; then aliases; then orphans.
    names = {ids[ident]: r.name for ident, r in wanted.items()}
    stats.entities_updated = _update_entities(connection, names)
    written, deleted = _rewrite_aliases(connection, sorted(names))
    stats.aliases_written, stats.aliases_deleted = written, deleted
    stats.entities_deleted = _delete_orphans(connection)
    log.info("entity resolution: %s", stats)
    return stats


def _entity_ids(connection: Connection, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(wanted)
    ids: dict[tuple[str, str], int] = {}
    for chunk in chunks(sorted({key for key, _ in wanted})):
        query = select(entities_t.c.key, entities_t.c.type, entities_t.c.id).where(
            entities_t.c.key.in_(chunk)
        )
        for key, type_, entity_id in connection.execute(query):
            if (key, type_) in wanted:
                ids[(key, type_)] = entity_id
    return ids


def _relink_speakers(connection: Connection, old_ids: Sequence[int]) -> None:
    """Point quotes whose speaker entity moved at the entity of the article's speaker."""
    speaker = (
        select(groups_t.c.entity_id)
        .where(groups_t.c.article_id == quotes_t.c.article_id, groups_t.c.name == quotes_t.c.speaker_name)
        .order_by(groups_t.c.position)
        .limit(1)
        .scalar_subquery()
    )
    for chunk in chunks(old_ids):
        connection.execute(
            update(quotes_t).where(quotes_t.c.speaker_entity_id.in_(chunk)).values(speaker_entity_id=speaker)
        )


def _update_entities(connection: Connection, names: dict[int, str]) -> int:
    counts = select(
        groups_t.c.entity_id,
        func.count(func.distinct(groups_t.c.article_id)),
        func.sum(groups_t.c.mention_count),
    ).group_by(groups_t.c.entity_id)
    totals = {row[0]: (int(row[1]), int(row[2] or 0)) for row in connection.execute(counts)}
    changes = []
    for chunk in chunks(sorted(names)):
        query = select(
            entities_t.c.id, entities_t.c.name, entities_t.c.article_count, entities_t.c.mention_count
        ).where(entities_t.c.id.in_(chunk))
        for entity_id, name, articles, mentions in connection.execute(query):
            want = (names[entity_id][:255], *totals.get(entity_id, (0, 0)))
            if (name, articles, mentions) != want:
                changes.append({"i": entity_id, "n": want[0], "a": want[1], "m": want[2]})
    for chunk in chunks(changes):
        connection.execute(
            update(entities_t)
            .where(entities_t.c.id == bindparam("i"))
            .values(name=bindparam("n"), article_count=bindparam("a"), mention_count=bindparam("m")),
            list(chunk),
        )
    return len(changes)


def _aliasfold_name(alias: str) -> str:
    # MariaDB's default collation compares case- and accent-insensitively; folding
    # here keeps the same alias rows on every database.
    return fold(alias).strip()


def _rewrite_aliases(connection: Connection, entity_ids: Sequence[int]) -> tuple[int, int]:
    """Aliases of each entity: every surface form with its article and mention counts."""
    length: int = getattr(aliases_t.c.alias.type, "length", None) or 255
    written = deleted = 0
    text_col: Any = mentions_t.c.text
    name_col: Any = groups_t.c.name
    if connection.dialect.name in ("mysql", "mariadb"):
        # Group surface forms byte-exactly, as SQLite and PostgreSQL do, not by the
        # case-insensitive default collation.
        text_col, name_col = text_col.collate("utf8mb4_bin"), name_col.collate("utf8mb4_bin")
    for chunk in chunks(entity_ids):
        forms: dict[tuple[int, str], dict[str, list[int]]] = defaultdict(dict)
        query = (
            select(
                mentions_t.c.entity_id,
                text_col,
                func.count(func.distinct(mentions_t.c.article_id)),
                func.count(),
            )
            .where(mentions_t.c.entity_id.in_(chunk))
            .group_by(mentions_t.c.entity_id, text_col)
        )
        for entity_id, text, articles, mentions in connection.execute(query):
            text = text.strip()[:length]
            slot = forms[(entity_id, _aliasfold_name(text))].setdefault(text, [0, 0])
            slot[0] += int(articles)
            slot[1] += int(mentions)
        names = (
            select(groups_t.c.entity_id, name_col, func.count(func.distinct(groups_t.c.article_id)))
            .where(groups_t.c.entity_id.in_(chunk))
            .group_by(groups_t.c.entity_id, name_col)
        )
        for entity_id, name, articles in connection.execute(names):
            name = name.strip()[:length]
            variants = forms[(entity_id, _aliasfold_name(name))]
            if not variants:
                variants[name] = [int(articles), 0]
        desired: dict[tuple[int, str], tuple[str, int, int]] = {}
        for (entity_id, folded), variants in forms.items():
            if not variants:
                continue
            best = max(variants, key=lambda v: (variants[v][1], variants[v][0], not v.isupper(), v))
            desired[(entity_id, folded)] = (
                best,
                sum(v[0] for v in variants.values()),
                sum(v[1] for v in variants.values()),
            )
        current: dict[tuple[int, str], tuple[int, str, int | None, int | None]] = {}
        stale: list[int] = []
        query = select(
            aliases_t.c.id,
            aliases_t.c.entity_id,
            aliases_t.c.alias,
            aliases_t.c.article_count,
            aliases_t.c.mention_count,
        ).where(aliases_t.c.entity_id.in_(chunk))
        for alias_id, entity_id, alias, articles, mentions in connection.execute(query):
            ident = (entity_id, _aliasfold_name(alias))
            want = desired.get(ident)
            if want is None or ident in current or want != (alias, articles, mentions):
                stale.append(alias_id)
            else:
                current[ident] = (alias_id, alias, articles, mentions)
        for ids in chunks(stale):
            connection.execute(delete(aliases_t).where(aliases_t.c.id.in_(ids)))
        rows = [
            {"entity_id": entity_id, "alias": alias, "article_count": articles, "mention_count": mentions}
            for (entity_id, folded), (alias, articles, mentions) in sorted(desired.items())
            if (entity_id, folded) not in current
        ]
        insert_rows(connection, aliases_t, rows)
        written += len(rows)
        deleted += len(stale)
    return written, deleted


def _delete_orphans(connection: Connection) -> int:
    """Delete entity rows that no article entity links to."""
    linked = select(groups_t.c.id).where(groups_t.c.entity_id == entities_t.c.id).exists()
    orphans = list(connection.execute(select(entities_t.c.id).where(~linked)).scalars())
    for chunk in chunks(sorted(orphans)):
        connection.execute(delete(aliases_t).where(aliases_t.c.entity_id.in_(chunk)))
        connection.execute(delete(entities_t).where(entities_t.c.id.in_(chunk)))
    return len(orphans)


def resolve_database(url: str) -> ResolveStats:
    """Run :func:`resolve_entities` on the database at ``url`` in one transaction."""
    from etl.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            return resolve_entities(connection)
    finally:
        engine.dispose()
