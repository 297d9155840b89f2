"""The OpenAPI document is generated from the models that validate: no drift, no dangling refs (pure)."""

from __future__ import annotations

import json
import re

from service.api.openapi import openapi_document
from service.search.geo import MAX_ZOOM
from service.search.params import MAX_DEPTH, MAX_RADIUS_KM, ClustersQuery, SearchQuery
from service.search.query import MAX_PAGE_SIZE, SORTS


def parameters(path: str) -> dict[str, dict]:
    return {p["name"]: p for p in openapi_document()["paths"][path]["get"]["parameters"]}


def test_search_parameters_are_the_models_fields_with_their_bounds():
    search = parameters("/search")
    assert set(search) == set(SearchQuery.model_fields)
    assert search["size"]["schema"]["maximum"] == MAX_PAGE_SIZE
    assert search["page"]["schema"]["maximum"] == MAX_DEPTH
    assert search["radius_km"]["schema"] == {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM}
    assert search["sort"]["schema"]["enum"] == list(SORTS)
    assert search["category"]["schema"]["type"] == "array"
    assert search["price_min"]["schema"]["type"] == "number"
    assert all(p["description"] and not p["required"] for p in search.values())


def test_clusters_require_box_and_zoom():
    clusters = parameters("/search/clusters")
    assert set(clusters) == set(ClustersQuery.model_fields)
    assert {name for name, p in clusters.items() if p["required"]} == {"bbox", "zoom"}
    assert clusters["zoom"]["schema"]["maximum"] == MAX_ZOOM and clusters["bbox"]["schema"]["type"] == "string"


def test_query_parameters_are_never_null_and_every_ref_resolves():
    document = openapi_document()
    for path in ("/search", "/search/clusters"):
        assert '"null"' not in json.dumps(parameters(path)), path
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs and refs <= set(schemas), refs - set(schemas)
