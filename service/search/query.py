"""Search parameters -> OpenSearch request body. Pure: no I/O, unit-tested.

This is the production query builder: the search API, the web pages and the
Arabic evaluation (`souq search eval`) all go through `build_search_body`.
Relevance is the text score multiplied by a bounded boost for recency (and
nearness, when the user gave a point), so freshness breaks near-ties without
ever burying a clearly better text match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.money import Currency
from search_config import fields as F
from service.search.cursor import DATE, DISTANCE, ID, PRICE, SCORE
from service.search.facets import facet_aggs
from service.search.filters import all_filters, fixed_filters, selection_filters
from service.search.relax import did_you_mean_spec, relaxed_clause
from service.search.text_bounds import suggestable
from service.search.text_query import highlight_spec, keyword_clause

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
SORTS = ("relevance", "newest", "price_asc", "price_desc", "distance")
MATCH_MODES = ("all", "any", "fuzzy")

# Boost = 1 + RECENCY_WEIGHT * gauss(age) [+ DISTANCE_WEIGHT * gauss(distance)]:
# at most x1.5 for a brand-new ad, so a title match still beats a fresh
# description-only match (ads live 30 days, hence a 30-day half-life).
RECENCY_WEIGHT = 0.5
RECENCY_SCALE = "30d"
# Local ads matter most within a city: half the boost is gone at ~10 km.
DISTANCE_WEIGHT = 0.5
DISTANCE_SCALE = "10km"
# What a page of results shows of each ad; only these come back from the engine
# (not the description, names and paths that are there for matching and facets):
# the answer of a typical search is 40 % smaller, which is JSON the web decodes.
RESULT_FIELDS = (F.ID, F.SLUG, F.TITLE, F.PRICE_AMOUNT, F.CURRENCY, F.NEGOTIABLE, F.CONDITION,
                 F.CATEGORY_ID, F.AREA_ID, F.IMAGES, F.HAS_IMAGES, F.CREATED_AT, F.LOCATION,
                 F.LOCATION_PRECISE)


@dataclass(frozen=True)
class SearchParams:
    """What a user asked for, already validated (prices already in USD)."""

    q: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: str = "relevance"
    category_ids: tuple[int, ...] = ()
    area_ids: tuple[int, ...] = ()
    extra_filters: tuple[dict[str, Any], ...] = field(default=())
    price_min_usd: float | None = None
    price_max_usd: float | None = None
    currency: str = Currency.USD  # the currency the user thinks in: price facet buckets use it
    syp_per_usd: Decimal = Decimal("13000")
    conditions: tuple[str, ...] = ()
    has_images: bool | None = None
    posted_within_days: int | None = None
    point: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # (west, south, east, north)
    search_after: tuple[Any, ...] | None = None
    now: dt.datetime | None = None  # fixed by a cursor so scores stay stable across pages
    facets: bool = False
    match_mode: str = "all"
    did_you_mean: bool = False


def base_filters(params: SearchParams) -> list[dict[str, Any]]:
    """Every filter of `params` (kept for callers that need no facets)."""
    return all_filters(params)


def text_clause(params: SearchParams) -> dict[str, Any] | None:
    if not params.q.strip():
        return None
    if params.match_mode == "all":
        return keyword_clause(params.q)
    return relaxed_clause(params.q, fuzzy=params.match_mode == "fuzzy")


def sort_clause(params: SearchParams) -> list[Any]:
    """A total order (ties broken by id), so search_after cursors never skip or repeat."""
    if params.sort == "newest":
        return [{F.CREATED_AT: "desc"}, {F.ID: "desc"}]
    if params.sort in ("price_asc", "price_desc"):
        order = "asc" if params.sort == "price_asc" else "desc"
        return [{F.PRICE_USD: {"order": order, "missing": "_last"}}, {F.ID: order}]
    if params.sort == "distance" and params.point is not None:
        lat, lon = params.point
        return [{"_geo_distance": {F.LOCATION: {"lat": lat, "lon": lon}, "order": "asc",
                                   "unit": "km", "distance_type": "arc"}}, {F.ID: "asc"}]
    if not params.q.strip() and params.point is None:
        # Browsing with no words and no point: relevance is recency alone, which
        # is exactly newest first, without scoring every active ad.
        return [{F.CREATED_AT: "desc"}, {F.ID: "desc"}]
    return ["_score", {F.CREATED_AT: "desc"}, {F.ID: "desc"}]


def sort_value_kinds(params: SearchParams) -> tuple[str, ...]:
    """What each value of a hit's `sort` is for `sort_clause(params)`: what a cursor must carry."""
    clause = sort_clause(params)
    kinds = {"_score": SCORE, F.CREATED_AT: DATE, F.ID: ID, F.PRICE_USD: PRICE, "_geo_distance": DISTANCE}
    return tuple(kinds[key if isinstance(key, str) else next(iter(key))] for key in clause)


