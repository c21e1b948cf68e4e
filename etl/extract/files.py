"""Find documents under paths and read them into RawDocuments.

I/O only: no parsing beyond splitting a container (JSON, JSONL) into records.
Anything that cannot be read becomes a :class:`Rejection` with a reason a
person can act on; nothing is skipped silently.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from etl.errors import ExtractError
from etl.extract.decode import decode_bytes, without_nul
from etl.extract.warc import is_warc, read_warc
from etl.records import DocumentFormat, RawDocument, Rejection

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest single document read; a news article is rarely over 1 MB."""

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}

ExtractResult = RawDocument | Rejection

_JSON_KINDS = {
    str: "string",
    list: "array",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inner_suffix(path: Path) -> str:
    """Return the meaningful suffix, looking through a ``.gz``: a.html.gz -> .html."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ""
    return suffixes[-1] if suffixes else ""


def is_supported(path: Path) -> bool:
    suffix = _inner_suffix(path)
    return suffix in TEXT_SUFFIXES or suffix in RECORD_SUFFIXES or is_warc(path)


def discover_paths(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Yield input files under ``paths`` in a stable order.

    Folders are walked recursively; hidden files and folders are ignored.
    A path that does not exist, or a file of an unknown type inside a folder,
    is yielded as a Rejection.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts) or not child.is_file():
                    continue
                if is_supported(child):
                    yield child
                else:
                    yield Rejection(
                        str(child), f"unsupported file type {''.join(child.suffixes) or '(no suffix)'!r}"
                    )
        elif path.is_file():
            yield path
        else:
            yield Rejection(str(path), "no such file or folder")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ExtractError(
                str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit per document"
            )
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise ExtractError(str(path), "file vanished before it could be read") from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ExtractError(str(path), f"cannot read file: {exc}") from exc
    if len(data) > max_bytes:
        raise ExtractError(str(path), f"content is over the {max_bytes:,}-byte limit per document")
    return data


def file_key(path: Path) -> str:
    """Identity of a file-backed document, independent of the working directory."""
    return path.resolve().as_uri()


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


def _record(path: Path, index: int, value: object, raw: bytes) -> ExtractResult:
    uri = f"{path}#{index}"
    if not isinstance(value, dict):
        return Rejection(
            uri, f"record {index} is a JSON {_JSON_KINDS.get(type(value), 'value')}, not an object"
        )
    url = value.get("url") if isinstance(value.get("url"), str) else None
    return RawDocument(
        source_uri=uri,
        document_key=url or f"{file_key(path)}#{index}",
        text=raw.decode("utf-8", errors="replace"),
        format="record",
        content_sha256=sha256_hex(raw),
        record_index=index,
        url=url,
        fields=value,
    )


def read_records(path: Path, max_bytes: int) -> Iterator[ExtractResult]:
    """Yield one RawDocument per JSON object in a ``.json`` or ``.jsonl`` file.

    JSONL is streamed line by line, so a file of millions of records is fine.
    A ``.json`` file may hold one object or an array of objects.
    """
    jsonl = _inner_suffix(path) in {".jsonl", ".ndjson"}
    if not jsonl:
        data = _read_bytes(path, max_bytes)
        if not data.strip():
            raise ExtractError(str(path), "empty file")
        try:
            value = without_nul(json.loads(decode_bytes(data, str(path))[0]))
        except json.JSONDecodeError as exc:
            raise ExtractError(str(path), f"invalid JSON: {exc}") from exc
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            raw = json.dumps(item, sort_keys=True, ensure_ascii=False).encode()
            yield _record(path, index, item, raw)
        return
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    seen_any = False
    try:
        with opener(path, "rb") as handle:
            for index, line in enumerate(handle):
                if not line.strip():
                    continue
                seen_any = True
                uri = f"{path}#{index}"
                if len(line) > max_bytes:
                    yield Rejection(
                        uri, f"line {index + 1} is over the {max_bytes:,}-byte limit per document"
                    )
                    continue
                try:
                    value = without_nul(json.loads(decode_bytes(line, uri)[0]))
                except ExtractError as exc:
                    yield Rejection(uri, f"line {index + 1}: {exc.reason}")
                    continue
                except json.JSONDecodeError as exc:
                    yield Rejection(
                        uri, f"line {index + 1} is not valid JSON: {exc.msg} (column {exc.colno})"
                    )
                    continue
                yield _record(path, index, value, line.strip())
    except FileNotFoundError as exc:
        raise ExtractError(str(path), "file vanished before it could be read") from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ExtractError(str(path), f"cannot read file: {exc}") from exc
    if not seen_any:
        raise ExtractError(str(path), "empty file")


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ExtractResult]:
    """Yield the documents held by one file, or a Rejection for it."""
    suffix = _inner_suffix(path)
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
        yield Rejection(str(path), exc.reason)


def extract_documents(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[ExtractResult]:
    """Yield every document (or rejection) under ``paths``, streaming."""
    for item in discover_paths(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_path(item, max_bytes)
