"""Places that are places (issue 10, item 4), headline mentions, platforms, and the NLP gate.

Each test writes its own short article and sets the model's spans itself (as
``test_transform_entities`` does), so it checks our rules, not what the model
happens to say; each reproduces one defect an analyst saw on a real corpus.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.nlp

from etl.records import ArticleRecord, EntityRecord  # noqa: E402
from etl.transform.contract import article_to_contract  # noqa: E402
from etl.transform.nlp.annotate import annotate_articles, nlp_text  # noqa: E402
from etl.transform.nlp.entities.headline import add_headline_mentions  # noqa: E402
from etl.transform.nlp.entities.passes import extract_entities  # noqa: E402
from etl.transform.nlp.entities.plausible import plausible_place_name  # noqa: E402
from etl.transform.nlp.gate import is_english  # noqa: E402
from etl.transform.nlp.model import load_pipeline  # noqa: E402
from etl.transform.nlp.places import resolve_place  # noqa: E402
from tests.test_transform_entities import make_article, tagged_doc  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def entities_of(nlp, paragraphs: list[str], ents: list[tuple[str, str]]) -> dict[str, EntityRecord]:
    article = make_article(paragraphs)
    found = extract_entities(tagged_doc(nlp, article, ents), article)
    return {e.name: e for e in found}


def placed(entity: EntityRecord | None) -> bool:
    return entity is not None and entity.latitude is not None


# -- item 4: places that are places ---------------------------------------------------------
def test_brand_named_like_a_small_foreign_town_gets_no_coordinates(nlp):
    # A one-word name of a small town abroad needs its country in the article.
    found = entities_of(
        nlp,
        ["The Kong chew toy sold out at pet shops.", "Kong said more would ship in May."],
        [("Kong", "GPE"), ("Kong", "GPE")],
    )
    assert not placed(found.get("Kong"))


def test_possessive_shop_name_is_no_town(nlp):
    found = entities_of(nlp, ["A new David's Tea opened on Main Street."], [("David", "GPE")])
    assert not any(placed(e) for e in found.values())


def test_word_of_a_persons_name_is_that_person_not_a_town(nlp):
    found = entities_of(
        nlp,
        ["Attorney General Merrick Garland spoke on Monday.", "Garland said the inquiry would go on."],
        [("Merrick Garland", "PERSON"), ("Garland", "GPE")],
    )
    person = found["Merrick Garland"]
    assert person.type == "PERSON" and len(person.mentions) == 2
    assert not any(placed(e) for e in found.values())


def test_georgia_among_american_places_is_the_state(nlp):
    found = entities_of(
        nlp,
        ["Storms hit Atlanta and Savannah on Monday.", "Georgia officials opened shelters."],
        [("Atlanta", "GPE"), ("Savannah", "GPE"), ("Georgia", "GPE")],
    )
    assert found["Georgia"].country_code == "US"


def test_georgia_beside_tbilisi_stays_the_country(nlp):
    found = entities_of(
        nlp,
        ["Talks in Tbilisi went on.", "Georgia asked for observers."],
        [("Tbilisi", "GPE"), ("Georgia", "GPE")],
    )
    assert found["Georgia"].country_code == "GE"


def test_state_abbreviations_resolve_to_states_with_their_period(nlp):
    # The tokenizer keeps "Wash." whole but splits "W.Va" from its period.
    article = make_article(
        ["The firm moved from Spokane, Wash., to Charleston, W.Va., then to Macon, Ga., last year."]
    )
    ents = [("Spokane", "GPE"), ("Wash.", "GPE"), ("Charleston", "GPE"), ("W.Va", "GPE")]
    found = {
        e.name: e
        for e in extract_entities(
            tagged_doc(nlp, article, [*ents, ("Macon", "GPE"), ("Ga.", "GPE")]), article
        )
    }
    washington = found["Washington"]
    assert [m.text for m in washington.mentions] == ["Wash."]
    assert washington.country_code == "US" and 45 < (washington.latitude or 0) < 49  # the state, not D.C.
    assert [m.text for m in found["West Virginia"].mentions] == ["W.Va."]
    assert [m.text for m in found["Georgia"].mentions] == ["Ga."]
    assert found["Georgia"].country_code == "US"


def test_contractions_fragments_and_non_latin_text_are_never_places(nlp):
    assert not plausible_place_name("n’t")
    assert not plausible_place_name("N'T")
    assert not plausible_place_name("東京で会議が開かれた")
    assert not plausible_place_name("he said the vote was close")
    assert plausible_place_name("Isle of Man") and plausible_place_name("Washington state")
    found = entities_of(nlp, ["They did n’t go to Ohio."], [("n’t", "GPE"), ("Ohio", "GPE")])
    assert set(found) == {"Ohio"}


def test_town_in_the_state_the_article_names_beats_a_famous_namesake():
    texas = resolve_place("Paris", ["US", "US-TX"]).place
    assert texas is not None and texas.country_code == "US" and texas.admin1 == "TX"
    assert resolve_place("Paris").place.country_code == "FR"


def test_small_us_town_and_county_need_support_but_then_resolve():
    assert resolve_place("Fortville").place is None  # one word, no support
    town = resolve_place("Fortville", ["US"]).place
    assert town is not None and town.admin1 == "IN"
    county = resolve_place("Tioga County", ["US", "US-NY"]).place
    assert county is not None and county.kind == "county" and county.admin1 == "NY"
    assert resolve_place("Tioga County").place is None  # two states have one


def test_nearby_towns_name_the_region(nlp):
    # No state named: two towns that only Indiana has in common settle "Lebanon".
    found = entities_of(
        nlp,
        ["Lebanon police met deputies from Fortville and Lapel on Friday."],
        [("Lebanon", "GPE"), ("Fortville", "GPE"), ("Lapel", "GPE")],
    )
    assert found["Lebanon"].country_code == "US"
    assert found["Fortville"].country_code == "US"


# -- platforms and software are not people ---------------------------------------------------
def test_platform_typed_as_a_person_is_an_organisation(nlp):
    found = entities_of(
        nlp,
        ["The mayor posted on Twitter that the plan passed.", "Twitter removed the post an hour later."],
        [("Twitter", "PERSON"), ("Twitter", "PERSON")],
    )
    assert found["Twitter"].type == "ORG" and len(found["Twitter"].mentions) == 2


def test_software_with_users_is_no_person(nlp):
    found = entities_of(
        nlp,
        ["Mercurial users moved their code elsewhere.", "Mercurial still works."],
        [("Mercurial", "PERSON"), ("Mercurial", "PERSON")],
    )
    assert found["Mercurial"].type == "ORG"


def test_a_person_said_on_a_day_stays_a_person(nlp):
    found = entities_of(nlp, ["Officials relied on Smith for the count."], [("Smith", "PERSON")])
    assert found["Smith"].type == "PERSON"  # "on" takes a platform only after a verb of posting


# -- headlines -------------------------------------------------------------------------------
def _entity(name: str, start: int, body: str) -> EntityRecord:
    from etl.records import MentionRecord

    return EntityRecord(name, "ORG", name.lower(), (MentionRecord(start, start + len(name), name),))


def test_headline_mentions_index_the_headline():
    body = "Shares of Acme Corp rose on Monday."
    article = ArticleRecord("t", "t", "0", body, headline="ACME CORP PROFIT JUMPS")
    (entity,) = add_headline_mentions(article, (_entity("Acme Corp", 10, body),))
    head = [m for m in entity.mentions if m.field == "headline"]
    assert [(m.start, m.end, m.text) for m in head] == [(0, 9, "ACME CORP")]
    contract = article_to_contract(
        ArticleRecord("t", "t", "0", body, headline=article.headline, entities=(entity,))
    )
    assert {m["field"] for m in contract["entities"][0]["mentions"]} == {"body", "headline"}


def test_headline_repeated_as_the_first_line_adds_nothing():
    body = "Acme Corp profit jumps. Shares of Acme Corp rose on Monday."
    article = ArticleRecord("t", "t", "0", body, headline="Acme Corp profit jumps")
    entity = _entity("Acme Corp", 0, body)
    assert add_headline_mentions(article, (entity,)) == (entity,)


def test_headline_word_in_lower_case_is_no_mention():
    body = "Apple sold more phones."
    article = ArticleRecord("t", "t", "0", body, headline="Prices of apple juice rise")
    assert add_headline_mentions(article, (_entity("Apple", 0, body),))[0].mentions[-1].field == "body"


# -- the NLP gate ------------------------------------------------------------------------------
def test_language_gate():
    assert is_english("en") and is_english("en-GB") and is_english(None)
    assert not is_english("de") and not is_english("ja") and not is_english("fr-CA")


def test_articles_not_in_english_keep_their_body_but_get_no_entities(nlp):
    english = ArticleRecord("a", "a", "0", "Angela Merkel visited Paris on Monday.", language="en")
    german = ArticleRecord("b", "b", "0", "Angela Merkel besuchte am Montag Paris.", language="de")
    japanese = ArticleRecord("c", "c", "0", "東京で会議が開かれた。首相が出席した。", language="ja")
    out = list(annotate_articles([german, english, japanese], nlp))
    assert [a.source_uri for a in out] == ["b", "a", "c"]
    assert out[0].entities == () and out[0].body == german.body
    assert out[2].entities == ()
    assert out[1].entities


def test_long_bodies_are_read_up_to_the_cap(nlp):
    paragraph = "Officials in Ohio met on Monday. " * 20
    body = "\n".join([paragraph] * 30)
    assert len(nlp_text(body, 2_000)) <= 2_000 and body.startswith(nlp_text(body, 2_000))
    article = ArticleRecord("long", "long", "0", body, language="en")
    (out,) = annotate_articles([article], nlp, max_chars=2_000)
    assert out.body == body
    assert out.entities and all(m.end <= 2_000 for e in out.entities for m in e.mentions)


# -- places local news writes without the model noticing ------------------------------------
def test_dateline_in_capitals_before_a_dash_mid_line(nlp):
    found = entities_of(nlp, ["Bridge work is on pace. COLUMBUS -- The council met on Monday."], [])
    (place,) = found.values()
    assert place.type == "GPE" and [m.text for m in place.mentions] == ["COLUMBUS"]


def test_a_word_in_capitals_before_a_dash_must_be_a_known_place(nlp):
    found = entities_of(nlp, ["Results of the day. CRICKET - The county side won."], [])
    assert not found


def test_legislators_home_in_a_party_label(nlp):
    found = entities_of(
        nlp,
        ["Sen. Ann Carver, D-N.J., and Rep. Tom Hale, R-Elbow Lake, backed the bill."],
        [("Ann Carver", "PERSON"), ("Tom Hale", "PERSON")],
    )
    assert found["New Jersey"].country_code == "US"
    assert [m.text for m in found["New Jersey"].mentions] == ["N.J."]
    assert "Elbow Lake" in found


def test_residents_town(nlp):
    found = entities_of(
        nlp,
        ["Police said Dana Reyes, 30, of Fortville, was hurt.", "The Lapel man was not."],
        [("Dana Reyes", "PERSON")],
    )
    assert {"Fortville", "Lapel"} <= set(found)
    assert found["Fortville"].country_code == "US"  # the other Indiana town is support


def test_dateline_only_place_gets_no_headline_mention():
    body = "Fishing crews said on Wednesday they would appeal."
    article = ArticleRecord("t", "t", "0", body, headline="Crews weigh appeal over Oslo dredging")
    oslo = EntityRecord("Oslo", "GPE", "oslo", ())
    assert add_headline_mentions(article, (oslo,)) == (oslo,)


# -- names the model called people that their context shows to be places -------------------
def test_person_after_a_preposition_of_place_is_the_town_every_mention(nlp):
    found = entities_of(
        nlp,
        ["Flooding closed roads in Cobleskill on Monday, New York officials said.", "Cobleskill reopened."],
        [("Cobleskill", "PERSON"), ("New York", "GPE"), ("Cobleskill", "PERSON")],
    )
    town = found["Cobleskill"]
    assert town.type == "GPE" and len(town.mentions) == 2
    assert town.country_code == "US" and placed(town)


def test_surname_of_a_person_in_the_article_stays_that_person_after_in(nlp):
    found = entities_of(
        nlp,
        ["Senator Ann Kent spoke on Monday.", "Voters in Kent cheered her."],
        [("Ann Kent", "PERSON"), ("Kent", "PERSON")],
    )
    assert found["Ann Kent"].type == "PERSON" and len(found["Ann Kent"].mentions) == 2
    assert not any(placed(e) for e in found.values())


@pytest.mark.parametrize(
    ("sentence", "ents"),
    [
        ("Cobleskill police closed the road.", [("Cobleskill", "PERSON")]),
        ("A Cobleskill-based dairy hired 40 people.", [("Cobleskill", "PERSON")]),
        ("Marta Quill of Cobleskill won the prize.", [("Marta Quill", "PERSON"), ("Cobleskill", "PERSON")]),
        ("They drove to Cobleskill on Friday.", [("Cobleskill", "PERSON")]),
        ("Schools closed in Albany and Cobleskill.", [("Albany", "GPE"), ("Cobleskill", "PERSON")]),
        ("Roads flooded near Cobleskill overnight.", []),
    ],
)
def test_words_around_a_name_make_it_a_place(nlp, sentence, ents):
    # A word for a place's people, "-based", "of" after a person, a verb of going
    # before "to", a place before it in a list; or a name the model missed after "near".
    found = entities_of(nlp, [sentence], ents)
    assert found["Cobleskill"].type == "GPE"


def test_spoke_to_someone_is_no_place(nlp):
    found = entities_of(nlp, ["She spoke to Cobleskill on Friday."], [("Cobleskill", "PERSON")])
    assert found["Cobleskill"].type == "PERSON"


def test_county_before_its_sheriff_is_the_county_and_the_sheriff_a_person(nlp):
    found = entities_of(
        nlp,
        ["The barn burned, according to Otsego County Sheriff Dana Whitfield."],
        [("Otsego County Sheriff Dana Whitfield", "PERSON")],
    )
    assert found["Otsego County"].type == "GPE"
    assert found["Dana Whitfield"].type == "PERSON"


def test_town_before_its_state_after_a_comma_is_placed_there(nlp):
    found = entities_of(
        nlp,
        ["The race began at Cobleskill, N.Y., at dawn. Brenda Lyle, Texas, won it."],
        [("Cobleskill", "PERSON"), ("N.Y.", "GPE"), ("Brenda Lyle", "PERSON"), ("Texas", "GPE")],
    )
    town = found["Cobleskill"]
    assert town.type == "GPE" and 42 < (town.latitude or 0) < 43 and -75 < (town.longitude or 0) < -74
    assert found["Brenda Lyle"].type == "PERSON"  # no town of that name in Texas


def test_headline_verb_before_a_country_is_no_first_name(nlp):
    found = entities_of(
        nlp,
        ["Visiting Peru on a budget", "Peru welcomed more visitors."],
        [("Visiting Peru", "PERSON"), ("Peru", "GPE")],
    )
    assert "Visiting Peru" not in found
    assert len(found["Peru"].mentions) == 2 and found["Peru"].country_code == "PE"


def test_facility_named_like_a_town_is_the_town(nlp):
    found = entities_of(
        nlp, ["The fair moved to Oak Park, Ill., this year."], [("Oak Park", "FAC"), ("Ill.", "GPE")]
    )
    assert found["Oak Park"].type == "GPE" and placed(found["Oak Park"])
    # One word that names no place standing alone stays what the model said.
    found = entities_of(nlp, ["Crowds filled the Olympic stadium."], [("Olympic", "FAC")])
    assert found["Olympic"].type == "FAC"


def test_unknown_place_that_said_something_is_a_person(nlp):
    found = entities_of(nlp, ["“We will rebuild,” Vrenska said."], [("Vrenska", "GPE")])
    assert found["Vrenska"].type == "PERSON" and not placed(found["Vrenska"])


@pytest.mark.parametrize(
    "sentence",
    [
        "The convoy went from Albany to Cobleskill on Friday.",
        "The farm lies 12 miles north of Cobleskill.",
        "Storm closes schools. EAST GREENBUSH — The district shut its doors.",
        "Storm closes schools. COBLESKILL (AP) -- The district shut its doors.",
    ],
)
def test_journeys_directions_and_datelines_mark_a_missed_town(nlp, sentence):
    ents = [("Albany", "GPE")] if "Albany" in sentence else []
    found = entities_of(nlp, [sentence], ents)
    town = next(e for e in found.values() if e.name.casefold() in ("cobleskill", "east greenbush"))
    assert town.type == "GPE"


def test_a_state_body_at_work_supports_a_one_word_town(nlp):
    # "Averill" is a Vermont village GeoNames lists in no size: it needs its state.
    paragraphs = ["Averill police and the Vermont Bureau of Investigation searched the lake."]
    ents = [("Averill", "GPE"), ("Vermont Bureau of Investigation", "ORG")]
    found = entities_of(nlp, paragraphs, ents)
    assert placed(found["Averill"]) and found["Averill"].country_code == "US"
    assert not placed(found["Vermont Bureau of Investigation"])
    # A paper named after the state says nothing of where the story happens.
    found = entities_of(
        nlp, ["Averill police spoke to the Vermont Times."], [("Averill", "GPE"), ("Vermont Times", "ORG")]
    )
    assert not placed(found["Averill"])


def test_ordinary_words_towns_are_named_after_stay_words_when_the_model_missed_them(nlp):
    # "Congress", "Liberty" and "Union" are towns too; a missed name takes narrower cues than "in".
    found = entities_of(
        nlp, ["Voters put their faith in Congress and in Liberty.", "Union officials met."], []
    )
    assert not found


def test_a_teams_officer_is_no_local_office(nlp):
    found = entities_of(
        nlp,
        ["Chicago Bulls GM Lena Marsh said the trade was done."],
        [("Chicago Bulls GM Lena Marsh", "PERSON")],
    )
    assert not any(placed(e) for e in found.values())
