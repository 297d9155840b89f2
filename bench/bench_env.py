"""The bench environment: settings pointing at the bench database and index, and the real
web (granian) and worker (celery) processes the benchmarks measure.

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
from souq_cli.processes import web_argv

BENCH_PREFIX = "souqbench"
REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0


def bench_settings(settings: Settings, database: str | None = None) -> Settings:
    return settings.with_overrides(
        database_url=database or bench_database_url(settings), index_prefix=BENCH_PREFIX,
        celery_queue=f"{BENCH_PREFIX}-{os.getpid()}", rate_limits_enabled=False,
    )


class IndexStale(RuntimeError):
    """The bench index does not hold the bench database's ads: run `souq bench rebuild`."""


def check_index_matches(settings: Settings) -> int:
    """The number of ads, once the bench alias holds exactly as many documents as the database.

    A reload (`souq bench data`) restarts ids at 1 while the index keeps the old
    documents; with external versions, a new ad reusing an old id would never
    replace its stale document, and freshness would be measured against it.
    """
    import psycopg

    from bench.data_load import libpq_url
    from core.opensearch import ads_alias, make_client

    client = make_client(settings)
    alias = ads_alias(settings)
    indexed = client.count(index=alias)["count"] if client.indices.exists_alias(name=alias) else 0
    with psycopg.connect(libpq_url(settings.database_url)) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM ads").fetchone() or (0,)
    if indexed != rows or rows == 0:
        raise IndexStale(f"{alias} holds {indexed} documents but the bench database {rows} ads: "
                         "run `souq bench rebuild` after `souq bench data`")
    return rows


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
    """The real web server (`souq web`'s, granian) on 127.0.0.1 serving the app for `settings`;
    yields its base URL."""
    port = free_port()
    argv = [*web_argv(port=port, access_log=False), "--log-level", "warning"]  # as `souq web` runs it
    web = Managed("web", subprocess.Popen(argv, env=child_env(settings), cwd=REPO))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if web.proc.poll() is not None:
                raise RuntimeError(f"the web server exited with code {web.proc.returncode}")
            try:
                if requests.get(f"{base}/api/v1/search", params={"size": 1}, timeout=5).status_code < 500:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the web server did not answer in time")
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
    # stdout carries only celery's banner and shutdown chatter; warnings and errors go to stderr.
    worker = Managed("worker", subprocess.Popen(argv, env=child_env(settings), cwd=REPO,
                                                stdout=subprocess.DEVNULL))
    try:
        yield worker
    finally:
        worker.stop()
        for leftover in Path(settings.stack_dir).glob(f"beat-{settings.celery_queue}*"):
            leftover.unlink(missing_ok=True)
