"""Document identity at extract: which keys a record's own content may claim.

A file's key is its resolved ``file://`` URI. A record inside a JSON, JSONL or
WARC file may name its own URL, but only an http(s) URL becomes its key: a
record saying ``"url": "file:///…/a.html"`` must not take over the article of
that file. Anything else falls back to the container's key plus the record
index, which no file key can equal (``as_uri`` escapes ``#`` in file names).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
"""Longest URL accepted as a document key; longer ones are not real page addresses."""


def file_key(path: Path) -> str:
    """Identity of a file-backed document, independent of the working directory."""
    return path.resolve().as_uri()


def record_key(path: Path, index: int) -> str:
    """Identity of record ``index`` of a multi-record file that names no usable URL."""
    return f"{file_key(path)}#{index}"


def web_url(value: object) -> str | None:
    """Return ``value`` if it is an http(s) URL fit to be a document key, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return url
