"""The curated word lists entity rules read (``entities/data/``), loaded once per process.

News agencies come from the outlets registry (:mod:`etl.transform.outlets`),
nationality words also from the gazetteer (:mod:`etl.transform.nlp.places`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.keys import entity_key
from etl.transform.nlp.places import gazetteer
from etl.transform.outlets import agency_names_in_text

DATA_DIR = Path(__file__).parent / "data"


def _read_lines(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Lexicons:
    """The curated word lists in ``data/``, read once per process."""

    agencies: dict[tuple[str, ...], int]
    agency_max_len: int
    org_suffixes: frozenset[str]
    org_cues: frozenset[str]
    person_cues: frozenset[str]
    person_titles: frozenset[str]
    portfolios: frozenset[str]
    demonyms: frozenset[str]
    sports_cues: dict[tuple[str, ...], int]
    given_names: frozenset[str]


def _demonyms() -> frozenset[str]:
    """Single-word nationality and group words, singular and plural."""
    words: set[str] = set()
    for demonym in gazetteer().demonyms:
        words.update(w for w in re.split(r"[,/]", demonym) if w and " " not in w)
    words.update(w for line in _read_lines("demonyms.txt") for w in line.split())
    plurals = {w + "s" for w in words if not w.endswith(("s", "sh", "ch", "ese", "i", "ish"))}
    # "Americas" is a place, not a plural of "American".
    gaz = gazetteer()
    return frozenset(w for w in words | plurals if gaz.resolve(w).place is None or gaz.only_a_demonym(w))


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Load the curated lists (and the gazetteer's demonyms) once."""
    agencies: dict[tuple[str, ...], int] = {}
    for name in agency_names_in_text():
        tokens = tuple(name.replace("-", " - ").split())
        agencies[tokens] = len(tokens)
        agencies[tuple(t.upper() for t in tokens)] = len(tokens)
    return Lexicons(
        agencies=agencies,
        agency_max_len=max(agencies.values()),
        org_suffixes=frozenset(_read_lines("org_suffixes.txt")),
        org_cues=frozenset(_read_lines("org_cues.txt")),
        person_cues=frozenset(_read_lines("person_cues.txt")),
        person_titles=frozenset(_read_lines("person_titles.txt")),
        portfolios=frozenset(entity_key(p) for p in _read_lines("portfolios.txt")),
        demonyms=_demonyms(),
        sports_cues={tuple(cue.split()): len(cue.split()) for cue in _read_lines("sports_cues.txt")},
        given_names=frozenset(word for line in _read_lines("given_names.txt") for word in line.split()),
    )
