"""`souq bench data`: stream generated ads into a bench database with COPY.

Flow: make sure the bench database exists (created, migrated and seeded when
missing) -> read the category/area ids -> worker processes build COPY text
chunk by chunk (`bench.ad_rows`) -> the parent streams the chunks, in order,
into one `COPY ads FROM STDIN` and commits once. The load replaces the ads of
the bench database (ids 1..N, so two loads with one seed are identical) and
writes no outbox rows: benchmarks index the data with a rebuild.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import ad_rows
from core.config import Settings
from core.seeding import load_area_seed, load_category_seed

BENCH_DATABASE = "souq_bench"


class BenchDatabaseRefused(ValueError):
    """The target is a database the bench must never overwrite."""


@dataclass
class LoadReport:
    database: str
    ads: int
    seed: int
    seconds: float = 0.0
    stream_seconds: float = 0.0  # the COPY stream alone: first row sent to COPY complete
    workers: int = 1
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def ads_per_s(self) -> float:
        return round(self.ads / self.seconds, 1) if self.seconds else 0.0

    @property
    def stream_ads_per_s(self) -> float:
        return round(self.ads / self.stream_seconds, 1) if self.stream_seconds else 0.0

    @property
    def finish_seconds(self) -> float:
        """Keys, indexes, commit and ANALYZE after the stream, plus the set-up before it."""
        return round(self.seconds - self.stream_seconds, 3)


def bench_database_url(settings: Settings, name: str = BENCH_DATABASE) -> str:
    """The settings' database server with the bench database name."""
    return make_url(settings.database_url).set(database=name).render_as_string(hide_password=False)


def check_target(settings: Settings, url: str) -> None:
    """Refuse the test and development databases: a load truncates the ads table."""
    target = make_url(url)
    for guarded in (settings.test_database_url, settings.database_url):
        other = make_url(guarded)
        if (target.host, target.port, target.database) == (other.host, other.port, other.database):
            raise BenchDatabaseRefused(f"refusing to load bench data into {target.database!r}: "
                                       "it is not a bench database (a load replaces all ads)")


def ensure_bench_database(settings: Settings, url: str) -> None:
    """Create the database if missing, then migrate and seed it (both idempotent)."""
    from souq_cli.database import migrate_and_seed

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": target.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()
    migrate_and_seed(settings, url)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as a libpq connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def read_plan(conn: psycopg.Connection, seed: int, now: dt.datetime, lifetime_days: int
              ) -> ad_rows.LoadPlan:
    categories: dict[str, int] = dict(conn.execute("SELECT slug, id FROM categories").fetchall())
    areas: dict[str, int] = dict(conn.execute("SELECT slug, id FROM areas").fetchall())
    return ad_rows.LoadPlan(seed=seed, now=now, lifetime_days=lifetime_days, category_ids=categories,
                            area_ids=areas, categories=load_category_seed(), areas=load_area_seed())


def set_aside_secondary_structures(conn: psycopg.Connection) -> list[str]:
    """Drop the indexes, key constraints and foreign keys of `ads`; return the statements that
    restore them.

    A bulk load is several times faster when PostgreSQL builds each index once at the end
    (one sort) instead of inserting every row into every B-tree, and checks each foreign key
    with one join instead of one lookup per row (measured: 20,000 rows in 0.6 s instead of
    2.2 s with the plain indexes; dropping the primary key and the slug's unique index too
    saves about a quarter of the COPY's time again). The foreign keys of other tables that
    point at `ads` (reports, operator_actions, outbox: truncated with it) go and come back
    with its primary key. Everything happens in the load's transaction, so no other session
    ever sees the table without them; the rebuilt keys are checked in full when they are
    added back. The definitions are read from the catalog, so a new migration's indexes are
    kept too.
    """
    indexes = conn.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'ads'::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
    ).fetchall()
    keys = conn.execute(  # primary key first: the unique constraints and foreign keys need it back first
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'ads'::regclass AND contype IN ('p', 'u') ORDER BY contype = 'p' DESC, conname"
    ).fetchall()
    foreign_keys = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'ads'::regclass AND contype = 'f'"
    ).fetchall()
    referencing = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE confrelid = 'ads'::regclass AND contype = 'f'"
    ).fetchall()
    # The benchmarks' own indexes ("bench_", e.g. the PostgreSQL full-text baseline's GIN
    # index) are not restored: they would slow every load; their benchmark rebuilds them.
    restore = [definition for name, definition in indexes if not name.startswith("bench_")]
    for table, name, _ in referencing:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for name, _definition in foreign_keys + keys[::-1]:
        conn.execute(f'ALTER TABLE ads DROP CONSTRAINT "{name}"')
    restore += [f'ALTER TABLE ads ADD CONSTRAINT "{name}" {definition}' for name, definition in keys + foreign_keys]
    restore += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in referencing]
    return restore


def _chunks(plan: ad_rows.LoadPlan, total: int, workers: int
            ) -> Iterator[tuple[bytes, Counter[str]]]:
    build = partial(_build_chunk, plan, total)
    indices = range(ad_rows.chunk_count(total))
    if workers <= 1:
        yield from map(build, indices)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(build, indices)


def _build_chunk(plan: ad_rows.LoadPlan, total: int, chunk: int) -> tuple[bytes, Counter[str]]:
    return ad_rows.build_chunk(plan, chunk, total)


def load_ads(url: str, count: int, seed: int, now: dt.datetime, *, lifetime_days: int = 30,
             workers: int | None = None, progress: Callable[[int], object] | None = None) -> LoadReport:
    """Replace the ads of the database at `url` with `count` generated ads, in one transaction.

    `progress(ads)` is called with each chunk's count; what it returns is ignored (a bar's `update`).
    """
    workers = workers or os.cpu_count() or 1
    report = LoadReport(database=make_url(url).database or "", ads=count, seed=seed, workers=workers)
    started = time.monotonic()
    with psycopg.connect(libpq_url(url)) as conn:
        plan = read_plan(conn, seed, now, lifetime_days)
        conn.execute("SET synchronous_commit = off")
        conn.execute("TRUNCATE reports, operator_actions, outbox, ads RESTART IDENTITY")
        restore = set_aside_secondary_structures(conn)
        columns = ", ".join(ad_rows.COLUMNS)
        # FREEZE: the table was truncated in this transaction, so rows can be written frozen.
        streaming = time.monotonic()
        with conn.cursor() as cur, cur.copy(f"COPY ads ({columns}) FROM STDIN (FREEZE)") as copy:
            for data, statuses in _chunks(plan, count, workers):
                copy.write(data)
                report.statuses.update(statuses)
                if progress is not None:
                    progress(sum(statuses.values()))
        report.stream_seconds = round(time.monotonic() - streaming, 3)
        for statement in restore:
            conn.execute(statement)
        conn.execute("SELECT setval(pg_get_serial_sequence('ads', 'id'), GREATEST(%s, 1), %s)",
                     (count, count > 0))
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("ANALYZE ads")  # benchmarks plan queries against the new data
    report.seconds = round(time.monotonic() - started, 3)
    return report


def default_now() -> dt.datetime:
    """Today's midnight UTC: loads on one day are identical; expiries stay in the future."""
    today = dt.datetime.now(dt.UTC).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
