"""Named entities of an article: repaired spans, one canonical record per thing.

The small spaCy model gets some things wrong in systematic ways; this module
repairs them with general mechanisms, in this order:

1. Span cleaning: a leading "the", prefixes ("ex-England"), trailing
   possessives, punctuation, digit dates ("SEOUL 1996-08-30") and common nouns
   ("Interfax news agency") leave the span; a possessive inside a span splits
   it ("Hawaii's Pacific Forum" -> "Hawaii" + "Pacific Forum"); titles and
   nationalities leave a person's name ("Russian President Vladimir Putin").
   Offsets stay exact: every mention satisfies ``body[start:end] == text``.
2. Titles: "Secretary of State", "Foreign Minister" are titles, so "State"
   and "Foreign" are no organisations; "Ministry of Finance" is one, whole.
3. Curated hints (``data/``): news agencies are organisations; a name ending
   in an organisation word ("... Corp", "... University") is one; a name
   written after "giant", "company", "carmaker" is one, after "analyst",
   "striker" a person; a mislabelled name starting with a common given name
   is a person; a nationality word is a group (NORP).
4. Datelines and results tables: a capitalised place before ", <country>" or
   at the start of a paragraph is a place; the sides in a results table
   ("Leicestershire 296 , Somerset 83") or around "beat" are teams
   (organisations), except countries.
5. Consistency within the article: rule evidence, then the majority, gives
   one label per name; a surname seen in a full person name is that person
   everywhere (overriding other labels); an acronym defined in brackets and
   the first word of a company name stand for the organisation; a name tagged
   once is tagged where the model missed it.
6. Grouping: every mention of one thing points to one record. Places resolve
   through the gazetteer (:mod:`etl.transform.nlp.places`) so "U.S." and "United
   States" are one entity with coordinates; a short person name joins the one
   full name it is part of ("Putin" -> "Vladimir Putin", "Xi" -> "Xi
   Jinping"); a short name shared by two full names ("Carter" with "Tom
   Carter" and "Helen Carter") joins neither and stays its own entity.

Rules never use names from an evaluation set; the word lists are general
(agencies, titles, organisation words, nationalities, given names).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, overload

from etl.keys import entity_key
from etl.records import ArticleRecord, EntityRecord, EntityType, MentionRecord
from etl.transform.nlp.places import Place, gazetteer
from etl.transform.outlets import agency_names_in_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
    "PRODUCT": "OTHER",
}
"""spaCy labels kept as entities; dates, numbers and money are not entities."""

PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})
DATA_DIR = Path(__file__).parent / "data"
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
"""A date written in digits ("1996-08-30"): leaves a dateline's place, while
"Boeing 747" and "Euro 2024" keep their numbers."""


# -- curated lexicons -------------------------------------------------------------
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
    return frozenset(w for w in words | plurals if gazetteer().resolve(w).place is None)


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


# -- a cheap view of the parsed document -----------------------------------------------
class _Tok:
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


class _Tokens:
    """The document as a list of :class:`_Tok`, with memoised span texts and keys."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, IS_STOP, ORTH, POS, TAG

        text = self.text_ = doc.text
        strings = doc.vocab.strings
        # One C-level copy of the attributes instead of a spaCy Token per access.
        rows = doc.to_array([ORTH, IDX, TAG, POS, ENT_TYPE, IS_STOP, IS_PUNCT]).tolist()
        self.tokens: list[_Tok] = []
        for i, (orth, idx, tag, pos, ent, stop, punct) in enumerate(rows):
            word = strings[orth]
            end = idx + len(word)
            next_idx = rows[i + 1][1] if i + 1 < len(rows) else end
            self.tokens.append(
                _Tok(
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
    def __getitem__(self, item: int) -> _Tok: ...
    @overload
    def __getitem__(self, item: slice) -> list[_Tok]: ...
    def __getitem__(self, item: int | slice) -> _Tok | list[_Tok]:
        return self.tokens[item]

    def __iter__(self) -> Iterator[_Tok]:
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
class _Span:
    """A candidate entity over tokens ``[start, end)``; ``label`` None = undecided."""

    start: int
    end: int
    label: EntityType | None
    strong: bool = False
    """Set by a rule with direct evidence (an agency name, "giant Gazprom", a
    score after a team): wins over the article's majority label."""

    def text(self, doc: _Tokens) -> str:
        return doc.span_text(self.start, self.end)

    def key(self, doc: _Tokens) -> str:
        return doc.span_key(self.start, self.end)


def _is_name_token(token: _Tok) -> bool:
    """A token that can start or end a name: a word or number, not punctuation."""
    return not (token.is_punct or token.is_space or token.text in POSSESSIVES)


_DATE_PIECE = re.compile(r"^[\d./-]+$")


def _before_trailing_date(doc: _Tokens, start: int, end: int) -> int:
    """Where a trailing digit date ("SEOUL 1996 - 08 - 30", however tokenised) begins."""
    cut = end
    while cut - 1 > start and _DATE_PIECE.match(doc[cut - 1].text):
        cut -= 1
    if cut < end and _DATE_LIKE.match(doc.span_text(cut, end).replace(" ", "")):
        return cut
    return end


def _trim(doc: _Tokens, span: _Span, lex: Lexicons) -> _Span | None:
    """Drop a leading "the", punctuation, trailing possessives, numbers and common nouns."""
    start, end = span.start, span.end
    while start < end and (
        doc[start].lower_ == "the"
        or not _is_name_token(doc[start])
        # "ex-England", "pro-Moscow": a prefix, not part of the name.
        or (doc[start].is_lower and start + 1 < end and doc[start + 1].text == "-")
    ):
        start += 1
    end = _before_trailing_date(doc, start, end)
    while end > start and (
        not _is_name_token(doc[end - 1])
        or (end - 1 > start and _DATE_LIKE.match(doc[end - 1].text))
        # "Interfax news agency": the description is not part of the name.
        or (end - 1 > start and doc[end - 1].is_lower and doc[end - 1].text not in lex.org_suffixes)
    ):
        end -= 1
    if start >= end or not any(ch.isalpha() for ch in doc.span_text(start, end)):
        return None
    return _Span(start, end, span.label)


def _strip_person_titles(doc: _Tokens, span: _Span, lex: Lexicons) -> _Span:
    """Drop titles and demonyms at the front of a person's name (keeps one token)."""
    start = span.start
    while start < span.end - 1:
        word = doc[start].text.rstrip(".")
        if word in lex.person_titles or word.title() in lex.person_titles:
            start += 1
        elif word in lex.demonyms and span.end - start > 2:
            start += 1  # "American Dennis Mitchell", but "Christian Dior" stays whole
        elif doc[start].lower_ in ("of", "the", "and", "for") and start > span.start:
            start += 1  # "Secretary of State Antony Blinken": the "of" between titles
        else:
            break
    return _Span(start, span.end, span.label)


def _split_possessive(doc: _Tokens, span: _Span, lex: Lexicons) -> list[_Span]:
    """Split "Hawaii's Pacific Forum" into owner (label undecided) and thing."""
    for i in range(span.start + 1, span.end - 1):
        if doc[i].text in POSSESSIVES or doc[i].tag_ == "POS":
            right = _Span(i + 1, span.end, span.label)
            # "St. John's University": the part after is a lone generic word.
            if right.end - right.start == 1 and doc[right.start].text in lex.org_suffixes:
                return [span]
            if not doc[right.start].text[:1].isupper():
                return [span]
            return [_Span(span.start, i, None), right]
    return [span]


def _clean(doc: _Tokens, span: _Span, lex: Lexicons) -> list[_Span]:
    """Trim one model span, split it at a possessive, strip a person's titles."""
    trimmed = _trim(doc, span, lex)
    if trimmed is None:
        return []
    out: list[_Span] = []
    for piece in _split_possessive(doc, trimmed, lex):
        part = _trim(doc, piece, lex)
        if part is None:
            continue
        if part.label == "PERSON":
            part = _strip_person_titles(doc, part, lex)
        out.append(part)
    return out


_TITLE_HEADS = frozenset({"Minister", "Secretary", "Secretary-General", "Undersecretary", "Commissioner"})
_BODY_HEADS = frozenset({"Ministry", "Department", "Office", "Secretariat", "Committee"})


def _portfolios(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> list[_Span]:
    """Drop "State" of "Secretary of State"; widen "Finance" to "Ministry of Finance"."""
    out: list[_Span] = []
    for span in spans:
        following = doc[span.end].text if span.end < len(doc) else ""
        if span.key(doc) in lex.portfolios and following in _TITLE_HEADS:
            continue  # "Foreign Minister": part of a title
        if span.key(doc) in lex.portfolios and following in _BODY_HEADS:
            out.append(_Span(span.start, span.end + 1, "ORG"))  # "Foreign Ministry"
            continue
        if (
            span.start >= 2
            and doc[span.start - 1].lower_ in ("of", "for")
            and span.key(doc) in lex.portfolios
        ):
            head = doc[span.start - 2].text
            if head in ("Ministry", "Department", "Office", "Secretariat"):
                out.append(_Span(span.start - 2, span.end, "ORG"))
                continue
            if head[:1].isupper():
                continue  # a title: Secretary/Minister/Commissioner of State/Finance
        out.append(span)
    return out


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


def _covered(spans: list[_Span], doc: _Tokens) -> list[bool]:
    """Tokens taken by a span, or by a date or number the model found ("July 1")."""
    covered = [token.ent_type_ in _NOT_NAMES or token.lower_.rstrip(".") in _CALENDAR for token in doc]
    for span in spans:
        for i in range(span.start, span.end):
            covered[i] = True
    return covered


def _agencies(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> list[_Span]:
    """Tag news agencies as organisations, replacing what the model said."""
    words = [t.text for t in doc]
    matches: list[_Span] = []
    i = 0
    while i < len(words):
        for size in range(min(lex.agency_max_len, len(words) - i), 0, -1):
            if tuple(words[i : i + size]) in lex.agencies:
                matches.append(_Span(i, i + size, "ORG"))
                i += size
                break
        else:
            i += 1
    if not matches:
        return spans
    out: list[_Span] = []
    for span in spans:
        inside = [m for m in matches if m.start < span.end and span.start < m.end]
        if not inside:
            out.append(span)
        elif any(m.start <= span.start and span.end <= m.end for m in inside):
            continue  # the agency match covers the model's span
        elif len(inside) == 1 and inside[0].end == span.end:
            # "Thomson Reuters" tagged PERSON around "Reuters": an agency's name.
            span.label = "ORG"
            out.append(span)
            matches.remove(inside[0])
        else:
            out.append(span)
            for m in inside:
                matches.remove(m)
    return sorted(out + matches, key=lambda s: s.start)


def _place_kind(doc: _Tokens, span: _Span) -> str | None:
    place = gazetteer().resolve(span.text(doc)).place
    return place.kind if place is not None else None


def _relabel_by_form(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> None:
    """Organisation suffixes and the descriptive noun before a name decide its type."""
    for span in spans:
        if span.strong or span.label not in (None, "PERSON", "GPE", "LOC", "NORP", "ORG"):
            continue
        if span.end - span.start == 1 and doc[span.start].text in lex.demonyms and span.label != "NORP":
            # "Briton", "Tajiks" tagged as a person or a place: a group of people.
            span.label, span.strong = "NORP", True
            continue
        kind = _place_kind(doc, span)
        if kind == "country" and span.label == "ORG" and span.end - span.start <= 3:
            span.label = "GPE"  # the model's ORG for a bare country name
        if (
            kind in ("country", "region", "continent")
            and span.label == "PERSON"
            and span.end - span.start <= 2
        ):
            # "England discard Andy Caddick": a country is no person; a real
            # person of that name ("Michael Jordan") comes back as a surname.
            span.label = "GPE"
        last = doc[span.end - 1].text
        if (
            span.label in ("ORG", "GPE", "LOC")
            and kind is None
            and 2 <= span.end - span.start <= 3
            and doc[span.start].text in lex.given_names
            and all(t.is_title for t in doc[span.start : span.end])
            and last not in lex.org_suffixes
        ):
            # "Alexander Lebed" tagged ORG: a given name and capitalised words.
            span.label, span.strong = "PERSON", True
            continue
        # "West Bank" ends in "Bank" but is a place.
        if kind is None and span.end - span.start > 1 and last in lex.org_suffixes:
            span.label, span.strong = "ORG", True
            continue
        if kind in ("country", "region", "continent"):
            continue  # a cue does not turn a country into a company; a small town it may
        if span.start == 0 or not doc[span.start - 1].is_lower:
            continue
        cue = doc[span.start - 1].lower_
        if cue in lex.org_cues:
            span.label, span.strong = "ORG", True
        elif cue in lex.person_cues and span.label in (None, "GPE", "LOC", "ORG"):
            span.label, span.strong = "PERSON", True


_SCORE = re.compile(r"^\d{1,3}(-\d{1,3})?$")
_SCORE_FOLLOWERS = frozenset({"and", "points", "pts", "for", "not", "runs", "wickets", "overs", "in"})


def _is_score_at(doc: _Tokens, i: int) -> bool:
    """A game score at token ``i``: "296", "81-3" (not "10 million", not a year)."""
    if i >= len(doc) or not _SCORE.match(doc[i].text):
        return False
    after = doc[i + 1] if i + 1 < len(doc) else None
    return after is None or not after.is_alpha or not after.is_lower or after.lower_ in _SCORE_FOLLOWERS


def _proper_run(doc: _Tokens, start: int, covered: list[bool], limit: int = 3) -> int:
    """End of a run of up to ``limit`` capitalised proper-noun tokens from ``start``."""
    end = start
    while (
        end < len(doc)
        and end - start < limit
        and not covered[end]
        and doc[end].text[:1].isupper()
        and doc[end].pos_ == "PROPN"
    ):
        end += 1
    return end


def _opens_table_cell(doc: _Tokens, i: int, lex: Lexicons) -> bool:
    """A side's name follows punctuation, a number or a result word, not prose
    ("b Chandana 2" in a scorecard names the bowler)."""
    if i == 0:
        return True
    before = doc[i - 1]
    return not (before.is_alpha and before.is_lower) or (before.lower_,) in lex.sports_cues


def _sports_teams(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> list[_Span]:
    """Sides in results tables and "X beat Y" are teams (organisations), not places.

    Only in an article with at least two "name score" pairs (a results table or
    a match report); countries stay places, as national sides are named after
    them; people (golfers, bowlers) keep their label.
    """
    covered = _covered(spans, doc)
    by_start = {s.start: s for s in spans}
    candidates: list[_Span] = []
    i = 0
    while i < len(doc):
        span = by_start.get(i)
        if span is not None:
            if _is_score_at(doc, span.end) and _opens_table_cell(doc, i, lex):
                candidates.append(span)
            i = span.end
            continue
        end = _proper_run(doc, i, covered, limit=2) if not covered[i] else i
        if end > i and _is_score_at(doc, end) and not doc[i].is_stop and _opens_table_cell(doc, i, lex):
            candidates.append(_Span(i, end, None))
            i = end
            continue
        i += 1
    # "Leicestershire beat Somerset": both sides of a result verb.
    for span in spans:
        for size in set(lex.sports_cues.values()):
            words = tuple(t.lower_ for t in doc[span.end : span.end + size])
            other = by_start.get(span.end + size)
            if words in lex.sports_cues and other is not None and "PERSON" not in (span.label, other.label):
                candidates.extend([span, other])
    if len(candidates) < 2:
        return spans
    added: list[_Span] = []
    for span in candidates:
        if span.strong or span.label == "PERSON":
            continue
        if _place_kind(doc, span) == "country":
            if span.label is None:
                span.label = "GPE"
                added.append(span)
            continue
        if span.label is None:
            added.append(span)
        span.label, span.strong = "ORG", True
    return sorted(spans + added, key=lambda s: s.start)


def _datelines(doc: _Tokens, spans: list[_Span]) -> list[_Span]:
    """Places in datelines: "TAVILDARA , Tajikistan 1996-08-30", "WASHINGTON (Reuters) -".

    A name in capitals that is followed by ", <country>" (anywhere: a byline
    may precede it on the same line, even inside one model span), or that
    starts a paragraph and is in the gazetteer, is a place whatever the model
    said.
    """
    gaz = gazetteer()
    found: list[_Span] = []
    for i, token in enumerate(doc):
        if not (token.is_upper and token.is_alpha) or (i > 0 and doc[i - 1].is_upper and doc[i - 1].is_alpha):
            continue
        end = i
        while end < len(doc) and end - i < 3 and doc[end].is_upper and doc[end].is_alpha:
            end += 1
        after = doc[end : end + 2]
        if (
            len(after) == 2
            and after[0].text == ","
            and (gaz.resolve(after[1].text).place or _NO_PLACE).kind in ("country", "region", "province")
        ):
            found.append(_Span(i, end, "GPE", strong=True))
            continue
        at_paragraph_start = i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space
        if at_paragraph_start:
            # The longest run of capitals the gazetteer knows: "HONG KONG", not "HONG KONG STOCKS".
            for stop in range(end, i, -1):
                if gaz.resolve(doc.span_text(i, stop)).place is not None:
                    found.append(_Span(i, stop, "GPE", strong=True))
                    break
    # A model span that runs past the capitals ("WASHINGTON POST") is kept whole.
    found = [
        f for f in found if not any(s.start >= f.start and s.end > f.end and s.start < f.end for s in spans)
    ]
    if not found:
        return spans
    out: list[_Span] = []
    for span in spans:
        hit = next((f for f in found if f.start < span.end and span.start < f.end), None)
        if hit is None:
            out.append(span)
        elif span.start < hit.start:
            # "Yuri Kushko TAVILDARA": the byline keeps its name, the place leaves it.
            out.append(_Span(span.start, hit.start, span.label, span.strong))
    return sorted(out + found, key=lambda s: s.start)


_NO_PLACE = Place("", "", "city", None, None, None)


def _name_tokens(doc: _Tokens, span: _Span) -> tuple[str, ...]:
    keys = (entity_key(t.text) for t in doc[span.start : span.end])
    return tuple(k for k in keys if k)


def _person_parts(doc: _Tokens, spans: list[_Span]) -> tuple[dict[str, set[tuple[str, ...]]], set[str]]:
    """Map first and last tokens of full person names to the names; also the surnames."""
    parts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    surnames: set[str] = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        tokens = _name_tokens(doc, span)
        if len(tokens) < 2 or not (
            doc[span.start].text[:1].isupper() and doc[span.end - 1].text[:1].isupper()
        ):
            continue
        parts[tokens[-1]].add(tokens)
        surnames.add(tokens[-1])
        if len(tokens[0]) > 1:  # "S." is an initial, not a name
            parts[tokens[0]].add(tokens)
    return parts, surnames


def _well_known_place(doc: _Tokens, span: _Span) -> bool:
    """A country, region or a city of 100,000 or more: its name keeps its meaning."""
    place = gazetteer().resolve(span.text(doc)).place
    if place is None or place.kind == "province":
        return False
    return place.kind != "city" or place.population >= 100_000


def _org_short_forms(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> dict[str, tuple[str, ...]]:
    """First words of organisation names that stand for them ("Magna" of "Magna International Inc")."""
    shorts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for span in spans:
        if span.label != "ORG" or span.end - span.start < 2 or doc[span.end - 1].text not in lex.org_suffixes:
            continue
        first = doc[span.start]
        if (
            first.is_stop
            or not first.is_title
            or first.text in lex.org_suffixes
            or first.text in lex.demonyms
            or first.text in lex.person_titles
            or entity_key(first.text) in lex.portfolios
            or _well_known_place(doc, _Span(span.start, span.start + 1, None))
        ):
            continue
        shorts[entity_key(first.text)].add(_name_tokens(doc, span))
    return {short: next(iter(fulls)) for short, fulls in shorts.items() if len(fulls) == 1}


def _majority_labels(doc: _Tokens, spans: list[_Span]) -> None:
    """One label per name within the article: rule evidence first, then the most frequent."""
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    strong: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for span in spans:
        if span.label is not None:
            (strong if span.strong else votes)[span.key(doc)][span.label] += 1
    for span in spans:
        key = span.key(doc)
        if key in strong:
            if not span.strong:
                span.label = strong[key].most_common(1)[0][0]
            continue
        counter = votes.get(key)
        if not counter:
            continue
        ranked = counter.most_common(2)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if ranked[0][1] > runner_up or span.label is None:
            span.label = ranked[0][0]


def _acronyms(doc: _Tokens, spans: list[_Span]) -> tuple[list[_Span], dict[str, str]]:
    """ "National Association of Purchasing Management ( NAPM )": the acronym is that name.

    Returns the spans (an untagged acronym added, a tagged one relabelled) and
    a map from each acronym's key to the full name's key.
    """
    by_start = {s.start: s for s in spans}
    aliases: dict[str, str] = {}
    added: list[_Span] = []
    for span in spans:
        i = span.end
        if span.label is None or span.end - span.start < 2 or i + 2 >= len(doc):
            continue
        if doc[i].text != "(" or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text.replace(".", "")
        initials = [t.text[0] for t in doc[span.start : span.end] if t.text[:1].isupper()]
        if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
            continue
        if not initials or acronym[0] != initials[0]:
            continue
        existing = by_start.get(i + 1)
        if existing is not None and existing.end == i + 2:
            existing.label, existing.strong = span.label, True
        elif existing is None:
            added.append(_Span(i + 1, i + 2, span.label, strong=True))
        else:
            continue
        aliases[entity_key(acronym)] = span.key(doc)
    return sorted(spans + added, key=lambda s: s.start), aliases


def _propagate(doc: _Tokens, spans: list[_Span], lex: Lexicons) -> tuple[list[_Span], dict[str, str]]:
    """Make labels consistent within the article and tag missed repeats of names.

    Returns the spans and the aliases found (acronyms and short forms of
    organisation names, mapped to the full name's key).
    """
    spans, aliases = _acronyms(doc, spans)
    _majority_labels(doc, spans)
    parts, surnames = _person_parts(doc, spans)
    org_shorts = _org_short_forms(doc, spans, lex)
    for short, full in org_shorts.items():
        aliases.setdefault(short, " ".join(full))
    strong_keys = {s.key(doc) for s in spans if s.strong}
    for span in spans:
        tokens = _name_tokens(doc, span)
        if len(tokens) != 1 or span.strong or tokens[0] in strong_keys:
            continue
        # A surname (or the first name of a full name) is that person everywhere,
        # unless it is also the short form of an organisation's name.
        if tokens[0] in org_shorts:
            span.label = "ORG"
        elif tokens[0] in parts:
            span.label = "PERSON"
    spans = [s for s in spans if (s.label is not None or _resolve_owner(doc, s)) and len(s.key(doc)) > 1]
    # Names the model tagged somewhere, repeated where it did not.
    known: dict[tuple[str, ...], EntityType] = {}
    for span in spans:
        if span.label is not None:
            known.setdefault(tuple(t.text for t in doc[span.start : span.end]), span.label)
    for surname in surnames:
        known.setdefault((surname,), "PERSON")
    for short in org_shorts:
        known.setdefault((short,), "ORG")
    covered = _covered(spans, doc)
    max_len = max((len(k) for k in known), default=0)
    added: list[_Span] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if covered[i] or not token.text[:1].isupper() or token.is_stop:
            i += 1
            continue
        for size in range(min(max_len, len(doc) - i), 0, -1):
            words = tuple(t.text for t in doc[i : i + size])
            label = known.get(words)
            if label is None and size == 1 and token.is_title:
                label = known.get((entity_key(token.text),))
            if label is None or any(covered[i : i + size]):
                continue
            if size == 1 and (
                token.pos_ != "PROPN"
                # "Foreign Minister", "National Westminster": the start of another name.
                or (i + 1 < len(doc) and doc[i + 1].is_title and doc[i + 1].is_alpha)
            ):
                continue
            added.append(_Span(i, i + size, label))
            i += size
            break
        else:
            i += 1
    return sorted(spans + added, key=lambda s: s.start), aliases


def _resolve_owner(doc: _Tokens, span: _Span) -> bool:
    """Label the undecided owner of a possessive ("Hawaii's") when it is a place."""
    if span.label is not None:
        return True
    place = gazetteer().resolve(span.text(doc)).place
    if place is not None:
        span.label = "GPE" if place.country_code else "LOC"
        return True
    return False


def _remove_overlaps(spans: list[_Span]) -> list[_Span]:
    """Keep the longer of two overlapping spans (the earlier one on ties)."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


# -- grouping ---------------------------------------------------------------------
def _display_name(surfaces: list[str]) -> str:
    """The fullest surface form, preferring one not written in capitals."""
    return max(surfaces, key=lambda s: (not s.isupper(), len(s.split()), surfaces.count(s), len(s)))


def _person_groups(doc: _Tokens, spans: list[_Span]) -> dict[int, tuple[str, ...]]:
    """Assign each person span the token key of the full name it refers to."""
    names = {id(s): _name_tokens(doc, s) for s in spans}
    distinct = set(names.values())

    def refers_to(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
        if short == full or len(short) >= len(full):
            return False
        if full[: len(short)] == short or full[-len(short) :] == short:
            return True
        # "George Bush" in "George W. Bush": same first and last, in order.
        it = iter(full)
        return short[0] == full[0] and short[-1] == full[-1] and all(t in it for t in short)

    maximal = {n for n in distinct if not any(refers_to(n, other) for other in distinct)}
    target: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in distinct:
        if name in maximal:
            target[name] = name
            continue
        owners = {full for full in maximal if refers_to(name, full)}
        # Two people share this name part: the short mention joins neither.
        target[name] = owners.pop() if len(owners) == 1 else name
    return {sid: target[tokens] for sid, tokens in names.items()}


@dataclass(slots=True)
class _Group:
    type: EntityType
    surfaces: list[str]
    mentions: list[MentionRecord]
    place: Place | None = None
    name_tokens: tuple[str, ...] = ()


def extract_entities(doc: Doc, article: ArticleRecord) -> tuple[EntityRecord, ...]:
    """Find the article's entities, repaired and grouped one record per thing."""
    lex = lexicons()
    tokens = _Tokens(doc)
    spans: list[_Span] = []
    for ent in doc.ents:
        label = SPACY_TYPES.get(ent.label_)
        if label is not None:
            spans.extend(_clean(tokens, _Span(ent.start, ent.end, label), lex))
    spans = _portfolios(tokens, spans, lex)
    spans = _agencies(tokens, spans, lex)
    spans = _datelines(tokens, spans)
    _relabel_by_form(tokens, spans, lex)
    spans = _sports_teams(tokens, spans, lex)
    spans, aliases = _propagate(tokens, spans, lex)
    return _group(tokens, article, _remove_overlaps(spans), aliases)


def _group(
    doc: _Tokens, article: ArticleRecord, spans: list[_Span], aliases: dict[str, str]
) -> tuple[EntityRecord, ...]:
    gaz = gazetteer()
    places: dict[str, Place | None] = {}
    for span in spans:
        if span.label in PLACE_TYPES:
            places.setdefault(span.key(doc), gaz.resolve(span.text(doc)).place)
    # Countries named in the article or its dateline settle which "Cambridge" is meant.
    context = {p.country_code for p in places.values() if p is not None and p.country_code}
    for dateline_place in article.dateline_places:
        for part in dateline_place.split(","):
            resolved = gaz.resolve(part).place
            if resolved is not None and resolved.country_code:
                context.add(resolved.country_code)
    for key, place in places.items():
        if place is None and context:
            first = next(s for s in spans if s.label in PLACE_TYPES and s.key(doc) == key)
            places[key] = gaz.resolve(first.text(doc), context).place

    person_targets = _person_groups(doc, [s for s in spans if s.label == "PERSON"])
    groups: dict[tuple[str, str], _Group] = {}
    for span in spans:
        assert span.label is not None
        text = span.text(doc)
        start = doc[span.start].idx
        end = doc[span.end - 1].idx + len(doc[span.end - 1].text)
        mention = MentionRecord(start, end, text, article.paragraph_of(start))
        label: EntityType = span.label
        place = places.get(span.key(doc)) if label in PLACE_TYPES else None
        if place is not None:
            label = "GPE" if place.kind in ("country", "city") or place.country_code else "LOC"
            group_id = ("place", place.place_id)
        elif label == "PERSON":
            group_id = ("PERSON", " ".join(person_targets[id(span)]))
        else:
            key = span.key(doc)
            group_id = (label, aliases.get(key, key))
        group = groups.setdefault(group_id, _Group(label, [], [], place))
        group.surfaces.append(text)
        group.mentions.append(mention)
        if label == "PERSON":
            group.name_tokens = person_targets[id(span)]

    # A dateline place ("HONG KONG/MOSCOW (Reuters)") is where the story was
    # filed even when the body never names it again: an entity with no mentions.
    for dateline_place in article.dateline_places:
        place = gaz.resolve(dateline_place.split(",")[0], context).place
        if place is not None and ("place", place.place_id) not in groups:
            label = "GPE" if place.kind in ("country", "city") or place.country_code else "LOC"
            groups[("place", place.place_id)] = _Group(label, [dateline_place], [], place)

    records: list[EntityRecord] = []
    for group in groups.values():
        if group.place is not None:
            name = group.place.name
        elif group.type == "PERSON":
            # The fullest name: the surface form whose tokens are the group's name.
            full = [
                s
                for s in group.surfaces
                if tuple(entity_key(w) for w in s.split() if entity_key(w)) == group.name_tokens
            ]
            name = _display_name(full or group.surfaces)
        else:
            name = _display_name(group.surfaces)
        records.append(
            EntityRecord(
                name=name,
                type=group.type,
                key=entity_key(name),
                mentions=tuple(sorted(group.mentions, key=lambda m: m.start)),
                country_code=group.place.country_code if group.place else None,
                latitude=group.place.latitude if group.place else None,
                longitude=group.place.longitude if group.place else None,
            )
        )
    # Mentioned entities in reading order; dateline-only places last.
    return tuple(sorted(records, key=lambda r: r.mentions[0].start if r.mentions else len(doc.text_)))
