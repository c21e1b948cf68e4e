"""One publisher key per outlet, however it is written."""

from __future__ import annotations

import pytest

from etl.transform.publishers import domain_of, publisher_domain, publisher_key


@pytest.mark.parametrize(
    "name,domain",
    [
        ("NYTimes", None),
        ("The New York Times", None),
        ("new york times", None),
        (None, "nytimes.com"),
        (None, "https://www.nytimes.com/2024/01/01/us/story.html"),
        ("The New York Times", "www.nytimes.com"),
        ("nytimes.com", None),
        ("NYT", None),
    ],
)
def test_new_york_times_spellings_share_one_key(name: str | None, domain: str | None) -> None:
    assert publisher_key(name, domain) == "nytimes"


def test_wire_services_meet_their_domains() -> None:
    assert publisher_key("The Associated Press") == publisher_key("AP") == publisher_key(None, "apnews.com")
    assert publisher_key("Reuters") == publisher_key(None, "www.reuters.com")


def test_unknown_outlet_name_meets_its_domain() -> None:
    assert publisher_key("The Springfield Gazette") == publisher_key(None, "springfieldgazette.com")
    assert publisher_key("Springfield Gazette") != publisher_key("Shelbyville Gazette")


def test_domain_is_registrable_domain_except_on_platforms() -> None:
    assert publisher_domain("https://edition.cnn.com/world") == "cnn.com"
    assert publisher_domain("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert publisher_domain("https://janedoe.substack.com/p/post") == "janedoe.substack.com"
    assert publisher_key(None, "janedoe.substack.com") != publisher_key(None, "johnroe.substack.com")
    assert publisher_key("BBC News", "news.bbc.co.uk") == publisher_key("BBC", None) == "bbc"


def test_empty_inputs() -> None:
    assert publisher_key(None, None) is None
    assert publisher_key("  ", None) is None
    assert domain_of(None) is None
    assert publisher_domain("") is None
