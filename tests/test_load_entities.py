"""Entity resolution: one entity row per real thing across articles, ambiguity left alone."""

from __future__ import annotations

from datetime import UTC, datetime

from etl.db import migrate
from etl.db.engine import make_engine
from etl.load.identity import Signature, decide, demonym_places, group_stem, name_tokens
from etl.load.loader import find_stored_articles, load_articles
from etl.load.name_forms import product_cues
from etl.load.resolve import resolve_entities
from etl.records import ArticleRecord, EntityRecord, MentionRecord
from tests.snapshots import rows


def _article(key: str, *names: str, kind: str = "PERSON") -> ArticleRecord:
    body = " and ".join(names) + " spoke."
    entities, offset = [], 0
    for name in names:
        entities.append(
            EntityRecord(
                name=name,
                type=kind,  # type: ignore[arg-type]
                key=name.lower(),
                mentions=(MentionRecord(offset, offset + len(name), name),),
            )
        )
        offset += len(name) + len(" and ")
    return ArticleRecord(
        source_uri=key, document_key=key, content_sha256=key, body=body, entities=tuple(entities)
    )


def _load(url: str, *articles: ArticleRecord) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            stored = find_stored_articles(connection, (a.document_key for a in articles))
            load_articles(connection, articles, stored, "test", datetime.now(UTC))
    finally:
        engine.dispose()


