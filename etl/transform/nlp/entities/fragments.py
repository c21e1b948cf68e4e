"""Results lines the model read as one name are several names.

In a results table or a fixture list the small model often runs the sides
together with their scores: "Ayr 6 Berwick 0", "Norwich 1 Wolverhampton",
"Leeds v Hull", "Yorkshire at Headingley", "Bevan 4-0-18-0", or, in tables
set in capitals, two places back to back ("DETROIT CHICAGO", "HOUSTON AT
PITTSBURGH") or a heading run into a side ("American League DETROIT"). No name holds a score, a fixture word or a bracket between two
names, so the span is cut there; a score after a person's, a team's or a
place's name is not part of it ("Derbyshire 471", "Mexico 2-0"); a span in
capitals that is no place itself but is two or more known places end to end
is those places. Offsets stay exact; the pieces keep the span's label.
"""

from __future__ import annotations

import re

from etl.transform.nlp.entities.regnal import ROMAN_NUMERAL
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens
from etl.transform.nlp.places import gazetteer

_FIGURE = re.compile(r"^\(?\d+(?:[-./]\d+)*\)?-?$")
"""A score, a run total or bowling figures ("6", "2-0", "4-0-18-0")."""
_SEPARATORS = frozenset({"v", "vs", "vs.", "at", "(", ")", "[", "]"})
"""Words and marks that stand between two sides or a side and its ground."""
_SCORED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
"""Labels whose names never end in a figure (an event or a product may: "Euro 96", "Boeing 747")."""


def split_table_fragments(state: State) -> None:
    """Cut spans that run several names of a results line together."""
    doc = state.tokens
    out: list[Span] = []
    for span in state.spans:
        for piece in _cut_at_separators(doc, span):
            for part in _cut_at_case_change(doc, piece):
                out.extend(_split_places(doc, part))
    state.spans = out


def _is_separator(doc: Tokens, span: Span, i: int) -> bool:
    token = doc[i]
    if _FIGURE.match(token.text):
        return True
    # "AT" in a table set in capitals, "at" or "v" in prose (a capitalised "At" is a word of a
    # name); between the parties of a case ("Roe v. Wade", typed OTHER) "v" is part of the name.
    return span.label in _SCORED_LABELS and token.lower_ in _SEPARATORS and (token.is_lower or token.is_upper)


def _has_name(doc: Tokens, start: int, end: int) -> bool:
    return any(t.is_alpha and t.text[:1].isupper() for t in doc[start:end])


def _keeps_trailing_figure(doc: Tokens, span: Span) -> bool:
    """ "Euro 96", "Apollo 11", "Channel 4 said": a figure ending an event, a product or a
    name in prose; a person's or place's name never ends in one, nor a team's in a table."""
    if span.label not in _SCORED_LABELS:
        return True
    figure = doc[span.end - 1].text
    after = doc[span.end] if span.end < len(doc) else None
    return span.label == "ORG" and "-" not in figure and after is not None and after.is_lower


def _cut_at_separators(doc: Tokens, span: Span) -> list[Span]:
    cuts = [i for i in range(span.start, span.end) if _is_separator(doc, span, i)]
    if not cuts or (cuts == [span.end - 1] and _keeps_trailing_figure(doc, span)):
        return [span]
    pieces: list[Span] = []
    start = span.start
    for cut in [*cuts, span.end]:
        if start < cut and _has_name(doc, start, cut):
            pieces.append(Span(start, cut, span.label, span.strong))
        start = cut + 1
    return pieces or [span]


def _shouts(doc: Tokens, i: int) -> bool:
    # A regnal number ("Henry VIII") is part of the name, not a name in capitals.
    return (
        doc[i].is_alpha and doc[i].is_upper and len(doc[i].text) > 3 and not ROMAN_NUMERAL.match(doc[i].text)
    )


def _cut_at_case_change(doc: Tokens, span: Span) -> list[Span]:
    """ "American League DETROIT": a name set in capitals after one that is not (or before) is
    another name (a table heading, then a side); short capitals are acronyms ("PSA Peugeot")."""
    pieces: list[Span] = []
    start = span.start
    for i in range(span.start + 1, span.end):
        before, here = doc[i - 1], doc[i]
        if (
            before.is_alpha
            and here.is_alpha
            and ((_shouts(doc, i) and before.is_title) or (_shouts(doc, i - 1) and here.is_title))
        ):
            pieces.append(Span(start, i, span.label, span.strong))
            start = i
    return [*pieces, Span(start, span.end, span.label, span.strong)] if pieces else [span]


def _split_places(doc: Tokens, span: Span) -> list[Span]:
    """A capitals-only span made of two or more known places end to end, itself no place."""
    words = doc[span.start : span.end]
    if len(words) < 2 or not all(t.is_upper and t.is_alpha and len(t.text) > 2 for t in words):
        return [span]
    gaz = gazetteer()
    if gaz.knows(span.text(doc), small=False):
        return [span]
    n = len(words)
    # best[i]: fewest known places covering words[i:], as their end positions.
    best: list[list[int] | None] = [None] * n + [[]]
    for i in range(n - 1, -1, -1):
        for j in range(n, i, -1):
            rest = best[j]
            if (
                rest is not None
                and (best[i] is None or len(rest) + 1 < len(best[i] or ()))
                and gaz.knows(doc.span_text(span.start + i, span.start + j), small=False)
            ):
                best[i] = [j, *rest]
    ends = best[0]
    if ends is None or len(ends) < 2:
        return [span]
    pieces, start = [], 0
    for end in ends:
        pieces.append(Span(span.start + start, span.start + end, span.label, span.strong))
        start = end
    return pieces
