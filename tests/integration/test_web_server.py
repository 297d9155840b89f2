"""The production web server (`souq web`, granian) serves the app and stops cleanly."""

from __future__ import annotations

import socket
import subprocess

import requests

from core.config import Settings
from devstack.processes import web_argv
from tests.integration.conftest import REPO, celery_env, stop_process
from tests.polling import wait_until


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answer(url: str, **params: str) -> requests.Response | None:
    try:
        return requests.get(url, params=params, timeout=5)
    except requests.ConnectionError:
        return None


def test_web_server_serves_search_and_refuses_big_bodies_then_stops(test_settings: Settings) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(web_argv(port=port, workers=1, threads=2, access_log=False), env=celery_env(test_settings),
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_until(lambda: _answer(f"{base}/api/v1/health"), timeout=60, what="the web server")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        found = requests.get(f"{base}/api/v1/search", params={"q": "سيارة"}, timeout=10)
        assert found.status_code == 200 and "results" in found.json()
        assert "سيارة" in found.content.decode("utf-8")  # UTF-8 JSON, not \u escapes
        too_big = requests.post(f"{base}/api/v1/ads", data=b"x" * (test_settings.max_request_bytes + 1),
                                headers={"Content-Type": "application/json"}, timeout=10)
        assert too_big.status_code == 413
        page = requests.get(f"{base}/", timeout=10)
        assert page.status_code == 200 and 'dir="rtl"' in page.text
    finally:
        proc.terminate()
        try:
            assert proc.wait(timeout=20) == 0, proc.stderr.read() if proc.stderr else ""
        finally:
            stop_process(proc)
