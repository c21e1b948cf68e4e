"""A cheap view of the parsed document, the candidate spans over it, and helpers on both.

Rules read token attributes many times; spaCy builds a new Token object per
access, so :class:`Tokens` copies the few attributes they need once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from etl.keys import entity_key
from etl.records import EntityType
from etl.transform.nlp.places import gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc


# -- a cheap view of the parsed document -------------------------------------------------
class Tok:
    """The token attributes the rules read, copied once (spaCy builds a Token per access)."""

    __slots__ = (
        "text",
        "lower_",
        "tag_",
        "pos_",
        "ent_type_",
        "whitespace_",
        "idx",
        "is_lower",
        "is_upper",
        "is_alpha",
        "is_title",
        "is_stop",
        "is_punct",
        "is_space",
    )

    def __init__(
        self, text: str, idx: int, whitespace: str, tag: str, pos: str, ent_type: str, stop: bool, punct: bool
    ) -> None:
        self.text = text
        self.lower_ = text.lower()
        self.tag_ = tag
        self.pos_ = pos
        self.ent_type_ = ent_type
        self.whitespace_ = whitespace
        self.idx = idx
        self.is_lower = text.islower()
        self.is_upper = text.isupper()
        self.is_alpha = text.isalpha()
        self.is_title = text.istitle()
        self.is_stop = stop
        self.is_punct = punct
        self.is_space = text.isspace()


class Tokens:
    """The document as a list of :class:`Tok`, with memoised span texts and keys."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, IS_STOP, ORTH, POS, TAG

        text = self.text_ = doc.text
        strings = doc.vocab.strings
        # One C-level copy of the attributes instead of a spaCy Token per access.
        rows = doc.to_array([ORTH, IDX, TAG, POS, ENT_TYPE, IS_STOP, IS_PUNCT]).tolist()
        self.tokens: list[Tok] = []
        for i, (orth, idx, tag, pos, ent, stop, punct) in enumerate(rows):
            word = strings[orth]
            end = idx + len(word)
            next_idx = rows[i + 1][1] if i + 1 < len(rows) else end
            self.tokens.append(
                Tok(
                    word,
                    idx,
                    text[end:next_idx],
                    strings[tag] if tag else "",
                    strings[pos] if pos else "",
                    strings[ent] if ent else "",
                    bool(stop),
                    bool(punct),
                )
            )
        self._keys: dict[tuple[int, int], str] = {}

    def __len__(self) -> int:
        return len(self.tokens)

    @overload
    def __getitem__(self, item: int) -> Tok: ...
    @overload
    def __getitem__(self, item: slice) -> list[Tok]: ...
    def __getitem__(self, item: int | slice) -> Tok | list[Tok]:
        return self.tokens[item]

    def __iter__(self) -> Iterator[Tok]:
        return iter(self.tokens)

    def span_text(self, start: int, end: int) -> str:
        first, last = self.tokens[start], self.tokens[end - 1]
        return self.text_[first.idx : last.idx + len(last.text)]

    def span_key(self, start: int, end: int) -> str:
        key = self._keys.get((start, end))
        if key is None:
            key = self._keys[(start, end)] = entity_key(self.span_text(start, end))
        return key


# -- spans ------------------------------------------------------------------------
@dataclass(slots=True)
class Span:
    """A candidate entity over tokens ``[start, end)``; ``label`` None = undecided."""

    start: int
    end: int
    label: EntityType | None
    strong: bool = False
    """Set by a rule with direct evidence (a dateline, "giant Gazprom", a
    score after a team): wins over the article's majority label."""
    local: bool = False
    """The label holds for this mention only ("In Tarnow ," is the town in a
    story about its club): it neither votes nor follows the article's vote."""

    def text(self, doc: Tokens) -> str:
        return doc.span_text(self.start, self.end)

    def key(self, doc: Tokens) -> str:
        return doc.span_key(self.start, self.end)


# -- helpers the passes share ----------------------------------------------------------
_NOT_NAMES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
_CALENDAR = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "jan", "feb", "mar", "apr"),
        *("jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday"),
        *("wednesday", "thursday", "friday", "saturday", "sunday"),
    }
)
"""Month and day names: never a team or a repeated name on their own."""


def covered_tokens(spans: list[Span], doc: Tokens) -> list[bool]:
    """Tokens taken by a span, or by a date or number the model found ("July 1")."""
    covered = [token.ent_type_ in _NOT_NAMES or token.lower_.rstrip(".") in _CALENDAR for token in doc]
    for span in spans:
        for i in range(span.start, span.end):
            covered[i] = True
    return covered


def place_kind(doc: Tokens, span: Span) -> str | None:
    """The gazetteer's kind of place the span names ("country", "city", ...), if any."""
    place = gazetteer().resolve(span.text(doc)).place
    return place.kind if place is not None else None


def name_tokens(doc: Tokens, span: Span) -> tuple[str, ...]:
    """The identity keys of the span's words, empty ones (punctuation) left out."""
    keys = (entity_key(t.text) for t in doc[span.start : span.end])
    return tuple(k for k in keys if k)
