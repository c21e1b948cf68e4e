"""Speakers: turn a cue's words into a SpeakerRecord linked to the article's entities."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.records import EntityRecord, EntityType, SpeakerRecord
from etl.transform.nlp.lemmas import lemma
from etl.transform.nlp.quotes.lexicon import (
    PRONOUNS,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    anonymity_phrases,
    anonymous_heads,
    non_person_heads,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SPEAKING_TYPES: tuple[EntityType, ...] = ("PERSON", "ORG", "GPE", "NORP")
_RANK_WORDS = frozenset({"vice", "deputy", "former", "acting", "assistant", "ex", "interim", "late"})
_AGE_NOUN = re.compile(r"\b(?:the|a|an)\s+\d+-year-old$", re.IGNORECASE)
"""A person named by age ("said the 46-year-old"), not a date."""
_INDEFINITE = frozenset({"a", "an", "one", "another"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "gen", "prof", "president"})


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entity: EntityRecord


class EntityIndex:
    """The article's entity mentions, searchable by offset and by surname."""

    def __init__(self, entities: tuple[EntityRecord, ...]) -> None:
        self.mentions = sorted(
            (_Mention(m.start, m.end, e) for e in entities for m in e.mentions), key=lambda m: m.start
        )
        self.starts = [m.start for m in self.mentions]
        self.genders: dict[str, str] = {}
        self.titles: list[tuple[str, frozenset[str], int, EntityRecord]] = []
        persons = [e for e in entities if e.type == "PERSON"]
        # Surname -> the PERSON names ending in it ("Neill" -> "Alexander Neill"),
        # fullest first; several people may share a surname.
        self.by_surname: dict[str, list[EntityRecord]] = {}
        for entity in sorted(persons, key=lambda e: -len(_name_words(e.name))):
            words = _name_words(entity.name)
            if words:
                self.by_surname.setdefault(words[-1], []).append(entity)

    def named(self, name: str) -> EntityRecord | None:
        """The entity with this canonical name."""
        return next((m.entity for m in self.mentions if m.entity.name == name), None)

    def by_surname_at(self, surname: str, offset: int) -> EntityRecord | None:
        """The person a bare surname means at ``offset``: the fullest name, or of
        several full names, the one mentioned last before ``offset``."""
        candidates = self.by_surname.get(surname)
        if not candidates:
            return None
        longest = len(_name_words(candidates[0].name))
        full = [e for e in candidates if len(_name_words(e.name)) == longest]
        if len(full) == 1:
            return full[0]

        def last_before(entity: EntityRecord) -> int:
            return max((m.start for m in entity.mentions if m.start < offset), default=-1)

        return max(full, key=last_before)

    def covering(self, start: int, end: int) -> list[EntityRecord]:
        """Entities with a mention overlapping ``[start, end)``."""
        index = bisect.bisect_left(self.starts, end)
        return [
            m.entity for m in self.mentions[max(0, index - 50) : index] if m.end > start and m.start < end
        ]

    def person(self, entity: EntityRecord, offset: int) -> EntityRecord:
        """The fullest PERSON name for a person known by one word of it."""
        words = _name_words(entity.name)
        if entity.type != "PERSON" or len(words) != 1:
            return entity
        return self.by_surname_at(words[-1], offset) or entity

    def learn_genders(self, doc: Doc, quoted: list[bool]) -> None:
        """Guess each person's grammatical gender from the article itself.

        Votes come from honorifics ("Mr.", "Ms.") before a mention, and from a
        sentence whose subject is "He" or "She" right after a sentence whose
        only named subject is that person. No name lists: the article says how
        it refers to people.
        """
        votes: dict[str, list[int]] = {}
        previous_subject: str | None = None
        text = doc.text  # Doc.text joins every token on each access: read it once
        for sentence in doc.sents:
            lo, hi = sentence.start_char, sentence.end_char
            first = bisect.bisect_left(self.starts, lo)
            subjects: set[str] = set()
            for mention in self.mentions[first:]:
                if mention.start >= hi:
                    break
                person = self._as_person(mention)
                if person is None:
                    continue
                before = text[max(0, mention.start - 5) : mention.start].lower() + mention.entity.name.lower()
                tally = votes.setdefault(person.name, [0, 0])
                if re.search(r"\bmr\.?\s", before):
                    tally[0] += 2
                elif re.search(r"\b(mrs|ms|miss)\.?\s", before):
                    tally[1] += 2
                token = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if token is not None and not quoted[token.root.i] and token.root.dep_ == "nsubj":
                    subjects.add(person.name)
            opener = next((t for t in sentence if not t.is_punct and not t.is_space), None)
            if previous_subject is not None and opener is not None and opener.dep_ == "nsubj":
                tally = votes.setdefault(previous_subject, [0, 0])
                if opener.lower_ == "he":
                    tally[0] += 1
                elif opener.lower_ == "she":
                    tally[1] += 1
            previous_subject = next(iter(subjects)) if len(subjects) == 1 else None
        self.genders = {
            name: ("he" if male > female else "she")
            for name, (male, female) in votes.items()
            if male != female
        }

    def learn_titles(self, doc: Doc) -> None:
        """Note the titles people carry in the article ("President Barack Obama",
        "Donald Trump, the Republican nominee") so "the president" can be resolved.

        A title is the word right before the name (or the head of an appositive
        after it) with the words that modify it.
        """
        for mention in self.mentions:
            person = self._as_person(mention)
            if person is None:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            heads: list[tuple[str, set[str]]] = []
            inner = [t for t in span if t.pos_ == "NOUN"]
            if inner:
                heads.append((lemma(inner[-1]).lower(), {lemma(t).lower() for t in span if t.is_alpha}))
            i = span.start - 1
            if (
                i >= 0
                and doc[i].pos_ in ("PROPN", "NOUN")
                and doc[i].is_alpha
                and (i == 0 or doc[i - 1].lower_ != "of")
            ):
                words = set()
                k = i
                while (
                    k >= 0
                    and span.start - k <= 5
                    and doc[k].pos_ in ("PROPN", "NOUN", "ADJ")
                    and doc[k].is_alpha
                ):
                    words.add(lemma(doc[k]).lower())
                    k -= 1
                heads.append((lemma(doc[i]).lower(), words))
            for child in span.root.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    heads.append(
                        (lemma(child).lower(), {lemma(t).lower() for t in child.subtree if t.is_alpha})
                    )
            for head, words in heads:
                self.titles.append((head, frozenset(words), mention.start, person))

    def titled_person(self, head: str, title: frozenset[str], offset: int) -> EntityRecord | None:
        """The person last given the title ``head`` (with every word of ``title``)
        before ``offset``: "the Republican nominee" -> the person introduced as
        "Republican nominee X"."""
        best: tuple[int, EntityRecord] | None = None
        for word, words, start, person in self.titles:
            if (
                word == head
                and title <= words
                and not (words & _RANK_WORDS) - title  # a vice president is not "the president"
                and start < offset
                and (best is None or start > best[0])
            ):
                best = (start, person)
        return best[1] if best else None

    def last_person_before(
        self, offset: int, blocked: list[tuple[int, int]], floor: int, pronoun: str | None = None
    ) -> EntityRecord | None:
        """The most recent PERSON mentioned before ``offset`` (not inside a quote).

        For "he" or "she", people known to be referred to otherwise are skipped.
        """
        index = bisect.bisect_left(self.starts, offset)
        for mention in reversed(self.mentions[:index]):
            if mention.start < floor:
                break
            if any(lo <= mention.start < hi for lo, hi in blocked):
                continue
            entity = self._as_person(mention)
            if entity is None:
                continue
            if pronoun in ("he", "she") and self.genders.get(entity.name, pronoun) != pronoun:
                continue
            return entity
        return None

    def _as_person(self, mention: _Mention) -> EntityRecord | None:
        if mention.entity.type == "PERSON":
            return self.person(mention.entity, mention.start)
        words = _name_words(mention.entity.name)
        if len(words) == 1:
            return self.by_surname_at(words[-1], mention.start)
        return None


