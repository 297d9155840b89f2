"""Fixtures for integration tests: the REAL OpenSearch, PostgreSQL and Redis of `souq stack up`.

Each pytest session gets its own database (created, migrated and seeded here),
its own index prefix and its own Celery queue, so parallel runs and leftovers
never collide. Workers are real `celery worker` processes, never eager mode.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from opensearchpy import OpenSearch
from sqlalchemy import create_engine, text

from core.config import Settings
from core.db import make_database, make_session_factory
from core.opensearch import ads_alias, make_client
from search_config.loader import index_body

REPO = Path(__file__).resolve().parents[2]
TEST_OPERATOR = "tester"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings.from_env().with_overrides(secret_key=secrets.token_urlsafe(32),
                                                operator_tokens=f"{TEST_OPERATOR}:{secrets.token_urlsafe(24)}")


@pytest.fixture(scope="session")
def stack(base_settings: Settings) -> dict:
    """The local stack; brought up if needed (idempotent), failing loudly if it cannot start."""
    from devstack.stack import ensure_stack_up

    return ensure_stack_up(base_settings)


def _admin_url(settings: Settings) -> str:
    return settings.database_url.rsplit("/", 1)[0] + "/postgres"


@contextmanager
def scratch_database(settings: Settings, name: str) -> Iterator[Settings]:
    """A new database `name`, migrated and seeded, dropped afterwards; yields settings using it."""
    from souq_cli.database import migrate_and_seed

    admin = create_engine(_admin_url(settings), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = settings.database_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate_and_seed(settings, url)
        yield settings.with_overrides(database_url=url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def scratch_analysis_index(purpose: str) -> Iterator[tuple[OpenSearch, str]]:
    """A throw-away index with the production body (analysis chain, mappings), for tests of analysis."""
    settings = Settings.from_env()
    client = make_client(settings)
    if not client.ping():
        pytest.fail(f"OpenSearch is not reachable at {settings.opensearch_url} (run `souq stack up`)")
    name = f"t{os.getpid()}{secrets.token_hex(3)}-{purpose}"
    client.indices.create(index=name, body=index_body())
    try:
        yield client, name
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(scope="session")
def test_settings(stack: dict, base_settings: Settings) -> Iterator[Settings]:
    """Settings for this session: a fresh database, index prefix and queue of its own."""
    from indexer.index_admin import ensure_index

    tag = f"t{os.getpid()}{secrets.token_hex(3)}"
    with scratch_database(base_settings, f"souq_{tag}") as with_db:
        settings = with_db.with_overrides(
            index_prefix=tag, celery_queue=f"souq-{tag}", rate_limits_enabled=False, duplicate_check_enabled=False,
            # A named operator with a token of this session only: no test relies on a known value.
            operator_tokens=f"{TEST_OPERATOR}:{secrets.token_urlsafe(24)}",
        )
        # As at deploy time (`souq search create`): the alias exists before any search.
        ensure_index(make_client(settings), ads_alias(settings), datetime.now(UTC))
        yield settings
        make_client(settings).indices.delete(
            index=f"{tag}-*", ignore_unavailable=True, expand_wildcards="all"
        )


@pytest.fixture(scope="session")
def operator_token(test_settings: Settings) -> str:
    return test_settings.operators[TEST_OPERATOR]


@pytest.fixture(scope="session")
def operator_headers(operator_token: str) -> dict[str, str]:
    """The header that authenticates the session's operator on the API."""
    return {"X-Operator-Token": operator_token}


@pytest.fixture(scope="session")
def session_factory(test_settings: Settings):
    database = make_database(test_settings)
    yield make_session_factory(database)
    database.dispose()


@pytest.fixture(scope="session")
def search_client(test_settings: Settings):
    return make_client(test_settings)


@pytest.fixture(scope="session")
def alias(test_settings: Settings) -> str:
    return ads_alias(test_settings)


def app_under_test(settings: Settings):
    """The real web app for `settings`, in Flask's testing mode."""
    from service.app import create_app

    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="session")
def app(test_settings: Settings):
    return app_under_test(test_settings)


@pytest.fixture()
def client(app):
    return app.test_client()


def celery_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUQ_")}
    env.update(settings.to_env())
    env["PYTHONPATH"] = str(REPO)
    return env


def start_worker(settings: Settings, name: str, beat: bool = True,
                 extra_args: tuple[str, ...] = ()) -> subprocess.Popen:
    """A real Celery worker (with embedded beat) for this session's queue."""
    celery = str(Path(sys.executable).with_name("celery"))
    argv = [celery, "-A", "workers.main:app", "worker", "--loglevel", "WARNING",
            "--concurrency", "1", "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle",
            "--pool", "prefork", *extra_args]
    schedule = Path(settings.stack_dir) / f"beat-{name}"
    if beat:
        argv += ["--beat", "--schedule", str(schedule)]
    proc = subprocess.Popen(argv, env=celery_env(settings), cwd=REPO)
    proc.beat_schedule = schedule  # type: ignore[attr-defined]  # removed by stop_process
    return proc


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    schedule = getattr(proc, "beat_schedule", None)
    if schedule is not None:  # beat's shelve files (.dat/.dir/.bak): one set per test worker
        for leftover in schedule.parent.glob(f"{schedule.name}*"):
            leftover.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def worker(test_settings: Settings) -> Iterator[subprocess.Popen]:
    """One worker with beat for the whole session (the relay runs every second)."""
    proc = start_worker(test_settings, f"w{os.getpid()}")
    yield proc
    stop_process(proc)
