"""The US state an article is about, read from the names of that state's public bodies.

"The Vermont Bureau of Investigation", "Oregon State Police", "the Iowa
Department of Transportation": a state's agency at work in a story places the
story in that state. Its name is an organisation's and gets no coordinates;
the state only supports the reading of the article's other places (a small
town of one word needs such support). Papers and teams named after a state
("Texas Tribune", "Florida Panthers") say nothing of where a story happens
and are not read: the word after the state must be one of government.
"""

from __future__ import annotations

from etl.transform.nlp.entities.place_context import place_codes
from etl.transform.nlp.entities.tokens import Span, Tokens
from etl.transform.nlp.places import Gazetteer

GOVERNMENT_WORDS = frozenset(
    {
        *("Bureau", "Department", "Highway", "Supreme", "General", "Legislature", "Senate", "House"),
        *("Attorney", "Board", "Commission", "Division", "Agency", "Court", "Police", "Patrol", "Office"),
        *("National", "Emergency", "Environmental", "Public", "Fish", "Game", "Wildlife", "Forestry"),
    }
)
"""Words after a state's name that make the organisation the state's own body."""


def state_body_regions(doc: Tokens, spans: list[Span], gaz: Gazetteer) -> set[str]:
    """Region codes ("US", "US-VT") of the US states whose public bodies the article names."""
    codes: set[str] = set()
    for span in spans:
        if span.label != "ORG" or span.end - span.start < 2:
            continue
        for size in (2, 1):
            cut = span.start + size
            if cut >= span.end:
                continue
            place = gaz.resolve(doc.span_text(span.start, cut)).place
            if place is None or place.kind != "region" or place.country_code != "US" or not place.admin1:
                continue
            word = doc[cut].text
            if word == "State" and cut + 1 < span.end:
                word = doc[cut + 1].text
            if word in GOVERNMENT_WORDS:
                codes |= place_codes(place)
            break
    return codes
