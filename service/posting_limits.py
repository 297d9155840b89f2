"""Posting limits beyond one address: per network prefix and per phone, shared by API and form.

A spammer rotating addresses usually stays inside one /24 (IPv4) or one /64
(IPv6: one subscriber's allocation), and however many addresses they use, the
ads carry their phone. Both counters are shared by POST /api/v1/ads and the
post form (one scope each), in the same Redis as the per-IP limits. The
prefix limit wraps the views like the per-IP one; the phone is in the body, so
its limit is checked in the view once the body is valid (`phone_limit_breach`).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

log = logging.getLogger(__name__)

IPV4_PREFIX = 24
IPV6_PREFIX = 64
PREFIX_SCOPE = "create-prefix"
PHONE_SCOPE = "create-phone"
# The posting views, API and web: they count against the same prefix counter.
POSTING_ENDPOINTS = ("api.post_ad", "web.post_ad")


def network_prefix(address: str) -> str:
    """The /24 or /64 an address belongs to; an IPv4-mapped IPv6 address counts as its IPv4.

    Anything that is not an address (a test client, a proxy's oddity) is its own key.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    bits = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def remote_prefix() -> str:
    return network_prefix(get_remote_address())


def init_posting_limits(app: Flask, limiter: Limiter) -> None:
    """Wrap both posting views with the shared per-prefix limit (after the blueprints exist)."""
    settings = app.config["SOUQ_SETTINGS"]
    shared = limiter.shared_limit(settings.rate_limit_create_prefix, scope=PREFIX_SCOPE, key_func=remote_prefix)
    for endpoint in POSTING_ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = shared(app.view_functions[endpoint])


def phone_limit_breach(phone: str) -> int | None:
    """Count one post for `phone`; the seconds to wait if it is over the limit, else None.

    Fails open like the other limits: a Redis outage must not stop posting.
    """
    limiter: Limiter | None = current_app.extensions.get("souq_limiter")
    settings = current_app.config["SOUQ_SETTINGS"]
    if limiter is None or not settings.rate_limits_enabled:
        return None
    item = parse(settings.rate_limit_create_phone)
    keys = (f"souq-rl-{settings.index_prefix}", PHONE_SCOPE, phone)
    try:
        if limiter.limiter.hit(item, *keys):
            return None
        reset_at = limiter.limiter.get_window_stats(item, *keys).reset_time
    except Exception:  # noqa: BLE001 - any storage failure: fail open, as swallow_errors does
        log.warning("phone rate limit unavailable", exc_info=True)
        return None
    return max(1, math.ceil(reset_at - time.time()))
