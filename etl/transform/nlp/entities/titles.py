"""Portfolios in titles and ministries.

"Secretary of State", "Foreign Minister" are titles, so "State" and "Foreign"
are no organisations; "Ministry of Finance" is one, whole.
"""

from __future__ import annotations

from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens


def portfolio_titles(state: State) -> None:
    """Drop portfolios that are part of a title; widen those that name a ministry."""
    state.spans = _portfolios(state.tokens, state.spans, state.lex)


_TITLE_HEADS = frozenset({"Minister", "Secretary", "Secretary-General", "Undersecretary", "Commissioner"})
_BODY_HEADS = frozenset({"Ministry", "Department", "Office", "Secretariat", "Committee"})


def _portfolios(doc: Tokens, spans: list[Span], lex: Lexicons) -> list[Span]:
    """Drop "State" of "Secretary of State"; widen "Finance" to "Ministry of Finance"."""
    out: list[Span] = []
    for span in spans:
        following = doc[span.end].text if span.end < len(doc) else ""
        if span.key(doc) in lex.portfolios and following in _TITLE_HEADS:
            continue  # "Foreign Minister": part of a title
        if span.key(doc) in lex.portfolios and following in _BODY_HEADS:
            out.append(Span(span.start, span.end + 1, "ORG"))  # "Foreign Ministry"
            continue
        if (
            span.start >= 2
            and doc[span.start - 1].lower_ in ("of", "for")
            and span.key(doc) in lex.portfolios
        ):
            head = doc[span.start - 2].text
            if head in ("Ministry", "Department", "Office", "Secretariat"):
                out.append(Span(span.start - 2, span.end, "ORG"))
                continue
            if head[:1].isupper():
                continue  # a title: Secretary/Minister/Commissioner of State/Finance
        out.append(span)
    return out
