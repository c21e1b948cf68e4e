"""Choose the author list among the names a page's metadata and bylines offer.

Each source (JSON-LD, microdata, <meta>, byline classes, rel=author,
author-page links, "By ..." texts) proposes names, trimmed of job titles,
dates and page furniture; :func:`choose_authors` picks the best-supported
list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from etl.keys import comparable_text
from etl.records import ContributorRecord
from etl.transform.bylines import (
    canonical_agency,
    has_lower_case_surname,
    name_in_reading_order,
    split_byline,
)
from etl.transform.formats.html.byline import BylineCandidate, strip_by
from etl.transform.formats.html.metadata import AuthorCandidate
from etl.transform.formats.html.titles import site_name_keys

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
    if has_lower_case_surname(name):
        return name
    # "Last updated 3 May": a label, not a surname.
    name = re.split(r"\blast\s+(?:updated|modified|edited)\b", name, maxsplit=1, flags=re.I)[0]
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
    site_keys = site_name_keys(site_names)
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
        elif reordered := name_in_reading_order(candidate.name):
            propose(group, [reordered])
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
    # An agency credit names no person: the reader makes it the article's
    # wire source, never an author. A desk credit alone ("AOL Staff") is kept
    # as the page's author, as the dev labels expect.
    chosen = [n for n in chosen if not canonical_agency(n)]
    people = [n for n in chosen if not _is_org_credit(n)]
    return [ContributorRecord(name=name, role="author") for name in (people or chosen)]
