"""A small corpus for the SQL and BI tests, loaded by the real pipeline.

Six short stories written for newsetl's tests (none is copied from a
publisher): two publishers, two weeks in March 2024, named and anonymous
quotes, people and places that recur across articles. Metadata comes from
JSONL fields so it does not depend on the wire-copy parser; entities and
quotes come from spaCy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import Settings
from etl.pipeline import run_pipeline
from tests.articles import write_jsonl
from tests.databases import reset_database, server_urls

HERALD = "Harbour Herald"
NORTHERN = "Northern Wire"

RECORDS: list[dict[str, object]] = [
    {
        "title": "Copenhagen port approves harbour expansion",
        "text": (
            "COPENHAGEN (Harbour Herald) – The port authority of Copenhagen on Monday approved a plan to deepen the northern "
            "harbour, ending a three-year dispute with fishing cooperatives.\n\n"
            "“We listened to every objection and changed the plan twice,” said Sarah Mitchell, "
            "the authority's chairwoman.\n\n"
            "“The cooperatives will appeal within a month,” a senior port official said on condition of "
            "anonymity.\n\n"
            "The dredging contract is expected to go to a Danish company before the summer."
        ),
        "author": "Maria Jensen",
        "date": "2024-03-04T09:00:00+01:00",
        "url": "https://herald.example.org/2024/03/04/harbour",
        "publisher": HERALD,
    },
    {
        "title": "Fishing cooperatives weigh appeal over Copenhagen dredging",
        "text": (
            "COPENHAGEN (Harbour Herald) – Fishing cooperatives said on Wednesday they would decide within weeks whether to "
            "challenge the harbour plan approved by the port authority.\n\n"
            "“Our boats need the northern channel in winter,” said James Porter, who leads the largest "
            "cooperative.\n\n"
            "“The plan protects the winter channel,” said Sarah Mitchell, the port authority's chairwoman."
        ),
        "author": "Tom Okafor",
        "date": "2024-03-06T14:30:00+01:00",
        "url": "https://herald.example.org/2024/03/06/appeal",
        "publisher": HERALD,
    },
    {
        "title": "Oslo ferry operator orders three electric ships",
        "text": (
            "OSLO (Northern Wire) – A ferry operator in Oslo has ordered three electric ships for its routes to Denmark, "
            "the company said on Tuesday.\n\n"
            "“Electric ferries will cut our fuel bill by half,” said Kari Lund, the operator's chief "
            "executive.\n\n"
            "“The order was larger than the board expected,” a person familiar with the talks said.\n\n"
            "The ships are due to enter service in Norway in 2026."
        ),
        "author": "Ines Duarte",
        "date": "2024-03-12T08:15:00+01:00",
        "url": "https://northern.example.com/oslo-ferries",
        "publisher": NORTHERN,
    },
    {
        "title": "Copenhagen and Oslo sign shipping pact",
        "text": (
            "OSLO (Northern Wire) – The ports of Copenhagen and Oslo signed an agreement on Wednesday to share pilots and "
            "harbour data.\n\n"
            "“Two harbours working together can plan for bigger ships,” said Sarah Mitchell, who signed "
            "for Copenhagen.\n\n"
            "“We expect more ferries between the cities,” said Kari Lund, whose company runs the route."
        ),
        "author": ["Ines Duarte", "Tom Okafor"],
        "date": "2024-03-13T11:00:00+01:00",
        "url": "https://northern.example.com/shipping-pact",
        "publisher": NORTHERN,
    },
    {
        "title": "Harbour dredging starts in Copenhagen",
        "text": (
            "COPENHAGEN (Harbour Herald) – Dredging began in the northern harbour of Copenhagen on Thursday, ten days after "
            "the plan was approved.\n\n"
            "“The first ships will use the deeper channel in May,” said Sarah Mitchell.\n\n"
            "“Nobody asked the fishermen about the timing,” a cooperative member said."
        ),
        "author": "Maria Jensen",
        "date": "2024-03-14T10:00:00+01:00",
        "url": "https://herald.example.org/2024/03/14/dredging",
        "publisher": HERALD,
    },
    {
        "title": "Museum extends opening hours",
        "text": (
            "The maritime museum will stay open until 9 p.m. on Fridays from April, its director said. "
            "Visitor numbers rose last year after the museum added a gallery about lighthouses."
        ),
        "author": "Tom Okafor",
        "date": "2024-03-15T16:00:00+01:00",
        "url": "https://herald.example.org/2024/03/15/museum",
        "publisher": HERALD,
    },
]


def load_corpus(url: str, folder: Path) -> None:
    """Load RECORDS with NLP (entities and quotes) through the real pipeline."""
    write_jsonl(folder, "news.jsonl", RECORDS)
    run_pipeline(Settings(paths=(folder,), database_url=url))


def backend_params() -> list[object]:
    """SQLite plus every server in NEWSETL_TEST_DATABASE_URLS, as pytest params."""
    from tests.databases import backend_id

    return [pytest.param("sqlite", id="sqlite")] + [pytest.param(u, id=backend_id(u)) for u in server_urls()]


def fresh_url(param: str, folder: Path) -> str:
    """An empty database for ``param`` (SQLite: a new file in ``folder``)."""
    if param == "sqlite":
        return f"sqlite:///{folder / 'bi.db'}"
    reset_database(param)
    return param


@pytest.fixture(scope="module", params=backend_params())
def corpus_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database per backend holding RECORDS, loaded once per test module."""
    folder = tmp_path_factory.mktemp("bi_corpus")
    url = fresh_url(request.param, folder)
    load_corpus(url, folder / "in")
    yield url
