"""Plain-text helpers shared by the parsers: whitespace and paragraphs."""

from __future__ import annotations

import re
import unicodedata

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """Normalise newlines and spaces; keep paragraph breaks (blank lines)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; a text without blank lines splits on single newlines."""
    text = clean_text(text)
    if not text:
        return []
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    return [" ".join(part.split("\n")).strip() for part in parts if part.strip()]


def join_paragraphs(paragraphs: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join paragraphs with blank lines; return the body and each paragraph's span."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in paragraphs:
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return "\n\n".join(paragraphs), tuple(spans)
