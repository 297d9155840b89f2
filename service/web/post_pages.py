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

from flask import Response, abort, make_response, render_template, request, url_for
from pydantic import ValidationError

from core.ads import DuplicateAd, UnknownReference, create_ad
from core.money import DEFAULT_CURRENCY
from service.clock import now
from service.posting_limits import phone_limit_breach, posting_prefix_limit
from service.rate_limits import per_client
from service.resources import db, kick_relay, resources
from service.web import web
from service.web.forms import DUPLICATE_FIELDS, DUPLICATE_MESSAGE, field_errors, form_values, validate_create
from service.web.page_parts import form_context, manage_link, private


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
