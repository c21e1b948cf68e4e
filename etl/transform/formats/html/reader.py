"""HTML article page -> ArticleRecord.

Structured metadata is read first (JSON-LD, OpenGraph, <meta>, <time>,
<link>), then the visible byline; each field is chosen among its candidates
(:mod:`.titles`, :mod:`.page_dates`, :mod:`.authors`). The body comes from trafilatura
(:mod:`.body`); the wire-copy conventions then take the dateline, byline
and credit lines out of it (:mod:`.wire_copy`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml.html import HtmlElement

from etl.errors import ParseError
from etl.keys import comparable_text
from etl.records import ArticleRecord, ContributorRecord, RawDocument
from etl.transform.articles import assemble_article
from etl.transform.bylines import canonical_agency, looks_like_person_name, split_byline
from etl.transform.credits import merge_contributors
from etl.transform.dates import numeric_day_first
from etl.transform.formats.html.authors import choose_authors
from etl.transform.formats.html.body import extract_paragraphs
from etl.transform.formats.html.byline import find_bylines, find_photo_credits
from etl.transform.formats.html.metadata import Candidate, PageMetadata, choose_first, read_page_metadata
from etl.transform.formats.html.page import PageTags, find_parent, parse_page, text_of
from etl.transform.formats.html.page_dates import (
    ChosenDate,
    candidates_on_day,
    choose_date,
    date_in_url,
    parse_when,
)
from etl.transform.formats.html.publisher import choose_publisher
from etl.transform.formats.html.titles import choose_title
from etl.transform.formats.html.wire_copy import apply_wire_conventions
from etl.transform.publishers import domain_of, publisher_domain


def _headings(page: PageTags) -> list[Candidate]:
    """Visible <h1> texts; a page's first few only, since later ones are teasers."""
    found = []
    for h1 in page.named("h1")[:4]:
        text = text_of(h1)
        if 3 <= len(text) <= 300:
            in_article = find_parent(h1, ("article", "main")) is not None
            found.append(Candidate(text, "h1-article" if in_article else "h1"))
    return found


MIN_ARTICLE_WORDS = 15
MIN_SENTENCE_WORDS = 8


def _has_article_text(paragraphs: list[str]) -> bool:
    """At least a sentence of prose, not just menu labels and a "Page not found".

    Words are counted as whitespace tokens, or as characters/2 for scripts
    written without spaces (Japanese, Chinese).
    """

    def words(text: str) -> int:
        return max(len(text.split()), len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", text)) // 2)

    total = sum(words(p) for p in paragraphs)
    return total >= MIN_ARTICLE_WORDS and any(words(p) >= MIN_SENTENCE_WORDS for p in paragraphs)


_BY_LINE = re.compile(r"^\s*(?:by|par|por|posted by|written by)\s", re.I)
_DATE_LINE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def _drop_leading_furniture(paragraphs: list[str], headline: str | None, authors: list[str]) -> list[str]:
    """Drop a headline, byline or date line that the body extractor kept on top."""
    kept = list(paragraphs)
    for _ in range(3):
        if len(kept) < 2:
            break
        first = kept[0]
        words = first.split()
        is_headline = headline is not None and comparable_text(first) == comparable_text(headline)
        is_byline = (
            len(words) <= 25
            and len(first) <= 160
            and (
                bool(_BY_LINE.match(first))
                or (
                    authors
                    and all(a.casefold() in first.casefold() for a in authors)
                    and len(words) <= 3 * len(authors) + 8
                )
            )
        )
        is_date = (
            len(words) <= 8
            and len(first) <= 40
            and bool(_DATE_LINE.search(first))
            and not first.rstrip().endswith((".", "。"))
        )
        if not (is_headline or is_byline or is_date):
            break
        kept.pop(0)
    return kept


MAX_SITE_NAME_WORDS = 6


def _site_names(meta: PageMetadata, url: str | None) -> list[str]:
    """Names the site goes by; a long sentence in a site-name field is a headline, not a name."""
    names = [
        c.value.lstrip("@")
        for c in meta.site_names + meta.publishers
        if len(c.value.split()) <= MAX_SITE_NAME_WORDS
    ]
    domain = domain_of(url)
    if domain:
        names.append(domain)
        names.append(domain.split(".")[0])
    return names


_LEADING_DATE = re.compile(r"^(.{6,40}?)\s+(?:--|—|–)\s+\S")


def _date_opening_body(paragraphs: list[str], dayfirst: bool) -> ChosenDate | None:
    """A date that opens the article's text as its dateline ("Feb. 3, 2015 -- The ...")."""
    match = _LEADING_DATE.match(paragraphs[0]) if paragraphs else None
    if not match:
        return None
    when = parse_when(match[1], dayfirst)
    return ChosenDate(when[0], when[1], match[1]) if when else None


def htmldate_day(root: HtmlElement) -> str | None:
    """The publication day htmldate's heuristics find (markup, URL, visible text)."""
    from htmldate import find_date

    try:
        day = find_date(root, original_date=True, extensive_search=True)
    except (ValueError, TypeError):
        return None
    # htmldate falls back to a copyright year as YYYY-01-01: a year is not a date.
    if not day or day.endswith("-01-01"):
        return None
    return str(day)


def _weigh_with_htmldate(
    published: ChosenDate | None, meta: PageMetadata, root: HtmlElement, dayfirst: bool
) -> ChosenDate | None:
    """Let htmldate vote when the page's metadata gives no publication date.

    A date from a <time> tag or visible text may belong to a comment or a
    teaser; htmldate weighs the whole page. When it agrees with one of the
    page's own candidates, that candidate wins (it has the time and zone).
    When it disagrees, the page's own candidate stays: measured on the dev
    pages, htmldate's guesses there were mostly day/month swaps (it reads
    numeric dates day first whatever the page's locale). With no candidate
    at all, its day is the date.
    """
    if published is not None and published.structured:
        return published
    day = htmldate_day(root)
    if day is None:
        return published
    agreeing = choose_date(candidates_on_day(meta.published, day, dayfirst), dayfirst=dayfirst)
    if agreeing is not None:
        return agreeing
    if published is not None:
        return published
    return ChosenDate(datetime.fromisoformat(day).replace(tzinfo=UTC), False, day, False)


_ARCHIVE_WORDS = frozenset({"archive", "archives", "sports", "images", "photos", "engineering", "university"})


def _photographer_name(name: str) -> bool:
    """A person's name in a photo credit: two words or more, no agency, archive or acronym."""
    words = name.split()
    return (
        len(words) >= 2
        and looks_like_person_name(name)
        and not any(len(w) > 2 and w.isupper() for w in words)
        and not any(w.casefold() in _ARCHIVE_WORDS for w in words)
        and bool(re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’ -])+", name))
    )


