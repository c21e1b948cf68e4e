"""Choose one value per field among the candidates a page offers.

Like news-please's comparers, the choice weighs each source by how often it is
right in general (JSON-LD and OpenGraph over <title>) and by agreement: a
headline that the <h1>, og:title and JSON-LD all give is preferred to one only
the <title> gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from etl.keys import comparable_text
from etl.records import ContributorRecord
from etl.transform.dates import parse_date
from etl.transform.formats.html.byline import BylineCandidate, strip_by
from etl.transform.formats.html.metadata import AuthorCandidate, Candidate

_TIGHT_SEPARATORS = re.compile(r"[|｜_：]|(?<=\S):(?=\S)(?![/\d])")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s+::\s+")
_TITLE_WEIGHT = {"jsonld": 3.0, "meta:og:title": 3.0, "h1": 2.6, "meta:twitter:title": 2.0, "title": 1.0}


def _title_weight(source: str) -> float:
    for prefix, weight in _TITLE_WEIGHT.items():
        if source.startswith(prefix):
            return weight
    return 1.5


def _site_keys(site_names: Iterable[str]) -> set[str]:
    keys = {comparable_text(s).replace(" ", "") for s in site_names if s}
    keys.discard("")
    return keys


def is_site_name(text: str, site_keys: set[str]) -> bool:
    """Say whether ``text`` names the site (its name, or its domain's)."""
    compact = comparable_text(text).replace(" ", "")
    return bool(compact) and any(
        compact == s or (len(s) > 3 and (compact in s or s in compact)) for s in site_keys
    )


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """Remove a leading or trailing ``| Site`` segment naming the site."""
    keys = _site_keys(site_names)
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not keys:
        return title
    if not separators:
        return _strip_tight_site_name(title, keys)
    # Only the first or last segment may be the site; the middle belongs to the headline.
    first, last = separators[0], separators[-1]
    if is_site_name(title[last.end() :], keys):
        return title[: last.start()].strip()
    if is_site_name(title[: first.start()], keys):
        return title[first.end() :].strip()
    return title


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
    site_keys = _site_keys(site_names)
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


@dataclass(frozen=True, slots=True)
class ChosenDate:
    value: datetime
    tz_known: bool
    text: str


_CJK_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_]|$)")


