"""reporting views for SQL and BI users

One row per obvious thing, joins already done: ``articles_report``,
``quotes_report``, ``mentions_report``, ``contributors_report``,
``entity_daily_counts`` and ``places_report``. The SQL is portable except for
date truncation and ordered string aggregation, which branch on the dialect.

Autogenerate never sees views (they are not tables), so ``newsetl db check``
stays clean. SQLite caveat for later migrations: a batch operation that
recreates a table a view reads from fails on SQLite ("error in view ...");
drop the views first and recreate them after (copy the SQL into the new
revision rather than importing this one).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 00:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW_COMMENTS = {
    "articles_report": "One row per article with its source, date, contributors and counts of mentions and quotes.",
    "quotes_report": "One row per quote with its speaker, anonymity, and the article's headline, source and date.",
    "mentions_report": "One row per entity mention with the entity, its type and place data, and the article's date and source.",
    "contributors_report": "One row per credit: who did what on which article, and from where.",
    "entity_daily_counts": "Articles and mentions per entity, source and publication day.",
    "places_report": "One row per place (GPE, LOC, FAC) with country code, coordinates and how often it is mentioned.",
}


def _published_date(dialect: str, column: str) -> str:
    """The UTC calendar day of a datetime column (SQLite: ISO text 'YYYY-MM-DD')."""
    return f"DATE({column})" if dialect == "sqlite" else f"CAST({column} AS DATE)"


def _contributor_names(dialect: str) -> str:
    """Contributor names of article ``a``, in credit order, joined by '; '."""
    credits = "FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id WHERE ac.article_id = a.id"
    if dialect == "postgresql":
        return f"(SELECT string_agg(c.name, '; ' ORDER BY ac.position) {credits})"
    if dialect in ("mysql", "mariadb"):
        return f"(SELECT GROUP_CONCAT(c.name ORDER BY ac.position SEPARATOR '; ') {credits})"
    # SQLite before 3.44 has no ORDER BY inside group_concat: aggregate an ordered subquery.
    return f"(SELECT group_concat(name, '; ') FROM (SELECT c.name AS name {credits} ORDER BY ac.position))"


def _views(dialect: str) -> dict[str, str]:
    day = _published_date(dialect, "a.published_at")
    source = "COALESCE(p.name, w.name) AS source_name, p.name AS publisher, w.name AS wire_source"
    sources = "LEFT JOIN sources p ON p.id = a.publisher_id LEFT JOIN sources w ON w.id = a.wire_source_id"
    return {
        "articles_report": f"""
SELECT a.id AS article_id, a.headline, a.published_at, {day} AS published_date, a.published_tz_known,
       {source}, a.section, a.language, a.dateline, a.url, a.word_count,
       {_contributor_names(dialect)} AS contributors,
       (SELECT COUNT(*) FROM article_contributors ac WHERE ac.article_id = a.id) AS contributor_count,
       (SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id) AS mention_count,
       (SELECT COUNT(DISTINCT m.entity_id) FROM mentions m WHERE m.article_id = a.id) AS entity_count,
       (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quote_count,
       (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id AND q.speaker_anonymous = {_true(dialect)})
           AS anonymous_quote_count
FROM articles a {sources}""",
        "quotes_report": f"""
SELECT q.id AS quote_id, q.article_id, q.position AS quote_position, q.text AS quote_text, q.kind,
       COALESCE(e.name, q.speaker_name) AS speaker, q.speaker_name, q.speaker_text, q.speaker_entity_id,
       q.speaker_anonymous, q.speaker_description, q.cue,
       a.headline, a.published_at, {day} AS published_date, {source}
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN entities e ON e.id = q.speaker_entity_id
{sources}""",
        "mentions_report": f"""
SELECT m.id AS mention_id, m.article_id, m.entity_id, e.name AS entity_name, e.type AS entity_type,
       m.text AS mention_text, m.paragraph, m.start_offset, m.end_offset,
       e.country_code, e.latitude, e.longitude,
       a.headline, a.published_at, {day} AS published_date, {source}
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN articles a ON a.id = m.article_id
{sources}""",
        "contributors_report": f"""
SELECT ac.article_id, ac.position AS credit_position, ac.contributor_id, c.name AS contributor_name,
       ac.role, ac.location, a.headline, a.published_at, {day} AS published_date, {source}
FROM article_contributors ac
JOIN contributors c ON c.id = ac.contributor_id
JOIN articles a ON a.id = ac.article_id
{sources}""",
        "entity_daily_counts": f"""
SELECT m.entity_id, e.name AS entity_name, e.type AS entity_type, {day} AS published_date,
       s.id AS source_id, s.name AS source_name,
       COUNT(DISTINCT m.article_id) AS article_count, COUNT(*) AS mention_count
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN articles a ON a.id = m.article_id
LEFT JOIN sources s ON s.id = COALESCE(a.publisher_id, a.wire_source_id)
GROUP BY m.entity_id, e.name, e.type, {day}, s.id, s.name""",
        "places_report": """
SELECT e.id AS entity_id, e.name AS place_name, e.type AS place_type, e.country_code, e.latitude, e.longitude,
       COUNT(DISTINCT m.article_id) AS article_count, COUNT(m.id) AS mention_count,
       MIN(a.published_at) AS first_published_at, MAX(a.published_at) AS last_published_at
FROM entities e
LEFT JOIN mentions m ON m.entity_id = e.id
LEFT JOIN articles a ON a.id = m.article_id
WHERE e.type IN ('GPE', 'LOC', 'FAC')
GROUP BY e.id, e.name, e.type, e.country_code, e.latitude, e.longitude""",
    }


def _true(dialect: str) -> str:
    return "TRUE" if dialect == "postgresql" else "1"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # MySQL views run as their definer by default and break if that account is dropped;
    # as invoker they use the reader's own SELECT rights (granted by `newsetl db grant-readonly`).
    create = "CREATE SQL SECURITY INVOKER VIEW" if dialect in ("mysql", "mariadb") else "CREATE VIEW"
    for name, select in _views(dialect).items():
        op.execute(f"{create} {name} AS {select.strip()}")
        if dialect == "postgresql":
            comment = VIEW_COMMENTS[name].replace("'", "''")
            op.execute(f"COMMENT ON VIEW {name} IS '{comment}'")


def downgrade() -> None:
    for name in reversed(list(VIEW_COMMENTS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
