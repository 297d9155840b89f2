"""OpenAPI path items for the search endpoints (merged into /api/v1/openapi.json).

Owned by the search module: whoever changes the search parameters or the
result shape updates this file in the same change.
"""

from __future__ import annotations

from typing import Any

from core.models import CONDITIONS
from core.money import CURRENCIES
from service.search.geo import MAX_ZOOM
from service.search.params import MAX_DEPTH, MAX_POSTED_WITHIN_DAYS, MAX_QUERY_CHARS, MAX_RADIUS_KM
from service.search.query import MAX_PAGE_SIZE, SORTS
from service.search.suggest import MAX_SUGGEST_CHARS
from service.search.text_bounds import MAX_QUERY_WORDS

Schema = dict[str, Any]
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
STRING, INTEGER, NUMBER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def _param(name: str, schema: Schema, description: str, required: bool = False) -> Schema:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


_BOOL = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}
_BBOX = _param("bbox", STRING, "Map box `west,south,east,north` in degrees")
FILTER_PARAMS = [
    _param("q", {"type": "string", "maxLength": MAX_QUERY_CHARS},
           "Free text (Arabic, English, digits); empty = browse"),
    _param("category", STRING, "Category slug(s), comma-separated or repeated; includes subcategories"),
    _param("area", STRING, "Area slug(s), comma-separated or repeated; includes descendants"),
    _param("price_min", {"type": "number", "minimum": 0}, "Lowest price (inclusive), in `currency`"),
    _param("price_max", {"type": "number", "minimum": 0}, "Highest price (inclusive), in `currency`"),
    _param("currency", {"enum": list(CURRENCIES)},
           "Currency of price_min/price_max and of the price facet (default SYP)"),
    _param("condition", STRING, f"One or more of {', '.join(CONDITIONS)}"),
    _param("has_images", _BOOL, "Only ads with (true) or without (false) images"),
    _param("posted_within", {"type": "integer", "minimum": 1, "maximum": MAX_POSTED_WITHIN_DAYS},
           "Only ads posted in the last N days"),
    _param("lat", {"type": "number", "minimum": -90, "maximum": 90}, "Latitude of the user's point"),
    _param("lon", {"type": "number", "minimum": -180, "maximum": 180}, "Longitude of the user's point"),
    _param("radius_km", {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
           "Only ads within this distance of lat/lon"),
    _param("understand", _BOOL, "Detect prices and places written in q (default on)"),
]
SEARCH_PARAMS = FILTER_PARAMS + [
    _BBOX,
    _param("sort", {"enum": list(SORTS)}, "Order; `distance` needs lat/lon"),
    _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH},
           f"Page number; page x size must stay within {MAX_DEPTH}"),
    _param("size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}, "Results per page"),
    _param("cursor", STRING, "Opaque next_cursor of the previous response (deep paging)"),
    _param("facets", _BOOL, "Include facet counts (default on)"),
]

_LOCATION = _nullable(_obj({"lat": NUMBER, "lon": NUMBER}))
HIT = _obj({
    "id": INTEGER, "slug": STRING, "title": STRING, "price_amount": _nullable(NUMBER),
    "currency": STRING, "negotiable": BOOLEAN, "condition": _nullable(STRING),
    "category_id": INTEGER, "area_id": INTEGER, "images": {"type": "array", "items": STRING},
    "has_images": BOOLEAN, "created_at": STRING, "location": _LOCATION, "location_precise": BOOLEAN,
    "score": _nullable(NUMBER),
    "highlight": {"type": "object", "description": "HTML fragments: only <mark> tags, all else escaped",
                  "additionalProperties": {"type": "array", "items": STRING}},
    "distance_km": _nullable(NUMBER),
    "category": _obj({"slug": STRING, "name_ar": STRING, "name_en": STRING}),
    "area": _obj({"slug": STRING, "name_ar": STRING, "name_en": STRING}),
}, required=["id", "slug", "title", "highlight"])
FACET_NODE: Schema = {"type": "object", "properties": {
    "slug": STRING, "name_ar": STRING, "name_en": STRING, "count": INTEGER, "selected": BOOLEAN,
    "children": {"type": "array", "items": {"type": "object"}}},
    "required": ["slug", "count", "selected", "children"]}
