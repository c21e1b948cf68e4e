"""Natural keys for rows that must be one per real thing."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    """Normalise a person's name: case, accents, punctuation, spacing.

    "José  García", "JOSE GARCIA" and "Jose Garcia." share a key.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())
