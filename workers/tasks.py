"""Thin Celery tasks: ids or nothing in, one call into indexer/core, explicit names.

Each task is idempotent ("make the index match the database"), so a retry or a
redelivered message can do no harm. Time limits come from `workers.app.TIME_LIMITS`,
where the broker's visibility timeout is derived from them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from celery import Task, shared_task

from core.ads import expire_due
from core.db import transaction
from core.search_errors import SearchUnavailable
from core.task_names import EXPIRE_TASK, REBUILD_TASK, RECONCILE_TASK, RELAY_TASK
from indexer.locks import IndexJobBusy
from indexer.rebuild import rebuild_index
from indexer.reconcile import reconcile_index
from indexer.relay import drain_outbox
from workers.app import TIME_LIMITS, SouqCelery, WorkerResources

log = logging.getLogger(__name__)
# A rebuild logs its progress at most this often (seconds), so a long load is visible.
PROGRESS_LOG_EVERY_S = 5.0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _resources(task: Task) -> WorkerResources:
    app = task.app
    if not isinstance(app, SouqCelery):
        raise TypeError(f"task {task.name} runs under an app not built by make_celery: {app!r}")
    return app.souq


@shared_task(
    bind=True, name=RELAY_TASK, autoretry_for=(SearchUnavailable,), retry_backoff=2,
    retry_backoff_max=30, retry_jitter=True, max_retries=5,
    soft_time_limit=TIME_LIMITS[RELAY_TASK].soft, time_limit=TIME_LIMITS[RELAY_TASK].hard,
)
def relay_outbox(self: Task) -> dict[str, int]:
    """Drain the outbox into OpenSearch; on an outage, back off (rows stay in the outbox)."""
    res = _resources(self)
    started = time.monotonic()
    result = drain_outbox(
        res.session_factory, res.search_client, res.alias, res.settings.relay_batch_size,
        res.settings.syp_per_usd, _now,
    )
    if result.indexed_ads:
        elapsed = time.monotonic() - started
        log.info("relay: %d ads indexed in %.3fs (%.0f docs/s), %d failed", result.indexed_ads,
                 elapsed, result.indexed_ads / max(elapsed, 1e-6), result.failed_ads)
    return result.__dict__


@shared_task(
    bind=True, name=EXPIRE_TASK,
    soft_time_limit=TIME_LIMITS[EXPIRE_TASK].soft, time_limit=TIME_LIMITS[EXPIRE_TASK].hard,
)
def expire_ads(self: Task) -> int:
    """Mark ads past their expiry as expired (the relay then drops them from search)."""
    res = _resources(self)
    with transaction(res.session_factory) as session:
        return len(expire_due(session, _now()))


def _skipped(job: str, alias: str, busy: IndexJobBusy) -> dict:
    """A run that found another holding the lock: done, not failed (the other does the work)."""
    log.warning("%s %s: skipped, %s", job, alias, busy)
    return {"alias": alias, "skipped": "busy"}


@shared_task(
    bind=True, name=RECONCILE_TASK,
    soft_time_limit=TIME_LIMITS[RECONCILE_TASK].soft, time_limit=TIME_LIMITS[RECONCILE_TASK].hard,
)
def reconcile_index_task(self: Task, dry_run: bool = False) -> dict:
    """Compare PostgreSQL and the index, repair every difference (nightly); skip if one runs."""
    res = _resources(self)
    try:
        report = reconcile_index(res.session_factory, res.search_client, res.alias,
                                 syp_per_usd=res.settings.syp_per_usd, dry_run=dry_run)
    except IndexJobBusy as busy:
        return _skipped("reconcile", res.alias, busy)
    log.info("reconcile %s: drift %s, repaired %d, deleted %d", res.alias, report.counts,
             report.repaired, report.deleted)
    return report.to_dict()


@shared_task(
    bind=True, name=REBUILD_TASK,
    soft_time_limit=TIME_LIMITS[REBUILD_TASK].soft, time_limit=TIME_LIMITS[REBUILD_TASK].hard,
)
def rebuild_index_task(self: Task, keep_old: bool = False) -> dict:
    """Zero-downtime rebuild for remote triggering; progress goes to the worker log.

    Results are not stored (no result backend), so progress is reported as
    log lines rather than task state. Never retried: a failed rebuild leaves
    the live index untouched and is re-run by an operator; one that finds another
    running is skipped.
    """
    res = _resources(self)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_LOG_EVERY_S or done >= total:
            last[0] = time.monotonic()
            log.info("rebuild %s: %d/%d ads loaded", res.alias, done, total)

    try:
        report = rebuild_index(
            res.session_factory, res.search_client, res.alias, syp_per_usd=res.settings.syp_per_usd,
            refresh_interval=res.settings.refresh_interval, now=_now, keep_old=keep_old,
            progress=progress,
        )
    except IndexJobBusy as busy:
        return _skipped("rebuild", res.alias, busy)
    log.info("rebuild %s: done in %.1fs -> %s", res.alias, report.seconds, report.index)
    return report.to_dict()
