"""Reading one ad for the public: finding it by its ref, and what of it may be shown.

Shared by the JSON API and the pages (both render `ad_view`), so neither
imports the other's views. Never the full phone; an approximate location when
the poster gave no precise one.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_, select

from core.models import Ad, AdStatus
from core.taxonomy import Tree
from core.text_input import ascii_digits
from service.errors import ApiError
from service.resources import db

# Ids are BIGINT: 18 digits always fit, so a longer number is simply not an id.
_ID = re.compile(r"[0-9]{1,18}")
_SLUG = re.compile(r"[a-z0-9]{1,40}")

# Two decimals of a degree is about 1 km: enough to find the area, not the door.
PUBLIC_COORD_DECIMALS = 2


def masked_phone(phone: str) -> str:
    """Show the first and last digits only; the full number is revealed on request."""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]


def node_view(tree: Tree, node_id: int) -> dict[str, Any]:
    node = tree.nodes[node_id]
    return {"id": node.id, "slug": node.slug, "name_ar": node.name_ar, "name_en": node.name_en,
            "path": [tree.nodes[i].slug for i in tree.path(node_id)]}


def ad_view(ad: Ad, categories: Tree, areas: Tree, *, owner: bool = False) -> dict[str, Any]:
    """The ad as the public (or, with `owner`, its manager) sees it.

    Contact data is shown for live ads only: once an ad is withdrawn, expired
    or hidden its poster is left alone, so walking refs finds no names or
    phone digits of ads that are gone.
    """
    area = areas.nodes[ad.area_id]
    contact = owner or ad.status == AdStatus.ACTIVE
    lat: float | None
    lon: float | None
    if ad.lat is not None and ad.lon is not None:
        lat, lon, precise = round(ad.lat, PUBLIC_COORD_DECIMALS), round(ad.lon, PUBLIC_COORD_DECIMALS), True
    else:
        lat, lon, precise = area.lat, area.lon, False
    return {
        "id": ad.id,
        "slug": ad.slug,
        "title": ad.title,
        "description": ad.description,
        "category": node_view(categories, ad.category_id),
        "area": node_view(areas, ad.area_id),
        "location": {"lat": lat, "lon": lon, "approximate": True, "from_area": not precise},
        "price": None if ad.price_amount is None else {
            "amount": str(ad.price_amount.normalize() if ad.price_amount % 1 else int(ad.price_amount)),
            "currency": ad.currency,
        },
        "currency": ad.currency,
        "negotiable": ad.negotiable,
        "condition": ad.condition,
        "images": list(ad.images or []),
        "contact_name": ad.contact_name if contact else None,
        "contact_phone_masked": masked_phone(ad.contact_phone) if contact else None,
        "status": ad.status,
        "created_at": ad.created_at.isoformat(),
        "updated_at": ad.updated_at.isoformat(),
        "expires_at": ad.expires_at.isoformat(),
        "version": ad.version,
    }


def find_ad(ref: str, *, include_hidden: bool = False, by_id: bool = False) -> Ad:
    """By public slug (or, with `by_id`, also by numeric id); 404 otherwise (hidden ads too,
    unless asked for).

    Public reads take the slug only: slugs are random, so nobody can walk every
    ad by counting ids. Ids stay usable where a token proves the right to the
    ad (its owner, an operator). Anything that cannot be a ref is a 404 without
    touching the database, so odd path segments never reach a query.
    """
    ref = ascii_digits(ref)
    if by_id and _ID.fullmatch(ref):
        condition = or_(Ad.id == int(ref), Ad.slug == ref)
    elif _SLUG.fullmatch(ref):
        condition = Ad.slug == ref
    else:
        raise ApiError(404, "not_found", "no such ad")
    ad = db().scalar(select(Ad).where(condition))
    if ad is None or (ad.status == AdStatus.HIDDEN and not include_hidden):
        raise ApiError(404, "not_found", "no such ad")
    return ad
