"""Web archives (``.warc``, ``.warc.gz``, as Common Crawl's CC-NEWS) -> RawDocuments.

Each HTML ``response`` record is one page, keyed by its ``WARC-Target-URI``
when that is an http(s) URL (else by the archive path plus record index).
Requests, metadata, revisits and non-HTML responses are skipped: they hold no
article. The file is streamed record by record, so memory stays flat however
large the archive is.

A damaged record (a decompression error, fewer bytes than its Content-Length,
a digest that does not match) is rejected and never yielded: a truncated copy
must not replace a good article already stored. When the archive cannot be
read past some point, the rest of it is rejected with the reason.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.digestverifyingreader import DigestVerifyingReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester

from etl.errors import ExtractError
from etl.extract.decode import decode_bytes
from etl.extract.keys import record_key, web_url
from etl.records import RawDocument, Rejection

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_DRAIN_CHUNK = 1 << 16


def is_warc(path: Path) -> bool:
    """Say whether ``path`` names a web archive."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def _charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _declared_charset(content_type: str | None, data: bytes) -> str | None:
    """The HTTP charset, else the page's own <meta charset> (in its first 4 KB).

    Pages often keep a stale <meta charset> after moving to UTF-8, so bytes
    that are valid UTF-8 are read as UTF-8 whatever the meta tag says.
    """
    declared = _charset(content_type)
    if declared:
        return declared
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(1).decode("ascii", "replace")
    return "utf-8"


class DamagedRecord(Exception):
    """A record whose bytes are not all there, or not the bytes that were archived."""


_HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False)


def _http_headers(record: ArcWarcRecord) -> StatusAndHeaders | None:
    """Parse the HTTP headers of a response record (warcio is told not to: see read_warc)."""
    if record.length == 0:
        return None
    try:
        headers: StatusAndHeaders = _HTTP_PARSER.parse(record.raw_stream)
    except (EOFError, ValueError) as exc:
        raise DamagedRecord(f"no HTTP response headers ({str(exc) or 'the record ends first'})") from exc
    record.http_headers = headers
    stream = record.raw_stream
    if isinstance(stream, DigestVerifyingReader) and stream.payload_digester_obj is not None:
        # The payload starts after the headers just read: restart its digest there.
        stream.payload_digester_obj = Digester(stream.payload_digester_obj.type_)
        stream.begin_payload()
    return headers


