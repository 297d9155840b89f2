"""The bench environment: settings pointing at the bench database and index, and the real
web (gunicorn) and worker (celery) processes the benchmarks measure.

Benchmarks never share a database, index prefix or Celery queue with development
or tests, so a run can neither disturb nor be disturbed by them (other than
by CPU, which the records note as the load average).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from bench.data_load import bench_database_url
from bench.records import children_of, peak_rss_mib
from core.config import Settings

BENCH_PREFIX = "souqbench"
REPO = Path(__file__).resolve().parent.parent
# Like production on this machine: one worker per core, a few threads each for I/O waits.
WEB_WORKERS, WEB_THREADS = 2, 4
START_TIMEOUT_S = 60.0


def bench_settings(settings: Settings, database: str | None = None) -> Settings:
    return settings.with_overrides(
        database_url=database or bench_database_url(settings), index_prefix=BENCH_PREFIX,
        celery_queue=f"{BENCH_PREFIX}-{os.getpid()}", rate_limits_enabled=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUQ_")}
    env.update(settings.to_env())
    env["PYTHONPATH"] = str(REPO)
    return env


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


class Managed:
    """A started process tree whose peak memory we report when it stops."""

    def __init__(self, name: str, proc: subprocess.Popen) -> None:
        self.name, self.proc = name, proc
        self.peak_mib = 0.0

    def sample(self) -> float:
        """Peak RSS of the master and its children so far (VmHWM never goes down)."""
        pids = [self.proc.pid, *children_of(self.proc.pid)]
        self.peak_mib = max(self.peak_mib, peak_rss_mib(pids))
        return self.peak_mib

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.sample()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def web_server(settings: Settings) -> Iterator[tuple[str, Managed]]:
    """A real gunicorn on 127.0.0.1 serving the app for `settings`; yields its base URL."""
    port = free_port()
    argv = [_bin("gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS),
            "--threads", str(WEB_THREADS), "--log-level", "warning", "service.app:create_app_from_env()"]
    web = Managed("web", subprocess.Popen(argv, env=child_env(settings), cwd=REPO))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if web.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {web.proc.returncode}")
            try:
                if requests.get(f"{base}/api/v1/search", params={"size": 1}, timeout=5).status_code < 500:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in time")
            time.sleep(0.2)
        yield base, web
    finally:
        web.stop()


@contextmanager
def worker_process(settings: Settings) -> Iterator[Managed]:
    """A real celery worker with embedded beat (the relay runs every relay_interval_s)."""
    schedule = Path(settings.stack_dir) / f"beat-{settings.celery_queue}"
    argv = [_bin("celery"), "-A", "workers.main:app", "worker", "--loglevel", "WARNING",
            "--concurrency", "1", "--hostname", f"{settings.celery_queue}@%h", "--without-gossip",
            "--without-mingle", "--beat", "--schedule", str(schedule)]
    worker = Managed("worker", subprocess.Popen(argv, env=child_env(settings), cwd=REPO))
    try:
        yield worker
    finally:
        worker.stop()
        for leftover in Path(settings.stack_dir).glob(f"beat-{settings.celery_queue}*"):
            leftover.unlink(missing_ok=True)
