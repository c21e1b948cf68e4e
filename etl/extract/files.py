"""Find documents under paths and read them into RawDocuments.

I/O only: no parsing beyond splitting a container (JSON, JSONL) into records.
Anything that cannot be read becomes a :class:`Rejection` with a reason a
person can act on; nothing is skipped silently, and no input, however odd,
stops the run: every path the user named ends as documents or rejections.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, cast

from etl.errors import ExtractError
from etl.extract.decode import clean_json, clean_text, decode_bytes, json_depth
from etl.extract.discovery import (
    RECORD_SUFFIXES,
    TEXT_SUFFIXES,
    discover_paths,
    display_path,
    inner_suffix,
    os_reason,
)
from etl.extract.keys import file_key, record_key, web_url
from etl.extract.warc import is_warc, read_warc
from etl.records import DocumentFormat, RawDocument, Rejection

__all__ = ["DEFAULT_MAX_BYTES", "MAX_JSON_DEPTH", "discover_paths", "extract_documents", "file_key"]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest single document read; a news article is rarely over 1 MB."""

MAX_JSON_DEPTH = 64
"""Deepest JSON nesting accepted in a record; real article records nest a few levels."""

ExtractResult = RawDocument | Rejection

_JSON_KINDS = {
    str: "string",
    list: "array",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}

_READ_ERRORS = (OSError, EOFError, zlib.error)
"""What reading a damaged or vanished file raises (gzip.BadGzipFile is an OSError)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- reading --------------------------------------------------------------------


def _open_regular(path: Path) -> IO[bytes]:
    """Open ``path`` for reading without ever blocking on a FIFO swapped in since discovery."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ExtractError(str(path), "not a regular file: not read")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _open_input(path: Path) -> IO[bytes]:
    handle = _open_regular(path)
    if path.suffix.lower() == ".gz":
        compressed = gzip.GzipFile(fileobj=handle, mode="rb")
        compressed.myfileobj = handle  # type: ignore[assignment]  # closing it closes the file
        return cast(IO[bytes], compressed)
    return handle


def _read_error(path: Path, exc: BaseException) -> ExtractError:
    if isinstance(exc, FileNotFoundError):
        return ExtractError(str(path), "file vanished before it could be read")
    if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile) and exc.errno:
        return ExtractError(str(path), f"cannot read file: {os_reason(exc)}")
    if isinstance(exc, EOFError):
        return ExtractError(str(path), f"cannot read file: truncated compressed data ({exc})")
    if isinstance(exc, zlib.error):
        return ExtractError(str(path), f"cannot read file: corrupt compressed data ({exc})")
    return ExtractError(str(path), f"cannot read file: {exc}")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ExtractError(
                str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit per document"
            )
        with _open_input(path) as handle:
            data = handle.read(max_bytes + 1)
    except _READ_ERRORS as exc:
        raise _read_error(path, exc) from exc
    if len(data) > max_bytes:
        raise ExtractError(str(path), f"content is over the {max_bytes:,}-byte limit per document")
    return data


def read_single(path: Path, format: DocumentFormat, max_bytes: int) -> RawDocument:
    """Read a one-document file (wire copy or HTML page)."""
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise ExtractError(str(path), "empty file")
    text, encoding = decode_bytes(data, str(path))
    return RawDocument(
        source_uri=str(path),
        document_key=file_key(path),
        text=text,
        format=format,
        content_sha256=sha256_hex(data),
        encoding=encoding,
    )


# -- JSON records -----------------------------------------------------------------


def parse_json(text: str) -> Any:
    """Parse JSON text into a value fit for a record, or say in words why not.

    Nesting is bounded (``MAX_JSON_DEPTH``), integers are bounded by Python's
    digit limit, NUL characters are dropped and lone surrogates become U+FFFD.

    Raises:
        ValueError: with a reason a person can read.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise ValueError(f"nested too deeply (over {MAX_JSON_DEPTH} levels)") from exc
    except ValueError as exc:  # Python's limit on integer digits
        raise ValueError(f"a number is too long ({exc})") from exc
    if json_depth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ValueError(f"nested too deeply (over {MAX_JSON_DEPTH} levels)")
    return clean_json(value)


def _content_key(value: object) -> str | None:
    return web_url(value.get("url")) if isinstance(value, dict) else None


def _record(path: Path, index: int, value: object, raw: bytes) -> ExtractResult:
    uri = f"{path}#{index}"
    if not isinstance(value, dict):
        return Rejection(
            uri, f"record {index} is a JSON {_JSON_KINDS.get(type(value), 'value')}, not an object"
        )
    url = _content_key(value)
    return RawDocument(
        source_uri=uri,
        document_key=url or record_key(path, index),
        text=raw.decode("utf-8", errors="replace"),
        format="record",
        content_sha256=sha256_hex(raw),
        record_index=index,
        url=url,
        fields=value,
    )


def _duplicate(path: Path, index: int, later: int, key: str, sha: str | None = None) -> Rejection:
    return Rejection(
        f"{path}#{index}",
        f"duplicate of {path}#{later}: a later record has the same URL {key}, and it is loaded instead",
        document_key=key,
        content_sha256=sha,
    )


def _read_json_file(path: Path, max_bytes: int) -> Iterator[ExtractResult]:
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise ExtractError(str(path), "empty file")
    try:
        value = parse_json(decode_bytes(data, str(path))[0])
    except ValueError as exc:
        raise ExtractError(str(path), f"invalid JSON: {exc}") from exc
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ExtractError(str(path), "no records: the JSON array is empty")
    last = {key: index for index, item in enumerate(items) if (key := _content_key(item))}
    for index, item in enumerate(items):
        raw = json.dumps(item, sort_keys=True, ensure_ascii=False).encode()
        key = _content_key(item)
        if key and last[key] != index:
            yield _duplicate(path, index, last[key], key, sha256_hex(raw))
            continue
        yield _record(path, index, item, raw)


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(index, line)`` for each line; an over-long line as ``None``, never held whole."""
    index = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield index, None
        else:
            yield index, line
        index += 1


