"""The ad: the one thing users post, search and manage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, BigId, CreatedAt
from core.money import CURRENCIES, DEFAULT_CURRENCY


class AdStatus(StrEnum):
    """Where an ad is in its life; only ACTIVE ads are shown in search and give out the phone."""

    ACTIVE = "active"  # posted and not yet expired
    EXPIRED = "expired"  # past expires_at; the owner may renew it
    WITHDRAWN = "withdrawn"  # taken down by its owner, for good
    HIDDEN = "hidden"  # taken down by an operator; an operator may bring it back


CONDITIONS = ("new", "used")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """The CHECK text for `column` in `values`, written as migration 0001 wrote it (so autogenerate sees no change)."""
    return f"{column} IN ({','.join(repr(str(value)) for value in values)})"


class Ad(Base):
    __tablename__ = "ads"
    __table_args__ = (
        CheckConstraint(_one_of("status", tuple(AdStatus)), name="status"),
        CheckConstraint(_one_of("currency", CURRENCIES), name="currency"),
        CheckConstraint(f"condition IS NULL OR {_one_of('condition', CONDITIONS)}", name="condition"),
        CheckConstraint("price_amount IS NULL OR price_amount >= 0", name="price"),
        CheckConstraint("version >= 1", name="version"),
        Index("ix_ads_status_expires_at", "status", "expires_at"),
        # A phone's ads, newest first: the duplicate check on posting.
        Index("ix_ads_contact_phone_id", "contact_phone", "id"),
    )

    id: Mapped[BigId]
    slug: Mapped[str] = mapped_column(String(40, collation="C"), unique=True)  # opaque ASCII: byte-wise
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    price_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY.value)
    negotiable: Mapped[bool] = mapped_column(Boolean, default=False)
    condition: Mapped[str | None] = mapped_column(String(8))
    contact_name: Mapped[str] = mapped_column(String(80))
    contact_phone: Mapped[str] = mapped_column(String(32))
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=AdStatus.ACTIVE.value)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Bumped by every change; the index uses it as the external version.
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    # SHA-256 of the management token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64))
