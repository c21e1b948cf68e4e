"""File stamps: an unchanged input file is not opened again on a re-run.

A run stamps each file it read whose every document was loaded or found
unchanged: the file's path, size, mtime (ns), the pipeline version its
documents were processed with and how many it held (:mod:`etl.load.stamps`).
A later run stats each discovered file (the ``stat`` discovery made anyway);
one whose stamp has the same path, size and mtime and a version that is
current for the run is not opened: its documents count as unchanged.
``--reprocess`` ignores stamps.

The assumption is make's and rsync's: a file edited in place changes its size
or its mtime. A file with any rejected document, a run that met the same
document key twice, or a crashed or failed run stamps nothing usable, so a
re-run does exactly what a run without stamps would.

Stamps are written as the run goes, so memory stays flat however many files
it reads: once the batches holding a file's documents have committed, its
stamp is written *provisionally*, tied to the run (``pending_run_id``), in
bulk every :data:`WRITE_EVERY` files. Lookups ignore provisional stamps; the
run confirms all of its own in one statement once it has succeeded (every
batch committed, entities resolved). A run that fails or is interrupted
leaves them unconfirmed (ignored, and replaced when a later run reads the
file); one that met a key twice deletes them. Results never depend on how the
input was cut into batches: a stamp is per file, and usable only at the end.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine

from etl.batch_commit import retry_transaction
from etl.extract.discovery import discover_files
from etl.extract.files import read_discovered
from etl.load.stamps import Stamp, StoredStamp, confirm_stamps, discard_stamps, find_stamps, write_stamps
from etl.records import RawDocument, Rejection

log = logging.getLogger(__name__)

LOOKUP_WINDOW = 2000
"""Discovered files looked up together (one query per 500 of them)."""

WRITE_EVERY = 1000
"""Provisional stamps held before they are written (one transaction each time)."""


@dataclass(frozen=True, slots=True)
class Unopened:
    """Consecutive files skipped whole because their stamps match: their documents are unchanged."""

    files: int
    documents: int


@dataclass(frozen=True, slots=True)
class FileRead:
    """Comes after the documents of a file read whole: stamp it once the batches holding them commit."""

    path: str
    size: int
    mtime_ns: int
    documents: int


class FileStamps:
    """The stamps of one run: which files to skip, and which to stamp as their batches commit."""

    def __init__(self, version: str, is_current: Callable[[str], bool], use_stored: bool) -> None:
        self.version = version
        self.is_current = is_current
        self.use_stored = use_stored
        self.enabled = True
        self.written = 0
        self._open: set[str] = set()
        """Files read whose stamp is not decided yet: only those of the batches in flight."""
        self._ready: list[Stamp] = []
        """Stamps of files whose batches committed, not written yet (at most WRITE_EVERY)."""

    def documents(
        self, engine: Engine, paths: Iterable[Path], max_bytes: int
    ) -> Iterator[RawDocument | Rejection | Unopened | FileRead]:
        """What ``extract_documents`` yields; files whose stamps match come as :class:`Unopened`.

        Each file read without an extract rejection is followed by its :class:`FileRead`.
        """
        discovered = iter(discover_files(paths))
        current: dict[str, bool] = {}  # pipeline version -> is_current, asked once per version
        while window := list(islice(discovered, LOOKUP_WINDOW)):
            found = [item for item in window if not isinstance(item, Rejection)]
            stored: list[StoredStamp | None] = [None] * len(found)
            if self.use_stored and found:
                with engine.connect() as connection:
                    stored = find_stamps(connection, [path for path, _ in found])
            stamps = iter(stored)  # in step with the files of the window
            files = documents = 0  # a run of unopened files, yielded as one item
            for item in window:
                if not isinstance(item, Rejection):
                    path, info = item
                    stamp = next(stamps)
                    if stamp is not None and stamp[0] == info.st_size and stamp[1] == info.st_mtime_ns:
                        version = stamp[2]
                        if version not in current:
                            current[version] = self.is_current(version)
                        if current[version]:
                            files += 1
                            documents += stamp[3]
                            continue
                if files:
                    yield Unopened(files, documents)
                    files = documents = 0
                if isinstance(item, Rejection):
                    yield from read_discovered(item, max_bytes)
                else:
                    yield from self._read(item[0], item[1], max_bytes)
            if files:
                yield Unopened(files, documents)

    def _read(
        self, path: str, info: os.stat_result, max_bytes: int
    ) -> Iterator[RawDocument | Rejection | FileRead]:
        # Open from its first document on: a file long enough to span windows has
        # batches committing (and rejecting) before its last document is read.
        if self.enabled:
            self._open.add(path)
        count = 0
        for result in read_discovered(Path(path), max_bytes):
            if isinstance(result, Rejection):
                self._open.discard(path)
            count += 1
            yield result
        if path in self._open:
            yield FileRead(path, info.st_size, info.st_mtime_ns, count)

    def rejected(self, rejections: Iterable[Rejection]) -> None:
        """Files with a document rejected after extract (transform, load) are not stamped."""
        for rejection in rejections:
            uri = rejection.source_uri
            if uri in self._open:
                self._open.discard(uri)
            elif "#" in uri:
                self._open.discard(uri.rsplit("#", 1)[0])

    def committed(self, engine: Engine, files: Iterable[FileRead], run_id: int) -> None:
        """The batch holding the last documents of ``files`` committed: stamp those still stampable.

        Call after :meth:`rejected` of that batch and every earlier one.
        """
        for file in files:
            if file.path in self._open:
                self._open.discard(file.path)
                if self.enabled:
                    stamp = Stamp(file.path, file.size, file.mtime_ns, self.version, file.documents)
                    self._ready.append(stamp)
        if len(self._ready) >= WRITE_EVERY:
            self._flush(engine, run_id)

    def _flush(self, engine: Engine, run_id: int) -> None:
        stamps, now = self._ready, datetime.now(UTC)
        if not stamps:
            return

        def attempt() -> None:
            with engine.begin() as connection:
                write_stamps(connection, stamps, run_id, now)

        retry_transaction(attempt, "file stamps")
        self.written += len(stamps)
        self._ready = []

    def disable(self, reason: str) -> None:
        if self.enabled:
            log.info("no file stamps written by this run: %s", reason)
        self.enabled = False
        self._open.clear()
        self._ready = []

    def finish(self, engine: Engine, run_id: int) -> None:
        """Confirm this run's stamps, in one transaction; call only once the run has succeeded.

        A run that stopped stamping (it met a key twice) deletes what it wrote before that.
        """
        if self.enabled:
            self._flush(engine, run_id)
        if not self.written:
            return
        now = datetime.now(UTC)

        def attempt() -> None:
            with engine.begin() as connection:
                if self.enabled:
                    confirm_stamps(connection, run_id, now)
                else:
                    discard_stamps(connection, run_id)

        retry_transaction(attempt, "file stamps")
        if self.enabled:
            log.info("stamped %d input files", self.written)
