"""Bylines -> people and organisations.

A byline mixes people with outlets, agencies, job titles, dates and page
furniture ("By Jane Doe and John Roe, Reuters", "JANE DOE | Senior Reporter",
"By Staff | Updated May 14"). :func:`split_byline` keeps the people (as names
in their usual case) and reports agencies and outlets separately, so callers
make those the article's source rather than contributors. Shared by the wire,
JSON and HTML parsers; everything here is pure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from etl.records import ContributorRecord, ContributorRole
from etl.transform.outlets import agency_named, spelling_key
from etl.transform.text import LOWERCASE_PARTICLES, is_all_caps, title_case

# Words after an agency name that do not change who it is: "Reuters Staff", "AP staff writers".
_STAFF_SUFFIX = re.compile(
    r"(?:\s+(?:staff|staffers|writers?|reporters?|editors?|wire|newsroom|desk))+$", re.I
)

OUTLET_WORDS = frozenset(
    """post times news journal herald tribune guardian telegraph press wire service agency magazine daily
    gazette observer chronicle network media tv television radio broadcasting bureau newsroom desk group inc
    ltd llc corp company newspaper weekly monthly review today online digital newswire newswires associates
    editorial insider""".split()  # noqa: SIM905
)
"""A byline part holding one of these words names an outlet, not a person."""

JOB_TITLE_WORDS = frozenset(
    """reporter reporters correspondent correspondents editor editors writer writers columnist contributor
    contributors contributing producer analyst staff staffer intern photographer photographers chief senior
    junior deputy associate managing executive assistant freelance freelancer host anchor fellow director
    journalist journalists author critic commentator researcher manager head president founder special
    political national international business sports science technology health economics""".split()  # noqa: SIM905
)
"""Words of a job title ("Senior Reporter", "Contributor") that follow a name in a byline."""

JOB_TITLE_NOUNS = frozenset(
    """reporter reporters correspondent correspondents editor editors writer writers columnist contributor
    contributors producer analyst staff staffer intern photographer photographers journalist journalists
    critic commentator researcher freelancer""".split()  # noqa: SIM905
)
"""A byline part ending in one of these ("White House Correspondent") is a job title."""

NOT_NAME_WORDS = frozenset(
    """by and or with the a an staff view profile updated update published posted follow more about
    contact email share read comments comment photo photos video image getty images via sponsored
    advertisement opinion analysis editorial admin administrator guest unknown anonymous team
    it is was are were be been to in at for from that this these those he she they we i you had has have
    says would not no but as his her their its over after before when what which""".split()  # noqa: SIM905
)
"""Words that never occur in a person's name in a byline."""

MAX_BYLINE = 1_000
"""A longer text is not a byline: :func:`split_byline` returns nothing without scanning it."""

_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"})
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|words|story|text|reporting|reported|posted|compiled|edited)\s+)?by\b[:\s]*", re.I
)
_LABEL_PREFIX = re.compile(r"^\s*(?:authors?|bylines?|writers?|reporters?|contributors?)\s*:\s*", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|co\.uk|io)\b\S*", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# "Jane Doe (with John Roe and Ann Poe)": co-authors in parentheses, in the languages of the dev pages.
_WITH_PARENS = re.compile(r"\(\s*(?:with|avec|con|mit|com|met)\s+([^)]*)\)", re.I)
_PAREN_CONJUNCTION = re.compile(r"\s+(?:and|et|y|e|und|en)\s+", re.I)
_SURNAME_FIRST = re.compile(r"^\s*([^\W\d_][^\W\d_'’-]+),\s*([^\W\d_][^\W\d_'’.-]+(?:\s[^\W\d_]\.?)?)\s*$")
_FURNITURE = re.compile(
    r"\b(?:view (?:full )?profile|view all (?:posts|articles|stories)(?: by)?|more (?:from|by)|"
    r"read more|see more|follow(?: on \w+)?|contact|e-?mail|twitter|facebook|linkedin|instagram|bio)\b",
    re.I,
)
_UPDATED_TAIL = re.compile(r"\b(?:last\s+)?(?:updated|published|posted|modified)\b.*$", re.I)
_SEPARATORS = re.compile(
    r"\s*(?:[|;/•·\n]|\s-\s|\s–\s|\s—\s|\band\b|&|\bwith\b|,|\s(?:of|for)\s(?=(?:the\s)?[A-Z]))\s*", re.I
)
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_.'’-]*(?:[-'’.][^\W\d_]*)*\.?$")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.){1,3}$")


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline names: people (credited contributors) and organisations (sources)."""

    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    @property
    def agencies(self) -> tuple[str, ...]:
        """The organisations that are news agencies: the article's wire source."""
        return tuple(name for name in self.organisations if canonical_agency(name))

    @property
    def outlets(self) -> tuple[str, ...]:
        """The other organisations: outlets that published the article."""
        return tuple(name for name in self.organisations if not canonical_agency(name))


