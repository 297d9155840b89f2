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
# The shared dev set lives next to the repository, as the Arabic eval tests expect it.
DEFAULT_DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "arabic_dev.tsv"


@click.group("bench")
def bench_group() -> None:
    """Bench data and benchmarks (figures are printed and appended to bench/results/)."""


def _parse_now(value: str | None) -> dt.datetime:
    from bench.data_load import default_now

    if not value:
        return default_now()
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


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
    from bench.bench_env import bench_settings
    from bench.data_load import ensure_bench_database, load_ads

    url = _bench_url(settings, database)
    ensure_bench_database(settings, url)
    cpu_before = _cpu_seconds()
    with tqdm(total=count, unit="ad", unit_scale=True, desc="ads", disable=None) as bar:
        report = load_ads(url, count, seed, _parse_now(now), lifetime_days=settings.ad_lifetime_days,
                          workers=workers, progress=bar.update)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items()))
    click.echo(f"loaded {report.ads} ads into {report.database} in {report.seconds:.1f}s "
               f"({statuses})")
    click.echo("the bench index no longer matches: run `souq bench rebuild` before search or ingest")
    cpu = _cpu_seconds() - cpu_before
    cpu_rate = count / cpu if cpu else 0.0
    click.echo(f"data load COPY stream: {report.stream_ads_per_s:,.0f} ads/s in {report.stream_seconds:.1f}s "
               "(target >= 20,000)")
    click.echo(f"data load whole: {report.ads_per_s:,.0f} ads/s in {report.seconds:.1f}s (set-up, keys, indexes, "
               f"commit and ANALYZE {report.finish_seconds:.1f}s) with {report.workers} generator processes")
    click.echo(f"data load CPU: {cpu_rate:,.0f} ads per CPU-second of our processes (PostgreSQL not included)")
    figures = {"ads_per_s": report.ads_per_s, "seconds": report.seconds, "workers": report.workers,
               "stream_ads_per_s": report.stream_ads_per_s, "stream_seconds": report.stream_seconds,
               "seed": seed, "cpu_ads_per_s_per_core": round(cpu_rate, 1), "statuses": dict(report.statuses)}
    _record("data", figures, bench_settings(settings, url),
            f"souq bench data --ads {count} --seed {seed} --workers {workers}")


def _cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children (the generator pool)."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


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


def _record(name: str, figures: dict, settings: Settings, command: str) -> None:
    """Append the run's record (with data size, versions and memory) and say where."""
    import psycopg

    from bench.data_load import libpq_url
    from bench.records import append_record, opensearch_heap, service_versions, versions
    from core.opensearch import make_client

    client = make_client(settings)
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        ads: dict[str, int] = dict(conn.execute("SELECT status, count(*) FROM ads GROUP BY status").fetchall())
        server = service_versions(conn, client)
    figures.setdefault("memory", {}).update(opensearch=opensearch_heap(client))
    path = append_record(name, {"command": command, "data": {"ads": sum(ads.values()), "by_status": ads},
                                "versions": versions(server), "figures": figures})
    click.echo(f"record appended to bench/results/{path.name}")


@bench_group.command("rebuild")
@click.option("--database", default=None, help="SQLAlchemy URL of the bench database [default: souq_bench].")
@click.pass_obj
def rebuild_command(settings: Settings, database: str | None) -> None:
    """Rebuild the bench index (docs/s) and raw-bulk-load the same documents (docs/s), same run."""
    from bench.bench_env import bench_settings
    from bench.rebuild_bench import run_rebuild_bench
    from bench.records import self_peak_rss_mib

    settings = bench_settings(settings, _bench_url(settings, database))
    bars: dict[str, tqdm] = {}

    def progress(done: int, total: int) -> None:
        rebuild = bars.get("rebuild")  # once it is full, the raw bulk load's calls follow
        full = rebuild is not None and rebuild.total is not None and rebuild.n >= rebuild.total
        key = "raw" if full else "rebuild"
        bar = bars.get(key) or bars.setdefault(key, tqdm(total=total, unit="doc", unit_scale=True, desc=key,
                                                       disable=None))
        bar.update(done - bar.n)

    figures = run_rebuild_bench(settings, progress)
    for bar in bars.values():
        bar.close()
    figures["memory"] = {"rebuild_process_peak_rss_mib": self_peak_rss_mib()}
    click.echo(f"rebuild: {figures['rebuild_docs_per_s']:,.0f} docs/s ({figures['docs']} docs in "
               f"{figures['rebuild_seconds']:.1f}s)")
    click.echo(f"raw bulk: {figures['raw_docs_per_s']:,.0f} docs/s ({figures['raw_docs']} docs in "
               f"{figures['raw_seconds']:.1f}s)")
    click.echo(f"rebuild/raw: {figures['ratio']:.2f}x (target >= 0.8x)")
    _record("rebuild", figures, settings, "souq bench rebuild")


