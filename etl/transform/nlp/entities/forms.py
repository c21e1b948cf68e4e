"""Relabel names by their form and the word before them.

A nationality word is a group (NORP); a bare country name is a place; a
mislabelled name starting with a common given name is a person; a name ending
in an organisation word ("... Corp", "... University") is one; a name written
after "giant", "company", "carmaker" is one, after "analyst", "striker" a
person.
"""

from __future__ import annotations

from etl.transform.nlp.entities.lexicons import Lexicons
from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, place_kind


def relabel_by_form(state: State) -> None:
    """Organisation suffixes and the descriptive noun before a name decide its type."""
    _relabel_by_form(state.tokens, state.spans, state.lex)


def _relabel_by_form(doc: Tokens, spans: list[Span], lex: Lexicons) -> None:
    """Organisation suffixes and the descriptive noun before a name decide its type."""
    for span in spans:
        if span.strong or span.label not in (None, "PERSON", "GPE", "LOC", "NORP", "ORG"):
            continue
        if span.end - span.start == 1 and doc[span.start].text in lex.demonyms and span.label != "NORP":
            # "Briton", "Tajiks" tagged as a person or a place: a group of people.
            span.label, span.strong = "NORP", True
            continue
        kind = place_kind(doc, span)
        if kind == "country" and span.label == "ORG" and span.end - span.start <= 3:
            span.label = "GPE"  # the model's ORG for a bare country name
        if (
            kind in ("country", "region", "continent")
            and span.label == "PERSON"
            and span.end - span.start <= 2
        ):
            # "England discard Andy Caddick": a country is no person; a real
            # person of that name ("Michael Jordan") comes back as a surname.
            span.label = "GPE"
        last = doc[span.end - 1].text
        if (
            span.label in ("ORG", "GPE", "LOC")
            and kind is None
            and 2 <= span.end - span.start <= 3
            and doc[span.start].text in lex.given_names
            and all(t.is_title for t in doc[span.start : span.end])
            and last not in lex.org_suffixes
        ):
            # "Alexander Lebed" tagged ORG: a given name and capitalised words.
            span.label, span.strong = "PERSON", True
            continue
        # "West Bank" ends in "Bank" but is a place.
        if kind is None and span.end - span.start > 1 and last in lex.org_suffixes:
            span.label, span.strong = "ORG", True
            continue
        if kind in ("country", "region", "continent"):
            continue  # a cue does not turn a country into a company; a small town it may
        if span.start == 0 or not doc[span.start - 1].is_lower:
            continue
        cue = doc[span.start - 1].lower_
        if cue in lex.org_cues:
            span.label, span.strong = "ORG", True
        elif cue in lex.person_cues and span.label in (None, "GPE", "LOC", "ORG"):
            span.label, span.strong = "PERSON", True