def _credited_agency(bylines: list[str], limit: int = 6) -> str | None:
    """The news agency a page's author fields or first bylines credit ("By JANE DOE, AP")."""
    for text in bylines[:limit]:
        agencies = split_byline(text).agencies
        if agencies:
            return canonical_agency(agencies[0])
    return None


def parse_html_page(raw: RawDocument) -> ArticleRecord:
    """Parse one HTML page into an article.

    Raises:
        ParseError: the page holds no article text.
    """
    root = parse_page(raw.text)
    if root is None:
        raise ParseError(raw.source_uri, "the HTML page could not be parsed")
    page = PageTags.of(root)
    meta = read_page_metadata(page)
    canonical = choose_first([c for c in meta.urls if c.value.startswith(("http://", "https://"))])
    url = raw.url or canonical
    sites = _site_names(meta, url)

    paragraphs = extract_paragraphs(root, url)
    if not _has_article_text(paragraphs):
        words = sum(len(p.split()) for p in paragraphs)
        raise ParseError(
            raw.source_uri,
            f"no article text found in the HTML page ({words} words of menus or short lines only)",
        )
    headline = choose_title(meta.titles + _headings(page), sites)
    dayfirst = numeric_day_first([c.value for c in meta.languages])
    published = choose_date(meta.published, meta.updated, dayfirst)
    updated = choose_date(meta.updated, dayfirst=dayfirst)
    bylines = find_bylines(page)
    contributors = choose_authors(meta.authors, bylines, sites)
    authors = {c.name.casefold() for c in contributors}
    photographers = [
        ContributorRecord(name=name, role="other")
        for credit in find_photo_credits(page)
        for name in split_byline(credit).people
        if name.casefold() not in authors and _photographer_name(name)
    ]
    paragraphs = _drop_leading_furniture(paragraphs, headline, [c.name for c in contributors])

    wire = apply_wire_conventions(paragraphs)
    if not any(paragraph.strip() for paragraph in wire.paragraphs):
        raise ParseError(raw.source_uri, "no article text found in the HTML page")
    if published is None and wire.published is not None:
        published = ChosenDate(wire.published.value, wire.published.tz_known, wire.published.text)
    if published is None:
        published = _date_opening_body(paragraphs, dayfirst)
    if published is None:
        published = date_in_url(url) or date_in_url(raw.url)
    if published is None or not published.structured:
        published = _weigh_with_htmldate(published, meta, root, dayfirst)
    if updated is None and wire.updated is not None and wire.updated.tz_known:
        updated = ChosenDate(wire.updated.value, True, wire.updated.text)
    return assemble_article(
        raw,
        wire.paragraphs,
        headline=headline,
        url=url,
        published=published,
        updated=updated,
        dateline=wire.dateline,
        # The markup's byline first; the body's own byline and credit lines add to it.
        contributors=merge_contributors([*contributors, *wire.contributors, *photographers]),
        publisher=choose_publisher(meta, headline, url),
        publisher_domain=publisher_domain(url),
        wire_source=wire.wire_source
        or _credited_agency([a.name for a in meta.authors] + [b.text for b in bylines]),
        declared_languages=[c.value for c in meta.languages],
        section=choose_first(meta.sections),
    )