def _name_words(name: str) -> list[str]:
    words = [w for w in re.findall(r"[\w'’-]+", name.lower()) if w not in _HONORIFICS]
    return [re.sub(r"['’]s$", "", w) for w in words]


def _anonymous(span: Span, context: str, named: bool) -> bool:
    """A person the article does not name: "a senior official", "sources", "its director".

    Organisations and documents ("the ministry", "the report") speak under
    their own name, an unresolved proper name is still a name, and "the"
    with a singular role ("the Vermont senator") is an epithet for somebody
    named elsewhere. Only the words up to the head count as naming the
    speaker: "a spokeswoman for Hillary Clinton" is unnamed.
    """
    if named:
        return False
    head = speaker_head(span)
    if any(t.ent_type_ == "PERSON" and t.pos_ == "PROPN" for t in span.doc[span.start : head.i + 1]):
        return False
    base = lemma(head).lower()
    if base in anonymous_heads() or head.lower_ in anonymous_heads():
        return True
    if head.pos_ != "NOUN" or base in non_person_heads() or head.lower_ in non_person_heads():
        return False
    if span[0].lower_ == "the" and head.tag_ == "NN":
        return False  # an epithet for someone the article names: "the Vermont senator"
    return head.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC")


def _granted_anonymity(context: str) -> bool:
    """Whether the words around the cue say the speaker is kept anonymous."""
    lowered = context.lower()
    return any(phrase in lowered for phrase in anonymity_phrases())


