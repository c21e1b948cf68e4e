"""comments on every table and column; indexes for analysts' filters

Comments make the schema self-describing in BI tools and psql: PostgreSQL
and MariaDB/MySQL keep them, SQLite has none (nothing to do there). MySQL
can only set a column comment by restating the column, so each table gets one
``ALTER TABLE ... MODIFY`` per column built from the reflected definition.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 00:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_entities_name", "entities", "name"),
    ("ix_entities_type", "entities", "type"),
    ("ix_quotes_speaker_name", "quotes", "speaker_name"),
)

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "contributors": (
        "People credited on articles, one row per normalised name.",
        {
            "id": "Surrogate key.",
            "name": "Name as first seen.",
            "name_key": "Normalised name that identifies the person; unique.",
            "created_at": "When the contributor was first loaded (UTC).",
        },
    ),
    "entities": (
        "People, organisations and places, one row per thing across the corpus.",
        {
            "id": "Surrogate key.",
            "name": 'Canonical (fullest) name ("Vladimir Putin").',
            "type": "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or OTHER.",
            "key": "Normalised name; unique together with type.",
            "country_code": "ISO 3166-1 alpha-2 country code of a place.",
            "latitude": "Latitude of a place (WGS 84 degrees).",
            "longitude": "Longitude of a place (WGS 84 degrees).",
            "created_at": "When the entity was first loaded (UTC).",
        },
    ),
    "etl_runs": (
        "Every newsetl run: arguments, counts and outcome.",
        {
            "id": "Surrogate key.",
            "started_at": "When the run started (UTC).",
            "finished_at": "When the run ended (UTC); null while running.",
            "status": "running, succeeded or failed.",
            "arguments": "Settings of the run as JSON.",
            "pipeline_version": "newsetl pipeline version of the run.",
            "documents_seen": "Documents read.",
            "documents_new": "Documents loaded for the first time.",
            "documents_updated": "Documents whose content or pipeline version changed.",
            "documents_unchanged": "Documents skipped as unchanged.",
            "documents_rejected": "Documents rejected (see rejected_documents).",
            "error": "Error that failed the run.",
        },
    ),
    "sources": (
        "Publishers and wire services (Reuters, AP, The New York Times), one row per normalised name.",
        {
            "id": "Surrogate key.",
            "name": 'Name as first seen ("Reuters").',
            "name_key": "Normalised name or domain that identifies the source; unique.",
            "domain": 'Web domain of the publisher when known ("reuters.com").',
            "created_at": "When the source was first loaded (UTC).",
        },
    ),
    "articles": (
        "One row per document: metadata, body and where it came from.",
        {
            "id": "Surrogate key.",
            "document_key": "Document identity: its URL when known, else absolute path (plus record number in a JSON/JSONL file).",
            "document_key_sha256": "SHA-256 of document_key; unique (long keys cannot be indexed on MySQL).",
            "source_uri": "File (and record) the document was read from.",
            "url": "Canonical URL of the article when known.",
            "content_sha256": "SHA-256 of the raw input; an unchanged document is skipped on re-runs.",
            "pipeline_version": "newsetl pipeline version that produced this row.",
            "headline": "Headline.",
            "published_at": "Publication time in UTC (wall-clock time as if UTC when published_tz_known is false).",
            "published_at_text": "Publication date as written in the source.",
            "published_tz_known": "True when the source gave a time zone for published_at.",
            "updated_at": "Time of the latest update stated by the source (UTC).",
            "dateline": 'Dateline as written ("HONG KONG/MOSCOW (Reuters)").',
            "language": 'Language code of the body ("en").',
            "section": 'Section or desk stated by the source ("World").',
            "body": "Clean article text; mention and quote offsets index into it.",
            "word_count": "Words in the body.",
            "publisher_id": "Publisher (sources.id).",
            "wire_source_id": "Wire service the story came from (sources.id), e.g. Reuters in a partner's copy.",
            "first_loaded_at": "When the document was first loaded (UTC).",
            "last_loaded_at": "When the document was last loaded or reprocessed (UTC).",
        },
    ),
    "entity_aliases": (
        'Surface forms seen for an entity ("Putin", "Vladimir Putin").',
        {
            "id": "Surrogate key.",
            "entity_id": "Entity (entities.id).",
            "alias": "Form of the name as written in an article.",
        },
    ),
    "rejected_documents": (
        "Documents a run could not process, and why.",
        {
            "id": "Surrogate key.",
            "run_id": "Run (etl_runs.id).",
            "source_uri": "File (and record) that was rejected.",
            "stage": "Stage that rejected it: extract, transform or load.",
            "reason": "Why, in words.",
            "content_sha256": "SHA-256 of the raw input, when it could be read.",
            "created_at": "When it was rejected (UTC).",
        },
    ),
    "article_contributors": (
        "Credits: who did what on an article (author, reporting from where, editing).",
        {
            "article_id": "Article (articles.id).",
            "position": "Order of the credit in the article, from 0.",
            "contributor_id": "Contributor (contributors.id).",
            "role": "author, reporting, additional_reporting, editing, writing or other.",
            "location": 'Where the contributor reported from ("Hong Kong"), when stated.',
        },
    ),
    "dateline_places": (
        "Places named in an article's dateline, in order.",
        {
            "article_id": "Article (articles.id).",
            "position": "Order in the dateline, from 0.",
            "name": 'Place name as written ("HONG KONG").',
        },
    ),
    "mentions": (
        "Every occurrence of an entity in an article body.",
        {
            "id": "Surrogate key.",
            "article_id": "Article (articles.id).",
            "entity_id": "Entity mentioned (entities.id).",
            "start_offset": "Start character offset into articles.body.",
            "end_offset": "End character offset into articles.body (exclusive).",
            "text": "The mention as written.",
            "paragraph": "Paragraph number in the body, from 0.",
        },
    ),
    "quotes": (
        "Quoted passages with who said them, as written and as resolved.",
        {
            "id": "Surrogate key.",
            "article_id": "Article (articles.id).",
            "position": "Order of the quote in the article, from 0.",
            "text": "The quoted words (without quote marks).",
            "kind": "direct, partial or indirect.",
            "start_offset": "Start character offset into articles.body.",
            "end_offset": "End character offset into articles.body (exclusive).",
            "paragraph": "Paragraph number in the body, from 0.",
            "speaker_text": 'Speaker as written ("a senior Russian official").',
            "speaker_name": 'Speaker\'s name when named ("Alexander Neill").',
            "speaker_entity_id": "Speaker resolved to an entity (entities.id), when found.",
            "speaker_anonymous": "True when the speaker is unnamed (an official, a source).",
            "speaker_description": 'How the speaker is described ("a Singapore-based defence analyst").',
            "cue": 'Reporting verb that attributes the quote ("said").',
        },
    ),
}


def _literal(bind: sa.Connection, value: str) -> str:
    return str(
        sa.literal(value, sa.String()).compile(dialect=bind.dialect, compile_kwargs={"literal_binds": True})
    )


def _mysql_column(bind: sa.Connection, column: dict[str, Any], comment: str) -> str:
    """The reflected column restated with a new comment (MySQL has no COMMENT ON)."""
    preparer = bind.dialect.identifier_preparer
    parts = [preparer.quote(column["name"]), column["type"].compile(dialect=bind.dialect)]
    parts.append("NULL" if column["nullable"] else "NOT NULL")
    if column.get("default") is not None:
        parts.append(f"DEFAULT {column['default']}")
    if column.get("autoincrement") is True:
        parts.append("AUTO_INCREMENT")
    parts.append(f"COMMENT {_literal(bind, comment)}")
    return " ".join(parts)


def _set_comments(clear: bool) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect not in ("postgresql", "mysql", "mariadb"):
        return  # SQLite keeps no comments
    preparer = bind.dialect.identifier_preparer
    inspector = sa.inspect(bind)
    for table, (table_comment, columns) in TABLES.items():
        quoted = preparer.quote(table)
        if dialect == "postgresql":
            value = "NULL" if clear else _literal(bind, table_comment)
            op.execute(f"COMMENT ON TABLE {quoted} IS {value}")
            for name, comment in columns.items():
                value = "NULL" if clear else _literal(bind, comment)
                op.execute(f"COMMENT ON COLUMN {quoted}.{preparer.quote(name)} IS {value}")
            continue
        reflected = {column["name"]: column for column in inspector.get_columns(table)}
        clauses = [
            f"MODIFY COLUMN {_mysql_column(bind, reflected[name], '' if clear else comment)}"
            for name, comment in columns.items()
            if name in reflected
        ]
        clauses.append(f"COMMENT = {_literal(bind, '' if clear else table_comment)}")
        op.execute(f"ALTER TABLE {quoted} " + ", ".join(clauses))


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)
    _set_comments(clear=False)


def downgrade() -> None:
    _set_comments(clear=True)
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
