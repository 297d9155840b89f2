"""The outbox: "ad N changed" rows written with each change, drained by the relay.

The outbox, not the broker, is the guarantee that no write is lost: a row is
deleted only after OpenSearch acknowledged the ad's current state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from core.models import OutboxEntry


def record_change(session: Session, ad_id: int) -> None:
    """Add an outbox row in the caller's transaction (never commits)."""
    session.add(OutboxEntry(ad_id=ad_id))


def claim_batch(
    session: Session, limit: int, now: dt.datetime, lease: dt.timedelta
) -> list[tuple[int, int]]:
    """Lease up to `limit` oldest unleased rows; returns (entry id, ad id) pairs.

    SKIP LOCKED lets several relays claim side by side without waiting; the
    lease (committed by the caller before any indexing) means no lock is held
    while OpenSearch is called, and a killed worker's rows come back later.
    """
    claimable = (
        select(OutboxEntry.id)
        .where((OutboxEntry.claimed_until.is_(None)) | (OutboxEntry.claimed_until < now))
        .order_by(OutboxEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id.in_(claimable.scalar_subquery()))
        .values(claimed_until=now + lease)
        .returning(OutboxEntry.id, OutboxEntry.ad_id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((int(entry_id), int(ad_id)) for entry_id, ad_id in rows)


def release_entries(session: Session, entry_ids: Iterable[int]) -> None:
    """Give up a lease early (indexing failed) so the next relay run retries at once."""
    ids = list(entry_ids)
    if ids:
        session.execute(
            update(OutboxEntry).where(OutboxEntry.id.in_(ids)).values(claimed_until=None)
            .execution_options(synchronize_session=False)
        )


def remove_entries(session: Session, entry_ids: Iterable[int]) -> int:
    """Delete acknowledged rows; returns how many went."""
    ids = list(entry_ids)
    if not ids:
        return 0
    result = session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(ids)))
    # A DELETE without RETURNING answers with a CursorResult, the kind that has a rowcount.
    if not isinstance(result, CursorResult):
        raise TypeError(f"DELETE answered with {type(result).__name__}, which has no rowcount")
    return int(result.rowcount or 0)


def backlog(session: Session, now: dt.datetime) -> dict[str, float | int]:
    """Rows waiting and the age in seconds of the oldest (0 when empty)."""
    count, oldest = session.execute(
        select(func.count(OutboxEntry.id), func.min(OutboxEntry.created_at))
    ).one()
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return {"rows": int(count), "oldest_age_s": round(max(age, 0.0), 3)}
