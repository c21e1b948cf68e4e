"""Visible bylines of an HTML page: where the markup says who wrote it.

Structured metadata (JSON-LD, <meta>) often lists one name, a desk or a URL;
the byline the reader sees is the other witness. This module finds it in the
markup (``itemprop=author``, ``rel=author``, elements classed ``byline`` or
``author``) and returns the raw texts; splitting them into people is
:mod:`etl.transform.bylines`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Tag
from bs4.element import NavigableString

from etl.transform.formats.html.page import PageTags, attr_words

_BYLINE_CLASS = re.compile(r"byline|by-line|author|writer|reporter|contributor|posted-by|article-by", re.I)
_NOT_BYLINE_CLASS = re.compile(
    r"bio|avatar|image|img|photo|thumb|follow|social|share|twitter|email|more|related|comment|desc|about|card",
    re.I,
)
_BY_PREFIX = re.compile(
    r"^\s*(?:posted\s+|written\s+|words\s+|story\s+|text\s+|reported\s+)?(?:by|par|por)[:\s]\s*",
    re.I,
)
_SKIP_ANCESTORS = ("nav", "footer", "aside", "form")
MAX_BYLINE_CHARS = 160


@dataclass(frozen=True, slots=True)
class BylineCandidate:
    """A byline text found in the page, with the markup that held it."""

    text: str
    source: str


def _classes(tag: Tag) -> str:
    """Class, id, rel and test-id words of an element, which name its role."""
    return " ".join(word for attr in ("class", "id", "rel", "data-testid") for word in attr_words(tag, attr))


def _visible_text(tag: Tag) -> str:
    """Text of an element, a space between its parts.

    Byline markup glues labels to names ("By<span>Jane Doe</span>"), so parts
    are always separated; a name split by markup inside a word is rarer.
    """
    return " ".join(tag.get_text(" ", strip=True).split())


_BOILERPLATE_TOKEN = re.compile(
    r"^(?:comment|related|sidebar|footer|recommend|more-|trending|popular|newsletter)", re.I
)
_AUTHOR_HREF = re.compile(
    r"/(?:author|authors|profile|profiles|people|person|staff|writers?|reporters?|contributors?|journalists?|by|byline)"
    r"/[^/?#]+",
    re.I,
)


def _in_boilerplate(tag: Tag) -> bool:
    """True for markup inside navigation, footers, sidebars and comment areas.

    The walk stops at the article (or main/body): a byline column that a
    site marks up as <aside> inside its <article> is still the byline.
    """
    for parent in tag.parents:
        if parent.name in ("article", "main", "body", "html"):
            return False
        if parent.name in _SKIP_ANCESTORS:
            return True
        if any(_BOILERPLATE_TOKEN.match(token) for token in attr_words(parent, "class")):
            return True
    return False


_AUTHOR_PROP = re.compile(r"\b(author|creator)\b", re.I)


def _microdata_names(page: PageTags) -> list[BylineCandidate]:
    found = []
    for node in page.with_attr("itemprop"):
        if not _AUTHOR_PROP.search(" ".join(node.get_attribute_list("itemprop"))):
            continue
        if node.name in ("meta", "link") or _in_boilerplate(node):
            continue
        inner = next((t for t in node.find_all(True) if "name" in attr_words(t, "itemprop")), None)
        if isinstance(inner, Tag):
            text = inner.get("content") if inner.name == "meta" else _visible_text(inner)
        else:
            text = _visible_text(node)
        if isinstance(text, str) and 0 < len(text) <= MAX_BYLINE_CHARS:
            found.append(BylineCandidate(text, "itemprop"))
    return found


def _first_cluster(links: list[Tag], source: str) -> list[BylineCandidate]:
    """Texts of the first matching link and its siblings in the same byline.

    Later matches are usually teasers ("more from this author") elsewhere on
    the page, so only the links sharing the first one's container count.
    """
    links = [link for link in links if not _in_boilerplate(link) and 0 < len(_visible_text(link)) <= 80]
    if not links:
        return []
    container = links[0].parent
    if container is not None and container.parent is not None and len(_visible_text(container.parent)) < 300:
        container = container.parent
    texts: list[str] = []
    for link in links:
        if container is not None and container not in link.parents:
            continue
        text = _visible_text(link)
        if text not in texts:
            texts.append(text)
    return [BylineCandidate(", ".join(texts), source)]


def _rel_author(page: PageTags) -> list[BylineCandidate]:
    links = [
        a for a in page.named("a") if "author" in [r.casefold() for r in a.get_attribute_list("rel") if r]
    ]
    return _first_cluster(links, "rel-author")


def _author_links(page: PageTags) -> list[BylineCandidate]:
    """Links to an author page (``/author/jane-doe``): their text is a name."""
    links = [a for a in page.named("a") if _AUTHOR_HREF.search(str(a.get("href") or ""))]
    return _first_cluster(links, "author-link")


def _classed_bylines(page: PageTags) -> list[BylineCandidate]:
    found = []
    seen: set[int] = set()
    for node in page.tags:
        if node.name in ("script", "style", "meta", "link", "img", "body", "html", "article", "main", "time"):
            continue
        classes = _classes(node)
        if not classes or not _BYLINE_CLASS.search(classes) or _NOT_BYLINE_CLASS.search(classes):
            continue
        # Keep the outermost byline element only: its children repeat its text.
        if any(id(parent) in seen for parent in node.parents):
            continue
        if _in_boilerplate(node):
            continue
        text = _visible_text(node)
        if 0 < len(text) <= MAX_BYLINE_CHARS:
            seen.add(id(node))
            # Names in a byline are usually links or spans of their own; prefer
            # them to the element's text, which runs on into dates and titles.
            links = [_visible_text(a) for a in node.find_all("a") if 0 < len(_visible_text(a)) <= 60]
            found.append(BylineCandidate(", ".join(links) if links else text, "class"))
            if links:
                found.append(BylineCandidate(text, "class-text"))
    return found


_BY_TEXT = re.compile(r"^\s*(?:by|par|por)\s+\S", re.I)
_BY_WORD = re.compile(r"^\s*(?:by|par|por)(?:\s|:|$)", re.I)


def _by_texts(page: PageTags, limit: int = 3) -> list[BylineCandidate]:
    """Short elements that read "By Jane Doe", whatever their class is called.

    Sites with generated class names ("sc-1x2y") give no byline class to
    find; the word "By" in front of a name is the same on every site. The
    walk starts from the text "By" and climbs to the element that holds the
    whole byline.
    """
    found: list[BylineCandidate] = []
    seen: set[int] = set()
    for string in page.soup.find_all(string=_BY_WORD):
        if not isinstance(string, NavigableString) or string.parent is None:
            continue
        if string.parent.name in ("script", "style", "title", "option", "a"):
            continue
        node: Tag = string.parent
        while node.parent is not None and node.parent.name not in (
            "body",
            "html",
            "[document]",
            "article",
            "main",
        ):
            if len(_visible_text(node.parent)) > 80:
                break
            node = node.parent
        text = _visible_text(node)
        if id(node) in seen or not 4 < len(text) <= 80 or not _BY_TEXT.match(text) or _in_boilerplate(node):
            continue
        seen.add(id(node))
        found.append(BylineCandidate(text, "by-text"))
        if len(found) >= limit:
            break
    return found


def strip_by(text: str) -> str:
    """Drop a leading "By" / "Posted by" from a byline."""
    return _BY_PREFIX.sub("", text).strip(" \t|:-–—·•")


def find_bylines(page: PageTags) -> list[BylineCandidate]:
    """Return visible byline texts in order of trust: microdata, rel=author, classes."""
    return (
        _microdata_names(page)
        + _rel_author(page)
        + _author_links(page)
        + _classed_bylines(page)
        + _by_texts(page)
    )
