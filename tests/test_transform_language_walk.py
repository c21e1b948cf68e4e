"""The numpy feature count gives py3langid's own counts and scores, bit for bit."""

from __future__ import annotations

import random

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

from etl.transform.langid_walk import MODEL_TRIE_DEPTH, trie_depth
from etl.transform.language import MAX_CHARS, _identifier, article_language
from tests.test_transform_language import (
    CHINESE,
    ENGLISH,
    FRENCH,
    GERMAN,
    JAPANESE,
    LONG_DANISH,
    LONG_GERMAN,
    LONG_JAPANESE,
    SPANISH,
)


def _texts() -> list[str]:
    samples = [ENGLISH, FRENCH, GERMAN, SPANISH, JAPANESE, CHINESE, LONG_DANISH, LONG_GERMAN, LONG_JAPANESE]
    samples += ["", "a", "42", "ÉTÉ", "HEADLINE IN CAPITALS ONLY", "<div>x</div> {json: 1}", ENGLISH * 40]
    rng = random.Random(12)
    samples += [
        "".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randrange(1, 400))) for _ in range(30)
    ]
    samples += [bytes(rng.randrange(256) for _ in range(300)).decode("latin-1") for _ in range(10)]
    return samples + [text[:cut] for text in samples for cut in (1, 3, 6, 7, 50)]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_identifier().nb_classes))
    return identifier


@pytest.mark.parametrize("text", _texts())
def test_counts_and_scores_match_py3langid(reference: LanguageIdentifier, text: str) -> None:
    fast = _identifier()
    encoded = fast._encode(text[:MAX_CHARS])
    expected = visit_counts(reference.tk_nextmove, reference._rowbase, reference.tk_output, encoded)
    counted = fast.visit_counts(encoded)
    assert (list(expected.items()) if expected else None) == (list(counted.items()) if counted else None)
    assert fast.rank(text[:MAX_CHARS]) == reference.rank(text[:MAX_CHARS])


def test_trie_depth_of_the_shipped_model() -> None:
    fast = _identifier()
    assert trie_depth(fast._np_nextmove, fast._np_rowbase) == MODEL_TRIE_DEPTH == fast._depth


def test_a_declared_language_the_detector_cannot_name_stands() -> None:
    assert article_language(["kw"], LONG_GERMAN) == "kw"  # Cornish: not in the model
