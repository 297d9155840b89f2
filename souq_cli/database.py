"""`souq db migrate` and `souq seed`: schema and reference data."""

from __future__ import annotations

import click

from core.config import Settings
from core.db import make_database, make_session_factory, transaction
from core.migrate import upgrade


def migrate_and_seed(settings: Settings, url: str | None = None) -> dict[str, dict[str, int]]:
    """Bring a database to the latest schema and load the category/area trees (idempotent)."""
    from core.seeding import seed_taxonomy

    url = url or settings.database_url
    upgrade(url)
    database = make_database(settings, url)
    try:
        with transaction(make_session_factory(database)) as session:
            return seed_taxonomy(session)
    finally:
        database.dispose()


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("migrate")
@click.option("--test", "test_db", is_flag=True, help="Migrate the test database instead.")
@click.pass_obj
def migrate_command(settings: Settings, test_db: bool) -> None:
    """Apply all migrations and seed the category/area trees."""
    url = settings.test_database_url if test_db else settings.database_url
    counts = migrate_and_seed(settings, url)
    click.echo(f"migrated and seeded: {counts}")


@click.command("seed")
@click.pass_obj
def seed_command(settings: Settings) -> None:
    """Load or update the category and area trees (idempotent)."""
    counts = migrate_and_seed(settings)
    click.echo(f"seeded: {counts}")
