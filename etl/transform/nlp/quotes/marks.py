"""Find quoted passages in a body by their quote marks (no NLP).

Two families of marks are paired on their own: double marks (“ ” „ « », the
straight " and the typewriter pair '') and curly singles (‘ ’). Straight marks
open or close by what stands next to them.
Pairing never crosses a paragraph; a passage still open at the end of its
paragraph either continues into the next paragraph (when that one opens with
a mark, the newspaper convention for multi-paragraph quotes) or is closed at
the paragraph end. Passages nested in another passage are dropped, so only the
outermost quote is reported. Unbalanced marks never raise: a stray closer is
ignored and a stray opener in mid-paragraph is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_MARKS = re.compile(r"''|``|[\"“”„«»‘’]")
_OPEN_CONTEXT = set(" \t\n([{—–-/:;")
"""Characters after which an ambiguous mark opens a quote."""


@dataclass(frozen=True, slots=True)
class Passage:
    """One quoted passage in one paragraph.

    ``start``/``end`` bound the content (without the marks); ``open_at`` is the
    offset of the opening mark and ``close_at`` the offset just past the
    closing mark (``end`` when the passage runs to the paragraph end unclosed).
    ``group`` is shared by the passages of one multi-paragraph quote.
    """

    start: int
    end: int
    open_at: int
    close_at: int
    paragraph: int
    closed: bool
    group: int
    family: str

    @property
    def continued(self) -> bool:
        """Whether this passage continues a quote opened in an earlier paragraph."""
        return self.group != self.paragraph


@dataclass(slots=True)
class _Open:
    at: int
    length: int


def _family(mark: str) -> str:
    """Curly and straight doubles pair with each other: sloppy copy mixes them."""
    return "single" if mark in ("'", "‘", "’") else "double"


def _role(text: str, at: int, mark: str, lo: int, hi: int) -> str:
    """Say whether a mark opens, closes, or could do either ("?")."""
    before = text[at - 1] if at > lo else " "
    after = text[at + len(mark)] if at + len(mark) < hi else " "
    if mark == "“" and not before.isspace() and before not in _OPEN_CONTEXT and not after.isalnum():
        return "close"  # an opener typed where a closer belongs: percent.“
    if mark in _DOUBLE_OPEN or mark in ("‘", "``"):
        if mark == "‘" and before.isalnum():
            return "none"  # a mis-typed apostrophe inside a word
        return "open"
    if mark in _DOUBLE_CLOSE or mark == "’":
        if mark == "’" and (after.isalnum() or (before.isspace() and after.isalnum())):
            return "none"  # an apostrophe: Russia’s, ’90s
        if mark == "”" and (at == lo or (before in _OPEN_CONTEXT and after.isalnum())):
            return "open"  # a closer typed where an opener belongs
        return "close"
    opens = before in _OPEN_CONTEXT or before in _DOUBLE_OPEN
    closes = after.isspace() or not after.isalnum()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "?"


def _pair_family(
    text: str, lo: int, hi: int, family: str
) -> tuple[list[tuple[int, int, int, int]], _Open | None]:
    """Pair one family's marks within ``text[lo:hi]``.

    Returns closed passages as (open_at, start, end, close_at) and the quote
    still open at ``hi`` (its outermost opener), if any.
    """
    stack: list[_Open] = []
    spans: list[tuple[int, int, int, int]] = []
    for match in _MARKS.finditer(text, lo, hi):
        mark = match.group()
        if _family(mark) != family:
            continue
        role = _role(text, match.start(), mark, lo, hi)
        if role == "none":
            continue
        if role == "?":
            role = "close" if stack else "open"
        if (
            role == "open"
            and stack
            and family == "double"
            and _after_sentence(text, match.start(), stack[0].at)
        ):
            # A double opener right after a full stop inside an open quote starts
            # a new quote: the previous one lost its closing mark.
            opener = stack[0]
            end = _strip_end(text, opener.at + opener.length, match.start())
            spans.append((opener.at, opener.at + opener.length, end, end))
            stack.clear()
        if role == "open":
            stack.append(_Open(match.start(), len(mark)))
        elif stack:
            opener = stack.pop()
            spans.append((opener.at, opener.at + opener.length, match.start(), match.end()))
    return spans, (stack[0] if stack else None)


def find_passages(text: str, paragraphs: tuple[tuple[int, int], ...]) -> list[Passage]:
    """Return the outermost quoted passages of ``text``, in order."""
    candidates: list[Passage] = []
    for family in ("double", "single"):
        group: int | None = None  # paragraph where an open multi-paragraph quote began
        for index, (lo, hi) in enumerate(paragraphs):
            spans, dangling = _pair_family(text, lo, hi, family)
            continuing = group is not None and _opens_paragraph(text, lo, hi, family)
            if group is not None and not continuing:
                group = None
            for open_at, start, end, close_at in spans:
                candidates.append(
                    Passage(
                        start,
                        end,
                        open_at,
                        close_at,
                        index,
                        True,
                        group
                        if (group is not None and continuing and open_at == _first_mark(text, lo, hi))
                        else index,
                        family,
                    )
                )
            if dangling is not None and family != "single":
                first = _first_mark(text, lo, hi)
                owner = group if (group is not None and continuing and dangling.at == first) else index
                start = dangling.at + dangling.length
                end = _strip_end(text, start, hi)
                if end > start:
                    candidates.append(Passage(start, end, dangling.at, end, index, False, owner, family))
                # The quote runs on only when the next paragraph reopens it.
                group = owner
            elif dangling is None:
                group = None
    return [p for p in _outermost(candidates) if text[p.start : p.end].strip()]


def _after_sentence(text: str, at: int, floor: int) -> bool:
    """Whether ``at`` follows sentence-final punctuation and a space ("... African-American. “I")."""
    k = at - 1
    if k <= floor or not text[k].isspace():
        return False
    while k > floor and text[k].isspace():
        k -= 1
    return text[k] in ".?!…"


def _first_mark(text: str, lo: int, hi: int) -> int:
    """Offset of the mark that opens the paragraph, or -1."""
    stripped = lo
    while stripped < hi and text[stripped].isspace():
        stripped += 1
    return stripped if _MARKS.match(text, stripped) else -1


def _opens_paragraph(text: str, lo: int, hi: int, family: str) -> bool:
    at = _first_mark(text, lo, hi)
    if at < 0:
        return False
    mark = _MARKS.match(text, at)
    return (
        mark is not None
        and _family(mark.group()) == family
        and (_role(text, at, mark.group(), lo, hi) in ("open", "?"))
    )


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _outermost(candidates: list[Passage]) -> list[Passage]:
    """Keep the outermost passages; double marks win over single ones.

    Single curly marks are mostly nested quotes or apostrophes, so a single
    passage is kept only when it overlaps no double-mark passage.
    """
    kept: list[Passage] = []
    for singles in (False, True):
        layer = [p for p in candidates if (p.family == "single") == singles]
        for passage in sorted(layer, key=lambda p: (p.open_at, -p.close_at)):
            if passage.end <= passage.start:
                continue
            if any(passage.open_at < other.close_at and other.open_at < passage.close_at for other in kept):
                continue
            kept.append(passage)
    return sorted(kept, key=lambda p: p.open_at)


def looks_like_title(content: str) -> bool:
    """Short Title Case text: a show, book or song named in quote marks."""
    words = re.findall(r"[^\W\d_][\w'’-]*", content)
    if not 1 <= len(words) <= 8:
        return False
    long_words = [w for w in words if len(w) > 3]
    return (
        bool(long_words)
        and all(w[0].isupper() for w in long_words)
        and (len(words) == 1 or sum(w[0].isupper() for w in words) >= 2)
    )
