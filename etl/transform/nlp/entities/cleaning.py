"""The model's spans, cleaned.

A leading "the", prefixes ("ex-England"), trailing possessives, punctuation,
digit dates ("SEOUL 1996-08-30") and common nouns ("Interfax news agency")
leave the span; a possessive inside a span splits it ("Hawaii's Pacific
Forum" -> "Hawaii" + "Pacific Forum"); titles and nationalities leave a
person's name ("Russian President Vladimir Putin"). Offsets stay exact.
"""

from __future__ import annotations

import re

from etl.records import EntityType
from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tok, Tokens
from etl.transform.nlp.places import gazetteer

SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
    "PRODUCT": "OTHER",
}
"""spaCy labels kept as entities; dates, numbers and money are not entities."""


POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
"""A date written in digits ("1996-08-30"): leaves a dateline's place, while
"Boeing 747" and "Euro 2024" keep their numbers."""


def clean_model_spans(state: State) -> None:
    """Take the model's entities of the kinds we keep, each cleaned (possibly into two)."""
    for ent in state.doc.ents:
        label = SPACY_TYPES.get(ent.label_)
        if label is not None:
            state.spans.extend(
                _with_abbreviation_period(state.tokens, span)
                for span in _clean(state.tokens, Span(ent.start, ent.end, label), state.lex)
            )


def _with_abbreviation_period(doc: Tokens, span: Span) -> Span:
    """Keep the period of a place abbreviation ("Wash.", "W.Va."): it is part of the name as written."""
    end = span.end
    if (
        end < len(doc)
        and doc[end].text == "."
        and not doc[end - 1].whitespace_
        and (doc.span_text(span.start, end) + ".").replace(" ", "").casefold() in gazetteer().abbreviations
    ):
        return Span(span.start, end + 1, span.label, span.strong)
    return span


def _is_name_token(token: Tok) -> bool:
    """A token that can start or end a name: a word or number, not punctuation."""
    return not (token.is_punct or token.is_space or token.text in POSSESSIVES)


_DATE_PIECE = re.compile(r"^[\d./-]+$")


def _before_trailing_date(doc: Tokens, start: int, end: int) -> int:
    """Where a trailing digit date ("SEOUL 1996 - 08 - 30", however tokenised) begins."""
    cut = end
    while cut - 1 > start and _DATE_PIECE.match(doc[cut - 1].text):
        cut -= 1
    if cut < end and _DATE_LIKE.match(doc.span_text(cut, end).replace(" ", "")):
        return cut
    return end


def _trim(doc: Tokens, span: Span, lex: Lexicons) -> Span | None:
    """Drop a leading "the", punctuation, trailing possessives, numbers and common nouns."""
    start, end = span.start, span.end
    while start < end and (
        doc[start].lower_ == "the"
        or not _is_name_token(doc[start])
        # "ex-England", "pro-Moscow": a prefix, not part of the name.
        or (doc[start].is_lower and start + 1 < end and doc[start + 1].text == "-")
    ):
        start += 1
    end = _before_trailing_date(doc, start, end)
    while end > start and (
        not _is_name_token(doc[end - 1])
        or (end - 1 > start and _DATE_LIKE.match(doc[end - 1].text))
        # "Interfax news agency": the description is not part of the name.
        or (end - 1 > start and doc[end - 1].is_lower and doc[end - 1].text not in lex.org_suffixes)
    ):
        end -= 1
    if start >= end or not any(ch.isalpha() for ch in doc.span_text(start, end)):
        return None
    return Span(start, end, span.label)


def _strip_person_titles(doc: Tokens, span: Span, lex: Lexicons) -> Span:
    """Drop titles and demonyms at the front of a person's name (keeps one token)."""
    start = span.start
    while start < span.end - 1:
        word = doc[start].text.rstrip(".")
        if word in lex.person_titles or word.title() in lex.person_titles:
            start += 1
        elif word in lex.demonyms and span.end - start > 2:
            start += 1  # "American Dennis Mitchell", but "Christian Dior" stays whole
        elif doc[start].lower_ in ("of", "the", "and", "for") and start > span.start:
            start += 1  # "Secretary of State Antony Blinken": the "of" between titles
        else:
            break
    return Span(start, span.end, span.label)


def _split_possessive(doc: Tokens, span: Span, lex: Lexicons) -> list[Span]:
    """Split "Hawaii's Pacific Forum" into owner (label undecided) and thing."""
    for i in range(span.start + 1, span.end - 1):
        if doc[i].text in POSSESSIVES or doc[i].tag_ == "POS":
            right = Span(i + 1, span.end, span.label)
            # "St. John's University": the part after is a lone generic word.
            if right.end - right.start == 1 and doc[right.start].text in lex.org_suffixes:
                return [span]
            if not doc[right.start].text[:1].isupper():
                return [span]
            return [Span(span.start, i, None), right]
    return [span]


def _clean(doc: Tokens, span: Span, lex: Lexicons) -> list[Span]:
    """Trim one model span, split it at a possessive, strip a person's titles."""
    trimmed = _trim(doc, span, lex)
    if trimmed is None:
        return []
    out: list[Span] = []
    for piece in _split_possessive(doc, trimmed, lex):
        part = _trim(doc, piece, lex)
        if part is None:
            continue
        if part.label == "PERSON":
            part = _strip_person_titles(doc, part, lex)
        out.append(part)
    return out
