"""Metadata candidates of an HTML page: JSON-LD, OpenGraph, <meta>, <time>, <link>.

Each source proposes values; :mod:`.titles`, :mod:`.page_dates` and :mod:`.authors` pick one per
field. Nothing here decides which source is right: a page's JSON-LD can be
stale, its OpenGraph title can carry the site name, its <h1> can be a section
banner. Keeping every candidate with its origin lets the chooser compare them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from etl.keys import comparable_text
from etl.transform.formats.html.page import Element, PageTags, attr_words, find_parent, has_attr, text_of

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "webpage",
    "itempage",
    "creativework",
    "review",
    "recipe",
}
"""schema.org types whose headline/author/dates describe the page's article.

WebPage and CreativeWork are kept last-resort: their fields are used only when
no Article-like object gives the field (see ``JSONLD_RANK``).
"""

JSONLD_RANK = {"webpage": 2, "itempage": 2, "creativework": 2, "recipe": 1, "review": 1}
"""Lower is better; Article-like types default to 0."""

PERSON_TYPES = {"person"}
ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "organisation"}


@dataclass(slots=True)
class Candidate:
    """One proposed value for a field and where it came from."""

    value: str
    source: str


def choose_first(candidates: list[Candidate], exclude: Iterable[str] = ()) -> str | None:
    """The first candidate value not in ``exclude`` (compared normalised)."""
    excluded = {comparable_text(e) for e in exclude}
    for candidate in candidates:
        if candidate.value.strip() and comparable_text(candidate.value) not in excluded:
            return candidate.value.strip()
    return None


@dataclass(slots=True)
class AuthorCandidate:
    """A proposed author: a name, whether it is a person, and its origin."""

    name: str
    source: str
    is_person: bool | None = None


@dataclass(slots=True)
class PageMetadata:
    """Every candidate the page's markup offers, by field."""

    titles: list[Candidate] = field(default_factory=list)
    authors: list[AuthorCandidate] = field(default_factory=list)
    published: list[Candidate] = field(default_factory=list)
    updated: list[Candidate] = field(default_factory=list)
    publishers: list[Candidate] = field(default_factory=list)
    site_names: list[Candidate] = field(default_factory=list)
    sections: list[Candidate] = field(default_factory=list)
    languages: list[Candidate] = field(default_factory=list)
    urls: list[Candidate] = field(default_factory=list)


# <meta> names (name=, property=, itemprop=, http-equiv=), lower-cased, by field.
META_TITLE = ("og:title", "twitter:title", "dc.title", "sailthru.title", "parsely-title", "headline", "title")
META_AUTHOR = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "citation_author",
    "article:author_name",
    "creator",
)
META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "displaydate",
    "og:published_time",
    "rnews:datepublished",
)
META_UPDATED = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "lastmod",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
    "article.updated",
    "og:article:modified_time",
)
META_SITE = (
    "og:site_name",
    "application-name",
    "al:ios:app_name",
    "twitter:site",
    "publisher",
    "dc.publisher",
)
META_SECTION = ("article:section", "section", "parsely-section", "sailthru.section", "category", "dc.subject")
META_LANGUAGE = ("og:locale", "content-language", "language", "dc.language", "inlanguage")
META_URL = ("og:url", "twitter:url", "parsely-link")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _text(value: Any) -> str | None:
    """A clean single-line string from a JSON-LD value, or None."""
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("@id"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    # JSON-LD sits in a <script>, where the HTML parser leaves "&amp;" as written.
    text = " ".join(html.unescape(value).split())
    return text or None


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].casefold() for v in values if isinstance(v, str)}


