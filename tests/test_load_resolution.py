"""The same corpus gives the same entities however it is cut: batch size, workers, file order.

The corpus is generated here (short wire stories with name variants: full names,
middle initials, surnames alone, capitals, possessives, titles, two people who
share a surname in different stories, an organisation and its acronym, a
platform written "on X"). Each load runs the pipeline and then the corpus-level
resolution, as a run does after its last batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from etl.config import Settings
from etl.db.engine import make_engine
from etl.load.resolve import resolve_entities
from etl.pipeline import run_pipeline
from tests.databases import reset_database
from tests.snapshots import rows

FIRST = ["Marta", "Pavel", "Ingrid", "Tomas", "Leila", "Oscar", "Nadia", "Victor", "Greta", "Anton"]
LAST = ["Kovalenko", "Brandt", "Okafor", "Lindqvist", "Moreau", "Haddad", "Castellano", "Novak"]
ORGS = [
    ("Northern Grain Board", "NGB"),
    ("Baltic Shipping Council", "BSC"),
    ("International Rail Union", "IRU"),
]
CITIES = ["London", "Paris", "Berlin", "Madrid", "Chicago", "Toronto"]

SNAPSHOT_QUERIES = {
    "entities": """SELECT name, type, article_count, mention_count FROM entities""",
    "aliases": """SELECT e.name, e.type, a.alias, a.article_count, a.mention_count
        FROM entity_aliases a JOIN entities e ON e.id = a.entity_id""",
    "mentions": """SELECT a.document_key, m.start_offset, m.end_offset, m.text, e.name, e.type
        FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id""",
    "article_entities": """SELECT a.document_key, g.position, g.name, g.type, e.name, e.type
        FROM article_entities g JOIN articles a ON a.id = g.article_id
        JOIN entities e ON e.id = g.entity_id""",
    "speakers": """SELECT a.document_key, q.position, e.name
        FROM quotes q JOIN articles a ON a.id = q.article_id
        LEFT JOIN entities e ON e.id = q.speaker_entity_id""",
}


def _story(i: int) -> str:
    """One short story; ``i`` picks the people, the forms of their names and the organisation."""
    first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
    other_first = FIRST[(i + 3) % len(FIRST)]
    org, acronym = ORGS[i % len(ORGS)]
    city = CITIES[i % len(CITIES)]
    full = f"{first} {last}"
    forms = [
        f"{full} said the plan would go ahead. {last} added that costs were rising.",
        f"{first} J. {last} said the plan would go ahead.",
        f"Dr. {full}'s report was published on Monday.",
        f"{last.upper()} told reporters the talks had stalled.",
        f"{last} told reporters the talks had stalled.",
        f"{first[0]}. {last} scored twice before half-time.",
    ]
    sentences = [
        forms[i % len(forms)],
        f"The {org} met in {city} on Tuesday." if i % 2 else f"The {acronym} met in {city} on Tuesday.",
        f'"We will not give up," said {other_first} {last}.' if i % 5 == 0 else "",
        "Officials posted the notice on Chirpter, where Chirpter users shared it." if i % 7 == 0 else "",
    ]
    body = " ".join(s for s in sentences if s)
    return f"{last.upper()} IN TALKS\n\n{city.upper()} 2026-05-{1 + i % 28:02d}\n\n{body}\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("resolution-corpus")
    paths = []
    for i in range(210):
        path = folder / f"story-{i:03d}.txt"
        path.write_text(_story(i), encoding="utf-8")
        paths.append(path)
    return paths


def _snapshot(url: str) -> dict[str, Any]:
    return {name: sorted(rows(url, query), key=repr) for name, query in SNAPSHOT_QUERIES.items()}


def _load_and_resolve(url: str, paths: list[Path], batch_size: int, workers: int) -> dict[str, Any]:
    settings = Settings(paths=tuple(paths), database_url=url, batch_size=batch_size, workers=workers)
    run_pipeline(settings)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            resolve_entities(connection)
    finally:
        engine.dispose()
    return _snapshot(url)


def test_entities_aliases_and_links_do_not_depend_on_how_the_input_is_cut(
    database_url: str, corpus: list[Path], tmp_path: Path
) -> None:
    plans = [(corpus, 100, 1), (corpus, 1, 1), (corpus, 7, 2), (list(reversed(corpus)), 7, 1)]
    snapshots = []
    for n, (paths, batch_size, workers) in enumerate(plans):
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'run-{n}.db'}"
        else:
            reset_database(database_url)
            url = database_url
        snapshots.append(_load_and_resolve(url, paths, batch_size, workers))
    reference = snapshots[0]
    assert reference["entities"], "the corpus produced no entities"
    assert len(reference["mentions"]) > 200
    for plan, snap in zip(plans[1:], snapshots[1:], strict=True):
        for name in SNAPSHOT_QUERIES:
            assert snap[name] == reference[name], (
                f"{name} differ with batch size {plan[1]}, workers {plan[2]}"
            )


def test_a_later_run_refines_earlier_links_and_re_running_adds_nothing(
    database_url: str, corpus: list[Path], tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        reset_database(database_url)
    half = len(corpus) // 2
    _load_and_resolve(database_url, corpus[:half], 50, 1)
    whole = _load_and_resolve(database_url, corpus, 50, 1)
    again = _load_and_resolve(database_url, corpus, 50, 1)
    assert again == whole
    # Two runs (half, then all) end where one run over everything does.
    assert whole == _load_and_resolve(f"sqlite:///{tmp_path / 'fresh.db'}", corpus, 100, 1)
    people = {name for name, type_, *_ in whole["entities"] if type_ == "PERSON"}
    assert "Chirpter" not in people
    # Name variants of one person are one row (middle initials, surnames, capitals).
    forms: dict[str, set[str]] = {}
    for name, type_, alias, *_ in whole["aliases"]:
        if type_ == "PERSON":
            forms.setdefault(name, set()).add(alias)
    assert max(len(f) for f in forms.values()) >= 2, forms
