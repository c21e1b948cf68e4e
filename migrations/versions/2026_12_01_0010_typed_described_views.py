"""reporting views: a declared type and a description on every column

BI tools type a column from the database: SQLite reports no type for a
computed view column (a date, a count, a COALESCE), so Superset saw UNKNOWN
and grouped a weekly grain by day. A CAST does not help before SQLite 3.41
(``PRAGMA table_info`` reports a declared type only for a column reference),
but a compound SELECT takes its column types from its first arm: on SQLite
each view is ``SELECT <typed columns of view_column_types> WHERE 0 UNION ALL
<the real query>``, the first arm returning no row. ``view_column_types`` is an
empty SQLite-only table with one column per declared type (kept out of the
models like the FTS table). Computed columns are CAST as well (dates to TEXT:
``CAST('2024-03-04' AS DATE)`` is 2024 in SQLite), so their values have a fixed
type on any SQLite version.

Each column is described once here: ``COMMENT ON COLUMN`` on PostgreSQL; a
``-- comment`` after the column in the view's SQL on every database (SQLite
keeps it in ``sqlite_master``; MariaDB/MySQL views cannot hold comments and
``SHOW CREATE VIEW`` prints the view normalised, so there the descriptions
live in this file and in docs/schema.md). The views are otherwise those of
revision 0004 (the SQL is copied, not imported).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 00:10:00
"""

from collections.abc import Sequence
from typing import NamedTuple

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class Col(NamedTuple):
    """A view column: its expression, name, SQLite type when computed, and description."""

    expr: str
    name: str
    sqlite_type: str
    description: str
    computed: bool = True


SOURCE_COLUMNS = (
    Col("COALESCE(p.name, w.name)", "source_name", "VARCHAR(255)", "Publisher, else wire service."),
    Col("p.name", "publisher", "VARCHAR(255)", "Publisher of the article (sources.name)."),
    Col("w.name", "wire_source", "VARCHAR(255)", "Wire service the story came from (sources.name)."),
)
SOURCE_JOINS = "LEFT JOIN sources p ON p.id = a.publisher_id LEFT JOIN sources w ON w.id = a.wire_source_id"
DAY = "{day}"  # replaced per dialect


def _published(prefix: str = "a") -> tuple[Col, Col]:
    return (
        Col(f"{prefix}.published_at", "published_at", "DATETIME", "Publication time of the article (UTC)."),
        Col(DAY, "published_date", "DATE", "Publication day of the article (UTC calendar day)."),
    )


def _credits(dialect: str) -> str:
    credits = "FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id WHERE ac.article_id = a.id"
    if dialect == "postgresql":
        return f"(SELECT string_agg(c.name, '; ' ORDER BY ac.position) {credits})"
    if dialect in ("mysql", "mariadb"):
        return f"(SELECT GROUP_CONCAT(c.name ORDER BY ac.position SEPARATOR '; ') {credits})"
    # SQLite before 3.44 has no ORDER BY inside group_concat: aggregate an ordered subquery.
    return f"(SELECT group_concat(name, '; ') FROM (SELECT c.name AS name {credits} ORDER BY ac.position))"


