"""Extract: discovery, decoding, records, and every kind of bad input."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from etl.extract.discovery import LISTING_PART, discover_files
from etl.extract.files import discover_paths, extract_documents, read_path
from etl.records import RawDocument, Rejection
from tests.articles import HARBOUR_STORY, write_jsonl, write_text


def _split(results: list[RawDocument | Rejection]) -> tuple[list[RawDocument], list[Rejection]]:
    return (
        [r for r in results if isinstance(r, RawDocument)],
        [r for r in results if isinstance(r, Rejection)],
    )


def test_folder_is_walked_recursively_in_a_stable_order(tmp_path: Path) -> None:
    write_text(tmp_path, "b/two.txt", HARBOUR_STORY)
    write_text(tmp_path, "a/one.txt", HARBOUR_STORY)
    write_text(tmp_path, ".hidden/three.txt", HARBOUR_STORY)
    documents, rejections = _split(list(extract_documents([tmp_path])))
    assert [Path(d.source_uri).name for d in documents] == ["one.txt", "two.txt"]
    assert not rejections
    assert documents[0].format == "text"
    assert documents[0].document_key.startswith("file://")


def test_same_file_from_another_directory_has_the_same_key(tmp_path: Path, monkeypatch) -> None:
    path = write_text(tmp_path, "story.txt", HARBOUR_STORY)
    absolute = next(iter(read_path(path)))
    monkeypatch.chdir(tmp_path)
    relative = next(iter(read_path(Path("story.txt"))))
    assert isinstance(absolute, RawDocument) and isinstance(relative, RawDocument)
    assert absolute.document_key == relative.document_key
    assert relative.source_uri == "story.txt"


def test_latin1_and_utf16_are_decoded(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café au lait pour la délégation française à Genève\n\nTexte.".encode("latin-1"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Headline\n\nBody with “curly” quotes.".encode("utf-16"))
    documents, rejections = _split(list(extract_documents([latin, utf16])))
    assert not rejections
    assert "Café" in documents[0].text and "délégation" in documents[0].text
    assert "“curly”" in documents[1].text


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path, "feed.jsonl", [{"title": "A", "text": "Body A", "url": "https://example.org/a"}]
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write("[1, 2]\n")
        handle.write("\n")
        handle.write('{"title": "B", "text": "Body B"}\n')
    documents, rejections = _split(list(extract_documents([path])))
    assert [d.fields["title"] for d in documents] == ["A", "B"]
    assert documents[0].document_key == "https://example.org/a"
    assert documents[1].document_key.endswith("#4")
    reasons = [r.reason for r in rejections]
    assert any("line 2 is not valid JSON" in reason for reason in reasons)
    assert any("JSON array, not an object" in reason for reason in reasons)


def test_json_array_file_gives_one_document_per_object(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text('[{"title": "A", "body": "x"}, {"title": "B", "body": "y"}]', encoding="utf-8")
    documents, _ = _split(list(extract_documents([path])))
    assert [d.record_index for d in documents] == [0, 1]


def test_gzip_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(HARBOUR_STORY.encode()))
    documents, _ = _split(list(extract_documents([tmp_path])))
    assert documents and "COPENHAGEN" in documents[0].text


def test_bad_inputs_become_rejections_with_reasons(tmp_path: Path) -> None:
    write_text(tmp_path, "empty.txt", "")
    write_text(tmp_path, "blank.txt", "   \n\n  ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip at all")
    write_text(tmp_path, "good.txt", HARBOUR_STORY)
    documents, rejections = _split(list(extract_documents([tmp_path, tmp_path / "missing.txt"])))
    assert [Path(d.source_uri).name for d in documents] == ["good.txt"]
    reasons = {Path(r.source_uri).name: r.reason for r in rejections}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "invalid JSON" in reasons["broken.json"]
    assert "unsupported file type" in reasons["notes.pdf"]
    assert "cannot read" in reasons["bad.txt.gz"]
    assert "no such file" in reasons["missing.txt"]


def test_oversized_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    path = write_text(tmp_path, "huge.txt", "Headline\n\n" + "word " * 5000)
    [result] = list(read_path(path, max_bytes=1000))
    assert isinstance(result, Rejection)
    assert "over the 1,000-byte limit" in result.reason


def test_file_that_vanishes_before_reading(tmp_path: Path) -> None:
    path = write_text(tmp_path, "gone.txt", HARBOUR_STORY)
    listed = list(discover_paths([tmp_path]))
    path.unlink()  # the file goes between listing and reading
    [result] = [r for p in listed if isinstance(p, Path) for r in read_path(p)]
    assert isinstance(result, Rejection)
    assert "vanished" in result.reason


def test_a_folder_is_walked_in_the_byte_order_of_its_names(tmp_path: Path) -> None:
    """Byte order whatever the names hold (text order differs for undecodable bytes), over many parts."""
    many = [f"doc{i:05d}.txt".encode() for i in range(2 * LISTING_PART + 5)]
    names = [b"\xff.txt", "\uf000.txt".encode(), "\u00e9t\u00e9.txt".encode(), b"Z.txt", *many]
    for name in names:
        open(os.path.join(os.fsencode(tmp_path), name), "wb").close()
    walked = [
        Path(item.source_uri if isinstance(item, Rejection) else item[0]).name
        for item in discover_files([tmp_path])
    ]
    assert walked == [name.decode("utf-8", "backslashreplace") for name in sorted(names)]
