"""Turn bytes into text: BOM, UTF-8, then charset detection."""

from __future__ import annotations

import codecs
import re
from typing import Any

from charset_normalizer import from_bytes

from etl.errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\r\f\x0b\x1b"
"""Bytes that are not control bytes, and the control bytes text uses (tab, newlines, form feed, escape)."""


def looks_binary(data: bytes) -> bool:
    """Say whether ``data`` is not text: NUL bytes or many control bytes.

    UTF-16 text has NULs too, so a BOM exempts the data.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    # Deleting every other byte leaves the control bytes (in C: no Python loop per byte).
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > len(sample) * 0.05


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Drop NUL and replace lone surrogates (``"\\ud800"`` in JSON) with U+FFFD.

    A lone surrogate is no character: no database can store it as UTF-8. The
    replacement keeps the document, and its length, so offsets stay true.
    """
    if "\x00" in value:
        value = value.replace("\x00", "")
    return _LONE_SURROGATE.sub("\ufffd", value)


def clean_json(value: Any) -> Any:
    """Apply :func:`clean_text` to every string (keys too) of a parsed JSON value.

    The value must be bounded in depth (see :func:`json_depth`).
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_json(item) for key, item in value.items()}
    return value


def json_depth(value: Any, limit: int) -> int:
    """Return how deeply ``value`` nests arrays and objects, counting no further than ``limit + 1``.

    Iterative, so a hostile value cannot exhaust the stack while being measured.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if not isinstance(item, list):
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth) for child in item if isinstance(child, list | dict))
    return deepest


def decode_bytes(data: bytes, source_uri: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Args:
        data: the raw bytes.
        source_uri: for the error message.
        declared: an encoding the container declared (HTTP header, meta tag).

    Raises:
        ExtractError: the bytes are binary or match no encoding.
    """
    if looks_binary(data):
        raise ExtractError(source_uri, "binary content, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A BOM is a promise; broken units after it become U+FFFD, not an error.
            return clean_text(data.decode(encoding, errors="replace")), encoding
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return clean_text(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ExtractError(source_uri, "undecodable bytes: no text encoding fits")
    return clean_text(str(best)), best.encoding
