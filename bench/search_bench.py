"""`souq bench search`: latency of the query mix through the API vs the same engine queries
sent directly, at several concurrencies in one run, plus the PostgreSQL full-text baseline.

Flow: read the query log -> replay each entry once through the API code in this
process with the engine call recorded (so "direct" sends exactly the bodies
the API sent, relaxed retries included) -> start the real web server on loopback
-> for each concurrency, a separate load process replays the log through the
API and then straight to the engine -> the baseline answers the same entries in
SQL. Every phase is bounded by a request count and a duration.
Targets (issue 5): API p95 <= 1.3x direct p95; API p95 < 100 ms at 8 clients.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from bench import pg_baseline
from bench.bench_env import REPO, check_index_matches, web_server
from bench.data_load import libpq_url
from bench.query_log import read_query_log, request_args
from bench.records import percentile
from core.config import Settings
from core.opensearch import ads_alias, make_client
from service.search.gateway import SearchGateway, msearch_lines

CONCURRENCY = (1, 8, 32)
PG_CONCURRENCY = (1, 8)
# Per phase: enough requests for a stable p99 (a few hundred), and a time cap so a
# slow configuration costs at most this long; both are recorded with the figures.
MAX_REQUESTS = 600
MAX_SECONDS = 30.0
WARMUP_REQUESTS = 50
# The API and direct phases of one concurrency alternate in rounds (API first in even
# rounds, direct first in odd ones), each round replaying its own third of the searches,
# and each side's samples are pooled: on a shared machine whose speed drifts by tens of
# percent within minutes, both sides then sample the same spells, so their ratio holds.
ROUNDS = 3

Echo = Callable[[str], None]


def engine_step(path: str, body: Any) -> dict[str, str]:
    """One recorded engine request: "_search" with a JSON body, or "_msearch" with NDJSON lines."""
    if path == "_msearch":
        text = "".join(json.dumps(line, ensure_ascii=False, default=str) + "\n" for line in body)
    else:
        text = json.dumps(body, ensure_ascii=False, default=str)
    return {"path": path, "body": text}


class RecordingGateway:
    """A search gateway that records each request as an `engine_step`, then sends it on."""

    def __init__(self, inner: SearchGateway, index: str) -> None:
        self.inner, self.index = inner, index
        self.steps: list[dict[str, str]] = []

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        self.steps.append(engine_step("_search", body))
        return self.inner.search(body)

    def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.steps.append(engine_step("_msearch", msearch_lines(self.index, bodies)))
        return self.inner.msearch(bodies)


def capture_engine_bodies(settings: Settings, entries: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """For each entry, the engine requests the API sends for it, in order, as `engine_step`s.

    Each entry goes through the real API route (test client, rate limits off)
    with the app's search gateway replaced by a recording one: so "direct"
    replays exactly the round trips the API made, a multi-search as one
    `_msearch`. An entry the API refuses is replayed by neither side.
    """
    from service.app import create_app

    app = create_app(settings.with_overrides(rate_limits_enabled=False))
    web = app.extensions["souq"]
    recorder = RecordingGateway(web.search_gateway, web.alias)
    web.search_gateway = recorder  # the app's one seam to the engine (service.resources)
    client = app.test_client()
    captured: list[list[dict[str, str]]] = []
    for entry in entries:
        recorder.steps = []
        response = client.get("/api/v1/search", query_string=request_args(entry))
        if response.status_code == 500:
            raise RuntimeError(f"the API failed on {request_args(entry)}: {response.get_data(as_text=True)[:300]}")
        captured.append(recorder.steps if response.status_code == 200 else [])
    return captured


def run_load(job: dict[str, Any]) -> dict[str, Any]:
    """One bounded phase in a separate load process; returns its latencies and statuses."""
    proc = subprocess.run([sys.executable, "-m", "bench.load_client"], input=json.dumps(job),
                          capture_output=True, text=True, cwd=REPO, check=True,
                          timeout=float(job["max_seconds"]) + 120)
    return json.loads(proc.stdout)


def summarise(result: dict[str, Any], kinds: list[str] | None = None) -> dict[str, Any]:
    """Percentiles of a phase, and per query kind of the log when `kinds` is given."""
    latencies = result["latencies_ms"]
    ok = len(latencies)
    by_kind: dict[str, list[float]] = {}
    if kinds:
        for number, ms in result.get("samples", []):
            by_kind.setdefault(kinds[number], []).append(ms)
    return {"p95_ms_by_kind": {kind: percentile(values, 95) for kind, values in sorted(by_kind.items())},
            "requests": sum(result["statuses"].values()), "ok": ok, "statuses": result["statuses"],
            "seconds": result["seconds"], "rps": round(ok / result["seconds"], 1) if result["seconds"] else 0,
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99)}


def _phase(mode: str, target: str, requests: list[Any], concurrency: int, kinds: list[str],
           **extra: Any) -> dict[str, Any]:
    if WARMUP_REQUESTS:
        run_load({"mode": mode, "target": target, "requests": requests, "concurrency": concurrency,
                  "max_requests": WARMUP_REQUESTS, "max_seconds": 10, **extra})
    return summarise(run_load({"mode": mode, "target": target, "requests": requests,
                               "concurrency": concurrency, "max_requests": MAX_REQUESTS,
                               "max_seconds": MAX_SECONDS, **extra}), kinds)


def round_numbers(total: int, rounds: int, index: int) -> list[int]:
    """The searches (log numbers) replayed in round `index`: every `rounds`-th from `index`."""
    return list(range(index, total, rounds))


def pooled(rounds: list[tuple[dict[str, Any], list[int]]]) -> dict[str, Any]:
    """Load results of several rounds as one, each sample mapped back to its log number."""
    merged: dict[str, Any] = {"latencies_ms": [], "samples": [], "statuses": {}, "seconds": 0.0}
    for result, numbers in rounds:
        merged["latencies_ms"] += result["latencies_ms"]
        merged["samples"] += [(numbers[number], ms) for number, ms in result["samples"]]
        for status, count in result["statuses"].items():
            merged["statuses"][status] = merged["statuses"].get(status, 0) + count
        merged["seconds"] += result["seconds"]
    return merged


def _alternating(sides: dict[str, tuple[str, str, list[Any], dict[str, Any]]], concurrency: int,
                 echo: Echo) -> dict[str, dict[str, Any]]:
    """Raw results per side (name -> (mode, target, requests, extra)), rounds alternating."""
    names = list(sides)
    total = len(next(iter(sides.values()))[2])
    results: dict[str, list[tuple[dict[str, Any], list[int]]]] = {name: [] for name in names}
    for index in range(ROUNDS):
        numbers = round_numbers(total, ROUNDS, index)
        for name in names if index % 2 == 0 else names[::-1]:
            mode, target, requests, extra = sides[name]
            echo(f"{concurrency} clients, round {index + 1}/{ROUNDS}: {name}")
            subset = [requests[number] for number in numbers]
            if index == 0 and WARMUP_REQUESTS:
                run_load({"mode": mode, "target": target, "requests": subset, "concurrency": concurrency,
                          "max_requests": WARMUP_REQUESTS, "max_seconds": 10, **extra})
            results[name].append((run_load({"mode": mode, "target": target, "requests": subset,
                                            "concurrency": concurrency, "max_requests": MAX_REQUESTS // ROUNDS,
                                            "max_seconds": MAX_SECONDS / ROUNDS, **extra}), numbers))
    return {name: pooled(rounds) for name, rounds in results.items()}


def _pg_requests(settings: Settings, entries: list[dict[str, str]]) -> list[Any]:
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        pg_baseline.ensure_fts_index(conn)
        trees = {name: pg_baseline.descendants_by_slug(conn.execute(f"SELECT id, parent_id, slug FROM {table}")
                                                        .fetchall())
                 for name, table in (("category", "categories"), ("area", "areas"))}
    return [pg_baseline.search_statements(request_args(entry), trees, settings.syp_per_usd) for entry in entries]


def run_search_bench(settings: Settings, query_log: Path, limit: int, echo: Echo,
                     dev_set: Path | None = None) -> dict[str, Any]:
    alias = ads_alias(settings)
    check_index_matches(settings)
    entries = read_query_log(query_log)[:limit]
    echo(f"capturing the engine bodies of {len(entries)} searches")
    bodies = capture_engine_bodies(settings, entries)
    kept = [(entry, body) for entry, body in zip(entries, bodies, strict=True) if body]
    api_requests = [request_args(entry) for entry, _ in kept]
    direct_requests = [body for _, body in kept]
    kinds = [entry.get("_kind", "?") for entry, _ in kept]
    figures: dict[str, Any] = {"queries": len(kept), "rejected_queries": len(entries) - len(kept),
                               "max_requests": MAX_REQUESTS, "max_seconds": MAX_SECONDS, "rounds": ROUNDS,
                               "api": {}, "direct": {}, "postgres": {}}
    with web_server(settings) as (base, web):
        for concurrency in CONCURRENCY:
            raw = _alternating({"api": ("api", base, api_requests, {}),
                                "direct": ("opensearch", settings.opensearch_url, direct_requests, {"index": alias})},
                               concurrency, echo)
            web.sample()
            for side, result in raw.items():
                figures[side][str(concurrency)] = summarise(result, kinds)
        web_peak = web.sample()
    pg_requests = _pg_requests(settings, [entry for entry, _ in kept])
    for concurrency in PG_CONCURRENCY:
        echo(f"{concurrency} clients: PostgreSQL full-text baseline")
        figures["postgres"][str(concurrency)] = _phase("postgres", libpq_url(settings.database_url),
                                                       pg_requests, concurrency, kinds)
    figures["memory"] = {"web_peak_rss_mib": web_peak}
    if dev_set is not None and dev_set.exists():
        echo(f"scoring the Arabic dev set ({dev_set.name}): ours and PostgreSQL")
        figures["arabic_dev_set"] = dev_set_scores(settings, dev_set)
    return figures


def dev_set_scores(settings: Settings, dev_set: Path) -> dict[str, Any]:
    """Pass counts on the Arabic dev set: our engine chain vs the PostgreSQL baseline."""
    from souq_cli.arabic_eval import corpus_ids, judge, read_cases, run_eval

    cases = read_cases(dev_set)
    ours = run_eval(make_client(settings), cases, "custom", settings.index_prefix)
    ids = corpus_ids(cases)
    with psycopg.connect(libpq_url(settings.database_url), autocommit=True) as conn:
        ranked = pg_baseline.eval_ranked_ids(conn, ids, [case.query for case in cases])
    theirs = [judge(case, found, ids) for case, found in zip(cases, ranked, strict=True)]
    return {"dev_set": dev_set.name, "cases": len(cases),
            "ours_passed": sum(o.passed for o in ours), "postgres_passed": sum(o.passed for o in theirs)}
