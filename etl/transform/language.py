"""An article's language: the one it declares, else the one its text is written in.

Every format reader calls :func:`article_language` with the tags its document
declares, in its own order of trust, and the article's text. Tags are read
with :func:`normalize_language_tag`; text is identified by
:func:`detect_language`, which uses py3langid (a naive Bayes model over byte
n-grams that ships inside the package: nothing is downloaded at run time).
The model is loaded on first use, once per process, never when
:mod:`etl.transform` is imported.

All codes are ISO 639-1 ("en", "de", "ja", "zh"...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "OVERRIDE_MIN_CONFIDENCE",
    "OVERRIDE_MIN_LETTERS",
    "article_language",
    "detect_language",
    "normalize_language_tag",
]

# Fewer letters than this is a name, a label or a date, not a sample of a language.
# Letters, not characters: digits, spaces and punctuation say nothing about the language,
# and one CJK character counts as one letter.
MIN_LETTERS = 20
# The detector's probability (normalised over its ~115 languages) must be at least this,
# "more likely than all the others together". On headlines alone this leaves about one
# in five unanswered; the answered ones were all right in our measurements.
MIN_CONFIDENCE = 0.5
# Text has to be at least this long, and the detection this sure, before it overrules a
# declared tag (a site template that says lang="en" on a German article). On article
# bodies the detector's probability is 1.0 to two decimals for the right language.
OVERRIDE_MIN_LETTERS = 300
OVERRIDE_MIN_CONFIDENCE = 0.99
# Written standards so close that the detector's pick among them is no better evidence than
# the publisher's own declaration: a page declaring one of these keeps it whatever the text.
_NEIGHBOURS = (
    frozenset({"da", "no", "nb", "nn"}),
    frozenset({"bs", "hr", "sr"}),
    frozenset({"id", "ms"}),
    frozenset({"cs", "sk"}),
    frozenset({"gl", "pt"}),
)
# The start of a long text is enough to identify it and keeps the cost flat.
MAX_CHARS = 5000

# The model's "no linguistic content" label (code, markup, numbers).
_NO_LANGUAGE = "zxx"


@dataclass(frozen=True, slots=True)
class _Identification:
    """What the detector says about one text."""

    language: str | None
    confidence: float
    letters: int
    probabilities: dict[str, float]


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load the py3langid model once per process, restricted to ISO 639-1 languages.

    Its three-letter labels (Nigerian Pidgin, Bikol, Cantonese...) have no ISO 639-1
    code; leaving them out also stops short English text from landing on them.
    """
    from py3langid.langid import MODEL_FILE

    from etl.transform.langid_walk import fast_identifier_class

    identifier = fast_identifier_class().from_model_file(MODEL_FILE, norm_probs=True)
    labels = [str(label) for label in identifier.labels]
    identifier.set_languages([label for label in labels if len(label) == 2] + [_NO_LANGUAGE])
    return identifier


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    """The labels the detector can answer (all its probabilities are keyed by them)."""
    return frozenset(str(label) for label in _identifier().nb_classes)


def _count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _identify(text: str, letters: int | None = None) -> _Identification:
    """Identify ``text`` from its first ``MAX_CHARS`` characters (``letters``: their letter count, if known)."""
    sample = text[:MAX_CHARS]
    if letters is None:
        letters = _count_letters(sample)
    if letters < MIN_LETTERS:
        return _Identification(None, 0.0, letters, {})
    ranked = _identifier().rank(sample)
    probabilities = {str(label): float(score) for label, score in ranked}
    best, confidence = str(ranked[0][0]), float(ranked[0][1])
    language = None if best == _NO_LANGUAGE or confidence < MIN_CONFIDENCE else best
    return _Identification(language, confidence, letters, probabilities)


def detect_language(text: str) -> str | None:
    """Identify the language a text is written in.

    Returns:
        An ISO 639-1 code, or None when the text has fewer than ``MIN_LETTERS``
        letters (in its first ``MAX_CHARS`` characters), holds no language, or no
        language reaches ``MIN_CONFIDENCE``.
    """
    return _identify(text).language


