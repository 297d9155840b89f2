"""`souq bench slow-clients`: health latency while slow bodies are open, granian alone vs behind nginx.

One `start_web` (what `souq run` starts) serves both modes: "direct" talks to its
granian on the internal port, "proxy" to nginx in front of the same process, so the
only difference is nginx. Each phase opens N slow clients (1 byte / 0.5 s, spread
over loopback addresses as separate attackers would be) and probes health one
request at a time from 127.0.0.1; a probe that times out counts at the timeout.
"""

from __future__ import annotations

import http.client
import subprocess
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bench.bench_env import child_env
from bench.records import percentile
from bench.slow_clients import SlowClients
from core.config import Settings
from devstack.web_front import free_port, start_web
from souq_cli.processes import web_argv

PROBE_GAP_S = 0.02  # between probes: enough to let the server breathe, still ~40 probes/s


def probe_health(base: str, timeout_s: float) -> float | None:
    """Seconds for one health request on a new connection, or None if it failed or timed out."""
    parts = urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout_s)
    try:
        conn.request("GET", "/api/v1/health")
        response = conn.getresponse()
        response.read()
        return time.monotonic() - started if response.status == 200 else None
    except OSError:
        return None
    finally:
        conn.close()


def measure_phase(base: str, slow: int, seconds: float, timeout_s: float, per_address: int) -> dict[str, Any]:
    """Probe health for `seconds` while `slow` slow bodies are open against `base`."""
    parts = urlsplit(base)
    sources = tuple(f"127.0.1.{1 + n}" for n in range(max(1, -(-slow // per_address))))
    latencies: list[float] = []
    failures = 0
    clients = (SlowClients(parts.hostname or "127.0.0.1", parts.port or 80, count=slow, sources=sources,
                           seconds=seconds + timeout_s + 2) if slow else None)
    if clients is not None:
        clients.__enter__()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            took = probe_health(base, timeout_s)
            if took is None:
                failures += 1
            latencies.append(timeout_s if took is None else took)
            time.sleep(PROBE_GAP_S)
        still_open = len(clients.still_open()) if clients is not None else 0
    finally:
        if clients is not None:
            clients.stop()
    ms = [value * 1000 for value in latencies]
    return {"slow_clients": slow, "probes": len(ms), "failed_or_timed_out": failures,
            "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1), "slow_still_open": still_open}


def run_slow_client_bench(settings: Settings, counts: tuple[int, ...], seconds: float, timeout_s: float,
                          per_address: int, echo: Callable[[str], None]) -> dict[str, Any]:
    """Every phase, direct then proxy; waits for the web to recover between phases."""
    web = start_web(settings, free_port(), web_argv, env=child_env(settings), stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
    figures: dict[str, Any] = {"direct": {}, "proxy": {}, "seconds_per_phase": seconds,
                               "probe_timeout_s": timeout_s, "slow_clients_per_address": per_address,
                               "trickle": "1 byte / 0.5 s"}
    try:
        for mode, base in (("direct", web.upstream_url), ("proxy", web.url)):
            for count in counts:
                _recover(base, timeout_s)
                phase = measure_phase(base, count, seconds, timeout_s, per_address)
                figures[mode][str(count)] = phase
                echo(f"{mode} {count}: {phase}")
    finally:
        web.stop()
    return figures


def _recover(base: str, timeout_s: float) -> None:
    """Wait (bounded) until health answers again after the previous phase's slow clients."""
    deadline = time.monotonic() + 30
    while probe_health(base, timeout_s) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not recover within 30 s")
        time.sleep(0.2)
