"""Speakers the text gives without a reporting verb, and which person a pronoun means.

- A nickname in quote marks inside a name (``Patricia “Patty” Moreno``) is
  part of the name, not a quote.
- A round-up names each quote's source on the line after it, with no verb:
  ``— Jane Doe, teacher`` or ``Jane Doe, The Outlet``.
- A speaker may be named before a colon that opens the quote:
  ``Retired engineer Jane Doe: “...”``.
- A pronoun speaker ("she said") means the subject of the previous
  attribution when the person named last since then is not a subject
  (an object, an appositive, a relative clause): the subject stays in focus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from etl.transform.nlp.lemmas import lemma
from etl.transform.nlp.quotes.cues import SENTENCE_END, Cue, introduces_quote, sets_scene
from etl.transform.nlp.quotes.lexicon import anonymous_heads, non_person_heads, reporting_verbs
from etl.transform.nlp.quotes.marks import Passage
from etl.transform.nlp.quotes.subjects import speaker_range, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from etl.records import EntityRecord
    from etl.transform.nlp.quotes.speakers import EntityIndex

_NAME_WORD = r"[A-Z][\w.'’-]*"
_NICKNAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD})?")
_WORD_BEFORE = re.compile(rf"{_NAME_WORD} $")
_WORD_AFTER = re.compile(r" [A-Z][\w'’-]+")
_DASHES = frozenset({"—", "–", "-", "―", "--"})
_MAX_LINE_TOKENS = 14
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_EXPLETIVES = frozenset({"it", "this", "that", "there", "what", "here"})
_POINTING = frozenset({"that", "this", "those", "these", "such"})
_INDEFINITE = frozenset({"another", "one", "a", "an"})
_CREDIT_WORDS = frozenset(
    {"via", "photo", "photos", "image", "images", "contributing", "credit", "file", ":"}
)
"""Words of a photo credit or a contributor line, which name no speaker."""


def is_nickname(body: str, passage: Passage) -> bool:
    """Whether a passage is one or two capitalised words between two words of a name."""
    if not passage.closed or not _NICKNAME.fullmatch(body, passage.start, passage.end):
        return False
    return bool(
        _WORD_BEFORE.search(body, max(0, passage.open_at - 40), passage.open_at)
        and _WORD_AFTER.match(body, passage.close_at)
    )


def _verbless_source(doc: Doc, lo: int, hi: int, require_mark: bool = False) -> Cue | None:
    """A name (and after a comma, a description) standing alone in tokens ``[lo, hi)``."""
    tokens = [k for k in range(lo, hi) if not doc[k].is_space]
    # "— Jane Doe" or "-Jane Doe" (the dash glued to the name)
    dashed = bool(tokens) and (
        doc[tokens[0]].text in _DASHES
        or (doc[tokens[0]].text[0] in "—–-―" and doc[tokens[0]].text[1:2].isupper())
    )
    while tokens and (doc[tokens[0]].text in _DASHES or doc[tokens[0]].is_punct):
        tokens.pop(0)
    while tokens and doc[tokens[-1]].is_punct and doc[tokens[-1]].text != ")":
        tokens.pop()
    if not tokens or len(tokens) > _MAX_LINE_TOKENS or any(doc[k].lower_ in _CREDIT_WORDS for k in tokens):
        return None
    comma = next((k for k in tokens if doc[k].text == ","), tokens[-1] + 1)
    if any(
        doc[k].pos_ in ("VERB", "AUX")
        and not doc[k].is_title
        and (k < comma or doc[k].tag_ not in ("VBG", "VBN"))
        for k in tokens
    ):
        return None  # a clause, not a source line ("— Jane Doe, writing on Twitter" is one)
    if require_mark and not dashed and comma > tokens[-1]:
        return None  # a bare name on its own line is a subheading, not a source line
    name = [k for k in tokens if k < comma]
    # A person the model knows, or after a dash capitalised proper nouns ("— Jane Doe, nurse", "— Doe").
    if not name or not (
        any(doc[k].ent_type_ == "PERSON" for k in name)
        or (dashed and all(doc[k].pos_ == "PROPN" and doc[k].is_title for k in name))
    ):
        return None
    description = (comma + 1, tokens[-1] + 1) if comma <= tokens[-1] else None
    return Cue("—", None, (name[0], name[-1] + 1), description)


def roundup_cue(doc: Doc, paragraph: tuple[int, int], token_at: Callable[[int], int]) -> Cue | None:
    """The source line of a round-up: a paragraph that is only a name and a description."""
    lo, hi = token_at(paragraph[0]), token_at(paragraph[1])
    if hi <= lo:
        return None
    return _verbless_source(doc, lo, hi, require_mark=True)


def _inverted_cue(doc: Doc, lo: int, colon: int) -> Cue | None:
    """``Continued Jane Doe:`` — a reporting verb in the past before the name, which the
    parser often reads as part of the name ("Stated Stone")."""
    verb = doc[lo]
    lower = verb.lower_
    if not (verb.is_title and lower.endswith("ed")) or not ({lower[:-1], lower[:-2]} & reporting_verbs()):
        return None
    name = [k for k in range(lo + 1, colon) if not doc[k].is_space]
    if not name or len(name) > 6 or not all(doc[k].pos_ == "PROPN" or doc[k].text == "." for k in name):
        return None
    return Cue(verb.text, lo, (name[0], name[-1] + 1), None)


def colon_cue(doc: Doc, before: list[int], blocked: list[bool]) -> Cue | None:
    """The source of a quote that a colon opens.

    ``Retired engineer Jane Doe: “...”`` and ``More from Jane Doe: “...”`` name
    the speaker with no verb; ``Doe resisted: “...”`` and ``The letter makes a
    case: “...”`` through the subject of the verb before the colon, whatever the
    verb (the colon makes it a cue).
    """
    if len(before) < 2 or doc[before[-1]].text != ":":
        return None
    # Only the sentence that ends with the colon: "... She went on to say:"
    ends = [n for n, k in enumerate(before) if doc[k].text in SENTENCE_END]
    before = before[ends[-1] + 1 :] if ends else before
    if len(before) < 2:
        return None
    lo = before[0]
    for k in before[:-1]:
        if doc[k].lower_ in ("from", "by") and k + 1 < before[-1]:
            lo = k + 1  # "More from Jane Doe:"
    inverted = _inverted_cue(doc, lo, before[-1])
    if inverted is not None:
        return inverted
    # A round-up item: "HEADLINE IN CAPITALS - Jane Doe: “...”"
    dashes = [k for k in before[:-1] if doc[k].text in _DASHES and k > lo]
    verbless = _verbless_source(doc, dashes[-1] if dashes else lo, before[-1])
    if verbless is not None:
        return verbless
    # A reporting verb names the source ("Breitbart News responded:", "As X reported, ...:"),
    # unless it only sets the time ("When X suggested ..., Y fired back:"). Otherwise the
    # clause before the colon is read from its own root: the parser often hangs it under
    # a verb of the quote ("X delivered a message: “It's time ...”").
    reporting = [doc[k] for k in before if introduces_quote(doc[k]) and not sets_scene(doc[k])]
    for verb in reversed(reporting):
        subject = subject_of(verb, blocked)
        if subject is not None and not blocked[subject.i] and _can_speak(subject):
            speaker, description = speaker_range(subject, blocked)
            return Cue(":", verb.i, speaker, description)
    span = set(before)
    roots = [
        doc[k]
        for k in before
        if doc[k].pos_ in ("VERB", "AUX") and (doc[k].head.i == k or doc[k].head.i not in span)
    ]
    for verb in reversed(roots):
        subject = subject_of(verb, blocked)
        if subject is None or blocked[subject.i] or subject.sent.start != verb.sent.start:
            continue
        if not _can_speak(subject):
            return None  # "The timing of the surge doesn't surprise X:" — the subject says nothing
        speaker, description = speaker_range(subject, blocked)
        return Cue(":", verb.i, speaker, description)
    return None


def _described_subject_since(doc: Doc, person: EntityRecord, offset: int) -> bool:
    """Whether a sentence since the person was last named has an unnamed person as
    its subject ("Another voter was less impressed."): "he" then means that one."""
    last = max((m.end for m in person.mentions if m.end <= offset), default=None)
    if last is None or offset <= last:
        return False
    between = doc.char_span(last, offset, alignment_mode="expand")
    return between is not None and any(
        token.dep_ == "nsubj"
        and token.pos_ == "NOUN"
        and token.tag_ == "NN"
        and any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in token.children)
        and lemma(token).lower() not in non_person_heads()
        for token in between
    )


def following_cue(doc: Doc, after: list[int], blocked: list[bool]) -> Cue | None:
    """``“...” That was the verdict of Jane Doe.``: a sentence right after the quote,
    whose subject points back at it, names the source after "of", "from" or "by"."""
    words = [k for k in after if not doc[k].is_punct and not doc[k].is_space]
    if not words or doc[words[0]].lower_ not in _POINTING:
        return None
    first = doc[words[0]]
    subject = first if first.dep_ in _SUBJECT_DEPS else first.head if first.dep_ == "det" else None
    if subject is None or subject.dep_ not in _SUBJECT_DEPS:
        return None
    for k in words[1:]:
        token = doc[k]
        if (
            token.dep_ == "pobj"
            and token.head.lower_ in ("of", "from", "by")
            and (_can_speak(token) or token.pos_ == "NOUN")
        ):
            speaker, description = speaker_range(token, blocked)
            return Cue(subject.head.text, subject.head.i, speaker, description)
    return None


def _can_speak(subject: Token) -> bool:
    """A name, a personal pronoun, or a noun for people, organisations or documents."""
    if subject.lower_ in _EXPLETIVES or subject.tag_ in ("WDT", "WP"):
        return False
    if subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    base = lemma(subject).lower()
    return base in anonymous_heads() or base in non_person_heads()


def focused_antecedent(
    doc: Doc,
    index: EntityIndex,
    offset: int,
    previous: tuple[int, EntityRecord] | None,
    fallback: Callable[[str], EntityRecord | None],
) -> Callable[[str], EntityRecord | None]:
    """Resolve "he"/"she" to the previous attribution's subject unless a person named since is a subject."""

    def resolve(pronoun: str) -> EntityRecord | None:
        found = fallback(pronoun)
        if found is not None and pronoun in ("he", "she") and _described_subject_since(doc, found, offset):
            return None
        if previous is None or pronoun not in ("he", "she") or found is None:
            return found
        since, speaker = previous
        if found.name == speaker.name or index.genders.get(speaker.name, pronoun) != pronoun:
            return found
        mentions = [m for m in found.mentions if since < m.start < offset]
        if not mentions:
            return found
        last = max(mentions, key=lambda m: m.start)
        span = doc.char_span(last.start, last.end, alignment_mode="expand")
        if span is None or span.root.dep_ in _SUBJECT_DEPS:
            return found
        return speaker

    return resolve
