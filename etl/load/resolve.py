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
   the name; case and punctuation are folded. Two signatures with the same
   form and the same family (places: GPE/LOC; names: everything else) are one
   entity, so "Bob Estes" typed PERSON in one story and ORG in another is one
   row, while the country "Japan" and a team written "Japan" stay apart.
2. People: a name with middle names or initials ("Donald J. Trump") joins the
   same first and last name ("Donald Trump").
3. Short forms, longest first, join a longer name when one candidate clearly
   dominates (:data:`DOMINANCE` and :data:`MIN_ARTICLES`, counted in articles
   of the candidate's entity): a bare surname or an initial and surname
   ("G. Smith") joins a full name with that surname (and initial); an
   organisation's leading or trailing words ("Treasury" of "Treasury
   Department") or its acronym join the full name. With split evidence (two
   Obamas of comparable weight) the short form stays its own row.
4. A nationality word formed from a place name by a regular English suffix
   ("Iraqi", "Armenians", "Chinese") joins that place when the corpus has it.
5. One type per entity, by article votes over its signatures (ties: place,
   then ORG, then PERSON, then the rest). A name whose mentions are mostly
   read as a product or platform ("on X", "via X", "X users", "X account")
   is never a PERSON.

Cost: two aggregate queries over ``article_entities`` and ``mentions`` (index
scans, ``GROUP BY``), memory proportional to the number of distinct names (not
articles), and updates only for the signatures whose entity changed, issued
as bulk statements in chunks of :data:`CHUNK`. Aliases and counts are
recomputed in chunks of entity ids.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from etl.db.base import table_of
from etl.db.models import ArticleEntity, Entity, EntityAlias, Mention, Quote
from etl.load.upsert import insert_missing, insert_rows

log = logging.getLogger(__name__)

entities_t = table_of(Entity)
aliases_t = table_of(EntityAlias)
groups_t = table_of(ArticleEntity)
mentions_t = table_of(Mention)
quotes_t = table_of(Quote)

CHUNK = 500
"""Rows per bulk statement and ids per ``IN (...)`` list."""

DOMINANCE = 3
"""A short form joins the top candidate only with this many times the articles of the second."""

MIN_ARTICLES = 1
"""... and only when the top candidate is named in full in at least this many articles."""

SURNAME_MIN_ARTICLES = 3
"""A bare surname, the weakest evidence, needs a full name seen in this many articles."""

PLACE_TYPES = frozenset({"GPE", "LOC"})

TYPE_PRIORITY = ("GPE", "LOC", "ORG", "PERSON", "NORP", "FAC", "EVENT", "OTHER")
"""Tie-break of type votes: the earlier type wins."""

HONORIFICS = frozenset(
    """mr mrs ms miss mister madam dr doctor prof professor sir dame lord lady president
    vice prime minister premier chancellor secretary senator sen rep representative
    congressman congresswoman governor gov mayor judge justice general gen lt col colonel
    maj major capt captain cmdr admiral sgt sergeant king queen prince princess sheikh
    pope cardinal archbishop bishop rev reverend rabbi imam ayatollah chairman chairwoman
    coach former late""".split()  # noqa: SIM905 - a word list reads better as text
)
"""Words written before a person's name that are not part of it."""

NAME_SUFFIXES = frozenset(
    {
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "junior",
        "senior",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "llc",
        "spa",
        "ag",
        "nv",
    }
)
"""Words after a name that are not part of it: generations and company forms."""

ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "on", "in", "a"})

PRODUCT_BEFORE = frozenset({"on", "via", "using", "through"})
PRODUCT_AFTER = frozenset(
    {
        "user",
        "users",
        "account",
        "accounts",
        "post",
        "posts",
        "page",
        "feed",
        "app",
        "apps",
        "app.",
        "profile",
    }
)
"""Words around a mention that read it as a product or platform ("on X", "X users")."""