def _resolve(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            resolve_entities(connection)
    finally:
        engine.dispose()


def _sig(name: str, kind: str = "PERSON", articles: int = 1, mentions: int = 1, cues: int = 0) -> Signature:
    return Signature(name.lower(), kind, {name: articles}, articles, mentions, cues)


def _groups(*signatures: Signature) -> dict[str, str]:
    """Each signature's name -> the name of the entity it resolved to."""
    decided = decide(list(signatures))
    return {s.name: decided[s.ident].name for s in signatures}


def test_bare_surname_joins_a_dominant_person_and_not_an_ambiguous_one(database_url: str) -> None:
    migrate.upgrade(database_url)
    _load(database_url, *(_article(f"a{i}", "Vladimir Putin", "Barack Obama") for i in range(3)))
    _load(database_url, _article("b", "Michelle Obama", "Ann O_Neil"), _article("c", "Michelle Obama"))
    _load(database_url, _article("d", "Putin", "Obama", "Neil"))
    _resolve(database_url)
    people = sorted(r[0] for r in rows(database_url, "SELECT name FROM entities WHERE type = 'PERSON'"))
    # "Putin" joined Vladimir Putin (3 articles, no other Putin); "Obama" has two
    # candidates of comparable weight (3 vs 2 articles) and stays apart; "Neil" is
    # not the surname of "Ann O_Neil".
    assert people == ["Ann O_Neil", "Barack Obama", "Michelle Obama", "Neil", "Obama", "Vladimir Putin"]
    putin = rows(
        database_url,
        """SELECT e.article_count, e.mention_count, COUNT(DISTINCT m.article_id) FROM mentions m
           JOIN entities e ON e.id = m.entity_id WHERE e.name = 'Vladimir Putin'
           GROUP BY e.article_count, e.mention_count""",
    )
    assert putin == [(4, 4, 4)]
    aliases = rows(
        database_url,
        """SELECT a.alias, a.article_count, a.mention_count FROM entity_aliases a
           JOIN entities e ON e.id = a.entity_id WHERE e.name = 'Vladimir Putin' ORDER BY a.alias""",
    )
    assert aliases == [("Putin", 1, 1), ("Vladimir Putin", 3, 3)]


def test_resolution_is_idempotent_and_removes_orphans(database_url: str) -> None:
    migrate.upgrade(database_url)
    _load(database_url, *(_article(f"a{i}", "Jane Q. Doe") for i in range(3)), _article("b", "Doe"))
    _resolve(database_url)
    first = rows(database_url, "SELECT name, type, article_count, mention_count FROM entities ORDER BY name")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            again = resolve_entities(connection)
    finally:
        engine.dispose()
    assert (again.relinked, again.entities_created, again.entities_deleted) == (0, 0, 0)
    assert (again.entities_updated, again.aliases_written, again.aliases_deleted) == (0, 0, 0)
    assert first == [("Jane Q. Doe", "PERSON", 4, 4)]


def test_name_forms_drop_titles_suffixes_possessives_and_figures() -> None:
    assert name_tokens("Dr. Jane Roe Jr.") == ("jane", "roe")
    assert name_tokens("President Amos Kell's") == ("amos", "kell")
    assert name_tokens("WALLACE") == ("wallace",)
    assert name_tokens("Kell 4-0-18-0", figures=False) == ("kell",)
    assert name_tokens("Route 66") == ("route", "66")


def test_middle_names_initials_and_case_join_one_person() -> None:
    groups = _groups(
        _sig("Amos J. Kell", articles=2),
        Signature("amos kell", "PERSON", {"Amos Kell": 3, "AMOS KELL": 1}, 4, 4),
        _sig("Mr Amos Kell"),
        _sig("A. Kell"),
        _sig("Kell Jr."),
    )
    assert set(groups.values()) == {"Amos Kell"}
    assert (
        decide([Signature("amos kell", "PERSON", {"AMOS KELL": 3, "Amos Kell": 1}, 4, 4)])[
            ("amos kell", "PERSON")
        ].name
        == "Amos Kell"
    )


def test_surname_stays_apart_when_the_evidence_is_split() -> None:
    groups = _groups(_sig("Lena Hart", articles=4), _sig("Omar Hart", articles=3), _sig("Hart", articles=2))
    assert groups["Hart"] == "Hart"
    # A clear winner (three times the articles of the runner-up) takes the surname.
    groups = _groups(_sig("Lena Hart", articles=9), _sig("Omar Hart", articles=3), _sig("Hart", articles=2))
    assert groups["Hart"] == "Lena Hart"
    assert groups["Omar Hart"] == "Omar Hart"


def test_same_surname_people_with_different_first_names_never_join() -> None:
    groups = _groups(_sig("Lena Hart", articles=5), _sig("Omar Hart", articles=5), _sig("O. Hart"))
    assert groups == {"Lena Hart": "Lena Hart", "Omar Hart": "Omar Hart", "O. Hart": "Omar Hart"}


def test_organisation_short_forms_and_acronyms_join_the_full_name() -> None:
    groups = _groups(
        _sig("Northern Grain Board", "ORG", articles=3),
        _sig("NGB", "ORG"),
        _sig("Grain Board", "ORG"),
        _sig("Tollan Harbour Authority Inc", "ORG", articles=2),
        _sig("Tollan Harbour Authority", "ORG"),
    )
    assert groups["NGB"] == groups["Grain Board"] == "Northern Grain Board"
    assert groups["Tollan Harbour Authority"] == "Tollan Harbour Authority Inc"


def test_one_type_per_entity_by_votes_and_places_stay_apart_from_teams() -> None:
    decided = decide(
        [
            _sig("Vellmark Union", "ORG", articles=3),
            _sig("Vellmark Union", "PERSON", articles=1),
            _sig("Ardmore", "GPE", articles=4),
            _sig("Ardmore", "ORG", articles=2),
        ]
    )
    assert decided[("vellmark union", "PERSON")] == decided[("vellmark union", "ORG")]
    assert decided[("vellmark union", "PERSON")].type == "ORG"
    # The town and a team written with the town's name are two things.
    assert decided[("ardmore", "GPE")] != decided[("ardmore", "ORG")]


def test_a_name_read_as_a_platform_is_not_a_person() -> None:
    body = "She posted on Chirpter. Chirpter users replied via Chirpter."
    mentions = [
        MentionRecord(body.index("Chirpter"), body.index("Chirpter") + 8, "Chirpter"),
        MentionRecord(24, 32, "Chirpter"),
        MentionRecord(body.rindex("Chirpter"), body.rindex("Chirpter") + 8, "Chirpter"),
    ]
    assert product_cues(body, mentions) == 3
    assert product_cues("Mr Dunmore spoke.", [MentionRecord(3, 10, "Dunmore")]) == 0
    decided = decide([_sig("Chirpter", "PERSON", articles=3, mentions=6, cues=4)])
    assert decided[("chirpter", "PERSON")].type == "ORG"


def test_nationality_words_join_their_place() -> None:
    assert "norvania" in demonym_places("norvanians")
    assert "quell" in demonym_places("quelli")
    assert "tarsa" in demonym_places("tarsese")
    decided = decide([_sig("Norvania", "GPE", articles=3), _sig("Norvanian", "NORP", articles=2)])
    assert decided[("norvanian", "NORP")] == decided[("norvania", "GPE")]
    assert decided[("norvania", "GPE")].type == "GPE"


def test_irregular_nationality_words_join_their_country_from_the_data_file() -> None:
    # Words English does not form by a regular suffix: the data file states them.
    assert "netherlands" in demonym_places("dutch")
    assert "switzerland" in demonym_places("swiss")
    assert "united kingdom" in demonym_places("britons")
    decided = decide(
        [
            _sig("Netherlands", "GPE", articles=3),
            _sig("Dutch", "NORP", articles=2),
            _sig("United States", "GPE", articles=5),
            _sig("Americans", "NORP", articles=2),
        ]
    )
    assert decided[("dutch", "NORP")] == decided[("netherlands", "GPE")]
    assert decided[("americans", "NORP")].name == "United States"
    assert decided[("americans", "NORP")].type == "GPE"


def test_forms_of_one_group_word_are_one_entity() -> None:
    assert group_stem("kurds") == group_stem("kurdish") == "kurd"
    assert group_stem("serbian") == group_stem("serb") == "serb"
    assert group_stem("democratic") == group_stem("democrats") == "democrat"
    assert group_stem("moslems") == group_stem("islamic") == "islam"
    groups = _groups(
        _sig("Vorns", "NORP", articles=2),
        _sig("Vornish", "NORP"),
        _sig("Tessian", "NORP"),
        _sig("Tess", "NORP"),
        _sig("Ostrans", "NORP"),
    )
    assert groups["Vorns"] == groups["Vornish"]
    assert groups["Tess"] == groups["Tessian"]
    assert groups["Ostrans"] == "Ostrans"


def test_a_place_name_read_as_a_group_word_joins_the_place() -> None:
    decided = decide([_sig("Harlow", "GPE", articles=2), _sig("Harlow", "NORP")])
    assert decided[("harlow", "NORP")] == decided[("harlow", "GPE")]
    assert decided[("harlow", "NORP")].type == "GPE"


def _in(sig: Signature, *articles: int) -> Signature:
    sig.in_articles = frozenset(articles)
    return sig


def test_a_bare_surname_joins_a_rarely_named_person_only_when_their_stories_share_a_name() -> None:
    # One article names Dale Penrith; another names "Penrith" alone (typed ORG by a table).
    alone = [_in(_sig("Dale Penrith"), 1), _in(_sig("Penrith", "ORG"), 2)]
    assert _groups(*alone)["Penrith"] == "Penrith"
    # The same two stories also name the Corrib Cup (a rare name): the same event, the same man.
    together = [*alone, _in(_sig("Corrib Cup", "EVENT", articles=2), 1, 2)]
    assert _groups(*together)["Penrith"] == "Dale Penrith"
    assert decide(together)[("penrith", "ORG")].type == "PERSON"  # the table's ORG does not vote
    # A name in many stories (a country) is no such evidence.
    country = [*alone, _in(_sig("Norvania", "GPE", articles=7), 1, 2, 3, 4, 5, 6, 7)]
    assert _groups(*country)["Penrith"] == "Penrith"
    # With the full name in three articles, no shared name is needed.
    assert _groups(_sig("Dale Penrith", articles=3), _sig("Penrith"))["Penrith"] == "Dale Penrith"


def test_results_lines_are_not_full_names() -> None:
    # "Oldbury 2 Penrith 1" and "Oldbury v Penrith" name two teams, not a person called Penrith.
    groups = _groups(_sig("Oldbury 2 Penrith 1"), _sig("Oldbury v Penrith"), _sig("Penrith", "ORG"))
    assert groups["Penrith"] == "Penrith"
    # A team with its score is still that team.
    groups = _groups(
        _sig("Tarnow Kestrels 7-0", "ORG"), _sig("Tarnow", "ORG"), _sig("Tarnow at Oldbury", "ORG")
    )
    assert groups["Tarnow"] == "Tarnow Kestrels 7-0"


def test_figures_of_a_scorecard_are_not_part_of_any_name() -> None:
    groups = _groups(_sig("Kell 4-0-18-0", "OTHER"), _sig("Kell", "ORG"), _sig("Route 66", "FAC"))
    assert groups["Kell 4-0-18-0"] == groups["Kell"]
    assert name_tokens("Oldbury 4 2 0 2", figures=False) == ("oldbury",)
    assert decide([_sig("Route 66", "FAC")])[("route 66", "FAC")].name == "Route 66"


def test_one_trailing_word_joins_only_a_name_that_follows_a_place() -> None:
    groups = _groups(
        _sig("Tarnow", "GPE", articles=3),
        _sig("Tarnow Kestrels", "ORG", articles=2),
        _sig("Kestrels", "ORG"),
        _sig("New Alder", "ORG", articles=2),
        _sig("Alder", "ORG"),
    )
    assert groups["Kestrels"] == "Tarnow Kestrels"
    # "Alder" is not "New Alder": a trailing word after a modifier is a name of its own.
    assert groups["Alder"] == "Alder"


def test_an_acronym_is_the_name_it_spells_before_names_it_prefixes() -> None:
    groups = _groups(
        _sig("Western Grain Board", "ORG", articles=2),
        _sig("WGB", "ORG", articles=4),
        _sig("WGB Export Council", "ORG", articles=2),
    )
    assert groups["WGB"] == "Western Grain Board"
    assert groups["WGB Export Council"] == "WGB Export Council"


def test_a_nationality_and_a_group_is_no_persons_full_name() -> None:
    groups = _groups(
        _sig("Norvania", "GPE", articles=3), _sig("Norvanian Vell", articles=3), _sig("Vell", "NORP")
    )
    assert groups["Vell"] == "Vell"


def test_a_fragment_with_a_bracket_spells_no_acronym() -> None:
    groups = _groups(_sig("Sam Dorn ( Avalon", "ORG"), _sig("SDA", "ORG", articles=3))
    assert groups["SDA"] == "SDA"
    assert _groups(_sig("Sam Dorn Avalon", "ORG"), _sig("SDA", "ORG"))["SDA"] == "Sam Dorn Avalon"


def test_a_towns_name_alone_is_its_club_not_any_body_named_after_it() -> None:
    town = [_sig("Tarnow", "GPE", articles=4), _sig("Tarnow", "ORG", articles=3)]
    groups = _groups(*town, _sig("Tarnow Traders Association", "ORG"))
    assert decide([*town, _sig("Tarnow Traders Association", "ORG")])[("tarnow", "ORG")].name == "Tarnow"
    assert groups["Tarnow Traders Association"] == "Tarnow Traders Association"
    # Its club, named with a plural nickname, is what the town's name stands for.
    assert decide([*town, _sig("Tarnow Kestrels", "ORG")])[("tarnow", "ORG")].name == "Tarnow Kestrels"


def test_a_plural_nickname_after_a_clubs_name_is_that_club() -> None:
    groups = _groups(
        _sig("Tarnow Kestrels", "ORG"), _sig("Tarnow", "ORG", articles=3), _sig("Kestrels", "ORG")
    )
    assert groups["Kestrels"] == groups["Tarnow"] == "Tarnow Kestrels"
    # One trailing word that is no plural stays its own name ("Alder" of "New Alder").
    groups = _groups(_sig("New Alder", "ORG"), _sig("New", "ORG"), _sig("Alder", "ORG"))
    assert groups["Alder"] == "Alder"


def test_a_team_before_a_players_name_is_not_part_of_it() -> None:
    groups = _groups(
        _sig("Norvania", "GPE", articles=3),
        _sig("Norvania Amos Kell"),
        _sig("Norvania A. Kell"),
        _sig("Amos Kell", articles=2),
        _sig("Chad Rowe"),
        _sig("Chad", "GPE"),
    )
    assert groups["Norvania Amos Kell"] == groups["Norvania A. Kell"] == "Amos Kell"
    # A first name that is also a place stays: what follows it is no full name.
    assert groups["Chad Rowe"] == "Chad Rowe"


def test_a_wire_heading_of_a_place_and_a_topic_is_the_place() -> None:
    groups = _groups(
        _sig("Norvania", "GPE", articles=4),
        _sig("NORVANIA - Bonds", "ORG"),
        _sig("Norvania - Ada Corrin", "ORG"),
    )
    assert groups["NORVANIA - Bonds"] == "Norvania"
    # A person's name after the dash is not the place.
    assert groups["Norvania - Ada Corrin"] == "Norvania - Ada Corrin"
