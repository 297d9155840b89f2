"""Manage an ad through its secret link: edit, renew, withdraw.

The link shown after posting carries the token in its `#token=` fragment,
which browsers never send: souq.js moves it into the token form and POSTs it,
and without JavaScript the owner pastes it. Every action form carries it as a
hidden field and every answer is rendered in place (no redirect to a URL with
the token), so it never reaches a query string, the history, a log or a
Referer. Old links with `?token=` are sent on to the fragment form.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, make_response, redirect, render_template, request, url_for
from pydantic import ValidationError
from werkzeug.wrappers import Response as BaseResponse

from core.ads import StateConflict, UnknownReference, renew_ad, token_matches, update_ad, withdraw_ad
from core.models import Ad
from service.ad_reading import find_ad
from service.clock import now
from service.errors import ApiError
from service.resources import db, kick_relay, resources, trees
from service.web import formatting, web
from service.web.forms import field_errors, form_values, validate_update
from service.web.page_parts import form_context, manage_link, private

DONE_MESSAGES = {"edited": "حُفظت التعديلات. تظهر في البحث خلال لحظات.",
                 "renewed": "جُدّد الإعلان لمدة إضافية.",
                 "withdrawn": "سُحب الإعلان ولن يظهر في البحث بعد الآن."}


def owned(ref: str, token: str) -> Ad | None:
    """The ad if `token` manages it; None when the token is missing or wrong; 404 if no such ad."""
    try:
        ad = find_ad(ref, include_hidden=True, by_id=True)
    except ApiError:
        abort(404)
    return ad if token and token_matches(ad, token) else None


def ad_values(ad: Ad) -> dict[str, str]:
    categories, areas = trees()
    price = "" if ad.price_amount is None else format(ad.price_amount.normalize() if ad.price_amount % 1
                                                      else int(ad.price_amount))
    return {"title": ad.title, "description": ad.description, "category": categories.nodes[ad.category_id].slug,
            "area": areas.nodes[ad.area_id].slug, "price": price, "currency": ad.currency,
            "negotiable": "1" if ad.negotiable else "", "condition": ad.condition or "",
            "contact_name": ad.contact_name, "contact_phone": ad.contact_phone,
            "images": "\n".join(ad.images or [])}


def manage_view(ad: Ad, token: str, *, values: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, notice: str | None = None,
                status: int = 200) -> Response:
    context: dict[str, Any] = form_context(values or ad_values(ad), errors or {})
    html = render_template("manage.html", ad=ad, token=token, notice=notice,
                           expires=formatting.format_date(ad.expires_at),
                           ad_url=url_for("web.ad_page", ref=ad.slug), **context)
    return private(make_response(html, status))


def token_form(ref: str, wrong: bool) -> Response:
    html = render_template("manage_token.html", ref=ref, wrong=wrong)
    return private(make_response(html, 403 if wrong else 200))


def done(ad: Ad, token: str, what: str) -> Response:
    return manage_view(ad, token, notice=DONE_MESSAGES[what])


@web.route("/manage/<ref>", methods=["GET", "POST"])
def manage_page(ref: str) -> BaseResponse:
    if request.method == "GET":
        legacy = request.args.get("token", "")
        if legacy:  # an old link: move the token out of the URL before anything else sees it
            return private(redirect(manage_link(ref, legacy), 303))
        return token_form(ref, wrong=False)
    token = request.form.get("token", "")
    ad = owned(ref, token)
    if ad is None:
        return token_form(ref, wrong=bool(token))
    return manage_view(ad, token)


def acting(ref: str) -> tuple[Ad, str]:
    token = request.form.get("token", "")
    ad = owned(ref, token)
    if ad is None:
        abort(403)
    return ad, token


@web.post("/manage/<ref>/edit")
def edit_ad(ref: str) -> Response:
    ad, token = acting(ref)
    try:
        update_ad(db(), ad, validate_update(request.form), now())
    except (ValidationError, UnknownReference) as exc:
        db().rollback()
        return manage_view(ad, token, values=form_values(request.form), errors=field_errors(exc), status=422)
    db().commit()
    kick_relay()
    return done(ad, token, "edited")


@web.post("/manage/<ref>/renew")
def renew_ad_form(ref: str) -> Response:
    ad, token = acting(ref)
    try:
        renew_ad(db(), ad, now(), resources().settings.ad_lifetime_days)
    except StateConflict:
        return manage_view(ad, token, notice="لا يمكن تجديد إعلان مسحوب أو محجوب.", status=409)
    db().commit()
    kick_relay()
    return done(ad, token, "renewed")


@web.post("/manage/<ref>/withdraw")
def withdraw_ad_form(ref: str) -> Response:
    ad, token = acting(ref)
    version = ad.version
    withdraw_ad(db(), ad, now())
    if ad.version != version:
        db().commit()
        kick_relay()
    return done(ad, token, "withdrawn")
