"""Operator moderation: hide, unhide, dismiss an ad's reports, each with its audit row.

Where it sits: the operator API and the operator pages (service/) call these
and commit; nothing here commits. The change to the ad (core.ads.set_hidden:
row lock, version bump, outbox row), its audit row and the settling of the
ad's open reports share the caller's transaction, so there is never a hidden
ad without the row saying who hid it, nor a row for a hide that did not happen.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.ads import StateConflict, lock_for_change, set_hidden
from core.models import AD_ACTIONS, SESSION_ACTIONS, Ad, OperatorAction, Report


def has_open_reports(session: Session, ad_id: int) -> bool:
    found = session.scalar(select(Report.id).where(Report.ad_id == ad_id, Report.action_id.is_(None)).limit(1))
    return found is not None


def act_on_ad(session: Session, ad: Ad, action: str, operator: str, reason: str,
              now: dt.datetime) -> OperatorAction:
    """Hide, unhide or dismiss `ad` as `operator`; settles the ad's open reports.

    Raises StateConflict when the action does not fit (hiding a hidden or
    withdrawn ad, unhiding a visible one, dismissing with nothing open). Every
    action takes the ad's row lock first, so two operators acting on one ad at
    once run one after the other and the second sees what the first did.
    """
    if action not in AD_ACTIONS:
        raise ValueError(f"{action!r} is not an action on an ad")
    if action == "dismiss":
        lock_for_change(session, ad)  # no change to the ad itself: no version bump, no outbox row
        if not has_open_reports(session, ad.id):
            raise StateConflict("the ad has no open reports to dismiss")
    else:
        set_hidden(session, ad, action == "hide", now)
    entry = OperatorAction(operator=operator, action=action, ad_id=ad.id, reason=reason, created_at=now)
    session.add(entry)
    session.flush()
    session.execute(
        update(Report).where(Report.ad_id == ad.id, Report.action_id.is_(None)).values(action_id=entry.id)
    )
    return entry


def record_session_action(session: Session, operator: str, action: str, now: dt.datetime) -> OperatorAction:
    """An operator signed in or out of the pages: in the log too, with no ad."""
    if action not in SESSION_ACTIONS:
        raise ValueError(f"{action!r} is not a session action")
    entry = OperatorAction(operator=operator, action=action, ad_id=None, reason="", created_at=now)
    session.add(entry)
    session.flush()
    return entry
