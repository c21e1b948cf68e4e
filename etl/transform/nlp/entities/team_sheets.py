"""Players in a team sheet are people: "Norvania - 1 - Ian Vell , 2 - Oto Kask ( 14 - Per Lunn , 57th )".

A line-up lists each player after a shirt number and a dash; the small model
reads many of those names as numbers or quantities, or not at all. Where an
article holds at least :data:`MIN_PLAYERS` such items, each capitalised run
of words after "<number> -", ending at a comma, semicolon, bracket or full
stop, is a person (strong, so the vote keeps it), and the story is a sports
story (``State.sports``).
"""

from __future__ import annotations

import re

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens

MIN_PLAYERS = 3
"""Items of "<number> - <Name>" an article needs before it is read as a team sheet."""
MAX_NAME_WORDS = 4

_SHIRT = re.compile(r"^\d{1,2}-?$")
_OPENERS = frozenset({",", ";", "(", "-", ":", "."})
_CLOSERS = frozenset({",", ";", "(", ")", "."})


def _player_at(doc: Tokens, i: int) -> tuple[int, int] | None:
    """The name after a shirt number at token ``i`` ("4 - Hakan Unsal ,"), as token bounds."""
    if not _SHIRT.match(doc[i].text) or (i > 0 and doc[i - 1].text not in _OPENERS):
        return None
    start = i + 1
    if not doc[i].text.endswith("-"):
        if start >= len(doc) or doc[start].text != "-":
            return None
        start += 1
    end = start
    while (
        end < len(doc) and end - start < MAX_NAME_WORDS and doc[end].is_alpha and doc[end].text[:1].isupper()
    ):
        end += 1
    if end == start or (end < len(doc) and doc[end].text not in _CLOSERS):
        return None
    return start, end


def tag_team_sheets(state: State) -> None:
    """Mark the players of a team sheet as people."""
    doc = state.tokens
    players = [p for p in (_player_at(doc, i) for i in range(len(doc) - 2)) if p is not None]
    if len(players) < MIN_PLAYERS:
        return
    state.sports = True
    by_bounds = {(s.start, s.end): s for s in state.spans}
    taken = [False] * len(doc)
    for span in state.spans:
        for i in range(span.start, span.end):
            taken[i] = True
    added: list[Span] = []
    for start, end in players:
        found = by_bounds.get((start, end))
        if found is not None:
            found.label, found.strong = "PERSON", True
        elif not any(taken[start:end]):
            added.append(Span(start, end, "PERSON", strong=True))
    if added:
        state.spans = sorted(state.spans + added, key=lambda s: s.start)