@bench_group.command("search")
@click.option("--database", default=None, help="SQLAlchemy URL of the bench database [default: souq_bench].")
@click.option("--queries", "query_log", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_QUERY_LOG,
              show_default=True, help="Query log to replay (written by `souq bench queries` if missing).")
@click.option("--limit", default=600, show_default=True, help="Distinct searches replayed from the log.")
@click.option("--dev-set", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DEV_SET,
              show_default=True, help="Arabic dev set (TSV) scored for our engine and the PostgreSQL baseline; "
              "skipped if absent.")
@click.pass_obj
def search_command(settings: Settings, database: str | None, query_log: Path, limit: int, dev_set: Path) -> None:
    """p50/p95/p99 through the API vs direct engine queries at 1/8/32 clients, and a PostgreSQL baseline."""
    from bench.bench_env import IndexStale, bench_settings
    from bench.search_bench import run_search_bench

    settings = bench_settings(settings, _bench_url(settings, database))
    if not query_log.exists():
        from bench.query_log import generate_queries, write_query_log
        from core.seeding import load_area_seed, load_category_seed

        write_query_log(query_log, generate_queries(5000, 1, load_category_seed(), load_area_seed()))
    try:
        figures = run_search_bench(settings, query_log, limit, lambda line: click.echo(line, err=True), dev_set)
    except IndexStale as exc:
        raise click.ClickException(str(exc)) from exc
    for mode in ("api", "direct", "postgres"):
        for concurrency, f in figures[mode].items():
            click.echo(f"search {mode:<8} c={concurrency:>2}: p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, "
                       f"p99 {f['p99_ms']:.1f} ms ({f['ok']} ok of {f['requests']}, {f['rps']} req/s)")
    for concurrency in figures["api"]:
        ratio = figures["api"][concurrency]["p95_ms"] / figures["direct"][concurrency]["p95_ms"]
        figures["api"][concurrency]["p95_vs_direct"] = round(ratio, 3)
        click.echo(f"search API/direct p95 c={concurrency:>2}: {ratio:.2f}x (target <= 1.3x)")
    click.echo(f"web peak RSS: {figures['memory']['web_peak_rss_mib']} MiB")
    scores = figures.get("arabic_dev_set")
    if scores:
        click.echo(f"arabic dev set: ours {scores['ours_passed']}/{scores['cases']}, "
                   f"PostgreSQL FTS {scores['postgres_passed']}/{scores['cases']}")
    _record("search", figures, settings, f"souq bench search --limit {limit}")


@bench_group.command("ingest")
@click.option("--database", default=None, help="SQLAlchemy URL of the bench database [default: souq_bench].")
@click.option("--rate", default=20.0, show_default=True, help="Writes per second through the API.")
@click.option("--seconds", default=30.0, show_default=True, help="How long to keep writing.")
@click.option("--seed", default=7, show_default=True, help="Seed of the ads written.")
@click.pass_obj
def ingest_command(settings: Settings, database: str | None, rate: float, seconds: float, seed: int) -> None:
    """Freshness: p50/p95 from the API's 201 to the ad in search results, under a steady write rate."""
    from bench.bench_env import IndexStale, bench_settings
    from bench.ingest_bench import run_ingest_bench

    settings = bench_settings(settings, _bench_url(settings, database))
    try:
        figures = run_ingest_bench(settings, rate, seconds, seed)
    except IndexStale as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"ingest writes: {figures['writes']} at {figures['achieved_writes_per_s']}/s "
               f"(target {rate}/s, failures {figures['write_failures'] or 'none'})")
    click.echo(f"freshness p50: {figures['freshness_p50_s']:.2f} s")
    click.echo(f"freshness p95: {figures['freshness_p95_s']:.2f} s (target <= 2 s; "
               f"{figures['missing_after_settle']} not found after {figures['settle_s']:.0f} s)")
    click.echo(f"web peak RSS: {figures['memory']['web_peak_rss_mib']} MiB, "
               f"worker peak RSS: {figures['memory']['worker_peak_rss_mib']} MiB")
    _record("ingest", figures, settings, f"souq bench ingest --rate {rate:g} --seconds {seconds:g}")