def _views(dialect: str) -> dict[str, tuple[tuple[Col, ...], str]]:
    true = "TRUE" if dialect == "postgresql" else "1"
    return {
        "articles_report": (
            (
                Col("a.id", "article_id", "INTEGER", "Article (articles.id)."),
                Col("a.headline", "headline", "VARCHAR(1000)", "Headline."),
                *_published(),
                Col(
                    "a.published_tz_known",
                    "published_tz_known",
                    "BOOLEAN",
                    "True when the source gave a time zone.",
                ),
                *SOURCE_COLUMNS,
                Col("a.section", "section", "VARCHAR(255)", "Section or desk stated by the source."),
                Col("a.language", "language", "VARCHAR(16)", "Language code of the body."),
                Col("a.dateline", "dateline", "VARCHAR(255)", "Dateline as written."),
                Col("a.url", "url", "VARCHAR(2048)", "Canonical URL of the article when known."),
                Col("a.word_count", "word_count", "INTEGER", "Words in the body."),
                Col(
                    _credits(dialect),
                    "contributors",
                    "TEXT",
                    "Names of everyone credited, in credit order, joined by '; '.",
                ),
                Col(
                    "(SELECT COUNT(*) FROM article_contributors ac WHERE ac.article_id = a.id)",
                    "contributor_count",
                    "INTEGER",
                    "Credits on the article.",
                ),
                Col(
                    "(SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id)",
                    "mention_count",
                    "INTEGER",
                    "Entity mentions in the body.",
                ),
                Col(
                    "(SELECT COUNT(DISTINCT m.entity_id) FROM mentions m WHERE m.article_id = a.id)",
                    "entity_count",
                    "INTEGER",
                    "Distinct entities mentioned.",
                ),
                Col(
                    "(SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id)",
                    "quote_count",
                    "INTEGER",
                    "Quotes in the article.",
                ),
                Col(
                    f"(SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id AND q.speaker_anonymous = {true})",
                    "anonymous_quote_count",
                    "INTEGER",
                    "Quotes whose speaker is unnamed (an official, a source).",
                ),
            ),
            f"FROM articles a {SOURCE_JOINS}",
        ),
        "quotes_report": (
            (
                Col("q.id", "quote_id", "INTEGER", "Quote (quotes.id)."),
                Col("q.article_id", "article_id", "INTEGER", "Article (articles.id)."),
                Col("q.position", "quote_position", "INTEGER", "Order of the quote in the article, from 0."),
                Col("q.text", "quote_text", "TEXT", "The quoted words, without quote marks."),
                Col("q.kind", "kind", "VARCHAR(16)", "direct, partial or indirect."),
                Col(
                    "COALESCE(e.name, q.speaker_name)",
                    "speaker",
                    "VARCHAR(255)",
                    "Speaker, resolved entity name first, else the name as written; null when unnamed or not found.",
                ),
                Col(
                    "q.speaker_name", "speaker_name", "VARCHAR(255)", "Speaker's name as written, when named."
                ),
                Col(
                    "q.speaker_text",
                    "speaker_text",
                    "VARCHAR(255)",
                    "Speaker as written (a name or a description).",
                ),
                Col(
                    "q.speaker_entity_id",
                    "speaker_entity_id",
                    "INTEGER",
                    "Speaker resolved to an entity (entities.id), when found.",
                ),
                Col(
                    "q.speaker_anonymous",
                    "speaker_anonymous",
                    "BOOLEAN",
                    "True when the speaker is unnamed (an official, a source).",
                ),
                Col(
                    "q.speaker_description",
                    "speaker_description",
                    "VARCHAR(1000)",
                    "How the speaker is described.",
                ),
                Col("q.cue", "cue", "VARCHAR(64)", "Reporting verb that attributes the quote (said)."),
                Col("a.headline", "headline", "VARCHAR(1000)", "Headline of the article."),
                *_published(),
                *SOURCE_COLUMNS,
            ),
            f"FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.speaker_entity_id {SOURCE_JOINS}",
        ),
        "mentions_report": (
            (
                Col("m.id", "mention_id", "INTEGER", "Mention (mentions.id)."),
                Col("m.article_id", "article_id", "INTEGER", "Article (articles.id)."),
                Col("m.entity_id", "entity_id", "INTEGER", "Entity mentioned (entities.id)."),
                Col("e.name", "entity_name", "VARCHAR(255)", "Canonical name of the entity."),
                Col(
                    "e.type",
                    "entity_type",
                    "VARCHAR(16)",
                    "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or OTHER.",
                ),
                Col("m.text", "mention_text", "VARCHAR(255)", "The mention as written."),
                Col("m.paragraph", "paragraph", "INTEGER", "Paragraph number in the body, from 0."),
                Col("m.start_offset", "start_offset", "INTEGER", "Start character offset into the body."),
                Col(
                    "m.end_offset", "end_offset", "INTEGER", "End character offset into the body (exclusive)."
                ),
                Col(
                    "e.country_code",
                    "country_code",
                    "VARCHAR(2)",
                    "ISO 3166-1 alpha-2 country code of a place.",
                ),
                Col("e.latitude", "latitude", "FLOAT", "Latitude of a place (WGS 84 degrees)."),
                Col("e.longitude", "longitude", "FLOAT", "Longitude of a place (WGS 84 degrees)."),
                Col("a.headline", "headline", "VARCHAR(1000)", "Headline of the article."),
                *_published(),
                *SOURCE_COLUMNS,
            ),
            f"FROM mentions m JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id {SOURCE_JOINS}",
        ),
        "contributors_report": (
            (
                Col("ac.article_id", "article_id", "INTEGER", "Article (articles.id)."),
                Col(
                    "ac.position", "credit_position", "INTEGER", "Order of the credit in the article, from 0."
                ),
                Col("ac.contributor_id", "contributor_id", "INTEGER", "Contributor (contributors.id)."),
                Col("c.name", "contributor_name", "VARCHAR(255)", "Name of the contributor."),
                Col(
                    "ac.role",
                    "role",
                    "VARCHAR(32)",
                    "author, reporting, additional_reporting, editing, writing or other.",
                ),
                Col(
                    "ac.location",
                    "location",
                    "VARCHAR(255)",
                    "Where the contributor reported from, when the credit says so.",
                ),
                Col("a.headline", "headline", "VARCHAR(1000)", "Headline of the article."),
                *_published(),
                *SOURCE_COLUMNS,
            ),
            f"FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id JOIN articles a ON a.id = ac.article_id {SOURCE_JOINS}",
        ),
        "entity_daily_counts": (
            (
                Col("m.entity_id", "entity_id", "INTEGER", "Entity (entities.id)."),
                Col("e.name", "entity_name", "VARCHAR(255)", "Canonical name of the entity."),
                Col(
                    "e.type",
                    "entity_type",
                    "VARCHAR(16)",
                    "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or OTHER.",
                ),
                Col(DAY, "published_date", "DATE", "Publication day (UTC calendar day)."),
                Col("s.id", "source_id", "INTEGER", "Publisher, else wire service (sources.id)."),
                Col("s.name", "source_name", "VARCHAR(255)", "Publisher, else wire service."),
                Col(
                    "COUNT(DISTINCT m.article_id)",
                    "article_count",
                    "INTEGER",
                    "Articles that mention the entity that day in that source.",
                ),
                Col(
                    "COUNT(*)", "mention_count", "INTEGER", "Mentions of the entity that day in that source."
                ),
            ),
            "FROM mentions m JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN sources s ON s.id = COALESCE(a.publisher_id, a.wire_source_id) "
            f"GROUP BY m.entity_id, e.name, e.type, {DAY}, s.id, s.name",
        ),
        "places_report": (
            (
                Col("e.id", "entity_id", "INTEGER", "Place (entities.id)."),
                Col("e.name", "place_name", "VARCHAR(255)", "Canonical name of the place."),
                Col(
                    "e.type",
                    "place_type",
                    "VARCHAR(16)",
                    "GPE (country, city, state), LOC (region, sea) or FAC (building, airport).",
                ),
                Col("e.country_code", "country_code", "VARCHAR(2)", "ISO 3166-1 alpha-2 country code."),
                Col("e.latitude", "latitude", "FLOAT", "Latitude (WGS 84 degrees)."),
                Col("e.longitude", "longitude", "FLOAT", "Longitude (WGS 84 degrees)."),
                Col(
                    "COUNT(DISTINCT m.article_id)",
                    "article_count",
                    "INTEGER",
                    "Articles that mention the place.",
                ),
                Col("COUNT(m.id)", "mention_count", "INTEGER", "Mentions of the place."),
                Col(
                    "MIN(a.published_at)",
                    "first_published_at",
                    "DATETIME",
                    "Publication time of the first article that mentions it (UTC).",
                ),
                Col(
                    "MAX(a.published_at)",
                    "last_published_at",
                    "DATETIME",
                    "Publication time of the latest article that mentions it (UTC).",
                ),
            ),
            "FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id LEFT JOIN articles a ON a.id = m.article_id "
            "WHERE e.type IN ('GPE', 'LOC', 'FAC') "
            "GROUP BY e.id, e.name, e.type, e.country_code, e.latitude, e.longitude",
        ),
    }


