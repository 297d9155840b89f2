"""Thin Celery tasks: ids or nothing in, one call into indexer/core, explicit names.

Each task is idempotent ("make the index match the database"), so a retry or a
redelivered message can do no harm.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from core.db import transaction
from core.ads import expire_due
from indexer.relay import SearchUnavailable, drain_outbox
from workers.app import EXPIRE_TASK, RELAY_TASK


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _resources(task):  # type: ignore[no-untyped-def]
    return task.app.souq


@shared_task(
    bind=True, name=RELAY_TASK, autoretry_for=(SearchUnavailable,), retry_backoff=2,
    retry_backoff_max=30, retry_jitter=True, max_retries=5,
)
def relay_outbox(self) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Drain the outbox into OpenSearch; on an outage, back off (rows stay in the outbox)."""
    res = _resources(self)
    result = drain_outbox(
        res.session_factory, res.search_client, res.alias, res.settings.relay_batch_size,
        res.settings.syp_per_usd, _now,
    )
    return result.__dict__


@shared_task(bind=True, name=EXPIRE_TASK)
def expire_ads(self) -> int:  # type: ignore[no-untyped-def]
    """Mark ads past their expiry as expired (the relay then drops them from search)."""
    res = _resources(self)
    with transaction(res.session_factory) as session:
        return len(expire_due(session, _now()))
