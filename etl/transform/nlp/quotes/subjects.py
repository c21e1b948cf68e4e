"""Who a reporting verb's subject is in the parse, and how far the speaker phrase reaches.

spaCy's small model often hangs a cue under a verb of the reported clause or of
the quote itself; :func:`subject_of` climbs to the clause that reports, and
:func:`speaker_range` cuts the speaker phrase out of the subject's subtree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJECT_DEPS = frozenset({"nsubj"})
"""Passive subjects are addressees or topics ("Smith was asked", "it was reported"), not speakers."""
_CLAUSE_LINKS = frozenset({"advcl", "xcomp", "conj", "pcomp", "ccomp"})
_DETACHED_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "cc", "prep", "advcl", "parataxis"})
MAX_SPEAKER_TOKENS = 14


def subject_of(verb: Token, blocked: list[bool] | None = None, main_clause: bool = True) -> Token | None:
    """The grammatical subject of a reporting verb, climbing through "saying", "and added".

    The expletive subject of a clause climbed into is nobody: in "X said it was
    too early but added, ..." "added" hangs off "was", whose "it" did not add it.
    A participle with no subject of its own ("..., saying", "by saying") is said
    by the subject of the main clause it hangs from (:func:`_main_clause_subject`),
    unless ``main_clause`` is false.
    """
    own = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if own is None and main_clause and verb.tag_ == "VBG" and verb.dep_ in _ADJUNCT_DEPS:
        return _main_clause_subject(verb, blocked)
    current = verb
    for _ in range(3):
        subject = next((c for c in current.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            if subject.tag_ in ("WP", "WDT") and current.dep_ == "relcl":
                return current.head
            if current is not verb and subject.lower_ in ("it", "there"):
                return None
            return subject
        if current.dep_ == "relcl":
            return current.head
        head = current.head
        if current.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN") and head.head.pos_ in ("VERB", "AUX"):
            head = head.head  # "He adopted an accent and joked": a verb misread as the noun's conjunct
        if current.dep_ in _CLAUSE_LINKS and head.i != current.i and head.pos_ in ("VERB", "AUX"):
            current = head
            continue
        break
    return None


_ADJUNCT_DEPS = frozenset({"advcl", "xcomp", "pcomp", "conj"})
_CHAIN_DEPS = frozenset({"advcl", "xcomp", "pcomp", "conj", "ccomp", "prep", "pobj", "dobj", "acomp"})


def _main_clause_subject(verb: Token, blocked: list[bool] | None) -> Token | None:
    """The subject of the outermost clause a participial adjunct hangs from.

    "X said Y was wrong, saying ...", "X wrote the agents knew ..., adding ...",
    "X began by saying ...": the parse attaches the participle to the nearest
    verb, often one inside the reported clause; the speaker is the subject of
    the clause that reports it. The climb stops at a relative clause (its
    antecedent speaks), at a coordinated clause with a subject of its own, and
    at quoted words.
    """
    best: Token | None = None
    current = verb
    for _ in range(8):
        if current.dep_ == "relcl":
            return best or current.head
        head = current.head
        if current.dep_ not in _CHAIN_DEPS or head.i == current.i or (blocked and blocked[head.i]):
            break
        current = head
        if current.pos_ not in ("VERB", "AUX"):
            continue
        subject = next((c for c in current.children if c.dep_ in _SUBJECT_DEPS), None)
        if (
            subject is not None
            and subject.lower_ not in ("it", "there")
            and subject.tag_ not in ("WP", "WDT")
        ):
            best = subject
            if current.dep_ == "conj":
                break  # "X spoke and the crowd cheered, chanting ...": the crowd chanted
    return best


def speaker_range(head: Token, blocked: list[bool]) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """Token range of the speaker phrase headed by ``head``, and of its appositive."""
    doc = head.doc
    keep = {head.i}
    description: tuple[int, int] | None = None
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if token.i == head.i and child.dep_ == "appos" and description is None:
                sub = list(child.subtree)
                description = (sub[0].i, sub[-1].i + 1)
                continue
            # A preposition on the head noun is usually a place or time ("officials at the
            # Pentagon"); one inside a modifier is part of it ("sources close to the talks").
            if child.dep_ in _DETACHED_DEPS and not (
                child.dep_ == "prep" and (child.lower_ in ("of", "for") or token.i != head.i)
            ):
                continue
            keep.add(child.i)
            stack.append(child)
    start, end = min(keep), max(keep) + 1
    # The phrase stays contiguous around the head and never enters a quote.
    lo = head.i
    while lo > start and not blocked[lo - 1] and doc[lo - 1].text != ",":
        lo -= 1
    hi = head.i + 1
    while hi < end and not blocked[hi] and doc[hi].text != ",":
        hi += 1
    while hi - lo > MAX_SPEAKER_TOKENS and lo < head.i:
        lo += 1
    while lo < hi and doc[lo].is_punct:
        lo += 1
    if description is not None:
        d0, d1 = description
        while d1 > d0 and doc[d1 - 1].is_punct:
            d1 -= 1
        description = (d0, d1) if d1 > d0 and not any(blocked[d0:d1]) else None
    return (lo, hi), description


def subject_before(doc: Doc, tokens: list[int], verb: int, blocked: list[bool]) -> tuple[int, int] | None:
    """The speaker of a cue verb just before a quote when the parse gives it no subject.

    The parser often reads the quote as the verb's subject or hangs the verb
    inside it; the words before the verb still say who speaks, in three shapes:
    an appositive name ("..., her adviser, Jake Sullivan, said:"), the subject
    of the clause the verb trails ("Flea shared the news ..., writing “...”"),
    or a name opening the sentence ("Jane Doe, in a column on Sunday, wrote,").
    """
    before = [k for k in tokens if k < verb]
    if not before:
        return None
    if doc[before[-1]].text == ",":
        end = start = before[-1]
        while start > before[0] and (doc[start - 1].pos_ == "PROPN" or doc[start - 1].text == "."):
            start -= 1
        if (
            start < end
            and doc[start - 1].text == ","
            and any(doc[k].ent_type_ in ("PERSON", "ORG") for k in range(start, end))
        ):
            return start, end
    span = set(tokens)
    for k in reversed(before):
        token = doc[k]
        if token.pos_ not in ("VERB", "AUX") or (token.head.i != k and token.head.i in span):
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            subject is not None
            and subject.i in span
            and not blocked[subject.i]
            and subject.lower_ not in ("it", "there")
            and subject.tag_ not in ("WP", "WDT")
        ):
            return speaker_range(subject, blocked)[0]
    end = before[0]
    while end < verb and (
        doc[end].pos_ in ("PROPN", "NOUN", "DET", "ADJ") or doc[end].text in (".", "’s", "'s")
    ):
        end += 1
    if (
        end > before[0]
        and doc[end].text == ","
        and any(doc[k].ent_type_ in ("PERSON", "ORG") for k in range(before[0], end))
    ):
        return before[0], end
    return None
