"""Mentions in the headline: the article's entities where the headline names them.

The model reads the body only; a headline is short, often in capitals or
title case, where the small model guesses badly. The names the body settled
are found again in the headline instead: every surface form of an entity,
longest first, as whole words, case-insensitively (a headline in capitals
names "LEICESTERSHIRE"), but only where the headline writes it with a
capital. Their offsets index the headline (``field="headline"``).

A page that repeats its headline as the body's first line already has those
mentions in the body: the headline adds none. An entity the body never names
(a place only in the dateline) gets none either.
"""

from __future__ import annotations

import re
from dataclasses import replace

from etl.records import ArticleRecord, EntityRecord, MentionRecord


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def headline_repeated_in_body(headline: str, body: str) -> bool:
    """True when the body opens with the headline (its mentions are already body mentions)."""
    head = _squash(headline).rstrip(" .")
    return bool(head) and _squash(body[: len(headline) + 40]).startswith(head)


def add_headline_mentions(
    article: ArticleRecord, entities: tuple[EntityRecord, ...]
) -> tuple[EntityRecord, ...]:
    """Add headline mentions to the entities the body found, after their body mentions."""
    headline = article.headline or ""
    if not headline.strip() or headline_repeated_in_body(headline, article.body):
        return entities
    forms: list[tuple[str, int]] = []
    for index, entity in enumerate(entities):
        if not entity.mentions:
            continue  # a dateline-only place: the body never names it
        for surface in {entity.name, *(m.text for m in entity.mentions)}:
            if len(surface) >= 2 and any(ch.isalpha() for ch in surface):
                forms.append((surface, index))
    taken: list[tuple[int, int]] = []
    found: dict[int, list[MentionRecord]] = {}
    # Longest first, so "New York Times" is found before "New York".
    for surface, index in sorted(forms, key=lambda f: (-len(f[0]), f[0], f[1])):
        pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(headline):
            start, end = match.span()
            if not headline[start].isupper() or any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.setdefault(index, []).append(
                MentionRecord(start, end, headline[start:end], None, "headline")
            )
    if not found:
        return entities
    return tuple(_with_headline(e, found.get(i, [])) for i, e in enumerate(entities))


def _with_headline(entity: EntityRecord, mentions: list[MentionRecord]) -> EntityRecord:
    if not mentions:
        return entity
    return replace(entity, mentions=(*entity.mentions, *sorted(mentions, key=lambda m: m.start)))
