"""The ``newsetl`` command line: parse options, build Settings, call the library, report."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.config import EXECUTORS, Settings, default_seed_path, resolve_database_url
from etl.db.engine import display_url
from etl.errors import EtlError
from etl.progress import Progress
from etl.records import Rejection

if TYPE_CHECKING:
    pass

# A path that does not exist is a usage error (exit 2), found before anything is written.
existing_paths = click.Path(exists=True, path_type=Path)

db_option = click.option(
    "--db",
    "database",
    envvar="NEWSETL_DATABASE_URL",
    help="SQLAlchemy database URL. [env: NEWSETL_DATABASE_URL; default: sqlite:///newsetl.db]",
)


class EtlGroup(click.Group):
    """Turns the errors a user can fix (bad URL, server down) into one-line messages.

    The one place that does it, for every command (``db`` is an ``EtlGroup``
    too): commands let ``EtlError`` propagate. Anything else is a bug and
    keeps its traceback.
    """

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

        try:
            return super().invoke(ctx)
        except EtlError as exc:
            raise click.ClickException(str(exc)) from exc
        except (ArgumentError, NoSuchModuleError) as exc:
            raise click.ClickException(f"unusable database URL: {exc}") from exc
        except DBAPIError as exc:
            if not exc.connection_invalidated and not _is_connection_error(exc):
                raise
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            raise click.ClickException(f"cannot use the database: {reason}") from exc


def _is_connection_error(exc: Exception) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


@click.group(cls=EtlGroup)
@click.version_option(package_name="newsetl")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only log errors; no progress on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """newsetl: load news articles into a relational database.

    \b
    Examples:
        newsetl run seeds/                      # into ./newsetl.db
        newsetl run --db postgresql+psycopg://user@host/news articles/
        newsetl extract --json article.txt      # no database
    """
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


@cli.command()
@click.argument("paths", nargs=-1, type=existing_paths)
@db_option
@click.option("--strict", is_flag=True, help="Exit with status 1 when any document is rejected.")
@click.option("--reprocess", is_flag=True, help="Redo every document, even unchanged ones.")
@click.option(
    "--batch-size", default=100, show_default=True, type=click.IntRange(1), help="Documents per transaction."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Transform processes (one spaCy each); with --executor dask-local, the LocalCluster's workers.",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="local",
    show_default=True,
    help="Where batches are transformed: a local process pool, a Dask cluster, a Dask LocalCluster.",
)
@click.option("--scheduler", metavar="tcp://HOST:8786", help="The Dask scheduler of --executor dask.")
@click.option(
    "--load-on-workers",
    is_flag=True,
    help="Workers (process pool or Dask) write their own batches (PostgreSQL or MariaDB only; "
    "with --workers 1 the one process loads as usual; see docs/scale-out.md).",
)
@click.option("--nlp/--no-nlp", default=True, show_default=True, help="Find entities and quotes with spaCy.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.pass_context
def run(
    ctx: click.Context,
    paths: tuple[Path, ...],
    database: str | None,
    strict: bool,
    reprocess: bool,
    batch_size: int,
    workers: int,
    executor: str,
    scheduler: str | None,
    load_on_workers: bool,
    nlp: bool,
    as_json: bool,
) -> None:
    """Load articles from PATHS (files or folders; default: seeds/) into the database.

    An empty database is migrated first; unchanged documents are skipped.

    \b
    Examples:
        newsetl run
        newsetl run --db sqlite:///news.db ~/articles/ feed.jsonl
        newsetl run --strict --json articles/
        newsetl run --executor dask-local --workers 4 articles/
        newsetl run --workers 2 --load-on-workers --db postgresql+psycopg://etl@db/news articles/
        newsetl run --executor dask --scheduler tcp://10.0.0.5:8786 --load-on-workers \\
            --db postgresql+psycopg://etl@db/news /shared/articles/
    """
    from etl.pipeline import RunInterrupted, count_documents, run_pipeline

    if not paths and not default_seed_path().is_dir():
        raise click.UsageError("give the files or folders to load (there is no seeds/ folder here)")
    settings = Settings(
        paths=paths or (default_seed_path(),),
        database_url=resolve_database_url(database),
        batch_size=batch_size,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        load_on_workers=load_on_workers,
        reprocess=reprocess,
        strict=strict,
        nlp=nlp,
    )
    total = count_documents(settings.paths)
    progress = Progress(not ctx.obj["quiet"] and not as_json, total)
    try:
        report = run_pipeline(settings, progress)
    except RunInterrupted as exc:
        progress.close()
        done = exc.report
        of = f" of {total:,}" if total is not None else ""
        click.echo(
            f"Interrupted: {done.seen:,}{of} documents committed (run {done.run_id} is recorded as failed); "
            "run the same command again to finish: committed documents are skipped.",
            err=True,
        )
        ctx.exit(130)
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        if report.migrated:
            click.echo(f"Created the schema in {report.database}")
        # The rate counts processed documents, as the progress bar's does: skipping
        # unchanged ones is not throughput.
        processed = report.seen - report.unchanged
        rate = (
            f"{processed / report.seconds:.1f} docs/s"
            if processed and report.seconds
            else "nothing to process"
        )
        click.echo(
            f"Run {report.run_id} into {report.database}: {report.seen} seen, {report.new} new, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} rejected "
            f"in {report.seconds:.2f}s ({rate})"
        )
        for rejection in report.rejections[:20]:
            click.echo(f"  rejected {rejection['source_uri']}: {rejection['reason']}")
        if len(report.rejections) > 20:
            click.echo(f"  ... and {len(report.rejections) - 20} more (see the rejected_documents table)")
        if report.not_english:
            click.echo(f"  {report.not_english} article(s) not in English: no entities or quotes")
        if report.clipped_names:
            click.echo(f"  {report.clipped_names} name(s) over the column length were stored clipped")
    if strict and report.rejected:
        raise click.ClickException(f"{report.rejected} document(s) rejected and --strict is set")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=existing_paths)
@click.option("--json", "as_json", is_flag=True, required=True, help="Print one JSON object per document.")
@click.option("--nlp/--no-nlp", default=True, show_default=True, help="Find entities and quotes with spaCy.")
def extract(paths: tuple[Path, ...], as_json: bool, nlp: bool) -> None:
    """Extract and transform documents; print the data contract. Touches no database.

    Rejected documents are reported on stderr.

    \b
    Example:
        newsetl extract --json seeds/
    """

    from etl.pipeline import extract_contract

    settings = Settings(paths=paths, nlp=nlp)
    for item in extract_contract(settings.paths, settings.max_bytes, settings.nlp, settings.spacy_model):
        if isinstance(item, Rejection):
            click.echo(f"rejected {item.source_uri}: {item.reason}", err=True)
        else:
            click.echo(json.dumps(item, ensure_ascii=False))


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(database: str | None, as_json: bool) -> None:
    """Print what the database holds: articles by source and language, dates, top entities, quotes,
    rejections by reason, rows per table and the latest runs (with why a run failed).

    Never creates a database: on a missing one it says so.

    \b
    Examples:
        newsetl stats --db sqlite:///newsetl.db
        newsetl stats --json | jq .articles_by_source
    """
    from etl.db.stats import database_stats

    url = resolve_database_url(database)
    figures = database_stats(url)
    if as_json:
        click.echo(json.dumps(figures, indent=2, default=str, ensure_ascii=False))
        return
    click.echo(f"Database {figures['database']} at revision {figures['revision']}")
    tables = figures["tables"]
    click.echo(
        f"  {tables.get('articles', 0):,} articles, {tables.get('sources', 0):,} sources, "
        f"{tables.get('contributors', 0):,} contributors, {tables.get('entities', 0):,} entities, "
        f"{tables.get('mentions', 0):,} mentions, {tables.get('quotes', 0):,} quotes, "
        f"{tables.get('rejected_documents', 0):,} rejected documents"
    )
    published = figures["published"]
    if published["first"]:
        click.echo(
            f"  published {published['first'][:10]} to {published['last'][:10]}"
            f" ({published['undated']:,} undated)"
        )
    elif published["undated"]:
        click.echo(f"  no publication date known ({published['undated']:,} undated)")
    _print_counts("Articles by source", figures["articles_by_source"])
    _print_counts("Articles by language", figures["articles_by_language"])
    if figures.get("articles_not_english"):
        click.echo(f"  {figures['articles_not_english']:,} not in English: no entities or quotes")
    if figures["top_entities"]:
        click.echo("Top entities (mentions)")
        for entity_type, top in figures["top_entities"].items():
            names = ", ".join(f"{e['name']} ({e['mentions']:,})" for e in top)
            click.echo(f"  {entity_type:<6} {names}")
    quotes = figures["quotes"]
    click.echo(
        f"Quotes: {quotes['total']:,} ({quotes['with_speaker']:,} with a speaker, "
        f"{quotes['without_speaker']:,} without; {quotes['anonymous_speaker']:,} anonymous)"
    )
    _print_counts("Rejections by reason", figures["rejections_by_reason"])
    click.echo("Latest runs")
    for run_row in figures["runs"]:
        started = str(run_row["started_at"])[:19]
        click.echo(
            f"  run {run_row['id']} {run_row['status']} {started}: {run_row['documents_seen']:,} seen, "
            f"{run_row['documents_new']:,} new, {run_row['documents_updated']:,} updated, "
            f"{run_row['documents_unchanged']:,} unchanged, {run_row['documents_rejected']:,} rejected"
        )
        if run_row["error"]:
            click.echo(f"      {run_row['error']}")


def _print_counts(title: str, counts: dict[str, int]) -> None:
    if not counts:
        return
    click.echo(title)
    for name, count in counts.items():
        click.echo(f"  {count:>8,}  {name}")


@cli.group(cls=EtlGroup)
def db() -> None:
    """Manage the database schema (wraps Alembic)."""


@db.command()
@db_option
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade(database: str | None, revision: str) -> None:
    """Migrate the database to the latest schema (or --revision).

    \b
    Example:
        newsetl db upgrade --db postgresql+psycopg://postgres@localhost/news
    """
    from etl.db import migrate

    url = resolve_database_url(database)
    reached = migrate.upgrade(url, revision)
    click.echo(f"{display_url(url)} is at revision {reached or '(none)'}")


@db.command()
@db_option
@click.option("--revision", required=True, help="Target revision ('base' removes every table).")
def downgrade(database: str | None, revision: str) -> None:
    """Migrate the database down to --revision (an id, -1 for one step, or base).

    \b
    Examples:
        newsetl db downgrade --revision -1
        newsetl db downgrade --revision base
    """
    from etl.db import migrate

    url = resolve_database_url(database)
    reached = migrate.downgrade(url, revision)
    click.echo(f"{display_url(url)} is at revision {reached or '(none): no newsetl table left'}")


@db.command()
@db_option
def current(database: str | None) -> None:
    """Print the database's schema revision and the code's head.

    \b
    Example:
        newsetl db current
    """
    from etl.db import migrate
    from etl.db.engine import make_engine

    url = resolve_database_url(database)
    engine = make_engine(url)
    try:
        revision = migrate.current_revision(engine)
    finally:
        engine.dispose()
    head = migrate.head_revision()
    state = "up to date" if revision == head else "behind: run `newsetl db upgrade`"
    click.echo(f"{display_url(url)}: revision {revision or '(none)'}, head {head} ({state})")


@db.command()
@db_option
def check(database: str | None) -> None:
    """Fail if the models differ from the migrated schema (``alembic check``).

    \b
    Example:
        newsetl db check
    """
    from alembic.util.exc import CommandError

    from etl.db import migrate

    url = resolve_database_url(database)
    try:
        migrate.check(url)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("The models match the migrations.")


@cli.command()
@click.argument("query")
@db_option
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1), help="Most articles to print."
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
def search(query: str, database: str | None, limit: int, as_json: bool) -> None:
    """Find articles whose headline or body contains every word of QUERY.

    Uses each database's own full-text engine (SQLite FTS5, PostgreSQL
    tsvector, MariaDB/MySQL FULLTEXT); matches are marked [like this].

    \b
    Examples:
        newsetl search "harbour expansion"
        newsetl search --db postgresql+psycopg://user@host/news --limit 5 --json Gazprom
    """
    from etl.db.search import search_articles

    hits = search_articles(resolve_database_url(database), query, limit)
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo(f"No article matches {query!r}.")
    for hit in hits:
        day = hit.published_at.date().isoformat() if hit.published_at else "----------"
        source = f" ({hit.source_name})" if hit.source_name else ""
        click.echo(f"{hit.article_id:>8}  {day}  {hit.headline or '(no headline)'}{source}")
        if hit.snippet:
            click.echo(f"          {hit.snippet}")


@db.command("grant-readonly")
@click.argument("name")
@db_option
@click.option("--password", help="Password of the login. [default: a random one, printed once]")
@click.option("--host", default="%", show_default=True, help="MariaDB/MySQL: host part of the account.")
def grant_readonly(name: str, database: str | None, password: str | None, host: str) -> None:
    """Create a login NAME for BI tools that can only read the tables and views.

    PostgreSQL and MariaDB/MySQL; run it as a user allowed to create roles.
    Re-running it updates the password and the grants. SQLite has no roles:
    give the BI tool a read-only file URL instead (printed when you try).

    \b
    Examples:
        newsetl db grant-readonly superset --password 's3cret' --db postgresql+psycopg://postgres@localhost/news
        newsetl db grant-readonly metabase --db mysql+pymysql://root@localhost/news
    """
    from etl.db.roles import grant_readonly as grant

    granted = grant(resolve_database_url(database), name, password, host)
    if granted.readonly_url:
        click.echo("SQLite has no logins: no login was created. Give your BI tool this read-only URL:")
        click.echo(granted.readonly_url)
        return
    click.echo(f"{granted.name} can read every table and view of {granted.database}, and nothing else.")
    if granted.generated_password:
        click.echo(f"Password (shown once): {granted.password}")
    for warning in granted.warnings:
        click.echo(f"Warning: {warning}", err=True)


@db.command("revoke-readonly")
@click.argument("name")
@db_option
@click.option("--host", default="%", show_default=True, help="MariaDB/MySQL: host part of the account.")
def revoke_readonly(name: str, database: str | None, host: str) -> None:
    """Drop the read-only login NAME made by `newsetl db grant-readonly`.

    \b
    Example:
        newsetl db revoke-readonly superset --db postgresql+psycopg://postgres@localhost/news
    """
    from etl.db.roles import revoke_readonly as revoke

    revoke(resolve_database_url(database), name, host)
    click.echo(f"{name} is gone.")


@db.command()
def diagram() -> None:
    """Print the schema as a Mermaid entity-relationship diagram (from the models).

    \b
    Example:
        newsetl db diagram > schema.mmd
    """
    from etl.db.diagram import mermaid_diagram

    click.echo(mermaid_diagram(), nl=False)
