"""The registry of agencies and outlets: one entry per organisation, read by everyone who needs it."""

from __future__ import annotations

from etl.transform.bylines import canonical_agency
from etl.transform.outlets import agency_names_in_text, outlets, spelling_key
from etl.transform.publishers import publisher_key


def test_no_spelling_names_two_organisations() -> None:
    seen: dict[str, str] = {}
    for outlet in outlets():
        for spelling in outlet.all_spellings:
            key = spelling_key(spelling)
            assert seen.setdefault(key, outlet.name) == outlet.name, f"{spelling!r} names two outlets"


def test_ambiguous_spellings_are_spellings_of_their_entry() -> None:
    for outlet in outlets():
        assert outlet.ambiguous <= set(outlet.all_spellings), outlet.name


def test_every_agency_spelling_resolves_to_its_canonical_name() -> None:
    for outlet in outlets():
        if outlet.agency:
            for spelling in outlet.all_spellings:
                assert canonical_agency(f"({spelling.upper()})") == outlet.name


def test_staff_words_after_an_agency_do_not_change_it() -> None:
    assert canonical_agency("Reuters Staff") == "Reuters"
    assert canonical_agency("AP staff writers") == "Associated Press"


def test_running_text_names_leave_out_ambiguous_spellings_and_a_leading_the() -> None:
    names = set(agency_names_in_text())
    assert {"Reuters", "Associated Press", "PA Media", "Canadian Press"} <= names
    assert not {"PA", "CP", "Dow Jones", "Bloomberg", "The Associated Press"} & names


def test_an_outlet_keys_the_same_from_its_domain_and_every_spelling() -> None:
    for outlet in outlets():
        if outlet.domain:
            key = publisher_key(None, outlet.domain)
            for spelling in outlet.all_spellings:
                assert publisher_key(spelling) == key, spelling


def test_outlets_are_not_agencies() -> None:
    assert canonical_agency("The New York Times") is None
    assert canonical_agency("Springfield Gazette") is None
