"""`souq demo load`: a few hundred realistic Arabic ads, written like any other ad.

Demo ads go through the same domain functions as the API (version, outbox
row), so the running worker indexes them the normal way.
"""

from __future__ import annotations

import datetime as dt

import click
from pydantic import ValidationError
from sqlalchemy import func, select

from core.ad_input import AdCreate
from core.ads import create_ad, withdraw_ad
from core.config import Settings
from core.db import make_database, make_session_factory, transaction
from core.models import Ad, AdStatus

DEMO_SEED = 20261129


def load_demo(settings: Settings, count: int, seed: int = DEMO_SEED) -> int:
    """Insert `count` generated ads (one transaction); returns how many were valid and written."""
    from core.seeding import load_area_seed, load_category_seed
    from souq_cli.demo_data.generator import generate_ads

    now = dt.datetime.now(dt.UTC)
    database = make_database(settings)
    written = 0
    try:
        with transaction(make_session_factory(database)) as session:
            for raw in generate_ads(count, seed, load_category_seed(), load_area_seed(), now):
                fields = {k: raw[k] for k in AdCreate.model_fields if k in raw}
                try:
                    data = AdCreate.model_validate(fields)
                except ValidationError:
                    continue
                created_at = raw.get("created_at", now)
                new = create_ad(session, data, created_at, settings.ad_lifetime_days)
                if raw.get("status") == AdStatus.WITHDRAWN:
                    withdraw_ad(session, new.ad, created_at)
                written += 1
    finally:
        database.dispose()
    return written


def load_demo_if_empty(settings: Settings, count: int) -> int:
    database = make_database(settings)
    try:
        with transaction(make_session_factory(database)) as session:
            existing = session.scalar(select(func.count(Ad.id)))
    finally:
        database.dispose()
    return 0 if existing else load_demo(settings, count)


@click.group("demo")
def demo_group() -> None:
    """Demo data."""


@demo_group.command("load")
@click.option("--ads", "count", default=400, show_default=True)
@click.option("--seed", default=DEMO_SEED, show_default=True)
@click.pass_obj
def load_command(settings: Settings, count: int, seed: int) -> None:
    """Add generated Arabic ads over Syrian cities and categories (the worker indexes them)."""
    click.echo(f"demo ads written: {load_demo(settings, count, seed)}")
