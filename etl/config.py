"""Settings for a run, and where the database URL comes from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import EtlError
from etl.extract.files import DEFAULT_MAX_BYTES

DEFAULT_DATABASE_URL = "sqlite:///newsetl.db"
DATABASE_URL_ENV = "NEWSETL_DATABASE_URL"
SPACY_MODEL_ENV = "NEWSETL_SPACY_MODEL"
EXECUTORS = ("local", "dask", "dask-local")
"""Where batches are transformed: a local process pool, an existing Dask cluster, a LocalCluster."""


def resolve_database_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Return the database URL: ``--db`` > ``NEWSETL_DATABASE_URL`` > ``sqlite:///newsetl.db``."""
    environ = os.environ if environ is None else environ
    url = explicit or environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    check_database_url(url)
    return url


def check_database_url(url: str) -> None:
    """Refuse a URL SQLAlchemy cannot parse, without printing it (it may hold a password).

    Raises:
        EtlError: the URL is malformed (say, a port that is not a number).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ValueError as exc:  # int() of a port: "postgresql://u@host:abc/db"
        raise EtlError(f"unusable database URL: the port must be a number ({exc})") from exc
    except ArgumentError as exc:  # its message repeats the URL, password included
        raise EtlError(
            "unusable database URL: expected dialect+driver://user:password@host:port/database"
        ) from exc


def default_seed_path() -> Path:
    """The ``seeds/`` folder: the current directory's, else the source checkout's."""
    local = Path("seeds")
    if local.is_dir():
        return local
    return Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a pipeline run needs to know.

    Attributes:
        paths: files and folders to read.
        database_url: SQLAlchemy URL of the target database.
        batch_size: documents per load transaction.
        workers: transform processes (spaCy runs in each); 1 runs in-process. With
            ``executor="dask-local"``: the LocalCluster's worker processes.
        reprocess: redo documents even when their content is unchanged.
        strict: a rejected document makes the run fail.
        max_bytes: the largest document read.
        nlp: run entity and quote extraction (spaCy).
        spacy_model: the spaCy package name, or None for the default.
        executor: one of :data:`EXECUTORS`.
        scheduler: the Dask scheduler address of ``executor="dask"`` (``tcp://HOST:8786``).
        load_on_workers: pool or Dask workers write their own batches (PostgreSQL, MariaDB/MySQL
            only); with the local executor and one worker, that one process loads as usual.
    """

    paths: tuple[Path, ...] = field(default_factory=lambda: (default_seed_path(),))
    database_url: str = DEFAULT_DATABASE_URL
    batch_size: int = 100
    workers: int = 1
    reprocess: bool = False
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    nlp: bool = True
    spacy_model: str | None = field(default_factory=lambda: os.environ.get(SPACY_MODEL_ENV) or None)
    executor: str = "local"
    scheduler: str | None = None
    load_on_workers: bool = False
