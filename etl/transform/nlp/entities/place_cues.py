"""Names the model called people that the words around them show to be places.

Local news names its towns the way it names people, and the small model
often types them PERSON ("Cobleskill police", "in Cobleskill"). A name
becomes a place here only when the gazetteer knows it and the words around
it are those of a place, never of a person:

* a preposition of place before it: "in Cobleskill", "near Owego", "outside
  Lyon"; "to" after a verb of going ("drove to Owego") or a journey's start
  ("from Albany to Owego"); "of" after a person ("Marta Quill of Owego") or
  a direction ("miles north of Owego");
* a place before it in a list: "in Albany and Owego";
* a word for a place's people or services after it: "Owego police", "Owego
  residents", "Owego voters"; or a local office and its holder: "Owego Mayor
  Jo Dunn";
* a local office inside a "person": "Otsego County Sheriff Dana Whitfield"
  is a county, its sheriff and a person;
* its state or country after a comma: "Cobleskill, N.Y.", "Porto, Portugal"
  (a place of that name must lie there);
* "-based" after it: "a Cobleskill-based dairy";
* a capitalised verb of a headline before a country or US state ("Visiting
  Peru") is no first name;
* a "person" whose name ends in "County" or "Township" is that county when
  the gazetteer knows it, even one a given-name rule called a person
  ("Otsego County"); one that ends in "Police", "Fire" or "Schools" after a
  town is a public body ("Owego Police"), so the town's name is no word of a
  person's;
* a "facility" whose whole name is a town or county the gazetteer knows
  ("Oak Park") is that town or county (in one word, a place that needs no
  support: "Olympic" stays a stadium).

A town in capitals that opens a sentence before a dateline mark ("OWEGO (AP)
--", "GLEN RIDGE —") is a place too, however small (one word before a bare
dash must name a sizeable town: "CRICKET -" heads a section). The model missed some such
names altogether; a capitalised name the
gazetteer knows, no other span's, with one of these cues is tagged. A
person's surname in the article ("Garland" beside "Merrick Garland"), or a
common given name that starts a person's name there, stays that person,
whatever the cue. The places found are strong, so every mention of the name
follows them in the vote. The opposite repair, one rule: a name the
gazetteer does not know, typed as a place, that "said" something is a person
("Vrenska said").
"""

from __future__ import annotations

from etl.transform.nlp.entities.state import State
from etl.transform.nlp.entities.tokens import Span, Tokens, covered_tokens
from etl.transform.nlp.places import Gazetteer, gazetteer

PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "around", "throughout", "across"})
"""Prepositions of place; "to", "from" and "at" come before people and firms too."""
MISSED_PREPOSITIONS = frozenset({"near", "outside"})
"""Prepositions that mark a name the model missed as a place ("in" comes before "God" and "Congress")."""
MISSED_PEOPLE = frozenset({"police", "residents", "voters"})
"""Nouns after a name the model missed that make it a place."""
PLACE_PEOPLE = frozenset(
    {
        *("police", "officials", "residents", "detectives", "firefighters", "voters", "authorities"),
        *("schools", "taxpayers", "homeowners", "businesses", "neighborhoods", "area"),
    }
)
"""Lower-case nouns after a name that make it a place: "Owego police", "Owego residents"."""
LOCAL_OFFICES = frozenset(
    {
        *("Sheriff", "Mayor", "Governor", "Gov", "Coroner", "Commissioner", "Commissioners", "Judge"),
        *("Clerk", "Treasurer", "Superintendent", "Assessor", "Auditor", "Prosecutor", "Constable"),
        *("Councilman", "Councilwoman", "Alderman", "Supervisor", "GM", "Administrator", "Chief"),
    }
)
"""Offices of a town or county written between its name and the officeholder's."""
OFFICE_WORDS = LOCAL_OFFICES | {
    *("Fire", "Police", "County", "City", "Town", "Village", "School", "Schools", "Deputy", "Assistant"),
    *("Circuit", "District", "Probate", "Township", "Parish", "Borough", "Tax", "Emergency", "Management"),
}
"""Words that may stand in a local office's title: "Fire Chief", "Deputy Coroner", "Circuit Judge"."""
GOING = frozenset(
    {
        *("drove", "driven", "drive", "driving", "moved", "move", "moving", "traveled", "travelled"),
        *("returned", "flew", "went", "came", "headed", "fled", "relocated", "commute", "commuted"),
    }
)
"""Verbs of going before "to" + place: "drove to Owego" (not "spoke to Smith")."""
COUNTY_WORDS = frozenset({"County", "Parish", "Township", "Borough"})
"""Last words of a county's or township's name: no person is called "Otsego County"."""
PUBLIC_BODIES = frozenset({"Police", "Fire", "Schools", "Commonwealth", "Council", "Board", "Department"})
"""Last words of a public body's name after its town: "Owego Police" is no person."""
DIRECTIONS = frozenset(
    {
        *("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"),
        *("northern", "southern", "eastern", "western", "downtown", "upstate"),
    }
)
"""Words before "of" + place: "miles north of Owego"."""
SAID = frozenset({"said", "says", "told", "added", "explained", "recalled", "wrote"})
"""Verbs after a speaker: no place says anything it has not got a name for."""
_MAX_PLACE_WORDS = 3


