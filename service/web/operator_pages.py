"""Operator pages: the queue of reported ads, one ad as users saw it, its actions, the audit log.

Every action form goes through core.moderation, as the operator API does:
the same reason rule (core.ad_input.ModerationReason), the same audit row in
the same transaction, the same row lock. A successful action redirects back
to the ad (POST, redirect, GET); a refused one re-renders it with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, g, make_response, redirect, render_template, request, url_for
from pydantic import ValidationError
from werkzeug.wrappers import Response as BaseResponse

from core.ad_input import MAX_MODERATION_REASON, ModerationReason
from core.ads import StateConflict
from core.models import AD_ACTIONS, Ad, AdStatus
from core.moderation import act_on_ad, has_open_reports
from core.moderation_queue import action_log, ad_reports, report_queue
from service.ad_reading import find_ad
from service.api.wire import MAX_PAGE, page_number
from service.clock import now
from service.errors import ApiError
from service.resources import db, kick_relay, trees
from service.web import formatting, operator_web
from service.web.forms import REASON_LABELS
from service.web.page_parts import ad_facts

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50
AD_REPORTS_SHOWN = 100  # past this many the verdict is clear; the count is still shown in the queue
AD_HISTORY_SHOWN = 20
ACTION_LABELS = {"hide": "إخفاء", "unhide": "إعادة الإظهار", "dismiss": "رفض البلاغات",
                 "sign_in": "تسجيل الدخول", "sign_out": "تسجيل الخروج"}
STATUS_LABELS: dict[str, str] = {AdStatus.ACTIVE: "منشور", AdStatus.EXPIRED: "منتهي الصلاحية",
                                 AdStatus.WITHDRAWN: "سحبه صاحبه", AdStatus.HIDDEN: "مخفي"}
DONE = {"hide": "أُخفي الإعلان. يختفي من البحث خلال لحظات.", "unhide": "أُعيد إظهار الإعلان.",
        "dismiss": "رُفضت البلاغات وبقي الإعلان كما هو."}
REASON_ERROR = f"اكتب سبب الإجراء (من حرف إلى {formatting.format_number(MAX_MODERATION_REASON)} حرف)."
CONFLICTS = {"hide": "لا يمكن إخفاء هذا الإعلان: هو مخفي أصلاً أو سحبه صاحبه.",
             "unhide": "هذا الإعلان ليس مخفياً.", "dismiss": "لا توجد بلاغات مفتوحة على هذا الإعلان."}


def page_arg() -> int:
    try:
        return page_number(request.args.get("page", ""), 1, MAX_PAGE)
    except ValueError:
        abort(400)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def operator_ad(ref: str) -> Ad:
    try:
        return find_ad(ref, include_hidden=True, by_id=True)
    except ApiError:
        abort(404)


def labels() -> dict[str, Any]:
    return {"action_labels": ACTION_LABELS, "status_labels": STATUS_LABELS, "reason_labels": REASON_LABELS,
            "when": formatting.format_datetime, "operator": g.operator}


@operator_web.get("/")
def queue() -> str:
    page = page_arg()
    found = report_queue(db(), page, QUEUE_PAGE_SIZE)
    moment = now()
    items = [{"item": item, "oldest": formatting.age(item.oldest, moment),
              "newest": formatting.age(item.newest, moment)} for item in found.items]
    return render_template("operator/queue.html", items=items, total=found.total, page=page,
                           pages=page_count(found.total, QUEUE_PAGE_SIZE), **labels())


def ad_view_page(ad: Ad, *, errors: dict[str, str] | None = None, notice: str | None = None,
            values: dict[str, str] | None = None, status: int = 200) -> Response:
    categories, areas = trees()
    session = db()
    context = ad_facts(ad, categories, areas, as_listed=True) | {
        "record": ad, "reports": ad_reports(session, ad.id, AD_REPORTS_SHOWN),
        "history": action_log(session, 1, AD_HISTORY_SHOWN, ad_id=ad.id).items,
        "can": {"hide": ad.status not in (AdStatus.HIDDEN, AdStatus.WITHDRAWN), "unhide": ad.status == AdStatus.HIDDEN,
                "dismiss": has_open_reports(session, ad.id)},
        "errors": errors or {}, "values": values or {}, "notice": notice,
        "done": DONE.get(request.args.get("done", "")) if request.method == "GET" else None,
        "public_url": url_for("web.ad_page", ref=ad.slug), "max_reason": MAX_MODERATION_REASON,
    }
    return make_response(render_template("operator/ad.html", **context, **labels()), status)


@operator_web.get("/ads/<ref>")
def ad(ref: str) -> Response:
    return ad_view_page(operator_ad(ref))


@operator_web.post("/ads/<ref>/<action>")
def act(ref: str, action: str) -> BaseResponse:
    if action not in AD_ACTIONS:
        abort(404)
    record = operator_ad(ref)
    values = {action: request.form.get("reason", "")}
    try:
        reason = ModerationReason.model_validate({"reason": request.form.get("reason", "")}).reason
        act_on_ad(db(), record, action, g.operator, reason, now())
    except ValidationError:
        return ad_view_page(record, errors={action: REASON_ERROR}, values=values, status=422)
    except StateConflict:
        db().rollback()
        return ad_view_page(record, notice=CONFLICTS[action], values=values, status=409)
    db().commit()
    if action != "dismiss":
        kick_relay()
    return redirect(url_for("operator.ad", ref=record.id, done=action), 303)


@operator_web.get("/log")
def log() -> str:
    page = page_arg()
    found = action_log(db(), page, LOG_PAGE_SIZE)
    return render_template("operator/log.html", entries=found.items, total=found.total, page=page,
                           pages=page_count(found.total, LOG_PAGE_SIZE), **labels())
