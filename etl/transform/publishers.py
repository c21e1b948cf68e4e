"""Publishers and wire services: one normalised key per outlet.

An outlet is written many ways: "The New York Times", "NYTimes", "nytimes.com",
"www.nytimes.com", "NYT". The key is the outlet's registrable domain without its
suffix ("nytimes") when a domain is known; a name alone is compacted
("newyorktimes") and looked up in a short table of outlets whose names and
domains differ, so both spellings meet on the domain key.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlsplit

from tld import get_tld
from tld.exceptions import TldBadUrl, TldDomainNotFound

from etl.keys import compact_key
from etl.records import ArticleRecord
from etl.transform.outlets import outlets

# Hosting platforms where each subdomain is its own publisher.
PLATFORM_DOMAINS = {
    "blogspot.com",
    "wordpress.com",
    "substack.com",
    "medium.com",
    "tumblr.com",
    "github.io",
    "livejournal.com",
    "typepad.com",
    "ghost.io",
}

_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/.*)?$", re.I)


@lru_cache(maxsize=1)
def _key_by_alias() -> dict[str, str]:
    """Each registry outlet's compacted spellings -> its key (its domain stem, else its name)."""
    table: dict[str, str] = {}
    for outlet in outlets():
        key = _domain_key(outlet.domain) if outlet.domain else None
        key = key or compact_key(outlet.name)
        for spelling in (*outlet.all_spellings, *([outlet.domain] if outlet.domain else [])):
            alias = _domain_key(spelling) if spelling == outlet.domain else compact_key(spelling)
            if alias:
                table.setdefault(alias, key)
    return table


def domain_of(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``; None when there is none."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.")


def publisher_domain(url: str | None) -> str | None:
    """The domain that identifies the publisher of ``url``.

    "edition.cnn.com" -> "cnn.com", "news.bbc.co.uk" -> "bbc.co.uk"; on a
    hosting platform the subdomain is the publisher ("jane.substack.com").
    """
    host = domain_of(url)
    if not host:
        return None
    try:
        parsed = get_tld(f"http://{host}", as_object=True, fix_protocol=True)
    except (TldBadUrl, TldDomainNotFound, ValueError):
        return host
    registered = parsed.fld  # type: ignore[union-attr]
    if registered in PLATFORM_DOMAINS and parsed.subdomain:  # type: ignore[union-attr]
        return f"{parsed.subdomain.split('.')[-1]}.{registered}"  # type: ignore[union-attr]
    return registered


def _domain_key(domain: str) -> str | None:
    registered = publisher_domain(domain)
    if not registered:
        return None
    host = registered.split(".")
    if any(registered.endswith("." + platform) for platform in PLATFORM_DOMAINS):
        return compact_key(".".join(host[:-2]))
    try:
        stem = get_tld(f"http://{registered}", as_object=True, fix_protocol=True).domain  # type: ignore[union-attr]
    except (TldBadUrl, TldDomainNotFound, ValueError):
        stem = host[0]
    return compact_key(stem)


def publisher_key(name: str | None, domain: str | None = None) -> str | None:
    """Normalise a publisher (name and/or domain) so spellings of one outlet meet.

    "The New York Times", "NYTimes", "nytimes.com" and "NYT" share the key
    "nytimes"; an outlet not in the alias table keys on its domain stem, or on
    its compacted name when no domain is known (which is usually the same:
    "Springfield Gazette" and springfieldgazette.com).
    """
    if domain:
        key = _domain_key(domain)
        if key:
            return _key_by_alias().get(key, key)
    if not name or not name.strip():
        return None
    if _DOMAIN_LIKE.match(name.strip()) and " " not in name.strip():
        return publisher_key(None, name.strip())
    compact = compact_key(name)
    if not compact:
        return None
    return _key_by_alias().get(compact, compact)


def with_source_keys(article: ArticleRecord) -> ArticleRecord:
    """Write the publisher's and the wire service's identity keys into the record."""
    return replace(
        article,
        publisher_key=publisher_key(article.publisher, article.publisher_domain),
        wire_source_key=publisher_key(article.wire_source),
    )