def _split_trailing_agency(part: str) -> tuple[str, str | None]:
    """Split "JANE DOE Associated Press" into the name and the agency written after it."""
    words = part.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        agency = canonical_agency(tail)
        # Short spellings ("AP", "PA") only count in capitals: "Jane Pa" is a name.
        if agency and (len(tail) > 3 or tail.isupper()):
            return " ".join(words[:-size]), agency
    return part, None


def canonical_agency(text: str) -> str | None:
    """Return the canonical name of a news agency ("AP" -> "Associated Press"), else None."""
    agency = agency_named(text)
    if agency is not None:
        return agency
    return agency_named(_STAFF_SUFFIX.sub("", spelling_key(text)))


def normalize_person_name(name: str) -> str:
    """Collapse whitespace, strip stray punctuation and "By", and fix the case of a name.

    A name written ALL CAPS or all lower case is title-cased ("JANE DOE" ->
    "Jane Doe", "ursula von der leyen" -> "Ursula von der Leyen"); a name in
    mixed case is kept as written ("Mary McDonald", "danah boyd" is not mixed
    and becomes "Danah Boyd": there is no way to tell).
    """
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    text = _BY_PREFIX.sub("", text).strip(" ,;:|-–—•·\"“”'")
    if is_all_caps(text) or text == text.lower():
        text = title_case(text)
    return text


def _is_caseless_name(words: list[str]) -> bool:
    """Chinese, Japanese and Korean names have no capitals and often no spaces ("松村太郎")."""
    text = "".join(words)
    return (
        1 <= len(words) <= 3
        and 2 <= len(text) <= 20
        and all(ch.isalpha() or ch in "・·" for ch in text)
        and all(ch.lower() == ch.upper() for ch in text)
    )


def _is_single_name(word: str) -> bool:
    """A one-word byline that can only be a person ("Paul"), not an acronym ("CNN") or a label."""
    lower = word.lower()
    if lower in NOT_NAME_WORDS or lower in JOB_TITLE_WORDS or lower in OUTLET_WORDS:
        return False
    if is_all_caps(word) and len(word) <= 5:
        return False
    return len(word) >= 2 and bool(_NAME_TOKEN.match(word)) and word[0].isupper()


def looks_like_person_name(text: str, allow_single: bool = False) -> bool:
    """True when ``text`` reads as a person's name: 2-5 capitalised words (particles allowed).

    Outlets ("Washington Post", "Gdansk Newsroom") and job titles ("Senior Reporter")
    are not names, even though they are capitalised words too. Names in scripts
    without capitals ("松村太郎") count as written. With ``allow_single``, one
    capitalised word ("Paul") is a name too: use it when it is a whole byline.
    """
    if _is_job_title(text) or _is_outlet(text):
        return False
    words = text.split()
    if _is_caseless_name(words):
        return True
    core = [w for w in words if w.lower().strip(",") not in _NAME_SUFFIXES]
    if allow_single and len(core) == 1 and len(words) == 1:
        return _is_single_name(core[0])
    if not 2 <= len(core) <= 5 or any(ch.isdigit() for ch in text):
        return False
    for index, word in enumerate(core):
        lower = word.lower()
        if lower in NOT_NAME_WORDS and lower not in LOWERCASE_PARTICLES:
            return False
        if index and lower in LOWERCASE_PARTICLES and index < len(core) - 1:
            continue
        if _INITIALS.match(word):
            continue
        if not _NAME_TOKEN.match(word) or not word[0].isupper():
            return False
    return True


def has_lower_case_surname(text: str) -> bool:
    """ "Cindy mangomini": a capitalised given name and a surname written in lower case.

    Only for a byline that is this one name: in a longer byline a lower-case
    word is more likely prose.
    """
    words = text.split()
    if len(words) != 2 or not _is_single_name(words[0]):
        return False
    last = words[1]
    return (
        last == last.lower()
        and len(last) >= 3
        and bool(_NAME_TOKEN.match(last))
        and last not in NOT_NAME_WORDS
        and last not in JOB_TITLE_WORDS
        and last not in OUTLET_WORDS
        and last not in LOWERCASE_PARTICLES
    )


def _is_job_title(text: str) -> bool:
    """True for "Senior Reporter", "White House Correspondent"; not for "A. Writer"."""
    tokens = text.split()
    if not tokens or _INITIALS.match(tokens[0]):
        # A leading initial makes a name, whatever the surname means.
        return False
    words = [w.strip(".,").lower() for w in tokens]
    if words[-1] in JOB_TITLE_NOUNS:
        return True
    return all(w in JOB_TITLE_WORDS or w in ("of", "the", "and", "for", "at") for w in words)


