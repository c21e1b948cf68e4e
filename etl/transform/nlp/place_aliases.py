"""Rows of ``data/place_aliases.txt``: the place names and points the packages lack (see its header)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def curated_rows() -> Iterable[list[str]]:
    """The file's rows with at least a name and a target, comments left out."""
    with (DATA_DIR / "place_aliases.txt").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 2:
                yield row


def curated_country_points() -> dict[str, list[float]]:
    """``CC<TAB>point:lat:lon`` rows: a country's point where the package's is a rough one."""
    points: dict[str, list[float]] = {}
    for row in curated_rows():
        if row[1].startswith("point:"):
            _, lat, lon = row[1].split(":")
            points[row[0].strip()] = [float(lat), float(lon)]
    return points
