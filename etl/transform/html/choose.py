"""Choose one value per field among the candidates a page offers.

Like news-please's comparers, the choice weighs each source by how often it is
right in general (JSON-LD and OpenGraph over <title>) and by agreement: a
headline that the <h1>, og:title and JSON-LD all give is preferred to one only
the <title> gives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from etl.records import ContributorRecord
from etl.transform.dates import parse_date
from etl.transform.html.byline import BylineCandidate, strip_by
from etl.transform.html.metadata import AuthorCandidate, Candidate

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s+::\s+")
_TITLE_WEIGHT = {"jsonld": 3.0, "meta:og:title": 3.0, "h1": 2.6, "meta:twitter:title": 2.0, "title": 1.0}


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form for comparing values."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _title_weight(source: str) -> float:
    for prefix, weight in _TITLE_WEIGHT.items():
        if source.startswith(prefix):
            return weight
    return 1.5


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """Remove a leading or trailing ``| Site`` segment naming the site."""
    sites = {normalize(s) for s in site_names if s}
    sites.discard("")
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not sites:
        return title
    compact_sites = {s.replace(" ", "") for s in sites}

    def is_site(part: str) -> bool:
        norm = normalize(part)
        compact = norm.replace(" ", "")
        return bool(norm) and (
            norm in sites
            or compact in compact_sites
            or any(compact and (compact in s or s in compact) for s in compact_sites if len(s) > 3)
        )

    # Only the first or last segment may be the site; the middle belongs to the headline.
    match = _TITLE_SEPARATORS.search(title)
    last = list(_TITLE_SEPARATORS.finditer(title))[-1]
    if is_site(title[last.end() :]):
        return title[: last.start()].strip()
    if match and is_site(title[: match.start()]):
        return title[match.end() :].strip()
    return title


def choose_title(candidates: list[Candidate], site_names: list[str]) -> str | None:
    """Pick the headline: the candidate with the most weight plus agreement."""
    cleaned = [(strip_site_name(c.value, site_names), c.source) for c in candidates if c.value.strip()]
    cleaned = [(value, source) for value, source in cleaned if normalize(value)]
    if not cleaned:
        return None
    meta_tokens = [set(normalize(v).split()) for v, source in cleaned if source != "h1"]
    scores: dict[str, float] = {}
    first: dict[str, str] = {}
    for value, source in cleaned:
        key = normalize(value)
        first.setdefault(key, value)
        weight = _title_weight(source)
        if source == "h1" and meta_tokens:
            # The visible headline is what readers see, so it beats a social
            # title (og:title is often rewritten for sharing) -- but only an
            # <h1> that shares words with the metadata is the headline and
            # not a logo or section banner.
            tokens = set(key.split()) or {key}
            overlap = max(len(tokens & other) / len(tokens) for other in meta_tokens)
            weight = 3.2 if overlap >= 0.4 else 1.2
        scores[key] = max(scores.get(key, 0.0), weight)
    # Agreement: every other source that gives the same title, or a longer
    # title that contains it (<title> "Headline - Section - Site"), supports it.
    for key in scores:
        support = {
            source
            for value, source in cleaned
            if normalize(value) == key or (len(key) > 15 and key in normalize(value))
        }
        scores[key] += 1.0 * (len(support) - 1)
    best = max(scores, key=lambda k: (scores[k], len(k)))
    return first[best]


def parse_when(text: str) -> tuple[datetime, bool] | None:
    """Parse a date as written into (value, tz_known); None unless it holds a year.

    dateutil's fuzzy parser turns "5 minutes ago" into today; requiring a
    four-digit year (or an epoch number) keeps such noise out.
    """
    text = text.strip()
    if re.fullmatch(r"\d{10}(\d{3})?", text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC), True
    if not re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = parse_date(text)
        if parsed is None:
            return None
        return parsed.value, parsed.tz_known
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), False
    return value.astimezone(UTC), True


_DATE_RANK = (
    "jsonld:datePublished",
    "meta:article:published_time",
    "meta:og:article:published_time",
    "itemprop",
    "meta:",
    "time-pub",
    "jsonld:dateCreated",
    "jsonld-page:datePublished",
    "time",
    "jsonld-page",
)


def _date_rank(source: str) -> int:
    for rank, prefix in enumerate(_DATE_RANK):
        if source.startswith(prefix):
            return rank
    return len(_DATE_RANK)


@dataclass(frozen=True, slots=True)
class ChosenDate:
    value: datetime
    tz_known: bool
    text: str


def choose_date(candidates: list[Candidate]) -> ChosenDate | None:
    """Pick the most trusted parseable date; prefer a zoned twin of the same day."""
    parsed = []
    for order, candidate in enumerate(candidates):
        when = parse_when(candidate.value)
        if when is not None and 1990 <= when[0].year <= 2100:
            parsed.append((_date_rank(candidate.source), order, when, candidate.value))
    if not parsed:
        return None
    parsed.sort(key=lambda item: (item[0], item[1]))
    _, _, (value, tz_known), text = parsed[0]
    if not tz_known:
        for _, _, (other, other_known), other_text in parsed[1:]:
            if other_known and other.date() == value.date():
                return ChosenDate(other, True, other_text)
    return ChosenDate(value, tz_known, text)


def choose_first(candidates: list[Candidate], exclude: Iterable[str] = ()) -> str | None:
    """The first candidate value not in ``exclude`` (compared normalised)."""
    excluded = {normalize(e) for e in exclude}
    for candidate in candidates:
        if candidate.value.strip() and normalize(candidate.value) not in excluded:
            return candidate.value.strip()
    return None


# Words after which a byline stops naming people ("Jane Doe, Senior Editor").
_TITLE_WORDS = {
    "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "contributing", "producer",
    "senior", "chief", "fellow", "executive", "associate", "intern", "photographer", "director", "ceo",
    "founder", "manager", "analyst", "host", "president", "professor", "special", "deputy", "managing",
}
# Words that never belong to a name: widgets, dates and times around a byline.
_JUNK_WORDS = {
    "updated", "published", "posted", "min", "mins", "read", "follow", "email", "photo", "photos", "video",
    "share", "comments", "comment", "view", "profile", "archive", "rss", "feed", "more", "stories", "bio",
    "see", "full", "twitter", "facebook", "instagram", "linkedin", "subscribe", "ago", "am", "pm", "et",
    "edt", "est", "gmt", "utc", "pst", "pdt", "cst", "cdt", "bst", "cet", "today", "yesterday", "hours",
    "minutes", "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "author", "authors",
    "admin", "administrator", "anonymous", "unknown", "guest", "sponsored", "advertisement", "by", "and",
}
_ORG_WORDS = {
    "news", "media", "times", "post", "daily", "magazine", "press", "tv", "radio", "network", "group", "inc",
    "blog", "online", "journal", "com", "herald", "tribune", "gazette", "agency", "channel", "digital",
}
# Lower-case words that do belong inside names.
_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "bin", "al", "ibn"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# CJK credit labels: "文●", "作者：", "記者", "翻訳者" (translator: not an author).
_CJK_LABEL = re.compile(r"^(?:文|作者|著者|筆者|記者|撰文|作者|执笔|取材|写真|撮影)\s*[●・:：/／]?\s*")
_CJK_STOP = re.compile(r"\s*(?:翻訳者?|翻译|編集|编辑|撮影|写真|構成).*$")


def trim_name(name: str) -> str:
    """Cut a byline fragment down to the name it starts with.

    "Sam Stein Senior Politics Editor" -> "Sam Stein", "Jane Doe in Paris" ->
    "Jane Doe", "More stories by Jane Doe" -> "Jane Doe".
    """
    name = re.split(r"\s*[(\[{]", name.strip(), maxsplit=1)[0] if not name.startswith(("(", "[")) else name
    name = name.strip(" []()【】「」.,;:-–—")
    match = re.search(r"\bby\s+(?=\S)", name, flags=re.I)
    if match and match.start() > 0:
        name = name[match.end():]
    if _CJK.search(name):
        name = _CJK_STOP.sub("", _CJK_LABEL.sub("", name))
        return name.strip(" []()【】「」.,;:・●")
    kept: list[str] = []
    for word in name.split():
        bare = normalize(word)
        if not bare:
            continue
        if bare in _TITLE_WORDS or bare in _JUNK_WORDS:
            break
        if word[:1].isalpha() and word[:1].islower() and bare not in _PARTICLES:
            break
        kept.append(word)
    return " ".join(kept).strip(" .,;:-–—")


def plausible_name(name: str, site_names: Iterable[str] = ()) -> bool:
    """Say whether a (trimmed) byline fragment reads as a person's or desk's name.

    Rejects URLs, handles, dates and the site's own name when it is an
    outlet's ("ABC News"), which pages put in author fields when nobody is
    credited; a blog named after its author keeps the author.
    """
    name = name.strip()
    if not 2 <= len(name) <= 60 or re.search(r"\d|@|https?:|www\.|/|\||=", name):
        return False
    words = normalize(name).split()
    if not words or len(words) > 5:
        return False
    if all(word in _JUNK_WORDS or word in _TITLE_WORDS for word in words):
        return False
    compact = "".join(words)
    for site in site_names:
        site_compact = normalize(site).replace(" ", "")
        if site_compact and (compact == site_compact or (len(compact) > 4 and compact in site_compact)):
            if any(word in _ORG_WORDS for word in words) or len(words) == 1 or "." in site:
                return False
    latin = [w for w in name.split() if w[:1].isascii() and w[:1].isalpha()]
    # A Latin-script name has capitalised words ("de", "van" aside); all lower case is prose.
    return not latin or any(w[:1].isupper() for w in latin) or len(latin) == 1


def _clean_byline(text: str) -> str:
    """Cut a visible byline at the first separator that follows the names."""
    text = strip_by(" ".join(text.split()))
    text = re.split(r"\s*[|•·\n]\s*|\s+-\s+|\s+—\s+", text, maxsplit=1)[0]
    return strip_by(text)


def split_names(text: str, site_names: Iterable[str] = ()) -> list[str]:
    """Split a byline into plausible names (via etl.transform.authors)."""
    from etl.transform.authors import parse_byline

    text = _clean_byline(text)
    if _CJK.search(text):
        text = re.sub(r"[，、／]", ",", text)
    names = []
    for contributor in parse_byline(text):
        name = trim_name(contributor.name)
        if plausible_name(name, site_names) and name not in names:
            names.append(name)
    return names


_AUTHOR_WEIGHT = {
    "jsonld": 3.0,
    "itemprop": 2.6,
    "meta": 2.0,
    "rel-author": 2.2,
    "author-link": 2.0,
    "class": 1.8,
    "class-text": 1.2,
    "jsonld-page": 1.0,
}


def choose_authors(
    structured: list[AuthorCandidate], visible: list[BylineCandidate], site_names: list[str]
) -> list[ContributorRecord]:
    """Pick the author list: the best-weighted source, supported by agreement.

    Each source (JSON-LD, microdata, <meta>, classed byline, rel=author)
    proposes a list of names; a source whose names other sources repeat wins
    over a lone one, so a JSON-LD "Staff" or a stray "author" widget loses to
    the byline that the metadata confirms.
    """
    proposals: dict[str, list[str]] = {}
    for candidate in structured:
        if candidate.is_person is False:
            continue
        group = candidate.source.split(":")[0]
        for name in split_names(candidate.name, site_names):
            if name not in proposals.setdefault(group, []):
                proposals[group].append(name)
    for byline in visible:
        for name in split_names(byline.text, site_names):
            if name not in proposals.setdefault(byline.source, []):
                proposals[byline.source].append(name)
    proposals = {group: names for group, names in proposals.items() if names}
    if not proposals:
        return []
    keys = {group: {normalize(n) for n in names} for group, names in proposals.items()}

    def score(group: str) -> float:
        support = sum(1 for other, names in keys.items() if other != group and names & keys[group])
        # A "byline" class that swept up a whole list of teaser authors is suspect.
        size_penalty = 0.5 * max(0, len(keys[group]) - 4)
        return _AUTHOR_WEIGHT.get(group, 1.0) + 1.0 * support - size_penalty

    best = max(proposals, key=score)
    return [ContributorRecord(name=name, role="author") for name in proposals[best]]
