"""Named entities of an article: repaired spans, one canonical record per thing.

The small spaCy model gets a few things wrong in a systematic way; this module
repairs them with general mechanisms, in this order:

1. Span cleaning: a leading "the", trailing possessives, punctuation and
   numbers (``SEOUL 1996-08-30``) leave the span; a possessive inside a span
   splits it ("Hawaii's Pacific Forum" -> "Hawaii" + "Pacific Forum"); titles
   and demonyms leave a person's name ("Russian President Vladimir Putin").
   Offsets stay exact: every mention satisfies ``body[start:end] == text``.
2. Portfolios: "Secretary of State" is a title, so "State" is no
   organisation; "Ministry of Finance" is one, whole.
3. Curated hints (``data/``): news agencies are organisations; a name ending
   in an organisation word ("... Corp", "... University") is one; a name
   written after "giant", "company", "carmaker" is one, after "analyst",
   "striker" a person.
4. Consistency within the article: one label per name (majority vote), a
   surname seen in a full person name is that person everywhere (overriding
   other labels), and a name the model tagged once is tagged where it missed it.
5. Grouping: every mention of one thing points to one record. Places resolve
   through the gazetteer (:mod:`etl.transform.places`) so "U.S." and "United
   States" are one entity with coordinates; a short person name joins the one
   full name it is part of ("Putin" -> "Vladimir Putin"); a short name shared
   by two full names ("Smith" with "John Smith" and "Mary Smith") joins
   neither and stays its own entity.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from etl.records import ArticleRecord, EntityRecord, EntityType, MentionRecord
from etl.transform.places import Place, gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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

PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})
DATA_DIR = Path(__file__).parent / "data"
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
_DATE_LIKE = re.compile(r"^[\d./:-]+$")


def entity_key(name: str) -> str:
    """Normalise a name for matching across articles: case, accents, punctuation, "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


