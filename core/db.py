"""Database and session factories: the one place a database connection is made.

"Engine" in this codebase means the search engine; SQLAlchemy's Engine (the
connection pool to PostgreSQL) is called the database here.

Sessions are opened and committed at the edges (request teardown, task body,
CLI command); functions below take `session` first and never commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings


def make_database(settings: Settings, url: str | None = None, **options: object) -> Engine:
    """A connection pool to `url` (default: the settings' database); pre-ping survives restarts."""
    return create_engine(url or settings.database_url, pool_pre_ping=True, future=True, **options)


def make_session_factory(database: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (we render after committing)."""
    return sessionmaker(bind=database, expire_on_commit=False, future=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
