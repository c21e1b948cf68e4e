"""Cues: the reporting verb near a quote and the words naming who spoke.

Two readings are combined. Right after a quote, news copy follows a few fixed
shapes (``,” said X, a ...`` / ``,” X said`` / ``,” according to X``), read on
the token sequence because the parser often mangles inverted subjects. Before a
quote and around partial quotes the dependency parse is used: the subject of
the nearest reporting verb that governs the quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.transform.nlp.lemmas import lemma
from etl.transform.nlp.quotes.lexicon import naming_verbs, non_person_heads, reporting_verbs
from etl.transform.nlp.quotes.subjects import speaker_range, subject_before, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SENTENCE_END = frozenset({".", "!", "?"})
_NAME_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART"})
_MAX_SPEAKER_TOKENS = 14
_PERSONAL = frozenset({"he", "she", "they", "we", "i"})
_PHRASAL_CUES = {"go": "on", "shoot": "back", "fire": "back", "hit": "back", "push": "back", "chime": "in"}
"""Verbs that report speech with their particle: "“...,” she went on", "he shot back"."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting cue: the verb (or phrase) and the speaker's token ranges.

    ``speaker`` and ``description`` are ``(start, end)`` token indices
    (end exclusive) into the Doc; ``verb`` is the cue token's index.
    """

    text: str
    verb: int | None
    speaker: tuple[int, int] | None
    description: tuple[int, int] | None = None


def is_cue_verb(token: Token) -> bool:
    """Whether a token is a reporting verb used as a verb ("said", or phrasal: "went on", "shot back")."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    base = lemma(token).lower()
    if base in reporting_verbs():
        return True
    if base == "put" and {"as", "it"} <= {c.lower_ for c in token.children if c.dep_ in ("mark", "dobj")}:
        return True  # "as X put it, “...”"
    particle = _PHRASAL_CUES.get(base)
    return particle is not None and any(
        c.lower_ == particle and (c.dep_ == "prt" or (c.dep_ == "advmod" and c.i == token.i + 1))
        for c in token.children
    )


def sets_scene(verb: Token) -> bool:
    """Whether a verb heads a clause that only sets the scene for the main clause after it:
    "When X suggested ..., Y fired back" (a subordinator other than "as", main clause later)."""
    return verb.head.i > verb.i and any(
        (c.dep_ == "mark" and c.lower_ != "as") or c.tag_ == "WRB" for c in verb.children
    )


def introduces_quote(token: Token) -> bool:
    """Whether a reporting verb can stand as a direct quote's cue ("said", not "called")."""
    return is_cue_verb(token) and lemma(token).lower() not in naming_verbs()


def is_according(doc: Doc, index: int) -> bool:
    return doc[index].lower_ == "according" and index + 1 < len(doc) and doc[index + 1].lower_ == "to"


def _name_like(token: Token) -> bool:
    return token.pos_ in _NAME_POS or (token.is_title and not is_cue_verb(token)) or token.is_upper


def _parenthesis_end(doc: Doc, start: int, stop: int) -> int | None:
    """End of a short parenthetical after a name: "(D-Wis.)", "(R)"."""
    for k in range(start + 1, min(start + 9, stop)):
        if doc[k].text == ")":
            return k + 1
        if doc[k].text in ("(", ",", '"', "“", "”"):
            return None
    return None


