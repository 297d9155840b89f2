"""Outbox rows and reports."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, BigId, CreatedAt


class OutboxEntry(Base):
    """"Ad N changed": written in the same transaction as the change, ids only.

    The relay re-reads the ad's current row, so one entry is enough however
    many changes happened; entries are deleted once OpenSearch acknowledged.
    """

    __tablename__ = "outbox"

    id: Mapped[BigId]
    ad_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("ads.id"), index=True)
    created_at: Mapped[CreatedAt]
    # A relay leases rows instead of holding locks while it talks to OpenSearch;
    # a lease that runs out (worker killed) makes the row claimable again.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# The type names the reasons once; the tuple is for code that lists them (forms, the API schema).
ReportReason = Literal["spam", "fraud", "wrong_category", "offensive", "sold", "duplicate", "other"]
REPORT_REASONS: tuple[ReportReason, ...] = get_args(ReportReason)


class Report(Base):
    """Someone flagged an ad for moderators; open (in the queue) until an operator acts on the ad."""

    __tablename__ = "reports"
    __table_args__ = (
        # The moderation queue reads open reports only, grouped by ad.
        Index("ix_reports_open_ad_id", "ad_id", postgresql_where=text("action_id IS NULL")),
    )

    id: Mapped[BigId]
    ad_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("ads.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[CreatedAt]
    # The operator action (hide, unhide, dismiss) that settled it; NULL while open.
    action_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("operator_actions.id"))
