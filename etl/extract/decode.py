"""Turn bytes into text: BOM, UTF-8, then charset detection."""

from __future__ import annotations

import codecs
from typing import Any

from charset_normalizer import from_bytes

from etl.errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """Say whether ``data`` is not text: NUL bytes or many control bytes.

    UTF-16 text has NULs too, so a BOM exempts the data.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\x0b\x1b")
    return controls > len(sample) * 0.05


def without_nul(value: Any) -> Any:
    """Drop NUL characters from a string, or from every string in a JSON value.

    NUL is never text, and PostgreSQL refuses it in a string: removing it at
    the input keeps every later offset true.
    """
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


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
            return without_nul(data.decode(encoding)), encoding
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return without_nul(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ExtractError(source_uri, "undecodable bytes: no text encoding fits")
    return without_nul(str(best)), best.encoding
