"""Operator pages' sign-in: an operator token once, then a signed session naming the operator.

The token is typed into a POSTed form (never a URL) and compared like the
API's header (service.operators). The session cookie (signed, HttpOnly,
SameSite=Lax) then carries the operator's name, the sign-in time and a seal:
an HMAC, under the app's secret key, of both and of the token's digest. The
token itself is never stored. Each request re-checks the seal against the
token now configured for that name, so removing or rotating an operator's
token in SOUQ_OPERATOR_TOKENS signs their browsers out, and a session ends
after one shift. Every page of the blueprint checks CSRF, sends `no-store`
and `noindex`, and sends anyone not signed in to the sign-in form.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlsplit

from flask import Response, current_app, g, make_response, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from core.moderation import record_session_action
from service.clock import now
from service.operators import operator_for_token
from service.rate_limits import per_client
from service.resources import db, resources
from service.web import operator_web

SESSION_HOURS = 12  # one working shift, then the token again
NAME_KEY, SINCE_KEY, SEAL_KEY = "operator", "operator_since", "operator_seal"
OPEN_ENDPOINTS = {"operator.sign_in"}
WRONG_TOKEN = "رمز المشرف غير صحيح. تحقّق منه وحاول مجدداً."


def seal(name: str, since: int, token: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
    return hmac.new(key, f"operator:{name}:{since}:{digest}".encode(), hashlib.sha256).hexdigest()


def signed_in_operator() -> str | None:
    """The operator this browser signed in as, if the session is still valid."""
    name, since, sealed = session.get(NAME_KEY), session.get(SINCE_KEY), session.get(SEAL_KEY)
    if not isinstance(name, str) or not isinstance(since, int) or not isinstance(sealed, str):
        return None
    token = resources().settings.operators.get(name)
    if token is None or not 0 <= time.time() - since < SESSION_HOURS * 3600:
        return None
    return name if hmac.compare_digest(seal(name, since, token), sealed) else None


def safe_next(target: str) -> str:
    """Back to the operator page asked for, never to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/operator/") or "\\" in target:
        return url_for("operator.queue")
    return target


@operator_web.before_request
def require_operator_session() -> BaseResponse | None:
    operator = signed_in_operator()
    if operator is not None:
        g.operator = operator
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    wanted = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("operator.sign_in", next=wanted), 303)


@operator_web.after_request
def private_page(response: Response) -> Response:
    """Operator pages show reports and contacts: never cached, never indexed, never a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def sign_in_form(error: str | None = None, status: int = 200) -> Response:
    html = render_template("operator/sign_in.html", error=error, next=request.values.get("next", ""),
                           signed_out=request.args.get("out") == "1")
    return make_response(html, status)


@operator_web.route("/sign-in", methods=["GET", "POST"])
# Only wrong tokens count (the form answers them with 403): signing in and out
# through a shift never locks an operator out, guessing soon does.
@per_client("rate_limit_operator_sign_in", methods=["POST"],
            deduct_when=lambda response: response.status_code == 403)
def sign_in() -> BaseResponse:
    """A wrong token is a 403: the rate limit counts those only."""
    if request.method == "GET":
        if getattr(g, "operator", None):
            return redirect(url_for("operator.queue"), 303)
        return sign_in_form()
    operators = resources().settings.operators  # never empty: the app does not start without one
    name = operator_for_token(operators, request.form.get("token", ""))
    if name is None:
        return sign_in_form(WRONG_TOKEN, 403)
    session.clear()  # a fresh session (and CSRF secret): nothing from before sign-in carries over
    since = int(time.time())
    session.update({NAME_KEY: name, SINCE_KEY: since, SEAL_KEY: seal(name, since, operators[name])})
    record_session_action(db(), name, "sign_in", now())
    db().commit()
    return redirect(safe_next(request.form.get("next", "")), 303)


@operator_web.post("/sign-out")
def sign_out() -> BaseResponse:
    record_session_action(db(), g.operator, "sign_out", now())
    db().commit()
    session.clear()
    return redirect(url_for("operator.sign_in", out="1"), 303)
