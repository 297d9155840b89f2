"""Ad lifecycle: create, change, withdraw, renew, expire, hide. Takes a session, never commits.

Every change bumps `version` and records an outbox row in the caller's
transaction, so the ad and its way to the search index commit or fail together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.ad_input import AdCreate, AdUpdate
from core.models import Ad, Area, Category
from core.outbox import record_change

TOKEN_BYTES = 24  # 192 bits: far beyond guessing, short enough for a URL
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0)
SLUG_LENGTH = 10


class UnknownReference(ValueError):
    """A category or area slug that does not exist or cannot hold ads."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewAd:
    ad: Ad
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(ad: Ad, token: str) -> bool:
    """Constant-time comparison of a presented token with the stored hash."""
    return hmac.compare_digest(ad.token_hash, hash_token(token))


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def resolve_category(session: Session, slug: str) -> Category:
    """A leaf category: ads live in the most specific category, so facets add up."""
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise UnknownReference("category", f"unknown category {slug!r}")
    has_children = session.scalar(select(Category.id).where(Category.parent_id == category.id).limit(1))
    if has_children is not None:
        raise UnknownReference("category", f"category {slug!r} has subcategories: choose one of them")
    return category


def resolve_area(session: Session, slug: str) -> Area:
    """A city or neighbourhood: a governorate is too wide to place an ad."""
    area = session.scalar(select(Area).where(Area.slug == slug))
    if area is None:
        raise UnknownReference("area", f"unknown area {slug!r}")
    if area.kind == "governorate":
        raise UnknownReference("area", f"area {slug!r} is a governorate: choose a city or neighbourhood")
    return area


def create_ad(session: Session, data: AdCreate, now: dt.datetime, lifetime_days: int) -> NewAd:
    """Insert an active ad and its outbox row; returns the ad and its one-time token."""
    category = resolve_category(session, data.category)
    area = resolve_area(session, data.area)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    ad = Ad(
        slug=new_slug(),
        title=data.title,
        description=data.description or "",
        category_id=category.id,
        area_id=area.id,
        lat=data.lat,
        lon=data.lon if data.lat is not None else None,
        price_amount=data.price,
        currency=data.currency or "SYP",
        negotiable=bool(data.negotiable),
        condition=data.condition,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        images=data.images or [],
        status="active",
        created_at=now,
        updated_at=now,
        expires_at=now + dt.timedelta(days=lifetime_days),
        version=1,
        token_hash=hash_token(token),
    )
    session.add(ad)
    session.flush()
    record_change(session, ad.id)
    return NewAd(ad=ad, token=token)


def _touch(session: Session, ad: Ad, now: dt.datetime) -> None:
    ad.version += 1
    ad.updated_at = now
    session.flush()
    record_change(session, ad.id)


def update_ad(session: Session, ad: Ad, data: AdUpdate, now: dt.datetime) -> Ad:
    """Apply the given fields; withdrawn/hidden ads can still be corrected by their owner."""
    changes = data.model_dump(exclude_unset=True)
    if "category" in changes and changes["category"] is not None:
        ad.category_id = resolve_category(session, changes.pop("category")).id
    if "area" in changes and changes["area"] is not None:
        ad.area_id = resolve_area(session, changes.pop("area")).id
    if "price" in changes:
        ad.price_amount = changes.pop("price")
    for name in ("lat", "lon"):
        if name in changes:
            setattr(ad, name, changes.pop(name))
    if (ad.lat is None) != (ad.lon is None):
        raise UnknownReference("lat", "lat and lon must be given together")
    required = {"title", "contact_name", "contact_phone", "currency", "negotiable", "description"}
    for name, value in changes.items():
        if value is None and name in required:
            raise UnknownReference(name, f"{name} cannot be removed")
        if name == "images" and value is None:
            value = []
        setattr(ad, name, value)
    _touch(session, ad, now)
    return ad


def withdraw_ad(session: Session, ad: Ad, now: dt.datetime) -> Ad:
    ad.status = "withdrawn"
    _touch(session, ad, now)
    return ad


def renew_ad(session: Session, ad: Ad, now: dt.datetime, lifetime_days: int) -> Ad:
    """Extend an active or expired ad; withdrawn and hidden ads stay as they are."""
    if ad.status not in ("active", "expired"):
        raise UnknownReference("status", f"an ad that is {ad.status} cannot be renewed")
    ad.status = "active"
    ad.expires_at = now + dt.timedelta(days=lifetime_days)
    _touch(session, ad, now)
    return ad


def set_hidden(session: Session, ad: Ad, hidden: bool, now: dt.datetime) -> Ad:
    """Operator moderation: hide an ad from everyone, or restore it."""
    if hidden:
        ad.status = "hidden"
    elif ad.status == "hidden":
        ad.status = "expired" if ad.expires_at <= now else "active"
    _touch(session, ad, now)
    return ad


def expire_due(session: Session, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Mark active ads past their expiry as expired, each with a version bump and outbox row."""
    ids = list(
        session.scalars(
            select(Ad.id)
            .where(Ad.status == "active", Ad.expires_at <= now)
            .order_by(Ad.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(Ad)
            .where(Ad.id.in_(ids))
            .values(status="expired", version=Ad.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        for ad_id in ids:
            record_change(session, ad_id)
    return ids