# Codes that ISO 639 withdrew but old pages still send.
_LEGACY_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# ISO 639-3 varieties whose macrolanguage has an ISO 639-1 code.
_VARIETIES = {
    **dict.fromkeys(("cmn", "yue", "wuu", "nan", "hak", "gan", "hsn", "cdo", "cjy", "lzh"), "zh"),
    **dict.fromkeys(("arb", "ary", "arz", "apc", "ajp", "acm", "aeb", "afb"), "ar"),
    "pes": "fa",
    "prs": "fa",
    "zsm": "ms",
    "ekk": "et",
    "lvs": "lv",
    "swh": "sw",
    "uzn": "uz",
    "fil": "tl",
}
# Languages' own names for themselves, as CMSs write them in <meta name="language">.
_ENDONYMS = {
    "deutsch": "de",
    "français": "fr",
    "francais": "fr",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "italiano": "it",
    "português": "pt",
    "portugues": "pt",
    "nederlands": "nl",
    "svenska": "sv",
    "dansk": "da",
    "norsk": "no",
    "suomi": "fi",
    "polski": "pl",
    "čeština": "cs",
    "русский": "ru",
    "українська": "uk",
    "ελληνικά": "el",
    "türkçe": "tr",
    "日本語": "ja",
    "中文": "zh",
    "汉语": "zh",
    "漢語": "zh",
    "한국어": "ko",
    "greek": "el",
}
# A BCP 47 tag ("en", "en-US", "zh-Hans-CN") or a POSIX locale ("en_GB", "de_DE.UTF-8").
_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*(?:\.[a-z0-9-]+)?(?:@[a-z]+)?")
_NAME = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)?")


def normalize_language_tag(tag: str | None) -> str | None:
    """Turn a declared language into its ISO 639-1 code.

    Accepts BCP 47 tags ("en-US", "zh-Hans-CN"), locales ("en_GB"), any case
    ("EN"), ISO 639-2/3 codes ("deu", "ger"), English or native names ("english",
    "Deutsch") and lists ("en-US, de"; the first entry counts). Returns None for
    anything else, including "und", "mul", "zxx" and "x-default".
    """
    if tag is None:
        return None
    first = re.split(r"[,;]", tag, maxsplit=1)[0]
    return _normalize_one(unicodedata.normalize("NFC", first).strip().casefold())


@lru_cache(maxsize=1024)
def _normalize_one(tag: str) -> str | None:
    import pycountry

    if not tag:
        return None
    match = _TAG.fullmatch(tag)
    if match:
        code = match.group(1)
        if len(code) == 2:
            code = _LEGACY_CODES.get(code, code)
            return code if pycountry.languages.get(alpha_2=code) is not None else None
        if code in _VARIETIES:
            return _VARIETIES[code]
        language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
        alpha_2 = getattr(language, "alpha_2", None)
        if isinstance(alpha_2, str):
            return alpha_2
        if len(tag) <= 3:
            return None
    if tag in _ENDONYMS:
        return _ENDONYMS[tag]
    if _NAME.fullmatch(tag) and len(tag) >= 4:
        try:
            language = pycountry.languages.lookup(tag)
        except LookupError:
            return None
        alpha_2 = getattr(language, "alpha_2", None)
        return alpha_2 if isinstance(alpha_2, str) else _VARIETIES.get(str(language.alpha_3))
    return None


def article_language(declared: Iterable[str | None], text: str) -> str | None:
    """Choose an article's language: the first usable declared tag, else its text's.

    A declared tag loses only to overwhelming evidence: a text of at least
    ``OVERRIDE_MIN_LETTERS`` letters detected with at least
    ``OVERRIDE_MIN_CONFIDENCE`` as another language. That is the site template's
    lang="en" on a German or Bengali article. A declared language the detector
    does not know, or a close neighbour of the detected one (Danish and
    Norwegian, Croatian and Serbian, Malay and Indonesian...), stands.

    Args:
        declared: the document's language declarations, most trusted first;
            None and unreadable ones are skipped.
        text: the article's text (its body; the headline when there is no body).

    Returns:
        An ISO 639-1 code, or None when nothing is declared and the text is too
        short or unclear.
    """
    chosen = next((code for code in map(normalize_language_tag, declared) if code), None)
    if chosen is None:
        return detect_language(text)
    letters = _count_letters(text[:MAX_CHARS])
    # Too short to overrule, or a language the detector cannot name: the declaration stands
    # whatever the detector would say, so it is not asked.
    if letters < OVERRIDE_MIN_LETTERS or chosen not in _known_languages():
        return chosen
    found = _identify(text, letters)
    if (
        found.language is not None
        and found.language != chosen
        and found.letters >= OVERRIDE_MIN_LETTERS
        and found.confidence >= OVERRIDE_MIN_CONFIDENCE
        and chosen in found.probabilities
        and not any(chosen in group and found.language in group for group in _NEIGHBOURS)
    ):
        return found.language
    return chosen
