"""`souq bench ...`: generate bench data and run the benchmarks (thin click shell).

Each command does its work through one function of a bench module and prints
one summary line per figure; the benchmarks also append a record to
bench/results/<name>.jsonl (see `bench.records`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
from tqdm import tqdm

from core.config import Settings

DEFAULT_QUERY_LOG = Path(__file__).resolve().parent / "results" / "queries.jsonl"


@click.group("bench")
def bench_group() -> None:
    """Bench data and benchmarks (figures are printed and appended to bench/results/)."""


def _parse_now(value: str | None) -> dt.datetime:
    from bench.data_load import default_now

    if not value:
        return default_now()
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _bench_url(settings: Settings, database: str | None) -> str:
    from bench.data_load import bench_database_url, check_target

    url = database or bench_database_url(settings)
    try:
        check_target(settings, url)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return url


@bench_group.command("data")
@click.option("--ads", "count", default=200_000, show_default=True, help="Number of ads to generate.")
@click.option("--seed", default=1, show_default=True)
@click.option("--database", default=None, help="SQLAlchemy URL of the bench database [default: souq_bench "
              "on the configured server]. Its ads are REPLACED; the test database is refused.")
@click.option("--now", default=None, help="ISO time the data is generated around [default: today 00:00 UTC].")
@click.option("--workers", default=os.cpu_count() or 1, show_default=True,
              help="Generator processes (the parent streams COPY).")
@click.pass_obj
def data_command(settings: Settings, count: int, seed: int, database: str | None, now: str | None,
                 workers: int) -> None:
    """Stream COUNT generated ads into the bench database with COPY (no outbox rows)."""
    from bench.data_load import ensure_bench_database, load_ads

    url = _bench_url(settings, database)
    ensure_bench_database(settings, url)
    with tqdm(total=count, unit="ad", unit_scale=True, desc="ads", disable=None) as bar:
        report = load_ads(url, count, seed, _parse_now(now), lifetime_days=settings.ad_lifetime_days,
                          workers=workers, progress=bar.update)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items()))
    click.echo(f"loaded {report.ads} ads into {report.database} in {report.seconds:.1f}s "
               f"({statuses})")
    click.echo(f"data load: {report.ads_per_s:,.0f} ads/s with {report.workers} generator processes")


@bench_group.command("queries")
@click.option("--count", default=5000, show_default=True, help="Number of searches in the log.")
@click.option("--seed", default=1, show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_QUERY_LOG,
              show_default=True, help="JSONL file the search benchmark replays.")
def queries_command(count: int, seed: int, out: Path) -> None:
    """Write a realistic query log (popular and long-tail words, filters, geo, browse, deep pages)."""
    from collections import Counter

    from bench.query_log import generate_queries, read_query_log, write_query_log
    from core.seeding import load_area_seed, load_category_seed

    written = write_query_log(out, generate_queries(count, seed, load_category_seed(), load_area_seed()))
    kinds = Counter(entry["_kind"] for entry in read_query_log(out))
    click.echo(f"wrote {written} queries to {out} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
