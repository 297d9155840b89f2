"""GET /api/v1/search: parameters -> pure query builder -> gateway -> results from `_source`."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from core.taxonomy import load_areas, load_categories
from service.api import api
from service.errors import ApiError
from service.resources import db, resources
from service.search.gateway import run_search
from service.search.params import BadParameter, parse_search_args
from service.search.query import build_search_body
from search_config import fields as F

PUBLIC_FIELDS = (F.ID, F.SLUG, F.TITLE, F.PRICE_AMOUNT, F.CURRENCY, F.NEGOTIABLE, F.CONDITION,
                 F.CATEGORY_ID, F.AREA_ID, F.IMAGES, F.CREATED_AT, F.LOCATION_PRECISE)


def hit_view(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit["_source"]
    view = {name: source.get(name) for name in PUBLIC_FIELDS}
    view["score"] = hit.get("_score")
    view["highlight"] = hit.get("highlight", {})
    return view


@api.get("/search")
def search() -> Response:
    session = db()
    try:
        params = parse_search_args(request.args, load_categories(session), load_areas(session))
    except BadParameter as exc:
        raise ApiError(400, "bad_parameter", f"{exc.name}: {exc}", {exc.name: str(exc)}) from exc
    res = resources()
    result = run_search(res.search_client, res.alias, build_search_body(params))
    hits = result["hits"]
    return jsonify({
        "total": hits["total"]["value"],
        "page": params.page,
        "size": params.size,
        "results": [hit_view(hit) for hit in hits["hits"]],
    })
