"""How an ad is shown publicly: never the full phone, an approximate location when not precise."""

from __future__ import annotations

from typing import Any

from core.models import Ad, AdStatus
from core.taxonomy import Tree

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
