"""A surname alone before ", who" is a person, and so is the full name it ends.

Places and things take "which" or "where"; "Vell , who climbed back from a
1-5 deficit" is a person even where the model read the bare surname as a place
(a surname that is also a city's name) and the full name earlier in the story
("Maliko Vell") as an organisation. Only a one-word name that ends a longer
name in the same story counts: the full name is the evidence, ", who" the cue.
"""

from __future__ import annotations

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span

RELATIVE_WHO = frozenset({"who", "whose"})
NOT_PEOPLE = frozenset({"GPE", "LOC", "ORG"})


def tag_people_before_who(state: State) -> None:
    """Relabel a bare surname before ", who" and the full names it ends as people (strong)."""
    doc = state.tokens
    longer: dict[str, list[Span]] = {}
    for span in state.spans:
        if span.end - span.start == 2 and all(
            t.is_alpha and t.text[:1].isupper() for t in doc[span.start : span.end]
        ):
            longer.setdefault(doc[span.end - 1].text, []).append(span)
    for span in state.spans:
        if span.strong or span.label not in NOT_PEOPLE or span.end - span.start != 1:
            continue
        if (
            span.end + 1 >= len(doc)
            or doc[span.end].text != ","
            or doc[span.end + 1].lower_ not in RELATIVE_WHO
        ):
            continue
        full = longer.get(doc[span.start].text, [])
        if not full:
            continue
        for named in (span, *full):
            if not named.strong:
                named.label, named.strong = "PERSON", True