def _continues_name(doc: Doc, end: int, start: int, stop: int) -> bool:
    """Whether the token at ``end`` extends a name run begun at ``start``."""
    token = doc[end]
    if _name_like(token) and not token.is_punct:
        return True
    if _modifies_noun_ahead(token, stop):
        return True  # "said retired neurosurgeon X", "said one well-connected Democrat"
    if end == start:
        return False
    if token.pos_ == "ADV" and end + 1 < stop and doc[end + 1].pos_ == "ADJ":
        return True  # "a visibly angry Jane Doe"
    if token.text in (".", "-", "&", "'s", "’s"):
        return True
    if token.text in ("“", "”", '"') and end + 1 < stop and doc[end + 1].is_title and doc[end - 1].is_title:
        return True  # a nickname in quote marks inside a name: Patricia “Patty” Moreno
    # "head of the Congressional Black Caucus", "Xi and Putin", "a person familiar with"
    linking = token.lower_ in ("of", "for", "at", "and") or (
        token.lower_ in ("with", "to", "on")
        and doc[end - 1].pos_ in ("ADJ", "VERB")
        and doc[end - 1].tag_ != "VBD"
    )
    return linking and end + 1 < stop and doc[end + 1].pos_ in ("PROPN", "DET", "NOUN", "ADJ")


_MODIFIER_DEPS = frozenset({"amod", "advmod", "compound", "nummod", "npadvmod", "punct", "quantmod", "nmod"})


def _modifies_noun_ahead(token: Token, stop: int) -> bool:
    """Whether a token (a participle, a hyphenated adverb) modifies a noun later in the phrase."""
    current = token
    for _ in range(3):
        if current.dep_ not in _MODIFIER_DEPS or not token.i < current.head.i < stop:
            return False
        current = current.head
        if current.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def _nominal_run(doc: Doc, start: int, stop: int) -> int:
    """End of the name-like run of tokens from ``start`` (for "said Rep. X (D-Md.)")."""
    end = start
    while end < stop and end - start < _MAX_SPEAKER_TOKENS:
        token = doc[end]
        if token.tag_ in ("WP", "WDT", "WP$"):
            break  # "a spokesperson who declined to be named"
        if token.text == "(" and end > start and doc[end - 1].pos_ == "PROPN":
            close = _parenthesis_end(doc, end, stop)
            if close is None:
                break
            end = close
        elif _continues_name(doc, end, start, stop):
            end += 1
        else:
            break
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text != ")")
        or doc[end - 1].lower_ in ("of", "for", "at", "and", "with", "to", "on")
    ):
        end -= 1
    return end


def _nominal_run_back(doc: Doc, verb: int, lo: int) -> tuple[int, int] | None:
    """The name-like run just before a verb ("Trump boasted", "Sen. X (D-Mo.) also said")."""
    end = verb
    while end > lo and doc[end - 1].pos_ in ("ADV", "AUX", "PART") and doc[end - 1].lower_ != "'s":
        end -= 1
    start = end
    while start > lo and end - start < _MAX_SPEAKER_TOKENS:
        token = doc[start - 1]
        if token.text == ")":
            opening = next(
                (k for k in range(start - 2, max(lo, start - 9) - 1, -1) if doc[k].text == "("), None
            )
            if opening is None:
                break
            start = opening
        elif (_name_like(token) and not token.is_punct) or token.text in (".", "-", "’s", "'s"):
            start -= 1
        else:
            break
    while start < end and (
        doc[start].is_punct
        or doc[start].pos_ in ("ADP", "CCONJ", "SCONJ")
        or doc[start].tag_ in ("WDT", "WP")
    ):
        start += 1
    if start >= end or not any(doc[k].pos_ in ("PROPN", "NOUN", "PRON") for k in range(start, end)):
        return None
    if doc[end - 1].pos_ == "PRON" and doc[end - 1].lower_ in _PERSONAL:
        start = end - 1  # a pronoun is a whole noun phrase: "soon after the attack in Orlando he tweeted"
    return start, end


def _segment(doc: Doc, start: int, stop: int) -> tuple[int, int]:
    """The comma-delimited segment from ``start``: an appositive description."""
    end = start
    while end < stop and doc[end].text not in (",", ";", "(", ")") and doc[end].text not in SENTENCE_END:
        end += 1
    return start, end


