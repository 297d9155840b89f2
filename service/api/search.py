"""GET /api/v1/search and /search/clusters: parse the query string, run the search use case
(service.search.run), render its result as JSON from `_source`."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from core.search_errors import SearchUnavailable
from core.taxonomy import Tree
from search_config import fields as F
from service.api import api
from service.api.wire import bad_parameter
from service.clock import now
from service.errors import error_response
from service.resources import resources, trees
from service.search.geo import hit_distance_km
from service.search.params import (
    BadParameter,
    Context,
    cursor_digest,
    parse_bbox,
    parse_search_args,
    parse_zoom,
    wants_understanding,
)
from service.search.query import RESULT_FIELDS, SearchParams
from service.search.run import Continuation, find_ads, find_clusters
from service.tree_cache import Trees


@api.errorhandler(SearchUnavailable)
def unavailable(_exc: SearchUnavailable) -> Response:
    """Any API route that searches: an engine outage is a 503 the client may retry."""
    response = error_response(503, "search_unavailable", "search is unavailable, retry shortly")
    response.headers["Retry-After"] = "2"
    return response


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



def parsed() -> tuple[SearchParams, Trees]:
    """The request's parameters (BadParameter for any invalid one) and the trees they name."""
    current = trees()
    settings = resources().settings
    ctx = Context(current.categories, current.areas, settings.syp_per_usd, now(), settings.secret_key)
    return parse_search_args(request.args, current.categories, current.areas, ctx), current


@api.get("/search")
def search() -> Response:
    try:
        params, current = parsed()
        found = find_ads(params, resources().search_gateway, current,
                         understanding=wants_understanding(request.args), currency=request.args.get("currency"),
                         continuation=Continuation(cursor_digest(request.args), resources().settings.secret_key))
    except BadParameter as exc:
        raise bad_parameter(exc) from exc
    final = found.params
    return jsonify({
        "total": found.total,
        "page": final.page,
        "size": final.size,
        "sort": final.sort,
        "results": [hit_view(hit, final, current.categories, current.areas) for hit in found.hits],
        "next_cursor": found.next_cursor,
        "facets": found.facets,
        "understood": list(found.understood),
        "undo": {"understand": "0"} if any(item["applied"] for item in found.understood) else None,
        "query": final.q,
        "did_you_mean": found.did_you_mean,
        "relaxed": None if found.relaxed is None else {"mode": found.relaxed.mode,
                                                       "strict_total": found.relaxed.strict_total},
        "ignored_words": list(found.ignored_words) or None,
    })


@api.get("/search/clusters")
def clusters() -> Response:
    """Map clusters: counts and a representative point per geotile cell, same filters as /search."""
    try:
        params, current = parsed()
        bbox = parse_bbox(request.args, required=True)
        zoom = parse_zoom(request.args)
        assert bbox is not None
        found = find_clusters(params, resources().search_gateway, current, zoom, bbox,
                              understanding=wants_understanding(request.args),
                              currency=request.args.get("currency"))
    except BadParameter as exc:
        raise bad_parameter(exc) from exc
    return jsonify({"total": found.total, "zoom": found.zoom, "clusters": list(found.clusters),
                    "understood": list(found.understood)})
