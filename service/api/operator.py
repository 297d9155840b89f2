"""Operator endpoints: hide/unhide an ad, read reports. Guarded by named operator tokens.

Tokens are configured by name (`SOUQ_OPERATOR_TOKENS=name:token,...`) and one
travels in the `X-Operator-Token` header; it is compared in constant time.
Missing → 401, wrong → 403, and with no operator configured every call is a
403 that says so.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import func, select

from core.ads import StateConflict, set_hidden
from core.models import Ad, Report
from core.text_input import ascii_digits
from service.api import api
from service.api.ads import commit_and_kick, conflict_error, find_ad, now, render
from service.api.reports import report_view
from service.errors import ApiError
from service.operators import operator_for_token
from service.resources import db, resources

OPERATOR_HEADER = "X-Operator-Token"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # deeper paging than this is a sign of a missing filter, not a need


def require_operator() -> str:
    """The name of the operator whose token the request carries (401 without one, 403 wrong)."""
    presented = request.headers.get(OPERATOR_HEADER, "")
    if not presented:
        raise ApiError(401, "operator_token_required", f"send the operator token in the {OPERATOR_HEADER} header")
    operators = resources().settings.operators
    if not operators:
        raise ApiError(403, "no_operators", "no operator is configured (SOUQ_OPERATOR_TOKENS is empty)")
    name = operator_for_token(operators, presented)
    if name is None:
        raise ApiError(403, "wrong_operator_token", "this operator token is not valid")
    return name


def _moderate(ref: str, hidden: bool) -> Response:
    require_operator()
    ad = find_ad(ref, include_hidden=True, by_id=True)
    try:
        set_hidden(db(), ad, hidden, now())
    except StateConflict as exc:
        raise conflict_error(exc) from exc
    commit_and_kick()
    return render(ad, owner=True)


@api.post("/operator/ads/<ref>/hide")
def hide_ad(ref: str) -> Response:
    return _moderate(ref, True)


@api.post("/operator/ads/<ref>/unhide")
def unhide_ad(ref: str) -> Response:
    return _moderate(ref, False)


def _page_arg(name: str, default: int, high: int) -> int:
    raw = ascii_digits(request.args.get(name, "")).strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= high:
        raise ApiError(400, "bad_parameter", f"{name} must be a whole number from 1 to {high}",
                       {name: f"must be a whole number from 1 to {high}"})
    return int(raw)


def _report_item(report: Report, ad: Ad) -> dict[str, Any]:
    return report_view(report) | {
        "ad": {"id": ad.id, "slug": ad.slug, "title": ad.title, "status": ad.status, "version": ad.version},
    }


@api.get("/operator/reports")
def list_reports() -> Response:
    """Newest reports first, with enough of the ad to decide without another request."""
    require_operator()
    page = _page_arg("page", 1, MAX_PAGE)
    size = _page_arg("size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    session = db()
    total = session.scalar(select(func.count()).select_from(Report)) or 0
    rows = session.execute(
        select(Report, Ad).join(Ad, Ad.id == Report.ad_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .offset((page - 1) * size).limit(size)
    ).all()
    return jsonify({"total": total, "page": page, "size": size,
                    "reports": [_report_item(report, ad) for report, ad in rows]})