def cue_after(doc: Doc, tokens: list[int]) -> Cue | None:
    """Read ``,” said X, a ...`` / ``,” X said`` / ``,” according to X`` after a quote."""
    if not tokens:
        return None
    stop = tokens[-1] + 1
    i = tokens[0]
    while i < stop and doc[i].is_punct and doc[i].text not in SENTENCE_END:
        i += 1
    if i >= stop:
        return None
    first = doc[i]
    if doc[i - 1].text[-1] in ("―", "—", "–", "-") and (i - 1 >= tokens[0] or doc[i - 1].text[0] in "”\"'"):
        # Pull-quote style: “...” ― Name, description
        end = _nominal_run(doc, i, stop)
        if end > i and any(doc[k].pos_ == "PROPN" for k in range(i, end)):
            return Cue(doc[i - 1].text, None, (i, end), _description_after(doc, end, stop))
    if is_according(doc, i):
        end = _nominal_run(doc, i + 2, stop)
        if end > i + 2:
            return Cue("according to", i, (i + 2, end), _description_after(doc, end, stop))
        return None
    if (
        introduces_quote(first)
        and lemma(first).lower() != "tell"
        or (first.pos_ == "ADV" and i + 1 < stop and introduces_quote(doc[i + 1]))
    ):
        verb = i if introduces_quote(first) else i + 1
        end = _nominal_run(doc, verb + 1, stop)
        if (
            end > verb + 1
            and doc[verb + 1].pos_ != "PRON"
            or (end == verb + 2 and doc[verb + 1].lower_ in ("he", "she", "they", "it", "we"))
        ):
            return Cue(doc[verb].text, verb, (verb + 1, end), _description_after(doc, end, stop))
        return None
    # Subject first: "X said", "X, a ..., said", "X told Reuters".
    if not _name_like(first) or first.is_punct:
        return None
    name_end = _nominal_run(doc, i, stop)
    if name_end == i:
        return None
    j = name_end
    description = None
    if j < stop and doc[j].text == ",":
        # "X, an analyst at Y, said": skip the appositive up to the comma before the verb.
        k = j + 1
        while k < stop and k - j < 40:
            if doc[k].text == "," and k + 1 < stop and _verb_at(doc, k + 1, stop) is not None:
                description = (j + 1, k)
                j = k + 1
                break
            if doc[k].text in SENTENCE_END:
                return None
            k += 1
        else:
            return None
        if description is None:
            return None
    found = _verb_at(doc, j, stop)
    if found is None:
        last = name_end - 1
        if description is None and last > i and _verb_read_as_noun(doc[last]):
            return Cue(doc[last].text, last, (i, last), None)  # “...,” the document states.
        return None
    return Cue(doc[found].text, found, (i, name_end), description)


def _verb_read_as_noun(token: Token) -> bool:
    """A reporting verb the tagger took for a noun ending the phrase after a quote:
    ``,” the editorial read.``, ``,” the report states in its summary.``"""
    word = token.lower_
    forms = {word, word[:-1], word[:-2]} if word.endswith("s") else {word}
    return (
        token.pos_ in ("NOUN", "PROPN")
        and bool(forms & reporting_verbs())
        and token.i > 0
        and (token.nbor(-1).pos_ in ("NOUN", "PROPN", "ADJ"))
    )


def cue_after_parsed(doc: Doc, tokens: list[int], blocked: list[bool]) -> Cue | None:
    """The first reporting verb after a quote whose subject also follows the quote."""
    window = set(tokens)
    for i in tokens[:20]:
        if introduces_quote(doc[i]):
            cue = cue_from_verb(doc[i], blocked)
            if cue is not None and cue.speaker is not None and cue.speaker[0] in window:
                return cue
            return None
    return None


def _verb_at(doc: Doc, j: int, stop: int) -> int | None:
    """A reporting verb at ``j``, allowing one adverb or auxiliary before it ("also said", "has said")."""
    for k in range(j, min(j + 3, stop)):
        if introduces_quote(doc[k]):
            return k
        if (
            doc[k].lower_ == "quoted"
            and k + 2 < stop
            and doc[k + 1].lower_ == "as"
            and introduces_quote(doc[k + 2])
        ):
            return k + 2  # "X is quoted as saying"
        if doc[k].pos_ not in ("ADV", "AUX", "PART"):
            return None
    return None


