"""py3langid's byte n-gram count, done by numpy instead of a Python loop: same counts, same scores.

py3langid finds its features by walking a text's UTF-8 bytes through an
Aho-Corasick automaton, one byte per Python iteration: most of the cost of a
``--no-nlp`` transform. The state such an automaton is in after a byte is the
longest suffix of the text so far that is a node of its trie, so it depends
only on the last ``depth`` bytes (the trie's depth: 6 for the shipped model).
Every position's state is therefore found by running the automaton from its
start over the ``depth`` bytes ending there, for all positions at once.

The features come out counted in the order of their first occurrence, as from
py3langid's own walk, so the scores are summed in the same order, bit for bit.
The model's weights are also cast to float32 once instead of on every text.
Imported only when the model is loaded (see :func:`etl.transform.language._identifier`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from py3langid.langid import LanguageIdentifier

__all__ = ["MODEL_TRIE_DEPTH", "fast_identifier_class", "trie_depth"]

MODEL_TRIE_DEPTH = 6
""":func:`trie_depth` of the model py3langid ships (a test checks it: computing it takes a second)."""


def trie_depth(nextmove: NDArray[np.uintc], rowbase: NDArray[np.intp]) -> int:
    """The length of the longest string a state of the automaton stands for (breadth-first from the start)."""
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.intp)
    depth = 0
    every_byte = np.arange(256, dtype=np.intp)
    while True:
        # In slices of states: all 256 moves of every state at once would take 100 MB.
        reached = np.unique(
            np.concatenate(
                [
                    np.unique(nextmove[rowbase[frontier[start : start + 1024]][:, None] + every_byte])
                    for start in range(0, len(frontier), 1024)
                ]
            )
        )
        frontier = reached[~seen[reached]]
        if len(frontier) == 0:
            return depth
        seen[frontier] = True
        depth += 1


class _NumpyWalkIdentifier(LanguageIdentifier):  # type: ignore[misc]
    """A py3langid identifier whose feature count runs in numpy; everything else is py3langid's."""

    __slots__ = ("_depth", "_np_nextmove", "_np_output", "_np_rowbase")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A view of py3langid's own table (array of C unsigned ints): no copy of its 40 MB.
        self._np_nextmove = np.frombuffer(self.tk_nextmove, dtype=np.uintc)
        self._np_rowbase = np.asarray(self.tk_row, dtype=np.intp) << 8
        self._np_output = np.asarray(self.tk_output, dtype=np.intp)
        self._depth = MODEL_TRIE_DEPTH

    def visit_counts(self, text: bytes) -> dict[int, int] | None:
        """{feature: count} in order of first occurrence, as ``py3langid.langid.visit_counts``."""
        data = np.frombuffer(text, dtype=np.uint8).astype(np.intp)
        size = len(data)
        if size == 0:
            return None
        states = np.zeros(size, dtype=np.uintc)
        nextmove, rowbase = self._np_nextmove, self._np_rowbase
        # Position i reads bytes i-k for k = depth-1 ... 0 (those before the text's start: none).
        for back in range(min(self._depth, size) - 1, -1, -1):
            ahead = states[back:]
            states[back:] = nextmove[rowbase[ahead] + data[: size - back]]
        features = self._np_output[states]
        features = features[features >= 0]
        if len(features) == 0:
            return None
        found, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first)
        return dict(zip(found[order].tolist(), counts[order].tolist(), strict=True))

    def set_languages(self, langs: Any = None) -> None:
        """py3langid's restriction, then the weights as one C-ordered float32 array.

        py3langid keeps them as a float16 column selection and its scoring casts the
        rows it gathers to float32 for every text; casting them once gives the same
        products (the checks in tests/test_transform_language_walk.py compare every
        score) at a tenth of the cost, for about 25 MB more per process.
        """
        super().set_languages(langs)
        # mypy sees no slots of an untyped base class.
        self.nb_ptc = np.ascontiguousarray(self.nb_ptc, dtype=np.float32)  # type: ignore[misc,has-type]

    def _raw_score(self, text: bytes) -> Any:
        visits = self.visit_counts(text)
        if visits is None:
            return super()._raw_score(text)
        return self._sparse_score(visits, self.nb_ptc)


@lru_cache(maxsize=1)
def fast_identifier_class() -> type[Any]:
    """The identifier class to load the model with."""
    return _NumpyWalkIdentifier
