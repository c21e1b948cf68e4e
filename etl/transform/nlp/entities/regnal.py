"""A regnal number is part of a monarch's or pope's name: "Henry VIII", "Baudouin I", "John Paul II".

The small model often stops a person's name before the Roman numeral, and the
bare first name then joins whichever full name the article gives with that
first name ("Henry" of "Henry Campbell-Bannerman"). A Roman numeral written
in capitals right after a person's name extends it; the pronoun "I" before a
contraction ("I'm") does not.
"""

from __future__ import annotations

import re

from etl.transform.nlp.entities.state import State

ROMAN_NUMERAL = re.compile(r"^(?=[IVX])X{0,2}(?:IX|IV|V?I{0,3})$")
"""I to XXIX."""


def add_regnal_numbers(state: State) -> None:
    """Extend person spans over a Roman numeral that follows them."""
    doc = state.tokens
    starts = {span.start for span in state.spans}
    for span in state.spans:
        end = span.end
        if span.label != "PERSON" or end >= len(doc) or end in starts:
            continue
        numeral = doc[end]
        after = doc[end + 1].text if end + 1 < len(doc) else ""
        if (
            ROMAN_NUMERAL.match(numeral.text)
            and doc[end - 1].whitespace_ != ""
            and not after.startswith(("'", "’"))
        ):
            span.end = end + 1
