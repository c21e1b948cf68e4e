"""Hand memory freed during a run back to the operating system, window by window.

glibc's ``malloc`` keeps the pages of freed article texts and records in its
heap, scattered between long-lived objects, so a client's resident memory
grew with the number of documents it had passed on though its live data did
not (+15% from 1,000 to 100,000 documents in ``benchmarks/scale.py``).
``malloc_trim(0)`` returns those pages; it costs a few milliseconds per call,
nothing next to a window of a thousand documents. Where the C library has no
``malloc_trim`` (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

T = TypeVar("T")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


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
