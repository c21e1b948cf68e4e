"""Publishers and wire services: one normalised key per outlet."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit


def domain_of(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``; None when there is none."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.")


def publisher_key(name: str | None, domain: str | None = None) -> str | None:
    """Normalise a publisher name (or domain) so spellings of one outlet meet.

    "The New York Times", "new york times" and "NEW YORK TIMES" share a key.
    """
    text = name or domain
    if not text:
        return None
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"[^\w]", "", text)
    return text or None