VIEW_COMMENTS = {
    "articles_report": "One row per article with its source, date, contributors and counts of mentions and quotes.",
    "quotes_report": "One row per quote with its speaker, anonymity, and the article's headline, source and date.",
    "mentions_report": "One row per entity mention with the entity, its type and place data, and the article's date and source.",
    "contributors_report": "One row per credit: who did what on which article, and from where.",
    "entity_daily_counts": "Articles and mentions per entity, source and publication day.",
    "places_report": "One row per place (GPE, LOC, FAC) with country code, coordinates and how often it is mentioned.",
}


TYPES_TABLE = "view_column_types"
"""SQLite only: an empty table whose columns carry the declared types of the view columns."""


def _type_column(sqlite_type: str) -> str:
    return "t_" + "".join(ch if ch.isalnum() else "_" for ch in sqlite_type.lower()).strip("_")


def _all_types() -> list[str]:
    return sorted({col.sqlite_type for columns, _tail in _views("sqlite").values() for col in columns})


def view_sql(dialect: str, columns: Sequence[Col], tail: str) -> str:
    """The SELECT of a view: one column per line, its description in a trailing comment."""
    day = "DATE(a.published_at)" if dialect == "sqlite" else "CAST(a.published_at AS DATE)"
    lines = []
    for index, col in enumerate(columns):
        expr = col.expr.replace(DAY, day)
        if dialect == "sqlite" and "(" in expr:
            # DATE and DATETIME have NUMERIC affinity: CAST would keep only the year of ISO text.
            cast = "TEXT" if col.sqlite_type in ("DATE", "DATETIME") else col.sqlite_type
            expr = f"CAST({expr} AS {cast})"
        comma = "," if index < len(columns) - 1 else ""
        lines.append(f"  {expr} AS {col.name}{comma} -- {col.description}")
    select = "SELECT\n" + "\n".join(lines) + "\n" + tail.replace(DAY, day)
    if dialect != "sqlite":
        return select
    typed = ", ".join(f"{_type_column(col.sqlite_type)} AS {col.name}" for col in columns)
    return f"-- The first arm returns no row; it declares the column types.\nSELECT {typed} FROM {TYPES_TABLE} WHERE 0\nUNION ALL\n{select}"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _drop_views() -> None:
    for name in reversed(list(VIEW_COMMENTS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    _drop_views()
    create = "CREATE SQL SECURITY INVOKER VIEW" if dialect in ("mysql", "mariadb") else "CREATE VIEW"
    if dialect == "sqlite":
        columns_sql = ", ".join(f"{_type_column(t)} {t}" for t in _all_types())
        op.execute(f"CREATE TABLE {TYPES_TABLE} ({columns_sql})")
    for name, (columns, tail) in _views(dialect).items():
        # exec_driver_sql: descriptions may hold colons, which text() would read as parameters.
        statements = [f"{create} {name} AS\n{view_sql(dialect, columns, tail)}"]
        if dialect == "postgresql":
            statements.append(f"COMMENT ON VIEW {name} IS {_quote(VIEW_COMMENTS[name])}")
            statements += [
                f"COMMENT ON COLUMN {name}.{col.name} IS {_quote(col.description)}" for col in columns
            ]
        for statement in statements:
            bind.exec_driver_sql(statement.replace("%", "%%"), ())


def downgrade() -> None:
    # Back to the views of revision 0004 (untyped on SQLite, no column comments).
    import importlib

    previous = importlib.import_module("migrations.versions.2026_11_29_0004_reporting_views")
    _drop_views()
    op.execute(f"DROP TABLE IF EXISTS {TYPES_TABLE}")
    previous.upgrade()
