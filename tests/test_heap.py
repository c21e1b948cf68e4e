"""Freed memory is handed back between windows of a run, where the C library allows it."""

from __future__ import annotations

import platform

import pytest

from etl import heap


def test_releasing_between_yields_every_item_and_releases_between_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(heap, "release_free_memory", lambda: calls.append(1) or True)
    assert list(heap.releasing_between(iter("abc"))) == ["a", "b", "c"]
    assert len(calls) == 2  # before the second and the third, not before the first


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_release_free_memory_reaches_glibc() -> None:
    garbage = ["x" * 100_000 for _ in range(200)]  # freed pages malloc can give back
    del garbage
    assert heap.release_free_memory() is True


# What a block of 1 MiB does, asked for in a fresh process: reports the bytes glibc
# holds in mmapped blocks before and while it is allocated, before and after the fix.
_PROBE = """
import ctypes, json
from etl import heap

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]

def mapped_by_one_mib():
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(1 << 20)
    during = libc.mallinfo2().hblkhd
    libc.free(block)
    return during - before

first = mapped_by_one_mib()
undone = heap.keep_large_blocks_in_heap()
print(json.dumps([first, undone, mapped_by_one_mib()]))
"""


def _probe(env: dict[str, str]) -> list[int]:
    import json
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env={**environ, **env}, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout))


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_fixed_trim_threshold_is_undone_so_large_blocks_stay_in_the_heap() -> None:
    # As in a Dask worker: the variable pins every block over 128 KiB to its own mapping.
    mapped_before, undone, mapped_after = _probe({"MALLOC_TRIM_THRESHOLD_": "65536"})
    assert mapped_before >= 1 << 20
    assert undone is True
    assert mapped_after == 0


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_without_the_variable_glibc_is_left_to_adapt_on_its_own() -> None:
    assert _probe({})[1] is False
