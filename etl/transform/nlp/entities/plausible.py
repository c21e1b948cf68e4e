"""What can be a place name at all, whatever the model says.

A place name is written in Latin letters (an English article; a sentence of a
Japanese page that reached the model is no place), starts with a capital, is
no contraction ("n’t", "’ll") and no sentence fragment: at most six words, of
which at most one is an ordinary lower-case word ("Washington state",
"Bosnia and Herzegovina" with its connector).
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORDS = 6
_CONNECTORS = frozenset(
    {
        *("of", "the", "and", "de", "del", "la", "le", "les", "du", "des", "da", "do", "dos"),
        *("das", "di", "van", "von", "der", "den", "upon", "on", "sur", "al", "el", "y", "en", "am"),
    }
)
"""Lower-case words that belong inside place names ("Isle of Man", "Rio de Janeiro")."""
_CONTRACTION = re.compile(r"^[A-Za-z]?['’][A-Za-z]{1,2}$")
"""A clitic standing alone: "n't", "N’T", "'ll", "’S"."""


def _latin(char: str) -> bool:
    return not char.isalpha() or unicodedata.name(char, "").startswith("LATIN")


def plausible_place_name(text: str) -> bool:
    """True when ``text`` could name a place in an English article."""
    words = text.split()
    if not words or len(words) > MAX_WORDS:
        return False
    if not text[0].isupper() or not all(_latin(c) for c in text):
        return False
    if _CONTRACTION.match(text):
        return False
    plain = [w for w in words[1:] if w.islower() and w not in _CONNECTORS]
    return len(plain) <= 1
