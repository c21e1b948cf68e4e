"""The progress bar of ``newsetl run`` on stderr (tqdm), shown only on a terminal."""

from __future__ import annotations

import io
import os
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from etl.pipeline import ProgressUpdate


class Progress:
    """The run's progress bar on stderr (tqdm): only on a terminal, never with -q or --json.

    With a known total (documents counted from the folder walk) it is a bar
    with an ETA; for files that hold an unknown number of documents (JSONL,
    WARC) a counter. The rate counts only the documents that went through
    transform, so a stretch of unchanged (skipped) documents never shows a
    rate nobody could get; those are counted as "unchanged" instead.
    """

    def __init__(self, enabled: bool, total: int | None, stream: TextIO | None = None) -> None:
        stream = stream or sys.stderr
        self.total = total
        self.enabled = enabled and stream.isatty()
        self.transformed = self.unchanged = self.rejected = self.words_after_first = 0
        self.first_done: float | None = None
        self.bar: Any = None
        if self.enabled:
            from tqdm import tqdm

            known = "{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]"
            # A terminal that reports no width (some ptys, CI consoles) would get an empty bar.
            sized: dict[str, Any] = {"dynamic_ncols": True} if _width(stream) else {"ncols": 100, "nrows": 24}
            self.bar = tqdm(
                total=total,
                file=stream,
                unit=" docs",
                mininterval=0.2,
                **sized,
                bar_format=known if total is not None else "{n_fmt} documents [{elapsed}{postfix}]",
            )

    def __call__(self, update: ProgressUpdate) -> None:
        if update.transformed and self.first_done is None:
            self.first_done = time.perf_counter()
        elif update.transformed:
            self.words_after_first += update.words
        self.transformed += update.transformed
        self.unchanged += update.unchanged
        self.rejected += update.rejected
        if self.bar is not None:
            self.bar.set_postfix_str(self.describe(), refresh=False)
            self.bar.update(update.documents)

    def describe(self) -> str:
        """Rates and counts so far: "12.5 docs/s, 6,100 words/s, 2 rejected, 40 unchanged"."""
        parts = []
        if self.transformed > 1 and self.first_done is not None:
            # Timed from the first document out of transform: loading spaCy is not a rate.
            elapsed = max(time.perf_counter() - self.first_done, 1e-9)
            done = self.transformed - 1
            parts += [f"{done / elapsed:,.1f} docs/s", f"{self.words_after_first / elapsed:,.0f} words/s"]
        parts.append(f"{self.rejected:,} rejected")
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        return ", ".join(parts)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(self.describe(), refresh=False)
            self.bar.close()  # leaves the final count on screen
            self.bar = None


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, io.UnsupportedOperation):
        return 0