def _description_after(doc: Doc, end: int, stop: int) -> tuple[int, int] | None:
    """The appositive after a speaker's name: ", a Singapore-based defence analyst"."""
    while end < stop and doc[end].text == ",":
        start, seg_end = _segment(doc, end + 1, stop)
        if seg_end == start + 1 and doc[start].like_num:
            end = seg_end  # an age: "John Smith, 45, a farmer"
            continue
        if seg_end > start and doc[start].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM"):
            return start, seg_end
        break
    return None


def cue_from_verb(verb: Token, blocked: list[bool], main_clause: bool = True) -> Cue | None:
    """Build a cue from a reporting verb through its subject in the parse.

    A passive verb's speaker is its agent ("was asked by the host"); a document
    "saying" something speaks for whoever issued it ("she released a statement
    saying"). ``main_clause`` lets a participle climb to the clause that reports
    it (:func:`.subjects.subject_of`).
    """
    subject = subject_of(verb, blocked, main_clause)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None and any(c.dep_ == "nsubjpass" for c in verb.children):
        subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
    else:
        issuer = _issuer(verb)
        if issuer is not None and (subject is None or subject.i == verb.head.i):
            subject = subject_of(issuer, blocked)
    if subject is None or blocked[subject.i]:
        return None
    speaker, description = speaker_range(subject, blocked)
    return Cue(verb.text, verb.i, speaker, description)


def _issuer(verb: Token) -> Token | None:
    """The verb that put out the document a verb of saying describes: "she released a
    statement saying", "he posted a video that said", "an email to supporters stating"."""
    if verb.dep_ not in ("acl", "relcl"):
        return None
    document = verb.head
    if document.dep_ == "pobj" and document.head.dep_ in ("prep", "dative"):
        # "an email to supporters stating", the preposition on the email or on the verb
        attached = document.head.head
        document = next((c for c in attached.children if c.dep_ == "dobj"), attached)
    if (
        lemma(document).lower() in non_person_heads()
        and document.dep_ == "dobj"
        and document.head.pos_ == "VERB"
    ):
        return document.head
    return None


def _possessive(token: Token) -> bool:
    return token.tag_ == "POS" or token.text in ("’", "'", "’s", "'s")


def in_words_of(doc: Doc, tokens: list[int]) -> bool:
    """Whether the words end with "in X's words," (a quote follows)."""
    return (
        len(tokens) >= 4
        and doc[tokens[-1]].text == ","
        and doc[tokens[-2]].lower_ == "words"
        and _possessive(doc[tokens[-3]])
        and any(doc[k].lower_ == "in" for k in tokens[-8:-3])
    )


def according_cue(doc: Doc, tokens: list[int], blocked: list[bool]) -> Cue | None:
    """``according to X`` anywhere in a context window."""
    for i in tokens:
        if is_according(doc, i) and i + 2 < len(doc):
            end = _nominal_run(doc, i + 2, len(doc))
            end = next((k for k in range(i + 2, end) if blocked[k]), end)
            if end > i + 2:
                # No appositive here: after "according to X," comes the reported clause.
                return Cue("according to", i, (i + 2, end), None)
        if doc[i].lower_ == "in" and i + 3 < len(doc):
            # "in X's words, “...”": the possessive names the source
            words = next((k for k in range(i + 2, min(i + 8, len(doc))) if doc[k].lower_ == "words"), None)
            if words is not None and _possessive(doc[words - 1]) and not any(blocked[i:words]):
                return Cue("in the words of", i, (i + 1, words - 1), None)
    return None


