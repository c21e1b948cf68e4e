"""Places in datelines ("TAVILDARA , Tajikistan", "WASHINGTON (Reuters) -")."""

from __future__ import annotations

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens
from etl.transform.nlp.places import Place, gazetteer

_NO_PLACE = Place("", "", "city", None, None, None)
_DATELINE_MARKS = frozenset({"--", "—", "–", "-", ":"})
"""What follows a dateline in capitals mid-line: "COLUMBUS -- The council", "BEIRUT: The body"."""
_PARTIES = frozenset({"D", "R", "I", "DFL", "GOP", "Ind"})
"""Party letters before a legislator's home: "Sen. Frank Lautenberg, D-N.J.", "Rep. Ann Lee, R-Elbow Lake"."""


_RESIDENTS = frozenset(
    {
        *("man", "woman", "men", "women", "resident", "residents", "native", "natives"),
        *("teen", "teenager", "boy", "girl", "homeowner", "homeowners"),
    }
)
"""Nouns after a place that say who lives there: "the Meadow Grove man", "a Harwinton resident"."""


def _known_run(doc: Tokens, start: int, limit: int = 3) -> Span | None:
    """The longest run of capitalised words from ``start`` (at most ``limit``) that names a known place."""
    end = start
    while end < len(doc) and end - start < limit and doc[end].is_title and doc[end].is_alpha:
        end += 1
    for stop in range(end, start, -1):
        if gazetteer().knows(doc.span_text(start, stop)):
            return Span(start, stop, "GPE", strong=True)
    return None


def _residence_places(doc: Tokens) -> list[Span]:
    """Where a person lives, as local news writes it.

    "Jeremy Lane, 30, of Ten Mile" (name, age, "of" place) and "the Meadow
    Grove man" (article, place, a word for residents); the place must be in
    the gazetteer.
    """
    found: list[Span] = []
    for i in range(len(doc) - 1):
        text = doc[i].text
        if (
            text == "of"
            and i >= 3
            and doc[i - 1].text == ","
            and doc[i - 2].text.isdigit()
            and doc[i - 3].text == ","
        ):
            span = _known_run(doc, i + 1)
        elif doc[i].lower_ in ("a", "an", "the"):
            span = _known_run(doc, i + 1)
            if span is not None and not (span.end < len(doc) and doc[span.end].lower_ in _RESIDENTS):
                span = None
        else:
            continue
        if span is not None:
            found.append(span)
    return found


def _party_home_places(doc: Tokens) -> list[Span]:
    """The home state or town in a legislator's party label: "(D-N.J.)", ", R-Elbow Lake,"."""
    gaz = gazetteer()
    found: list[Span] = []
    for i in range(len(doc) - 2):
        if (
            doc[i].text not in _PARTIES
            or doc[i + 1].text != "-"
            or doc[i].whitespace_
            or doc[i + 1].whitespace_
        ):
            continue
        if i > 0 and doc[i - 1].text not in (",", "("):
            continue
        start = end = i + 2
        while end < len(doc) and end - start < 3 and doc[end].text[:1].isupper():
            end += 1
        for stop in range(end, start, -1):
            if gaz.knows(doc.span_text(start, stop)):
                found.append(Span(start, stop, "GPE", strong=True))
                break
    return found


def tag_datelines(state: State) -> None:
    """Tag dateline places, cutting them out of the model's spans that overlap them."""
    state.spans = _datelines(state.tokens, state.spans)


def _datelines(doc: Tokens, spans: list[Span]) -> list[Span]:
    """Places in datelines: "TAVILDARA , Tajikistan 1996-08-30", "WASHINGTON (Reuters) -".

    A name in capitals that is followed by ", <country>" (anywhere: a byline
    may precede it on the same line, even inside one model span), or that
    starts a paragraph or comes before a dateline dash ("COLUMBUS -- ") and is
    in the gazetteer, is a place whatever the model said; so is the home in
    a legislator's party label ("D-N.J.") and a resident's town ("the
    Meadow Grove man", "Jeremy Lane, 30, of Ten Mile").
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
        dateline_dash = len(after) >= 1 and after[0].text in _DATELINE_MARKS and bool(after[0].whitespace_)
        if at_paragraph_start or dateline_dash:
            # The longest run of capitals the gazetteer knows: "HONG KONG", not "HONG KONG STOCKS".
            for stop in range(end, i, -1):
                text = doc.span_text(i, stop)
                if gaz.resolve(text).place is not None or (
                    dateline_dash and stop == end and gaz.knows(text, small=False)
                ):
                    found.append(Span(i, stop, "GPE", strong=True))
                    break
    found += _party_home_places(doc)
    found += _residence_places(doc)
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
