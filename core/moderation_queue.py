"""What operators read: the queue of reported ads, an ad's reports, the audit log. Never writes.

The queue holds ads with open reports (not yet settled by an operator action,
core.moderation), most-reported first; among equals the one whose oldest open
report has waited longest comes first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from core.models import Ad, OperatorAction, Report


@dataclass(frozen=True)
class QueueItem:
    ad: Ad
    reports: int
    reasons: list[tuple[str, int]]  # (reason, count), most frequent first
    oldest: dt.datetime
    newest: dt.datetime


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    total: int
    items: list[T]


OPEN = Report.action_id.is_(None)


def report_queue(session: Session, page: int, size: int) -> Page[QueueItem]:
    """One page of reported ads (1-based `page`)."""
    total = session.scalar(select(func.count(distinct(Report.ad_id))).where(OPEN)) or 0
    count = func.count(Report.id).label("reports")
    oldest, newest = func.min(Report.created_at).label("oldest"), func.max(Report.created_at).label("newest")
    rows = session.execute(
        select(Report.ad_id, count, oldest, newest).where(OPEN).group_by(Report.ad_id)
        .order_by(count.desc(), oldest.asc(), Report.ad_id.asc())
        .offset((page - 1) * size).limit(size)
    ).all()
    ids = [row.ad_id for row in rows]
    ads = {ad.id: ad for ad in session.scalars(select(Ad).where(Ad.id.in_(ids)))} if ids else {}
    reasons: dict[int, list[tuple[str, int]]] = {ad_id: [] for ad_id in ids}
    if ids:
        by_reason = session.execute(
            select(Report.ad_id, Report.reason, func.count()).where(OPEN, Report.ad_id.in_(ids))
            .group_by(Report.ad_id, Report.reason).order_by(Report.ad_id, func.count().desc(), Report.reason)
        )
        for ad_id, reason, number in by_reason:
            reasons[ad_id].append((reason, number))
    items = [QueueItem(ads[row.ad_id], row.reports, reasons[row.ad_id], row.oldest, row.newest) for row in rows]
    return Page(total, items)


def ad_reports(session: Session, ad_id: int, limit: int) -> list[Report]:
    """The ad's reports, open and settled, newest first."""
    return list(session.scalars(
        select(Report).where(Report.ad_id == ad_id).order_by(Report.id.desc()).limit(limit)
    ))


def action_log(session: Session, page: int, size: int, ad_id: int | None = None
               ) -> Page[tuple[OperatorAction, Ad | None]]:
    """The audit log, newest first, with each action's ad; only one ad's actions when `ad_id` is given."""
    where = [] if ad_id is None else [OperatorAction.ad_id == ad_id]
    total = session.scalar(select(func.count()).select_from(OperatorAction).where(*where)) or 0
    rows = session.execute(
        select(OperatorAction, Ad).outerjoin(Ad, Ad.id == OperatorAction.ad_id).where(*where)
        .order_by(OperatorAction.id.desc()).offset((page - 1) * size).limit(size)
    ).all()
    return Page(total, [(action, ad) for action, ad in rows])
