"""Property-based fuzzing of every operation in /api/v1/openapi.json (schemathesis).

Requests go through the Flask app (WSGI) to the real PostgreSQL, Redis and
OpenSearch of the test session. Generated data is both positive (fits the
schema) and negative (breaks it); every answer must be a documented status
with a body that matches its documented schema, and never a 5xx. Some cases
are steered at a real ad with its real token so the success paths are hit too.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.api.openapi import openapi_document

# Per operation and generation mode; 15 operations x 2 modes x 50 plus the
# explicit examples and coverage phase comfortably exceed the 1,000 requests
# the issue asks for while the run stays well under two minutes.
EXAMPLES_PER_OPERATION = 50
MIN_REQUESTS = 1000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
AD = {
    "title": "لابتوب ديل للبيع",
    "category": "cars",
    "area": "damascus-city",
    "price": "٣٥٠",
    "currency": "USD",
    "contact_name": "رامي",
    "contact_phone": "0955 222 333",
}
SENT = {"requests": 0}
STATUSES: Counter[str] = Counter()


@pytest.fixture(scope="module")
def real_ad(app) -> dict[str, str]:
    body = app.test_client().post("/api/v1/ads", json=AD).get_json()
    return {"ref": str(body["id"]), "slug": body["slug"], "token": body["management_token"]}


# The document is built from code alone (no I/O), so it can be loaded at import;
# the app that answers comes from the session fixture and is passed per call.
# (schemathesis' lazy `from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_dict(openapi_document())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES_PER_OPERATION, deterministic=True,
)


def steer(case, real_ad: dict[str, str], operator_token: str) -> None:
    """Half the time, aim at the real ad and carry the real tokens, so 200s are reached too."""
    if random.random() < 0.5:
        return
    if case.path_parameters and "ref" in case.path_parameters:
        case.path_parameters["ref"] = random.choice([real_ad["ref"], real_ad["slug"]])
    headers = dict(case.headers or {})
    if "X-Manage-Token" in headers or random.random() < 0.3:
        headers["X-Manage-Token"] = real_ad["token"]
    if "X-Operator-Token" in headers or random.random() < 0.3:
        headers["X-Operator-Token"] = operator_token
    case.headers = headers


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=EXAMPLES_PER_OPERATION)
def test_api_conforms_and_never_fails(case, app, real_ad, operator_token):
    steer(case, real_ad, operator_token)
    response = case.call(app=app)
    SENT["requests"] += 1
    STATUSES[f"{case.method} {case.path} {response.status_code}"] += 1
    case.validate_response(response, checks=CHECKS)


def test_fuzz_sent_enough_requests():
    """Runs after the fuzz items (file order); guards against a silently shrunken run."""
    print(f"fuzz: {SENT['requests']} requests")
    assert SENT["requests"] >= MIN_REQUESTS, SENT
    # The steering must reach the success paths, or the fuzz only ever tests error handling.
    successes = {key for key in STATUSES if key.endswith((" 200", " 201"))}
    assert any(key.startswith("PATCH") for key in successes), sorted(STATUSES.items())
    assert any(key.startswith("POST /ads ") for key in successes), sorted(STATUSES.items())
