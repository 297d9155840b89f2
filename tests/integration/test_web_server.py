"""The production web server (`souq web`, granian) serves the app and stops cleanly."""

from __future__ import annotations

import socket
import subprocess
import sys

import requests

from core.config import Settings
from souq_cli.processes import web_argv
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


def _souq_web(settings: Settings, port: int, stack_dir: str) -> subprocess.Popen[str]:
    """`souq web` as an operator runs it: the environment sets no secret, only where the stack lives."""
    env = {key: value for key, value in celery_env(settings).items()
           if key not in {"SOUQ_SECRET_KEY", "SOUQ_OPERATOR_TOKENS", "SOUQ_STACK_DIR"}}
    env["SOUQ_STACK_DIR"] = stack_dir
    return subprocess.Popen([sys.executable, "-m", "souq_cli", "web", "--port", str(port)], env=env,
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_souq_web_refuses_to_serve_without_secrets_and_serves_with_the_stacks(test_settings, tmp_path) -> None:
    from devstack.local_secrets import ensure_local_secrets

    port = _free_port()
    refused = _souq_web(test_settings, port, str(tmp_path))  # no secrets.env there yet
    try:
        _, stderr = refused.communicate(timeout=60)
    finally:
        stop_process(refused)
    assert refused.returncode != 0 and "SOUQ_SECRET_KEY is not set" in stderr
    assert _answer(f"http://127.0.0.1:{port}/api/v1/health") is None

    generated = ensure_local_secrets(test_settings.with_overrides(stack_dir=str(tmp_path)), lambda line: None)
    served = _souq_web(test_settings, port, str(tmp_path))
    try:
        health = wait_until(lambda: _answer(f"http://127.0.0.1:{port}/api/v1/health"), timeout=60,
                            what="souq web with the stack's secrets")
        assert health.status_code == 200
        reports = requests.get(f"http://127.0.0.1:{port}/api/v1/operator/reports", timeout=10,
                               headers={"X-Operator-Token": generated["SOUQ_OPERATOR_TOKENS"].partition(":")[2]})
        assert reports.status_code == 200  # the generated operator token is the one the web checks
    finally:
        served.terminate()
        stop_process(served)