# -- curated lexicons -------------------------------------------------------------
def _read_lines(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Lexicons:
    """The curated word lists in ``data/``, read once per process."""

    agencies: dict[tuple[str, ...], int]
    agency_max_len: int
    org_suffixes: frozenset[str]
    org_cues: frozenset[str]
    person_cues: frozenset[str]
    person_titles: frozenset[str]
    portfolios: frozenset[str]
    demonyms: frozenset[str]


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Load the curated lists (and the gazetteer's demonyms) once."""
    agencies: dict[tuple[str, ...], int] = {}
    for name in _read_lines("news_agencies.txt"):
        tokens = tuple(name.replace("-", " - ").split())
        agencies[tokens] = len(tokens)
        agencies[tuple(t.upper() for t in tokens)] = len(tokens)
    return Lexicons(
        agencies=agencies,
        agency_max_len=max(agencies.values()),
        org_suffixes=frozenset(_read_lines("org_suffixes.txt")),
        org_cues=frozenset(_read_lines("org_cues.txt")),
        person_cues=frozenset(_read_lines("person_cues.txt")),
        person_titles=frozenset(_read_lines("person_titles.txt")),
        portfolios=frozenset(entity_key(p) for p in _read_lines("portfolios.txt")),
        demonyms=frozenset(gazetteer().demonyms),
    )


# -- spans ------------------------------------------------------------------------
@dataclass(slots=True)
class _Span:
    """A candidate entity over tokens ``[start, end)``; ``label`` None = undecided."""

    start: int
    end: int
    label: EntityType | None

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text

    def key(self, doc: Doc) -> str:
        return entity_key(self.text(doc))


def _is_name_token(token: Token) -> bool:
    """A token that can start or end a name: a word or number, not punctuation."""
    return not (token.is_punct or token.is_space or token.text in POSSESSIVES)


def _trim(doc: Doc, span: _Span) -> _Span | None:
    """Drop a leading "the", punctuation, trailing possessives and numbers."""
    start, end = span.start, span.end
    while start < end and (doc[start].lower_ == "the" or not _is_name_token(doc[start])):
        start += 1
    while end > start and (
        not _is_name_token(doc[end - 1]) or (_DATE_LIKE.match(doc[end - 1].text) and end - 1 > start)
    ):
        end -= 1
    if start >= end or not any(ch.isalpha() for ch in doc[start:end].text):
        return None
    return _Span(start, end, span.label)


def _strip_person_titles(doc: Doc, span: _Span, lex: Lexicons) -> _Span:
    """Drop titles and demonyms at the front of a person's name (keeps one token)."""
    start = span.start
    while start < span.end - 1:
        word = doc[start].text.rstrip(".")
        if word in lex.person_titles or word in lex.demonyms or word.title() in lex.person_titles:
            start += 1
        elif doc[start].lower_ in ("of", "the", "and", "for") and start > span.start:
            start += 1  # "Secretary of State Antony Blinken": the "of" between titles
        else:
            break
    return _Span(start, span.end, span.label)


def _split_possessive(doc: Doc, span: _Span, lex: Lexicons) -> list[_Span]:
    """Split "Hawaii's Pacific Forum" into owner (label undecided) and thing."""
    for i in range(span.start + 1, span.end - 1):
        if doc[i].text in POSSESSIVES or doc[i].tag_ == "POS":
            right = _Span(i + 1, span.end, span.label)
            # "St. John's University": the part after is a lone generic word.
            if right.end - right.start == 1 and doc[right.start].text in lex.org_suffixes:
                return [span]
            if not doc[right.start].text[:1].isupper():
                return [span]
            return [_Span(span.start, i, None), right]
    return [span]


def _clean(doc: Doc, span: _Span, lex: Lexicons) -> list[_Span]:
    trimmed = _trim(doc, span)
    if trimmed is None:
        return []
    out: list[_Span] = []
    for part in _split_possessive(doc, trimmed, lex):
        part = _trim(doc, part)
        if part is None:
            continue
        if part.label == "PERSON":
            part = _strip_person_titles(doc, part, lex)
        out.append(part)
    return out


def _portfolios(doc: Doc, spans: list[_Span], lex: Lexicons) -> list[_Span]:
    """Drop "State" of "Secretary of State"; widen "Finance" to "Ministry of Finance"."""
    out: list[_Span] = []
    for span in spans:
        if span.start >= 2 and doc[span.start - 1].lower_ in ("of", "for") and span.key(doc) in lex.portfolios:
            head = doc[span.start - 2].text
            if head in ("Ministry", "Department", "Office", "Secretariat"):
                out.append(_Span(span.start - 2, span.end, "ORG"))
                continue
            if head[:1].isupper():
                continue  # a title: Secretary/Minister/Commissioner of State/Finance
        out.append(span)
    return out


def _covered(spans: list[_Span], n_tokens: int) -> list[bool]:
    covered = [False] * n_tokens
    for span in spans:
        for i in range(span.start, span.end):
            covered[i] = True
    return covered


def _agencies(doc: Doc, spans: list[_Span], lex: Lexicons) -> list[_Span]:
    """Tag news agencies as organisations, replacing what the model said."""
    words = [t.text for t in doc]
    matches: list[_Span] = []
    i = 0
    while i < len(words):
        for size in range(min(lex.agency_max_len, len(words) - i), 0, -1):
            if tuple(words[i : i + size]) in lex.agencies:
                matches.append(_Span(i, i + size, "ORG"))
                i += size
                break
        else:
            i += 1
    if not matches:
        return spans
    out: list[_Span] = []
    for span in spans:
        inside = [m for m in matches if m.start < span.end and span.start < m.end]
        if not inside:
            out.append(span)
        elif any(m.start <= span.start and span.end <= m.end for m in inside):
            continue  # the agency match covers the model's span
        elif len(inside) == 1 and inside[0].end == span.end:
            # "Thomson Reuters" tagged PERSON around "Reuters": an agency's name.
            span.label = "ORG"
            out.append(span)
            matches.remove(inside[0])
        else:
            out.append(span)
            for m in inside:
                matches.remove(m)
    return sorted(out + matches, key=lambda s: s.start)


def _relabel_by_form(doc: Doc, spans: list[_Span], lex: Lexicons) -> None:
    """Organisation suffixes and the descriptive noun before a name decide its type."""
    gaz = gazetteer()
    for span in spans:
        if span.label not in (None, "PERSON", "GPE", "LOC", "NORP", "ORG"):
            continue
        last = doc[span.end - 1].text
        if span.end - span.start > 1 and last in lex.org_suffixes and span.label != "ORG":
            span.label = "ORG"
            continue
        if span.start == 0:
            continue
        before = doc[span.start - 1]
        if not before.is_lower:
            continue
        cue = before.lower_
        is_country = (gaz.resolve(span.text(doc)).place or _NO_PLACE).kind == "country"
        if is_country:
            continue
        if cue in lex.org_cues or cue.endswith("maker"):
            span.label = "ORG"
        elif cue in lex.person_cues and span.label in (None, "GPE", "LOC", "ORG"):
            span.label = "PERSON"


_NO_PLACE = Place("", "", "city", None, None, None)


def _name_tokens(doc: Doc, span: _Span) -> tuple[str, ...]:
    return tuple(entity_key(t.text) for t in doc[span.start : span.end] if entity_key(t.text))


def _person_parts(doc: Doc, spans: list[_Span]) -> tuple[dict[str, set[tuple[str, ...]]], set[str]]:
    """Map first and last tokens of full person names to the names; also the surnames."""
    parts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    surnames: set[str] = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        tokens = _name_tokens(doc, span)
        if len(tokens) < 2:
            continue
        parts[tokens[-1]].add(tokens)
        surnames.add(tokens[-1])
        if len(tokens[0]) > 1:  # "S." is an initial, not a name
            parts[tokens[0]].add(tokens)
    return parts, surnames


def _majority_labels(doc: Doc, spans: list[_Span]) -> None:
    """One label per name within the article: the most frequent one wins."""
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for span in spans:
        if span.label is not None:
            votes[span.key(doc)][span.label] += 1
    for span in spans:
        counter = votes.get(span.key(doc))
        if not counter:
            continue
        (best, best_n), *rest = counter.most_common(2) + [(None, 0)]
        runner_up = rest[0][1] if rest else 0
        if best is not None and (best_n > runner_up or span.label is None):
            span.label = best


def _propagate(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """Make labels consistent within the article and tag missed repeats of names."""
    _majority_labels(doc, spans)
    parts, surnames = _person_parts(doc, spans)
    for span in spans:
        tokens = _name_tokens(doc, span)
        # A surname (or the first name of a full name) is that person everywhere.
        if len(tokens) == 1 and tokens[0] in parts and span.label != "PERSON":
            span.label = "PERSON"
    spans = [s for s in spans if s.label is not None or _resolve_owner(doc, s)]
    # Names the model tagged somewhere, repeated where it did not.
    known: dict[tuple[str, ...], EntityType] = {}
    for span in spans:
        if span.label is not None:
            known.setdefault(tuple(t.text for t in doc[span.start : span.end]), span.label)
    for surname in surnames:
        known.setdefault((surname,), "PERSON")
    covered = _covered(spans, len(doc))
    max_len = max((len(k) for k in known), default=0)
    added: list[_Span] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if covered[i] or not token.text[:1].isupper() or token.is_stop:
            i += 1
            continue
        for size in range(min(max_len, len(doc) - i), 0, -1):
            window = doc[i : i + size]
            words = tuple(t.text for t in window)
            label = known.get(words)
            if label is None and size == 1:
                label = known.get((entity_key(token.text),)) if token.text.istitle() else None
            if label is None or any(covered[i : i + size]):
                continue
            if size == 1 and token.pos_ != "PROPN":
                continue
            added.append(_Span(i, i + size, label))
            i += size
            break
        else:
            i += 1
    return sorted(spans + added, key=lambda s: s.start)


def _resolve_owner(doc: Doc, span: _Span) -> bool:
    """Label the undecided owner of a possessive ("Hawaii's") when it is a place."""
    place = gazetteer().resolve(span.text(doc)).place
    if place is not None:
        span.label = "GPE" if place.country_code else "LOC"
        return True
    return False


def _remove_overlaps(spans: list[_Span]) -> list[_Span]:
    """Keep the longer of two overlapping spans (the earlier one on ties)."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


# -- grouping ---------------------------------------------------------------------
def _display_name(surfaces: list[str]) -> str:
    """The fullest surface form, preferring one not written in capitals."""
    return max(surfaces, key=lambda s: (not s.isupper(), len(s.split()), surfaces.count(s), len(s)))


def _person_groups(doc: Doc, spans: list[_Span]) -> dict[int, tuple[str, ...]]:
    """Assign each person span the token key of the full name it refers to."""
    names = {id(s): _name_tokens(doc, s) for s in spans}
    distinct = set(names.values())

    def refers_to(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
        if short == full or len(short) >= len(full):
            return False
        if full[: len(short)] == short or full[-len(short) :] == short:
            return True
        # "George Bush" in "George W. Bush": same first and last, in order.
        it = iter(full)
        return short[0] == full[0] and short[-1] == full[-1] and all(t in it for t in short)

    maximal = {n for n in distinct if not any(refers_to(n, other) for other in distinct)}
    target: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in distinct:
        if name in maximal:
            target[name] = name
            continue
        owners = {full for full in maximal if refers_to(name, full)}
        # Two people share this name part: the short mention joins neither.
        target[name] = owners.pop() if len(owners) == 1 else name
    return {sid: target[tokens] for sid, tokens in names.items()}


@dataclass(slots=True)
class _Group:
    type: EntityType
    surfaces: list[str]
    mentions: list[MentionRecord]
    place: Place | None = None
    name_tokens: tuple[str, ...] = ()


def extract_entities(doc: Doc, article: ArticleRecord) -> tuple[EntityRecord, ...]:
    """Find the article's entities, repaired and grouped one record per thing."""
    lex = lexicons()
    spans: list[_Span] = []
    for ent in doc.ents:
        label = SPACY_TYPES.get(ent.label_)
        if label is not None:
            spans.extend(_clean(doc, _Span(ent.start, ent.end, label), lex))
    spans = _portfolios(doc, spans, lex)
    spans = _agencies(doc, spans, lex)
    _relabel_by_form(doc, spans, lex)
    spans = _remove_overlaps(_propagate(doc, spans))
    return _group(doc, article, spans)


def _group(doc: Doc, article: ArticleRecord, spans: list[_Span]) -> tuple[EntityRecord, ...]:
    gaz = gazetteer()
    places: dict[str, Place | None] = {}
    for span in spans:
        if span.label in PLACE_TYPES:
            places.setdefault(span.key(doc), gaz.resolve(span.text(doc)).place)
    # Countries named in the article settle which "Cambridge" is meant.
    context = {p.country_code for p in places.values() if p is not None and p.country_code}
    for key, place in places.items():
        if place is None and context:
            first = next(s for s in spans if s.label in PLACE_TYPES and s.key(doc) == key)
            places[key] = gaz.resolve(first.text(doc), context).place

    person_targets = _person_groups(doc, [s for s in spans if s.label == "PERSON"])
    groups: dict[tuple[str, str], _Group] = {}
    for span in spans:
        assert span.label is not None
        text = span.text(doc)
        start = doc[span.start].idx
        end = doc[span.end - 1].idx + len(doc[span.end - 1].text)
        mention = MentionRecord(start, end, text, article.paragraph_of(start))
        label: EntityType = span.label
        place = places.get(span.key(doc)) if label in PLACE_TYPES else None
        if place is not None:
            label = "GPE" if place.kind in ("country", "city") or place.country_code else "LOC"
            group_id = ("place", place.place_id)
        elif label == "PERSON":
            group_id = ("PERSON", " ".join(person_targets[id(span)]))
        else:
            group_id = (label, span.key(doc))
        group = groups.setdefault(group_id, _Group(label, [], [], place))
        group.surfaces.append(text)
        group.mentions.append(mention)
        if label == "PERSON":
            group.name_tokens = person_targets[id(span)]

    records: list[EntityRecord] = []
    for group in groups.values():
        if group.place is not None:
            name = group.place.name
        elif group.type == "PERSON":
            # The fullest name: the surface form whose tokens are the group's name.
            full = [s for s in group.surfaces if tuple(entity_key(w) for w in s.split() if entity_key(w)) == group.name_tokens]
            name = _display_name(full or group.surfaces)
        else:
            name = _display_name(group.surfaces)
        records.append(
            EntityRecord(
                name=name,
                type=group.type,
                key=entity_key(name),
                mentions=tuple(sorted(group.mentions, key=lambda m: m.start)),
                country_code=group.place.country_code if group.place else None,
                latitude=group.place.latitude if group.place else None,
                longitude=group.place.longitude if group.place else None,
            )
        )
    return tuple(sorted(records, key=lambda r: r.mentions[0].start))
