"""Throughput of the HTML stage next to trafilatura's own ``extract``, same pages, same run.

    PYTHONPATH=. python benchmarks/html_throughput.py [FOLDER] [--min-seconds 5]

FOLDER holds ``.html``/``.htm`` pages (default: the test fixtures). Ours is
``parse_html_page``: metadata candidates, bylines, dates and the trafilatura
body; trafilatura's column is ``trafilatura.extract`` alone. Pages that raise
(no article) are timed too, as they cost the same work.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from etl.errors import ParseError
from etl.records import RawDocument
from etl.transform.formats.html.reader import parse_html_page

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "html"


def load_pages(folder: Path) -> list[RawDocument]:
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".html", ".htm"})
    return [
        RawDocument(
            source_uri=str(p),
            document_key=p.resolve().as_uri(),
            text=p.read_text(encoding="utf-8", errors="replace"),
            format="html",
            content_sha256="",
        )
        for p in paths
    ]


def ours(page: RawDocument) -> None:
    with contextlib.suppress(ParseError):
        parse_html_page(page)


def theirs(page: RawDocument) -> None:
    trafilatura.extract(page.text)


def pages_per_second(
    pages: list[RawDocument], stage: Callable[[RawDocument], None], min_seconds: float
) -> float:
    """Run ``stage`` over all pages, repeating until ``min_seconds`` passed."""
    for page in pages[:3]:  # warm caches and lazy imports
        stage(page)
    done = 0
    start = time.perf_counter()
    while True:
        for page in pages:
            stage(page)
        done += len(pages)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--min-seconds", type=float, default=5.0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = load_pages(args.folder)
    if not pages:
        raise SystemExit(f"no .html pages under {args.folder}")
    size = sum(len(p.text) for p in pages) / len(pages) / 1024
    ours_rate = pages_per_second(pages, ours, args.min_seconds)
    theirs_rate = pages_per_second(pages, theirs, args.min_seconds)
    print(f"{len(pages)} pages, {size:.0f} KiB on average, from {args.folder}")
    print(f"{'newsetl parse_html_page':<28} {ours_rate:8.1f} pages/s")
    print(f"{'trafilatura.extract':<28} {theirs_rate:8.1f} pages/s")
    print(f"{'ratio (ours / trafilatura)':<28} {ours_rate / theirs_rate:8.2f}")


if __name__ == "__main__":
    main()
