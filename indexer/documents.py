"""Ad row -> search document. Pure: the one transform from database to index.

Documents carry denormalised tree paths (so a filter on a parent category or a
governorate matches its descendants), names (so words like «حمص» match), a
price normalised to USD for filtering/sorting across currencies, and the
location: the ad's own point, or its area's centroid when it gave none.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import orjson

from core.duplicates import duplicate_key
from core.models import Ad
from core.taxonomy import Tree
from search_config import fields as F


def price_in_usd(amount: Decimal | None, currency: str, syp_per_usd: Decimal) -> float | None:
    if amount is None:
        return None
    usd = amount if currency == "USD" else amount / syp_per_usd
    return float(round(usd, 4))


def content_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the document's fields except its version (and the digest itself).

    Versions tell reconcile which side is newer; the digest tells it whether an
    equal version holds the same content, so a write the engine refused (or a
    hand edit) is seen even when the numbers agree. Keys are sorted so that both
    transforms (ORM objects and plain rows) give the same digest for one row.
    """
    content = {k: v for k, v in document.items() if k not in (F.VERSION, F.CONTENT_DIGEST)}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _names(tree: Tree, path: list[int]) -> str:
    parts: list[str] = []
    for node_id in path:
        node = tree.nodes[node_id]
        parts.extend([node.name_ar, node.name_en, *node.alt_names])
    return " ".join(parts)


def ad_document(ad: Ad, categories: Tree, areas: Tree, syp_per_usd: Decimal) -> dict[str, Any]:
    """The full document for `ad` (every field, so indexing can use external versions)."""
    area_path = areas.path(ad.area_id)
    category_path = categories.path(ad.category_id)
    area = areas.nodes.get(ad.area_id)
    precise = ad.lat is not None and ad.lon is not None
    if precise:
        location: dict[str, float] | None = {"lat": ad.lat, "lon": ad.lon}  # type: ignore[dict-item]
    elif area is not None and area.lat is not None and area.lon is not None:
        location = {"lat": area.lat, "lon": area.lon}
    else:
        location = None
    document = {
        F.ID: ad.id,
        F.SLUG: ad.slug,
        F.TITLE: ad.title,
        F.DESCRIPTION: ad.description,
        F.CATEGORY_ID: ad.category_id,
        F.CATEGORY_PATH: category_path,
        F.CATEGORY_NAME: _names(categories, category_path),
        F.AREA_ID: ad.area_id,
        F.AREA_PATH: area_path,
        F.AREA_NAME: _names(areas, area_path),
        F.PRICE_AMOUNT: float(ad.price_amount) if ad.price_amount is not None else None,
        F.CURRENCY: ad.currency,
        F.PRICE_USD: price_in_usd(ad.price_amount, ad.currency, syp_per_usd),
        F.NEGOTIABLE: ad.negotiable,
        F.CONDITION: ad.condition,
        F.HAS_IMAGES: bool(ad.images),
        F.IMAGES: list(ad.images or []),
        F.LOCATION: location,
        F.LOCATION_PRECISE: precise,
        F.CREATED_AT: ad.created_at.isoformat(),
        F.EXPIRES_AT: ad.expires_at.isoformat(),
        F.STATUS: ad.status,
        F.VERSION: ad.version,
        F.DUPLICATE_KEY: duplicate_key(ad.contact_phone, ad.title, ad.description),
    }
    document[F.CONTENT_DIGEST] = content_digest(document)
    return document
