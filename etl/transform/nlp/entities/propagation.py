"""One label per name within the article, and names tagged where the model missed them.

Rule evidence, then the majority, gives one label per name; a surname seen in
a full person name is that person everywhere (unless it is an organisation's
short form); spans still undecided are dropped, except the owner of a
possessive that the gazetteer knows; a name tagged once is tagged where the
model missed it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from etl.keys import entity_key
from etl.records import EntityType
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, covered_tokens, name_tokens
from etl.transform.nlp.places import gazetteer


def vote_labels(state: State) -> None:
    """Give every mention of a name one label: rule evidence first, then the majority."""
    _majority_labels(state.tokens, state.spans)


def label_name_parts(state: State) -> None:
    """A lone surname or first name is the person it belongs to; an organisation's short form is it."""
    doc, spans, parts, org_shorts = state.tokens, state.spans, state.person_parts, state.org_shorts
    strong_keys = {s.key(doc) for s in spans if s.strong}
    for span in spans:
        tokens = name_tokens(doc, span)
        if len(tokens) != 1 or span.strong or tokens[0] in strong_keys:
            continue
        # A surname (or the first name of a full name) is that person everywhere,
        # unless it is also the short form of an organisation's name.
        if tokens[0] in org_shorts:
            span.label = "ORG"
        elif tokens[0] in parts:
            span.label = "PERSON"


def drop_undecided(state: State) -> None:
    """Drop spans still without a label (unless a known place owns a possessive) and one-letter names."""
    doc = state.tokens
    state.spans = [
        s for s in state.spans if (s.label is not None or _resolve_owner(doc, s)) and len(s.key(doc)) > 1
    ]


def tag_repeats(state: State) -> None:
    """Tag names, surnames and short forms tagged elsewhere in the article where the model missed them."""
    doc, spans, surnames, org_shorts = state.tokens, state.spans, state.surnames, state.org_shorts
    known: dict[tuple[str, ...], EntityType] = {}
    for span in spans:
        if span.label is not None:
            known.setdefault(tuple(t.text for t in doc[span.start : span.end]), span.label)
    for surname in surnames:
        known.setdefault((surname,), "PERSON")
    for short in org_shorts:
        known.setdefault((short,), "ORG")
    covered = covered_tokens(spans, doc)
    max_len = max((len(k) for k in known), default=0)
    added: list[Span] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if covered[i] or not token.text[:1].isupper() or token.is_stop:
            i += 1
            continue
        for size in range(min(max_len, len(doc) - i), 0, -1):
            words = tuple(t.text for t in doc[i : i + size])
            label = known.get(words)
            if label is None and size == 1 and token.is_title:
                label = known.get((entity_key(token.text),))
            if label is None or any(covered[i : i + size]):
                continue
            if size == 1 and (
                token.pos_ != "PROPN"
                # "Foreign Minister", "National Westminster": the start of another name.
                or (i + 1 < len(doc) and doc[i + 1].is_title and doc[i + 1].is_alpha)
            ):
                continue
            added.append(Span(i, i + size, label))
            i += size
            break
        else:
            i += 1
    state.spans = sorted(spans + added, key=lambda s: s.start)


def _majority_labels(doc: Tokens, spans: list[Span]) -> None:
    """One label per name within the article: rule evidence first, then the most frequent."""
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    strong: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for span in spans:
        if span.label is not None and not span.local:
            (strong if span.strong else votes)[span.key(doc)][span.label] += 1
    for span in spans:
        if span.local:
            continue
        key = span.key(doc)
        if key in strong:
            if not span.strong:
                span.label = strong[key].most_common(1)[0][0]
            continue
        counter = votes.get(key)
        if not counter:
            continue
        ranked = counter.most_common(2)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if ranked[0][1] > runner_up or span.label is None:
            span.label = ranked[0][0]


def _resolve_owner(doc: Tokens, span: Span) -> bool:
    """Label the undecided owner of a possessive ("Hawaii's") when it is a place."""
    if span.label is not None:
        return True
    place = gazetteer().resolve(span.text(doc)).place
    if place is not None:
        span.label = "GPE" if place.country_code else "LOC"
        return True
    return False
