"""Choosing among places of one name: which namesake an article means, if one stands out.

:mod:`etl.transform.nlp.places` finds the candidates and reads the article's
countries and states; these rules pick among them (or decline to):

* countries and continents win over cities and regions of the same name;
* a place in a country the article names wins; among several there, the
  larger town by less (:data:`SUPPORTED_DOMINANCE`);
* a city of :data:`BIG_CITY` people or more wins over a region of its name
  ("New York"); otherwise the region ("Delaware");
* elsewhere a city must be :data:`CITY_DOMINANCE` times as populous as the next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.transform.nlp.places import Place, PlaceKind

CITY_DOMINANCE = 5.0
"""How many times more populous a city must be than its namesakes to win."""

SMALL_CITY = 100_000
"""A city under this many people, named in one word, needs its country in the article ("Kong", "David")."""
SUPPORTED_DOMINANCE = 1.5
"""How much more populous a city must be than its namesakes in a country the article names."""
LOCAL_DOMINANCE = 2.0
"""Among namesakes in the article's own states, how much more populous the chosen town must be."""
BIG_CITY = 500_000
"""A city this populous wins over a region of the same name (New York, Washington)."""

_KIND_RANK: dict[PlaceKind, int] = {
    "country": 0,
    "continent": 1,
    "region": 2,
    "province": 2,
    "city": 2,
    "county": 2,
}
"""Countries and continents win over regions and cities of the same name (Singapore, Georgia)."""


def choose_among(candidates: list[Place], countries: set[str]) -> Place | None:
    """The place meant among namesakes read anywhere: a country first, then the article's countries, then size."""
    best_rank = min(_KIND_RANK[p.kind] for p in candidates)
    # A country or continent of that name wins over cities and regions.
    if best_rank < _KIND_RANK["region"]:
        top = [p for p in candidates if _KIND_RANK[p.kind] == best_rank]
        if len(top) == 1:
            return top[0]
    if len(candidates) == 1:
        return candidates[0]
    if countries:
        local = [p for p in candidates if p.country_code in countries]
        if len(local) == 1:
            return local[0]
        if local:
            candidates = local
    cities = sorted((p for p in candidates if p.kind == "city"), key=lambda p: p.population, reverse=True)
    regions = [p for p in candidates if p.kind in ("region", "province")]
    # "New York", "Washington": news means the big city; "Delaware": the state.
    if regions and not (cities and cities[0].population >= BIG_CITY):
        return regions[0] if len(regions) == 1 else None
    # Among namesakes in a country the article names, the larger town wins by less.
    supported = bool(cities) and cities[0].country_code in countries
    dominance = SUPPORTED_DOMINANCE if supported else CITY_DOMINANCE
    if cities and (len(cities) == 1 or cities[0].population >= dominance * max(cities[1].population, 1)):
        return cities[0]
    return None


def pick_local(places: list[Place]) -> Place | None:
    """The one place meant among namesakes in the article's region, if one stands out.

    A state wins over its towns ("New York" in New York); then the most
    populous town when it is :data:`LOCAL_DOMINANCE` times the next; a county
    only when it is the only one.
    """
    if len(places) <= 1:
        return places[0] if places else None
    regions = [p for p in places if p.kind == "region"]
    if len(regions) == 1:
        return regions[0]
    cities = sorted((p for p in places if p.kind == "city"), key=lambda p: p.population, reverse=True)
    if cities and (
        len(cities) == 1 or cities[0].population >= LOCAL_DOMINANCE * max(cities[1].population, 1)
    ):
        return cities[0]
    counties = [p for p in places if p.kind == "county"]
    if not cities and len(counties) == 1:
        return counties[0]
    return None
