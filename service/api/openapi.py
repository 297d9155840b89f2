"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of every endpoint under /api/v1.

Generated from the pydantic models that validate, so the document cannot
drift from the validation: the request bodies (core.ad_input's AdCreate,
AdUpdate, ReportCreate, ModerationReason, as components) and the search
query parameters (openapi_search, from service.search.params' models).
Plain pydantic JSON schema does it with `ref_template`; a library such as
apispec would add a dependency to reach the same dictionaries.

Written by hand, and why: the responses, because the views render plain
dicts (ad_view and its kin) and no response model exists to generate them
from; the path, header and operator paging parameters, which the views read
themselves. Each sits next to the constants it repeats.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Response, jsonify
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from core.ad_input import AdCreate, AdUpdate, ModerationReason, ReportCreate
from core.models import OPERATOR_ACTIONS, REPORT_REASONS, AdStatus
from core.money import CURRENCIES
from service.api import api
from service.api.openapi_search import SEARCH_PATHS
from service.api.wire import MAX_PAGE, MAX_PAGE_SIZE, OPERATOR_HEADER, TOKEN_HEADER

REF = "#/components/schemas/{model}"
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": REF.format(model=name)}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}


def obj(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


NODE = obj({"id": INTEGER, "slug": STRING, "name_ar": STRING, "name_en": STRING,
            "path": {"type": "array", "items": STRING}})
AD_FIELDS: dict[str, Schema] = {
    "id": INTEGER, "slug": STRING, "title": STRING, "description": STRING,
    "category": ref("Node"), "area": ref("Node"),
    "location": obj({"lat": {"type": "number"}, "lon": {"type": "number"},
                     "approximate": BOOLEAN, "from_area": BOOLEAN}),
    "price": nullable(obj({"amount": STRING, "currency": {"enum": list(CURRENCIES)}})),
    "currency": {"enum": list(CURRENCIES)}, "negotiable": BOOLEAN,
    "condition": nullable({"enum": ["new", "used"]}),
    "images": {"type": "array", "items": STRING},
    # null once the ad is no longer active (only its owner still sees them)
    "contact_name": nullable(STRING), "contact_phone_masked": nullable(STRING),
    "status": {"enum": list(AdStatus)},
    "created_at": DATETIME, "updated_at": DATETIME, "expires_at": DATETIME,
    "version": {"type": "integer", "minimum": 1},
}
TREE_NODE = obj({
    "slug": STRING, "name_ar": STRING, "name_en": STRING,
    "kind": {"enum": ["governorate", "city", "neighbourhood"]},
    "lat": {"type": "number"}, "lon": {"type": "number"},
    "alt_names": {"type": "array", "items": STRING},
    "children": {"type": "array", "items": ref("TreeNode")},
}, required=["slug", "name_ar", "name_en", "children"])
REPORT = obj({"id": INTEGER, "ad_id": INTEGER, "reason": {"enum": list(REPORT_REASONS)},
              "note": STRING, "created_at": DATETIME})
OPERATOR_ACTION = obj({"id": INTEGER, "operator": STRING, "action": {"enum": list(OPERATOR_ACTIONS)},
                       "ad_id": nullable(INTEGER), "reason": STRING, "created_at": DATETIME})
ERROR = obj({"error": obj({"code": STRING, "message": STRING,
                           "fields": {"type": "object", "additionalProperties": STRING}})})

HAND_WRITTEN: dict[str, Schema] = {
    "Error": ERROR,
    "Node": NODE,
    "Ad": obj(AD_FIELDS),
    "CreatedAd": obj(AD_FIELDS | {"management_token": {"type": "string", "minLength": 22},
                                  "manage_url": STRING}),
    "Contact": obj({"id": INTEGER, "contact_name": STRING, "contact_phone": STRING}),
    "Report": REPORT,
    "ReportList": obj({
        "total": INTEGER, "page": INTEGER, "size": INTEGER,
        "reports": {"type": "array", "items": {"allOf": [ref("Report"), obj({"ad": obj({
            "id": INTEGER, "slug": STRING, "title": STRING, "status": {"enum": list(AdStatus)},
            "version": INTEGER})})]}},
    }),
    "OperatorAction": OPERATOR_ACTION,
    "ModeratedAd": obj(AD_FIELDS | {"operator_action": ref("OperatorAction")}),
    "ActionList": obj({"total": INTEGER, "page": INTEGER, "size": INTEGER,
                       "actions": {"type": "array", "items": ref("OperatorAction")}}),
    "TreeNode": TREE_NODE,
}

ERROR_TEXT = {
    400: "Malformed request (not JSON, not an object, bad parameter)",
    401: "Token missing", 403: "Token wrong", 404: "No such ad (or hidden)",
    409: ("Not possible in the ad's current status; on posting, code `duplicate`: this phone already "
          "has a live ad with (nearly) this title and description"), 413: "Body too large",
    415: "Body is not application/json", 422: "Invalid fields (named in error.fields)",
    429: "Rate limited; retry after the Retry-After seconds",
}


def json_content(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


def responses(ok: int, schema: str, *errors: int) -> Schema:
    """The success response plus each error status with the shared error body."""
    out: Schema = {str(ok): {"description": "Success", "content": json_content(ref(schema))}}
    for status in errors:
        out[str(status)] = {"description": ERROR_TEXT[status], "content": json_content(ref("Error"))}
        if status == 429:
            out[str(status)]["headers"] = {"Retry-After": {"schema": INTEGER}}
    return out


def body(model: str, example: Schema | None = None) -> Schema:
    content = json_content(ref(model))
    if example is not None:
        content["application/json"]["example"] = example
    return {"required": True, "content": content}


def header(name: str, description: str) -> Schema:
    return {"name": name, "in": "header", "required": False, "description": description,
            "schema": STRING}


def page_param(name: str, high: int) -> Schema:
    return {"name": name, "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": high}}


REF_PARAM = {"name": "ref", "in": "path", "required": True, "schema": STRING,
             "description": "The ad's public slug (its numeric id too, with a management or operator token)"}
MANAGE = header(TOKEN_HEADER, "The management token returned when the ad was posted")
OPERATOR = header(OPERATOR_HEADER, "An operator's token, as configured by name in SOUQ_OPERATOR_TOKENS")
BODY_ERRORS = (400, 413, 415, 422)
EXAMPLE_AD = {"title": "سيارة تويوتا كامري 2018", "description": "بحالة ممتازة",
              "category": "cars", "area": "damascus-city", "price": "١٥٠٠٠", "currency": "USD",
              "contact_name": "أبو أحمد", "contact_phone": "0944 123 456"}


def ad_paths() -> dict[str, Schema]:
    owner = [REF_PARAM, MANAGE]
    return {
        "/ads": {"post": {
            "summary": "Post an ad (no account); returns the one-time management token",
            "requestBody": body("AdCreate", EXAMPLE_AD),
            "responses": responses(201, "CreatedAd", *BODY_ERRORS, 409, 429)}},
        "/ads/{ref}": {
            "get": {"summary": "One ad (phone masked)", "parameters": [REF_PARAM],
                    "responses": responses(200, "Ad", 404)},
            "patch": {"summary": "Change some fields (owner)", "parameters": owner,
                      "requestBody": body("AdUpdate", {"price": "14000"}),
                      "responses": responses(200, "Ad", *BODY_ERRORS, 401, 403, 404)},
            "delete": {"summary": "Withdraw the ad (owner; idempotent)", "parameters": owner,
                       "responses": responses(200, "Ad", 401, 403, 404)}},
        "/ads/{ref}/renew": {"post": {
            "summary": "Extend an active or expired ad (owner)", "parameters": owner,
            "responses": responses(200, "Ad", 401, 403, 404, 409)}},
        "/ads/{ref}/contact": {"post": {
            "summary": "Reveal the full phone of an active ad", "parameters": [REF_PARAM],
            "responses": responses(200, "Contact", 404, 409, 429)}},
        "/ads/{ref}/reports": {"post": {
            "summary": "Flag an ad for moderators", "parameters": [REF_PARAM],
            "requestBody": body("ReportCreate", {"reason": "fraud", "note": "طلب دفعة مقدماً"}),
            "responses": responses(201, "Report", *BODY_ERRORS, 404, 429)}},
    }


def operator_paths() -> dict[str, Schema]:
    def action(summary: str, answer: str) -> Schema:
        return {"post": {
            "summary": summary + "; the reason goes to the audit log with the operator's name",
            "parameters": [REF_PARAM, OPERATOR],
            "requestBody": body("ModerationReason", {"reason": "احتيال: يطلب دفعة مقدماً"}),
            "responses": responses(200, answer, *BODY_ERRORS, 401, 403, 404, 409)}}

    paging = [OPERATOR, page_param("page", MAX_PAGE), page_param("size", MAX_PAGE_SIZE)]
    return {
        "/operator/ads/{ref}/hide": action("Hide an ad from everyone", "ModeratedAd"),
        "/operator/ads/{ref}/unhide": action("Restore a hidden ad", "ModeratedAd"),
        "/operator/ads/{ref}/dismiss": action(
            "Settle the ad's open reports without changing it (409 when none are open)", "OperatorAction"),
        "/operator/reports": {"get": {
            "summary": "Reports, newest first", "parameters": paging,
            "responses": responses(200, "ReportList", 400, 401, 403)}},
        "/operator/actions": {"get": {
            "summary": "The audit log of operator actions, newest first", "parameters": paging,
            "responses": responses(200, "ActionList", 400, 401, 403)}},
    }


def reference_paths() -> dict[str, Schema]:
    def tree(key: str) -> Schema:
        schema = obj({key: {"type": "array", "items": ref("TreeNode")}})
        return {"get": {"summary": f"The {key} tree", "responses": {
            "200": {"description": "Success", "content": json_content(schema)}}}}

    return {
        "/categories": tree("categories"),
        "/areas": tree("areas"),
        "/health": {"get": {"summary": "Liveness", "responses": {
            "200": {"description": "Up", "content": json_content(obj({"status": STRING}))}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {
            "200": {"description": "OpenAPI 3.1", "content": json_content({"type": "object"})}}}},
    }


def component_schemas() -> dict[str, Schema]:
    """Pydantic's schemas for the request bodies, placed under components/schemas."""
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (model, "validation") for model in (AdCreate, AdUpdate, ReportCreate, ModerationReason)]
    _, defs = models_json_schema(models, ref_template=REF)
    return defs["$defs"] | HAND_WRITTEN


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """Built once per process: it depends on code only, never on data."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Souq API", "version": "1",
                 "description": "سوق: free local classified ads. Errors share one body: "
                                "{\"error\": {\"code\", \"message\", \"fields\"}}."},
        "servers": [{"url": "/api/v1"}],
        "paths": ad_paths() | operator_paths() | reference_paths() | SEARCH_PATHS,
        "components": {"schemas": component_schemas()},
    }


@api.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi_document())
