"""Hand memory freed during a run back to the operating system, window by window.

glibc's ``malloc`` keeps the pages of freed article texts and records in its
heap, scattered between long-lived objects, so a client's resident memory
grew with the number of documents it had passed on though its live data did
not (+15% from 1,000 to 100,000 documents in ``benchmarks/scale.py``).
``malloc_trim(0)`` returns those pages; it costs a few milliseconds per call,
nothing next to a window of a thousand documents. Where the C library has no
``malloc_trim`` (macOS, musl) this does nothing.

The other way round, on transform workers: a fixed ``MALLOC_TRIM_THRESHOLD_``
(Dask's nanny sets 65536 in every worker it spawns) switches off glibc's
adaptive mmap threshold, so each block over 128 KiB, which is most of spaCy's
per-batch arrays, is mapped, zero-filled, faulted in and unmapped again:
spaCy ran 15% slower in a Dask worker than in a pool process. Raising both
thresholds back to glibc's own ceiling puts those blocks in the heap again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

T = TypeVar("T")


# mallopt() parameters, from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
ADAPTIVE_CEILING = 32 * 1024 * 1024
"""The highest mmap threshold glibc's adaptive rule reaches on 64-bit systems."""


@cache
def _libc_function(name: str) -> Callable[..., int] | None:
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):
        return None


def _malloc_trim() -> Callable[[int], int] | None:
    return _libc_function("malloc_trim")


def release_free_memory() -> bool:
    """Return the C heap's free pages to the OS; False where that cannot be asked for."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def releasing_between(items: Iterable[T]) -> Iterator[T]:
    """``items``, with freed memory handed back before each one after the first."""
    for index, item in enumerate(items):
        if index:
            release_free_memory()
        yield item


@cache
def keep_large_blocks_in_heap() -> bool:
    """Undo a fixed ``MALLOC_TRIM_THRESHOLD_`` for this process; True if it was undone.

    Once per process, and only when the variable is set: without it glibc
    adapts on its own and is left alone.
    """
    mallopt = _libc_function("mallopt")
    if mallopt is None or not os.environ.get("MALLOC_TRIM_THRESHOLD_"):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, ADAPTIVE_CEILING) and mallopt(M_TRIM_THRESHOLD, 2 * ADAPTIVE_CEILING)
    )
