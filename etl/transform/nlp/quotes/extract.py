"""Quotes in one article: passages found, cued, attributed, in reading order.

``extract_quotes`` finds quoted passages by their marks (:mod:`.marks`), reads
the reporting cue around each one (:mod:`.cues`), and resolves the speaker to
the article's entities (:mod:`.speakers`). Each passage becomes one
QuoteRecord: a quote broken by its attribution gives two records with the same
speaker. Kinds: ``direct`` (a quote standing as its own clause), ``partial``
(quoted words inside reported speech), ``indirect`` (reported speech outside
quote marks, :mod:`.indirect`); quoted words that nobody is said to have said
(scare quotes, titles) are not reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from etl.records import ArticleRecord, EntityRecord, QuoteKind, QuoteRecord, SpeakerRecord
from etl.transform.nlp.quotes.cues import (
    SENTENCE_END,
    Cue,
    according_cue,
    after_cue_fits,
    cue_after,
    cue_after_parsed,
    cue_before,
    cue_from_verb,
    cue_governing,
    in_words_of,
    introduces_quote,
    is_cue_verb,
)
from etl.transform.nlp.quotes.indirect import find_reports
from etl.transform.nlp.quotes.marks import Passage, find_passages, looks_like_title
from etl.transform.nlp.quotes.speakers import EntityIndex, build_speaker
from etl.transform.nlp.quotes.verbless import (
    colon_cue,
    focused_antecedent,
    following_cue,
    is_nickname,
    roundup_cue,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_CONTEXT_BEFORE = 60
_CONTEXT_AFTER = 45
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’ -]{1,40}[A-Z.]):\s+(?=\S)")
_ABBREVIATION = re.compile(r"(?:[A-Z][a-z]?\.){1,3}|[A-Z][a-z]{2,4}\.|[A-Z]\w*-(?:[A-Z][a-z]?\.){1,3}")
"""A state or initials ending in a period: "N.Y.", "Calif.", "R-S.C."."""
_PARENTHETICAL = re.compile(r"\([^()]*\)[.]?$")
_CLAUSE_END = re.compile(r"[.,!?;:…—–-]\s*$")
_PRONOUN_LOOKBACK = 3
"""Paragraphs searched backwards for the person a pronoun speaker refers to."""


@dataclass(slots=True)
class _Found:
    passage: Passage
    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: Cue | None
    speaker: SpeakerRecord | None
    clause_initial: bool


class _Context:
    """Token-level view of one article: offsets, paragraphs, quoted tokens."""

    def __init__(self, doc: Doc, article: ArticleRecord, passages: list[Passage]) -> None:
        self.doc = doc
        self.body = article.body
        self.paragraphs = article.paragraphs or ((0, len(article.body)),)
        self.starts = [t.idx for t in doc]
        self.para_starts = [lo for lo, _ in self.paragraphs]
        self.blocked = [False] * len(doc)
        self.quoted_chars = [(p.open_at, p.close_at) for p in passages]
        self.previous: tuple[int, EntityRecord] | None = None
        """Where the last attributed person was named, and who: pronouns look there first."""
        for p in passages:
            for i in range(self.token_at(p.open_at), self.token_at(p.close_at)):
                self.blocked[i] = True

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def paragraph(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, offset) - 1)

    def after(self, passage: Passage) -> list[int]:
        """Tokens after the closing mark, to the sentence end, next quote or paragraph end."""
        hi = self.paragraphs[passage.paragraph][1]
        tokens: list[int] = []
        i = self.token_at(passage.close_at)
        while (
            i < len(self.doc) and self.starts[i] < hi and not self.blocked[i] and len(tokens) < _CONTEXT_AFTER
        ):
            tokens.append(i)
            if self.doc[i].text in SENTENCE_END:
                break
            i += 1
        return tokens

    def before(self, passage: Passage) -> list[int]:
        """Tokens before the opening mark, back to the sentence start, a quote or the paragraph start."""
        lo = self.paragraphs[passage.paragraph][0]
        tokens: list[int] = []
        i = self.token_at(passage.open_at) - 1
        # An abbreviation's period right before a capitalised quote ends the sentence too:
        # 'said Sen. Jo Ames, R-S.C. “I get that.”'
        if (
            i >= 0
            and _ABBREVIATION.fullmatch(self.doc[i].text)
            and self.body[passage.start : passage.start + 1].isupper()
        ):
            return tokens
        while i >= 0 and self.starts[i] >= lo and not self.blocked[i] and len(tokens) < _CONTEXT_BEFORE:
            if self.doc[i].text in SENTENCE_END:
                break
            tokens.append(i)
            i -= 1
        tokens.reverse()
        return tokens

    def text_of(self, tokens: list[int]) -> str:
        if not tokens:
            return ""
        return self.body[self.doc[tokens[0]].idx : self.doc[tokens[-1]].idx + len(self.doc[tokens[-1]].text)]


def extract_quotes(
    doc: Doc, article: ArticleRecord, entities: tuple[EntityRecord, ...]
) -> tuple[QuoteRecord, ...]:
    """Find quotes in the article body and attribute them to speakers."""
    passages = find_passages(article.body, article.paragraphs or ((0, len(article.body)),))
    passages = [p for p in passages if not is_nickname(article.body, p)]
    ctx = _Context(doc, article, passages)
    index = EntityIndex(entities)
    if doc.has_annotation("DEP"):
        index.learn_genders(doc, ctx.blocked)
        index.learn_titles(doc)
    found: list[_Found] = []
    for passage in passages:
        item = _read_passage(ctx, index, passage)
        if item is not None:
            found.append(item)
    _carry_speakers(ctx, index, found)
    # A word or a title in quote marks that nobody is said to have said is a
    # label, link text or name ("link", “Marriage Story”), not a quote.
    found = [
        item
        for item in found
        if item.speaker is not None
        or item.cue is not None
        or not (len(item.text.split()) <= 2 or looks_like_title(item.text))
    ]
    found.extend(_reported_speech(ctx, index))
    found.sort(key=lambda item: item.start)
    return tuple(
        QuoteRecord(
            text=item.text,
            kind=item.kind,
            start=item.start,
            end=item.end,
            speaker=item.speaker,
            cue=item.cue.text if item.cue else None,
            paragraph=article.paragraph_of(item.start),
        )
        for item in found
    )


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in ",;:"):
        end -= 1
    return start, end


def _read_passage(ctx: _Context, index: EntityIndex, passage: Passage) -> _Found | None:
    doc, body = ctx.doc, ctx.body
    start, end = _trimmed(body, passage.start, passage.end)
    if end <= start:
        return None
    label = _TRANSCRIPT_LABEL.match(body, start, end)
    if label is not None and passage.open_at == ctx.paragraphs[passage.paragraph][0]:
        # A transcript line: "PENCE: Well, look, ..." names its own speaker.
        labelled = SpeakerRecord(text=label.group(1).strip())
        return _Found(
            passage, body[label.end() : end], label.end(), end, "direct", Cue(":", None, None), labelled, True
        )
    if _PARENTHETICAL.match(body, start, end):
        return None  # a stage direction: "(CROSSTALK)"
    before = ctx.before(passage)
    after = ctx.after(passage)
    quote_tokens = range(ctx.token_at(start), ctx.token_at(end))
    after_cue = cue_after(doc, after) or cue_after_parsed(doc, after, ctx.blocked)
    if after_cue is not None and not after_cue_fits(doc, body[start:end], after, after_cue):
        after_cue = None
    initial = _clause_initial(ctx, before)
    if before and not initial and not passage.continued and looks_like_title(body[start:end]):
        return None  # a title in quote marks: On “Fox News Sunday,” ...
    embedded = _embedded(ctx, passage, before, after, after_cue)
    kind: QuoteKind | None
    cue: Cue | None = None
    if passage.continued:
        kind = "direct"
        cue = after_cue
    elif initial and not embedded:
        kind = "direct"
        cue = after_cue or (cue_before(doc, before, ctx.blocked) if before else None)
    elif (
        after_cue is not None
        and _ends_clause(body, passage, after, doc)
        and (_opens_sentence(ctx, before) or body[start].isupper())
    ):
        kind = "direct"
        cue = after_cue
    else:
        sentence = set(before) | set(after) | set(quote_tokens)
        cue = (
            cue_governing(doc, quote_tokens, ctx.blocked, sentence)
            or cue_before(doc, before, ctx.blocked)
            or according_cue(doc, after, ctx.blocked)
        )
        if cue is None and after and doc[after[0]].text == ",":
            cue = after_cue
        kind = "partial" if cue is not None else None
    if kind is None:
        return None  # scare quote or title: nobody is said to have said it
    if kind == "direct" and cue is None:
        cue = _verbless_cue(ctx, passage, before) or (
            following_cue(doc, after, ctx.blocked) if not before else None
        )
    speaker = _speaker(ctx, index, passage, cue, before, after) if cue else None
    if speaker is not None and speaker.name and speaker.entity_type == "PERSON" and cue and cue.speaker:
        person = index.named(speaker.name)
        if person is not None:
            ctx.previous = (doc[cue.speaker[0]].idx, person)
    return _Found(passage, body[start:end], start, end, kind, cue, speaker, initial and not embedded)


def _verbless_cue(ctx: _Context, passage: Passage, before: list[int]) -> Cue | None:
    """A speaker named with no verb: before a colon, or on a round-up line after the quote."""
    if before:
        return colon_cue(ctx.doc, before, ctx.blocked)
    start, end = ctx.paragraphs[passage.paragraph]
    if passage.open_at == start and passage.paragraph > 0:
        # "Stated Jane Doe:" as a paragraph of its own introduces the quote below it
        lo, hi = ctx.paragraphs[passage.paragraph - 1]
        if ctx.body[lo:hi].rstrip().endswith(":"):
            tokens = [i for i in range(ctx.token_at(lo), ctx.token_at(hi)) if not ctx.blocked[i]]
            cue = colon_cue(ctx.doc, [i for i in tokens if not ctx.doc[i].is_space], ctx.blocked)
            if cue is not None:
                return cue
    if (
        ctx.body[start : passage.open_at].strip()  # a round-up quote stands as its own paragraph
        or ctx.body[passage.close_at : end].strip(" .,”\"'")
        or passage.paragraph + 1 >= len(ctx.paragraphs)
    ):
        return None
    return roundup_cue(ctx.doc, ctx.paragraphs[passage.paragraph + 1], ctx.token_at)


def _opens_sentence(ctx: _Context, before: list[int]) -> bool:
    """Whether the words before a quote end in punctuation ("As for complexity, “..."), not mid-phrase."""
    return not before or ctx.doc[before[-1]].is_punct


def _clause_initial(ctx: _Context, before: list[int]) -> bool:
    """Whether the quote opens its clause: nothing before it, a colon, or a cue ("he said,")."""
    if not before:
        return True
    doc = ctx.doc
    last = doc[before[-1]]
    if last.text in (":", "—", "–", "-", "("):
        return True
    tail = [i for i in before if not doc[i].is_punct]
    if not tail:
        return True
    cues = [i for i in before if introduces_quote(doc[i])]
    if last.text == "," and cues:
        # "He said, “...”" opens a quote; "He said that for most people, “...”" embeds one.
        return not any(doc[i].lower_ == "that" and doc[i].dep_ == "mark" for i in before if i > cues[-1])
    if last.text == "," and (doc[tail[0]].lower_ == "according" or in_words_of(doc, before)):
        return True
    end = doc[tail[-1]]
    if end.lower_ == "that" and len(tail) > 1:
        end = doc[tail[-2]]
    if introduces_quote(end):
        return True
    # "he told reporters" / "he said on Tuesday": the cue verb is a few words back.
    near = [doc[i] for i in tail[-5:]]
    verbs = [t for t in near if introduces_quote(t)]
    return (
        bool(verbs)
        and all(
            t.pos_ in ("NOUN", "PROPN", "PRON", "ADP", "DET", "ADJ", "NUM", "ADV")
            for t in near[near.index(verbs[-1]) + 1 :]
        )
        and not any(
            t.pos_ == "ADJ" or t.lower_ in ("the", "a", "an", "his", "her", "its", "their") for t in near[-1:]
        )
    )


def _embedded(
    ctx: _Context, passage: Passage, before: list[int], after: list[int], after_cue: Cue | None
) -> bool:
    """Whether a clause-initial quote runs on into its sentence as a noun phrase ("“No limits” is ...")."""
    if after_cue is not None or not passage.closed or not after:
        return False
    content = ctx.body[passage.start : passage.end]
    if _CLAUSE_END.search(content):
        return False
    if (
        len(before) >= 2
        and ctx.doc[before[-1]].text in (",", ":")
        and introduces_quote(ctx.doc[before[-2]])
        and content[:1].isupper()
        and len(content.split()) >= 4
    ):
        return False  # 'X said, “I have not heard that” from the police': the quote opens after the cue
    first = ctx.doc[after[0]]
    if first.is_punct and first.text in SENTENCE_END:
        # "He called it “a disaster”." — a short phrase closing a sentence is not a free-standing quote
        return bool(before) or len(content.split()) <= 3
    return not first.is_punct or first.text in ("’", "'s")


def _ends_clause(body: str, passage: Passage, after: list[int], doc: Doc) -> bool:
    content = body[passage.start : passage.end]
    return bool(_CLAUSE_END.search(content)) or (bool(after) and doc[after[0]].text in (",", "—", "–"))


def _sentence_context(ctx: _Context, before: list[int], after: list[int]) -> str:
    """The words around a quote in its sentence, without the quote itself."""
    return ctx.text_of(before) + " " + ctx.text_of(after)


def _speaker(
    ctx: _Context,
    index: EntityIndex,
    passage: Passage,
    cue: Cue,
    before: list[int],
    after: list[int],
) -> SpeakerRecord | None:
    if cue.speaker is None:
        return None
    start_char = ctx.doc[cue.speaker[0]].idx
    floor = ctx.paragraphs[max(0, passage.paragraph - _PRONOUN_LOOKBACK)][0]
    offset = min(start_char, passage.open_at)
    previous = ctx.previous if ctx.previous and ctx.previous[0] >= floor else None
    return build_speaker(
        ctx.doc,
        cue.speaker,
        cue.description,
        index,
        _sentence_context(ctx, before, after),
        focused_antecedent(
            ctx.doc,
            index,
            offset,
            previous,
            partial(index.last_person_before, offset, ctx.quoted_chars, floor),
        ),
    )


def _paragraph_speaker(
    ctx: _Context, index: EntityIndex, paragraph: int, until: int | None = None
) -> tuple[int, SpeakerRecord] | None:
    """The last reporting verb's subject in a paragraph (outside quotes).

    A paragraph that ends with a colon introduces what follows ("Sanders made
    the following comment:"), so any verb with a named subject counts there.
    """
    lo, hi = ctx.paragraphs[paragraph]
    colon = until is None and ctx.body[lo:hi].rstrip().endswith(":")
    hi = hi if until is None else until
    for i in range(ctx.token_at(hi) - 1, ctx.token_at(lo) - 1, -1):
        token = ctx.doc[i]
        if ctx.blocked[i]:
            continue
        if not is_cue_verb(token) and not (colon and token.pos_ == "VERB"):
            continue
        cue = cue_from_verb(token, ctx.blocked)
        if (
            cue is not None
            and not is_cue_verb(token)
            and cue.speaker is not None
            and not any(ctx.doc[k].pos_ in ("PROPN", "PRON") for k in range(*cue.speaker))
        ):
            return None
        if cue is None or cue.speaker is None:
            continue
        floor = ctx.paragraphs[max(0, paragraph - _PRONOUN_LOOKBACK)][0]
        offset = token.idx
        speaker = build_speaker(
            ctx.doc,
            cue.speaker,
            cue.description,
            index,
            "",
            partial(index.last_person_before, offset, ctx.quoted_chars, floor),
        )
        if speaker is not None:
            return token.idx, speaker
    return None


def _reported_speech(ctx: _Context, index: EntityIndex) -> list[_Found]:
    """Indirect speech outside quote marks, as ``indirect`` quotes."""
    items: list[_Found] = []
    for report in find_reports(ctx.doc, ctx.blocked):
        speaker_tokens = report.cue.speaker
        if speaker_tokens is None:
            continue
        paragraph = ctx.paragraph(report.start)
        floor = ctx.paragraphs[max(0, paragraph - _PRONOUN_LOOKBACK)][0]
        offset = ctx.doc[speaker_tokens[0]].idx
        lo, hi = ctx.paragraphs[paragraph]
        speaker = build_speaker(
            ctx.doc,
            speaker_tokens,
            report.cue.description,
            index,
            ctx.body[lo:hi],
            partial(index.last_person_before, offset, ctx.quoted_chars, floor),
        )
        if speaker is None:
            continue
        passage = Passage(
            report.start, report.end, report.start, report.end, paragraph, True, paragraph, "none"
        )
        items.append(
            _Found(
                passage,
                ctx.body[report.start : report.end],
                report.start,
                report.end,
                "indirect",
                report.cue,
                speaker,
                False,
            )
        )
    return items


def _carry_speakers(ctx: _Context, index: EntityIndex, found: list[_Found]) -> None:
    """Give uncued direct quotes the speaker of the quote or cue just before them.

    A multi-paragraph quote keeps one speaker; a quote with no cue of its own
    belongs to the previous quote's speaker in its paragraph, else to the
    subject of a reporting verb earlier in the paragraph, else (when it opens
    the paragraph) to the speaker of the previous paragraph.
    """
    by_group: dict[tuple[int, str], SpeakerRecord] = {}
    for item in found:
        if item.speaker is not None:
            by_group.setdefault((item.passage.group, item.passage.family), item.speaker)
    last: tuple[int, SpeakerRecord] | None = None  # (paragraph, speaker) of the last attributed quote
    for position, item in enumerate(found):
        p = item.passage
        if item.speaker is None and item.kind == "direct":
            carried: SpeakerRecord | None = (
                by_group.get((p.group, p.family)) if p.continued or not p.closed else None
            )
            if carried is None and item.clause_initial:
                event = (
                    None
                    if last and last[0] == p.paragraph
                    else _paragraph_speaker(ctx, index, p.paragraph, p.open_at)
                )
                if last is not None and last[0] == p.paragraph:
                    carried = last[1]
                elif event is not None:
                    carried = event[1]  # "..., Schiff said. “The other factor ...”"
                elif p.paragraph > 0 and p.open_at == ctx.paragraphs[p.paragraph][0]:
                    previous = [f for f in found[:position] if f.passage.paragraph == p.paragraph - 1]
                    if previous and previous[-1].speaker is not None:
                        carried = previous[-1].speaker
                    elif not previous:
                        prior = _paragraph_speaker(ctx, index, p.paragraph - 1)
                        carried = prior[1] if prior else None
            item.speaker = carried
        if item.speaker is not None:
            last = (p.paragraph, item.speaker)
