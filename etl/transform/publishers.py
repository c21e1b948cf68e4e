"""Publishers and wire services: one normalised key per outlet.

An outlet is written many ways: "The New York Times", "NYTimes", "nytimes.com",
"www.nytimes.com", "NYT". The key is the outlet's registrable domain without its
suffix ("nytimes") when a domain is known; a name alone is compacted
("newyorktimes") and looked up in a short table of outlets whose names and
domains differ, so both spellings meet on the domain key.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tld import get_tld
from tld.exceptions import TldBadUrl, TldDomainNotFound

from etl.keys import compact_key

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

# Outlets whose usual names do not compact to their domain, by domain key.
# The table is data about well-known outlets, not about any input file.
OUTLET_ALIASES: dict[str, tuple[str, ...]] = {
    "nytimes": ("newyorktimes", "nyt", "nytimes", "newyorktimescompany"),
    "washingtonpost": ("washingtonpost", "wapo", "washpost"),
    "wsj": ("wallstreetjournal", "wsj", "wallstreetjournalonline"),
    "apnews": ("associatedpress", "ap", "apnews", "apnewsservice"),
    "reuters": ("reuters", "thomsonreuters", "reutersnews"),
    "afp": ("agencefrancepresse", "afp", "agencefrancepressafp"),
    "bbc": ("bbc", "bbcnews", "britishbroadcastingcorporation", "bbcworld", "bbcworldservice"),
    "theguardian": ("guardian", "theguardian", "guardiannews", "guardianuk"),
    "cnn": ("cnn", "cablenewsnetwork", "cnninternational"),
    "foxnews": ("foxnews", "foxnewschannel"),
    "nbcnews": ("nbcnews", "nbc"),
    "cbsnews": ("cbsnews", "cbs"),
    "abcnews": ("abcnews",),
    "usatoday": ("usatoday",),
    "latimes": ("losangelestimes", "latimes"),
    "chicagotribune": ("chicagotribune",),
    "bloomberg": ("bloomberg", "bloombergnews", "bloomberglp"),
    "ft": ("financialtimes", "ft"),
    "economist": ("economist", "theeconomist"),
    "npr": ("npr", "nationalpublicradio"),
    "politico": ("politico",),
    "aljazeera": ("aljazeera", "aljazeeraenglish"),
    "dw": ("deutschewelle", "dw"),
    "spiegel": ("spiegel", "derspiegel", "spiegelonline"),
    "lemonde": ("lemonde",),
    "telegraph": ("telegraph", "dailytelegraph", "thetelegraph"),
    "independent": ("independent", "theindependent"),
    "dailymail": ("dailymail", "mailonline"),
    "huffpost": ("huffpost", "huffingtonpost"),
    "xinhuanet": ("xinhua", "xinhuanewsagency", "xinhuanet"),
    "tass": ("tass", "itartass"),
    "upi": ("upi", "unitedpressinternational"),
    "dpa": ("dpa", "deutschepresseagentur"),
    "kyodonews": ("kyodo", "kyodonews"),
    "yonhapnews": ("yonhap", "yonhapnewsagency"),
    "ansa": ("ansa",),
    "efe": ("efe", "agenciaefe"),
    "scmp": ("southchinamorningpost", "scmp"),
    "timesofindia": ("timesofindia", "toi"),
    "nikkei": ("nikkei", "nikkeiasia", "nihonkeizaishimbun"),
}
_KEY_BY_ALIAS = {alias: key for key, aliases in OUTLET_ALIASES.items() for alias in aliases}
_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/.*)?$", re.I)


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
            return _KEY_BY_ALIAS.get(key, key)
    if not name or not name.strip():
        return None
    if _DOMAIN_LIKE.match(name.strip()) and " " not in name.strip():
        return publisher_key(None, name.strip())
    compact = compact_key(name)
    if not compact:
        return None
    return _KEY_BY_ALIAS.get(compact, compact)
