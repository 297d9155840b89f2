"""`souq web|worker|beat|run`: the long-running processes, and `make run` in one command.

`run` brings up the stack, migrates, seeds, creates the index, loads demo data
on an empty database, then supervises web + worker + beat until Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from core.config import Settings
from souq_cli.source_checkout import require_package

CELERY_APP = "workers.main:app"
WEB_APP = "service.app:create_app_from_env"  # a factory: granian --factory


def _bin(name: str) -> str:
    """A console script of this venv (next to the running interpreter)."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def worker_argv(concurrency: int = 2, hostname: str = "worker@%h") -> list[str]:
    return [_bin("celery"), "-A", CELERY_APP, "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--hostname", hostname, "--without-gossip",
            "--without-mingle"]


def beat_argv(settings: Settings) -> list[str]:
    schedule = Path(settings.stack_dir) / "celerybeat-schedule"
    return [_bin("celery"), "-A", CELERY_APP, "beat", "--loglevel", "INFO", "--schedule", str(schedule)]


# One worker process: a search costs the web ~2 ms of Python, so one interpreter
# serves ~400 searches/s, about twice what the engine answers on this 2-core
# machine. Against two workers of four threads, alternating phases at 8 and 32
# clients showed 15-30 % less web CPU per search (one process keeps its caches
# warm; one facet memo sees every search). Five threads cover the engine waits
# (~2 ms of Python to ~6-8 ms of engine per search); eight measured no different
# here, and five is granian's own limit for two cores (2 x cores + 1).
WEB_WORKERS, WEB_THREADS = 1, 5


def web_argv(host: str = "127.0.0.1", port: int = 8000, workers: int = WEB_WORKERS,
             threads: int = WEB_THREADS, access_log: bool = True) -> list[str]:
    """Granian serving the WSGI app: HTTP is parsed in Rust, so a search costs ~0.6 ms less
    Python time than under gunicorn's threaded worker (measured: 4.3-4.7 -> 3.7-4.1 ms of
    CPU per search, 0.7-1.2 -> 0.55-0.7 ms per health check). Bodies still stream to the
    app, which refuses oversized ones (413) before reading them. A worker that dies is
    started again."""
    return [_bin("granian"), "--interface", "wsgi", "--no-ws", "--factory", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--access-log" if access_log else "--no-access-log", "--respawn-failed-workers", WEB_APP]


@click.command("worker")
@click.option("--concurrency", default=2, show_default=True)
def worker_command(concurrency: int) -> None:
    """Run a Celery worker (relay, expiry, reconcile) in the foreground."""
    os.execvp(worker_argv(concurrency)[0], worker_argv(concurrency))


@click.command("beat")
@click.pass_obj
def beat_command(settings: Settings) -> None:
    """Run Celery beat (relay every second, expiry, nightly reconcile) in the foreground."""
    argv = beat_argv(settings)
    os.execvp(argv[0], argv)


@click.command("web")
@click.option("--port", default=8000, show_default=True)
def web_command(port: int) -> None:
    """Serve the web and API with granian on 127.0.0.1."""
    argv = web_argv(port=port)
    os.execvp(argv[0], argv)


def prepare(settings: Settings, demo_ads: int) -> None:
    """Stack up, schema, reference data, index, and demo data on an empty database."""
    from core.opensearch import ads_alias, make_client
    from devstack.stack import ensure_stack_up
    from indexer.index_admin import ensure_index
    from souq_cli.database import migrate_and_seed
    from souq_cli.demo import load_demo_if_empty
    from souq_cli.search import _now

    ensure_stack_up(settings)
    click.echo(f"database: {migrate_and_seed(settings)}")
    client, alias = make_client(settings), ads_alias(settings)
    click.echo(f"index: {ensure_index(client, alias, _now())}")
    upgrade_index_shape(settings, client, alias)
    loaded = load_demo_if_empty(settings, demo_ads)
    click.echo(f"demo ads loaded: {loaded}" if loaded else "demo ads: database already has ads")


def upgrade_index_shape(settings: Settings, client: Any, alias: str) -> None:
    """Rebuild (zero downtime) when the live index predates a field the documents now carry."""
    from core.db import make_database, make_session_factory
    from indexer.rebuild import missing_fields, rebuild_index
    from souq_cli.search import _now

    missing = missing_fields(client, alias)
    if missing:
        click.echo(f"index lacks {', '.join(missing)}: rebuilding it from PostgreSQL...")
        report = rebuild_index(make_session_factory(make_database(settings)), client, alias,
                               syp_per_usd=settings.syp_per_usd,
                               refresh_interval=settings.refresh_interval, now=_now)
        click.echo(f"index: rebuilt {report.loaded} ads into {report.index}")


@click.command("run")
@click.option("--port", default=8000, show_default=True)
@click.option("--demo-ads", default=400, show_default=True, help="Demo ads to load into an empty database.")
@click.pass_obj
def run_command(settings: Settings, port: int, demo_ads: int) -> None:
    """Start everything for local use: stack, web on 127.0.0.1:PORT behind nginx, worker and beat, until Ctrl-C."""
    require_package("devstack", "`souq run` (it starts the local stack and nginx)")
    from devstack.local_secrets import adopt_local_secrets
    from devstack.service_process import port_free
    from devstack.web_front import start_web

    if not port_free(port):
        raise click.ClickException(f"port {port} on 127.0.0.1 is already in use: stop what holds it "
                                   f"(`ss -ltnp 'sport = :{port}'`) or use `souq run --port {port + 1}`")
    prepare(settings, demo_ads)
    settings = adopt_local_secrets(settings)  # a first `prepare` has just generated them
    # Each child in its own session: Ctrl-C reaches only this supervisor, which
    # then stops the children gracefully and in full (a SIGINT sent to the whole
    # group made the web server's main process quit before its workers and orphaned one).
    # nginx on PORT reads whole request bodies before granian (on an internal port) sees
    # them; started first, so that a failure to start it leaves nothing else running.
    web = start_web(settings, port, web_argv)
    children = {
        "worker": subprocess.Popen(worker_argv(), start_new_session=True),
        "beat": subprocess.Popen(beat_argv(settings), start_new_session=True),
        **web.children,
    }
    click.echo(f"Souq is running on http://127.0.0.1:{port} (Ctrl-C stops nginx, web, worker and beat; "
               "`souq stack down` stops the services)")
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    raise click.ClickException(f"{name} exited with code {child.returncode}")
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)  # the child and anything it forked
