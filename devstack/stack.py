"""`souq stack up|down|status`: OpenSearch, PostgreSQL and Redis on loopback, no Docker.

Why a script rather than compose: our machines have no Docker engine, and tests and
`make run` need real services. Everything (data, logs, pid files) stays under
`settings.stack_dir`; `up` is idempotent and `down` only stops processes whose pid
file AND /proc cmdline say we started them. Other code calls `ensure_stack_up` and
`stack_status`; only this module knows the three services exist.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from core.config import Settings
from devstack import service_process as sp
from devstack.opensearch_node import OpenSearchNode
from devstack.postgres_server import PostgresServer
from devstack.redis_server import RedisServer

Service = OpenSearchNode | PostgresServer | RedisServer
LOCK_WAIT_S = 600.0  # another `up`/`down` may be resolving Maven and booting a JVM


def services(settings: Settings) -> list[Service]:
    return [OpenSearchNode(settings), PostgresServer(settings), RedisServer(settings)]


@contextmanager
def stack_lock(settings: Settings) -> Iterator[None]:
    """Serialise up/down across processes (parallel test runs, `make run` + pytest)."""
    path = Path(settings.stack_dir).resolve() / "run" / "stack.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        def acquired() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        if not sp.wait_until(acquired, LOCK_WAIT_S, interval_s=0.5):
            raise sp.StackError(f"another `souq stack` command holds {path}")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stack_status(settings: Settings) -> dict[str, Any]:
    """Every service with address, pid, state and health; `healthy` if all are."""
    found = {service.name: service.status().to_dict() for service in services(settings)}
    return {"stack_dir": str(Path(settings.stack_dir).resolve()),
            "healthy": all(entry["healthy"] for entry in found.values()),
            "services": found}


def ensure_stack_up(settings: Settings, *, echo: Callable[[str], None] = click.echo,
                    timeout_s: float = 180.0) -> dict[str, Any]:
    """Start whatever is not running, wait until all are healthy, return the status.

    OpenSearch boots in a thread because its JVM takes the longest; PostgreSQL and
    Redis start meanwhile. Raises StackError (a click.ClickException) on failure.
    """
    from devstack.local_secrets import ensure_local_secrets

    opensearch, postgres, redis = services(settings)
    with stack_lock(settings):
        ensure_local_secrets(settings, echo)
        for service in (opensearch, postgres, redis):  # fail before starting anything
            if service.running_pid() is None:
                sp.require_port_free(service.name, service.port, service.setting)
        with ThreadPoolExecutor(max_workers=1) as pool:
            search_started = pool.submit(opensearch.up, timeout_s)
            try:
                for service in (postgres, redis):
                    echo(service.up(min(timeout_s, 60.0)))
            finally:
                error = search_started.exception()  # always wait for the JVM's outcome
            if error is not None:
                raise error
            echo(search_started.result())
    status = stack_status(settings)
    if not status["healthy"]:
        sick = [name for name, entry in status["services"].items() if not entry["healthy"]]
        raise sp.StackError(f"stack started but not healthy: {', '.join(sick)}")
    return status


def stop_stack(settings: Settings, *, timeout_s: float = 60.0) -> list[str]:
    """Stop each service we started (newest dependency first); report every one."""
    reports, failures = [], []
    with stack_lock(settings):
        for service in reversed(services(settings)):
            try:
                reports.append(service.down(timeout_s))
            except sp.StackError as exc:
                failures.append(exc.message)
    if failures:
        raise sp.StackError("\n".join(reports + failures))
    return reports


def format_status(status: dict[str, Any]) -> str:
    lines = [f"stack dir: {status['stack_dir']}"]
    for name, entry in status["services"].items():
        pid = f"pid {entry['pid']}" if entry["pid"] else "-"
        lines.append(f"{name:<11} {entry['state']:<9} {entry['address']:<28} {pid:<11} "
                     f"{entry['detail']}")
    lines.append("all healthy" if status["healthy"] else "NOT all healthy")
    return "\n".join(lines)


@click.group("stack")
def stack_group() -> None:
    """Start, stop and inspect the local OpenSearch, PostgreSQL and Redis (no Docker)."""


@stack_group.command("up")
@click.option("--timeout", "timeout_s", default=180.0, show_default=True,
              help="Seconds to wait for each service to become healthy.")
@click.option("--json", "as_json", is_flag=True, help="Print the final status as JSON.")
@click.pass_obj
def up_command(settings: Settings, timeout_s: float, as_json: bool) -> None:
    """Start what is not running (idempotent) and wait until everything is healthy."""
    started = time.monotonic()
    def echo(line: str) -> None:  # with --json, stdout carries only the JSON
        click.echo(line, err=as_json)

    status = ensure_stack_up(settings, echo=echo, timeout_s=timeout_s)
    if as_json:
        click.echo(json.dumps(status, indent=2))
    else:
        click.echo(format_status(status))
        click.echo(f"ready in {time.monotonic() - started:.1f}s")


@stack_group.command("down")
@click.option("--timeout", "timeout_s", default=60.0, show_default=True,
              help="Seconds to wait for each process to exit after SIGTERM.")
@click.pass_obj
def down_command(settings: Settings, timeout_s: float) -> None:
    """Stop the services this stack started; never touches anything else."""
    for line in stop_stack(settings, timeout_s=timeout_s):
        click.echo(line)


@stack_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status_command(settings: Settings, as_json: bool) -> None:
    """Show each service's address, pid and health."""
    status = stack_status(settings)
    click.echo(json.dumps(status, indent=2) if as_json else format_status(status))
