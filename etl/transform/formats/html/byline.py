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

from etl.transform.formats.html.page import Element, PageTags, attr_words, text_of

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


def _classes(tag: Element) -> str:
    """Class, id, rel and test-id words of an element, which name its role."""
    return " ".join(word for attr in ("class", "id", "rel", "data-testid") for word in attr_words(tag, attr))


def _visible_text(tag: Element) -> str:
    """Text of an element, a space between its parts.

    Byline markup glues labels to names ("By<span>Jane Doe</span>"), so parts
    are always separated; a name split by markup inside a word is rarer.
    """
    return text_of(tag)


_BOILERPLATE_TOKEN = re.compile(
    r"^(?:comment|related|sidebar|footer|recommend|more-|trending|popular|newsletter)", re.I
)
_AUTHOR_HREF = re.compile(
    r"/(?:author|authors|profile|profiles|people|person|staff|writers?|reporters?|contributors?|journalists?|by|byline)"
    r"/[^/?#]+",
    re.I,
)


def _in_boilerplate(tag: Element) -> bool:
    """True for markup inside navigation, footers, sidebars and comment areas.

    The walk stops at the article (or main/body): a byline column that a
    site marks up as <aside> inside its <article> is still the byline.
    """
    for parent in tag.iterancestors():
        if parent.tag in ("article", "main", "body", "html"):
            return False
        if parent.tag in _SKIP_ANCESTORS:
            return True
        if any(_BOILERPLATE_TOKEN.match(token) for token in attr_words(parent, "class")):
            return True
    return False


# A link to a section or tag page in a byline box is the article's section, not a name.
_SECTION_HREF = re.compile(r"/(?:category|categories|tags?|topics?|sections?|rubrique|ressort)/", re.I)

_AUTHOR_PROP = re.compile(r"\b(author|creator)\b", re.I)


def _microdata_names(page: PageTags) -> list[BylineCandidate]:
    found = []
    for node in page.with_attr("itemprop"):
        if not _AUTHOR_PROP.search(node.get("itemprop") or ""):
            continue
        if node.tag in ("meta", "link") or _in_boilerplate(node):
            continue
        inner = next((t for t in node.iterdescendants() if "name" in attr_words(t, "itemprop")), None)
        text: str | None
        if inner is not None:
            text = inner.get("content") if inner.tag == "meta" else _visible_text(inner)
        else:
            text = _visible_text(node)
        if isinstance(text, str) and 0 < len(text) <= MAX_BYLINE_CHARS:
            found.append(BylineCandidate(text, "itemprop"))
    return found


def _first_cluster(links: list[Element], source: str) -> list[BylineCandidate]:
    """Texts of the first matching link and its siblings in the same byline.

    Later matches are usually teasers ("more from this author") elsewhere on
    the page, so only the links sharing the first one's container count.
    """
    links = [link for link in links if not _in_boilerplate(link) and 0 < len(_visible_text(link)) <= 80]
    if not links:
        return []
    container = links[0].getparent()
    grand = container.getparent() if container is not None else None
    if grand is not None and len(_visible_text(grand)) < 300:
        container = grand
    texts: list[str] = []
    for link in links:
        if container is not None and container not in set(link.iterancestors()):
            continue
        text = _visible_text(link)
        if text not in texts:
            texts.append(text)
    return [BylineCandidate(", ".join(texts), source)]


def _rel_author(page: PageTags) -> list[BylineCandidate]:
    links = [a for a in page.named("a") if "author" in [r.casefold() for r in attr_words(a, "rel")]]
    return _first_cluster(links, "rel-author")


def _author_links(page: PageTags) -> list[BylineCandidate]:
    """Links to an author page (``/author/jane-doe``): their text is a name."""
    links = [a for a in page.named("a") if _AUTHOR_HREF.search(str(a.get("href") or ""))]
    return _first_cluster(links, "author-link")


def _classed_bylines(page: PageTags) -> list[BylineCandidate]:
    found = []
    seen: set[int] = set()
    for node in page.tags:
        if node.tag in ("script", "style", "meta", "link", "img", "body", "html", "article", "main", "time"):
            continue
        classes = _classes(node)
        if not classes or not _BYLINE_CLASS.search(classes) or _NOT_BYLINE_CLASS.search(classes):
            continue
        # Keep the outermost byline element only: its children repeat its text.
        if any(id(parent) in seen for parent in node.iterancestors()):
            continue
        if _in_boilerplate(node):
            continue
        text = _visible_text(node)
        if 0 < len(text) <= MAX_BYLINE_CHARS:
            seen.add(id(node))
            # Names in a byline are usually links or spans of their own; prefer
            # them to the element's text, which runs on into dates and titles.
            links = [
                _visible_text(a)
                for a in node.iterdescendants("a")
                if 0 < len(_visible_text(a)) <= 60 and not _SECTION_HREF.search(a.get("href") or "")
            ]
            found.append(BylineCandidate(", ".join(links) if links else text, "class"))
            if links:
                found.append(BylineCandidate(text, "class-text"))
    return found


_BY_TEXT = re.compile(r"^\s*(?:by|par|por)\s+\S", re.I)
_BY_WORD = re.compile(r"^\s*(?:by|par|por)(?:\s|:|$)", re.I)


def _holders_of_by(page: PageTags) -> list[Element]:
    """Elements holding a text that starts with the word "By", in document order."""
    found = []
    for tag in page.tags:
        if tag.text and _BY_WORD.match(tag.text):
            found.append(tag)
        parent = tag.getparent()
        if tag.tail and parent is not None and _BY_WORD.match(tag.tail):
            found.append(parent)
    return found


def _by_texts(page: PageTags, limit: int = 3) -> list[BylineCandidate]:
    """Short elements that read "By Jane Doe", whatever their class is called.

    Sites with generated class names ("sc-1x2y") give no byline class to
    find; the word "By" in front of a name is the same on every site. The
    walk starts from the text "By" and climbs to the element that holds the
    whole byline.
    """
    found: list[BylineCandidate] = []
    seen: set[int] = set()
    for holder in _holders_of_by(page):
        if holder.tag in ("script", "style", "title", "option", "a"):
            continue
        node: Element = holder
        while (parent := node.getparent()) is not None and parent.tag not in (
            "body",
            "html",
            "article",
            "main",
        ):
            if len(_visible_text(parent)) > 80:
                break
            node = parent
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


_PHOTO_CREDIT = re.compile(
    r"\b(?:photo(?:graph)?s?|pictures?|images?|foto|photographie)\s*(?:by|:|©|credit:?)\s*"
    r"([^\W\d_][^|/;()©]{2,60}?)\s*(?=$|[|/;()]|\.\s|\s[-–—]\s|,\s*(?:getty|reuters|ap|afp)\b)",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption|credit|copyright", re.I)


def find_photo_credits(page: PageTags, limit: int = 5) -> list[str]:
    """Texts naming who took the article's pictures ("Photo by Jane Doe", "Photograph: Jane Doe").

    A photographer is a contributor with that role, never an author: the
    credits are read from captions and credit lines apart from the bylines.
    """
    found: list[str] = []
    holders = page.named("figcaption") + [
        node
        for node in page.with_attr("class")
        if node.tag in ("span", "p", "div", "small", "cite")
        and _CAPTION_CLASS.search(node.get("class") or "")
    ]
    for node in holders:
        if _in_boilerplate(node):
            continue
        text = _visible_text(node)
        if len(text) > 400:
            continue
        for match in _PHOTO_CREDIT.finditer(text):
            credit = match.group(1).strip(" .,")
            if credit not in found:
                found.append(credit)
        if len(found) >= limit:
            break
    return found
