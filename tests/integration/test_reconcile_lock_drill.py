"""Drill: two real Celery workers never run the same reconcile at once.

With late acks a redelivered or doubly scheduled reconcile can reach a second
worker while the first still runs; the advisory lock must turn the second run
into a quick, logged skip. What each run did is read from Celery's own
monitoring events (workers started with `-E`): start and end time, worker and
the task's result, so the drill changes nothing in the code it watches.
"""

from __future__ import annotations

import secrets
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from typing import Any

import pytest
from celery import Celery
from sqlalchemy import text

from core.config import Settings
from core.opensearch import ads_alias, make_client
from core.task_names import RECONCILE_TASK
from indexer.index_admin import ensure_index
from tests.integration.conftest import start_worker, stop_process
from tests.integration.pipeline_fixtures import indexed, insert_ads, now
from tests.polling import wait_until
from workers.app import make_celery

pytestmark = pytest.mark.drill
ADS = 300  # missing from the drill's empty alias: the first reconcile has repairs to make
# The first reconcile is held inside its run, after it took its lock, by a lock on the
# ads table that the drill holds: however fast the machine, the second reconcile then
# reaches the other worker while the first still runs (no timing luck involved).
WAITING_ON_ADS = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE c.relname = 'ads' AND NOT l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")


class TaskEvents:
    """Celery's monitoring events, captured from the broker by a background thread."""

    def __init__(self, app: Celery) -> None:
        self.app = app
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._receiver: Any = None
        self._thread = threading.Thread(target=self._capture, name="task-events", daemon=True)

    def _capture(self) -> None:
        with self.app.connection_for_read() as conn:
            self._receiver = self.app.events.Receiver(conn, handlers={"*": self._record})
            self._receiver.capture(limit=None, timeout=None, wakeup=False)

    def _record(self, event: dict[str, Any]) -> None:
        with self._lock:
            self.events.append(event)

    def of(self, *types: str, uuid: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.events
                    if e["type"] in types and (uuid is None or e.get("uuid") == uuid)]

    def run_of(self, uuid: str) -> dict[str, Any] | None:
        """Start, end, worker and result of the task `uuid`, once it has ended."""
        started, ended = self.of("task-started", uuid=uuid), self.of("task-succeeded", "task-failed", uuid=uuid)
        if not (started and ended):
            return None
        return {"start": started[0]["timestamp"], "end": ended[0]["timestamp"],
                "worker": started[0]["hostname"], "type": ended[0]["type"],
                "result": str(ended[0].get("result", ended[0].get("exception")))}

    def __enter__(self) -> TaskEvents:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._receiver is not None:
            self._receiver.should_stop = True
        self._thread.join(timeout=10)


@pytest.fixture()
def lock_settings(test_settings: Settings) -> Iterator[Settings]:
    """A queue and an (empty) alias of this drill's own, over the session's database."""
    tag = secrets.token_hex(3)
    settings = test_settings.with_overrides(index_prefix=f"{test_settings.index_prefix}-lock{tag}",
                                            celery_queue=f"{test_settings.celery_queue}-lock{tag}")
    client = make_client(settings)
    ensure_index(client, ads_alias(settings), now())
    yield settings
    client.indices.delete(index=f"{ads_alias(settings)}-*", ignore_unavailable=True, expand_wildcards="all")


def test_drill_two_workers_never_run_the_same_reconcile_at_once(lock_settings, session_factory):
    ids = insert_ads(session_factory, ADS, title="خزانة ملابس خشبية")
    names = [f"lock{n}{secrets.token_hex(2)}" for n in "ab"]
    workers: list[subprocess.Popen] = []
    sender = Celery("drill-sender", broker=lock_settings.redis_url)
    with TaskEvents(make_celery(lock_settings)) as events:
        try:
            workers = [start_worker(lock_settings, name, beat=False, extra_args=("--task-events",))
                       for name in names]

            def online() -> bool:
                seen = {e["hostname"].split("@")[0] for e in events.of("worker-online", "worker-heartbeat")}
                return set(names) <= seen

            wait_until(online, timeout=90, interval=0.2, what="both workers online")
            with session_factory() as holder, session_factory() as observer:
                holder.execute(text("LOCK TABLE ads IN ACCESS EXCLUSIVE MODE"))
                first = sender.send_task(RECONCILE_TASK, queue=lock_settings.celery_queue).id
                # It reads the ads only once it holds the reconcile lock: waiting on the
                # table means it is inside its run.
                wait_until(lambda: observer.scalar(WAITING_ON_ADS) or None, timeout=60, interval=0.05,
                           what="the first reconcile running, waiting for the ads table")
                observer.rollback()
                second = sender.send_task(RECONCILE_TASK, queue=lock_settings.celery_queue).id
                busy = wait_until(partial(events.run_of, second), timeout=60, interval=0.1,
                                  what="the second reconcile ended")
                holder.rollback()  # the first reconcile goes on
            runs = [wait_until(partial(events.run_of, first), timeout=180, interval=0.2,
                               what="the first reconcile ended"), busy]
            third = sender.send_task(RECONCILE_TASK, queue=lock_settings.celery_queue).id
            runs.append(wait_until(lambda: events.run_of(third), timeout=120, interval=0.2,
                                   what="the third reconcile ended"))
        finally:
            for worker in workers:
                stop_process(worker)
    one, two, three = runs
    assert [run["type"] for run in runs] == ["task-succeeded"] * 3, runs  # a skip is no failure
    assert one["worker"] != two["worker"], runs  # the second really ran on the other worker...
    assert one["start"] < two["start"] < two["end"] < one["end"], runs  # ...while the first ran,
    assert "'skipped': 'busy'" in two["result"] and "skipped" not in one["result"], runs  # and skipped
    working = [run for run in runs if "skipped" not in run["result"]]
    for a, b in pairwise(working):
        assert a["end"] <= b["start"], runs  # the runs that did the work never overlapped
    assert "skipped" not in three["result"], runs  # the lock was released when the first ended
    assert set(indexed(make_client(lock_settings), ads_alias(lock_settings), ids)) == set(ids)
