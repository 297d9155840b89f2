"""Server-rendered Arabic pages (RTL, mobile first): home, search, ad page, post and manage,
and the operators' moderation pages under /operator (their own blueprint).

`init_web(app)` registers the blueprints, CSRF checks on their forms, security
headers and HTML error pages for everything outside /api/ (the JSON API keeps
its own error shape and stays CSRF-exempt: it uses no cookies).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from core.models import AdStatus
from core.money import DEFAULT_CURRENCY, Currency
from service.errors import http_error
from service.web import formatting
from service.web.csrf import check_csrf, csrf_token

# Templates and static files sit in service/templates and service/static, which the
# app (rooted at the service package) already serves.
web = Blueprint("web", __name__)
# Registered once, on the blueprint itself: every app built from it (tests build
# several per process) gets the check without re-registering.
web.before_request(check_csrf)
# The operators' pages: a blueprint of their own (sign-in guard, no-store), same CSRF check.
operator_web = Blueprint("operator", __name__, url_prefix="/operator")
operator_web.before_request(check_csrf)

# No inline script or style anywhere: JS and CSS are our own static files.
# Ad photos are links the poster gave, so images may come from any https host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ERROR_TEXT = {
    400: ("طلب غير صالح", "تعذّر فهم الطلب. ارجع إلى الصفحة السابقة وحاول مجدداً."),
    403: ("غير مسموح", "لا تملك صلاحية هذه الصفحة."),
    404: ("الصفحة غير موجودة", "ربما حُذف الإعلان أو تغيّر الرابط."),
    405: ("طريقة غير مسموحة", "لا يمكن فتح هذا الرابط بهذه الطريقة."),
    413: ("الطلب كبير جداً", "البيانات المرسلة أكبر من المسموح."),
    429: ("طلبات كثيرة", "أرسلت طلبات كثيرة في وقت قصير. انتظر قليلاً ثم حاول مجدداً."),
    500: ("خطأ غير متوقع", "حدث خطأ من جهتنا. حاول مجدداً بعد قليل."),
    503: ("البحث غير متاح مؤقتاً", "خدمة البحث لا تستجيب الآن. حاول مجدداً بعد لحظات."),
}
CSRF_TEXT = ("انتهت صلاحية النموذج", "أعد تحميل الصفحة ثم أرسل النموذج مرة أخرى.")


def error_page(status: int, *, csrf: bool = False) -> Response:
    title, text = CSRF_TEXT if csrf else ERROR_TEXT.get(status, ERROR_TEXT[500])
    response = Response(render_template("error.html", status=status, title=title, text=text),
                        status=status)
    return response


# The JSON API needs no page policy, but a browser must never sniff an answer
# (say an error echoing input) into HTML or script.
API_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}


def _add_security_headers(response: Response) -> Response:
    headers = API_SECURITY_HEADERS if request.path.startswith("/api/") else SECURITY_HEADERS
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


def _register_error_pages(app: Flask) -> None:
    """HTML errors for pages; for /api/ paths the API's own JSON handler answers as before.

    Handlers by status win over the API's HTTPException handler, hence the hand-off."""

    def page_error(exc: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return http_error(exc)
        return error_page(exc.code or 500, csrf=exc.description == "csrf")

    for status in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(status, page_error)


def init_web(app: Flask) -> None:
    """Register the pages on `app` (after the API: /api/ errors keep its JSON handler)."""
    from service.web import (  # noqa: F401 - routes register on import
        manage_pages,
        operator_auth,
        operator_pages,
        pages,
        post_pages,
        search_page,
    )

    # Assigned, not setdefault: Flask's defaults already hold these keys (SameSite
    # None), so a setdefault never applied. Lax keeps the CSRF cookie off
    # cross-site POSTs; Secure whenever the site is served over https.
    settings = app.config["SOUQ_SETTINGS"]
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"))
    app.register_blueprint(web)
    app.register_blueprint(operator_web)
    app.after_request(_add_security_headers)
    app.jinja_env.globals.update(csrf_token=csrf_token, AdStatus=AdStatus, Currency=Currency,
                                  DEFAULT_CURRENCY=DEFAULT_CURRENCY)
    app.jinja_env.filters.update(
        price=formatting.format_price, compact_price=formatting.compact_price, number=formatting.format_number,
        date_ar=formatting.format_date, distance=formatting.format_distance,
        digits=formatting.arabic_digits, ad_count=formatting.ad_count,
    )
    _register_error_pages(app)
