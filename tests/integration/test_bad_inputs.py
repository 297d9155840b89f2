"""Hand-written bad inputs: each gets its documented 4xx, the JSON error body, and the field named.

A 5xx for anything a client can send is a bug, so the cases lean on what
breaks naive code: odd encodings, absurd numbers, NUL bytes, deep nesting.
"""

from __future__ import annotations

import json
import secrets

import pytest

from service.app import create_app

AD = {
    "title": "دراجة هوائية جبلية",
    "category": "cars",
    "area": "damascus-city",
    "contact_name": "سامر",
    "contact_phone": "0933111222",
}
J = "application/json"


@pytest.fixture(scope="module")
def owned(app):
    body = app.test_client().post("/api/v1/ads", json=AD).get_json()
    return body["slug"], {"X-Manage-Token": body["management_token"]}


def raw(payload) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


# (name, method, path, content type, body, status, field named in error.fields or None)
CREATE = [
    ("unknown field", AD | {"status": "active"}, 422, "status"),
    ("unknown nested-looking field", AD | {"price.amount": 5}, 422, "price.amount"),
    ("title too short", AD | {"title": "ab"}, 422, "title"),
    ("title only control chars", AD | {"title": "\x00\x01\x02\x03"}, 422, "title"),
    ("title too long", AD | {"title": "س" * 121}, 422, "title"),
    ("title is a number", AD | {"title": 12345}, 422, "title"),
    ("title is an object", AD | {"title": {"ar": "x"}}, 422, "title"),
    ("description too long", AD | {"description": "x" * 5001}, 422, "description"),
    ("negative price", AD | {"price": -5}, 422, "price"),
    ("price above the maximum", AD | {"price": 10**13}, 422, "price"),
    ("price is a huge int", AD | {"price": int("9" * 4000)}, 422, "price"),
    ("price NaN literal", b'{"title":"abc d","category":"cars","area":"damascus-city","contact_name":"ab",'
                          b'"contact_phone":"0933111222","price":NaN}', 422, "price"),
    ("price Infinity literal", raw(AD)[:-1] + b',"price":Infinity}', 422, "price"),
    ("price words", AD | {"price": "خمسة آلاف"}, 422, "price"),
    ("price boolean", AD | {"price": True}, 422, "price"),
    ("currency not allowed", AD | {"currency": "EUR"}, 422, "currency"),
    ("lat out of range", AD | {"lat": 91, "lon": 36}, 422, "lat"),
    ("lon out of range", AD | {"lat": 33, "lon": -181}, 422, "lon"),
    ("lat 1e999 overflows to inf", raw(AD)[:-1] + b',"lat":1e999,"lon":1}', 422, "lat"),
    ("lat without lon", AD | {"lat": 33.5}, 422, "lon"),
    ("lat is a list", AD | {"lat": [33], "lon": 36}, 422, "lat"),
    ("unknown category", AD | {"category": "spaceships"}, 422, "category"),
    ("parent category", AD | {"category": "vehicles"}, 422, "category"),
    ("category with NUL", AD | {"category": "ca\u0000rs"}, 422, "category"),
    ("category is null", AD | {"category": None}, 422, "category"),
    ("governorate as area", AD | {"area": "damascus"}, 422, "area"),
    ("area with a lone surrogate", raw(AD)[:-1] + b',"area":"\\ud800"}', 422, "area"),
    ("phone with letters", AD | {"contact_phone": "call me maybe"}, 422, "contact_phone"),
    ("phone too short", AD | {"contact_phone": "١٢٣"}, 422, "contact_phone"),
    ("contact name missing", {k: v for k, v in AD.items() if k != "contact_name"}, 422, "contact_name"),
    ("condition unknown", AD | {"condition": "broken"}, 422, "condition"),
    ("too many images", AD | {"images": ["a.jpg"] * 11}, 422, "images"),
    ("javascript image", AD | {"images": ["javascript:alert(1)"]}, 422, "images"),
    ("javascript image in mixed case", AD | {"images": ["JaVaScRiPt:alert(1)"]}, 422, "images"),
    ("image on another host by backslash", AD | {"images": ["/\\evil.example/x.png"]}, 422, "images"),
    ("image on another host", AD | {"images": ["//evil.example/x.png"]}, 422, "images"),
    ("image leaving its folder", AD | {"images": ["/static/../../etc/passwd"]}, 422, "images"),
    ("image not a string", AD | {"images": [{"src": "a"}]}, 422, "images.0"),
    ("deeply nested junk", AD | {"images": [[[[[[["x"]]]]]]]}, 422, "images.0"),
    ("negotiable not boolean", AD | {"negotiable": "maybe"}, 422, "negotiable"),
    ("unknown key with surrogate", raw(AD)[:-1] + b',"\\udfff":1}', 422, None),
    ("body is a list", [AD], 400, "body"),
    ("body is a string", "an ad", 400, "body"),
    ("body is null", None, 400, "body"),
    ("empty body", b"", 400, "body"),
    ("truncated JSON", b'{"title": "abc', 400, "body"),
    ("bad UTF-8", b'{"title": "\xff\xfe\xfa"}', 400, "body"),
    ("nesting beyond recursion", b"[" * 100_000 + b"]" * 100_000, 400, "body"),
]


