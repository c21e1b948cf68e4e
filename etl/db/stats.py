"""What the database holds, for ``newsetl stats``: rows, sources, languages, dates, entities, quotes, runs."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from typing import Any

from sqlalchemy import Connection, case, func, inspect, select

from etl.db.base import Base, table_of
from etl.db.engine import display_url, make_engine, require_database
from etl.db.migrate import current_revision
from etl.db.models import Article, Entity, EtlRun, Mention, Quote, RejectedDocument, Source
from etl.errors import EtlError

TOP = 10
"""Rows shown per breakdown (sources, languages, entities of each type, rejection reasons)."""


def database_stats(url: str, recent_runs: int = 5) -> dict[str, Any]:
    """Describe the database: row counts and the breakdowns a user asks for first.

    Raises:
        EtlError: there is no such SQLite file (nothing is created), or it
            holds no newsetl schema.
    """
    require_database(url)
    engine = make_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
        if "articles" not in present:
            raise EtlError(
                f"the database {display_url(url)} holds no newsetl schema yet: "
                "`newsetl run` creates it (or `newsetl db upgrade`)"
            )
        with engine.connect() as connection:
            tables = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in Base.metadata.sorted_tables
                if table.name in present
            }
            return {
                "database": display_url(url),
                "revision": current_revision(engine),
                "tables": tables,
                **_articles(connection),
                "top_entities": _top_entities(connection),
                "quotes": _quotes(connection),
                "rejections_by_reason": _rejections(connection),
                "runs": _runs(connection, recent_runs),
            }
    finally:
        engine.dispose()


def _articles(connection: Connection) -> dict[str, Any]:
    articles, sources = table_of(Article), table_of(Source)
    source_id = func.coalesce(articles.c.publisher_id, articles.c.wire_source_id)
    count = func.count().label("n")
    by_source = connection.execute(
        select(func.coalesce(sources.c.name, "(unknown)"), count)
        .select_from(articles.outerjoin(sources, sources.c.id == source_id))
        .group_by(sources.c.name)
        .order_by(count.desc(), sources.c.name)
        .limit(TOP)
    ).all()
    by_language = connection.execute(
        select(func.coalesce(articles.c.language, "(unknown)"), count)
        .group_by(articles.c.language)
        .order_by(count.desc(), articles.c.language)
        .limit(TOP)
    ).all()
    # The language gate of transform (etl.transform.nlp.gate): English or unknown is read.
    primary = func.lower(func.substr(articles.c.language, 1, 2))
    not_english = connection.execute(
        select(func.count()).where(
            articles.c.language.is_not(None), primary != "en", articles.c.language != ""
        )
    ).scalar_one()
    first, last, undated = connection.execute(
        select(
            func.min(articles.c.published_at),
            func.max(articles.c.published_at),
            func.sum(case((articles.c.published_at.is_(None), 1), else_=0)),
        )
    ).one()
    return {
        "articles_by_source": {name: n for name, n in by_source},
        "articles_by_language": {name: n for name, n in by_language},
        "articles_not_english": int(not_english),
        "published": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
            "undated": int(undated or 0),
        },
    }


def _top_entities(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    entities, mentions = table_of(Entity), table_of(Mention)
    count = func.count(mentions.c.id).label("n")
    ranked = connection.execute(
        select(entities.c.type, entities.c.name, count)
        .select_from(entities.join(mentions, mentions.c.entity_id == entities.c.id))
        .group_by(entities.c.id, entities.c.type, entities.c.name)
        .order_by(entities.c.type, count.desc(), entities.c.name)
    )
    top: dict[str, list[dict[str, Any]]] = {}
    for entity_type, name, n in ranked:
        shown = top.setdefault(entity_type, [])
        if len(shown) < TOP:
            shown.append({"name": name, "mentions": n})
    return top


def _quotes(connection: Connection) -> dict[str, int]:
    quotes = table_of(Quote)
    total, with_speaker, anonymous = connection.execute(
        select(
            func.count(),
            func.sum(case((quotes.c.speaker_text.is_not(None), 1), else_=0)),
            func.sum(case((quotes.c.speaker_anonymous.is_(True), 1), else_=0)),
        )
    ).one()
    with_speaker = int(with_speaker or 0)
    return {
        "total": total,
        "with_speaker": with_speaker,
        "without_speaker": total - with_speaker,
        "anonymous_speaker": int(anonymous or 0),
    }


def _rejections(connection: Connection) -> dict[str, int]:
    """Rejections by reason, numbers folded ("record 3 is ..." and "record 7 is ..." are one reason)."""
    rejected = table_of(RejectedDocument)
    grouped: Counter[str] = Counter()
    for reason, n in connection.execute(select(rejected.c.reason, func.count()).group_by(rejected.c.reason)):
        grouped[re.sub(r"\d[\d,.]*", "N", reason)] += n
    return dict(grouped.most_common(TOP))


def _runs(connection: Connection, recent: int) -> list[dict[str, Any]]:
    runs = table_of(EtlRun)
    latest = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(recent)).mappings()
    result = []
    for row in latest:
        run = dict(row)
        # An unreadable record stays as it was written.
        with contextlib.suppress(TypeError, ValueError):
            run["arguments"] = json.loads(run["arguments"])
        result.append(run)
    return result
