"""Acronyms and short forms that stand for a longer name.

An acronym defined in brackets ("National Council of Harbour
Pilots ( NCHP )") and the first word of a company name ("Quillon" of
"Quillon Freight Inc") stand for the organisation; the first and last
words of a full person name are recorded for the propagation passes.
"""

from __future__ import annotations

from collections import defaultdict

from etl.keys import entity_key
from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, name_tokens
from etl.transform.nlp.places import gazetteer


def link_acronyms(state: State) -> None:
    """Tag or relabel acronyms defined in brackets; record them as aliases of the full name."""
    state.spans, aliases = _acronyms(state.tokens, state.spans)
    state.aliases.update(aliases)


def find_short_forms(state: State) -> None:
    """Record the parts of full person names, surnames, and organisations' short forms (as aliases)."""
    state.person_parts, state.surnames = _person_parts(state.tokens, state.spans)
    state.org_shorts = _org_short_forms(state.tokens, state.spans, state.lex)
    for short, full in state.org_shorts.items():
        state.aliases.setdefault(short, " ".join(full))


def _acronyms(doc: Tokens, spans: list[Span]) -> tuple[list[Span], dict[str, str]]:
    """ "National Council of Harbour Pilots ( NCHP )": the acronym is that name.

    Returns the spans (an untagged acronym added, a tagged one relabelled) and
    a map from each acronym's key to the full name's key.
    """
    by_start = {s.start: s for s in spans}
    aliases: dict[str, str] = {}
    added: list[Span] = []
    for span in spans:
        i = span.end
        if span.label is None or span.end - span.start < 2 or i + 2 >= len(doc):
            continue
        if doc[i].text != "(" or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text.replace(".", "")
        initials = [t.text[0] for t in doc[span.start : span.end] if t.text[:1].isupper()]
        if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
            continue
        if not initials or acronym[0] != initials[0]:
            continue
        existing = by_start.get(i + 1)
        if existing is not None and existing.end == i + 2:
            existing.label, existing.strong = span.label, True
        elif existing is None:
            added.append(Span(i + 1, i + 2, span.label, strong=True))
        else:
            continue
        aliases[entity_key(acronym)] = span.key(doc)
    return sorted(spans + added, key=lambda s: s.start), aliases


def _person_parts(doc: Tokens, spans: list[Span]) -> tuple[dict[str, set[tuple[str, ...]]], set[str]]:
    """Map first and last tokens of full person names to the names; also the surnames."""
    parts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    surnames: set[str] = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        tokens = name_tokens(doc, span)
        if len(tokens) < 2 or not (
            doc[span.start].text[:1].isupper() and doc[span.end - 1].text[:1].isupper()
        ):
            continue
        parts[tokens[-1]].add(tokens)
        surnames.add(tokens[-1])
        if len(tokens[0]) > 1:  # "S." is an initial, not a name
            parts[tokens[0]].add(tokens)
    return parts, surnames


def _well_known_place(doc: Tokens, span: Span) -> bool:
    """A country, region or a city of 100,000 or more: its name keeps its meaning."""
    place = gazetteer().resolve(span.text(doc)).place
    if place is None or place.kind == "province":
        return False
    return place.kind != "city" or place.population >= 100_000


def _org_short_forms(doc: Tokens, spans: list[Span], lex: Lexicons) -> dict[str, tuple[str, ...]]:
    """First words of organisation names that stand for them ("Quillon" of "Quillon Freight Inc")."""
    shorts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for span in spans:
        if span.label != "ORG" or span.end - span.start < 2 or doc[span.end - 1].text not in lex.org_suffixes:
            continue
        first = doc[span.start]
        if (
            first.is_stop
            or not first.is_title
            or first.text in lex.org_suffixes
            or first.text in lex.demonyms
            or first.text in lex.person_titles
            or entity_key(first.text) in lex.portfolios
            or _well_known_place(doc, Span(span.start, span.start + 1, None))
        ):
            continue
        shorts[entity_key(first.text)].add(name_tokens(doc, span))
    return {short: next(iter(fulls)) for short, fulls in shorts.items() if len(fulls) == 1}