def _is_html(headers: StatusAndHeaders | None) -> bool:
    if headers is None:
        return False
    content_type = (headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in HTML_TYPES


def _drain(record: ArcWarcRecord) -> None:
    """Read the rest of the record block and check it was all there and unaltered."""
    stream = record.raw_stream
    while stream.read(_DRAIN_CHUNK):
        pass
    missing = getattr(stream, "limit", 0)
    if missing:
        raise DamagedRecord(
            f"truncated: {missing:,} of its {record.length:,} bytes (Content-Length) are missing"
        )
    checker = record.digest_checker
    # An unknown hash name is no evidence of damage; a digest that does not match is.
    failed = [str(p) for p in (checker.problems if checker is not None else []) if "failed" in str(p)]
    if failed:
        raise DamagedRecord(f"digest mismatch ({'; '.join(failed)})")


def _read_payload(record: ArcWarcRecord, max_bytes: int) -> bytes:
    """The HTTP body, de-chunked and decompressed, at most ``max_bytes``; the block checked whole."""
    stream = record.content_stream()
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        _drain(record)
        raise ValueError(f"page is over the {max_bytes:,}-byte limit per document")
    _drain(record)
    return data


def _records(handle: IO[bytes]) -> Iterator[tuple[int, int, ArcWarcRecord | None]]:
    """Yield ``(index, offset, record)``; the caller reads each record before asking for the next."""
    # HTTP headers are parsed here, not by warcio: its parser fails on a record
    # with no WARC-Target-URI. Digests are checked when the record carries them.
    iterator = ArchiveIterator(handle, no_record_parse=True, check_digests=True)
    count = 0
    for index, record in enumerate(iterator):
        count = index + 1
        offset = iterator.offset
        if record.format != "warc":
            # warcio falls back to reading any text as ARC lines; a
            # .warc file that is not WARC is a damaged or misnamed file.
            raise DamagedRecord(f"record {index} is not a WARC record")
        yield index, offset, record
        iterator.read_to_end()
    yield count, iterator.offset, None


def _target(record: ArcWarcRecord) -> str | None:
    target: str | None = record.rec_headers.get_header("WARC-Target-URI")
    return target.strip() if target and target.strip() else None


def _last_targets(path: Path) -> dict[str, int]:
    """The index of the last HTML response for each URL, for "the later copy wins"."""
    last: dict[str, int] = {}
    try:
        with path.open("rb") as handle:
            for index, _offset, record in _records(handle):
                if record is None or record.rec_type != "response":
                    continue
                key = web_url(_target(record))
                if key and _is_html(_http_headers(record)):
                    last[key] = index
    except Exception:  # the reading pass reports damage where it happens
        log.debug("pre-scan of %s stopped early", path, exc_info=True)
    return last


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument (format "html") per HTML response record of a WARC.

    A response that cannot be read, decoded or is damaged becomes a Rejection
    naming the record; the part of an archive that cannot be read at all
    becomes one Rejection, after the records read before it.
    """
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        raise ExtractError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    last = _last_targets(path)
    with handle:
        index = -1
        pages = 0
        end = 0
        try:
            for index, offset, record in _records(handle):
                if record is None:
                    end, index = offset, index - 1
                    break
                if record.rec_type != "response":
                    continue
                uri = f"{path}#{index}"
                target = _target(record)
                try:
                    headers = _http_headers(record)
                except DamagedRecord as exc:
                    pages += 1
                    yield Rejection(
                        uri, f"response record {index} ({target or 'no target URI'}) is damaged: {exc}"
                    )
                    continue
                if not _is_html(headers):
                    continue
                pages += 1
                if not target:
                    yield Rejection(uri, f"response record {index} has no WARC-Target-URI")
                    continue
                url = web_url(target)
                key = url or record_key(path, index)
                if url and last.get(url, index) != index:
                    yield Rejection(
                        uri,
                        f"duplicate of {path}#{last[url]}: a later record has the same URL {url},"
                        " and it is loaded instead",
                        document_key=url,
                    )
                    continue
                try:
                    data = _read_payload(record, max_bytes)
                    declared = _declared_charset(headers.get_header("Content-Type"), data)  # type: ignore[union-attr]
                    text, encoding = decode_bytes(data, uri, declared)
                except ExtractError as exc:
                    yield Rejection(uri, f"record {index} ({target}): {exc.reason}", document_key=key)
                    continue
                except DamagedRecord as exc:
                    yield Rejection(uri, f"record {index} ({target}) is damaged: {exc}", document_key=key)
                    continue
                except (ValueError, OSError, EOFError, zlib.error) as exc:
                    yield Rejection(
                        uri, f"record {index} ({target}): cannot read payload: {exc}", document_key=key
                    )
                    continue
                if not text.strip():
                    yield Rejection(uri, f"record {index} ({target}): empty page", document_key=key)
                    continue
                yield RawDocument(
                    source_uri=uri,
                    document_key=key,
                    text=text,
                    format="html",
                    content_sha256=hashlib.sha256(data).hexdigest(),
                    encoding=encoding,
                    record_index=index,
                    url=url,
                )
        except Exception as exc:
            # A damaged archive: what was read so far stands, the rest is rejected.
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield Rejection(f"{path}#{index + 1}", f"unreadable WARC after record {index}: {reason}")
            return
        if 0 < end < size and handle.read(1) == b"" and _trailing_garbage(path, end, size):
            yield Rejection(
                f"{path}#{index + 1}",
                f"truncated WARC: the last {size - end:,} bytes after record {index}"
                " are not a complete record",
            )
            return
        if pages == 0:
            # Not an error for the archive, but the run report should say it held no page.
            yield Rejection(str(path), f"no HTML response records among its {index + 1} records")


def _trailing_garbage(path: Path, end: int, size: int) -> bool:
    """Say whether bytes after the last complete record are more than blank lines."""
    with path.open("rb") as handle:
        handle.seek(end)
        tail = handle.read(min(size - end, 1 << 16))
    return bool(tail.strip())