def _loads_lenient(text: str) -> Any:
    """Parse a JSON-LD block; pages often leave raw newlines or trailing commas in it."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        pass
    repaired = re.sub(r",\s*([}\]])", r"\1", text)
    try:
        return json.loads(repaired, strict=False)
    except json.JSONDecodeError:
        return None


def _walk_jsonld(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Yield every object of a JSON-LD document: top level, lists, @graph, mainEntity."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            child = value.get(key)
            if isinstance(child, dict | list):
                yield from _walk_jsonld(child, depth + 1)


def _jsonld_people(value: Any, source: str, index: dict[str, dict[str, Any]]) -> Iterator[AuthorCandidate]:
    """Authors of a JSON-LD ``author``/``creator`` value: strings, objects, lists, @id refs."""
    if isinstance(value, list):
        for item in value:
            yield from _jsonld_people(item, source, index)
        return
    if isinstance(value, str):
        if value.strip():
            yield AuthorCandidate(" ".join(value.split()), source, None)
        return
    if not isinstance(value, dict):
        return
    if "name" not in value and isinstance(value.get("@id"), str) and value["@id"] in index:
        value = index[value["@id"]]
    name = _text(value.get("name"))
    if name is None and (value.get("givenName") or value.get("familyName")):
        name = " ".join(str(p) for p in (value.get("givenName"), value.get("familyName")) if p)
    if not name:
        return
    types = _types(value)
    is_person = True if types & PERSON_TYPES else False if types & ORG_TYPES else None
    yield AuthorCandidate(name, source, is_person)


def _read_jsonld(page: PageTags, meta: PageMetadata) -> None:
    objects: list[dict[str, Any]] = []
    for script in page.named("script"):
        if "ld+json" not in str(script.get("type", "")).casefold():
            continue
        data = _loads_lenient(script.text or "")
        if data is not None:
            objects.extend(_walk_jsonld(data))
    index = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 2}
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    articles.sort(key=lambda o: min((JSONLD_RANK.get(t, 0) for t in _types(o) & ARTICLE_TYPES), default=0))
    for node in articles:
        rank = min((JSONLD_RANK.get(t, 0) for t in _types(node) & ARTICLE_TYPES), default=0)
        tag = "jsonld" if rank == 0 else "jsonld-page"
        for key in ("headline", "name", "alternativeHeadline"):
            title = _text(node.get(key))
            if title:
                meta.titles.append(Candidate(title, f"{tag}:{key}"))
                break
        for key in ("author", "creator"):
            if node.get(key):
                meta.authors.extend(_jsonld_people(node[key], tag, index))
                break
        for key, target in (
            ("datePublished", meta.published),
            ("dateCreated", meta.published),
            ("dateModified", meta.updated),
        ):
            value = _text(node.get(key))
            if value:
                target.append(Candidate(value, f"{tag}:{key}"))
        publisher = node.get("publisher") or node.get("sourceOrganization")
        if isinstance(publisher, dict) and "name" not in publisher and publisher.get("@id") in index:
            publisher = index[publisher["@id"]]
        name = _text(publisher)
        if name and not name.startswith(("http://", "https://", "#")):
            meta.publishers.append(Candidate(name, tag))
        for key, target in (("articleSection", meta.sections), ("inLanguage", meta.languages)):
            value = _text(node.get(key))
            if value:
                target.append(Candidate(value, tag))
        url = _text(node.get("url")) or _text(node.get("mainEntityOfPage"))
        if url and url.startswith("http"):
            meta.urls.append(Candidate(url, tag))
    # A page may describe its publisher only as a top-level Organization / WebSite.
    for node in objects:
        types = _types(node)
        if types & ORG_TYPES or "website" in types:
            name = _text(node.get("name"))
            if name:
                meta.site_names.append(Candidate(name, "jsonld-org" if types & ORG_TYPES else "jsonld-site"))


def _meta_key(tag: Element) -> str | None:
    for attr in ("property", "name", "itemprop", "http-equiv"):
        value = tag.get(attr)
        if value:
            return str(value).strip().casefold()
    return None


def _read_meta(page: PageTags, meta: PageMetadata) -> None:
    values: dict[str, list[str]] = {}
    for tag in page.named("meta"):
        key = _meta_key(tag)
        # Some saved pages (and a few CMSs) write value= where content= belongs.
        content = tag.get("content") if has_attr(tag, "content") else tag.get("value")
        if key and isinstance(content, str) and content.strip():
            values.setdefault(key, []).append(" ".join(content.split()))

    def add(names: tuple[str, ...], target: list[Candidate]) -> None:
        for name in names:
            for value in values.get(name, []):
                target.append(Candidate(value, f"meta:{name}"))

    add(META_TITLE, meta.titles)
    add(META_PUBLISHED, meta.published)
    add(META_UPDATED, meta.updated)
    add(META_SITE, meta.site_names)
    add(META_SECTION, meta.sections)
    add(META_LANGUAGE, meta.languages)
    add(META_URL, meta.urls)
    for name in META_AUTHOR:
        for value in values.get(name, []):
            meta.authors.append(AuthorCandidate(value, f"meta:{name}", None))


def _read_markup(page: PageTags, meta: PageMetadata) -> None:
    """<title>, <html lang>, <link rel=canonical>, <time>, itemprop microdata."""
    titles = [t for t in page.named("title") if find_parent(t, ("svg",)) is None]
    if titles and titles[0].text and titles[0].text.strip():
        meta.titles.append(Candidate(" ".join(titles[0].text.split()), "title"))
    for root in page.named("html")[:1]:
        lang = root.get("lang") or root.get("xml:lang") or root.get(XML_LANG)
        if isinstance(lang, str) and lang.strip():
            meta.languages.append(Candidate(lang.strip(), "html-lang"))
    for link in page.named("link"):
        if not link.get("href") or not link.get("rel"):
            continue
        rels = [r.casefold() for r in attr_words(link, "rel")]
        if "canonical" in rels:
            meta.urls.insert(0, Candidate(str(link.get("href")).strip(), "canonical"))
    for node in page.with_attr("itemprop"):
        prop = " ".join(attr_words(node, "itemprop")).casefold()
        if node.tag == "meta":
            continue
        value = node.get("datetime") or node.get("content")
        if prop in ("datepublished", "datecreated") and value:
            meta.published.append(Candidate(str(value), "itemprop"))
        elif prop == "datemodified" and value:
            meta.updated.append(Candidate(str(value), "itemprop"))
    for time in page.named("time"):
        value = time.get("datetime")
        if not value:
            continue
        classes = " ".join(attr_words(time, "class")).casefold()
        if has_attr(time, "pubdate") or re.search(r"publish|posted|created", classes):
            meta.published.append(Candidate(str(value), "time-pub"))
        elif re.search(r"modif|updat", classes):
            meta.updated.append(Candidate(str(value), "time-upd"))
        else:
            meta.published.append(Candidate(str(value), "time"))


_DATE_CLASS = re.compile(r"date|time|publish|posted|dateline|timestamp|pubdate", re.I)
_UPDATED_CLASS = re.compile(r"updat|modif|edited", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20\d\d)(?!\d)")
_SHORT_NUMERIC_DATE = re.compile(r"(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.]\d{2}(?![\d/.])")
_PUBLISHED_CLASS = re.compile(r"publish|posted|created", re.I)
_UPDATED_WORD = re.compile(r"\b(updated|modified|edited)\b:?", re.I)
_DATE_CHARS = re.compile(r"\d")


_DATE_TAGS = {"span", "div", "p", "time", "li", "small", "abbr"}


def _read_visible_dates(page: PageTags, meta: PageMetadata, limit: int = 5) -> None:
    """Short texts in elements classed as dates ("Published Dec 13, 2016 at 3:45 pm")."""
    found = 0
    for node in page.with_attr("class"):
        if node.tag not in _DATE_TAGS or not _DATE_CLASS.search(" ".join(attr_words(node, "class"))):
            continue
        if find_parent(node, ("nav", "footer", "aside")) is not None:
            continue
        text = text_of(node)
        if not 6 <= len(text) <= 80 or not (_YEAR.search(text) or _SHORT_NUMERIC_DATE.search(text)):
            continue
        classes = " ".join(attr_words(node, "class"))
        # "Published Dec 6 / Updated Dec 7": each half goes to its own field.
        pieces = _UPDATED_WORD.split(text, maxsplit=1)
        published_text = pieces[0].strip(" /|-–—·•,")
        updated_text = pieces[2].strip() if len(pieces) == 3 else ""
        if _UPDATED_CLASS.search(classes) and not _PUBLISHED_CLASS.search(classes):
            meta.updated.append(Candidate(text, "visible"))
            found += 1
            continue
        if _DATE_CHARS.search(published_text):
            source = "visible-before-update" if updated_text else "visible"
            meta.published.append(Candidate(published_text, source))
        if updated_text:
            meta.updated.append(Candidate(updated_text, "visible"))
        found += 1
        if found >= limit:
            break


def read_page_metadata(page: PageTags) -> PageMetadata:
    """Collect every metadata candidate of a parsed page, in source order."""
    meta = PageMetadata()
    _read_jsonld(page, meta)
    _read_meta(page, meta)
    _read_markup(page, meta)
    _read_visible_dates(page, meta)
    return meta
