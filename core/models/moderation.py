"""The operators' audit log: one row per thing an operator did."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, BigId, CreatedAt

# What an operator can do: to an ad (hide, unhide, dismiss its reports) and to
# their own session on the pages (sign in, sign out; no ad).
AD_ACTIONS = ("hide", "unhide", "dismiss")
SESSION_ACTIONS = ("sign_in", "sign_out")
OPERATOR_ACTIONS = AD_ACTIONS + SESSION_ACTIONS
MAX_OPERATOR_NAME = 40  # core.config.OPERATOR_NAME allows no longer


class OperatorAction(Base):
    """Written in the same transaction as the change it records, so neither exists without the other."""

    __tablename__ = "operator_actions"
    __table_args__ = (
        CheckConstraint("action IN ('hide','unhide','dismiss','sign_in','sign_out')", name="action"),
        CheckConstraint("(ad_id IS NULL) = (action IN ('sign_in','sign_out'))", name="ad_id"),
        Index("ix_operator_actions_ad_id_id", "ad_id", "id"),
    )

    id: Mapped[BigId]
    # The name from SOUQ_OPERATOR_TOKENS, never the token.
    operator: Mapped[str] = mapped_column(String(MAX_OPERATOR_NAME))
    action: Mapped[str] = mapped_column(String(16))
    ad_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("ads.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[CreatedAt]
