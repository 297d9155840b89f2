"""Ad values -> search document: the one transform, for the relay, the rebuild and reconcile.

Pure: it takes an ad's values (a row in `AD_FIELDS` order, read by
`indexer.ad_rows`) and the taxonomy trees, and touches no database or engine.
Every path that indexes an ad goes through `DocumentMaker`, so a document can
never depend on which path wrote it (reconcile compares digests, and would
call a path-made difference drift).

Documents carry denormalised tree paths (so a filter on a parent category or a
governorate matches its descendants), names (so words like «حمص» match), a
price normalised to USD for filtering/sorting across currencies, and the
location: the ad's own point, or its area's centroid when it gave none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson

from core.duplicates import duplicate_key
from core.money import price_in_usd
from core.taxonomy import Tree
from search_config import fields as F

# The ad columns a document is made of, in the order a row carries them. The
# token hash never reaches the index, and the phone only as the 16-bit bucket
# inside the duplicate key.
AD_FIELDS = ("id", "slug", "title", "description", "category_id", "area_id", "lat", "lon",
             "price_amount", "currency", "negotiable", "condition", "images", "created_at",
             "expires_at", "status", "version", "contact_phone")


def content_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the document's fields except its version (and the digest itself).

    Versions tell reconcile which side is newer; the digest tells it whether an
    equal version holds the same content, so a write the engine refused (or a
    hand edit) is seen even when the numbers agree. Keys are sorted so that the
    digest depends on the content only, never on the order fields were set in.
    """
    content = {k: v for k, v in document.items() if k not in (F.VERSION, F.CONTENT_DIGEST)}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _names(tree: Tree, path: list[int]) -> str:
    parts: list[str] = []
    for node_id in path:
        node = tree.nodes[node_id]
        parts.extend([node.name_ar, node.name_en, *node.alt_names])
    return " ".join(parts)


class DocumentMaker:
    """The full document of an ad (every field, so indexing can use external versions).

    Call it with a row of `AD_FIELDS` values. A rebuild makes a million
    documents from a few hundred categories and areas, so each one's tree parts
    (path, names, centroid) are worked out once; the cache is only a memo of
    the trees given here, so the result depends on the row alone, and no two
    documents share a mutable part.
    """

    def __init__(self, categories: Tree, areas: Tree, syp_per_usd: Decimal) -> None:
        self.categories, self.areas, self.syp_per_usd = categories, areas, syp_per_usd
        self._category: dict[int, tuple[list[int], str]] = {}
        self._area: dict[int, tuple[list[int], str, dict[str, float] | None]] = {}

    def _category_parts(self, category_id: int) -> tuple[list[int], str]:
        parts = self._category.get(category_id)
        if parts is None:
            path = self.categories.path(category_id)
            parts = self._category[category_id] = (path, _names(self.categories, path))
        return parts

    def _area_parts(self, area_id: int) -> tuple[list[int], str, dict[str, float] | None]:
        parts = self._area.get(area_id)
        if parts is None:
            path = self.areas.path(area_id)
            area = self.areas.nodes.get(area_id)
            centroid = ({"lat": area.lat, "lon": area.lon}
                        if area is not None and area.lat is not None and area.lon is not None else None)
            parts = self._area[area_id] = (path, _names(self.areas, path), centroid)
        return parts

    def __call__(self, row: Sequence[Any]) -> dict[str, Any]:
        (ad_id, slug, title, description, category_id, area_id, lat, lon, price_amount, currency,
         negotiable, condition, images, created_at, expires_at, status, version, contact_phone) = row
        category_path, category_name = self._category_parts(category_id)
        area_path, area_name, centroid = self._area_parts(area_id)
        precise = lat is not None and lon is not None
        if precise:
            location: dict[str, float] | None = {"lat": lat, "lon": lon}
        else:
            location = dict(centroid) if centroid is not None else None
        document = {
            F.ID: ad_id,
            F.SLUG: slug,
            F.TITLE: title,
            F.DESCRIPTION: description,
            F.CATEGORY_ID: category_id,
            F.CATEGORY_PATH: list(category_path),
            F.CATEGORY_NAME: category_name,
            F.AREA_ID: area_id,
            F.AREA_PATH: list(area_path),
            F.AREA_NAME: area_name,
            F.PRICE_AMOUNT: float(price_amount) if price_amount is not None else None,
            F.CURRENCY: currency,
            F.PRICE_USD: price_in_usd(price_amount, currency, self.syp_per_usd),
            F.NEGOTIABLE: negotiable,
            F.CONDITION: condition,
            F.HAS_IMAGES: bool(images),
            F.IMAGES: list(images or []),
            F.LOCATION: location,
            F.LOCATION_PRECISE: precise,
            F.CREATED_AT: created_at.isoformat(),
            F.EXPIRES_AT: expires_at.isoformat(),
            F.STATUS: status,
            F.VERSION: version,
            F.DUPLICATE_KEY: duplicate_key(contact_phone, title, description),
        }
        document[F.CONTENT_DIGEST] = content_digest(document)
        return document
