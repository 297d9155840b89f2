"""Per-client-IP rate limits on the endpoints worth abusing: posting, reporting, revealing phones.

Flask-Limiter keeps its state on the Limiter instance, so each app builds its
own (tests run apps with different settings side by side). Counters live in
Redis so that every web process shares them. A breach is a 429 with
`Retry-After`, rendered in the API's JSON error shape by service.errors.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from core.config import Settings

# endpoint -> name of the Settings field holding its limit ("20 per hour")
LIMITED_ENDPOINTS = {
    "api.post_ad": "rate_limit_create",
    "api.post_report": "rate_limit_report",
    "api.reveal_contact": "rate_limit_contact",
    "api.get_ad": "rate_limit_read",
}


def init_rate_limits(app: Flask, settings: Settings) -> Limiter:
    """Wrap the limited views of `app` (call after the blueprints are registered)."""
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=settings.redis_url,
        # One namespace per deployment/test session, so counters never mix.
        key_prefix=f"souq-rl-{settings.index_prefix}",
        enabled=settings.rate_limits_enabled,
        headers_enabled=True,
        strategy="fixed-window",
        # Fail open: a Redis outage must not turn posting into a 500.
        swallow_errors=True,
    )
    limiter.init_app(app)
    for endpoint, setting in LIMITED_ENDPOINTS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(getattr(settings, setting))(view)
    app.extensions["souq_limiter"] = limiter
    return limiter
