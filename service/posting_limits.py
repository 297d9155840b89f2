"""Posting limits beyond one address: per network prefix and per phone, shared by API and form.

A spammer rotating addresses usually stays inside one /24 (IPv4) or one /64
(IPv6: one subscriber's allocation), and however many addresses they use, the
ads carry their phone. Both counters are shared by POST /api/v1/ads and the
post form (one scope each), in the same Redis as the per-IP limits. The
prefix limit is declared on both posting views (`@posting_prefix_limit`); the
phone is in the body, so its limit is checked in the view once the body is
valid (`phone_limit_breach`).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time

from flask_limiter.util import get_remote_address
from limits import parse

from service.rate_limits import current_settings, limiter, namespace, setting

log = logging.getLogger(__name__)

IPV4_PREFIX = 24
IPV6_PREFIX = 64
PREFIX_SCOPE = "create-prefix"
PHONE_SCOPE = "create-phone"


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


def prefix_key() -> str:
    """The client's network prefix inside this app's namespace."""
    return f"{namespace()}/{network_prefix(get_remote_address())}"


# Declared on both posting views, API and web: one counter per prefix for the two.
posting_prefix_limit = limiter.shared_limit(setting("rate_limit_create_prefix"), scope=PREFIX_SCOPE,
                                            key_func=prefix_key)


def phone_limit_breach(phone: str) -> int | None:
    """Count one post for `phone`; the seconds to wait if it is over the limit, else None.

    Fails open like the other limits: a Redis outage must not stop posting.
    """
    settings = current_settings()
    if not settings.rate_limits_enabled:
        return None
    item = parse(settings.rate_limit_create_phone)
    keys = (namespace(), PHONE_SCOPE, phone)
    try:
        if limiter.limiter.hit(item, *keys):
            return None
        reset_at = limiter.limiter.get_window_stats(item, *keys).reset_time
    except Exception:
        log.warning("phone rate limit unavailable", exc_info=True)
        return None
    return max(1, math.ceil(reset_at - time.time()))