def relevance_functions(params: SearchParams) -> list[dict[str, Any]]:
    origin = (params.now or dt.datetime.now(dt.UTC)).isoformat()
    functions: list[dict[str, Any]] = [
        {"weight": 1},
        {"gauss": {F.CREATED_AT: {"origin": origin, "scale": RECENCY_SCALE, "decay": 0.5}},
         "weight": RECENCY_WEIGHT},
    ]
    if params.point is not None:
        lat, lon = params.point
        functions.append({"gauss": {F.LOCATION: {"origin": {"lat": lat, "lon": lon},
                                                 "scale": DISTANCE_SCALE, "decay": 0.5}},
                          "weight": DISTANCE_WEIGHT})
    return functions


def scored_query(params: SearchParams, filters: list[dict[str, Any]]) -> dict[str, Any]:
    text = text_clause(params)
    query: dict[str, Any] = {"bool": {"filter": filters, "must": [text] if text else []}}
    if params.sort != "relevance" or (text is None and params.point is None):
        return query
    return {"function_score": {"query": query, "functions": relevance_functions(params),
                               "score_mode": "sum", "boost_mode": "multiply"}}


def anchor_body(params: SearchParams) -> dict[str, Any] | None:
    """For a relevance cursor: today's score of the last hit the user saw (by its id).

    Text scores drift as ads are added (term statistics change), which would
    make a stored score skip or repeat hits; re-scoring the anchor hit and
    continuing after its current score keeps pages in step with that drift.
    """
    if params.sort != "relevance" or not params.search_after or len(params.search_after) != 3:
        return None
    anchor_id = params.search_after[-1]
    return {"query": scored_query(params, [{"ids": {"values": [str(anchor_id)]}}]),
            "size": 1, "_source": False, "track_total_hits": False}


def facets_body(params: SearchParams) -> dict[str, Any]:
    """The facets alone (service.search.run sends them beside the hits): same matching, nothing scored.

    The words are a filter here (matching only: a bool's optional clauses are
    skipped when nothing is scored), there is no clock in the body, and size is
    0: so the engine's shard request cache answers a repeated one (popular
    searches and browse pages) without recounting, until the next refresh.
    """
    selections = selection_filters(params)
    text = text_clause(params)
    filters = fixed_filters(params) + ([text] if text else [])
    return {"size": 0, "track_total_hits": False,
            "query": {"bool": {"filter": filters}},
            "aggs": facet_aggs(params, selections)}


def build_search_body(params: SearchParams) -> dict[str, Any]:
    """The request body for one page of results (plus facets and did-you-mean if asked)."""
    selections = selection_filters(params)
    # With facets the selections go to post_filter (each facet counts without its own);
    # without, they filter the query itself.
    filters = fixed_filters(params) if params.facets else fixed_filters(params) + list(selections.values())
    body: dict[str, Any] = {
        "query": scored_query(params, filters),
        "size": params.size,
        "_source": [*RESULT_FIELDS, F.DUPLICATE_KEY],  # the key only for fold_copies, never shown
        "sort": sort_clause(params),
        "track_total_hits": True,
    }
    if params.search_after is not None:
        body["search_after"] = list(params.search_after)
    else:
        body["from"] = (params.page - 1) * params.size
    if params.facets:
        if selections:
            body["post_filter"] = {"bool": {"filter": list(selections.values())}}
        body["aggs"] = facet_aggs(params, selections)
    if params.q.strip():
        body["highlight"] = highlight_spec()
        if params.did_you_mean and suggestable(params.q):
            body["suggest"] = did_you_mean_spec(params.q)
    return body
