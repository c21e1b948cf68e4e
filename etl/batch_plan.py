"""Cut the stream of documents into batches, before any parsing.

A window of batches is read ahead and checked against the database in one
lookup: documents stored with the same content and a current pipeline version
are counted unchanged and never parsed, and a document key met twice in one
run keeps its first copy (the others are rejected), wherever the batch
boundaries fall. Files skipped unopened (:mod:`etl.file_stamps`) arrive as
counts, and a file's :class:`~etl.file_stamps.FileRead` rides with the batch
holding its last document, to be stamped once that batch commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine

from etl.file_stamps import FileRead, Unopened
from etl.load.loader import find_stored_articles
from etl.records import RawDocument, Rejection

Item = RawDocument | Rejection | Unopened | FileRead
"""What :meth:`etl.file_stamps.FileStamps.documents` yields."""

DIGEST_BYTES = 16
"""A document key's digest (BLAKE2b): collision-free in practice at any corpus size, half of SHA-256's."""


def plan_windows(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` cut every ``size`` of them, not counting a :class:`FileRead` (it stays with its file)."""
    window: list[Item] = []
    count = 0
    for item in items:
        if isinstance(item, FileRead):
            window.append(item)
            continue
        if count == size:
            yield window
            window, count = [], 0
        window.append(item)
        count += 1
    if window:
        yield window


@dataclass(slots=True)
class _Slice:
    """A batch's worth of a window, while it is being planned."""

    items: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    documents: dict[str, RawDocument] = field(default_factory=dict)
    unopened: int = 0
    files: list[FileRead] = field(default_factory=list)


@dataclass(slots=True)
class PlannedBatch:
    """A batch after the unchanged-document check, waiting for its transform."""

    size: int
    rejections: list[Rejection]
    todo: list[RawDocument]
    unchanged: int
    files: list[FileRead] = field(default_factory=list)
    """Files whose last documents are in this batch (or an earlier one): stamped once it commits."""
    result: Any = None
    """The transformed batch: a list, or an executor's handle to its results (or its WorkerLoad)."""
    remote: bool = False


class KeyDigests:
    """The 16-byte digests of the document keys met in a run, in about 20 bytes each.

    A set of ``bytes`` costs ~100 bytes an entry (the object and its hash
    slot): 100 MB at a million documents. New digests go to a small set, which
    is merged into one sorted numpy array of 16-byte strings once it holds
    :data:`RECENT` of them or an eighth of the array, whichever is more: so
    the merges, done in C, cost O(n log n) over a run of any size, and a lookup
    is one binary search.
    """

    RECENT = 16384

    def __init__(self) -> None:
        self._recent: set[bytes] = set()
        self._packed = np.empty(0, dtype=f"S{DIGEST_BYTES}")

    def add(self, digest: bytes) -> bool:
        """Note ``digest``; False when it was already there."""
        if digest in self._recent or self._in_packed(digest):
            return False
        self._recent.add(digest)
        if len(self._recent) >= max(self.RECENT, len(self._packed) // 8):
            self._pack()
        return True

    def __len__(self) -> int:
        return len(self._recent) + len(self._packed)

    def _in_packed(self, digest: bytes) -> bool:
        packed = self._packed
        at = int(np.searchsorted(packed, digest))
        # numpy hands a fixed-width string back without its trailing NULs; all digests
        # are 16 bytes long, so the stripped forms compare as the digests do.
        return at < len(packed) and bytes(packed[at]) == digest.rstrip(b"\0")

    def _pack(self) -> None:
        recent = np.array(sorted(self._recent), dtype=self._packed.dtype)
        merged = np.concatenate((self._packed, recent))
        merged.sort(kind="stable")
        self._packed = merged
        self._recent = set()


class BatchPlanner:
    """The batches of one run, with the run-wide "first copy of a key wins" rule."""

    def __init__(
        self,
        batch_size: int,
        reprocess: bool,
        is_current: Callable[[str], bool],
        on_duplicate: Callable[[], None],
    ) -> None:
        self.batch_size = batch_size
        self.reprocess = reprocess
        self.is_current = is_current
        self.on_duplicate = on_duplicate
        self._keys_seen = KeyDigests()

    def plan(self, engine: Engine, window: Sequence[Item]) -> list[PlannedBatch]:
        """Cut ``window`` into batches; split off rejections and unchanged documents, before any parsing.

        One lookup of stored keys per window, not per batch: an unchanged re-run is mostly these lookups.
        """
        # The same key twice in one run (a URL crawled twice, in two files): the first
        # copy met wins, wherever the batch boundaries fall; the others are reported.
        slices: list[_Slice] = []
        current = _Slice()
        for item in window:
            if isinstance(item, FileRead):
                current.files.append(item)
                continue
            if current.items == self.batch_size:
                slices.append(current)
                current = _Slice()
            current.items += 1
            if isinstance(item, Unopened):
                current.unopened += item.documents
            elif isinstance(item, Rejection):
                current.rejections.append(item)
            elif (duplicate := self._duplicate(item)) is not None:
                current.rejections.append(duplicate)
            else:
                current.documents[item.document_key] = item
        slices.append(current)
        keys = [key for piece in slices for key in piece.documents]
        stored = {}
        if keys:  # none in a window of unopened files: no round trip
            with engine.connect() as connection:
                stored = find_stored_articles(connection, keys)
        planned = []
        for piece in slices:
            documents = piece.documents
            todo = [
                document
                for key, document in documents.items()
                if self.reprocess
                or key not in stored
                or stored[key].content_sha256 != document.content_sha256
                or not self.is_current(stored[key].pipeline_version)
            ]
            total = len(piece.rejections) + len(documents) + piece.unopened
            unchanged = len(documents) - len(todo) + piece.unopened
            planned.append(PlannedBatch(total, piece.rejections, todo, unchanged, piece.files))
        return planned

    def _duplicate(self, document: RawDocument) -> Rejection | None:
        """A rejection when ``document``'s key was met earlier in this run, else None (and it is noted)."""
        digest = hashlib.blake2b(document.document_key.encode("utf-8"), digest_size=DIGEST_BYTES).digest()
        if self._keys_seen.add(digest):
            return None
        self.on_duplicate()
        return Rejection(
            document.source_uri,
            f"duplicate: an earlier document in this run has the same key {document.document_key}",
            "extract",
            None,
            document.content_sha256,
        )
