"""Per-client-IP rate limits, declared on the views worth abusing: posting, reporting, revealing phones.

The view carries its limit (`@per_client("rate_limit_create")` under its
route), so reading a view tells whether it is limited. flask-limiter binds a
decorator to one Limiter instance when the module is imported, so there is
one `limiter` per process, `init_app`-ed by the app factory. Whatever may
differ between two apps of one process (the tests build several, with
different settings, side by side) is read from the app's Settings at request
time: whether limits are on, the limit strings, and the Redis namespace
(in the key). The counter storage is flask-limiter's one exception, kept on
the instance: only apps with limits on initialise it, and those share the
stack's Redis (production runs one app per process).

Counters live in Redis so that every web process shares them. A breach is a
429 with `Retry-After`, rendered in the API's JSON error shape by
service.errors and as the HTML error page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_limiter import Limiter, RouteLimit
from flask_limiter.util import get_remote_address

from core.config import Settings


def current_settings() -> Settings:
    return current_app.config["SOUQ_SETTINGS"]


def namespace() -> str:
    """One Redis namespace per deployment (or test app): counters of two never mix."""
    return f"souq-rl-{current_settings().index_prefix}"


def client_key() -> str:
    """The client's address inside this app's namespace (the key string is `namespace/address`)."""
    return f"{namespace()}/{get_remote_address()}"


limiter = Limiter(
    key_func=client_key,
    headers_enabled=True,
    strategy="fixed-window",
    # Fail open: a Redis outage must not turn posting into a 500.
    swallow_errors=True,
)


@limiter.request_filter
def _limits_off() -> bool:
    """The `rate_limits_enabled` switch, per app: an app with limits off counts nothing."""
    return not current_settings().rate_limits_enabled


def setting(name: str) -> Callable[[], str]:
    """The limit string held by Settings field `name` ("20 per hour"), read at each request."""
    return lambda: getattr(current_settings(), name)


def per_client(name: str, **options: Any) -> RouteLimit:
    """A per-address limit for one view, its string read from Settings field `name`."""
    return limiter.limit(setting(name), **options)


def init_rate_limits(app: Flask, settings: Settings) -> None:
    """Give `app` the limiter's hooks and storage; an app with limits off needs neither."""
    if settings.rate_limits_enabled:
        app.config["RATELIMIT_STORAGE_URI"] = settings.redis_url
        limiter.init_app(app)
