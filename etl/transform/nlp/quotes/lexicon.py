"""Curated word lists for quote attribution, read once from ``etl/transform/nlp/data``."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


def _read_list(name: str) -> frozenset[str]:
    text = (files("etl.transform.nlp") / "data" / name).read_text(encoding="utf-8")
    return frozenset(
        line.split("#", 1)[0].strip().lower() for line in text.splitlines() if line.split("#", 1)[0].strip()
    )


@lru_cache(maxsize=1)
def reporting_verbs() -> frozenset[str]:
    """Lemmas of verbs that report speech or writing ("say", "tell", "add")."""
    return _read_list("quotes_verbs.txt")


@lru_cache(maxsize=1)
def naming_verbs() -> frozenset[str]:
    """Reporting verbs that characterise ("call", "describe") rather than introduce a quote."""
    return _read_list("quotes_verbs_naming.txt")


@lru_cache(maxsize=1)
def stance_verbs() -> frozenset[str]:
    """Lemmas of verbs that attribute a view, a wish or a finding ("believe", "want", "show")."""
    return _read_list("quotes_verbs_stance.txt")


@lru_cache(maxsize=1)
def anonymous_heads() -> frozenset[str]:
    """Head nouns of unnamed speakers ("source", "official", "spokesperson")."""
    return _read_list("quotes_anonymous.txt")


@lru_cache(maxsize=1)
def non_person_heads() -> frozenset[str]:
    """Head nouns of organisation and document speakers ("ministry", "report")."""
    return _read_list("quotes_not_persons.txt")


@lru_cache(maxsize=1)
def anonymity_phrases() -> tuple[str, ...]:
    """Phrases that say a speaker is kept anonymous ("on condition of anonymity")."""
    return tuple(sorted(_read_list("quotes_anonymity_phrases.txt"), key=len, reverse=True))


PRONOUNS_PERSON = frozenset({"he", "she", "i", "him", "her"})
PRONOUNS_GROUP = frozenset({"they", "we", "it"})
PRONOUNS = PRONOUNS_PERSON | PRONOUNS_GROUP | {"you"}
