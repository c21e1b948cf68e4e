"""Throughput of the whole ETL (extract -> transform -> load) next to bare spaCy.

Each measurement runs in a fresh subprocess so peak RSS is that run's own.

    python benchmarks/pipeline_throughput.py                 # N = 100, 400 copies of the seed
    python benchmarks/pipeline_throughput.py -n 1000 --no-nlp --small   # 1,000 small documents, no NLP
    python benchmarks/pipeline_throughput.py -n 200 --workers 2

Prints documents/s, words/s and peak RSS for each N: the ETL end to end into a
fresh SQLite file, and bare ``nlp.pipe`` with the same model and components on
the same bodies, in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))


def make_corpus(folder: Path, count: int, small: bool) -> None:
    seed = SEED.read_text(encoding="utf-8")
    for index in range(count):
        text = (
            f"Council vote number {index} passes\n\nSPRINGFIELD (AP) — The council approved measure {index} "
            f"on Tuesday by a vote of 5-2.\n\nSupporters said it would repave {index % 17 + 2} streets.\n"
            if small
            else seed.replace("Defying West", f"Defying West ({index})", 1)
        )
        (folder / f"doc{index:06d}.txt").write_text(text, encoding="utf-8")


def peak_rss_mb() -> float:
    """Peak RSS of the largest process: this one or a worker it started."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def measure_etl(count: int, small: bool, nlp: bool, workers: int) -> dict[str, float]:
    from etl.config import Settings
    from etl.pipeline import run_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        make_corpus(folder, count, small)
        settings = Settings(
            paths=(folder,), database_url=f"sqlite:///{tmp}/bench.db", nlp=nlp, workers=workers
        )
        started = time.perf_counter()
        report = run_pipeline(settings)
        seconds = time.perf_counter() - started
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in folder.iterdir())
    assert report.new == count, report
    return {
        "docs_per_s": count / seconds,
        "words_per_s": words / seconds,
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
    }


def measure_bare_spacy(count: int, small: bool) -> dict[str, float]:
    """Bare ``nlp.pipe`` with the pipeline's own model and batch size, on the same bodies."""
    from etl.extract.files import extract_documents
    from etl.records import RawDocument
    from etl.transform.documents import parse_document
    from etl.transform.nlp.annotate import PIPE_BATCH_SIZE
    from etl.transform.nlp.model import load_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder, count, small)
        documents = [d for d in extract_documents([folder]) if isinstance(d, RawDocument)]
        bodies = [parse_document(d).body for d in documents]
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in folder.iterdir())
    nlp = load_pipeline()
    started = time.perf_counter()
    for _doc in nlp.pipe(bodies, batch_size=PIPE_BATCH_SIZE):
        pass
    seconds = time.perf_counter() - started
    return {
        "docs_per_s": count / seconds,
        "words_per_s": words / seconds,
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
    }


def run_child(kind: str, count: int, small: bool, nlp: bool, workers: int) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", kind, "-n", str(count), "--workers", str(workers)]
    args += ["--small"] if small else []
    args += [] if nlp else ["--no-nlp"]
    output = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="documents per run (repeatable)")
    parser.add_argument("--small", action="store_true", help="short generated stories instead of seed copies")
    parser.add_argument("--no-nlp", dest="nlp", action="store_false", help="skip spaCy")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", choices=["etl", "spacy"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    counts = args.n or [100, 400]
    if args.child:
        measure = measure_etl if args.child == "etl" else measure_bare_spacy
        extra = (args.nlp, args.workers) if args.child == "etl" else ()
        print(json.dumps(measure(counts[0], args.small, *extra)))
        return
    corpus = "small stories" if args.small else "seed copies"
    print(f"{corpus}, nlp={'on' if args.nlp else 'off'}, workers={args.workers}")
    print(f"{'N':>6} {'what':<12} {'docs/s':>9} {'words/s':>10} {'peak RSS MB*':>12}")
    for count in counts:
        etl = run_child("etl", count, args.small, args.nlp, args.workers)
        print(
            f"{count:>6} {'newsetl':<12} {etl['docs_per_s']:>9.1f} {etl['words_per_s']:>10.0f} {etl['rss_mb']:>12.0f}"
        )
        if args.nlp:
            bare = run_child("spacy", count, args.small, True, 1)
            print(
                f"{count:>6} {'bare spaCy':<12} {bare['docs_per_s']:>9.1f} {bare['words_per_s']:>10.0f} "
                f"{bare['rss_mb']:>12.0f}   newsetl/spaCy words/s = {etl['words_per_s'] / bare['words_per_s']:.2f}"
            )
    print("* of the largest process (with --workers, the largest worker)")


if __name__ == "__main__":
    main()