@pytest.mark.parametrize("name, payload, status, field", CREATE, ids=[c[0] for c in CREATE])
def test_create_rejects(client, name, payload, status, field):
    response = client.post("/api/v1/ads", data=raw(payload), content_type=J)
    assert response.status_code == status, (name, response.get_json())
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    if field is not None:
        assert field in error["fields"], (name, error)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_create_requires_json(client, content_type):
    response = client.post("/api/v1/ads", data=raw(AD), content_type=content_type)
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"


def test_body_too_large_is_413_json(client, test_settings):
    big = AD | {"description": "x" * (test_settings.max_request_bytes + 10)}
    response = client.post("/api/v1/ads", data=raw(big), content_type=J)
    assert response.status_code == 413 and response.get_json()["error"]["code"]


PATCHES: list[tuple[dict[str, object], int, str]] = [
    ({}, 422, "body"),
    ({"title": None}, 422, "title"),
    ({"contact_phone": None}, 422, "contact_phone"),
    ({"currency": None}, 422, "currency"),
    ({"category": "real-estate"}, 422, "category"),
    ({"version": 99}, 422, "version"),
    ({"status": "active"}, 422, "status"),
    ({"token_hash": "0" * 64}, 422, "token_hash"),
    ({"price": "1e400"}, 422, "price"),
    ({"lon": 36.3}, 422, "lon"),
]


@pytest.mark.parametrize("patch, status, field", PATCHES, ids=[next(iter(p), "empty") for p, _, _ in PATCHES])
def test_patch_rejects(client, owned, patch, status, field):
    ad_id, token = owned
    response = client.patch(f"/api/v1/ads/{ad_id}", data=raw(patch), content_type=J, headers=token)
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["error"]["fields"]


REFS = ["0", "-1", "9" * 19, "9" * 400, "²", "abc%00def", "%F0%9F%98%80", "%ED%A0%80", "..", "x" * 41,
        "A-B", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩"]


@pytest.mark.parametrize("ref", REFS)
def test_odd_ids_are_404(client, ref):
    for response in (client.get(f"/api/v1/ads/{ref}"), client.post(f"/api/v1/ads/{ref}/contact"),
                     client.post(f"/api/v1/ads/{ref}/reports", json={"reason": "spam"})):
        assert response.status_code == 404, (ref, response.status_code)
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("report, field", [
    ({"reason": "boring"}, "reason"),
    ({"reason": None}, "reason"),
    ({}, "reason"),
    ({"reason": "spam", "note": "x" * 1001}, "note"),
    ({"reason": "spam", "note": 5}, "note"),
    ({"reason": "spam", "ad_id": 1}, "ad_id"),
])
def test_report_rejects(client, owned, report, field):
    response = client.post(f"/api/v1/ads/{owned[0]}/reports", json=report)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("token", ["\u00ff" * 10, " ", "x" * 5000])
def test_odd_tokens_are_403_not_500(client, owned, token):
    headers = {"X-Manage-Token": token, "X-Operator-Token": token}
    assert client.delete(f"/api/v1/ads/{owned[0]}", headers=headers).status_code == 403
    assert client.get("/api/v1/operator/reports", headers=headers).status_code == 403


@pytest.mark.parametrize("query, field", [("page=0", "page"), ("size=101", "size"), ("page=abc", "page"),
                                          ("size=" + "9" * 50, "size"), ("page=-1", "page")])
def test_report_listing_parameters(client, operator_headers, query, field):
    response = client.get(f"/api/v1/operator/reports?{query}", headers=operator_headers)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]


def test_unknown_api_path_and_method_are_json(client):
    assert client.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
    response = client.put("/api/v1/ads/1", json={})
    assert response.status_code == 405 and response.get_json()["error"]["code"]


@pytest.fixture()
def limited_client(test_settings):
    """An app with tight limits and a fresh Redis namespace, so counts start at zero."""
    settings = test_settings.with_overrides(
        rate_limits_enabled=True, index_prefix=f"{test_settings.index_prefix}rl{secrets.token_hex(3)}",
        rate_limit_create="2 per minute", rate_limit_report="1 per minute", rate_limit_contact="3 per minute",
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    return app.test_client()


def test_rate_limits_answer_429_with_retry_after(limited_client, owned):
    ip = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(2):
        assert limited_client.post("/api/v1/ads", json=AD, environ_base=ip).status_code == 201
    limited = limited_client.post("/api/v1/ads", json=AD, environ_base=ip)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    # Another client is not affected.
    assert limited_client.post("/api/v1/ads", json=AD, environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 201

    url = f"/api/v1/ads/{owned[0]}"
    assert limited_client.post(f"{url}/reports", json={"reason": "spam"}, environ_base=ip).status_code == 201
    assert limited_client.post(f"{url}/reports", json={"reason": "spam"}, environ_base=ip).status_code == 429
    statuses = [limited_client.post(f"{url}/contact", environ_base=ip).status_code for _ in range(4)]
    assert statuses[-1] == 429 and 429 not in statuses[:3]
    # Reads are not limited.
    assert limited_client.get(url, environ_base=ip).status_code == 200
