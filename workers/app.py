"""Celery app factory: broker, reliability settings and the beat schedule.

Reliability comes from the outbox, not the broker: late acks and
reject-on-worker-lost make a killed task come back, prefetch 1 keeps a crash
from stranding queued work, and the beat relay every second picks up anything
a lost message missed.

Late acks on Redis mean a message not acknowledged within the transport's
`visibility_timeout` is handed to another worker, even while the first still
runs it. So every task's time limit is declared here, once, and the timeout is
derived from the longest of them: no task can outlive its message's lease.
The long tasks (rebuild, reconcile) also take an advisory lock, for the runs
that overlap anyway (a nightly reconcile and one an operator started).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from celery import Celery
from opensearchpy import OpenSearch
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.db import make_database, make_session_factory
from core.opensearch import ads_alias, make_client
from core.task_names import EXPIRE_TASK, REBUILD_TASK, RECONCILE_TASK, RELAY_TASK


@dataclass(frozen=True)
class TimeLimit:
    """Seconds a task may run: `soft` raises in the task, `hard` kills its pool process."""

    soft: int
    hard: int


TIME_LIMITS = {
    RELAY_TASK: TimeLimit(soft=240, hard=300),
    EXPIRE_TASK: TimeLimit(soft=240, hard=300),
    RECONCILE_TASK: TimeLimit(soft=3500, hard=3600),
    REBUILD_TASK: TimeLimit(soft=4 * 3600 - 60, hard=4 * 3600),
}
# Past the longest hard limit: time for the killed process to be reaped and its
# task to end before Redis would hand the message to another worker.
VISIBILITY_MARGIN_S = 600


def visibility_timeout() -> int:
    """Seconds Redis waits for an ack before redelivering: above every task's hard limit."""
    return max(limit.hard for limit in TIME_LIMITS.values()) + VISIBILITY_MARGIN_S


@dataclass
class WorkerResources:
    """Per-process connections, built on first use (after the worker forks)."""

    settings: Settings
    _cache: dict = field(default_factory=dict)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(make_database(self.settings))

    @cached_property
    def search_client(self) -> OpenSearch:
        return make_client(self.settings)

    @property
    def alias(self) -> str:
        return ads_alias(self.settings)


class SouqCelery(Celery):
    """A Celery app that carries the worker's connections, so a task reaches them as `app.souq`.

    A subclass rather than an attribute stuck on a plain `Celery`, so the type says it is
    there; `__init__` is Celery's own, which keeps the app picklable the way Celery expects.
    """

    souq: WorkerResources


def make_celery(settings: Settings) -> SouqCelery:
    """A Celery app bound to `settings`; tasks reach connections through `app.souq`."""
    app = SouqCelery("souq", broker=settings.redis_url, include=["workers.tasks"])
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": visibility_timeout()},
        worker_hijack_root_logger=False,
        timezone="UTC",
        beat_schedule={
            "relay-outbox": {
                "task": RELAY_TASK,
                "schedule": settings.relay_interval_s,
                # A beat tick that waited longer than this is superseded by the next one.
                "options": {"expires": 10},
            },
            "expire-ads": {"task": EXPIRE_TASK, "schedule": 60.0, "options": {"expires": 60}},
            "reconcile-nightly": {
                "task": RECONCILE_TASK, "schedule": 24 * 3600.0, "options": {"expires": 3600},
            },
        },
    )
    app.souq = WorkerResources(settings)
    return app
