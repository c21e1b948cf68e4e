"""Throughput of the HTML stage next to trafilatura's own extraction, same pages, same run.

    PYTHONPATH=. python benchmarks/html_throughput.py [FOLDER ...] [--rounds 3]

Each FOLDER holds ``.html``/``.htm`` pages (default: the test fixtures). Ours
is ``parse_html_page``: one parse, metadata candidates, bylines, dates and
the trafilatura body. trafilatura's column is
``trafilatura.bare_extraction(with_metadata=True)``: its body and metadata,
the same work. The two are timed in alternating passes over the same pages
in one process, so a machine shared with other jobs slows both alike; the
ratio is computed from the summed CPU time of each side (wall-clock too,
for reference). Pages that raise (no article) are timed too, as they cost
the same work. Peak RSS of the process is printed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import resource
import sys
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
    trafilatura.bare_extraction(page.text, with_metadata=True)


def timed_pass(pages: list[RawDocument], stage: Callable[[RawDocument], None]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one pass of ``stage`` over all pages."""
    cpu, wall = time.process_time(), time.perf_counter()
    for page in pages:
        stage(page)
    return time.process_time() - cpu, time.perf_counter() - wall


def compare(pages: list[RawDocument], rounds: int) -> dict[str, float]:
    """Alternate passes of both stages; return pages/s of each, by CPU and wall time."""
    for page in pages[:3]:  # warm caches and lazy imports
        ours(page)
        theirs(page)
    totals = {"ours_cpu": 0.0, "ours_wall": 0.0, "theirs_cpu": 0.0, "theirs_wall": 0.0}
    for round_ in range(rounds):
        order = [("ours", ours), ("theirs", theirs)]
        if round_ % 2:
            order.reverse()
        for name, stage in order:
            cpu, wall = timed_pass(pages, stage)
            totals[f"{name}_cpu"] += cpu
            totals[f"{name}_wall"] += wall
    done = len(pages) * rounds
    return {key: done / seconds for key, seconds in totals.items()}


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_FOLDER])
    parser.add_argument("--rounds", type=int, default=3, help="alternating passes of each side")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    for folder in args.folders:
        pages = load_pages(folder)
        if not pages:
            raise SystemExit(f"no .html pages under {folder}")
        size = sum(len(p.text) for p in pages) / len(pages) / 1024
        rates = compare(pages, args.rounds)
        print(f"{len(pages)} pages, {size:.0f} KiB on average, from {folder} ({args.rounds} rounds each)")
        print(f"{'':<40} {'CPU pages/s':>12} {'wall pages/s':>13}")
        print(f"{'newsetl parse_html_page':<40} {rates['ours_cpu']:12.1f} {rates['ours_wall']:13.1f}")
        print(
            f"{'trafilatura.bare_extraction(+metadata)':<40} {rates['theirs_cpu']:12.1f} {rates['theirs_wall']:13.1f}"
        )
        print(
            f"{'ratio (ours / trafilatura)':<40} {rates['ours_cpu'] / rates['theirs_cpu']:12.2f}"
            f" {rates['ours_wall'] / rates['theirs_wall']:13.2f}"
        )
    print(f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