def tag_place_cues(state: State) -> None:
    """Relabel as places the names the words around them show to be places (see the module docstring)."""
    doc, gaz = state.tokens, gazetteer()
    spans = [piece for span in state.spans for piece in _split_office(doc, gaz, span)]
    spans = [_headline_verb(doc, gaz, span) for span in spans]
    for span in spans:
        _county_or_public_body(doc, gaz, span)
    people = [s for s in spans if s.label == "PERSON" and s.end - s.start > 1 and not s.strong]
    person_words = {doc[s.end - 1].lower_ for s in people} | {
        doc[s.start].lower_ for s in people if doc[s.start].text in state.lex.given_names
    }
    spans += _uncovered_places(doc, gaz, spans)
    spans += _dateline_towns(doc, gaz, spans)
    ends = {s.end: s for s in spans}
    for span in sorted(spans, key=lambda s: s.start):
        if span.strong:
            continue
        if _is_place(doc, gaz, span, person_words, ends):
            span.label, span.strong = "GPE", True
        elif span.label in ("GPE", "LOC") and _speaks(doc, gaz, span):
            span.label, span.strong = "PERSON", True
    state.spans = sorted(spans, key=lambda s: s.start)


def _is_place(doc: Tokens, gaz: Gazetteer, span: Span, person_words: set[str], ends: dict[int, Span]) -> bool:
    """The span names a place whatever the model said (a person, an organisation, a facility)."""
    if span.label == "PERSON" and _place_by_cue(doc, gaz, span, person_words, ends):
        return True
    if span.label == "FAC":
        # One word must name a place that stands alone, no support needed ("Olympic" is no town).
        if span.end - span.start == 1:
            return gaz.resolve(span.text(doc)).place is not None
        return _knows(gaz, doc, span.start, span.end)
    return span.label in (None, "PERSON", "ORG", "GPE", "LOC") and _before_its_region(doc, gaz, span)


def _uncovered_places(doc: Tokens, gaz: Gazetteer, spans: list[Span]) -> list[Span]:
    """Names the model missed that a cue marks as places: "in Owego", "Owego police"."""
    covered = covered_tokens(spans, doc)
    ends = {s.end: s for s in spans}
    found: list[Span] = []
    i = 0
    while i < len(doc):
        if (
            covered[i]
            or not (doc[i].is_title and doc[i].is_alpha)
            or doc[i].is_stop
            or doc[i].pos_ not in ("PROPN", "ADJ")
        ):
            i += 1
            continue
        end = i
        while end < len(doc) and end - i < _MAX_PLACE_WORDS and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if any(covered[i:end]):
            i += 1
            continue
        candidate = Span(i, end, "PERSON")
        if _knows(gaz, doc, i, end) and _place_by_cue(doc, gaz, candidate, set(), ends, missed=True):
            found.append(Span(i, end, "GPE", strong=True))
        i = end
    return found


_DATELINE_MARKS = frozenset({"--", "—", "–", "-", "("})
"""What follows a dateline mid-text: "OWEGO — The council", "OWEGO (AP) --"."""


def _dateline_towns(doc: Tokens, gaz: Gazetteer, spans: list[Span]) -> list[Span]:
    """A town in capitals starting a sentence before a dateline mark ("OWEGO (AP) --", "GLEN RIDGE —")."""
    covered = covered_tokens(spans, doc)
    found: list[Span] = []
    for i, token in enumerate(doc):
        if (
            covered[i]
            or not (token.is_upper and token.is_alpha)
            or (i > 0 and doc[i - 1].text not in (".", "\n"))
        ):
            continue
        end = i
        while end < len(doc) and end - i < _MAX_PLACE_WORDS and doc[end].is_upper and doc[end].is_alpha:
            end += 1
        marked = end < len(doc) and doc[end].text in _DATELINE_MARKS and not any(covered[i:end])
        # One word in capitals before a dash may be a section ("CRICKET -"): a
        # town of a size GeoNames' main list holds, unless an agency credit follows.
        small = end - i > 1 or doc[end].text == "("
        if marked and gaz.knows(doc.span_text(i, end).title(), small=small):
            found.append(Span(i, end, "GPE", strong=True))
    return found


def _knows(gaz: Gazetteer, doc: Tokens, start: int, end: int) -> bool:
    return end - start <= _MAX_PLACE_WORDS and gaz.knows(doc.span_text(start, end))


