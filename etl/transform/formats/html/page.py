"""One walk over a parsed page, indexed by tag name.

bs4's ``find_all`` with filters re-walks the tree and runs its matcher on
every node; a dozen look-ups per page made metadata slower than the body
extraction. Walking once and filtering plain Python lists is several times
faster.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag


@dataclass(slots=True)
class PageTags:
    """Every element of a page in document order, and by tag name."""

    soup: BeautifulSoup
    tags: list[Tag] = field(default_factory=list)
    by_name: dict[str, list[Tag]] = field(default_factory=dict)

    @classmethod
    def of(cls, soup: BeautifulSoup) -> PageTags:
        tags = [node for node in soup.descendants if isinstance(node, Tag)]
        by_name: dict[str, list[Tag]] = defaultdict(list)
        for tag in tags:
            by_name[tag.name].append(tag)
        return cls(soup, tags, dict(by_name))

    def named(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])

    def with_attr(self, attr: str) -> list[Tag]:
        return [tag for tag in self.tags if attr in tag.attrs]


def attr_words(tag: Tag, attr: str) -> list[str]:
    """The words of a multi-valued attribute (``class``, ``rel``, ``itemprop``)."""
    return [str(v) for v in tag.get_attribute_list(attr) if v]
