"""Find documents under paths and read them into RawDocuments.

I/O only: no parsing beyond splitting a container (JSON, JSONL) into records.
Anything that cannot be read becomes a :class:`Rejection` with a reason a
person can act on; nothing is skipped silently, and no input, however odd,
stops the run: every path the user named ends as documents or rejections.
"""

from __future__ import annotations

import errno
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
from etl.extract.keys import file_key, record_key, web_url
from etl.extract.warc import is_warc, read_warc
from etl.records import DocumentFormat, RawDocument, Rejection

__all__ = ["DEFAULT_MAX_BYTES", "MAX_JSON_DEPTH", "discover_paths", "extract_documents", "file_key"]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest single document read; a news article is rarely over 1 MB."""

MAX_JSON_DEPTH = 64
"""Deepest JSON nesting accepted in a record; real article records nest a few levels."""

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

_READ_ERRORS = (OSError, EOFError, zlib.error)
"""What reading a damaged or vanished file raises (gzip.BadGzipFile is an OSError)."""


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


# -- discovery ----------------------------------------------------------------


def display_path(path: str | Path) -> str:
    """``path`` as text that encodes to UTF-8: undecodable bytes of a name shown as ``\\xNN``."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _valid_name(path: str | Path) -> bool:
    return display_path(path) == str(path)


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _special_kind(mode: int) -> str:
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def _link_rejection(link: Path, root: Path) -> Rejection:
    """Why a symbolic link inside a given folder is not followed."""
    shown = display_path(link)
    try:
        target = os.readlink(link)
    except OSError as exc:
        return Rejection(shown, f"symbolic link cannot be read: {_os_reason(exc)}")
    shown_target = display_path(target)
    try:
        resolved = link.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return Rejection(shown, f"symbolic link loop ({shown_target}): not followed")
    except FileNotFoundError:
        return Rejection(shown, f"dangling symbolic link to {shown_target}: its target does not exist")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejection(shown, f"symbolic link loop ({shown_target}): not followed")
        return Rejection(shown, f"symbolic link to {shown_target} cannot be followed: {_os_reason(exc)}")
    if not resolved.is_relative_to(root):
        return Rejection(
            shown, f"symbolic link to {display_path(resolved)}, outside the given folder: not followed"
        )
    return Rejection(
        shown,
        f"symbolic link to {display_path(resolved)}: not followed (the target is read in its own place)",
    )


def _walk(folder: Path, root: Path, skip: set[Path]) -> Iterator[Path | Rejection]:
    """Yield the files under ``folder`` in name order, rejecting whatever cannot be read.

    Symbolic links are never followed and special files are never opened.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield Rejection(display_path(folder), f"cannot list folder: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = folder / entry.name
        if not _valid_name(entry.name):
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            yield Rejection(display_path(child), f"{kind} name is not valid UTF-8: rename it to load it")
            continue
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            yield Rejection(str(child), f"cannot read file: {_os_reason(exc)}")
            continue
        if stat.S_ISLNK(mode):
            yield _link_rejection(child, root)
        elif stat.S_ISDIR(mode):
            if skip and child.resolve() in skip:
                continue  # a folder the user also named: it is read there
            yield from _walk(child, root, skip)
        elif skip and child.resolve() in skip:
            continue  # a file the user also named: it is read there
        elif not stat.S_ISREG(mode):
            yield Rejection(str(child), f"{_special_kind(mode)}, not a regular file: not opened")
        elif is_supported(child):
            yield child
        else:
            yield Rejection(str(child), f"unsupported file type {''.join(child.suffixes) or '(no suffix)'!r}")


def discover_paths(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Yield input files under ``paths`` in a stable order.

    Folders are walked recursively; hidden files and folders are ignored.
    A path that does not exist or cannot be read, a special file, a symbolic
    link inside a folder (never followed out of it), an empty folder, or a
    file of an unknown type inside a folder is yielded as a Rejection. A path
    named twice (or named and also inside a named folder) is read once.
    """
    given = [Path(p) for p in paths]
    resolved: list[Path | None] = []
    for path in given:
        try:
            resolved.append(path.resolve(strict=True))
        except (OSError, RuntimeError):
            resolved.append(None)
    for position, path in enumerate(given):
        shown = display_path(path)
        if not _valid_name(path):
            yield Rejection(shown, "path is not valid UTF-8: rename it to load it")
            continue
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            reason = "dangling symbolic link" if path.is_symlink() else "no such file or folder"
            yield Rejection(shown, reason)
            continue
        except RuntimeError:
            yield Rejection(shown, "symbolic link loop")
            continue
        except OSError as exc:
            yield Rejection(shown, f"cannot read path: {_os_reason(exc)}")
            continue
        real = resolved[position]
        if real is not None and real in resolved[:position]:
            yield Rejection(shown, "named twice: read once")
            continue
        if stat.S_ISDIR(mode):
            root = real or path
            # Other inputs that lie inside this folder are read where they are named.
            skip = {r for r in resolved if r is not None and r != root}
            found = False
            for item in _walk(path, root, skip):
                found = True
                yield item
            if not found and not any(r.is_relative_to(root) for r in skip):
                yield Rejection(shown, "folder holds no input files")
        elif stat.S_ISREG(mode):
            yield path
        else:
            yield Rejection(shown, f"{_special_kind(mode)}, not a regular file: not opened")


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
        return ExtractError(str(path), f"cannot read file: {_os_reason(exc)}")
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
    if _inner_suffix(path) in {".jsonl", ".ndjson"}:
        yield from _read_jsonl_file(path, max_bytes)
    else:
        yield from _read_json_file(path, max_bytes)


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ExtractResult]:
    """Yield the documents held by one file, or a Rejection for it.

    Never raises for bad input: an unexpected error reading one file becomes a
    rejection of (the rest of) that file, and the run goes on.
    """
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
        if isinstance(item, Rejection):
            yield _readable(item)
        else:
            for result in read_path(item, max_bytes):
                yield _readable(result) if isinstance(result, Rejection) else result