@bench_group.command("report")
def report_command() -> None:
    """Render bench/RESULTS.md and the latency-vs-clients plot from the latest records."""
    from bench.report import render_report

    path = render_report()
    click.echo(f"wrote {path.relative_to(path.parent.parent)} and bench/results/search_latency.png")


@bench_group.command("hostile")
@click.option("--repeat", default=3, show_default=True, help="Runs of each hostile query.")
@click.option("--parallel", default=10, show_default=True,
              help="Clients sending them at once to the real web server while health is timed (0: skip).")
@click.pass_obj
def hostile_command(settings: Settings, repeat: int, parallel: int) -> None:
    """Engine time (sum of `took` per API search) of hostile search text, on the configured data."""
    from bench.hostile_bench import run_hostile_bench, run_parallel_phase

    figures = run_hostile_bench(settings, lambda line: click.echo(line, err=True), repeat)
    if parallel:
        figures["parallel"] = run_parallel_phase(settings, parallel)
    for endpoint in ("search", "suggest"):
        f = figures[endpoint]
        click.echo(f"hostile {endpoint:<7}: engine took worst {f['worst_took_ms']} ms ({f['worst_query']}), "
                   f"p95 {f['p95_took_ms']} ms; wall worst {f['worst_wall_ms']} ms, p95 {f['p95_wall_ms']} ms; "
                   f"statuses {f['statuses']} (target: took <= 100 ms, never 5xx)")
    if parallel:
        p = figures["parallel"]
        click.echo(f"hostile parallel: {p['clients']} clients, {p['searches']} searches in {p['seconds']} s "
                   f"(statuses {p['statuses']}); health worst {p['health_worst_ms']} ms, "
                   f"p95 {p['health_p95_ms']} ms")
    _record("hostile", figures, settings, f"souq bench hostile --repeat {repeat} --parallel {parallel}")


@bench_group.command("slow-clients")
@click.option("--seconds", default=8.0, show_default=True, help="Probing time per phase.")
@click.option("--probe-timeout", "timeout_s", default=3.0, show_default=True,
              help="Client timeout of one health probe; a timed-out probe counts at this value.")
@click.option("--clients", "counts", default="0,5,50", show_default=True, help="Slow clients per phase.")
@click.option("--per-address", default=10, show_default=True, help="Slow clients per loopback source address.")
@click.pass_obj
def slow_clients_command(settings: Settings, seconds: float, timeout_s: float, counts: str,
                         per_address: int) -> None:
    """Health p50/p95/max with 0/5/50 clients trickling a POST body: granian alone vs behind nginx."""
    import subprocess

    from bench.bench_env import bench_settings
    from bench.records import append_record, versions
    from bench.slow_client_bench import run_slow_client_bench
    from devstack.reverse_proxy import nginx_binary

    # Health reads no table: the development database serves, and no ad is written.
    settings = bench_settings(settings, settings.database_url)
    phases = tuple(int(part) for part in counts.split(","))
    figures = run_slow_client_bench(settings, phases, seconds, timeout_s, per_address,
                                    lambda line: click.echo(line, err=True))
    for mode in ("direct", "proxy"):
        for count, f in figures[mode].items():
            click.echo(f"health {mode:<6} with {count:>3} slow clients: p50 {f['p50_ms']:.1f} ms, "
                       f"p95 {f['p95_ms']:.1f} ms, max {f['max_ms']:.1f} ms ({f['failed_or_timed_out']} of "
                       f"{f['probes']} probes failed or timed out at {timeout_s:g} s)")
    nginx = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True).stderr.strip()
    path = append_record("slow_clients", {
        "command": f"souq bench slow-clients --seconds {seconds:g} --probe-timeout {timeout_s:g} "
                   f"--clients {counts} --per-address {per_address}",
        "data": {"ads": 0}, "versions": versions({"nginx": nginx.rsplit("/", 1)[-1]}), "figures": figures})
    click.echo(f"record appended to bench/results/{path.name}")
