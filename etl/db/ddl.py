"""DDL helpers for migrations. Migrations import this module: keep it stable."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, String, literal, text


def _literal(bind: Connection, value: str) -> str:
    return str(literal(value, String()).compile(dialect=bind.dialect, compile_kwargs={"literal_binds": True}))


def mysql_modify_columns(bind: Connection, table: str, columns: Mapping[str, str]) -> None:
    """Change the SQL type of MariaDB/MySQL columns, keeping their nullability and comment.

    MySQL can only change a column by restating all of it (``MODIFY``), and a
    restatement that forgets the comment or ``NOT NULL`` silently drops them;
    both are read from ``information_schema`` first. One ``ALTER TABLE`` per
    table, so the table is rebuilt once.

    Args:
        bind: the migration's connection.
        table: the table.
        columns: column name -> new SQL type (``"LONGTEXT"``, ``"VARCHAR(255) COLLATE utf8mb4_bin"``).
    """
    rows = bind.execute(
        text(
            "SELECT COLUMN_NAME, IS_NULLABLE, COLUMN_COMMENT FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table"
        ),
        {"table": table},
    ).all()
    current = {str(name): (str(nullable), str(comment or "")) for name, nullable, comment in rows}
    quote = bind.dialect.identifier_preparer.quote
    clauses = []
    for name, sql_type in columns.items():
        nullable, comment = current[name]
        null = "NULL" if nullable == "YES" else "NOT NULL"
        clauses.append(f"MODIFY COLUMN {quote(name)} {sql_type} {null} COMMENT {_literal(bind, comment)}")
    # exec_driver_sql: comments may hold colons, which text() would read as parameters.
    statement = f"ALTER TABLE {quote(table)} " + ", ".join(clauses)
    bind.exec_driver_sql(statement.replace("%", "%%"), ())


def mysql_table_collation(bind: Connection, table: str) -> str:
    """The default collation of a MariaDB/MySQL table (what its text columns had before a change)."""
    return str(
        bind.execute(
            text(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table"
            ),
            {"table": table},
        ).scalar_one()
    )