def _place_by_cue(
    doc: Tokens,
    gaz: Gazetteer,
    span: Span,
    person_words: set[str],
    ends: dict[int, Span],
    missed: bool = False,
) -> bool:
    """A "person" after a preposition of place, before a word for its people or "-based", or after a place.

    A name the model ``missed`` takes narrower cues: "in God", "around
    Christmas" and "Union officials" hold ordinary words that towns are named after.
    """
    if span.end - span.start == 1 and doc[span.start].lower_ in person_words:
        return False
    if not _knows(gaz, doc, span.start, span.end):
        return False
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    verb = doc[span.start - 2].lower_ if span.start > 1 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    based = after == "-" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "based"
    previous = ends.get(span.start - 1)
    listed = before in ("and", "or", ",") and previous is not None and previous.label in ("GPE", "LOC")
    resident = before == "of" and previous is not None and previous.label == "PERSON"
    # "from Albany to Owego": the second place of a journey.
    journey = before == "to" and previous is not None and previous.label in ("GPE", "LOC")
    journey = (
        journey and previous is not None and previous.start > 0 and doc[previous.start - 1].lower_ == "from"
    )
    office = after.rstrip(".") in LOCAL_OFFICES and span.end + 1 < len(doc) and doc[span.end + 1].is_title
    prepositions, people = (
        (MISSED_PREPOSITIONS, MISSED_PEOPLE) if missed else (PLACE_PREPOSITIONS, PLACE_PEOPLE)
    )
    return (
        before in prepositions
        or office
        or (before == "to" and (verb in GOING or journey))
        or (before == "of" and verb in DIRECTIONS)
        or after in people
        or based
        or listed
        or resident
    )


def _split_office(doc: Tokens, gaz: Gazetteer, span: Span) -> list[Span]:
    """ "Otsego County Sheriff Dana Whitfield" as one "person": the county, then the person.

    The longest known place at the front of a person span, then words of an
    office ending in :data:`LOCAL_OFFICES` ("Fire Chief"): the place is
    strong, the office words go, the name after them (if any) stays a person.
    """
    if span.label != "PERSON" or span.strong or span.end - span.start < 2:
        return [span]
    for stop in range(min(span.end - 1, span.start + _MAX_PLACE_WORDS), span.start, -1):
        if not _knows(gaz, doc, span.start, stop):
            continue
        office_end = next(
            (i + 1 for i in range(stop, min(stop + 3, span.end)) if doc[i].text.rstrip(".") in LOCAL_OFFICES),
            None,
        )
        if office_end is None:
            return [span]
        # Only the words of a local office between: "Fire Chief", not "Bulls GM" (a team's).
        if not all(t.text.rstrip(".") in OFFICE_WORDS for t in doc[stop:office_end]):
            return [span]
        place = Span(span.start, stop, "GPE", strong=True)
        if office_end < span.end:
            return [place, Span(office_end, span.end, "PERSON")]
        return [place]
    return [span]


def _county_or_public_body(doc: Tokens, gaz: Gazetteer, span: Span) -> None:
    """ "Otsego County" typed a person (even by a given-name rule) is the county; "Owego Police" a body."""
    if span.label != "PERSON" or span.end - span.start < 2:
        return
    last = doc[span.end - 1].text
    if last in COUNTY_WORDS and _knows(gaz, doc, span.start, span.end):
        span.label, span.strong = "GPE", True
    elif last in PUBLIC_BODIES and not span.strong and _knows(gaz, doc, span.start, span.end - 1):
        span.label = "ORG"


def _headline_verb(doc: Tokens, gaz: Gazetteer, span: Span) -> Span:
    """ "Visiting Peru", "Missing Glen Ridge" as a person: a headline's verb, then a place."""
    if span.label != "PERSON" or span.strong or span.end - span.start < 2:
        return span
    first = doc[span.start]
    verb = first.tag_.startswith("VB") or first.pos_ == "VERB" or first.lower_.endswith("ing")
    rest = doc.span_text(span.start + 1, span.end)
    if verb and (gaz.is_country_or_state(rest) or (span.end - span.start > 2 and gaz.knows(rest))):
        return Span(span.start + 1, span.end, "GPE", strong=True)
    return span


def _before_its_region(doc: Tokens, gaz: Gazetteer, span: Span) -> bool:
    """ "Cobleskill, N.Y.", "Porto, Portugal": a place of that name lies in the state or country after the comma."""
    if span.end + 1 >= len(doc) or doc[span.end].text != "," or not _knows(gaz, doc, span.start, span.end):
        return False
    name = doc.span_text(span.start, span.end)
    for stop in range(min(len(doc), span.end + 4), span.end + 1, -1):
        region = gaz.resolve(doc.span_text(span.end + 1, stop)).place
        if region is None:
            continue
        if region.kind == "country":
            return gaz.lies_in(name, country=region.country_code)
        if region.kind == "region" and region.country_code == "US" and region.admin1:
            return gaz.lies_in(name, state=region.admin1)
        return False
    return False


def _speaks(doc: Tokens, gaz: Gazetteer, span: Span) -> bool:
    """An unknown name typed as a place, right before "said": a person ("Vrenska said")."""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return after in SAID and not gaz.knows(doc.span_text(span.start, span.end))
