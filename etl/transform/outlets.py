"""The registry of news agencies and outlets (``data/outlets.json``), read once.

One entry per organisation: its canonical name, the other spellings that
bylines, credit lines and publisher fields use, and its web domain. Bylines ask
it which agency a credit names, publishers which key an outlet's spellings
share, and entity tagging which names in running text are always agencies.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True, slots=True)
class Outlet:
    """One agency or outlet of the registry."""

    name: str
    spellings: tuple[str, ...]
    domain: str | None
    agency: bool
    ambiguous: frozenset[str]
    """Spellings that running text also uses for other things ("PA", "Dow Jones")."""

    @property
    def all_spellings(self) -> tuple[str, ...]:
        return (self.name, *self.spellings)


def spelling_key(text: str) -> str:
    """How a spelling is looked up: NFKC, outer punctuation stripped, casefolded, one space."""
    key = unicodedata.normalize("NFKC", text).strip(" .,;:()[]").casefold()
    return " ".join(key.split())


def _outlet(entry: dict[str, Any], agency: bool) -> Outlet:
    return Outlet(
        name=entry["name"],
        spellings=tuple(entry.get("spellings", ())),
        domain=entry.get("domain"),
        agency=agency,
        ambiguous=frozenset(entry.get("ambiguous", ())),
    )


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """Every entry of the registry: agencies first, then other outlets."""
    data = json.loads((files("etl.transform") / "data" / "outlets.json").read_text(encoding="utf-8"))
    return tuple(
        [_outlet(entry, agency=True) for entry in data["agencies"]]
        + [_outlet(entry, agency=False) for entry in data["outlets"]]
    )


@lru_cache(maxsize=1)
def _agency_by_spelling() -> dict[str, str]:
    return {
        spelling_key(spelling): outlet.name
        for outlet in outlets()
        if outlet.agency
        for spelling in outlet.all_spellings
    }


def agency_named(text: str) -> str | None:
    """The canonical name of the agency ``text`` spells exactly ("AP" -> "Associated Press")."""
    return _agency_by_spelling().get(spelling_key(text))


def agency_names_in_text() -> tuple[str, ...]:
    """Agency spellings that name the agency wherever they stand in running text.

    Ambiguous spellings are left out, and so is a leading "The", which is not
    part of the name in a sentence ("said the Associated Press").
    """
    names: dict[str, None] = {}
    for outlet in outlets():
        if outlet.agency:
            for spelling in outlet.all_spellings:
                if spelling not in outlet.ambiguous and not spelling.startswith("The "):
                    names[spelling] = None
    return tuple(names)
