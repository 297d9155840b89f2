"""The opaque paging cursor: search_after values sealed so they cannot be forged. Pure.

A cursor is base64url(JSON) of the sort name, the last hit's sort values, the
clock the scores were computed with (so relevance pages agree) and a digest of
the query it belongs to, plus an HMAC: a tampered, truncated or foreign cursor
is a 400 naming `cursor`, never an engine error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

MAX_CURSOR_CHARS = 2000
MATCH_MODES = ("all", "any", "fuzzy")
_SIG_BYTES = 16


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    sort: str
    after: tuple[Any, ...]
    now: dt.datetime
    query_digest: str
    match_mode: str = "all"  # a relaxed first page is continued relaxed


def query_digest(parts: dict[str, Any]) -> str:
    """A short digest of what the cursor was issued for (text, filters, sort)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _sign(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).digest()[:_SIG_BYTES]


def encode_cursor(cursor: Cursor, secret: str) -> str:
    payload = json.dumps({"s": cursor.sort, "a": list(cursor.after), "n": cursor.now.isoformat(),
                          "q": cursor.query_digest, "m": cursor.match_mode}, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(_sign(secret, payload) + payload).decode("ascii").rstrip("=")


def _valid_value(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and len(value) <= 64


def decode_cursor(raw: str, secret: str) -> Cursor:
    """The cursor inside `raw`, or BadCursor if it was not issued by us."""
    if not raw or len(raw) > MAX_CURSOR_CHARS:
        raise BadCursor("is empty or too long")
    try:
        blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("is not a cursor from a previous response") from exc
    signature, payload = blob[:_SIG_BYTES], blob[_SIG_BYTES:]
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        raise BadCursor("is not a cursor from a previous response")
    try:
        data = json.loads(payload)
        after = tuple(data["a"])
        now = dt.datetime.fromisoformat(data["n"])
        cursor = Cursor(str(data["s"]), after, now, str(data["q"]), str(data.get("m", "all")))
    except (ValueError, KeyError, TypeError) as exc:
        raise BadCursor("is malformed") from exc
    if not 1 <= len(after) <= 4 or not all(_valid_value(value) for value in after):
        raise BadCursor("is malformed")
    if cursor.match_mode not in MATCH_MODES:
        raise BadCursor("is malformed")
    return cursor
