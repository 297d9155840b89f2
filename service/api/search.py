"""GET /api/v1/search and /search/clusters: parameters -> query understanding ->
pure query builder -> gateway -> results rendered from `_source`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from typing import Any

from flask import Response, current_app, jsonify, request

from core.taxonomy import Tree, load_areas, load_categories
from search_config import fields as F
from service.api import api
from service.errors import ApiError
from service.resources import db, resources
from service.search.cursor import Cursor, encode_cursor
from service.search.duplicate_fold import fold_copies
from service.search.facets import read_facets
from service.search.filters import all_filters, usd_bound
from service.search.gateway import (EngineRejected, SearchUnavailable, blamed_parameter, run_msearch,
                                    run_search)
from service.search.geo import clusters_aggs, hit_distance_km, read_clusters
from service.search.params import (BadParameter, Context, check_cursor_fits, cursor_digest, parse_bbox,
                                   parse_search_args, parse_zoom, wants_understanding)
from service.search.query import (RESULT_FIELDS, SearchParams, anchor_body, build_search_body, facets_body,
                                  scored_query, splits_facets)
from service.search.relax import FEW_RESULTS, read_did_you_mean
from service.search.text_bounds import ignored_words
from service.search.understanding import understand

log = logging.getLogger(__name__)

# The trees change only when operators re-seed them; a minute of staleness
# saves two database round trips on every search.
TREE_TTL_S = 60.0


def bad_parameter(exc: BadParameter) -> ApiError:
    return ApiError(400, "bad_parameter", f"{exc.name}: {exc}", {exc.name: str(exc)})


def hit_view(hit: dict[str, Any], params: SearchParams, categories: Tree | None = None,
             areas: Tree | None = None) -> dict[str, Any]:
    source = hit["_source"]
    view = {name: source.get(name) for name in RESULT_FIELDS}
    for name, tree, key in (("category", categories, F.CATEGORY_ID), ("area", areas, F.AREA_ID)):
        node_id = source.get(key)
        node = tree.nodes.get(node_id) if tree is not None and isinstance(node_id, int) else None
        if node is not None:
            view[name] = {"slug": node.slug, "name_ar": node.name_ar, "name_en": node.name_en}
    view["score"] = hit.get("_score")
    view["highlight"] = hit.get("highlight", {})
    if params.point is not None:
        view["distance_km"] = hit_distance_km(source, params.point)
    return view


def apply_understanding(params: SearchParams, areas: Tree) -> tuple[SearchParams, list[dict[str, Any]]]:
    """Prices and places found in q become filters, unless the user set those filters already."""
    currency_param = request.args.get("currency", "").upper() or None
    found = understand(params.q, areas, currency_param)
    changes: dict[str, Any] = {}
    user_price = params.price_min_usd is not None or params.price_max_usd is not None
    for item in found.found:  # JSON numbers, not Decimal strings
        item.update({key: float(item[key]) for key in ("price_min", "price_max") if item.get(key) is not None})
    overruled = []  # cut from the text by `understand`, but the user's own filter wins
    for item in found.found:
        if item["applied"] and ((item["type"] == "price" and user_price) or
                                (item["type"] == "area" and params.area_ids)):
            item.update(applied=False, reason=f"{item['type']} filter given")
            overruled.append(item["text"])
    kept = [item for item in found.found if item["applied"]]
    if not kept:
        return params, found.found
    changes["q"] = " ".join([found.text, *overruled]).strip()
    for item in kept:
        if item["type"] == "area" and found.area is not None:
            changes["area_ids"] = (found.area.id,)
        if item["type"] == "price" and found.currency is not None:
            changes.update({f"{name}_usd": None if value is None else
                            usd_bound(value, found.currency, params.syp_per_usd)
                            for name, value in (("price_min", found.price_min), ("price_max", found.price_max))})
            if currency_param is None:
                changes["currency"] = found.currency
    return dataclasses.replace(params, **changes), found.found


def trees() -> tuple[Tree, Tree]:
    """The category and area trees, reloaded at most every TREE_TTL_S seconds per process."""
    cache = current_app.extensions.setdefault("souq_search_trees", {})
    if cache and time.monotonic() - cache["loaded"] < TREE_TTL_S:
        return cache["categories"], cache["areas"]
    session = db()
    cache.update(categories=load_categories(session), areas=load_areas(session),
                 loaded=time.monotonic())
    return cache["categories"], cache["areas"]


def prepare(now: dt.datetime) -> tuple[SearchParams, list[dict[str, Any]], Tree, Tree]:
    categories, areas = trees()
    settings = resources().settings
    ctx = Context(categories, areas, settings.syp_per_usd, now, settings.secret_key)
    try:
        params = parse_search_args(request.args, categories, areas, ctx)
        understood: list[dict[str, Any]] = []
        if wants_understanding(request.args) and params.q:
            params, understood = apply_understanding(params, areas)
        check_cursor_fits(params)
    except BadParameter as exc:
        raise bad_parameter(exc) from exc
    return params, understood, categories, areas


def unavailable(exc: SearchUnavailable) -> ApiError:
    return ApiError(503, "search_unavailable", "search is unavailable, retry shortly",
                    headers={"Retry-After": "2"})


def rejected(exc: EngineRejected, bodies: list[dict[str, Any]]) -> ApiError:
    """A 400 naming the request value the engine refused; else the refusal is our bug (a 500)."""
    name = blamed_parameter(exc.reason, bodies, bool(request.args.get("q")))
    if name is None:
        log.error("the engine refused a search body built from valid parameters: %s", exc.reason)
        raise exc
    log.warning("the engine refused a search because of %s: %s", name, exc.reason)
    message = "the search engine cannot use this value"
    return ApiError(400, "bad_parameter", f"{name}: {message}", {name: message})


def execute(body: dict[str, Any]) -> dict[str, Any]:
    res = resources()
    try:
        return run_search(res.search_client, res.alias, body)
    except SearchUnavailable as exc:
        raise unavailable(exc) from exc
    except EngineRejected as exc:
        raise rejected(exc, [body]) from exc


def execute_msearch(searches: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """(header options, body) pairs in one `_msearch` round trip; errors as `execute` maps them."""
    res = resources()
    try:
        return run_msearch(res.search_client, res.alias, searches)
    except SearchUnavailable as exc:
        raise unavailable(exc) from exc
    except EngineRejected as exc:
        raise rejected(exc, [body for _, body in searches]) from exc


def hits_and_facets(params: SearchParams) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The page of hits and, when they go in a request of their own, the facet aggregations.

    Both bodies travel in one `_msearch`, so the facets cost no second round
    trip; the facets search stays cacheable (size 0, no clock in the body).
    """
    if not splits_facets(params):
        return execute(build_search_body(params)), None
    result, facets = execute_msearch([({}, build_search_body(dataclasses.replace(params, facets=False))),
                                      ({}, facets_body(params))])
    return result, facets["aggregations"]


