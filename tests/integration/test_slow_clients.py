"""Slow request bodies (issue 13): the web as `souq run` serves it stays responsive.

Real nginx in front of real granian, started by `devstack.web_front.start_web` (what
`souq run` calls) on free loopback ports for this session's database. The slow
clients come from several 127.0.0.x addresses, as several attackers would; the
health and search checks come from 127.0.0.1 with a 2 s client timeout: a
non-starvation check, not a latency benchmark.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.slow_clients import SlowClients
from core.config import Settings
from devstack.reverse_proxy import CLIENT_TIMEOUT_S, CONNECTIONS_PER_CLIENT
from devstack.web_front import FrontedWeb, free_port, start_web
from souq_cli.processes import WEB_THREADS, web_argv
from tests.integration.conftest import celery_env
from tests.polling import wait_until

CHECK_TIMEOUT_S = 2.0
POSTS_PER_HOUR = 2


def _request(port: int, path: str, source: str = "127.0.0.1", method: str = "GET", body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request from loopback address `source`; raises on a timeout (TimeoutError)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CHECK_TIMEOUT_S, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def web(test_settings: Settings) -> Iterator[FrontedWeb]:
    """nginx + granian with rate limits on (posting: 2 per hour per client address)."""
    settings = test_settings.with_overrides(rate_limits_enabled=True,
                                            rate_limit_create=f"{POSTS_PER_HOUR} per hour")
    port = free_port()
    fronted = start_web(settings, port, web_argv, env=celery_env(settings), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
    yield fronted
    fronted.stop()
    assert not Path(fronted.proxy_root).exists()
    for log in (Path(settings.stack_dir).resolve() / "logs").glob(f"nginx-{port}*"):
        log.unlink(missing_ok=True)


def test_fifty_slow_bodies_leave_health_and_search_answering(web: FrontedWeb) -> None:
    port = _port(web.url)
    sources = tuple(f"127.0.0.{10 + n}" for n in range(5))  # 10 each: under the per-address limit
    with SlowClients("127.0.0.1", port, count=50, sources=sources, seconds=10) as slow:
        for _ in range(3):
            assert _request(port, "/api/v1/health")[0] == 200
            status, body = _request(port, "/api/v1/search?q=%D8%B3%D9%8A%D8%A7%D8%B1%D8%A9")
            assert status == 200 and "results" in json.loads(body)
        assert len(slow.still_open()) == 50  # held by nginx, neither refused nor answered


def test_a_stalled_body_is_cut_off_by_the_body_timeout(web: FrontedWeb) -> None:
    started = time.monotonic()
    with SlowClients("127.0.0.1", _port(web.url), count=1, sources=("127.0.0.20",), stall_after=3,
                     seconds=CLIENT_TIMEOUT_S + 10) as slow:
        client = slow.clients[0]
        wait_until(lambda: not client.open, timeout=CLIENT_TIMEOUT_S + 8, what="nginx to drop the stalled body")
    assert client.status in (408, None)  # nginx answers 408 or simply closes
    assert client.closed_at is not None and client.closed_at - started >= CLIENT_TIMEOUT_S - 1


def test_one_address_cannot_hold_more_than_its_connection_limit(web: FrontedWeb) -> None:
    port = _port(web.url)
    with SlowClients("127.0.0.1", port, count=CONNECTIONS_PER_CLIENT, sources=("127.0.0.30",), seconds=15) as slow:
        # nginx counts a connection once its header is read: poll until all are counted.
        _, body = wait_until(lambda: (lambda r: r if r[0] == 429 else None)(
            _request(port, "/api/v1/health", source="127.0.0.30")), timeout=5, what="the excess to be refused")
        assert json.loads(body)["error"]["code"] == "too_many_requests"
        assert _request(port, "/api/v1/health", source="127.0.0.31")[0] == 200  # other clients unaffected
        assert len(slow.still_open()) == CONNECTIONS_PER_CLIENT


def test_a_spoofed_forwarded_for_cannot_choose_the_rate_limit_key(web: FrontedWeb,
                                                                  test_settings: Settings) -> None:
    port = _port(web.url)

    def post(source: str, spoofed: str) -> int:
        return _request(port, "/api/v1/ads", source=source, method="POST", body=b"{}", headers={
            "Content-Type": "application/json", "X-Forwarded-For": spoofed})[0]

    # Every POST counts (even an invalid one); two spoofed addresses still share one budget.
    statuses = [post("127.0.0.40", f"198.51.100.{n}") for n in range(POSTS_PER_HOUR + 1)]
    assert statuses == [422] * POSTS_PER_HOUR + [429]
    assert post("127.0.0.41", "198.51.100.1") == 422  # a real other address has its own


def test_a_body_over_the_limit_is_refused_by_nginx_in_the_api_shape(web: FrontedWeb,
                                                                  test_settings: Settings) -> None:
    status, body = _request(_port(web.url), "/api/v1/ads", source="127.0.0.50", method="POST",
                            body=b"x" * (test_settings.max_request_bytes + 1),
                            headers={"Content-Type": "application/json"})
    assert status == 413 and json.loads(body)["error"]["code"] == "request_entity_too_large"


def _starved(port: int) -> bool:
    try:
        _request(port, "/api/v1/health")
    except TimeoutError:
        return True
    return False


def test_the_same_slow_bodies_starve_granian_alone(web: FrontedWeb) -> None:
    """Proves the checks above can fail: without nginx a few slow bodies take every thread."""
    port = _port(web.upstream_url)
    # One per address: the app's rate limit counts a POST before reading its body, so a
    # third one from an address would be refused at once instead of holding a thread.
    sources = tuple(f"127.0.0.{60 + n}" for n in range(WEB_THREADS + 3))
    with SlowClients("127.0.0.1", port, count=len(sources), sources=sources, seconds=10):
        wait_until(lambda: _starved(port), timeout=8, interval=0.2, what="granian to run out of threads")
    # Closing the slow sockets frees the threads again.
    wait_until(lambda: not _starved(port), timeout=15, what="granian to recover")
