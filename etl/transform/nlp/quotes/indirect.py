"""Indirect speech: "Xi and Putin would exchange views on ties, the ministry said".

A reporting verb with a subject and a clausal complement (``ccomp``) reports
what its subject said; the complement is the content. Clauses that hold a
quoted passage are left to the passage (reported as partial), and a report
nested in another report is not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.transform.nlp.quotes.cues import Cue, cue_from_verb, introduces_quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

_MIN_TOKENS = 4
_MAX_SPEAKER_TOKENS = 8
_LEADING = frozenset({"that", ",", "—", "–", ":"})


@dataclass(frozen=True, slots=True)
class Report:
    """One piece of reported speech: its content's offsets and its cue."""

    start: int
    end: int
    cue: Cue


def find_reports(doc: Doc, blocked: list[bool]) -> list[Report]:
    """Reported-speech clauses outside quotes, outermost first, in text order."""
    reports: list[Report] = []
    covered: list[tuple[int, int]] = []
    for verb in doc:
        if blocked[verb.i] or not introduces_quote(verb):
            continue
        if any(lo <= verb.i < hi for lo, hi in covered):
            continue
        complement = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if complement is None:
            continue
        tokens = sorted(t.i for t in complement.subtree)
        lo, hi = tokens[0], tokens[-1] + 1
        if any(blocked[lo:hi]) or hi - lo < _MIN_TOKENS:
            continue
        while lo < hi and (doc[lo].lower_ in _LEADING or doc[lo].is_space):
            lo += 1
        while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
            hi -= 1
        if hi - lo < _MIN_TOKENS:
            continue
        cue = cue_from_verb(verb, blocked)
        if cue is None or cue.speaker is None or lo <= cue.speaker[0] < hi:
            continue
        if cue.speaker[1] - cue.speaker[0] > _MAX_SPEAKER_TOKENS:
            continue  # a clause, not somebody: "study -- which notes that 58 companies ..."
        covered.append((lo, hi))
        reports.append(Report(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text), cue))
    return reports
