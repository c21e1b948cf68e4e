"""Which article-level names are one real thing: the pure decision of entity resolution.

No database here: :func:`decide` maps the set of distinct article-level names
(:class:`Signature`: one ``(key, type)`` with its article and mention counts)
to the corpus entity each belongs to. The rules and their order are described
in :mod:`etl.load.resolve`, which reads the signatures and writes the result.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from etl.load.name_forms import demonym_places, group_stem, name_tokens

__all__ = [
    "PLACE_TYPES",
    "Resolved",
    "Signature",
    "decide",
    "demonym_places",
    "group_stem",
    "name_tokens",
]

log = logging.getLogger(__name__)

DOMINANCE = 3
"""A short form joins the top candidate only with this many times the articles of the second."""

MIN_ARTICLES = 1
"""... and only when the top candidate is named in full in at least this many articles."""

SURNAME_MIN_ARTICLES = 3
"""A bare surname, the weakest evidence, needs a full name seen in this many articles."""

CONTEXT_MAX_ARTICLES = 6
"""... or a full name in fewer articles (one is enough) when an article of each shares a name
seen in at most this many articles (a rarer name than a country's: the same match, the same
campaign). Two stories about one person name the same rare things; a namesake's do not."""

FIXTURE_WORDS = frozenset({"v", "vs", "at"})
"""Small words that join two teams in a fixture or results line ("Oldbury v Penrith", "Oldbury 2 Penrith 1")."""

PLACE_TYPES = frozenset({"GPE", "LOC"})

TYPE_PRIORITY = ("GPE", "LOC", "ORG", "PERSON", "NORP", "FAC", "EVENT", "OTHER")
"""Tie-break of type votes: the earlier type wins."""

ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "on", "in", "a"})

_SCORES = re.compile(r"\d[-./]\d|\b\d+\s+\d+\b")
"""Figures no name holds: bowling figures ("4-0-18-0"), a run of numbers ("4 2 0 2"), a score ("7-0")."""


@dataclass(slots=True)
class Signature:
    """One distinct (key, type) of article entities with its corpus-wide evidence."""

    key: str
    type: str
    names: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    mentions: int = 0
    cues: int = 0
    skip: int = 0
    """Leading words that are not part of the name (the team before a player in a scorecard)."""
    keep: int | None = None
    """Words of the name to keep, when a label follows it ("Norvania - Bonds" is Norvania)."""
    as_place: bool = False
    in_articles: frozenset[int] = frozenset()
    """Ids of the articles that name it (the context a bare surname is checked against)."""

    @property
    def ident(self) -> tuple[str, str]:
        return (self.key, self.type)

    @property
    def family(self) -> str:
        return "place" if self.as_place or self.type in PLACE_TYPES else "name"

    @property
    def name(self) -> str:
        """The most used display name, preferring one not written in capitals."""
        return max(self.names, key=lambda n: (not n.isupper(), self.names[n], n))

    @property
    def tokens(self) -> tuple[str, ...]:
        # Numbers are part of facility, event and other names ("Interstate 95"); after
        # a person's or team's name they are scores ("Smith 4-0-18-0", "Leeds 2").
        figures = self.type not in ("PERSON", "ORG", "GPE", "LOC", "NORP") and not _SCORES.search(self.name)
        return (name_tokens(self.name, figures) or tuple(self.key.split()))[self.skip : self.keep]


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


class _Context:
    """Which rare names each article holds, to tell whether two names were written about together."""

    def __init__(self, signatures: Sequence[Signature]) -> None:
        self.names: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for sig in signatures:
            if len(sig.in_articles) <= CONTEXT_MAX_ARTICLES:
                for article in sig.in_articles:
                    self.names[article].add(sig.ident)

    def around(self, sigs: Iterable[Signature]) -> set[tuple[str, str]]:
        sigs = list(sigs)
        found = {
            ident for sig in sigs for article in sig.in_articles for ident in self.names.get(article, ())
        }
        return found - {sig.ident for sig in sigs}

    def shared(self, sig: Signature, others: Sequence[Signature]) -> bool:
        """Whether an article of ``sig`` and an article of ``others`` name a third, rare name."""
        return bool(self.around([sig]) & self.around(others) - {s.ident for s in others})


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


def _fixture_line(sig: Signature) -> bool:
    """Two names joined by a figure or a fixture word ("Oldbury 2 Penrith 1", "Oldbury v Penrith"): a results line."""
    words = sig.name.split()
    joined = [
        i for i, w in enumerate(words) if any(ch.isdigit() for ch in w) or w.casefold() in FIXTURE_WORDS
    ]
    return any(
        i > 0
        and (words[i].casefold() in FIXTURE_WORDS or any(ch.isalpha() for ch in "".join(words[i + 1 :])))
        for i in joined
    )