def relaxed_retry(params: SearchParams, strict_total: int
                  ) -> tuple[tuple[SearchParams, dict[str, Any]] | None, str | None]:
    """Looser matching (most words, then misspellings) when the strict query found too few.

    The did-you-mean suggester rides on the first retry request, so that its
    cost is paid only on this rare path. Returns the better (params, result),
    if any, and the suggestion.
    """
    if not params.q or params.search_after is not None:
        return None, None
    suggestion: str | None = None
    modes = ("any", "fuzzy") if len(params.q.split()) > 1 else ("fuzzy",)
    for attempt, mode in enumerate(modes):
        relaxed = dataclasses.replace(params, match_mode=mode, did_you_mean=attempt == 0)
        split = splits_facets(relaxed)  # facets are counted once the mode is chosen
        result = execute(build_search_body(dataclasses.replace(relaxed, facets=False) if split else relaxed))
        if attempt == 0:
            suggestion = read_did_you_mean(result, params.q)
        if result["hits"]["total"]["value"] > strict_total:
            return (dataclasses.replace(relaxed, did_you_mean=False), result), suggestion
    return None, suggestion


def reanchor(params: SearchParams) -> SearchParams:
    """A relevance cursor continues after its anchor hit's current score (see anchor_body)."""
    body = anchor_body(params)
    if body is None or params.search_after is None:
        return params
    hits = execute(body)["hits"]["hits"]
    if not hits or hits[0].get("_score") is None:
        return params  # the anchor ad is gone: its stored score is the best we have
    return dataclasses.replace(params, search_after=(hits[0]["_score"], *params.search_after[1:]))


