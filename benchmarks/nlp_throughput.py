"""Throughput of the NLP stage next to bare spaCy, on N copies of a seed article.

    PYTHONPATH=. python benchmarks/nlp_throughput.py --copies 200 800

For each N, every runner goes through the same texts in a fresh child process
(so each peak RSS is that runner's own, model included) and reports
documents/s, words/s (per wall-clock and per CPU second: on a shared machine
the CPU figure is the fair comparison), peak RSS and how much RSS grew after
the first batch
(sampled once per batch; flat memory means it does not grow with N). Runners:

``spacy``      bare ``nlp.pipe`` over the bodies, same model, same components;
``transform``  ``parse_document`` + ``annotate_articles`` (entities, quotes);
``entities``   ``nlp.pipe`` + entity extraction only (``--runners``);
``paired``     (``--paired``) one process alternating batches of the three, the
               fair ratio on a machine shared with other jobs.

Another stage (the full run with load) is one more function in :data:`RUNNERS`:
it takes ``(raws, nlp, batch_size, meter)`` and calls ``meter.tick(body)`` once
per document it finishes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.records import RawDocument  # noqa: E402
from etl.transform.documents import parse_document  # noqa: E402
from etl.transform.nlp.annotate import PIPE_BATCH_SIZE, annotate_articles  # noqa: E402
from etl.transform.nlp.entities.passes import extract_entities  # noqa: E402
from etl.transform.nlp.model import load_pipeline, load_stock_pipeline  # noqa: E402

DEFAULT_SEED = ROOT / "seeds" / "000_bd8123d896ecf23b.txt"


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_documents(seed: Path, copies: int) -> Iterator[RawDocument]:
    """Copies of the seed as distinct documents, made lazily (no list of N texts)."""
    text = seed.read_text(encoding="utf-8")
    for i in range(copies):
        payload = f"{text}\n"
        yield RawDocument(
            source_uri=f"{seed.name}#{i}",
            document_key=f"bench:{i}",
            text=payload,
            format="text",
            content_sha256=hashlib.sha256(f"{i}:{payload}".encode()).hexdigest(),
        )


class Meter:
    """Counts documents and words; samples RSS once per batch."""

    def __init__(self, batch_size: int) -> None:
        self.words = 0
        self.docs = 0
        self.batch_size = batch_size
        self.rss_first_batch: float | None = None
        self.rss_max_later = 0.0

    def tick(self, body: str) -> None:
        self.docs += 1
        self.words += len(body.split())
        if self.docs % self.batch_size == 0:
            rss = rss_mb()
            if self.rss_first_batch is None:
                self.rss_first_batch = rss
            else:
                self.rss_max_later = max(self.rss_max_later, rss)


def run_bare_spacy(raws: Iterator[RawDocument], nlp, batch_size: int, meter: Meter) -> None:
    """Bare ``nlp.pipe`` over the same bodies the transform stage would see."""
    bodies = ((body, body) for body in (parse_document(raw).body for raw in raws))
    for _doc, body in nlp.pipe(bodies, as_tuples=True, batch_size=batch_size):
        meter.tick(body)


def run_transform(raws: Iterator[RawDocument], nlp, batch_size: int, meter: Meter) -> None:
    """``parse_document`` + ``annotate_articles``: metadata, entities and quotes."""
    articles = (parse_document(raw) for raw in raws)
    for article in annotate_articles(articles, nlp, batch_size=batch_size):
        meter.tick(article.body)


def run_entities_only(raws: Iterator[RawDocument], nlp, batch_size: int, meter: Meter) -> None:
    """``nlp.pipe`` + entity extraction alone: the entity stage's own cost, without quotes."""
    articles = ((article.body, article) for article in (parse_document(raw) for raw in raws))
    for doc, article in nlp.pipe(articles, as_tuples=True, batch_size=batch_size):
        extract_entities(doc, article)
        meter.tick(article.body)


RUNNERS: dict[str, Callable[[Iterator[RawDocument], object, int, Meter], None]] = {
    "spacy": run_bare_spacy,
    "transform": run_transform,
    "entities": run_entities_only,
}
DEFAULT_RUNNERS = ["spacy", "transform"]


