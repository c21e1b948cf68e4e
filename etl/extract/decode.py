"""Turn bytes into text: BOM, UTF-8, then charset detection."""

from __future__ import annotations

import codecs

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
            return data.decode(encoding), encoding
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ExtractError(source_uri, "undecodable bytes: no text encoding fits")
    return str(best), best.encoding