_WORD = re.compile(r"[\w'’.&-]+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _token(word: str) -> str:
    return re.sub(r"[^\w]|_", "", _fold(word))


def product_cues(body: str, mentions: Iterable[Any]) -> int:
    """Count mentions that the words around them read as a product or platform.

    "posted on X", "via X", "using X" before, or "X users", "X account",
    "X post" after: a structural sign that X is software or a platform, not a
    person.
    """
    count = 0
    for mention in mentions:
        before = body[max(0, mention.start - 24) : mention.start].split()
        after = body[mention.end : mention.end + 24].split()
        if (before and _token(before[-1]) in PRODUCT_BEFORE) or (after and _token(after[0]) in PRODUCT_AFTER):
            count += 1
    return count


def name_tokens(name: str, figures: bool = True) -> tuple[str, ...]:
    """Folded words of a name without possessive, leading titles or trailing suffixes.

    With ``figures`` false, words holding digits (scores, figures) are dropped too.
    """
    words = [
        _token(_POSSESSIVE.sub("", w)) if i == len(name.split()) - 1 else _token(w)
        for i, w in enumerate(name.split())
    ]
    # Scores and figures written next to a name ("Smith 4-0-18-0") are not part of it.
    tokens = [w for w in words if w and (figures or not any(ch.isdigit() for ch in w))]
    while len(tokens) > 1 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def demonym_places(word: str) -> list[str]:
    """Place names a nationality word can be formed from by a regular English suffix.

    "iraqi" -> "iraq", "armenians" -> "armenia", "chinese" -> "china",
    "cuban" -> "cuba", "german" -> "germany", "italian" -> "italy".
    """
    forms = {word}
    if word.endswith("s") and len(word) > 4:
        forms.add(word[:-1])
    out: set[str] = set()
    for d in forms:
        if d.endswith("i") and len(d) > 4:
            out.add(d[:-1])
        if d.endswith("an") and len(d) > 4:
            out.update({d[:-1], d[:-2], d[:-2] + "a", d[:-2] + "o", d + "y", d[:-3] + "y"})
        if d.endswith("ian") and len(d) > 5:
            out.update({d[:-3], d[:-3] + "a", d[:-3] + "e", d[:-3] + "ium"})
        if d.endswith("ese") and len(d) > 5:
            out.update({d[:-3], d[:-3] + "a", d[:-3] + "on"})
        if d.endswith("ine"):
            out.add(d + "s")
        if d.endswith("ish") and len(d) > 5:
            out.update({d[:-3] + "ey", d[:-3] + "and", d[:-3] + "land"})
    out.discard(word)
    return sorted(w for w in out if len(w) > 2)


# -- the pure decision -----------------------------------------------------


@dataclass(slots=True)
class Signature:
    """One distinct (key, type) of article entities with its corpus-wide evidence."""

    key: str
    type: str
    names: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    mentions: int = 0
    cues: int = 0

    @property
    def ident(self) -> tuple[str, str]:
        return (self.key, self.type)

    @property
    def family(self) -> str:
        return "place" if self.type in PLACE_TYPES else "name"

    @property
    def name(self) -> str:
        """The most used display name, preferring one not written in capitals."""
        return max(self.names, key=lambda n: (not n.isupper(), self.names[n], n))

    @property
    def tokens(self) -> tuple[str, ...]:
        # Numbers are part of facility, event and other names ("Interstate 95"); after
        # a person's or team's name they are scores ("Smith 4-0-18-0", "Leeds 2").
        figures = self.type not in ("PERSON", "ORG", "GPE", "LOC", "NORP")
        return name_tokens(self.name, figures) or tuple(self.key.split())


@dataclass(frozen=True, slots=True)
class Resolved:
    """The corpus entity a signature belongs to."""

    key: str
    type: str
    name: str


class _Clusters:
    def __init__(self, signatures: Sequence[Signature]) -> None:
        self.parent = {s.ident: s.ident for s in signatures}
        self.by_ident = {s.ident: s for s in signatures}

    def find(self, ident: tuple[str, str]) -> tuple[str, str]:
        root = ident
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[ident] != root:
            self.parent[ident], ident = root, self.parent[ident]
        return root

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller ident becomes the root: independent of call order.
            low, high = sorted((ra, rb))
            self.parent[high] = low

    def members(self) -> dict[tuple[str, str], list[Signature]]:
        out: dict[tuple[str, str], list[Signature]] = defaultdict(list)
        for ident in sorted(self.parent):
            out[self.find(ident)].append(self.by_ident[ident])
        return out


def _dominant(candidates: dict[tuple[str, str], int], least: int | None = None) -> tuple[str, str] | None:
    """The candidate cluster that clearly dominates by articles, if any."""
    if not candidates:
        return None
    ranked = sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))
    top, first = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if first >= (MIN_ARTICLES if least is None else least) and first >= DOMINANCE * second:
        return top
    return None


