"""Identity keys: what makes two spellings of a name one database row.

Every natural key the loader writes is computed here and nowhere else, so a
change to how names fold is one visible diff (and re-keys rows: bump
``PIPELINE_VERSION`` with it). Transform computes the keys and writes them into
the records; load stores them as they come. Standard library only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]")
_NOT_WORD = re.compile(r"[^\w]|_")
_LEADING_THE = re.compile(r"^the\s+")


def fold(text: str) -> str:
    """Compatibility-decompose, drop accents and casefold ("Ébène" -> "ebene")."""
    if text.isascii():  # nothing to decompose or drop: most names, and the cheap case
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def sha256_text(text: str) -> str:
    """The hex SHA-256 of ``text`` in UTF-8: the key of long text (URLs, bodies)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def person_key(name: str) -> str:
    """Key of a contributor's name.

    Folds case, accents and punctuation (each mark becomes a space) and runs
    of spaces: "José  García", "JOSE GARCIA" and "Jose Garcia." share a key.
    """
    return " ".join(_NOT_WORD_OR_SPACE.sub(" ", fold(name)).split())


def entity_key(name: str) -> str:
    """Key of a named entity (person, organisation, other) across articles.

    Folds case, accents, a leading "the", and punctuation (removed, not spaced:
    "U.S." -> "us"); runs of spaces become one.
    """
    text = _LEADING_THE.sub("", fold(name))
    return " ".join(_NOT_WORD_OR_SPACE.sub("", text).split())


def place_key(name: str) -> str:
    """Key of a place name in the gazetteer.

    As :func:`entity_key`, except that a hyphen separates words
    ("Saint-Denis" and "Saint Denis" meet).
    """
    text = _LEADING_THE.sub("", fold(name)).replace("-", " ")
    return " ".join(_NOT_WORD_OR_SPACE.sub("", text).split())


def compact_key(text: str) -> str:
    """Key of a publisher's name or domain stem: everything but letters and digits goes.

    Folds case, accents, a leading "the", spaces, punctuation and underscores:
    "The New York Times" -> "newyorktimes", "nytimes" stays "nytimes".
    """
    return _NOT_WORD.sub("", _LEADING_THE.sub("", fold(text).strip()))


def comparable_text(text: str) -> str:
    """A form for comparing two candidate values (titles, names) for equality.

    Folds case, accents and punctuation (each mark a space) and runs of spaces.
    Not a row key; it shares :func:`person_key`'s folding so both stay in step.
    """
    return person_key(text)
