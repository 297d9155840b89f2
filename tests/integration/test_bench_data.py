"""`souq bench data` loads generated ads with COPY into a scratch database of its own."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.data_load import BenchDatabaseRefused, check_target, ensure_bench_database, load_ads
from core.config import Settings

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
COUNT = 2100  # more than one chunk, so the hand-over between chunks is exercised


@pytest.fixture()
def scratch_url(stack: dict, base_settings: Settings) -> Iterator[str]:
    """A database created for this test only (its name is unique, so runs can overlap)."""
    name = f"souq_benchtest_{os.getpid()}_{secrets.token_hex(3)}"
    url = make_url(base_settings.database_url).set(database=name).render_as_string(hide_password=False)
    ensure_bench_database(base_settings, url)
    yield url
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _snapshot(url: str) -> dict:
    database = create_engine(url)
    try:
        with database.connect() as conn:
            return {
                "count": conn.scalar(text("SELECT count(*) FROM ads")),
                "statuses": dict(conn.execute(text("SELECT status, count(*) FROM ads GROUP BY status")).all()),
                "bad_expiry": conn.scalar(text(
                    "SELECT count(*) FROM ads WHERE (status = 'active') <> (expires_at > :now) "
                    "AND status <> 'withdrawn'"), {"now": NOW}),
                "outbox": conn.scalar(text("SELECT count(*) FROM outbox")),
                "digest": conn.scalar(text(
                    "SELECT md5(string_agg(slug || title || description || token_hash, '' ORDER BY id)) FROM ads")),
                "next_id": conn.scalar(text("SELECT nextval(pg_get_serial_sequence('ads', 'id'))")),
                "indexes": sorted(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'ads'"))),
                "fks": conn.scalar(text(
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = 'ads'::regclass AND contype = 'f'")),
                "orphans": conn.scalar(text(
                    "SELECT count(*) FROM ads a LEFT JOIN categories c ON c.id = a.category_id "
                    "LEFT JOIN areas r ON r.id = a.area_id WHERE c.id IS NULL OR r.id IS NULL")),
            }
    finally:
        database.dispose()


def test_load_counts_statuses_and_is_repeatable(scratch_url: str) -> None:
    report = load_ads(scratch_url, COUNT, seed=11, now=NOW, workers=2)
    first = _snapshot(scratch_url)
    assert first["count"] == COUNT == sum(report.statuses.values())
    assert first["statuses"] == dict(report.statuses)
    assert {"active", "expired", "withdrawn"} <= first["statuses"].keys()
    assert first["statuses"]["active"] > 0.7 * COUNT
    assert first["bad_expiry"] == 0 and first["orphans"] == 0
    assert first["outbox"] == 0, "benchmarks index by rebuild: no outbox rows"
    assert first["next_id"] == COUNT + 1
    assert "ix_ads_status_expires_at" in first["indexes"] and first["fks"] == 2
    # The COPY stream is timed on its own, inside the whole load.
    assert 0 < report.stream_seconds < report.seconds and report.finish_seconds > 0
    assert report.stream_ads_per_s > report.ads_per_s

    load_ads(scratch_url, COUNT, seed=11, now=NOW, workers=1)  # replaces, same bytes
    again = _snapshot(scratch_url)
    assert again["digest"] == first["digest"] and again["count"] == COUNT


def test_the_test_and_dev_databases_are_refused(base_settings: Settings) -> None:
    with pytest.raises(BenchDatabaseRefused):
        check_target(base_settings, base_settings.test_database_url)
    with pytest.raises(BenchDatabaseRefused):
        check_target(base_settings, base_settings.database_url)
