"""Alembic environment: the URL comes from the caller (core.migrate), never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from core.models import Base

config = context.config


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no sqlalchemy.url: run migrations through core.migrate, which sets it")
    return url


url = _database_url()


def run_migrations_online() -> None:
    database = create_engine(url)
    with database.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    database.dispose()


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