def _plural(word: str) -> bool:
    """A plural noun, as a club's nickname is ("Kestrels", "Rovers"), not a surname's "-ss"."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _is_person(sig: Signature) -> bool:
    return sig.type == "PERSON"


def _is_org(sig: Signature) -> bool:
    return sig.type == "ORG" and not sig.as_place


def _without_labels(signatures: list[Signature]) -> list[Signature]:
    """Take the place off names that are a place and something else.

    A person's name that starts with a place and still holds a full name ("Norvania J. Kell")
    is a scorecard line: the team, then the player. A place, a dash and one word ("NORVANIA -
    Bonds") is a wire heading: the place and the topic.
    """
    places = {s.tokens for s in signatures if s.family == "place"}
    out = []
    for sig in signatures:
        tokens, head = sig.tokens, name_tokens(sig.name.split(" - ")[0])
        skip = next((n for n in range(len(tokens) - 2, 0, -1) if _is_person(sig) and tokens[:n] in places), 0)
        if skip:
            sig = replace(sig, skip=skip)
        elif head in places and len(tokens) == len(head) + 1 and tokens[:-1] == head and " - " in sig.name:
            sig = replace(sig, keep=len(head), as_place=True)
        out.append(sig)
    return out


def decide(signatures: Sequence[Signature]) -> dict[tuple[str, str], Resolved]:
    """Map each signature (key, type) to its corpus entity. Order-free in ``signatures``."""
    signatures = _without_labels(sorted(signatures, key=lambda s: s.ident))
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
    place_forms = {sig.tokens for sig in signatures if sig.family == "place"}
    org_forms = {sig.tokens for sig in signatures if _is_org(sig)}

    def nationality(word: str) -> bool:
        # "Norvanian Vell" names a group, not a person called Vell.
        return any(tuple(place.split()) in place_forms for place in demonym_places(word))

    for sig in signatures:
        tokens = sig.tokens
        if _fixture_line(sig):
            continue
        if _is_person(sig) and len(tokens) >= 2 and len(tokens[0]) > 1 and not nationality(tokens[0]):
            by_surname[tokens[-1]].append(sig)
        elif _is_org(sig) and len(tokens) >= 2:
            for n in range(1, len(tokens)):
                by_part[tokens[:n]].append(sig)
                # One trailing word is a name of its own ("Alder" of "New Alder"), except after a
                # place ("Tarnow Kestrels" is called "Kestrels") when it is no place itself, or a
                # plural nickname after an organisation's name ("Kestrels" of "Tarnow Kestrels"
                # where the corpus calls the club "Tarnow" too).
                if n > 1 or (
                    tokens[-1:] not in place_forms
                    and (tokens[:-1] in place_forms or (tokens[:-1] in org_forms and _plural(tokens[-1])))
                ):
                    by_part[tokens[-n:]].append(sig)
            if not any(ch in sig.name for ch in "(),"):  # a fragment ("X ( Y") spells no acronym
                by_acronym[_acronym(tokens)].append(sig)

    def person_like(s: Signature) -> bool:
        # A surname alone is often mistyped (ORG, NORP) in scorecards and tables.
        tokens = s.tokens
        if _is_person(s):
            return len(tokens) == 1 or (len(tokens) == 2 and len(tokens[0]) == 1)
        return s.family == "name" and len(tokens) == 1 and tokens[0] in by_surname and not by_part.get(tokens)

    non_voters: set[tuple[str, str]] = set()
    context = _Context(signatures)
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
            if tokens in place_forms:
                # A town's name standing alone for an organisation is its club ("Tarnow" of
                # "Tarnow Kestrels"), not any body named after the town ("Tarnow Traders' Association").
                pool = [full for full in pool if full.tokens[:-1] == tokens and _plural(full.tokens[-1])]
            if len(tokens) == 1 and 2 <= len(tokens[0]) <= 6 and sig.name.isupper():
                # Letters that spell a name's initials are that name, before any name they prefix
                # ("W.G.B." is the Western Grain Board, not the W.G.B. Export Council).
                pool = by_acronym.get(tokens[0], []) or pool
        root = clusters.find(sig.ident)
        candidates = {clusters.find(other.ident) for other in pool} - {root}
        bare = person_like(sig) and len(tokens) == 1
        winner = _dominant({c: totals[c] for c in candidates}, SURNAME_MIN_ARTICLES if bare else None)
        if winner is None and bare:
            winner = _dominant({c: totals[c] for c in candidates})
            if winner is not None and not context.shared(
                sig, [m for m in pool if clusters.find(m.ident) == winner]
            ):
                winner = None
        if winner is not None:
            if bare and not _is_person(sig):
                non_voters.add(sig.ident)  # a surname typed ORG in a table does not make the person an ORG
            merged = totals.pop(root) + totals.pop(winner)
            clusters.union(root, winner)
            totals[clusters.find(root)] = merged

    # 4. Forms of one group word ("Kurds", "Kurdish"; "Serb", "Serbian"; "Democrat", "Democratic") are one.
    by_stem: dict[tuple[str, ...], tuple[str, str]] = {}
    for sig in signatures:
        if sig.type == "NORP" and sig.tokens:
            stem = (*sig.tokens[:-1], group_stem(sig.tokens[-1]))
            if stem in by_stem:
                clusters.union(by_stem[stem], sig.ident)
            else:
                by_stem[stem] = sig.ident

    # 5. Nationality words join their place.
    places: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for sig in signatures:
        if sig.type in PLACE_TYPES:
            places[sig.tokens].append(sig.ident)
    for sig in signatures:
        if sig.type not in ("NORP", "OTHER") or not sig.tokens:
            continue
        head = sig.tokens[:-1]
        found = {
            clusters.find(ident)
            # A place name the model read as a group word ("Harlow" as NORP) is the place too.
            for place in (sig.tokens[-1], *demonym_places(sig.tokens[-1]))
            for ident in places.get((*head, *place.split()), [])
        }
        if len(found) == 1:
            clusters.union(sig.ident, found.pop())
            non_voters.add(sig.ident)

    resolved: dict[tuple[str, str], Resolved] = {}
    taken: dict[tuple[str, str], tuple[str, str]] = {}
    for root, members in clusters.members().items():
        entity = _entity_of(members, non_voters)
        ident = (entity.key, entity.type)
        if ident in taken:  # two clusters named alike: keep one row
            log.debug("entity %s reached from two clusters", ident)
        taken[ident] = root
        for sig in members:
            resolved[sig.ident] = entity
    return resolved


def _entity_of(members: list[Signature], non_voters: set[tuple[str, str]]) -> Resolved:
    votes: dict[str, int] = defaultdict(int)
    voters = [s for s in members if s.ident not in non_voters] or members
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
