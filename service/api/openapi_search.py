"""OpenAPI path items for the search endpoints (merged into /api/v1/openapi.json).

The query parameters of /search and /search/clusters are generated from the
pydantic models that validate them (service.search.params), so their bounds
and descriptions cannot drift from the parsing. Written by hand, and why:
the result shapes (the views build plain dicts from the engine's answer; no
response model exists to generate them from) and /suggest's two parameters
(its view reads them itself). Whoever changes those updates this file in the
same change.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from service.search.params import ClustersQuery, SearchQuery
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


def query_parameters(model: type[BaseModel]) -> list[Schema]:
    """One query parameter per field of `model`, from pydantic's JSON schema of it.

    A query string has no null: an absent parameter is the model's None, so
    an optional field's `anyOf [X, null]` becomes X (for a price, pydantic's
    number branch, the first). Arrays keep OpenAPI's default form style:
    repeated parameters, which the parser takes as it takes commas.
    """
    schema = model.model_json_schema()
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        field = dict(field)
        description = field.pop("description", "")
        field.pop("title", None)
        branches = [branch for branch in field.pop("anyOf", []) if branch.get("type") != "null"]
        if branches:
            field |= branches[0]
        if field.get("default", 0) is None:
            del field["default"]
        parameters.append(_param(name, field, description, required=name in required))
    return parameters


SEARCH_PARAMS = query_parameters(SearchQuery)
CLUSTERS_PARAMS = query_parameters(ClustersQuery)
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
    "ignored_words": _nullable({
        "type": "array", "items": STRING,
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
        "parameters": CLUSTERS_PARAMS,
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
