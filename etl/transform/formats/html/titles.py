"""Choose the headline among the titles a page offers.

Like news-please's comparers, the choice weighs each source by how often it is
right in general (JSON-LD and OpenGraph over <title>) and by agreement: a
headline that the <h1>, og:title and JSON-LD all give is preferred to one only
the <title> gives. Titles often carry the site's name ("Headline | Site"),
which is cut off first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from etl.keys import comparable_text
from etl.transform.formats.html.metadata import Candidate

_TIGHT_SEPARATORS = re.compile(r"[|｜_：]|(?<=\S):(?=\S)(?![/\d])")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s+::\s+")
_TITLE_WEIGHT = {"jsonld": 3.0, "meta:og:title": 3.0, "h1": 2.6, "meta:twitter:title": 2.0, "title": 1.0}


def _title_weight(source: str) -> float:
    for prefix, weight in _TITLE_WEIGHT.items():
        if source.startswith(prefix):
            return weight
    return 1.5


def site_name_keys(site_names: Iterable[str]) -> set[str]:
    keys = {comparable_text(s).replace(" ", "") for s in site_names if s}
    keys.discard("")
    return keys


def is_site_name(text: str, site_keys: set[str]) -> bool:
    """Say whether ``text`` names the site (its name, or its domain's).

    A text that holds the site's name is the name only when the name is most
    of it ("Dropbox Tech Blog" for "dropbox"): a headline that mentions the
    site's own product ("How we built Dropbox sync") is still a headline.
    """
    compact = comparable_text(text).replace(" ", "")
    return bool(compact) and any(
        compact == s or (len(s) > 3 and (compact in s or (s in compact and 2 * len(s) >= len(compact))))
        for s in site_keys
    )


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """Remove a leading or trailing ``| Site`` segment naming the site."""
    keys = site_name_keys(site_names)
    separators = list(TITLE_SEPARATORS.finditer(title))
    if not separators:
        title = strip_portal_trail(title)
    if not keys:
        return title
    # "Site: Headline", the colon written as in a sentence.
    prefix = _SITE_PREFIX.match(title)
    if prefix and is_site_name(prefix[1], keys):
        title = prefix[2].strip()
        separators = list(TITLE_SEPARATORS.finditer(title))
    if not separators:
        return _strip_tight_site_name(title, keys)
    # Only the first or last segment may be the site; the middle belongs to the headline.
    first, last = separators[0], separators[-1]
    if is_site_name(title[last.end() :], keys):
        return title[: last.start()].strip()
    if is_site_name(title[: first.start()], keys):
        return title[first.end() :].strip()
    return title


_SITE_PREFIX = re.compile(r"^([^:|]{2,60}?):\s+(\S.*)$")
_PORTAL_SEPARATOR = re.compile(r"(?<=\S)_(?=\S)")
MAX_PORTAL_SEGMENT = 12


def strip_portal_trail(title: str) -> str:
    """Cut the "_Channel_Site" trail of a portal title ("Headline_Channel_Site").

    Chinese news portals join the headline, the channel and the site with
    underscores; a headline itself rarely holds one. The trail is cut only
    when every segment after the first is short, so a file name or code
    identifier in a headline survives.
    """
    parts = _PORTAL_SEPARATOR.split(title)
    if len(parts) < 3 or any(len(part) > MAX_PORTAL_SEGMENT or " " in part.strip() for part in parts[1:]):
        return title
    if len(parts[0]) <= max(len(part) for part in parts[1:]):
        return title
    return parts[0].strip()


def _strip_tight_site_name(title: str, keys: set[str]) -> str:
    """Remove a site name joined without spaces ("Headline_Section_Site", "見出し：サイト")."""
    parts = _TIGHT_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if is_site_name(parts[-1], keys):
        kept = parts[:-1]
        # "Headline_Section_Site": a short section before the site goes too.
        if len(kept) > 1 and len(kept[-1]) <= 6:
            kept = kept[:-1]
        joined = title[: title.rfind(kept[-1]) + len(kept[-1])]
        return joined.strip()
    if is_site_name(parts[0], keys):
        return title[len(parts[0]) + 1 :].strip()
    return title


def _headline_like(text: str, site_keys: set[str]) -> bool:
    """An <h1> worth considering: not the site's logo, long enough to be a headline."""
    if is_site_name(text, site_keys):
        return False
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    return cjk >= 8 or len(comparable_text(text).split()) >= 3


def _choose_heading(
    headings: list[Candidate], others: list[tuple[str, str]], site_keys: set[str]
) -> str | None:
    """The visible headline, when an <h1> can be trusted to be one.

    Readers see the <h1>; og:title and <title> are often rewritten for
    sharing and search. An <h1> that shares most words with the metadata is
    the headline; failing that, the first headline-like <h1> inside the
    <article> (or the page's only one) is.
    """
    valid = [h for h in headings if _headline_like(h.value, site_keys)]
    if not valid:
        return None
    meta_tokens = [set(comparable_text(value).split()) for value, _ in others]
    if meta_tokens:

        def overlap(candidate: Candidate) -> float:
            tokens = set(comparable_text(candidate.value).split())
            return max(len(tokens & other) / len(tokens) for other in meta_tokens) if tokens else 0.0

        best = max(valid, key=overlap)
        if overlap(best) >= 0.5:
            return best.value
    in_article = [h for h in valid if h.source == "h1-article"]
    if in_article:
        return in_article[0].value
    distinct = {comparable_text(h.value) for h in valid}
    if len(distinct) == 1 and len(comparable_text(valid[0].value).split()) >= 4:
        return valid[0].value
    return None


def choose_title(candidates: list[Candidate], site_names: list[str]) -> str | None:
    """Pick the headline: a trusted <h1>, else the metadata title most sources agree on."""
    site_keys = site_name_keys(site_names)
    headings = [c for c in candidates if c.source.startswith("h1")]
    cleaned = [
        (strip_site_name(c.value, site_names), c.source)
        for c in candidates
        if c.value.strip() and not c.source.startswith("h1")
    ]
    cleaned = [(value, source) for value, source in cleaned if comparable_text(value)]
    heading = _choose_heading(headings, cleaned, site_keys)
    if heading:
        return heading
    if not cleaned:
        return None
    scores: dict[str, float] = {}
    first: dict[str, str] = {}
    for value, source in cleaned:
        key = comparable_text(value)
        first.setdefault(key, value)
        scores[key] = max(scores.get(key, 0.0), _title_weight(source))
    # Agreement: every other source that gives the same title, or a longer
    # title that contains it (<title> "Headline - Section - Site"), supports it.
    for key in scores:
        support = {
            source
            for value, source in cleaned
            if comparable_text(value) == key or (len(key) > 15 and key in comparable_text(value))
        }
        scores[key] += 1.0 * (len(support) - 1)
    best = max(scores, key=lambda k: (scores[k], len(k)))
    return first[best]