def next_cursor(params: SearchParams, hits: list[dict[str, Any]], total: int) -> str | None:
    offset = 0 if params.search_after is not None else (params.page - 1) * params.size
    if len(hits) < params.size or (params.search_after is None and offset + len(hits) >= total):
        return None
    now = params.now or dt.datetime.now(dt.timezone.utc)
    cursor = Cursor(params.sort, tuple(hits[-1]["sort"]), now, cursor_digest(request.args),
                    params.match_mode)
    return encode_cursor(cursor, resources().settings.secret_key)


@api.get("/search")
def search() -> Response:
    params, understood, categories, areas = prepare(dt.datetime.now(dt.timezone.utc))
    params = reanchor(params)
    split = splits_facets(params)
    # Facets for the strict matching ride along; a relaxed retry that wins recounts them below.
    result, aggregations = hits_and_facets(params)
    total = result["hits"]["total"]["value"]
    relaxed: dict[str, Any] | None = None
    suggestion: str | None = None
    if params.match_mode != "all":
        relaxed = {"mode": params.match_mode, "strict_total": None}  # a relaxed search, continued
    elif params.q and total < FEW_RESULTS:
        retry, suggestion = relaxed_retry(params, total)
        if retry is not None:
            params, result = retry
            relaxed = {"mode": params.match_mode, "strict_total": total}
            # Counted for the matching finally shown (the relaxed one), in a cacheable request.
            aggregations = execute(facets_body(params))["aggregations"] if split else None
    hits = result["hits"]["hits"]
    return jsonify({
        "total": result["hits"]["total"]["value"],
        "page": params.page,
        "size": params.size,
        "sort": params.sort,
        "results": [hit_view(hit, params, categories, areas) for hit in fold_copies(hits)],
        "next_cursor": next_cursor(params, hits, result["hits"]["total"]["value"]),
        "facets": read_facets(aggregations or result["aggregations"], params, categories, areas)
        if params.facets else None,
        "understood": understood,
        "undo": {"understand": "0"} if any(item["applied"] for item in understood) else None,
        "query": params.q,
        "did_you_mean": suggestion,
        "relaxed": relaxed,
        "ignored_words": ignored_words(params.q) or None,
    })


@api.get("/search/clusters")
def clusters() -> Response:
    """Map clusters: counts and a representative point per geotile cell, same filters as /search."""
    params, understood, _, _ = prepare(dt.datetime.now(dt.timezone.utc))
    try:
        bbox = parse_bbox(request.args, required=True)
        zoom = parse_zoom(request.args)
    except BadParameter as exc:
        raise bad_parameter(exc) from exc
    assert bbox is not None
    unscored = dataclasses.replace(params, sort="newest")
    body = {"size": 0, "track_total_hits": True,
            "query": scored_query(unscored, all_filters(unscored)),
            "aggs": clusters_aggs(zoom, bbox)}
    result = execute(body)
    return jsonify({"total": result["hits"]["total"]["value"], "zoom": zoom,
                    "clusters": read_clusters(result["aggregations"]), "understood": understood})
