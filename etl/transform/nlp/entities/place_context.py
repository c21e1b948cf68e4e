"""Which places an article means: each name read against the others and the dateline.

"Paris" in a story that names Texas is Paris, Texas; "Georgia" among American
places is the state. A name's own reading never vouches for itself ("Georgia"
the country must not make the article Georgian).

Local news often names no state at all, only its towns: "Lebanon" and
"Sweet Home". When names that only US places carry are there, the state where
most of the article's names have a namesake (two or more, one state ahead of
the rest) is taken as the article's region: a nearby region is support. It
reads a country's name as a town of that state only when two other names
vouch for the state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from etl.transform.nlp.places import Gazetteer, Place


def place_codes(place: Place | None) -> set[str]:
    """What a resolved place says about the article's region: its country, its US state."""
    if place is None or not place.country_code:
        return set()
    if place.country_code == "US" and place.admin1:
        return {"US", f"US-{place.admin1}"}
    return {place.country_code}


def inferred_state(gaz: Gazetteer, names: Iterable[str]) -> tuple[str | None, int]:
    """The US state most of the article's place names have a namesake in, when American names vouch for it.

    Returns the state (or None) and how many names have a namesake there.
    """
    states: Counter[str] = Counter()
    american: Counter[str] = Counter()
    for name in names:
        found = gaz.us_states_of(name)
        states.update(found)
        if found and gaz.only_us(name):
            american.update(found)
    ranked = states.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None, 0
    state, support = ranked[0]
    return (state, support) if american[state] else (None, 0)


def resolve_article_places(
    gaz: Gazetteer, names: Mapping[str, str], dateline_places: Iterable[str], regions: Iterable[str] = ()
) -> tuple[dict[str, Place | None], set[str]]:
    """Resolve each place name (key -> text as written); return the places and the article's region codes.

    ``regions`` holds region codes the article gives otherwise (a state's
    public body at work in it, see :mod:`.state_bodies`); they count as the
    dateline's do.
    """
    first = {key: gaz.resolve(text).place for key, text in names.items()}
    dateline: set[str] = set(regions)
    for dateline_place in dateline_places:
        for part in dateline_place.split(","):
            dateline |= place_codes(gaz.resolve(part).place)
    state, support = inferred_state(gaz, names.values())
    votes: Counter[str] = Counter()
    for key, place in first.items():
        # With an inferred state, a name with a namesake there ("Lebanon")
        # vouches for no place abroad.
        codes = place_codes(place)
        if state is not None and state in gaz.us_states_of(names[key]):
            codes = {c for c in codes if c == "US" or c.startswith("US-")}
        votes.update(codes)
    region = {"US", f"US-{state}"} if state else set()
    places: dict[str, Place | None] = {}
    for key, text in names.items():
        reading = first[key]
        own = place_codes(reading)
        # An inferred region outweighs a country's own name ("Lebanon") only
        # when two other names vouch for it.
        country = reading is not None and reading.kind == "country"
        near = region if not country or support - (state in gaz.us_states_of(text)) >= 2 else set()
        context = {c for c, n in votes.items() if n > (1 if c in own else 0)} | dateline | near
        places[key] = gaz.resolve(text, context).place
    return places, dateline.union(region, *(place_codes(p) for p in places.values()))
