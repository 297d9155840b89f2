"""Post an ad without an account; the management link is shown once, right after.

The link carries the token in its `#token=` fragment, which browsers never
send to a server: it stays out of access logs, proxies and Referers. On the
manage page souq.js moves it into a POSTed form (without JavaScript the owner
pastes it). The host is the configured public URL, never the request's Host
header, so a forged Host cannot make the page show a link to another site.
The pages that show or take a token send `no-store` and
`Referrer-Policy: no-referrer` so it stays out of caches and other sites' logs.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, make_response, render_template, request, url_for
from pydantic import ValidationError

from core.ads import DuplicateAd, UnknownReference, create_ad
from core.money import DEFAULT_CURRENCY
from core.taxonomy import Node, Tree
from service.posting_limits import phone_limit_breach, posting_prefix_limit
from service.rate_limits import per_client
from service.resources import db, kick_relay, resources, trees
from service.web import web
from service.web.forms import (CONDITION_LABELS, CURRENCY_LABELS, DUPLICATE_FIELDS, DUPLICATE_MESSAGE,
                               GENERAL_MESSAGE, field_errors, form_values, validate_create)
from service.web.pages import now


def category_options(categories: Tree) -> list[tuple[Node, list[Node]]]:
    """Ads go in leaf categories: each top-level category with its leaves."""
    groups = []
    for root in categories.children(None):
        leaves = categories.children(root.id)
        groups.append((root, leaves or [root]))
    return groups


def area_options(areas: Tree) -> list[tuple[Node, list[tuple[Node, int]]]]:
    """Governorates with their cities and, indented, each city's neighbourhoods."""
    groups = []
    for governorate in areas.children(None):
        places: list[tuple[Node, int]] = []
        for city in areas.children(governorate.id):
            places.append((city, 0))
            places.extend((hood, 1) for hood in areas.children(city.id))
        groups.append((governorate, places))
    return groups


def form_context(values: dict[str, str], errors: dict[str, str], general: str = GENERAL_MESSAGE
                 ) -> dict[str, Any]:
    categories, areas = trees()
    return {"values": values, "errors": errors, "category_groups": category_options(categories),
            "area_groups": area_options(areas), "conditions": CONDITION_LABELS,
            "currencies": CURRENCY_LABELS, "general_error": general if errors else None}


def private(response: Response) -> Response:
    """For pages that show or carry a management token."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def manage_link(ref: str, token: str) -> str:
    """The secret link: the token in the fragment, the host from settings (never the Host header)."""
    return f"{resources().settings.public_base_url}{url_for('web.manage_page', ref=ref)}#token={token}"


@web.get("/post")
def post_form() -> str:
    return render_template("post.html", **form_context({"currency": DEFAULT_CURRENCY}, {}))


@web.post("/post")
@posting_prefix_limit
@per_client("rate_limit_create")
def post_ad() -> Response:
    values = form_values(request.form)
    settings = resources().settings
    try:
        data = validate_create(request.form)
        if phone_limit_breach(data.contact_phone) is not None:
            abort(429)
        created = create_ad(db(), data, now(), settings.ad_lifetime_days, settings.duplicate_check_enabled)
    except (ValidationError, UnknownReference) as exc:
        db().rollback()
        return make_response(render_template("post.html", **form_context(values, field_errors(exc))), 422)
    except DuplicateAd:
        db().rollback()
        context = form_context(values, DUPLICATE_FIELDS, DUPLICATE_MESSAGE)
        return make_response(render_template("post.html", **context), 409)
    db().commit()
    kick_relay()
    ad = created.ad
    manage_url = manage_link(ad.slug, created.token)
    html = render_template("posted.html", ad=ad, manage_url=manage_url,
                           ad_url=url_for("web.ad_page", ref=ad.slug))
    return private(make_response(html, 201))
