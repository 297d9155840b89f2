"""Celery app factory: broker, reliability settings and the beat schedule.

Reliability comes from the outbox, not the broker: late acks and
reject-on-worker-lost make a killed task come back, prefetch 1 keeps a crash
from stranding queued work, and the beat relay every second picks up anything
a lost message missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from celery import Celery
from opensearchpy import OpenSearch
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.db import make_engine, make_session_factory
from core.opensearch import ads_alias, make_client

RELAY_TASK = "souq.relay_outbox"
EXPIRE_TASK = "souq.expire_ads"
RECONCILE_TASK = "souq.reconcile_index"
REBUILD_TASK = "souq.rebuild_index"


@dataclass
class WorkerResources:
    """Per-process connections, built on first use (after the worker forks)."""

    settings: Settings
    _cache: dict = field(default_factory=dict)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(make_engine(self.settings))

    @cached_property
    def search_client(self) -> OpenSearch:
        return make_client(self.settings)

    @property
    def alias(self) -> str:
        return ads_alias(self.settings)


def make_celery(settings: Settings) -> Celery:
    """A Celery app bound to `settings`; tasks reach connections through `app.souq`."""
    app = Celery("souq", broker=settings.redis_url, include=["workers.tasks"])
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_time_limit=300,
        task_soft_time_limit=240,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 600},
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
    app.souq = WorkerResources(settings)  # type: ignore[attr-defined]
    return app
