"""`souq bench ingest`: freshness, the time from the API's 201 to the ad being returned by search,
under a steady write rate. Target (issue 6): p95 <= 2 s at 20 writes/s (refresh 1 s is the floor).

The real web server and a real celery worker (with beat, so the periodic relay runs as
deployed) serve the bench database and index. Writers POST generated ads on a
fixed schedule; one poller asks the search API for the newest ads every
POLL_INTERVAL_S and stamps each new ad the first time it appears. API-created ads
are the newest in the bench data (generated ads are dated before today), so one
search per poll covers every ad in flight. Freshness is measured at poll
resolution: each figure may be late by up to one poll interval.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from bench.bench_env import check_index_matches, web_server, worker_process
from bench.records import percentile
from core.config import Settings
from core.seeding import load_area_seed, load_category_seed
from souq_cli.demo_data.generator import generate_ads

POLL_INTERVAL_S = 0.1
POLL_SIZE = 50  # > writes in flight: 20/s x a few seconds of lag
SETTLE_S = 15.0  # after the last write, how long stragglers may take before they count as missing
WRITERS = 4  # threads, so one slow POST does not push the schedule back
API_FIELDS = ("title", "description", "category", "area", "lat", "lon", "price", "currency", "negotiable",
              "condition", "contact_name", "contact_phone", "images")


def _payloads(count: int, seed: int) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    ads = generate_ads(count, seed, load_category_seed(), load_area_seed(), now)
    return [{name: ad[name] for name in API_FIELDS} for ad in ads]


class Tracker:
    """Ads written (id -> time of the 201) and seen (id -> time first returned by search)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.written: dict[int, float] = {}
        self.seen: dict[int, float] = {}
        self.failed: dict[str, int] = {}

    def wrote(self, ad_id: int, at: float) -> None:
        with self.lock:
            self.written[ad_id] = at

    def failure(self, reason: str) -> None:
        with self.lock:
            self.failed[reason] = self.failed.get(reason, 0) + 1

    def saw(self, ids: list[int], at: float) -> None:
        with self.lock:
            for ad_id in ids:
                if ad_id in self.written and ad_id not in self.seen:
                    self.seen[ad_id] = at

    def pending(self) -> int:
        with self.lock:
            return len(self.written) - len(self.seen)


def _write(base: str, payload: dict[str, Any], due: float, tracker: Tracker) -> None:
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    try:
        response = requests.post(f"{base}/api/v1/ads", json=payload, timeout=30)
    except requests.RequestException as exc:
        tracker.failure(type(exc).__name__)
        return
    if response.status_code == 201:
        tracker.wrote(int(response.json()["id"]), time.monotonic())
    else:
        tracker.failure(str(response.status_code))


def _poll(base: str, tracker: Tracker, stop: threading.Event) -> int:
    session = requests.Session()
    polls = 0
    while not stop.is_set():
        started = time.monotonic()
        try:
            response = session.get(f"{base}/api/v1/search",
                                   params={"sort": "newest", "size": str(POLL_SIZE), "facets": "0"}, timeout=10)
            if response.status_code == 200:
                tracker.saw([int(hit["id"]) for hit in response.json()["results"]], time.monotonic())
        except requests.RequestException:
            pass
        polls += 1
        stop.wait(max(0.0, POLL_INTERVAL_S - (time.monotonic() - started)))
    return polls


def run_ingest_bench(settings: Settings, rate: float, seconds: float, seed: int) -> dict[str, Any]:
    check_index_matches(settings)
    count = int(rate * seconds)
    payloads = _payloads(count, seed)
    tracker = Tracker()
    stop = threading.Event()
    with worker_process(settings) as worker, web_server(settings) as (base, web):
        poll_pool = ThreadPoolExecutor(max_workers=1)
        polls = poll_pool.submit(_poll, base, tracker, stop)
        start = time.monotonic() + 0.5
        with ThreadPoolExecutor(max_workers=WRITERS) as writers:
            for i, payload in enumerate(payloads):
                writers.submit(_write, base, payload, start + i / rate, tracker)
        write_seconds = time.monotonic() - start
        deadline = time.monotonic() + SETTLE_S
        while tracker.pending() and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL_S)
        stop.set()
        poll_count = polls.result()
        poll_pool.shutdown()
        memory = {"web_peak_rss_mib": web.sample(), "worker_peak_rss_mib": worker.sample()}
    lags = [tracker.seen[i] - tracker.written[i] for i in tracker.seen]
    return {
        "target_writes_per_s": rate, "writes": len(tracker.written),
        "achieved_writes_per_s": round(len(tracker.written) / write_seconds, 2) if write_seconds else 0,
        "write_failures": tracker.failed, "seen": len(tracker.seen),
        "missing_after_settle": tracker.pending(), "settle_s": SETTLE_S,
        "poll_interval_s": POLL_INTERVAL_S, "polls": poll_count,
        "freshness_p50_s": round(percentile(lags, 50), 3), "freshness_p95_s": round(percentile(lags, 95), 3),
        "freshness_max_s": round(max(lags), 3) if lags else None,
        "refresh_interval": settings.refresh_interval, "relay_interval_s": settings.relay_interval_s,
        "memory": memory,
    }
