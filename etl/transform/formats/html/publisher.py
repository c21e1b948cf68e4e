"""The publisher's name on small sites, which rarely declare it in one place.

Sources in order of trust: ``og:site_name``; the JSON-LD ``publisher``;
another site-name field (a JSON-LD Organization or WebSite, ``application-name``);
the segment the ``<title>`` adds to the headline ("Headline | Site");
and, last, a readable name made from the domain ("quarrytide.dev" ->
"Quarrytide").
"""

from __future__ import annotations

import re

from etl.keys import comparable_text
from etl.transform.formats.html.metadata import Candidate, PageMetadata
from etl.transform.formats.html.titles import TITLE_SEPARATORS
from etl.transform.publishers import publisher_domain

MAX_NAME_WORDS = 6
MAX_SUFFIX_WORDS = 5


def _usable(value: str, titles: set[str]) -> bool:
    """A name, not a handle, a URL, a sentence or the headline itself."""
    value = value.strip()
    return (
        bool(value)
        and not value.startswith(("@", "http://", "https://", "#"))
        and len(value.split()) <= MAX_NAME_WORDS
        and len(value) <= 100
        and comparable_text(value) not in titles
    )


def title_site_segment(titles: list[Candidate], headline: str | None) -> str | None:
    """The site name a <title> adds around the headline ("Headline - Site", "Site: Headline")."""
    if not headline:
        return None
    wanted = comparable_text(headline)
    for candidate in titles:
        if candidate.source not in ("title", "meta:og:title"):
            continue
        text = candidate.value
        separators = list(TITLE_SEPARATORS.finditer(text))
        if not separators:
            continue
        last, first = separators[-1], separators[0]
        if comparable_text(text[: last.start()]) == wanted:
            segment = text[last.end() :].strip()
        elif comparable_text(text[first.end() :]) == wanted:
            segment = text[: first.start()].strip()
        else:
            continue
        if segment and len(segment.split()) <= MAX_SUFFIX_WORDS:
            return segment
    return None


def name_from_domain(url: str | None) -> str | None:
    """A readable name from the site's domain: "lakeside-ledger.co.uk" -> "Lakeside Ledger"."""
    domain = publisher_domain(url)
    if not domain:
        return None
    stem = domain.split(".")[0]
    words = [w for w in re.split(r"[-_]+", stem) if w]
    if not words or any(w.isdigit() for w in words):
        return None
    return " ".join(w.capitalize() for w in words)


def choose_publisher(meta: PageMetadata, headline: str | None, url: str | None) -> str | None:
    """The publisher's name, from the most trusted source that gives a usable one."""
    titles = {comparable_text(c.value) for c in meta.titles}
    if headline:
        titles.add(comparable_text(headline))
    og = [c for c in meta.site_names if c.source == "meta:og:site_name"]
    jsonld = [c for c in meta.publishers if c.source.startswith("jsonld")]
    others = [c for c in meta.publishers + meta.site_names if c not in og and c not in jsonld]
    for candidate in og + jsonld + others:
        if _usable(candidate.value, titles):
            return candidate.value.strip()
    return title_site_segment(meta.titles, headline) or name_from_domain(url)
