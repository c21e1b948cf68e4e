"""File stamps: an unchanged input file is not opened again on a re-run.

At the end of a successful run (every batch committed, entities resolved) the
run records, for each file it read whose every document was loaded or found
unchanged, the file's path, size, mtime (ns), the pipeline version its
documents were processed with and how many it held (:mod:`etl.load.stamps`).
A later run stats each discovered file; one whose stamp has the same path,
size and mtime and a version that is current for the run is not opened: its
documents count as unchanged. ``--reprocess`` ignores stamps.

The assumption is make's and rsync's: a file edited in place changes its size
or its mtime. A file with any rejected document, a run that met the same
document key twice, or a crashed or failed run stamps nothing, so a re-run
does exactly what a run without stamps would. Results never depend on how the
input was cut into batches: a stamp is per file and written once, at the end.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine

from etl.batch_commit import retry_transaction
from etl.extract.discovery import discover_paths
from etl.extract.files import read_discovered
from etl.load.stamps import Stamp, find_stamps, write_stamps
from etl.records import RawDocument, Rejection

log = logging.getLogger(__name__)

LOOKUP_WINDOW = 2000
"""Discovered files statted and looked up together (one query per 500 of them)."""


@dataclass(frozen=True, slots=True)
class Unopened:
    """A file skipped whole because its stamp matches: its documents are unchanged."""

    path: str
    documents: int


class FileStamps:
    """The stamps of one run: which files to skip, and which to stamp when it succeeds."""

    def __init__(self, version: str, is_current: Callable[[str], bool], use_stored: bool) -> None:
        self.version = version
        self.is_current = is_current
        self.use_stored = use_stored
        self.enabled = True
        self._read: dict[str, list[int]] = {}
        """Files read in this run and still stampable: path -> [size, mtime_ns, documents]."""

    def documents(
        self, engine: Engine, paths: Iterable[Path], max_bytes: int
    ) -> Iterator[RawDocument | Rejection | Unopened]:
        """What ``extract_documents`` yields, with each file whose stamp matches as one :class:`Unopened`."""
        discovered = iter(discover_paths(paths))
        while window := list(islice(discovered, LOOKUP_WINDOW)):
            seen: dict[str, os.stat_result] = {}
            for item in window:
                if isinstance(item, Path):
                    with suppress(OSError):  # reading it says why
                        seen[str(item)] = os.stat(item)
            stored = {}
            if self.use_stored and seen:
                with engine.connect() as connection:
                    stored = find_stamps(connection, seen)
            for item in window:
                path = str(item) if isinstance(item, Path) else None
                if path is None or path not in seen:
                    yield from read_discovered(item, max_bytes)
                    continue
                info = seen[path]
                stamp = stored.get(path)
                if (
                    stamp is not None
                    and stamp.size == info.st_size
                    and stamp.mtime_ns == info.st_mtime_ns
                    and self.is_current(stamp.pipeline_version)
                ):
                    yield Unopened(path, stamp.documents)
                    continue
                state = [info.st_size, info.st_mtime_ns, 0]
                self._read[path] = state
                for result in read_discovered(item, max_bytes):
                    if isinstance(result, Rejection):
                        self._read.pop(path, None)
                    else:
                        state[2] += 1
                    yield result

    def rejected(self, rejections: Iterable[Rejection]) -> None:
        """Files with a document rejected after extract (transform, load) are not stamped."""
        for rejection in rejections:
            uri = rejection.source_uri
            if self._read.pop(uri, None) is None and "#" in uri:
                self._read.pop(uri.rsplit("#", 1)[0], None)

    def disable(self, reason: str) -> None:
        if self.enabled:
            log.info("no file stamps written by this run: %s", reason)
        self.enabled = False

    def stamps(self) -> list[Stamp]:
        if not self.enabled:
            return []
        return [
            Stamp(path, size, mtime_ns, self.version, documents)
            for path, (size, mtime_ns, documents) in self._read.items()
        ]

    def write(self, engine: Engine) -> None:
        """Stamp the files read whole, in one transaction; call only once the run has succeeded."""
        stamps = self.stamps()
        if not stamps:
            return
        now = datetime.now(UTC)

        def attempt() -> None:
            with engine.begin() as connection:
                write_stamps(connection, stamps, now)

        retry_transaction(attempt, "file stamps")
        log.info("stamped %d input files", len(stamps))
