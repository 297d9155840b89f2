"""Who is acting: an operator token (API header or sign-in form) -> the operator's name.

Tokens are configured by name in SOUQ_OPERATOR_TOKENS (core.config); the name
is what the audit log records. Shared by the operator API and the operator pages.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping


def _digest(text: str) -> bytes:
    # Bytes of one length: compare_digest then never returns early on a length
    # difference, and any header value compares (str compare_digest wants ASCII).
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def operator_for_token(operators: Mapping[str, str], presented: str) -> str | None:
    """The name whose token is `presented`, else None (also for an empty token).

    Every configured token is compared, in constant time, whatever matched
    before: the time taken tells nothing about which operator (if any) matched.
    """
    if not presented:
        return None
    wanted = _digest(presented)
    found = None
    for name, token in operators.items():
        if hmac.compare_digest(wanted, _digest(token)) and found is None:
            found = name
    return found
