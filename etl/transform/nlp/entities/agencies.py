"""News agencies (from the outlets registry) are organisations, whatever the model said."""

from __future__ import annotations

from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens


def tag_agencies(state: State) -> None:
    """Tag news agencies as organisations, replacing the model's spans they cover."""
    state.spans = _agencies(state.tokens, state.spans, state.lex)


def _agencies(doc: Tokens, spans: list[Span], lex: Lexicons) -> list[Span]:
    """Tag news agencies as organisations, replacing what the model said."""
    words = [t.text for t in doc]
    matches: list[Span] = []
    i = 0
    while i < len(words):
        for size in range(min(lex.agency_max_len, len(words) - i), 0, -1):
            if tuple(words[i : i + size]) in lex.agencies:
                matches.append(Span(i, i + size, "ORG"))
                i += size
                break
        else:
            i += 1
    if not matches:
        return spans
    out: list[Span] = []
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
