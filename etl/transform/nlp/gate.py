"""Which articles the English model reads: the language gate, without importing spaCy."""

from __future__ import annotations


def is_english(language: str | None) -> bool:
    """True when the English model should read a text of this language: English ("en-GB") or unknown."""
    return language is None or language.replace("_", "-").split("-")[0].strip().lower() in ("en", "")
