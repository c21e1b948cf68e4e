"""The transform stage over many documents: parse each one, then annotate them with spaCy.

``newsetl run`` (through its batches and worker processes) and ``newsetl
extract`` both go through :func:`transform_documents`, so a document that one
command rejects the other rejects too, for the same reason.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

from etl.errors import EtlError, ParseError
from etl.heap import keep_large_blocks_in_heap
from etl.records import ArticleRecord, RawDocument, Rejection
from etl.transform.documents import parse_document

log = logging.getLogger(__name__)

TransformResult = ArticleRecord | Rejection

_PACKAGE_OF_MODULE = {"lxml.html.clean": "lxml_html_clean", "lxml_html_clean": "lxml_html_clean"}
"""Modules whose distribution is named differently from the module."""


class MissingDependency(EtlError):
    """A module newsetl imports is not installed: the installation is incomplete."""

    @classmethod
    def from_import_error(cls, exc: ImportError) -> MissingDependency:
        module = exc.name or ""
        # lxml raises a plain ImportError naming no module when lxml_html_clean is missing.
        if not module and "lxml_html_clean" in str(exc):
            module = "lxml.html.clean"
        package = _PACKAGE_OF_MODULE.get(module, module.split(".")[0] or "the missing package")
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return cls(
            f"newsetl is not completely installed: {first_line} "
            f"(install it with `pip install {package}`, or reinstall with `pip install -c constraints.txt .`)"
        )


def parse_or_reject(document: RawDocument) -> TransformResult:
    """Parse one document; any failure becomes a rejection, never a crash of the batch.

    A ``ParseError`` carries a reason meant for the user. Any other exception
    is a bug on odd input: it must not stop a run over a million documents, so
    it is rejected with its type and message (the traceback goes to DEBUG).

    Raises:
        MissingDependency: a module the code imports is not installed. That is
            the installation's fault, not the document's: every document would
            be rejected for it, so the run stops with one line instead.
    """
    try:
        return parse_document(document)
    except ParseError as exc:
        reason = exc.reason
    except ImportError as exc:
        raise MissingDependency.from_import_error(exc) from exc
    except Exception as exc:
        log.debug("transform failed for %s\n%s", document.source_uri, traceback.format_exc())
        reason = f"could not be parsed ({type(exc).__name__}: {exc})"
    return Rejection(document.source_uri, reason, "transform", document.document_key, document.content_sha256)


def transform_documents(
    documents: Iterable[RawDocument | Rejection], nlp: bool, spacy_model: str | None
) -> Iterator[TransformResult]:
    """Yield an article or a rejection for every input, streaming.

    Rejections from an earlier stage pass through unchanged, so a caller that
    streams extract into transform sees every failure exactly once. Articles
    come out in input order; a rejection comes out no later than the article
    after it. The spaCy model is loaded only once an article needs it (an
    all-rejected or empty batch never loads it) and is cached per process.
    """
    rejected: deque[Rejection] = deque()

    def parsed() -> Iterator[ArticleRecord]:
        for item in documents:
            result = item if isinstance(item, Rejection) else parse_or_reject(item)
            if isinstance(result, Rejection):
                rejected.append(result)
            else:
                yield result

    articles: Iterator[ArticleRecord] = parsed()
    if nlp:
        first = next(articles, None)
        if first is not None:
            from etl.transform.nlp.annotate import annotate_articles
            from etl.transform.nlp.model import load_pipeline

            keep_large_blocks_in_heap()  # spaCy's arrays, on a Dask worker (etl.heap)
            articles = annotate_articles(chain([first], articles), load_pipeline(spacy_model))
    for article in articles:
        while rejected:
            yield rejected.popleft()
        yield article
    yield from rejected


def transform_batch(
    documents: Sequence[RawDocument], nlp: bool, spacy_model: str | None
) -> list[TransformResult]:
    """Transform one batch into a list: the unit of work a worker process runs.

    Module-level and free of database state so a process pool can pickle it.
    """
    return list(transform_documents(documents, nlp, spacy_model))
