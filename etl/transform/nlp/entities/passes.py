"""The entity passes, in their one declared order, and the function that runs them.

The small spaCy model gets some things wrong in systematic ways; the passes
repair them with general mechanisms. Each pass takes the article's
:class:`~etl.transform.nlp.entities.state.State` and updates it in place;
``extract_entities`` runs :data:`PASSES` in order. The order is a contract:

1. ``clean_model_spans`` (:mod:`.cleaning`): the model's spans, trimmed to
   names with exact offsets (``body[start:end] == text``) and split at
   possessives; every later pass assumes clean spans.
1b. ``split_table_fragments`` (:mod:`.fragments`): a span that runs the
   sides of a results line together ("Ayr 6 Berwick 0", "Leeds v Hull",
   "DETROIT CHICAGO") is cut into its names; a score after a name goes.
2. ``portfolio_titles`` (:mod:`.titles`): "State" of "Secretary of State" is
   no organisation; "Ministry of Finance" is one, whole.
3. ``tag_agencies`` (:mod:`.agencies`): news agencies are organisations,
   replacing the model's spans they cover.
4. ``tag_datelines`` (:mod:`.datelines`): a capitalised place before
   ", <country>" or at the start of a paragraph is a place (strong), cut out
   of a span that runs into it.
5. ``relabel_by_form`` (:mod:`.forms`): nationality words, organisation
   suffixes, given names and the noun before a name ("giant", "analyst")
   decide its type; it leaves alone spans an earlier pass marked strong.
6. ``tag_sports_teams`` (:mod:`.sports`): the sides in a results table
   ("Eastmoor 296 , Westvale 83") or around "beat" are teams, except
   countries; it runs on the spans the passes above settled.
6a. ``tag_team_sheets`` (:mod:`.team_sheets`): the players of a line-up
   ("Norvania - 1 - Ian Vell , 2 - Oto Kask") are people, strong.
6b. ``tag_team_places`` (:mod:`.team_places`): in a sports story a town's
   or region's name is its team (strong), except where it says where ("In
   Tarnow ,": a place for that mention only).
6c. ``tag_platforms`` (:mod:`.platforms`): a one-word "person" posted *on*,
   or with *users* and *accounts*, is a platform (an organisation), strong.
6d. ``tag_place_cues`` (:mod:`.place_cues`): a "person" in a place's
   context ("in Owego", "Owego police", "Cobleskill, N.Y.") is a place,
   an unknown "place" that said something a person; strong.
6e. ``tag_people_before_who`` (:mod:`.relative_who`): a bare surname before
   ", who" that ends a full name in the story is a person, and so is the name.
7. ``link_acronyms`` (:mod:`.acronyms`): an acronym defined in brackets
   stands for the name before it (strong, and an alias of it).
8. ``vote_labels`` (:mod:`.propagation`): one label per name, rule evidence
   (``strong``, set by passes 4-7) first, then the majority.
9. ``find_short_forms`` (:mod:`.acronyms`): with labels settled, the parts of
   full person names and the first words of company names.
10. ``label_name_parts`` (:mod:`.propagation`): a surname is that person
    everywhere, an organisation's short form that organisation.
11. ``drop_undecided`` (:mod:`.propagation`): spans still without a label go,
    except the owner of a possessive that is a known place.
12. ``tag_repeats`` (:mod:`.propagation`): a name tagged once is tagged where
    the model missed it.
12b. ``add_regnal_numbers`` (:mod:`.regnal`): a Roman numeral after a
    person's name is part of it ("Henry VIII"), also where the model missed
    the name and the repeat pass found it.
13. ``remove_overlaps`` (:mod:`.grouping`): the longer of two overlapping
    spans stays.
14. ``group_entities`` (:mod:`.grouping`): every mention of one thing points
    to one EntityRecord; places resolve through the gazetteer, a short person
    name joins the one full name it is part of.

Headline mentions (:mod:`.headline`) are added after quotes are found, whose
speakers read body offsets.

Rules never use names from an evaluation set; the word lists (``data/``) are
general (agencies, titles, organisation words, nationalities, given names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.records import ArticleRecord, EntityRecord
from etl.transform.nlp.entities.acronyms import find_short_forms, link_acronyms
from etl.transform.nlp.entities.agencies import tag_agencies
from etl.transform.nlp.entities.cleaning import clean_model_spans
from etl.transform.nlp.entities.datelines import tag_datelines
from etl.transform.nlp.entities.forms import relabel_by_form
from etl.transform.nlp.entities.fragments import split_table_fragments
from etl.transform.nlp.entities.grouping import group_entities, remove_overlaps
from etl.transform.nlp.entities.lexicons import lexicons
from etl.transform.nlp.entities.place_cues import tag_place_cues
from etl.transform.nlp.entities.platforms import tag_platforms
from etl.transform.nlp.entities.propagation import drop_undecided, label_name_parts, tag_repeats, vote_labels
from etl.transform.nlp.entities.regnal import add_regnal_numbers
from etl.transform.nlp.entities.relative_who import tag_people_before_who
from etl.transform.nlp.entities.sports import tag_sports_teams
from etl.transform.nlp.entities.state import Pass, State
from etl.transform.nlp.entities.team_places import tag_team_places
from etl.transform.nlp.entities.team_sheets import tag_team_sheets
from etl.transform.nlp.entities.titles import portfolio_titles
from etl.transform.nlp.entities.tokens import Tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

PASSES: tuple[Pass, ...] = (
    clean_model_spans,
    split_table_fragments,
    portfolio_titles,
    tag_agencies,
    tag_datelines,
    relabel_by_form,
    tag_sports_teams,
    tag_team_sheets,
    tag_team_places,
    tag_platforms,
    tag_place_cues,
    tag_people_before_who,
    link_acronyms,
    vote_labels,
    find_short_forms,
    label_name_parts,
    drop_undecided,
    tag_repeats,
    add_regnal_numbers,
    remove_overlaps,
    group_entities,
)
"""The rule passes in the order they run (see the module docstring for why)."""


def extract_entities(doc: Doc, article: ArticleRecord) -> tuple[EntityRecord, ...]:
    """Find the article's entities, repaired and grouped one record per thing."""
    lex = lexicons()
    state = State(doc, Tokens(doc), article, lex)
    for run_pass in PASSES:
        run_pass(state)
    return state.entities
