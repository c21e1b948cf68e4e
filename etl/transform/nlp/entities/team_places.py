"""In a sports story a town's or a region's name is its team, except where it says where.

Once the sports pass has found results lines or result verbs between sides
(``State.sports``), or two names are followed by a score ("Kestria 5-3") or a
result verb, a city, state or county the model typed as a place is the
side named after it ("Tarnow 's lead over Kestria", "Tarnow has won 10 of its
last 15"): an organisation, strong. Where the words before it say where
something happened ("In Tarnow ,", "at Tarnow", "returned to Tarnow", "( Tarnow
)") it is the place, for that mention only. Countries keep their place reading
(national sides are named after them and news corpora tag them as places);
datelines, already strong, stay places.
"""

from __future__ import annotations

import re

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, place_kind
from etl.transform.nlp.places import gazetteer

LOCATIVE_BEFORE = frozenset({"in", "at", "to", "from", "near", "outside", "of", "(", "around", "across"})
"""Words before a place name that say where, not who."""
TEAM_PLACE_KINDS = frozenset({"city", "region"})
"""Kinds of places that name clubs (towns, US states); countries, the nations of a union
("England") and continents name national sides, which news corpora tag as places."""
PLACE_LABELS = frozenset({"GPE", "LOC"})
MIN_RESULTS = 2
"""Names followed by a score or a result verb that make a story a sports story."""
_SCORE = re.compile(r"^\d{1,3}-\d{1,3}$")
_DATE_OR_VENUE = re.compile(r"^\s*(?:\d{4}-\d\d-\d\d|\()")


def tag_team_places(state: State) -> None:
    """Read towns and regions in a sports story as their teams, except where they say where."""
    doc = state.tokens
    if not (state.sports or _reports_results(state)):
        return
    for span in state.spans:
        if span.strong or span.label not in (*PLACE_LABELS, "ORG"):
            continue
        if not _names_a_town(doc, span):
            continue
        if _says_where(doc, span):
            if span.label in PLACE_LABELS:
                span.strong, span.local = True, True
        elif span.label in PLACE_LABELS:
            span.label, span.strong = "ORG", True


def _reports_results(state: State) -> bool:
    """At least :data:`MIN_RESULTS` names followed by a score ("Kestria 5-3") or a result verb."""
    doc, cues = state.tokens, state.lex.sports_cues
    sizes = set(cues.values())
    found = 0
    for span in state.spans:
        after = doc[span.end].text if span.end < len(doc) else ""
        if _SCORE.match(after) or any(
            tuple(t.lower_ for t in doc[span.end : span.end + size]) in cues for size in sizes
        ):
            found += 1
    return found >= MIN_RESULTS


def _names_a_town(doc: Tokens, span: Span) -> bool:
    """A city or US state, or a town the gazetteer knows by several places of that name ("Kansas City")."""
    kind = place_kind(doc, span)
    return kind in TEAM_PLACE_KINDS or (kind is None and gazetteer().knows(span.text(doc), small=False))


def _says_where(doc: Tokens, span: Span) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    end = doc[span.end - 1].idx + len(doc[span.end - 1].text)
    if _DATE_OR_VENUE.match(doc.text_[end : end + 12]):
        return True  # a dateline ("KESTRIA , Tarnow 1996-08-31") or a ground ("Tarnow ( Kestrel Park )")
    # "In Tarnow ," or "at Tarnow", not a fixture list in capitals ("KESTRIA AT TARNOW").
    return before is not None and before.lower_ in LOCATIVE_BEFORE and not before.is_upper