def _line_value(path: Path, index: int, line: bytes) -> tuple[Any, str | None]:
    """Decode and parse one JSONL line: ``(value, None)`` or ``(None, reason)``."""
    uri = f"{path}#{index}"
    try:
        return parse_json(decode_bytes(line, uri)[0]), None
    except ExtractError as exc:
        return None, f"line {index + 1}: {exc.reason}"
    except ValueError as exc:
        return None, f"line {index + 1} is not valid JSON: {exc}"


def _last_jsonl_keys(path: Path, max_bytes: int) -> dict[str, int]:
    """The index of the last record naming each URL, for "the later copy wins"."""
    last: dict[str, int] = {}
    try:
        with _open_input(path) as handle:
            for index, line in _lines(handle, max_bytes):
                if line is None or not line.strip():
                    continue
                # A line naming no http(s) URL cannot collide: skip parsing it again.
                if b"http" not in line.lower():
                    continue
                value, _ = _line_value(path, index, line)
                if key := _content_key(value):
                    last[key] = index
    except _READ_ERRORS:
        pass  # the reading pass reports it, at the place where it happens
    return last


def _read_jsonl_file(path: Path, max_bytes: int) -> Iterator[ExtractResult]:
    last = _last_jsonl_keys(path, max_bytes)
    seen_any = False
    try:
        with _open_input(path) as handle:
            for index, line in _lines(handle, max_bytes):
                uri = f"{path}#{index}"
                if line is None:
                    seen_any = True
                    yield Rejection(
                        uri, f"line {index + 1} is over the {max_bytes:,}-byte limit per document"
                    )
                    continue
                if not line.strip():
                    continue
                seen_any = True
                value, reason = _line_value(path, index, line)
                if reason is not None:
                    yield Rejection(uri, reason)
                    continue
                key = _content_key(value)
                if key and last.get(key, index) != index:
                    yield _duplicate(path, index, last[key], key, sha256_hex(line.strip()))
                    continue
                yield _record(path, index, value, line.strip())
    except _READ_ERRORS as exc:
        raise _read_error(path, exc) from exc
    if not seen_any:
        raise ExtractError(str(path), "empty file")


def read_records(path: Path, max_bytes: int) -> Iterator[ExtractResult]:
    """Yield one RawDocument per JSON object in a ``.json`` or ``.jsonl`` file.

    JSONL is streamed line by line, so a file of millions of records is fine.
    A ``.json`` file may hold one object or an array of objects. When two
    records of one file name the same URL, the later is loaded and the earlier
    is rejected as its duplicate.
    """
    if inner_suffix(path) in {".jsonl", ".ndjson"}:
        yield from _read_jsonl_file(path, max_bytes)
    else:
        yield from _read_json_file(path, max_bytes)


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ExtractResult]:
    """Yield the documents held by one file, or a Rejection for it.

    Never raises for bad input: an unexpected error reading one file becomes a
    rejection of (the rest of) that file, and the run goes on.
    """
    suffix = inner_suffix(path)
    try:
        if is_warc(path):
            yield from read_warc(path, max_bytes)
        elif suffix in RECORD_SUFFIXES:
            yield from read_records(path, max_bytes)
        else:
            # A file named explicitly with an unknown suffix is read as wire text,
            # unless it looks like a web page.
            format: DocumentFormat = TEXT_SUFFIXES.get(suffix, "text")  # type: ignore[assignment]
            document = read_single(path, format, max_bytes)
            if suffix not in TEXT_SUFFIXES and document.text.lstrip()[:1] == "<":
                document = replace(document, format="html")
            yield document
    except ExtractError as exc:
        yield Rejection(display_path(path), exc.reason)
    except (MemoryError, RecursionError, Exception) as exc:  # a reader bug on odd input
        log.debug("extract failed for %s", display_path(path), exc_info=True)
        yield Rejection(display_path(path), f"could not be read ({type(exc).__name__}: {exc})")


MAX_REASON_CHARS = 500


def _readable(rejection: Rejection) -> Rejection:
    """A reason every database stores: no control characters (a NUL from a damaged
    file's first line), no lone surrogates, and short enough to read."""
    reason = "".join(c if c.isprintable() else " " for c in clean_text(rejection.reason))
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    if reason == rejection.reason:
        return rejection
    return replace(rejection, reason=reason)


def extract_documents(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[ExtractResult]:
    """Yield every document (or rejection) under ``paths``, streaming."""
    for item in discover_paths(paths):
        yield from read_discovered(item, max_bytes)


def read_discovered(item: Path | Rejection, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ExtractResult]:
    """The documents (or rejections) of one item of :func:`discover_paths`."""
    if isinstance(item, Rejection):
        yield _readable(item)
    else:
        for result in read_path(item, max_bytes):
            yield _readable(result) if isinstance(result, Rejection) else result