def _acronym(tokens: tuple[str, ...]) -> str:
    return "".join(t[0] for t in tokens if t not in ACRONYM_SKIP)


def _is_person(sig: Signature) -> bool:
    return sig.type == "PERSON"


def _is_org(sig: Signature) -> bool:
    return sig.type == "ORG"


def decide(signatures: Sequence[Signature]) -> dict[tuple[str, str], Resolved]:
    """Map each signature (key, type) to its corpus entity. Order-free in ``signatures``."""
    signatures = sorted(signatures, key=lambda s: s.ident)
    clusters = _Clusters(signatures)
    # 1. Same form, same family.
    by_form: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
    for sig in signatures:
        form = (sig.family, sig.tokens)
        if form in by_form:
            clusters.union(by_form[form], sig.ident)
        else:
            by_form[form] = sig.ident
    # 2. People: first and last name, middle names and initials aside.
    by_person: dict[tuple[str, str], tuple[str, str]] = {}
    for sig in signatures:
        tokens = sig.tokens
        if _is_person(sig) and len(tokens) >= 2 and len(tokens[0]) > 1:
            pair = (tokens[0], tokens[-1])
            if pair in by_person:
                clusters.union(by_person[pair], sig.ident)
            else:
                by_person[pair] = sig.ident

    # 3. Short forms, longest first, against the clusters of longer names.
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for sig in signatures:
        totals[clusters.find(sig.ident)] += sig.articles
    by_surname: dict[str, list[Signature]] = defaultdict(list)
    by_part: dict[tuple[str, ...], list[Signature]] = defaultdict(list)
    by_acronym: dict[str, list[Signature]] = defaultdict(list)
    for sig in signatures:
        tokens = sig.tokens
        if _is_person(sig) and len(tokens) >= 2 and len(tokens[0]) > 1:
            by_surname[tokens[-1]].append(sig)
        elif _is_org(sig) and len(tokens) >= 2:
            for n in range(1, len(tokens)):
                by_part[tokens[:n]].append(sig)
                by_part[tokens[-n:]].append(sig)
            by_acronym[_acronym(tokens)].append(sig)

    def person_like(s: Signature) -> bool:
        # A surname alone is often mistyped (ORG, NORP) in scorecards and tables.
        tokens = s.tokens
        if _is_person(s):
            return len(tokens) == 1 or (len(tokens) == 2 and len(tokens[0]) == 1)
        return s.family == "name" and len(tokens) == 1 and tokens[0] in by_surname and not by_part.get(tokens)

    shorts = [s for s in signatures if person_like(s) or _is_org(s)]
    for sig in sorted(shorts, key=lambda s: (-len(s.tokens), s.ident)):
        tokens = sig.tokens
        if person_like(sig):
            pool = [
                full
                for full in by_surname.get(tokens[-1], [])
                if len(tokens) == 1 or full.tokens[0][0] == tokens[0]
            ]
        else:
            pool = list(by_part.get(tokens, []))
            if len(tokens) == 1 and 2 <= len(tokens[0]) <= 6 and sig.name.isupper():
                pool += by_acronym.get(tokens[0], [])
        root = clusters.find(sig.ident)
        candidates = {clusters.find(other.ident) for other in pool} - {root}
        bare = person_like(sig) and len(tokens) == 1
        winner = _dominant({c: totals[c] for c in candidates}, SURNAME_MIN_ARTICLES if bare else None)
        if winner is not None:
            merged = totals.pop(root) + totals.pop(winner)
            clusters.union(root, winner)
            totals[clusters.find(root)] = merged

    # 4. Nationality words join their place.
    places: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for sig in signatures:
        if sig.type in PLACE_TYPES:
            places[sig.tokens].append(sig.ident)
    demonym_members: set[tuple[str, str]] = set()
    for sig in signatures:
        if sig.type not in ("NORP", "OTHER") or not sig.tokens:
            continue
        head = sig.tokens[:-1]
        found = {
            clusters.find(ident)
            for place in demonym_places(sig.tokens[-1])
            for ident in places.get((*head, place), [])
        }
        if len(found) == 1:
            clusters.union(sig.ident, found.pop())
            demonym_members.add(sig.ident)

    resolved: dict[tuple[str, str], Resolved] = {}
    taken: dict[tuple[str, str], tuple[str, str]] = {}
    for root, members in clusters.members().items():
        entity = _entity_of(members, demonym_members)
        ident = (entity.key, entity.type)
        if ident in taken:  # two clusters named alike: keep one row
            log.debug("entity %s reached from two clusters", ident)
        taken[ident] = root
        for sig in members:
            resolved[sig.ident] = entity
    return resolved


