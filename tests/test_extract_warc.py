"""WARC input: HTML responses become pages, everything else is skipped or rejected."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from etl.extract.files import extract_documents
from etl.records import RawDocument, Rejection
from etl.transform.documents import parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _response(writer: WARCWriter, uri: str, body: bytes, content_type: str) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers)
    writer.write_record(record)


def build_warc(path: Path, gzip: bool) -> None:
    """A small CC-NEWS-like archive: warcinfo, request, responses, metadata."""
    page = (FIXTURES / "opengraph_only.html").read_text(encoding="utf-8")
    latin1_page = page.replace("neighbourhood", "quartier café").encode("iso-8859-1")
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        request_headers = StatusAndHeaders(
            "GET /a HTTP/1.1", [("Host", "riverbendpost.com")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record("https://riverbendpost.com/a", "request", http_headers=request_headers)
        )
        _response(writer, "https://riverbendpost.com/a", latin1_page, "text/html; charset=ISO-8859-1")
        _response(writer, "https://riverbendpost.com/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
        _response(writer, "https://riverbendpost.com/broken", b"\x00\x01\x02\x03" * 64, "text/html")
        writer.write_record(
            writer.create_warc_record(
                "https://riverbendpost.com/a",
                "metadata",
                payload=BytesIO(b"fetchTimeMs: 12"),
                warc_content_type="application/warc-fields",
            )
        )
        _response(writer, "https://riverbendpost.com/b", page.encode("utf-8"), "text/html")


@pytest.mark.parametrize("name,gzip", [("news.warc.gz", True), ("news.warc", False)])
def test_warc_yields_html_responses_and_rejects_undecodable(tmp_path: Path, name: str, gzip: bool) -> None:
    path = tmp_path / name
    build_warc(path, gzip)
    results = list(extract_documents([tmp_path]))
    documents = [r for r in results if isinstance(r, RawDocument)]
    rejections = [r for r in results if isinstance(r, Rejection)]

    assert [d.url for d in documents] == ["https://riverbendpost.com/a", "https://riverbendpost.com/b"]
    assert all(d.format == "html" and d.document_key == d.url for d in documents)
    # Record indexes count every record: warcinfo 0, request 1, response 2, ...
    assert documents[0].source_uri == f"{path}#2"
    assert documents[0].record_index == 2
    assert documents[0].encoding.lower().replace("_", "-") in {"iso-8859-1", "latin-1"}
    assert "quartier café" in documents[0].text
    assert documents[0].content_sha256 != documents[1].content_sha256

    assert len(rejections) == 1
    assert rejections[0].source_uri == f"{path}#4"
    assert "binary" in rejections[0].reason
    assert rejections[0].document_key == "https://riverbendpost.com/broken"


def test_warc_pages_parse_with_their_target_uri(tmp_path: Path) -> None:
    path = tmp_path / "news.warc.gz"
    build_warc(path, gzip=True)
    documents = [r for r in extract_documents([path]) if isinstance(r, RawDocument)]
    article = parse_document(documents[0])
    assert article.url == "https://riverbendpost.com/a"
    assert article.headline == "City opens its first public tool library"
    assert "quartier café" in article.body
    assert article.publisher_domain == "riverbendpost.com"


def test_damaged_warc_is_rejected_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"this is not an archive at all\n" * 10)
    results = list(extract_documents([path]))
    assert len(results) == 1 and isinstance(results[0], Rejection)
    assert "WARC" in results[0].reason


def test_warc_without_pages_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "info.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    (result,) = list(extract_documents([path]))
    assert isinstance(result, Rejection)
    assert "no HTML response records" in result.reason


def test_compressed_http_payload_is_decoded(tmp_path: Path) -> None:
    import gzip as gzip_module

    path = tmp_path / "encoded.warc.gz"
    page = (FIXTURES / "byline_only.html").read_bytes()
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "https://valleyweekly.example/frost",
            "response",
            payload=BytesIO(gzip_module.compress(page)),
            http_headers=headers,
        )
        writer.write_record(record)
    (document,) = list(extract_documents([path]))
    assert isinstance(document, RawDocument)
    assert "Orchard growers count losses" in document.text
    assert document.content_sha256 == hashlib.sha256(page).hexdigest()


def test_meta_charset_is_used_when_http_declares_none(tmp_path: Path) -> None:
    path = tmp_path / "meta-charset.warc.gz"
    page = (FIXTURES / "byline_only.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = page.replace("Orchard growers", "Orchard growers\u2019 fears")
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        _response(writer, "https://valleyweekly.example/frost", page.encode("cp1252"), "text/html")
    (document,) = list(extract_documents([path]))
    assert isinstance(document, RawDocument)
    assert document.encoding == "windows-1252"
    assert "Orchard growers\u2019 fears" in document.text