def cue_before(doc: Doc, tokens: list[int], blocked: list[bool]) -> Cue | None:
    """The last reporting verb before a quote in its sentence, with its subject."""
    span = set(tokens)
    for i in reversed(tokens):
        if is_cue_verb(doc[i]) and not (doc[i].head.i in span and sets_scene(doc[i])):
            # ("When X suggested ..., Y fired back: “...”": the "when" clause only sets the time.)
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in doc[i].children)
            # The subject of a passive "was asked" / "was told" is the addressee, not the speaker.
            run = None if passive else _nominal_run_back(doc, i, tokens[0])
            cue = cue_from_verb(doc[i], blocked)
            # The words just before the verb name the speaker unless the parse
            # puts the verb's subject elsewhere ("Fans walking along the quay chanted").
            # A document someone put out speaks for them ("he released a video that said").
            issued = cue is not None and _issuer(doc[i]) is not None
            if (
                run is not None
                and not issued
                and (cue is None or doc[run[1] - 1].dep_ not in ("pobj", "dobj"))
            ):
                return Cue(doc[i].text, i, run, None)
            if cue is not None:
                return cue
            # Inverted: "Said Ellis: “...”"
            end = _nominal_run(doc, i + 1, tokens[-1] + 1)
            # Only a finite verb inverts ("Said Ellis:"); after "telling" comes the addressee.
            opens_clause = (i == tokens[0] or doc[i - 1].is_punct) and doc[i].tag_ in ("VBD", "VBZ", "VBP")
            if (
                opens_clause
                and lemma(doc[i]).lower() != "tell"
                and end > i + 1
                and end == tokens[-1]
                and doc[end].text in (":", ",")
            ):
                return Cue(doc[i].text, i, (i + 1, end), None)
            # The verb leads into the quote ("..., telling the crowd, “...”"): only its own
            # words stand between them.
            if all(doc[k].is_punct or doc[i].is_ancestor(doc[k]) for k in tokens if k > i):
                fallback = subject_before(doc, tokens, i, blocked)
                if fallback is not None:
                    return Cue(doc[i].text, i, fallback, None)
    return according_cue(doc, tokens, blocked)


def cue_governing(doc: Doc, quote_tokens: range, blocked: list[bool], sentence: set[int]) -> Cue | None:
    """The first reporting verb above the quote in the parse tree (for partial quotes)."""
    inside = set(quote_tokens)
    seen: set[int] = set()
    for i in quote_tokens:
        token = doc[i]
        while token.i in inside and token.head.i != token.i:
            token = token.head
        while token.i not in seen and token.i in sentence:
            seen.add(token.i)
            if not blocked[token.i] and is_cue_verb(token):
                cue = cue_from_verb(token, blocked)
                if cue is not None:
                    return cue
            if token.head.i == token.i:
                break
            token = token.head
    return None


def after_cue_fits(doc: Doc, content: str, after: list[int], cue: Cue) -> bool:
    """Whether a cue after a quote belongs to it.

    After a quote that ends its sentence with a period, a new sentence starts;
    its verb is the quote's cue only in a short tag ("Trump said."), not in a
    clause of its own ("The council said it would build ...").
    """
    ending = content.rstrip("”\"' ")[-1:]
    if ending in ("?", "!"):
        # "“Everybody sues, right?” Later, X claimed that ...": a verb with a clause
        # of its own starts a new sentence; "“Why?” asked X, a lawyer who ..." is a tag.
        verb = cue.verb
        if verb is None or cue.speaker is None or cue.speaker[0] > verb:
            return True
        return not any(c.dep_ == "ccomp" and c.i > verb for c in doc[verb].children)
    if ending != ".":
        return True
    # Every word but the speaker's and the verb counts, before the verb too: in
    # "She followed that by saying," the tag has a clause of its own.
    named = set(range(*cue.speaker)) if cue.speaker else set()
    if cue.description:
        named.update(range(*cue.description))
    words = [i for i in after if i != cue.verb and i not in named and not doc[i].is_punct]
    return len(words) <= 5 and not any(doc[i].pos_ in ("VERB", "AUX") for i in words)
