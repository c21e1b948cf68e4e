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
