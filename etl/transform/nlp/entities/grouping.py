"""One EntityRecord per thing, every mention pointing to it.

Places resolve through the gazetteer (:mod:`etl.transform.nlp.places`) so
"U.S." and "United States" are one entity with coordinates; a short person
name joins the one full name it is part of ("Putin" -> "Vladimir Putin", "Xi"
-> "Xi Jinping"); a short name shared by two full names ("Carter" with "Tom
Carter" and "Helen Carter") joins neither and stays its own entity.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from etl.keys import entity_key
from etl.records import ArticleRecord, EntityRecord, EntityType, MentionRecord
from etl.transform.nlp.entities.place_context import resolve_article_places
from etl.transform.nlp.entities.plausible import plausible_place_name
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.state_bodies import state_body_regions
from etl.transform.nlp.entities.tokens import Span, Tokens, name_tokens
from etl.transform.nlp.places import Place, gazetteer

PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})


def remove_overlaps(state: State) -> None:
    """Keep the longer of two overlapping spans (the earlier one on ties)."""
    state.spans = _remove_overlaps(state.spans)


def group_entities(state: State) -> None:
    """Group the spans into the article's entity records."""
    state.entities = _group(state.tokens, state.article, state.spans, state.aliases)


def _remove_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the longer of two overlapping spans (the earlier one on ties)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _display_name(surfaces: list[str]) -> str:
    """The fullest surface form, preferring one not written in capitals."""
    return max(surfaces, key=lambda s: (not s.isupper(), len(s.split()), surfaces.count(s), len(s)))


def _person_groups(doc: Tokens, spans: list[Span]) -> dict[int, tuple[str, ...]]:
    """Assign each person span the token key of the full name it refers to."""
    names = {id(s): name_tokens(doc, s) for s in spans}
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


def _person_name_parts(doc: Tokens, spans: list[Span]) -> list[Span]:
    """Settle the words people and places share.

    A one-word "place" that is a word of a person's full name in the article
    is that person: "Garland" beside "Merrick Garland" is the judge, not
    Garland, Texas. A one-word "person" that is no word of any full name and
    is the name of a country or US state the article also names as a place
    ("Egypt") is that place.
    """
    words = {w for s in spans if s.label == "PERSON" and s.end - s.start > 1 for w in name_tokens(doc, s)}
    place_keys = {s.key(doc) for s in spans if s.label in PLACE_TYPES}
    gaz = gazetteer()
    out: list[Span] = []
    for span in spans:
        tokens = name_tokens(doc, span) if span.end - span.start == 1 else ()
        if span.label in PLACE_TYPES and tokens and tokens[0] in words:
            span = replace(span, label="PERSON")
        elif (
            span.label == "PERSON"
            and tokens
            and tokens[0] not in words
            and span.key(doc) in place_keys
            and gaz.is_country_or_state(span.text(doc))
        ):
            span = replace(span, label="GPE")
        out.append(span)
    return out


@dataclass(slots=True)
class _Group:
    type: EntityType
    surfaces: list[str]
    mentions: list[MentionRecord]
    place: Place | None = None
    name_tokens: tuple[str, ...] = ()


def _group(
    doc: Tokens, article: ArticleRecord, spans: list[Span], aliases: dict[str, str]
) -> tuple[EntityRecord, ...]:
    gaz = gazetteer()
    spans = [s for s in spans if s.label not in PLACE_TYPES or plausible_place_name(s.text(doc))]
    spans = _person_name_parts(doc, spans)
    names: dict[str, str] = {}
    for span in spans:
        if span.label in PLACE_TYPES:
            names.setdefault(span.key(doc), span.text(doc))
    regions = state_body_regions(doc, spans, gaz)
    places, context = resolve_article_places(gaz, names, article.dateline_places, regions)

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
            key = span.key(doc)
            group_id = (label, aliases.get(key, key))
        group = groups.setdefault(group_id, _Group(label, [], [], place))
        group.surfaces.append(text)
        group.mentions.append(mention)
        if label == "PERSON":
            group.name_tokens = person_targets[id(span)]

    # A dateline place ("HONG KONG/MOSCOW (Reuters)") is where the story was
    # filed even when the body never names it again: an entity with no mentions.
    for dateline_place in article.dateline_places:
        place = gaz.resolve(dateline_place.split(",")[0], context).place
        if place is not None and ("place", place.place_id) not in groups:
            label = "GPE" if place.kind in ("country", "city") or place.country_code else "LOC"
            groups[("place", place.place_id)] = _Group(label, [dateline_place], [], place)

    records: list[EntityRecord] = []
    for group in groups.values():
        if group.place is not None:
            name = group.place.name
        elif group.type == "PERSON":
            # The fullest name: the surface form whose tokens are the group's name.
            full = [
                s
                for s in group.surfaces
                if tuple(entity_key(w) for w in s.split() if entity_key(w)) == group.name_tokens
            ]
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
    # Mentioned entities in reading order; dateline-only places last.
    return tuple(sorted(records, key=lambda r: r.mentions[0].start if r.mentions else len(doc.text_)))
