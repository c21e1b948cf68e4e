"""Reported speech: "Xi and Putin would exchange views on ties, the ministry said".

An attribution outside quote marks is a cue with a source and a content:

- a reporting verb (or a verb of stance or finding: "believe", "show",
  "want") with a subject, whose content is its clausal complement (``ccomp``),
  its ``to``-clause (``xcomp``: "pledged to push for ..."), its object
  ("cited the remarks as examples of ...") or the object of a verb-bound
  preposition ("called for a recount");
- "according to X", whose content is the rest of its clause.

A report may hold another one ("X said Y believes Z"): both are attributions.
A clause that is mostly a quoted passage is left to the passage; one with a
short quoted fragment inside is reported as a whole (the fragment stays a
partial quote).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.transform.nlp.lemmas import lemma
from etl.transform.nlp.quotes.cues import Cue, cue_from_verb, is_according, is_cue_verb
from etl.transform.nlp.quotes.lexicon import stance_verbs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MIN_TOKENS = 4
_MIN_OBJECT_TOKENS = 2
_MAX_SPEAKER_TOKENS = 8
_MAX_QUOTED_SHARE = 0.5
_LEADING = frozenset({"that", ",", "—", "–", ":", "whether", "if"})
_BOUND_PREPOSITIONS = {"call": ("for", "on"), "point": ("to",), "push": ("for",), "argue": ("for", "against")}
"""Verbs whose content is the object of a preposition: "called for a recount"."""
_OBJECT_PREPOSITIONS = frozenset({"for", "as", "of", "about", "over", "on", "to"})
_OBJECT_NOT_CONTENT = frozenset({"add", "post", "read", "continue", "sing", "tell", "put"})
"""Verbs whose object is a thing or a listener, not what was said ("added a gallery", "told reporters")."""
_ASPECT_VERBS = frozenset({"continue", "begin", "start", "keep"})
"""Verbs whose to-clause is the event itself ("continued to call for"), reported there."""
_NOT_SOURCES = frozenset({"it", "this", "that", "there", "what", "which", "these", "those", "who"})


@dataclass(frozen=True, slots=True)
class Report:
    """One piece of reported speech: its content's offsets and its cue."""

    start: int
    end: int
    cue: Cue


def find_reports(doc: Doc, blocked: list[bool]) -> list[Report]:
    """Reported-speech clauses outside quotes, in text order (nested ones included)."""
    reports: list[Report] = []
    for verb in doc:
        if blocked[verb.i] or verb.pos_ not in ("VERB", "AUX"):
            continue
        if is_cue_verb(verb):
            stance = False
        elif lemma(verb).lower() in stance_verbs():
            stance = True
        else:
            continue
        span = _content(verb, stance)
        if span is None:
            continue
        lo, hi = _trim(doc, span[0], span[1])
        minimum = _MIN_TOKENS if span[2] else _MIN_OBJECT_TOKENS
        if hi - lo < minimum or sum(blocked[lo:hi]) > _MAX_QUOTED_SHARE * (hi - lo):
            continue
        # A participle's object is often what someone did ("..., raising taxes"): its
        # subject is only the nearest clause's, never one climbed to further up.
        cue = cue_from_verb(verb, blocked, main_clause=not (stance and not span[2]))
        if cue is None or cue.speaker is None or lo <= cue.speaker[0] < hi:
            continue
        if cue.speaker[1] - cue.speaker[0] > _MAX_SPEAKER_TOKENS:
            continue  # a clause, not somebody: "study -- which notes that 58 companies ..."
        if stance and not _source_like(doc, cue.speaker):
            continue
        reports.append(Report(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text), cue))
    reports.extend(_according_reports(doc, blocked))
    reports.sort(key=lambda r: r.start)
    return reports


def _content(verb: Token, stance: bool) -> tuple[int, int, bool] | None:
    """Token range of what the verb attributes, and whether it is a clause."""
    children = list(verb.children)
    for child in children:
        if child.dep_ == "ccomp" and child.i > verb.i or (child.dep_ == "ccomp" and not stance):
            return (*_subtree(child), True)
    for child in children:
        if (
            child.dep_ == "xcomp"
            and child.i > verb.i
            and lemma(verb).lower() not in _ASPECT_VERBS
            and any(t.dep_ == "aux" for t in child.children)
        ):
            return (*_subtree(child), True)
    bound = _BOUND_PREPOSITIONS.get(lemma(verb).lower(), ())
    for child in children:
        if child.dep_ == "prep" and child.lower_ in bound and child.i > verb.i:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return (*_subtree(objects[0]), False)
    if lemma(verb).lower() in _OBJECT_NOT_CONTENT:
        return None
    for child in children:
        if child.dep_ == "dobj" and child.i > verb.i:
            lo, hi = _subtree(child)
            # "attacked Clinton for her record": the object with its prepositional complement
            for sibling in children:
                if sibling.dep_ == "prep" and sibling.i == hi and sibling.lower_ in _OBJECT_PREPOSITIONS:
                    hi = _subtree(sibling)[1]
            return lo, hi, False
    return None


def _subtree(token: Token) -> tuple[int, int]:
    tokens = [t.i for t in token.subtree]
    return min(tokens), max(tokens) + 1


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (doc[lo].lower_ in _LEADING or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return lo, hi


def _source_like(doc: Doc, speaker: tuple[int, int]) -> bool:
    """Whether a stance verb's subject can hold a view: a name, a pronoun or a noun phrase, not "it"."""
    tokens = [doc[k] for k in range(*speaker) if not doc[k].is_punct]
    if not tokens:
        return False
    head = tokens[-1]
    if head.lower_ in _NOT_SOURCES or head.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"):
        return False
    return head.pos_ in ("PROPN", "PRON", "NOUN")


def _according_reports(doc: Doc, blocked: list[bool]) -> list[Report]:
    """ "According to X, Y" / "Y, according to X": Y is what X says."""
    reports: list[Report] = []
    for token in doc:
        if blocked[token.i] or not is_according(doc, token.i):
            continue
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            continue
        source = objects[0]
        src_lo, src_hi = _subtree(source)
        sentence = token.sent
        phrase_lo, phrase_hi = token.i, src_hi
        before = _trim(doc, sentence.start, phrase_lo)
        after = _trim(doc, phrase_hi, sentence.end)
        lo, hi = max((before, after), key=lambda r: r[1] - r[0])
        if hi - lo < _MIN_TOKENS or any(blocked[lo:hi]):
            continue
        speaker_end = min(src_hi, src_lo + _MAX_SPEAKER_TOKENS)
        while speaker_end > src_lo and doc[speaker_end - 1].is_punct:
            speaker_end -= 1
        cue = Cue("according to", token.i, (src_lo, speaker_end), None)
        reports.append(Report(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text), cue))
    return reports
