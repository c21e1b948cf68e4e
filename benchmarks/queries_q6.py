"""Time docs/queries.md Q6 (entities that appear together) on a SQLite file, after refresh_statistics.

    python benchmarks/queries_q6.py newsetl.db      # prints seconds, e.g. "q6 1.21 s (50 rows)"

Issue 14's target: under 3 s on ~400 real articles. Not a timed test: the machine decides.

Measured (2026-12-01): the first 400 inputs of the quotes-dev2 evaluation set loaded with NLP
(`newsetl run --db sqlite:///q400.db q400/`: 400 articles, 4,503 entities, 26,690 mentions), then
`python benchmarks/queries_q6.py q400.db` printed "q6 0.83 s (50 rows)" on two shared cores
with a load average of 12. Before statistics were refreshed after loads, the same query took 55-90 s.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from etl.db.engine import make_engine
from etl.db.maintenance import refresh_statistics

QUERIES = Path(__file__).resolve().parent.parent / "docs" / "queries.md"


def q6_sql() -> str:
    """The SQL block under the heading of question 6 in docs/queries.md."""
    section = QUERIES.read_text(encoding="utf-8").split("## 6.", 1)[1]
    found = re.search(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    assert found, "no SQL under question 6"
    return found.group(1)


def main(path: str) -> None:
    engine = make_engine(f"sqlite:///{Path(path).resolve()}")
    try:
        refresh_statistics(engine)
        with engine.connect() as connection:
            start = time.perf_counter()
            rows = connection.exec_driver_sql(q6_sql()).all()
            elapsed = time.perf_counter() - start
        print(f"q6 {elapsed:.2f} s ({len(rows)} rows)")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "newsetl.db")
