"""OpenAPI path items for the search endpoints (merged into /api/v1/openapi.json).

Owned by the search module: whoever changes the search parameters or the
result shape updates this file in the same change.
"""

from __future__ import annotations

from typing import Any

from service.search.params import MAX_DEPTH, MAX_QUERY_CHARS, SORTS
from service.search.query import MAX_PAGE_SIZE

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_SLUGS = {"type": "string", "description": "One slug or several separated by commas"}
_HIT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
        "score": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        "highlight": {"type": "object"},
    },
    "required": ["id", "slug", "title"],
}

SEARCH_PATHS: dict[str, Any] = {
    "/search": {"get": {
        "summary": "Full-text search over active ads (Arabic spelling variants forgiven)",
        "parameters": [
            {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH}},
            {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
            {"name": "sort", "in": "query", "schema": {"enum": list(SORTS)}},
            {"name": "category", "in": "query", "schema": _SLUGS},
            {"name": "area", "in": "query", "schema": _SLUGS},
        ],
        "responses": {
            "200": {"description": "A page of results", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "total": {"type": "integer"}, "page": {"type": "integer"},
                    "size": {"type": "integer"}, "results": {"type": "array", "items": _HIT},
                },
                "required": ["total", "page", "size", "results"],
            }}}},
            "400": {"description": "A parameter is invalid (named in error.fields)"} | _ERROR,
        },
    }},
}