def date_in_url(url: str | None) -> ChosenDate | None:
    """The day in a dated URL path (``/2016/12/15/slug``), zone unknown."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        year, month, day_of_month = (int(g) for g in match.groups())
        day = datetime(year, month, day_of_month, tzinfo=UTC)
    except ValueError:
        return None
    return ChosenDate(day, False, match.group(0))


def parse_when(text: str) -> tuple[datetime, bool] | None:
    """Parse a date as written into (value, tz_known); None unless it holds a year.

    dateutil's fuzzy parser turns "5 minutes ago" into today; requiring a
    four-digit year (or an epoch number) keeps such noise out.
    """
    text = text.strip()
    cjk = _CJK_DATE.search(text)
    if cjk:
        year, month, day = (int(g) for g in cjk.groups())
        try:
            return datetime(year, month, day, tzinfo=UTC), False
        except ValueError:
            return None
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
    "visible",
)


def _date_rank(source: str) -> int:
    for rank, prefix in enumerate(_DATE_RANK):
        if source.startswith(prefix):
            return rank
    return len(_DATE_RANK)


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
    excluded = {comparable_text(e) for e in exclude}
    for candidate in candidates:
        if candidate.value.strip() and comparable_text(candidate.value) not in excluded:
            return candidate.value.strip()
    return None


# fmt: off
# Words after which a byline stops naming people ("Jane Doe, Senior Editor").
_TITLE_WORDS = frozenset({
    "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "contributing", "producer",
    "senior", "chief", "fellow", "executive", "associate", "intern", "photographer", "director", "ceo",
    "founder", "manager", "analyst", "host", "president", "professor", "special", "deputy", "managing",
})
# Words that never belong to a name: widgets, dates and times around a byline.
_JUNK_WORDS = frozenset({
    "updated", "published", "posted", "min", "mins", "read", "follow", "email", "photo", "photos", "video",
    "share", "comments", "comment", "view", "profile", "archive", "rss", "feed", "more", "stories", "bio",
    "see", "full", "twitter", "facebook", "instagram", "linkedin", "subscribe", "ago", "am", "pm", "et",
    "edt", "est", "gmt", "utc", "pst", "pdt", "cst", "cdt", "bst", "cet", "today", "yesterday", "hours",
    "minutes", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "author", "authors",
    "admin", "administrator", "anonymous", "unknown", "guest", "sponsored", "advertisement", "by", "and",
    "about", "article", "date", "css", "live", "the", "agencies", "print", "listen", "save", "close", "menu",
    "edit", "login", "logout", "search", "home", "contact",
})
# Credits that name a desk but nobody ("Staff", "Editorial Staff"); "AOL Staff" keeps its outlet.
_DESK_WORDS = frozenset({"staff", "editorial", "desk", "team", "newsroom", "editors", "news"})
# Words of institutions, which a byline field sometimes holds instead of people.
_INSTITUTION_WORDS = frozenset({
    "department", "ministry", "police", "university", "council", "committee", "association", "foundation",
    "institute", "administration", "commission", "authority", "program", "programme", "customs",
    "protection", "office", "government", "corporation", "company", "society", "center", "centre",
})
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
})
_ORG_WORDS = frozenset({
    "news", "media", "times", "post", "daily", "magazine", "press", "tv", "radio", "network", "group",
    "inc", "blog", "online", "journal", "com", "herald", "tribune", "gazette", "agency", "channel",
    "digital", "globe", "chronicle", "courier", "ledger", "examiner", "observer", "telegraph", "bulletin",
})
# Lower-case words that do belong inside names.
_PARTICLES = frozenset({
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "bin", "al",
    "ibn",
})
# fmt: on
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# CJK credit labels: "文●", "作者：", "記者", "翻訳者" (translator: not an author).
_CJK_LABEL = re.compile(r"^(?:文|作者|著者|筆者|記者|撰文|作者|执笔|取材|写真|撮影)\s*[●・:：/／]?\s*")
_CJK_STOP = re.compile(r"\s*(?:翻訳者?|翻译|編集|编辑|撮影|写真|構成).*$")


def trim_name(name: str, site_keys: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """Cut a byline fragment down to the name it starts with.

    "Sam Stein Senior Politics Editor" -> "Sam Stein", "Jane Doe in Paris" ->
    "Jane Doe", "More stories by Jane Doe" -> "Jane Doe".
    """
    name = re.split(r"\s*[(\[{]", name.strip(), maxsplit=1)[0] if not name.startswith(("(", "[")) else name
    name = name.strip(" []()【】「」.,;:-–—")
    match = re.search(r"\bby\s+(?=\S)", name, flags=re.I)
    if match and match.start() > 0:
        name = name[match.end() :]
    if _CJK.search(name):
        name = _CJK_STOP.sub("", _CJK_LABEL.sub("", name))
        return name.strip(" []()【】「」.,;:・●")
    kept: list[str] = []
    words = name.split()
    for index, word in enumerate(words):
        bare = comparable_text(word)
        if not bare:
            continue
        if bare in _TITLE_WORDS or bare in _JUNK_WORDS or re.search(r"\d", word):
            break
        # "April", "June", "May" are names too; a month is followed by a number.
        following = words[index + 1] if index + 1 < len(words) else ""
        if bare in _MONTHS and re.match(r"\d", following):
            break
        if word[:1].isalpha() and word[:1].islower() and bare not in _PARTICLES:
            break
        kept.append(word)
    # The site's own name run on after the person's.
    for index in range(1, len(kept)):
        tail = "".join(comparable_text(word) for word in kept[index:]).replace(" ", "")
        if any(len(key) >= 4 and tail.startswith(key) for key in site_keys):
            kept = kept[:index]
            break
    # "Jane Doe Associated Press", "Joe Doe Washington Post": an outlet run on
    # after the person's name; the outlet starts a word before its last word
    # ("Post", "Press") at most, and the person keeps two words at least.
    for index in range(2, len(kept)):
        if comparable_text(kept[index]) in _OUTLET_WORDS:
            cut = index - 1 if index >= 3 and kept[index - 1][:1].isupper() else index
            kept = kept[:cut]
            break
    return " ".join(kept).strip(" .,;:-–—")


def plausible_name(name: str, site_names: Iterable[str] = ()) -> bool:
    """Say whether a (trimmed) byline fragment reads as a person's or desk's name.

    Rejects URLs, handles, dates and the site's own name when it is an
    outlet's ("ABC News"), which pages put in author fields when nobody is
    credited; a blog named after its author keeps the author.
    """
    name = name.strip()
    if not 2 <= len(name) <= 60 or re.search(r"\d|@|https?:|www\.|/|\||=|\w\.(?:com|net|org|co)\b", name):
        return False
    words = comparable_text(name).split()
    if not words or len(words) > 5:
        return False
    if all(word in _JUNK_WORDS or word in _TITLE_WORDS or word in _DESK_WORDS for word in words):
        return False
    if any(word in _INSTITUTION_WORDS for word in words):
        return False
    compact = "".join(words)
    for site in site_names:
        site_compact = comparable_text(site).replace(" ", "")
        if site_compact and (compact == site_compact or (len(compact) > 4 and compact in site_compact)):
            is_outlet = any(word in _ORG_WORDS for word in words) or len(words) == 1 or "." in site
            if is_outlet:
                return False
    latin = [w for w in name.split() if w[:1].isascii() and w[:1].isalpha()]
    # A Latin-script name has capitalised words ("de", "van" aside); all lower case is prose.
    return not latin or any(w[:1].isupper() for w in latin) or len(latin) == 1


_SIMPLE_SEPARATORS = re.compile(r"\s*(?:,|\band\b|&|;|\bund\b|\bet\b|\by\b)\s*", re.I)


def _segment_names(segment: str, site_names: Iterable[str], site_keys: set[str]) -> list[str]:
    """Names in one byline segment.

    :func:`etl.transform.bylines.split_byline` knows agencies, job titles and
    name shapes; what it turns down (CJK names, desk credits such as "Metro
    Desk", a lone given name) is split on separators here and kept when it
    passes :func:`plausible_name`.
    """
    from etl.transform.bylines import split_byline

    people = split_byline(segment).people
    raw = list(people) if people else _SIMPLE_SEPARATORS.split(segment)
    names: list[str] = []
    for part in raw:
        name = trim_name(part, site_keys)
        if plausible_name(name, site_names) and name not in names:
            names.append(name)
    return names


def _cut_at_site_name(text: str, site_names: Iterable[str]) -> str:
    """Cut "By Jane Doe, Daily Planet, Metropolis" at the site's own name.

    What follows the outlet in a byline is the writer's bureau or beat,
    not another person.
    """
    cut = len(text)
    for site in site_names:
        site = site.strip()
        if len(site) < 4 or "." in site:
            continue
        match = re.search(rf"(?:^|[\s,;|])({re.escape(site)})\b", text, flags=re.I)
        if match and match.start(1) > 0:
            cut = min(cut, match.start(1))
    return text[:cut].rstrip(" ,;|-–—") if cut < len(text) else text


def split_names(text: str, site_names: Iterable[str] = ()) -> list[str]:
    """Split a byline into plausible names.

    A byline runs on into section names, dates and titles, separated by
    "|", "·" or dashes; the segment with the most full names is the one that
    credits people ("Politik · Jane Doe, John Roe").
    """
    site_keys = _site_keys(site_names)
    text = _cut_at_site_name(" ".join(text.split()), site_names)
    best: list[str] = []
    for segment in re.split(r"\s*[|•·\n]\s*|\s+[-–—]\s+", text):
        segment = strip_by(segment)
        if _CJK.search(segment):
            segment = re.sub(r"[，、／]", ",", segment)
        names = _segment_names(segment, site_names, site_keys)
        if sum(len(n.split()) > 1 for n in names) > sum(len(n.split()) > 1 for n in best) or (
            names and not best
        ):
            best = names
    return best


_SLUG_PATH = re.compile(
    r"/(?:author|authors|profile|profiles|people|staff|editors?|writers?|reporters?|contributors?)/"
    r"([a-z][a-z-]+[a-z])(?:[-_.]?\d[\w.]*)?/?$",
    re.I,
)


def name_from_url(url: str) -> str | None:
    """ "https://site/profile/jane-doe" -> "Jane Doe": an author page names its author."""
    match = _SLUG_PATH.search(url.strip().split("?")[0])
    if not match:
        return None
    words = [w for w in match.group(1).split("-") if w]
    if not 2 <= len(words) <= 4:
        return None
    return " ".join(w.capitalize() for w in words)


_OUTLET_WORDS = _ORG_WORDS | {"associated", "reuters", "afp"}
_CREDIT_WORDS = _ORG_WORDS | {
    "staff",
    "desk",
    "team",
    "editors",
    "associated",
    "reuters",
    "afp",
    "wire",
    "agencies",
}


def _is_org_credit(name: str) -> bool:
    return any(word in _CREDIT_WORDS for word in comparable_text(name).split())


_AUTHOR_WEIGHT = {
    "jsonld": 3.0,
    "itemprop": 2.6,
    "meta": 2.0,
    "rel-author": 2.2,
    "author-link": 2.0,
    "class": 1.8,
    "class-text": 1.2,
    "by-text": 1.6,
    "meta-url": 1.4,
    "jsonld-page": 1.0,
}


def choose_authors(
    structured: list[AuthorCandidate], visible: list[BylineCandidate], site_names: list[str]
) -> list[ContributorRecord]:
    """Pick the author list: the best-weighted source, supported by agreement.

    Each source (JSON-LD, microdata, <meta>, byline classes, rel=author,
    author-page links, "By ..." texts) proposes a list of names; a source
    whose names other sources repeat wins over a lone one, so a stray
    "author" widget or a list of teaser authors loses to the byline the
    metadata confirms. Of the classed bylines only the first with a name
    proposes; the others can only support.
    """
    proposals: dict[str, list[str]] = {}
    witnesses: list[set[str]] = []

    def propose(group: str, names: list[str]) -> None:
        if not names:
            return
        witnesses.append({comparable_text(n) for n in names})
        if group in ("class", "class-text", "by-text") and group in proposals:
            return
        bucket = proposals.setdefault(group, [])
        bucket.extend(n for n in names if n not in bucket)

    for candidate in structured:
        if candidate.is_person is False:
            continue
        group = candidate.source.split(":")[0]
        if candidate.name.startswith(("http://", "https://")):
            slugs = [name_from_url(part) for part in candidate.name.split(",")]
            propose("meta-url", [n for n in slugs if n])
        else:
            propose(group, split_names(candidate.name, site_names))
    for byline in visible:
        propose(byline.source, split_names(byline.text, site_names))
    if not proposals:
        return []
    keys = {group: {comparable_text(n) for n in names} for group, names in proposals.items()}

    def score(group: str) -> float:
        names = keys[group]
        support = sum(1 for other, other_names in keys.items() if other != group and names & other_names)
        echoes = sum(1 for witness in witnesses if witness & names) - 1
        size_penalty = 0.5 * max(0, len(names) - 4)
        return _AUTHOR_WEIGHT.get(group, 1.0) + 1.0 * support + 0.25 * min(echoes, 4) - size_penalty

    best = max(proposals, key=score)
    chosen = proposals[best]
    # A fuller byline that contains the chosen one ("A" vs "A, B") completes it.
    for group, names in proposals.items():
        if keys[best] < keys[group] and len(names) <= 5:
            chosen = names
    people = [n for n in chosen if not _is_org_credit(n)]
    return [ContributorRecord(name=name, role="author") for name in (people or chosen)]
