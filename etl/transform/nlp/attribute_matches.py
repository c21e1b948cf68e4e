"""The attribute ruler's matches, found by table lookups instead of spaCy's general Matcher.

``en_core_web_sm``'s attribute ruler maps each fine-grained tag (and a list
of word exceptions) to its part of speech, morphology and lemma with about
180 patterns. Each is a fixed run of one or two tokens tested for equality,
membership or a regular expression on ``TAG``, ``LOWER``, ``DEP`` or
``IS_SPACE``, yet spaCy's Matcher walks every pattern over every token: that
was about 12% of all the time spaCy spent on an article, as much as the
shared tok2vec layer.

:class:`AttributeMatches` indexes those patterns by one value they test, so
each token is checked only against the few patterns its own tag or word can
start. A pattern of any other kind (an operator such as ``"OP": "+"``, an
attribute not listed here) stays with a spaCy Matcher holding just those.
The matches, their order and so every annotation the ruler sets are the same
as spaCy's own (``tests/test_nlp_attribute_matches.py`` compares them);
:func:`install` gives a loaded pipeline's ruler this ``match``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

TESTED = ("LOWER", "DEP", "TAG", "IS_SPACE")
"""Token attributes a pattern may test here, in the order of a token's row: a pattern
is indexed by the first of them it tests for values, the most selective first."""

Match = tuple[int, int, int, int]
"""(rule number, match id, start, end): what ``AttributeRuler.match`` returns, sorted."""

Row = Sequence[int]
Test = Callable[[Row, Any], bool]
"""A test of one token: its row of attribute ids, and the string store (for regular expressions)."""


class _Pattern:
    """A fixed run of tokens, each with its tests; found where its indexed token sits."""

    __slots__ = ("length", "match_id", "number", "offset", "only_index", "tests")

    def __init__(self, number: int, match_id: int, tests: list[list[Test]], offset: int) -> None:
        self.number, self.match_id, self.tests, self.offset = number, match_id, tests, offset
        self.length = len(tests)
        self.only_index = self.length == 1 and len(tests[0]) == 1
        """One token, one test: the index lookup that found it is the whole test."""

    def at(self, rows: list[Row], hit: int, strings: Any) -> Match | None:
        start = hit - self.offset
        if start < 0 or start + self.length > len(rows):
            return None
        for k, tests in enumerate(self.tests):
            row = rows[start + k]
            if not all(test(row, strings) for test in tests):
                return None
        return (self.number, self.match_id, start, start + self.length)


def _regex_test(position: int, pattern: re.Pattern[str]) -> Test:
    """A regular expression on an attribute's text, remembered per value (a vocabulary is finite)."""
    seen: dict[int, bool] = {}

    def test(row: Row, strings: Any) -> bool:
        value = row[position]
        result = seen.get(value)
        if result is None:
            result = seen[value] = bool(pattern.search(strings[value]))
        return result

    return test


def _member_test(position: int, values: frozenset[int], member: bool) -> Test:
    def test(row: Row, strings: Any) -> bool:
        return (row[position] in values) is member

    return test


def _token_tests(
    spec: dict[str, Any], strings: Any
) -> tuple[list[Test], list[tuple[int, frozenset[int]]]] | None:
    """The tests of one token's spec, and the (attribute, values) it could be indexed by; None if unsupported."""
    tests: list[Test] = []
    keys: list[tuple[int, frozenset[int]]] = []
    for name, value in spec.items():
        if name not in TESTED:
            return None
        position = TESTED.index(name)
        if isinstance(value, bool):  # IS_SPACE: a flag, 0 or 1 in the row
            values = frozenset({int(value)})
        elif isinstance(value, str):
            values = frozenset({strings.add(value)})
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN", "REGEX"}:
            ((operator, operand),) = value.items()
            if operator == "REGEX":
                tests.append(_regex_test(position, re.compile(operand)))
                continue
            hashes = frozenset(strings.add(v) if isinstance(v, str) else int(v) for v in operand)
            if operator == "NOT_IN":
                tests.append(_member_test(position, hashes, member=False))
                continue
            values = hashes
        else:
            return None
        keys.append((position, values))
        tests.append(_member_test(position, values, member=True))
    keys.sort(key=lambda key: key[0])
    return tests, keys


class AttributeMatches:
    """Same matches as ``ruler.match(doc)``, with the patterns looked up by value."""

    def __init__(self, ruler: AttributeRuler) -> None:
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self._index: dict[tuple[int, int], list[_Pattern]] = {}
        """(attribute position, value) -> the patterns with a token testing that value."""
        self._scan: list[_Pattern] = []
        """Patterns with nothing to index them by: tried at every token."""
        self._rest = Matcher(ruler.vocab)
        for number, rule in enumerate(ruler.patterns):
            match_id = strings.add(str(number))  # the key AttributeRuler.add gave the rule
            patterns = cast("list[list[dict[str, Any]]]", rule["patterns"])
            others = [p for p in patterns if not self._add(number, match_id, p, strings)]
            if others:
                self._rest.add(match_id, others)
        self._positions = sorted({position for position, _ in self._index})

    def _add(self, number: int, match_id: int, pattern: list[dict[str, Any]], strings: Any) -> bool:
        """Index a fixed run of plain token tests; False for a pattern the Matcher must keep."""
        tests: list[list[Test]] = []
        first_key: tuple[int, int, frozenset[int]] | None = None  # (token offset, position, values)
        for offset, spec in enumerate(pattern):
            parsed = _token_tests(spec, strings)
            if parsed is None:
                return False
            tests.append(parsed[0])
            if first_key is None and parsed[1]:
                first_key = (offset, *parsed[1][0])
        if first_key is None:
            self._scan.append(_Pattern(number, match_id, tests, 0))
            return True
        offset, position, values = first_key
        entry = _Pattern(number, match_id, tests, offset)
        for value in values:
            self._index.setdefault((position, value), []).append(entry)
        return True

    def __call__(self, doc: Doc) -> list[Match]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows: list[Row] = [tuple(r) for r in doc.to_array([LOWER, DEP, TAG, IS_SPACE]).tolist()]
        strings = doc.vocab.strings
        found: set[Match] = set()
        index, positions = self._index, self._positions
        for i, row in enumerate(rows):
            for position in positions:
                for pattern in index.get((position, row[position]), ()):
                    if pattern.only_index:
                        found.add((pattern.number, pattern.match_id, i, i + 1))
                    elif (match := pattern.at(rows, i, strings)) is not None:
                        found.add(match)
            for pattern in self._scan:
                if (match := pattern.at(rows, i, strings)) is not None:
                    found.add(match)
        if len(self._rest):
            for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False):
                found.add((int(strings[match_id]), match_id, start, end))
        return sorted(found)


def install(nlp: Language) -> None:
    """Give ``nlp``'s attribute ruler the indexed ``match`` (a pipeline without one is left alone)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = cast("AttributeRuler", nlp.get_pipe("attribute_ruler"))
    ruler.match = AttributeMatches(ruler)  # type: ignore[method-assign]
