"""Scale-out benchmark (issue 12): each executor next to bare spaCy on the same processes and texts.

    python benchmarks/scale.py --docs 2000                          # a quick check (minutes)
    python benchmarks/scale.py --docs 10000 --rss-docs 1000,100000 \\
        --pg postgresql+psycopg://postgres@127.0.0.1:5432/bench --pg-docs 100000   # the issue's run

Prints, for ``--executor local`` (one process), ``dask-local`` with 1 and 2
workers: documents/s, words/s, CPU-seconds per document and peak RSS of the
client and of each worker, each next to bare ``nlp.pipe`` run by the same
number of processes on the same bodies in the same run (ratio = ETL / bare;
the target is >= 0.85). Then client peak RSS with ``--no-nlp`` at each size of
``--rss-docs`` (flat is the target), ``--no-nlp`` docs/s into PostgreSQL
(``--pg``, with ``--pg-workers`` both loading from the client and
``--load-on-workers``; target >= 500 docs/s at 100,000), and the time of an unchanged
re-run as a share of the first run (target <= 2%).

The corpus is built from the plain-text articles under ``../shared/eval/data``
(each copy made distinct by a numbered line) when it exists, else generated.
Every measurement runs in a fresh subprocess, so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval" / "data"


# -- corpus -----------------------------------------------------------------------


def base_texts() -> list[str]:
    """Real articles from the eval sets when present, else a few generated ones."""
    texts = sorted(EVAL.glob("*/inputs/*.txt")) if EVAL.is_dir() else []
    if texts:
        return [p.read_text(encoding="utf-8", errors="replace") for p in texts[:500]]
    return [
        f"Council vote number {i} passes\n\nBy Ana Silva\n\nSPRINGFIELD (AP) – The town council of "
        f"Springfield approved measure {i} on Tuesday by a vote of 5-2, Mayor John Quimby said.\n\n"
        f"\u201cWe will repave {i % 17 + 2} streets before winter,\u201d said Quimby.\n"
        for i in range(50)
    ]


def make_corpus(folder: Path, count: int) -> None:
    texts = base_texts()
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        text = texts[index % len(texts)].rstrip("\n") + f"\n\nBenchmark copy {index}.\n"
        (folder / f"doc{index:06d}.txt").write_text(text, encoding="utf-8")


# -- measurements (each in its own subprocess) ----------------------------------------


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _worker_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_etl(
    folder: str, url: str, executor: str, workers: int, nlp: bool, rerun: bool, load_on_workers: bool = False
) -> dict[str, Any]:
    from etl.config import Settings
    from etl.pipeline import run_pipeline

    cluster = client = None
    options: dict[str, Any] = {"executor": "local", "workers": 1}
    if executor == "dask-local":
        # What --executor dask-local starts, made here so each worker's peak RSS can be asked for.
        import dask
        from distributed import Client, LocalCluster

        from etl.executors import LOCAL_CLUSTER_CONFIG

        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, dashboard_address=":0", silence_logs=40
            )
        client = Client(cluster)
        options = {"executor": "dask", "scheduler": cluster.scheduler_address}
    elif workers > 1:
        options["workers"] = workers
    settings = Settings(
        paths=(Path(folder),), database_url=url, nlp=nlp, load_on_workers=load_on_workers, **options
    )
    # The schema is created before the clock starts: a one-off of a new database, not throughput.
    from etl.db.migrate import upgrade

    upgrade(url)
    cpu, started = _cpu(), time.perf_counter()
    report = run_pipeline(settings)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "docs": report.seen,
        "seconds": seconds,
        "words": _words(url),
        "client_rss_mb": _rss_mb(),
    }
    if rerun:
        again = time.perf_counter()
        repeat = run_pipeline(settings)
        result["rerun_seconds"] = time.perf_counter() - again
        result["rerun_unchanged"] = repeat.unchanged
    if client is not None:
        result["worker_rss_mb"] = sorted(client.run(_worker_rss).values())
        client.close()
        cluster.close()
    result["cpu_seconds"] = _cpu() - cpu
    return result


def _words(url: str) -> int:
    from sqlalchemy import text

    from etl.db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        words = connection.execute(text("SELECT COALESCE(SUM(word_count), 0) FROM articles")).scalar_one()
    engine.dispose()
    return int(words)


def _bare_worker(texts: list[str]) -> tuple[int, float]:
    from etl.transform.nlp.model import load_stock_pipeline

    nlp = load_stock_pipeline(None)  # spaCy as shipped, not newsetl's faster components
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return len(texts), _worker_rss()


def measure_bare(folder: str, processes: int) -> dict[str, Any]:
    """Bare nlp.pipe over the same bodies, in ``processes`` processes (model load included)."""
    from concurrent.futures import ProcessPoolExecutor

    from etl.extract.files import extract_documents
    from etl.records import ArticleRecord
    from etl.transform.batch import transform_documents

    results = transform_documents(extract_documents((Path(folder),), 10**8), False, None)
    bodies = [r.body for r in results if isinstance(r, ArticleRecord)]
    words = sum(len(b.split()) for b in bodies)
    cpu, started = _cpu(), time.perf_counter()
    if processes == 1:
        _, rss = _bare_worker(bodies)
        worker_rss = [rss]
    else:
        shares = [bodies[i::processes] for i in range(processes)]
        with ProcessPoolExecutor(processes) as pool:
            worker_rss = sorted(rss for _, rss in pool.map(_bare_worker, shares))
    return {
        "docs": len(bodies),
        "seconds": time.perf_counter() - started,
        "words": words,
        "client_rss_mb": _rss_mb(),
        "worker_rss_mb": worker_rss,
        "cpu_seconds": _cpu() - cpu,
    }


def _in_subprocess(kind: str, **kwargs: Any) -> dict[str, Any]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
    }
    out = subprocess.run(
        [sys.executable, __file__, "--measure", json.dumps({"kind": kind, **kwargs})],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the report ------------------------------------------------------------------------


def _line(label: str, m: dict[str, Any]) -> str:
    rate = m["docs"] / m["seconds"] if m["seconds"] else 0.0
    workers = ", ".join(f"{r:.0f}" for r in m.get("worker_rss_mb", [])) or "-"
    return (
        f"  {label:<26} {rate:8.1f} docs/s {m['words'] / m['seconds']:10.0f} words/s "
        f"{m['cpu_seconds'] / max(m['docs'], 1) * 1000:7.1f} CPU-ms/doc  "
        f"RSS client {m['client_rss_mb']:.0f} MB, workers [{workers}] MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000, help="documents for the NLP comparison")
    parser.add_argument("--rss-docs", default="1000,100000", help="corpus sizes for client RSS (--no-nlp)")
    parser.add_argument("--pg", help="a PostgreSQL URL (its tables are dropped) for the --no-nlp load rate")
    parser.add_argument("--pg-docs", type=int, default=100_000)
    parser.add_argument(
        "--pg-workers", type=int, default=1, help="also measure the --no-nlp load with this many workers"
    )
    parser.add_argument(
        "--skip-nlp", action="store_true", help="leave out the NLP comparison (load and re-run figures only)"
    )
    parser.add_argument(
        "--modes",
        default="local,dask-local-1,dask-local-2",
        help="which NLP comparisons to run (comma-separated, of local, dask-local-1, dask-local-2)",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        spec = json.loads(args.measure)
        kind = spec.pop("kind")
        result = measure_bare(**spec) if kind == "bare" else measure_etl(**spec)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "nlp"
        every_mode = {
            "local": ("local (1 process)", "local", 1),
            "dask-local-1": ("dask-local, 1 worker", "dask-local", 1),
            "dask-local-2": ("dask-local, 2 workers", "dask-local", 2),
        }
        try:
            modes = [every_mode[name.strip()] for name in args.modes.split(",")]
        except KeyError as exc:
            parser.error(f"unknown mode {exc} (one of {', '.join(every_mode)})")
        if not args.skip_nlp:
            make_corpus(folder, args.docs)
            source = "../shared/eval articles" if EVAL.is_dir() else "generated articles"
            print(f"NLP on {args.docs:,} documents ({source}); ratio = ETL docs/s / bare nlp.pipe docs/s")
        for label, executor, workers in () if args.skip_nlp else modes:
            url = f"sqlite:///{tmp}/{executor}-{workers}.db"
            etl = _in_subprocess(
                "etl",
                folder=str(folder),
                url=url,
                executor=executor,
                workers=workers,
                nlp=True,
                rerun=executor == "local",
            )
            bare = _in_subprocess("bare", folder=str(folder), processes=workers)
            ratio = (etl["docs"] / etl["seconds"]) / (bare["docs"] / bare["seconds"])
            print(_line(label, etl))
            print(_line(f"bare nlp.pipe x{workers}", bare) + f"   ratio {ratio:.2f}")
            if "rerun_seconds" in etl:
                print(
                    f"  unchanged re-run (NLP): {etl['rerun_seconds']:.2f}s = "
                    f"{100 * etl['rerun_seconds'] / etl['seconds']:.1f}% of the first run"
                )

        print("Client peak RSS, --no-nlp, local executor into SQLite (flat is the target)")
        for count in (int(n) for n in args.rss_docs.split(",")):
            small = Path(tmp) / f"rss{count}"
            make_corpus(small, count)
            m = _in_subprocess(
                "etl",
                folder=str(small),
                url=f"sqlite:///{tmp}/rss{count}.db",
                executor="local",
                workers=1,
                nlp=False,
                rerun=True,
            )
            print(
                f"  {count:>8,} docs: client RSS {m['client_rss_mb']:.0f} MB, "
                f"{m['docs'] / m['seconds']:.0f} docs/s; unchanged re-run {m['rerun_seconds']:.2f}s = "
                f"{100 * m['rerun_seconds'] / m['seconds']:.1f}% of the first run"
            )

        if args.pg:
            pg = Path(tmp) / "pg"
            make_corpus(pg, args.pg_docs)
            sys.path.insert(0, str(ROOT))  # run as a script: the repository is not on the path
            from tests.databases import reset_database

            # With several workers, both load modes: records back to the client, and --load-on-workers.
            runs = [(w, False) for w in sorted({1, args.pg_workers})]
            runs += [(args.pg_workers, True)] if args.pg_workers > 1 else []
            for workers, on_workers in runs:
                reset_database(args.pg)
                m = _in_subprocess(
                    "etl",
                    folder=str(pg),
                    url=args.pg,
                    executor="local",
                    workers=workers,
                    nlp=False,
                    rerun=True,
                    load_on_workers=on_workers,
                )
                mode = ", --load-on-workers" if on_workers else ""
                print(
                    f"PostgreSQL --no-nlp, {args.pg_docs:,} docs, --workers {workers}{mode}: "
                    f"{m['docs'] / m['seconds']:.0f} docs/s; unchanged re-run "
                    f"{m['rerun_seconds']:.2f}s = {100 * m['rerun_seconds'] / m['seconds']:.1f}% of the first run"
                )


if __name__ == "__main__":
    main()
