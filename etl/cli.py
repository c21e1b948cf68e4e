"""The ``newsetl`` command line: parse options, call the library, report."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from etl.extract.files import extract_documents
from etl.config import Settings
from etl.records import ArticleRecord, Rejection
from etl.transform.article import parse_document
from etl.transform.contract import article_to_contract
from etl.errors import ParseError


@click.group()
@click.version_option(package_name="newsetl")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only log errors; no progress bar.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """newsetl: load news articles into a relational database."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, required=True, help="Print one JSON object per document.")
@click.option("--nlp/--no-nlp", default=True, show_default=True, help="Find entities and quotes with spaCy.")
def extract(paths: tuple[Path, ...], as_json: bool, nlp: bool) -> None:
    """Extract and transform documents; print the data contract. Touches no database.

    \b
    Example:
        newsetl extract --json seeds/
    """
    def parsed() -> Iterator[ArticleRecord]:
        for item in extract_documents(paths):
            if isinstance(item, Rejection):
                click.echo(f"rejected {item.source_uri}: {item.reason}", err=True)
                continue
            try:
                yield parse_document(item)
            except ParseError as exc:
                click.echo(f"rejected {item.source_uri}: {exc.reason}", err=True)

    articles: Iterable[ArticleRecord] = parsed()
    if nlp:
        from etl.transform.nlp import annotate_articles, load_pipeline

        articles = annotate_articles(articles, load_pipeline(Settings().spacy_model))
    for article in articles:
        click.echo(json.dumps(article_to_contract(article), ensure_ascii=False))
