"""Ad lifecycle: create, change, withdraw, renew, expire, hide. Takes a session, never commits.

Every change bumps `version` and records an outbox row in the caller's
transaction, so the ad and its way to the search index commit or fail together.

Every change starts by locking the ad's row (`lock_for_change`) and re-reading
it: two requests changing one ad then run one after the other, so each gets its
own version number and neither decides on a state the other has just changed.
The index uses `version` as its external version, so two commits with one
number would let the engine refuse the later content for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.ad_input import AdCreate, AdUpdate, ReportCreate
from core.duplicates import AdText, find_duplicate
from core.models import Ad, AdStatus, Area, Category, Report
from core.money import DEFAULT_CURRENCY
from core.outbox import record_change

TOKEN_BYTES = 24  # 192 bits: far beyond guessing, short enough for a URL
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0)
SLUG_LENGTH = 10


class StateConflict(ValueError):
    """The change does not fit the ad's current status (e.g. renewing a withdrawn ad)."""


class UnknownReference(ValueError):
    """A category or area slug that does not exist or cannot hold ads."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DuplicateAd(ValueError):
    """The same phone already has a live ad with (nearly) this title and description."""

    def __init__(self, existing_id: int) -> None:
        super().__init__("an ad with this phone, title and description is already online")
        self.existing_id = existing_id


# A withdrawn or expired ad is not shown: posting it again is a legitimate
# repost. A hidden one was taken down by moderators: posting it again is evasion.
BLOCKING_STATUSES = (AdStatus.ACTIVE, AdStatus.HIDDEN)
# How many of a phone's most recent live ads are compared; beyond the per-phone
# rate limit's worth, an older copy would have expired anyway.
DUPLICATE_SCAN_LIMIT = 200


@dataclass(frozen=True)
class NewAd:
    ad: Ad
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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


def lock_phone(session: Session, phone: str) -> None:
    """Serialise posts for one phone until the transaction ends.

    Two identical posts at the same moment would each find no duplicate and
    both be inserted; with this lock the second waits, then sees the first.
    """
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(phone, 0))))


def refuse_duplicate(session: Session, data: AdCreate) -> None:
    """Raise DuplicateAd if the phone already has a live copy of this ad (call under lock_phone)."""
    rows = session.execute(
        select(Ad.id, Ad.title, Ad.description)
        .where(Ad.contact_phone == data.contact_phone, Ad.status.in_(BLOCKING_STATUSES))
        .order_by(Ad.id.desc())
        .limit(DUPLICATE_SCAN_LIMIT)
    )
    new = AdText.of(data.title, data.description or "")
    existing = find_duplicate(new, ((row.id, AdText.of(row.title, row.description)) for row in rows))
    if existing is not None:
        raise DuplicateAd(existing)


def create_ad(session: Session, data: AdCreate, now: dt.datetime, lifetime_days: int,
              check_duplicates: bool = False) -> NewAd:
    """Insert an active ad and its outbox row; returns the ad and its one-time token.

    With `check_duplicates` (the API and the form pass the setting, so they
    refuse the same posts) raises DuplicateAd when the phone has a live copy.
    Loaders of generated or imported data leave it off.
    """
    category = resolve_category(session, data.category)
    area = resolve_area(session, data.area)
    if check_duplicates:
        lock_phone(session, data.contact_phone)
        refuse_duplicate(session, data)
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
        currency=data.currency or DEFAULT_CURRENCY,
        negotiable=bool(data.negotiable),
        condition=data.condition,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        images=data.images or [],
        status=AdStatus.ACTIVE,
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


def lock_for_change(session: Session, ad: Ad) -> None:
    """Lock `ad`'s row until the transaction ends and reload it (`SELECT ... FOR UPDATE`).

    A concurrent change of the same ad waits here for the other to commit and
    then sees its result, so version bumps and state checks never interleave.
    """
    session.refresh(ad, with_for_update=True)


def _touch(session: Session, ad: Ad, now: dt.datetime) -> None:
    ad.version += 1
    ad.updated_at = now
    session.flush()
    record_change(session, ad.id)


# Fields an ad cannot be without: a PATCH may change them but not null them.
REQUIRED_FIELDS = ("title", "category", "area", "contact_name", "contact_phone", "currency", "negotiable")
PLAIN_FIELDS = ("title", "description", "currency", "negotiable", "condition", "contact_name",
                "contact_phone", "images")


def update_ad(session: Session, ad: Ad, data: AdUpdate, now: dt.datetime) -> Ad:
    """Apply the given fields; withdrawn/hidden ads can still be corrected by their owner.

    Everything is checked before the first assignment, so a rejected change
    leaves the ad exactly as it was.
    """
    lock_for_change(session, ad)
    changes = data.model_dump(exclude_unset=True)
    for name in REQUIRED_FIELDS:
        if name in changes and changes[name] is None:
            raise UnknownReference(name, f"{name} cannot be removed")
    category = resolve_category(session, changes["category"]) if "category" in changes else None
    area = resolve_area(session, changes["area"]) if "area" in changes else None
    lat, lon = changes.get("lat", ad.lat), changes.get("lon", ad.lon)
    if (lat is None) != (lon is None):
        raise UnknownReference("lon" if "lon" in changes else "lat", "lat and lon must be given together")
    if category is not None:
        ad.category_id = category.id
    if area is not None:
        ad.area_id = area.id
    ad.lat, ad.lon = lat, lon
    if "price" in changes:
        ad.price_amount = changes["price"]
    for name in PLAIN_FIELDS:
        if name in changes:
            default: list[str] | str | None = [] if name == "images" else "" if name == "description" else None
            setattr(ad, name, default if changes[name] is None else changes[name])
    _touch(session, ad, now)
    return ad


def withdraw_ad(session: Session, ad: Ad, now: dt.datetime) -> Ad:
    """The owner takes the ad down for good (soft: the row stays so no stale write revives it).

    Withdrawing twice changes nothing (no version bump, no outbox row): DELETE is idempotent.
    """
    lock_for_change(session, ad)
    if ad.status == AdStatus.WITHDRAWN:
        return ad
    ad.status = AdStatus.WITHDRAWN
    _touch(session, ad, now)
    return ad


def renew_ad(session: Session, ad: Ad, now: dt.datetime, lifetime_days: int) -> Ad:
    """Extend an active or expired ad; withdrawn and hidden ads stay as they are."""
    lock_for_change(session, ad)
    if ad.status not in (AdStatus.ACTIVE, AdStatus.EXPIRED):
        raise StateConflict(f"an ad that is {ad.status} cannot be renewed")
    ad.status = AdStatus.ACTIVE
    ad.expires_at = now + dt.timedelta(days=lifetime_days)
    _touch(session, ad, now)
    return ad


def set_hidden(session: Session, ad: Ad, hidden: bool, now: dt.datetime) -> Ad:
    """Operator moderation: hide an ad from everyone, or restore it.

    A withdrawn ad is not hidden: unhiding it would otherwise bring back an ad
    its owner took down. Restoring picks active or expired from the expiry date.
    """
    lock_for_change(session, ad)
    if hidden and ad.status == AdStatus.WITHDRAWN:
        raise StateConflict("the ad was withdrawn by its owner")
    if hidden == (ad.status == AdStatus.HIDDEN):
        raise StateConflict("the ad is already hidden" if hidden else "the ad is not hidden")
    if hidden:
        ad.status = AdStatus.HIDDEN
    else:
        ad.status = AdStatus.EXPIRED if ad.expires_at <= now else AdStatus.ACTIVE
    _touch(session, ad, now)
    return ad


def report_ad(session: Session, ad: Ad, data: ReportCreate, now: dt.datetime) -> Report:
    """Record a report for moderators; it changes nothing about the ad itself."""
    report = Report(ad_id=ad.id, reason=data.reason, note=data.note or "", created_at=now)
    session.add(report)
    session.flush()
    return report


def expire_due(session: Session, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Mark active ads past their expiry as expired, each with a version bump and outbox row."""
    ids = list(
        session.scalars(
            select(Ad.id)
            .where(Ad.status == AdStatus.ACTIVE, Ad.expires_at <= now)
            .order_by(Ad.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(Ad)
            .where(Ad.id.in_(ids))
            .values(status=AdStatus.EXPIRED, version=Ad.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        for ad_id in ids:
            record_change(session, ad_id)
    return ids