def child(runner: str, copies: int, seed: Path, batch_size: int, model: str | None) -> dict:
    """Run one runner over N copies in this process; return its figures."""
    # Bare spaCy is the model as shipped; newsetl's runners use its own faster components.
    nlp = load_stock_pipeline(model) if runner == "spacy" else load_pipeline(model)
    # Warm up (first-call allocations, gazetteer) outside the timed part.
    RUNNERS[runner](raw_documents(seed, 2), nlp, batch_size, Meter(batch_size))
    rss_start = rss_mb()
    meter = Meter(batch_size)
    started, cpu_started = time.perf_counter(), time.process_time()
    RUNNERS[runner](raw_documents(seed, copies), nlp, batch_size, meter)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    first = meter.rss_first_batch or rss_start
    return {
        "runner": runner,
        "copies": copies,
        "docs": meter.docs,
        "words": meter.words,
        "seconds": round(elapsed, 2),
        "docs_per_s": round(meter.docs / elapsed, 1),
        "words_per_s": round(meter.words / elapsed),
        # CPU seconds: the fair comparison on a machine shared with other jobs.
        "cpu_seconds": round(cpu, 2),
        "words_per_cpu_s": round(meter.words / cpu),
        "rss_start_mb": round(rss_start, 1),
        "rss_first_batch_mb": round(first, 1),
        # Flat memory: RSS sampled after later batches stays near the first batch.
        "rss_growth_after_first_batch_mb": round(max(meter.rss_max_later - first, 0.0), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def paired(copies: int, seed: Path, batch_size: int, model: str | None) -> dict:
    """Alternate one batch of bare spaCy and one of the transform stage, same texts.

    On a machine shared with other jobs, separate runs minutes apart see
    different loads; alternating batches in one process gives both runners the
    same conditions, so their ratio is the figure to trust.
    """
    nlp = load_pipeline(model)
    stock = load_stock_pipeline(model)  # bare spaCy: the model as shipped
    batch = list(raw_documents(seed, batch_size))
    run_transform(iter(batch[:2]), nlp, batch_size, Meter(batch_size))  # warm up
    run_bare_spacy(iter(batch[:2]), stock, batch_size, Meter(batch_size))
    cpu = {"spacy": 0.0, "entities": 0.0, "transform": 0.0}
    words = {"spacy": 0, "entities": 0, "transform": 0}
    for _ in range(max(1, copies // batch_size)):
        for runner in cpu:
            meter = Meter(batch_size)
            started = time.process_time()
            RUNNERS[runner](iter(batch), stock if runner == "spacy" else nlp, batch_size, meter)
            cpu[runner] += time.process_time() - started
            words[runner] += meter.words
    rate = {runner: words[runner] / cpu[runner] for runner in cpu}
    return {
        "runner": "paired",
        "copies": copies,
        **{f"{runner}_words_per_cpu_s": round(value) for runner, value in rate.items()},
        "entities_ratio": round(rate["entities"] / rate["spacy"], 3),
        "transform_ratio": round(rate["transform"] / rate["spacy"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[200, 800])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--batch-size", type=int, default=PIPE_BATCH_SIZE)
    parser.add_argument("--model", default=None)
    parser.add_argument("--runners", nargs="+", default=DEFAULT_RUNNERS, choices=list(RUNNERS))
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    parser.add_argument(
        "--paired", action="store_true", help="also alternate spaCy/transform batches in one process"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "paired":
        print(json.dumps(paired(args.copies[0], args.seed, args.batch_size, args.model)))
        return 0
    if args.child:
        result = child(args.child, args.copies[0], args.seed, args.batch_size, args.model)
        print(json.dumps(result))
        return 0

    results = []
    for copies in args.copies:
        for runner in args.runners + (["paired"] if args.paired else []):
            command = [
                sys.executable,
                __file__,
                "--child",
                runner,
                "--copies",
                str(copies),
                "--seed",
                str(args.seed),
                "--batch-size",
                str(args.batch_size),
            ]
            if args.model:
                command += ["--model", args.model]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            if args.json:
                print(json.dumps(result), flush=True)
    if not args.json:
        print(
            f"{'runner':<10} {'N':>5} {'docs/s':>8} {'words/s':>9} {'words/cpu-s':>11} "
            f"{'peak MB':>8} {'growth MB':>9} {'vs spacy (wall, cpu)':>21}"
        )
        bare = {r["copies"]: r for r in results if r["runner"] == "spacy"}
        for r in results:
            if r["runner"] == "paired":
                print(
                    f"paired     {r['copies']:>5} alternating batches, words/cpu-s: spacy "
                    f"{r['spacy_words_per_cpu_s']}, entities only {r['entities_words_per_cpu_s']} "
                    f"({r['entities_ratio']:.0%}), transform {r['transform_words_per_cpu_s']} "
                    f"({r['transform_ratio']:.0%})"
                )
                continue
            base = bare.get(r["copies"])
            wall = r["words_per_s"] / base["words_per_s"] if base else float("nan")
            cpu = r["words_per_cpu_s"] / base["words_per_cpu_s"] if base else float("nan")
            print(
                f"{r['runner']:<10} {r['copies']:>5} {r['docs_per_s']:>8} {r['words_per_s']:>9} "
                f"{r['words_per_cpu_s']:>11} {r['peak_rss_mb']:>8} "
                f"{r['rss_growth_after_first_batch_mb']:>9} {wall:>10.0%} {cpu:>10.0%}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