def _is_outlet(text: str) -> bool:
    """True for a proper name of an outlet: "Washington Post", "The New York Times"."""
    words = text.split()
    lower = [w.strip(".,").lower() for w in words]
    if len(words) < 2 or any(ch in text for ch in ':?!"“”'):
        return False
    if not all(w[0].isupper() or w.lower() in ("of", "the", "and", "de", "&") for w in words):
        return False
    return lower[-1] in OUTLET_WORDS or lower[0] == "the" or "news" in lower


def _strip_part(part: str) -> str:
    """Trim separators and a sentence-final period, keeping "Jr." and initials."""
    part = part.strip(" :-–—,")
    last = part.split()[-1] if part.split() else ""
    if part.endswith(".") and len(last) > 3 and not _INITIALS.match(last):
        part = part[:-1]
    return part


def _clean_byline(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _HANDLE.sub(" ", text)
    text = _WITH_PARENS.sub(lambda m: " , " + _PAREN_CONJUNCTION.sub(" , ", m[1]) + " ", text)
    text = _PARENS.sub(" ", text)
    text = _UPDATED_TAIL.sub(" ", text)
    text = _FURNITURE.sub(" | ", text)
    text = _LABEL_PREFIX.sub("", text)
    text = _BY_PREFIX.sub("", text)
    return " ".join(text.split())


def _merge_suffixes(parts: list[str]) -> list[str]:
    """Glue "Jr." or "III" (split off at a comma) back onto the name before it."""
    merged: list[str] = []
    for part in parts:
        if merged and part.lower() in _NAME_SUFFIXES:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def split_byline(text: str) -> Byline:
    """Split a byline into the people it credits and the organisations it names.

    Handles "By Jane Doe and John Roe, Reuters", "Jane Doe | Reuters",
    "Jane Doe, Washington Post", "By A, B and C" and ALL-CAPS names. Drops URLs,
    e-mails, social handles, dates, "Staff", "View profile", "Updated ...",
    and job titles after a name ("Jane Doe, Senior Reporter"). News agencies
    come back under their canonical name ("AP" -> "Associated Press"); other
    outlets ("Washington Post") as written.

    Returns:
        A :class:`Byline`; both tuples are empty when nothing in ``text`` is a
        name or an organisation (for example "By the numbers").
    """
    from etl.transform.dates import find_date_in_line

    if len(text) > MAX_BYLINE:
        # Not a byline but a paragraph of prose (or hostile input): never scanned.
        return Byline()
    cleaned = _clean_byline(text)
    found = find_date_in_line(cleaned)
    if found is not None:
        # Names come before a date run into the byline; what follows it is a
        # show, section or place ("By JANE DOE March 11, 2015 Morning Show").
        cleaned = found.before if found.before.strip(" ,|-–—") else found.after
    whole = canonical_agency(cleaned)
    if whole:
        return Byline((), (whole,))
    people: list[str] = []
    organisations: list[str] = []
    parts = _merge_suffixes([p for p in (_strip_part(p) for p in _SEPARATORS.split(cleaned)) if p])
    for part in parts:
        agency = canonical_agency(part)
        if agency:
            organisations.append(agency)
            continue
        part, agency = _split_trailing_agency(part)
        if agency:
            organisations.append(agency)
        if part == part.lower() and cleaned != cleaned.lower():
            # A lower-case part in a byline that has capitals is prose, not a name.
            continue
        name = normalize_person_name(part)
        # One word alone may be a first name ("Paul"), but not an acronym ("CNN").
        single = len(parts) == 1 and not (is_all_caps(part) and len(part) <= 5)
        if looks_like_person_name(name, allow_single=single) or single and has_lower_case_surname(name):
            people.append(name)
        elif _is_outlet(part) and not _is_job_title(part):
            organisations.append(part)
    return Byline(tuple(dict.fromkeys(people)), tuple(dict.fromkeys(organisations)))


def name_in_reading_order(field: str) -> str | None:
    """ "Doe, Jane" -> "Jane Doe": an author field written surname first, as catalogues do.

    Only for a field that holds one author (``citation_author``, a JSON-LD
    ``author``): in a visible byline "Paul, Washington" is a name and a place.
    """
    match = _SURNAME_FIRST.match(field)
    if not match:
        return None
    surname, given = match[1], match[2]
    if not (_is_single_name(surname) and _is_single_name(given.split()[0])):
        return None
    if canonical_agency(surname) or canonical_agency(given):
        return None
    return normalize_person_name(f"{given} {surname}")


def parse_byline(byline: str, role: ContributorRole = "author") -> list[ContributorRecord]:
    """Split a byline into contributors with ``role``; organisations are left out."""
    return [ContributorRecord(name=name, role=role) for name in split_byline(byline).people]