def build_speaker(
    doc: Doc,
    speaker: tuple[int, int],
    description: tuple[int, int] | None,
    index: EntityIndex,
    context: str,
    antecedent_for: Callable[[str], EntityRecord | None],
) -> SpeakerRecord | None:
    """Make a SpeakerRecord from the speaker's tokens.

    A name resolves to the entity whose mention covers the phrase's head, or
    to the PERSON whose surname the head is; a pronoun takes ``antecedent_for(pronoun)``.
    """
    start, end = speaker
    if end <= start:
        return None
    span = doc[start:end]
    text = span.text.strip().lstrip("—–―-")  # a round-up line may glue its dash to the name
    if not text or not (
        any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") or t.is_title for t in span) or span[-1].pos_ == "ADJ"
    ):  # (an adjective ending the phrase is its noun: "the editorial", "the accused")
        return None  # only function words ("a", "that"): a fragment of a phrase, not somebody
    head = speaker_head(span)
    if (head.ent_type_ in ("TIME", "DATE") or head.like_num) and not _AGE_NOUN.search(text):
        return None  # a live-blog time stamp or a date is nobody: "5:45 p.m."
    if len(span) == 1 and head.lower_ in PRONOUNS:
        antecedent = antecedent_for(head.lower_)
        wanted = "PERSON" if head.lower_ in PRONOUNS_PERSON else None
        resolved = (
            antecedent if antecedent is not None and (wanted is None or antecedent.type == wanted) else None
        )
        if (
            head.lower_ in PRONOUNS_GROUP
            and resolved is not None
            and resolved.type == "PERSON"
            and (head.lower_ != "we")
        ):
            resolved = None
        return SpeakerRecord(
            text=text,
            name=resolved.name if resolved else None,
            anonymous=resolved is None and _granted_anonymity(context),
            entity_type=resolved.type if resolved else None,
        )
    entity = _resolve(span, index)
    if entity is None and span[0].lower_ == "the" and head.pos_ == "NOUN":
        # "the president said": the person the article gave that title
        title = frozenset(lemma(t).lower() for t in span[1 : head.i - span.start + 1] if t.is_alpha)
        entity = index.titled_person(lemma(head).lower(), title, head.idx)
    named = entity is not None and entity.type == "PERSON"
    desc_text = doc[description[0] : description[1]].text.strip() if description else None
    anonymous = _anonymous(span, context, named)
    if desc_text is None and entity is None and head.pos_ == "NOUN":
        desc_text = text  # the speaker is only described: "a senior Russian source"
    elif desc_text is None and entity is not None and entity.type == "PERSON":
        desc_text = _title_before_name(span, entity)
    return SpeakerRecord(
        text=text,
        name=entity.name if entity else None,
        anonymous=anonymous,
        description=desc_text or None,
        entity_type=entity.type if entity else None,
    )


_HEAD_STOPS = frozenset(
    {"of", "for", "at", "in", "on", "from", "with", "who", "that", "which", ",", "(", "and"}
)


def speaker_head(span: Span) -> Token:
    """The head word of a speaker phrase: the last noun before "of", a comma or a parenthesis.

    Read on the surface because the parser often tags names in inverted cues
    ("Dunmore police Chief Ada Brenner said") as verbs or modifiers.
    """
    head = None
    for token in span:
        if head is not None and (token.lower_ in _HEAD_STOPS or token.pos_ == "ADP"):
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") or (token.is_title and not token.is_punct):
            head = token
    return head if head is not None else span.root


def _resolve(span: Span, index: EntityIndex) -> EntityRecord | None:
    head = speaker_head(span)
    head_key = re.sub(r"['’]s$", "", head.lower_)
    covering = [e for e in index.covering(head.idx, head.idx + len(head.text)) if e.type in _SPEAKING_TYPES]
    for entity in covering:
        if entity.type == "PERSON" and len(_name_words(entity.name)) > 1:
            return entity  # a full name as written wins over a surname match
    if head.pos_ == "PROPN" and head_key in index.by_surname:
        return index.by_surname_at(head_key, head.idx)
    if span[0].lower_ in _INDEFINITE and head.tag_ in ("NNP", "NN"):
        # "one well-connected Democrat": a person described by affiliation, not the group
        covering = [e for e in covering if e.type != "NORP"]
    for wanted in _SPEAKING_TYPES:
        for entity in covering:
            if entity.type == wanted:
                return index.person(entity, head.idx)
    return None


def _title_before_name(span: Span, entity: EntityRecord) -> str | None:
    """Words before the name that describe the person ("Trump campaign manager")."""
    words = _name_words(entity.name)
    for token in span:
        if token.lower_ in words or token.lower_.rstrip(".") in _HONORIFICS:
            prefix = span.doc[span.start : token.i].text.strip()
            return prefix if len(prefix.split()) >= 2 else None
    return None
