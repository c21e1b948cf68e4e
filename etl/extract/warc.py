"""Web archives (``.warc``, ``.warc.gz``, as Common Crawl's CC-NEWS) -> RawDocuments.

Each HTML ``response`` record is one page, keyed by its ``WARC-Target-URI``.
Requests, metadata, revisits and non-HTML responses are skipped: they hold no
article. The file is streamed record by record, so memory stays flat however
large the archive is.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from etl.errors import ExtractError
from etl.extract.decode import decode_bytes
from etl.records import RawDocument, Rejection

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


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


def _is_html(record: ArcWarcRecord) -> bool:
    if record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in HTML_TYPES


def _read_payload(record: ArcWarcRecord, max_bytes: int) -> bytes:
    """The HTTP body, de-chunked and decompressed, at most ``max_bytes``."""
    stream = record.content_stream()
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"page is over the {max_bytes:,}-byte limit per document")
    return data


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument (format "html") per HTML response record of a WARC.

    A response that cannot be read or decoded becomes a Rejection naming the
    record; an archive that cannot be read at all raises ExtractError.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ExtractError(str(path), f"cannot read file: {exc}") from exc
    with handle:
        index = -1
        pages = 0
        try:
            for index, record in enumerate(ArchiveIterator(handle)):
                if record.format != "warc":
                    # warcio falls back to reading any text as ARC lines; a
                    # .warc file that is not WARC is a damaged or misnamed file.
                    raise ArchiveLoadFailed(f"record {index} is not a WARC record")
                if record.rec_type != "response" or not _is_html(record):
                    continue
                uri = f"{path}#{index}"
                target = record.rec_headers.get_header("WARC-Target-URI")
                pages += 1
                if not target:
                    yield Rejection(uri, f"response record {index} has no WARC-Target-URI")
                    continue
                try:
                    data = _read_payload(record, max_bytes)
                    declared = _declared_charset(record.http_headers.get_header("Content-Type"), data)
                    text, encoding = decode_bytes(data, uri, declared)
                except ExtractError as exc:
                    yield Rejection(uri, f"record {index} ({target}): {exc.reason}", document_key=target)
                    continue
                except (ValueError, OSError, EOFError) as exc:
                    yield Rejection(
                        uri, f"record {index} ({target}): cannot read payload: {exc}", document_key=target
                    )
                    continue
                if not text.strip():
                    yield Rejection(uri, f"record {index} ({target}): empty page", document_key=target)
                    continue
                yield RawDocument(
                    source_uri=uri,
                    document_key=target,
                    text=text,
                    format="html",
                    content_sha256=hashlib.sha256(data).hexdigest(),
                    encoding=encoding,
                    record_index=index,
                    url=target,
                )
        except ArchiveLoadFailed as exc:
            # A damaged archive: what was read so far stands, the rest is rejected.
            yield Rejection(f"{path}#{index + 1}", f"unreadable WARC after record {index}: {exc}")
            return
        except (OSError, EOFError) as exc:
            yield Rejection(f"{path}#{index + 1}", f"cannot read WARC after record {index}: {exc}")
            return
        if pages == 0:
            # Not an error for the archive, but the run report should say it held no page.
            yield Rejection(str(path), f"no HTML response records among its {index + 1} records")
