"""Bylines -> contributors: split names, drop what is not a person."""

from __future__ import annotations

import re

from etl.records import ContributorRecord, ContributorRole

_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|\band\b|&|;)\s*", re.IGNORECASE)


def parse_byline(byline: str, role: ContributorRole = "author") -> list[ContributorRecord]:
    """Split "By A, B and C" into contributors."""
    text = _BY.sub("", byline).strip()
    names = [name.strip() for name in _SPLIT.split(text) if name.strip()]
    return [ContributorRecord(name=name, role=role) for name in names]
