"""Name forms for entity resolution: how names fold, which words are not part of a name,
and which place a nationality word is formed from. Standard library only.

Used by :mod:`etl.load.identity` (the decision) and :mod:`etl.load.loader` (product cues).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from etl.keys import fold

HONORIFICS = frozenset(
    """mr mrs ms miss mister madam dr doctor prof professor sir dame lord lady president
    vice prime minister premier chancellor secretary senator sen rep representative
    congressman congresswoman governor gov mayor judge justice general gen lt col colonel
    maj major capt captain cmdr admiral sgt sergeant king queen prince princess sheikh
    pope cardinal archbishop bishop rev reverend rabbi imam ayatollah chairman chairwoman
    coach former late""".split()  # noqa: SIM905 - a word list reads better as text
)
"""Words written before a person's name that are not part of it."""

NAME_SUFFIXES = frozenset(
    "jr sr ii iii iv junior senior inc corp co ltd plc llc spa ag nv".split()  # noqa: SIM905 - as text
)
"""Words after a name that are not part of it: generations and company forms."""


PRODUCT_BEFORE = frozenset({"on", "via", "using", "through"})
PRODUCT_AFTER = frozenset(
    {
        "user",
        "users",
        "account",
        "accounts",
        "post",
        "posts",
        "page",
        "feed",
        "app",
        "apps",
        "app.",
        "profile",
    }
)
"""Words around a mention that read it as a product or platform ("on X", "X users")."""


_WORD = re.compile(r"[\w'’.&-]+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)


_NOT_WORD = re.compile(r"[^\w]|_")


def _token(word: str) -> str:
    return _NOT_WORD.sub("", fold(word))


def product_cues(body: str, mentions: Iterable[Any]) -> int:
    """Count mentions that the words around them read as a product or platform.

    "posted on X", "via X", "using X" before, or "X users", "X account",
    "X post" after: a structural sign that X is software or a platform, not a
    person.
    """
    count = 0
    for mention in mentions:
        before = body[max(0, mention.start - 24) : mention.start].split()
        after = body[mention.end : mention.end + 24].split()
        if (before and _token(before[-1]) in PRODUCT_BEFORE) or (after and _token(after[0]) in PRODUCT_AFTER):
            count += 1
    return count


@lru_cache(maxsize=1 << 16)  # resolution asks for each signature's tokens many times
def name_tokens(name: str, figures: bool = True) -> tuple[str, ...]:
    """Folded words of a name without possessive, leading titles or trailing suffixes.

    With ``figures`` false, words holding digits (scores, figures) are dropped too.
    """
    words = [
        _token(_POSSESSIVE.sub("", w)) if i == len(name.split()) - 1 else _token(w)
        for i, w in enumerate(name.split())
    ]
    # Scores and figures written next to a name ("Smith 4-0-18-0") are not part of it.
    tokens = [w for w in words if w and (figures or not any(ch.isdigit() for ch in w))]
    while len(tokens) > 1 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def demonym_places(word: str) -> list[str]:
    """Place names a nationality word can be formed from by a regular English suffix.

    "iraqi" -> "iraq", "armenians" -> "armenia", "chinese" -> "china",
    "cuban" -> "cuba", "german" -> "germany", "italian" -> "italy".
    """
    forms = {word}
    if word.endswith("s") and len(word) > 4:
        forms.add(word[:-1])
    out: set[str] = set()
    for d in forms:
        if d.endswith("i") and len(d) > 4:
            out.add(d[:-1])
        if d.endswith("an") and len(d) > 4:
            out.update({d[:-1], d[:-2], d[:-2] + "a", d[:-2] + "o", d + "y", d[:-3] + "y"})
        if d.endswith("ian") and len(d) > 5:
            out.update({d[:-3], d[:-3] + "a", d[:-3] + "e", d[:-3] + "ium"})
        if d.endswith("ese") and len(d) > 5:
            out.update({d[:-3], d[:-3] + "a", d[:-3] + "on"})
        if d.endswith("ine"):
            out.add(d + "s")
        if d.endswith("ish") and len(d) > 5:
            out.update({d[:-3] + "ey", d[:-3] + "and", d[:-3] + "land"})
    for d in forms:
        out.update(irregular_demonyms().get(d, ()))
    return sorted(w for w in out if len(w) > 2)


@cache
def irregular_demonyms() -> dict[str, tuple[str, ...]]:
    """Nationality words not formed by a regular suffix ("dutch" -> "netherlands"), from ``data/demonyms.json``.

    Keys starting with "=" map the stem of a group word to the stem of another name of the same group.
    """
    data = json.loads((files("etl.load") / "data" / "demonyms.json").read_text(encoding="utf-8"))
    irregular = {word: tuple(places) for word, places in data["irregular"].items()}
    return irregular | {"=" + word: (stem,) for word, stem in data["same_group"].items()}


GROUP_SUFFIXES = ("istan", "ish", "ian", "ic", "i")
"""Endings that make an adjective or a place of a group word ("Kurd" -> "Kurdish", "Serb" -> "Serbian")."""


def group_stem(word: str) -> str:
    """The stem shared by forms of one group word: "kurds", "kurdish" -> "kurd"; "serbian" -> "serb".

    A plural "-s" goes first, then one adjective ending, keeping at least three letters.
    """
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    for suffix in GROUP_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return irregular_demonyms().get("=" + word, (word,))[0]


# -- the pure decision -----------------------------------------------------
