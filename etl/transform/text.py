"""Plain-text helpers shared by the parsers: whitespace and paragraphs."""

from __future__ import annotations

import re
import unicodedata

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """Normalise newlines and spaces; keep paragraph breaks (blank lines)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    # One pass over the whole text: no run of _SPACES crosses a newline.
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
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


LOWERCASE_PARTICLES = frozenset(
    """de da do dos das del della di du la le van von der den ter ten bin ibn al el y
    of and the upon on""".split()  # noqa: SIM905
)
"""Name and place particles written in lower case inside a name ("Ursula von der Leyen")."""

_WORD_PIECES = re.compile(r"([-'’])")


def _title_piece(piece: str) -> str:
    if piece.lower() in ("ii", "iii", "iv"):
        return piece.upper()
    if len(piece) > 2 and piece[:2].lower() == "mc":
        # McDonald, McAllen: the Scottish/Irish prefix keeps the next letter capital.
        return "Mc" + piece[2:].capitalize()
    return piece.capitalize()


def title_case(text: str) -> str:
    """Title-case ALL-CAPS or all-lower text the way names and places are written.

    "JEAN-LUC O'BRIEN" -> "Jean-Luc O'Brien", "RIO DE JANEIRO" -> "Rio de Janeiro",
    "MARY MCDONALD" -> "Mary McDonald". The first word is always capitalised.
    """
    words = text.split()
    out: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        if index and lower in LOWERCASE_PARTICLES:
            out.append(lower)
            continue
        out.append("".join(_title_piece(part) for part in _WORD_PIECES.split(word)))
    return " ".join(out)


def is_all_caps(text: str) -> bool:
    """True when every cased letter of ``text`` is upper case (and there is one)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters if ch.lower() != ch.upper())
