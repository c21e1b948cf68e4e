"""Places in datelines ("TAVILDARA , Tajikistan", "WASHINGTON (Reuters) -")."""

from __future__ import annotations

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens
from etl.transform.nlp.places import Place, gazetteer

_NO_PLACE = Place("", "", "city", None, None, None)


def tag_datelines(state: State) -> None:
    """Tag dateline places, cutting them out of the model's spans that overlap them."""
    state.spans = _datelines(state.tokens, state.spans)


def _datelines(doc: Tokens, spans: list[Span]) -> list[Span]:
    """Places in datelines: "TAVILDARA , Tajikistan 1996-08-30", "WASHINGTON (Reuters) -".

    A name in capitals that is followed by ", <country>" (anywhere: a byline
    may precede it on the same line, even inside one model span), or that
    starts a paragraph and is in the gazetteer, is a place whatever the model
    said.
    """
    gaz = gazetteer()
    found: list[Span] = []
    for i, token in enumerate(doc):
        if not (token.is_upper and token.is_alpha) or (i > 0 and doc[i - 1].is_upper and doc[i - 1].is_alpha):
            continue
        end = i
        while end < len(doc) and end - i < 3 and doc[end].is_upper and doc[end].is_alpha:
            end += 1
        after = doc[end : end + 2]
        if (
            len(after) == 2
            and after[0].text == ","
            and (gaz.resolve(after[1].text).place or _NO_PLACE).kind in ("country", "region", "province")
        ):
            found.append(Span(i, end, "GPE", strong=True))
            continue
        at_paragraph_start = i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space
        if at_paragraph_start:
            # The longest run of capitals the gazetteer knows: "HONG KONG", not "HONG KONG STOCKS".
            for stop in range(end, i, -1):
                if gaz.resolve(doc.span_text(i, stop)).place is not None:
                    found.append(Span(i, stop, "GPE", strong=True))
                    break
    # A model span that runs past the capitals ("WASHINGTON POST") is kept whole.
    found = [
        f for f in found if not any(s.start >= f.start and s.end > f.end and s.start < f.end for s in spans)
    ]
    if not found:
        return spans
    out: list[Span] = []
    for span in spans:
        hit = next((f for f in found if f.start < span.end and span.start < f.end), None)
        if hit is None:
            out.append(span)
        elif span.start < hit.start:
            # "Yuri Kushko TAVILDARA": the byline keeps its name, the place leaves it.
            out.append(Span(span.start, hit.start, span.label, span.strong))
    return sorted(out + found, key=lambda s: s.start)
