"""CSRF protection for the HTML forms (the JSON API under /api/ is exempt: it takes no cookies).

A random secret lives in the signed session cookie (SameSite=Lax); every form
carries an HMAC of it. A cross-site page can neither read the cookie nor
forge the HMAC, so a POST without the matching field is refused with 400.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import abort, current_app, request, session

FIELD = "csrf_token"
SESSION_KEY = "csrf"


def _sign(secret: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"csrf:{secret}".encode(), hashlib.sha256).hexdigest()


def csrf_token() -> str:
    """The token for this browser's forms (the session secret is created on first use)."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(24)
    return _sign(session[SESSION_KEY])


def check_csrf() -> None:
    """Refuse any unsafe request whose form lacks a token matching the session."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    secret = session.get(SESSION_KEY)
    sent = request.form.get(FIELD, "")
    if not secret or not sent or not hmac.compare_digest(_sign(secret), sent):
        abort(400, description="csrf")
