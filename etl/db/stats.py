"""Row counts and recent runs: what ``newsetl stats`` prints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, inspect, select

from etl.db.base import Base, table_of
from etl.db.engine import make_engine
from etl.db.migrate import current_revision
from etl.db.models import EtlRun
from etl.errors import EtlError


def database_stats(url: str, recent_runs: int = 5) -> dict[str, Any]:
    """Count the rows of every table and list the latest runs."""
    engine = make_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
        if "articles" not in present:
            raise EtlError(
                "the database holds no newsetl schema yet: run `newsetl run` or `newsetl db upgrade`"
            )
        runs = table_of(EtlRun)
        with engine.connect() as connection:
            tables = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in Base.metadata.sorted_tables
                if table.name in present
            }
            latest = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(recent_runs)).mappings()
            return {"revision": current_revision(engine), "tables": tables, "runs": [dict(r) for r in latest]}
    finally:
        engine.dispose()
