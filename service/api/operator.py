"""Operator endpoints: hide/unhide an ad, dismiss its reports, read reports and the audit log.

Guarded by named operator tokens: configured by name
(`SOUQ_OPERATOR_TOKENS=name:token,...`), one travels in the `X-Operator-Token`
header and is compared in constant time. Missing → 401, wrong → 403; with no
operator configured the web does not start (core.config.require_web_secrets).
Every action needs a reason and is written to the audit log (core.moderation)
in the transaction of the change itself.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import func, select

from core.ad_input import ModerationReason
from core.ads import StateConflict
from core.models import Ad, OperatorAction, Report
from core.moderation import act_on_ad
from core.moderation_queue import action_log
from service.ad_reading import find_ad
from service.api import api
from service.api.wire import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    OPERATOR_HEADER,
    commit_and_kick,
    conflict_error,
    json_body,
    page_number,
    render,
    report_view,
)
from service.clock import now
from service.errors import ApiError
from service.operators import operator_for_token
from service.resources import db, resources


def require_operator() -> str:
    """The name of the operator whose token the request carries (401 without one, 403 wrong)."""
    presented = request.headers.get(OPERATOR_HEADER, "")
    if not presented:
        raise ApiError(401, "operator_token_required", f"send the operator token in the {OPERATOR_HEADER} header")
    name = operator_for_token(resources().settings.operators, presented)
    if name is None:
        raise ApiError(403, "wrong_operator_token", "this operator token is not valid")
    return name


def action_view(entry: OperatorAction) -> dict[str, Any]:
    return {"id": entry.id, "operator": entry.operator, "action": entry.action, "ad_id": entry.ad_id,
            "reason": entry.reason, "created_at": entry.created_at.isoformat()}


def moderation_reason() -> str:
    """The body's reason; an empty body counts as `{}`, so the 422 names `reason`."""
    body = json_body() if request.get_data(cache=True) else {}
    return ModerationReason.model_validate(body).reason


def _act(ref: str, action: str) -> tuple[Ad, OperatorAction]:
    operator = require_operator()
    reason = moderation_reason()
    ad = find_ad(ref, include_hidden=True, by_id=True)
    try:
        entry = act_on_ad(db(), ad, action, operator, reason, now())
    except StateConflict as exc:
        raise conflict_error(exc) from exc
    return ad, entry


@api.post("/operator/ads/<ref>/hide")
def hide_ad(ref: str) -> Response:
    ad, entry = _act(ref, "hide")
    commit_and_kick()
    return render(ad, owner=True, operator_action=action_view(entry))


@api.post("/operator/ads/<ref>/unhide")
def unhide_ad(ref: str) -> Response:
    ad, entry = _act(ref, "unhide")
    commit_and_kick()
    return render(ad, owner=True, operator_action=action_view(entry))


@api.post("/operator/ads/<ref>/dismiss")
def dismiss_reports(ref: str) -> Response:
    """The reports were looked at and the ad stays: they leave the queue. The ad is unchanged."""
    _, entry = _act(ref, "dismiss")
    db().commit()
    return jsonify(action_view(entry))



def _page_arg(name: str, default: int, high: int) -> int:
    try:
        return page_number(request.args.get(name, ""), default, high)
    except ValueError as exc:
        raise ApiError(400, "bad_parameter", f"{name} {exc}", {name: str(exc)}) from exc


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


@api.get("/operator/actions")
def list_actions() -> Response:
    """The audit log, newest first: who did what to which ad, why and when."""
    require_operator()
    page = _page_arg("page", 1, MAX_PAGE)
    size = _page_arg("size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    log = action_log(db(), page, size)
    return jsonify({"total": log.total, "page": page, "size": size,
                    "actions": [action_view(entry) for entry, _ in log.items]})
