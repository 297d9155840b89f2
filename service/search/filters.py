"""Search parameters -> filter clauses, split the way multi-select facets need them. Pure.

`fixed_filters` always narrow the result set (status, images, age, geo);
`selection_filters` are the facet selections (category, area, price,
condition): they go into the post_filter so that each facet's counts can
ignore its own selection and honour all the others.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from core.models import AdStatus
from core.money import usd_amount
from search_config import fields as F

if TYPE_CHECKING:
    from service.search.query import SearchParams

FACETS = ("category", "area", "price", "condition")


@lru_cache(maxsize=4096)
def usd_bound(amount: Decimal, currency: str, syp_per_usd: Decimal) -> float:
    """A price bound in USD by the rule the indexer stores `price_usd` with (core.money).

    Memoised: every search converts the sixteen price-facet edges of its
    currency (about 30 Decimal divisions per search, the same ones each time).
    """
    return usd_amount(amount, currency, syp_per_usd)


def price_clause(low_usd: float | None, high_usd: float | None) -> dict[str, Any]:
    bounds: dict[str, float] = {}
    if low_usd is not None:
        bounds["gte"] = low_usd
    if high_usd is not None:
        bounds["lte"] = high_usd
    return {"range": {F.PRICE_USD: bounds}}


def fixed_filters(params: SearchParams) -> list[dict[str, Any]]:
    """Filters with no facet of their own: they narrow results and every facet count."""
    filters: list[dict[str, Any]] = [{"term": {F.STATUS: AdStatus.ACTIVE}}]
    if params.has_images is not None:
        filters.append({"term": {F.HAS_IMAGES: params.has_images}})
    if params.posted_within_days is not None:
        now = params.now or dt.datetime.now(dt.UTC)
        # To the minute: a day-sized window loses nothing, and equal requests
        # within a minute stay equal (cacheable).
        since = (now - dt.timedelta(days=params.posted_within_days)).replace(second=0, microsecond=0)
        filters.append({"range": {F.CREATED_AT: {"gte": since.isoformat()}}})
    if params.point is not None and params.radius_km is not None:
        lat, lon = params.point
        filters.append({"geo_distance": {"distance": f"{params.radius_km}km",
                                         F.LOCATION: {"lat": lat, "lon": lon}}})
    if params.bbox is not None:
        west, south, east, north = params.bbox
        filters.append({"geo_bounding_box": {F.LOCATION: {
            "top_left": {"lat": north, "lon": west}, "bottom_right": {"lat": south, "lon": east}}}})
    filters.extend(params.extra_filters)
    return filters


def selection_filters(params: SearchParams) -> dict[str, dict[str, Any]]:
    """One clause per facet the user selected in (several values of a facet are OR-ed)."""
    chosen: dict[str, dict[str, Any]] = {}
    if params.category_ids:
        chosen["category"] = {"terms": {F.CATEGORY_PATH: list(params.category_ids)}}
    if params.area_ids:
        chosen["area"] = {"terms": {F.AREA_PATH: list(params.area_ids)}}
    if params.price_min_usd is not None or params.price_max_usd is not None:
        chosen["price"] = price_clause(params.price_min_usd, params.price_max_usd)
    if params.conditions:
        chosen["condition"] = {"terms": {F.CONDITION: list(params.conditions)}}
    return chosen


def all_filters(params: SearchParams) -> list[dict[str, Any]]:
    """Everything at once: for requests without facets (clusters, eval, counts)."""
    return fixed_filters(params) + list(selection_filters(params).values())