FACETS = _nullable(_obj({
    "category": {"type": "array", "items": FACET_NODE},
    "area": {"type": "array", "items": FACET_NODE},
    "price": {"type": "array", "items": _obj({
        "key": STRING, "price_min": INTEGER, "price_max": _nullable(INTEGER), "currency": STRING,
        "count": INTEGER, "selected": BOOLEAN})},
    "condition": {"type": "array", "items": _obj({"value": STRING, "count": INTEGER, "selected": BOOLEAN})},
}))
UNDERSTOOD = {"type": "array", "items": {"type": "object", "properties": {
    "type": {"enum": ["price", "area"]}, "text": STRING, "applied": BOOLEAN, "reason": STRING,
    "price_min": _nullable(NUMBER), "price_max": _nullable(NUMBER), "currency": _nullable(STRING),
    "area": STRING, "name_ar": STRING, "name_en": STRING}, "required": ["type", "text", "applied"]}}
SEARCH_RESULT = _obj({
    "total": INTEGER, "page": INTEGER, "size": INTEGER, "sort": STRING,
    "results": {"type": "array", "items": HIT}, "next_cursor": _nullable(STRING), "facets": FACETS,
    "understood": UNDERSTOOD, "undo": _nullable({"type": "object"}), "query": STRING,
    "did_you_mean": _nullable(STRING),
    "relaxed": _nullable(_obj({"mode": {"enum": ["any", "fuzzy"]}, "strict_total": _nullable(INTEGER)})),
    "ignored_words": _nullable({"type": "array", "items": STRING,
                                "description": f"words of q beyond the first {MAX_QUERY_WORDS}, left out of the search"}),
})
CLUSTERS = _obj({"total": INTEGER, "zoom": INTEGER, "understood": UNDERSTOOD,
                 "clusters": {"type": "array", "items": _obj({
                     "key": STRING, "count": INTEGER, "lat": _nullable(NUMBER), "lon": _nullable(NUMBER),
                     "bounds": _obj({"west": NUMBER, "south": NUMBER, "east": NUMBER, "north": NUMBER})})}})
SUGGESTIONS = _obj({"query": STRING, "titles": {"type": "array", "items": STRING},
                    "categories": {"type": "array", "items": _obj({
                        "slug": STRING, "name_ar": STRING, "name_en": STRING})}})


def _responses(description: str, schema: Schema) -> Schema:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"description": "A parameter is invalid (named in error.fields)"} | _ERROR,
        "503": {"description": "Search is temporarily unavailable"} | _ERROR,
    }


SEARCH_PATHS: dict[str, Any] = {
    "/search": {"get": {
        "summary": "Search active ads: text, filters, geo, sorting, facets, paging",
        "parameters": SEARCH_PARAMS,
        "responses": _responses("A page of results with facets", SEARCH_RESULT),
    }},
    "/search/clusters": {"get": {
        "summary": "Map clusters (geotile cells with counts and a centroid), same filters as /search",
        "parameters": FILTER_PARAMS + [
            {**_BBOX, "required": True},
            _param("zoom", {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}, "Map zoom level",
                   required=True),
        ],
        "responses": _responses("Clusters", CLUSTERS),
    }},
    "/suggest": {"get": {
        "summary": "Search-box completions: ad titles and category names",
        "parameters": [
            _param("q", {"type": "string", "maxLength": MAX_SUGGEST_CHARS}, "What was typed so far"),
            _param("size", {"type": "integer", "minimum": 1, "maximum": 20}, "How many of each kind"),
        ],
        "responses": _responses("Completions", SUGGESTIONS),
    }},
}
