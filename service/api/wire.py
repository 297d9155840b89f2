"""What every JSON route shares: the API's headers and paging bounds, reading a JSON body,
rendering an ad or a report, and the errors several routes answer with.

Routes live in their own modules and never import one another; what two of
them need is here, so a route module can change without breaking its siblings.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request

from core.ads import StateConflict
from core.models import Ad, Report
from core.text_input import ascii_digits
from service.ad_reading import ad_view
from service.errors import ApiError
from service.resources import db, kick_relay, trees
from service.search.params import BadParameter

TOKEN_HEADER = "X-Manage-Token"  # an ad's management token (its owner)
OPERATOR_HEADER = "X-Operator-Token"
DEFAULT_PAGE_SIZE = 20  # the operators' lists
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # deeper paging than this is a sign of a missing filter, not a need


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400/413/415 that says what is wrong.

    Parsed here rather than with `request.get_json` so that bad UTF-8 and
    absurd nesting (RecursionError) are a 400, not a 500.
    """
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "bad_json", "the body is not valid UTF-8 JSON", {"body": "not valid JSON"}) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "the body must be a JSON object", {"body": "not a JSON object"})
    return body


def render(ad: Ad, status: int = 200, *, owner: bool = False, **extra: Any) -> Response:
    current = trees()
    body = ad_view(ad, current.categories, current.areas, owner=owner) | extra
    response = jsonify(body)
    response.status_code = status
    return response


def commit_and_kick() -> None:
    db().commit()
    kick_relay()


def conflict_error(exc: StateConflict) -> ApiError:
    return ApiError(409, "conflict", str(exc), {"status": str(exc)})


def page_number(raw: str, default: int, high: int) -> int:
    """A 1-based page (or size) from a query string; ValueError unless a whole number in [1, high]."""
    raw = ascii_digits(raw).strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= high:
        raise ValueError(f"must be a whole number from 1 to {high}")
    return int(raw)


def report_view(report: Report) -> dict[str, Any]:
    return {"id": report.id, "ad_id": report.ad_id, "reason": report.reason, "note": report.note,
            "created_at": report.created_at.isoformat()}


def bad_parameter(exc: BadParameter) -> ApiError:
    return ApiError(400, "bad_parameter", f"{exc.name}: {exc}", {exc.name: str(exc)})
