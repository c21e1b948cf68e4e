"""HTML reaching the transform by other roads: gzip files and JSONL records with raw HTML."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from etl.extract.files import extract_documents
from etl.records import RawDocument, Rejection
from etl.transform.documents import parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def test_gzip_page_is_read_and_parsed(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress((FIXTURES / "jsonld_graph.html").read_bytes()))
    (document,) = list(extract_documents([path]))
    assert isinstance(document, RawDocument) and document.format == "html"
    article = parse_document(document)
    assert article.headline == "Rail strike called off as union accepts new pay offer"
    assert [c.name for c in article.contributors] == ["Priya Ramanathan"]


def test_jsonl_records_with_raw_html(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    lines = [
        {
            "url": "https://riverbendpost.com/2022/06/14/tool-library-opens/",
            "html": (FIXTURES / "opengraph_only.html").read_text(encoding="utf-8"),
        },
        {"url": "https://riverbendpost.com/missing", "html": (FIXTURES / "no_article.html").read_text()},
        {
            "url": "https://example.org/plain",
            "title": "Plain record",
            "body": "A record with its own body text.",
        },
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    documents = list(extract_documents([path]))
    assert all(isinstance(d, RawDocument) for d in documents)

    first = parse_document(documents[0])  # type: ignore[arg-type]
    assert first.source_uri == f"{path}#0"
    assert first.document_key == "https://riverbendpost.com/2022/06/14/tool-library-opens/"
    assert first.url == first.document_key
    assert first.headline == "City opens its first public tool library"
    assert [c.name for c in first.contributors] == ["Lena Marsh"]
    assert "<p>" not in first.body and "tool library" in first.body

    from etl.errors import ParseError

    try:
        parse_document(documents[1])  # type: ignore[arg-type]
    except ParseError as exc:
        assert exc.source_uri == f"{path}#1"
    else:  # pragma: no cover - the assertion below explains the failure
        raise AssertionError("a record whose HTML holds no article must raise ParseError")

    third = parse_document(documents[2])  # type: ignore[arg-type]
    assert third.headline == "Plain record"


def test_unknown_html_like_file_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "story.page"
    path.write_text((FIXTURES / "byline_only.html").read_text(), encoding="utf-8")
    (document,) = [d for d in extract_documents([path]) if not isinstance(d, Rejection)]
    assert document.format == "html"
