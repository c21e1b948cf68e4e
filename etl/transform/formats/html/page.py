"""One lxml tree per page, walked once and indexed by tag name.

The same tree feeds the metadata readers, the byline finder, htmldate and
trafilatura's body extraction: parsing a page is the most expensive step
after the body extraction itself, so it happens once. Walking the tree once
and filtering plain Python lists is several times faster than a query per
look-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

Element: TypeAlias = HtmlElement

_NO_TEXT = frozenset({"script", "style", "noscript", "template"})


@dataclass(slots=True)
class PageTags:
    """Every element of a page in document order, and by tag name.

    Holding every element also keeps lxml's Python proxies alive, so an
    element compares and hashes the same however it was reached.
    """

    root: Element
    tags: list[Element] = field(default_factory=list)
    by_name: dict[str, list[Element]] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Element) -> PageTags:
        tags = [node for node in root.iter(etree.Element) if isinstance(node.tag, str)]
        by_name: dict[str, list[Element]] = defaultdict(list)
        for tag in tags:
            by_name[tag.tag].append(tag)
        return cls(root, tags, dict(by_name))

    def named(self, name: str) -> list[Element]:
        return self.by_name.get(name, [])

    def with_attr(self, attr: str) -> list[Element]:
        return [tag for tag in self.tags if attr in tag.attrib]


def parse_page(text: str) -> Element | None:
    """Parse a page as trafilatura would (encoding declarations, broken markup)."""
    return load_html(text)


def attr_words(tag: Element, attr: str) -> list[str]:
    """The words of an attribute (``class``, ``rel``, ``itemprop``)."""
    return (tag.get(attr) or "").split()


def has_attr(tag: Element, attr: str) -> bool:
    return attr in tag.attrib


def find_parent(tag: Element, names: Iterable[str]) -> Element | None:
    """The nearest ancestor with one of these tag names."""
    wanted = set(names)
    for parent in tag.iterancestors():
        if parent.tag in wanted:
            return parent
    return None


def _strings(tag: Element) -> Iterator[str]:
    if tag.tag in _NO_TEXT or not isinstance(tag.tag, str):
        return
    if tag.text:
        yield tag.text
    for child in tag:
        yield from _strings(child)
        if child.tail:
            yield child.tail


def text_of(tag: Element) -> str:
    """Visible text of an element, one space between its parts (no script or style)."""
    return " ".join(" ".join(_strings(tag)).split())