def _entity_of(members: list[Signature], demonyms: set[tuple[str, str]]) -> Resolved:
    votes: dict[str, int] = defaultdict(int)
    voters = [s for s in members if s.ident not in demonyms] or members
    for sig in voters:
        votes[sig.type] += sig.articles
    mentions = sum(s.mentions for s in members)
    cues = sum(s.cues for s in members)
    if cues and 2 * cues >= mentions:
        # Read as a product or platform: never a person.
        person = votes.pop("PERSON", 0)
        if not votes:
            votes["ORG"] = person
    kind = min(votes, key=lambda t: (-votes[t], TYPE_PRIORITY.index(t) if t in TYPE_PRIORITY else 99, t))
    pool = [s for s in voters if s.type == kind] or voters
    rep = max(pool, key=lambda s: (len(s.tokens) > 1, s.articles, len(s.tokens), s.mentions, s.key))
    return Resolved(rep.key, kind, rep.name)


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


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    current = select(groups_t.c.key, groups_t.c.type, groups_t.c.entity_id).distinct()
    changes: list[dict[str, Any]] = []
    old_ids: set[int] = set()
    for key, type_, entity_id in connection.execute(current):
        target = decided[(key, type_)]
        new_id = ids[(target.key, target.type)]
        if entity_id != new_id:
            changes.append({"k": key, "t": type_, "e": new_id})
            old_ids.add(entity_id)
    unique_changes = list({(c["k"], c["t"]): c for c in changes}.values())
    stats.relinked = len(unique_changes)
    for chunk in _chunks(unique_changes):
        members = select(groups_t.c.id).where(
            groups_t.c.key == bindparam("k"), groups_t.c.type == bindparam("t")
        )
        connection.execute(
            update(mentions_t)
            .where(mentions_t.c.article_entity_id.in_(members), mentions_t.c.entity_id != bindparam("e"))
            .values(entity_id=bindparam("e")),
            list(chunk),
        )
        connection.execute(
            update(groups_t)
            .where(
                groups_t.c.key == bindparam("k"),
                groups_t.c.type == bindparam("t"),
                groups_t.c.entity_id != bindparam("e"),
            )
            .values(entity_id=bindparam("e")),
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
    for chunk in _chunks(sorted({key for key, _ in wanted})):
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
    for chunk in _chunks(old_ids):
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
    for chunk in _chunks(sorted(names)):
        query = select(
            entities_t.c.id, entities_t.c.name, entities_t.c.article_count, entities_t.c.mention_count
        ).where(entities_t.c.id.in_(chunk))
        for entity_id, name, articles, mentions in connection.execute(query):
            want = (names[entity_id][:255], *totals.get(entity_id, (0, 0)))
            if (name, articles, mentions) != want:
                changes.append({"i": entity_id, "n": want[0], "a": want[1], "m": want[2]})
    for chunk in _chunks(changes):
        connection.execute(
            update(entities_t)
            .where(entities_t.c.id == bindparam("i"))
            .values(name=bindparam("n"), article_count=bindparam("a"), mention_count=bindparam("m")),
            list(chunk),
        )
    return len(changes)


def _alias_fold(alias: str) -> str:
    # MariaDB's default collation compares case- and accent-insensitively; folding
    # here keeps the same alias rows on every database.
    return _fold(alias).strip()


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
    for chunk in _chunks(entity_ids):
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
            slot = forms[(entity_id, _alias_fold(text))].setdefault(text, [0, 0])
            slot[0] += int(articles)
            slot[1] += int(mentions)
        names = (
            select(groups_t.c.entity_id, name_col, func.count(func.distinct(groups_t.c.article_id)))
            .where(groups_t.c.entity_id.in_(chunk))
            .group_by(groups_t.c.entity_id, name_col)
        )
        for entity_id, name, articles in connection.execute(names):
            name = name.strip()[:length]
            variants = forms[(entity_id, _alias_fold(name))]
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
            ident = (entity_id, _alias_fold(alias))
            want = desired.get(ident)
            if want is None or ident in current or want != (alias, articles, mentions):
                stale.append(alias_id)
            else:
                current[ident] = (alias_id, alias, articles, mentions)
        for ids in _chunks(stale):
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
    for chunk in _chunks(sorted(orphans)):
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
