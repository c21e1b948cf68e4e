"""Sides in results tables and around "beat" are teams (organisations), except countries."""

from __future__ import annotations

import re

from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, covered_tokens, place_kind


def tag_sports_teams(state: State) -> None:
    """Label the sides of results tables and match reports as teams."""
    state.spans, state.sports = _sports_teams(state.tokens, state.spans, state.lex)


_SCORE = re.compile(r"^\d{1,3}(-\d{1,3})?$")
_SCORE_FOLLOWERS = frozenset({"and", "points", "pts", "for", "not", "runs", "wickets", "overs", "in"})


def _is_score_at(doc: Tokens, i: int) -> bool:
    """A game score at token ``i``: "296", "81-3" (not "10 million", not a year)."""
    if i >= len(doc) or not _SCORE.match(doc[i].text):
        return False
    after = doc[i + 1] if i + 1 < len(doc) else None
    return after is None or not after.is_alpha or not after.is_lower or after.lower_ in _SCORE_FOLLOWERS


def _proper_run(doc: Tokens, start: int, covered: list[bool], limit: int = 3) -> int:
    """End of a run of up to ``limit`` capitalised proper-noun tokens from ``start``."""
    end = start
    while (
        end < len(doc)
        and end - start < limit
        and not covered[end]
        and doc[end].text[:1].isupper()
        and doc[end].pos_ == "PROPN"
    ):
        end += 1
    return end


def _opens_table_cell(doc: Tokens, i: int, lex: Lexicons) -> bool:
    """A side's name follows punctuation, a number or a result word, not prose
    ("b Chandana 2" in a scorecard names the bowler)."""
    if i == 0:
        return True
    before = doc[i - 1]
    return not (before.is_alpha and before.is_lower) or (before.lower_,) in lex.sports_cues


def _sports_teams(doc: Tokens, spans: list[Span], lex: Lexicons) -> tuple[list[Span], bool]:
    """Sides in results tables and "X beat Y" are teams (organisations), not places.

    Only in an article with at least two "name score" pairs (a results table or
    a match report); countries stay places, as national sides are named after
    them; people (golfers, bowlers) keep their label.
    """
    covered = covered_tokens(spans, doc)
    by_start = {s.start: s for s in spans}
    candidates: list[Span] = []
    i = 0
    while i < len(doc):
        span = by_start.get(i)
        if span is not None:
            if _is_score_at(doc, span.end) and _opens_table_cell(doc, i, lex):
                candidates.append(span)
            i = span.end
            continue
        end = _proper_run(doc, i, covered, limit=2) if not covered[i] else i
        if end > i and _is_score_at(doc, end) and not doc[i].is_stop and _opens_table_cell(doc, i, lex):
            candidates.append(Span(i, end, None))
            i = end
            continue
        i += 1
    # "Eastmoor beat Westvale": both sides of a result verb.
    for span in spans:
        for size in set(lex.sports_cues.values()):
            words = tuple(t.lower_ for t in doc[span.end : span.end + size])
            other = by_start.get(span.end + size)
            if words in lex.sports_cues and other is not None and "PERSON" not in (span.label, other.label):
                candidates.extend([span, other])
    if len(candidates) < 2:
        return spans, False
    added: list[Span] = []
    for span in candidates:
        if span.strong or span.label == "PERSON":
            continue
        if place_kind(doc, span) == "country":
            if span.label is None:
                span.label = "GPE"
                added.append(span)
            continue
        if span.label is None:
            added.append(span)
        span.label, span.strong = "ORG", True
    return sorted(spans + added, key=lambda s: s.start), True
