"""The opaque paging cursor: search_after values sealed so they cannot be forged. Pure.

A cursor is the sort name, the last hit's sort values, the clock the scores
were computed with (so relevance pages agree), the match mode and a digest of
the query it belongs to, signed with the app's secret key (itsdangerous,
URL-safe). The signature is not the only guard: whoever knows the key (or a
deployment left on the default key) can sign anything, so every value inside
is checked too (count, type, finite range, the sort it belongs to) and a bad
one is a 400 naming `cursor`, never an engine error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadData, URLSafeSerializer

MAX_CURSOR_CHARS = 2000
MATCH_MODES = ("all", "any", "fuzzy")
# Cursors are signed apart from anything else the app signs (its session cookie).
CURSOR_SALT = "souq.search.cursor"
PAYLOAD_KEYS = frozenset({"s", "a", "n", "q", "m"})
DIGEST_CHARS = 16
MAX_SORT_NAME_CHARS = 32
MAX_CLOCK_CHARS = 40  # an ISO time with microseconds and offset is 32
# The scoring clock: any real cursor was issued this millennium.
CLOCK_YEARS = (2000, 2999)

# The kinds of sort value a sort clause yields (see query.sort_value_kinds).
SCORE, DATE, ID, PRICE, DISTANCE = "score", "date", "id", "price", "distance"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_SCORE = 3.4e38  # _score is a 32-bit float
MAX_DOUBLE = 1.7976931348623157e308
MAX_DISTANCE_KM = 40_075.0  # the equator: no two points on Earth are further apart
# An ad without a price sorts last: the engine gives it an infinite sort value, as text.
MISSING_PRICE = ("Infinity", "-Infinity")


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
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=CURSOR_SALT)


def encode_cursor(cursor: Cursor, secret: str) -> str:
    payload = {"s": cursor.sort, "a": list(cursor.after), "n": cursor.now.isoformat(),
               "q": cursor.query_digest, "m": cursor.match_mode}
    return str(_serializer(secret).dumps(payload))


def _number(value: Any, low: float, high: float) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and low <= value <= high)


def _int64(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


VALUE_CHECKS: dict[str, Callable[[Any], bool]] = {
    SCORE: lambda value: _number(value, 0.0, MAX_SCORE),
    DATE: _int64,  # epoch milliseconds
    ID: lambda value: _int64(value) and value >= 0,
    PRICE: lambda value: (isinstance(value, str) and value in MISSING_PRICE)
    or _number(value, -MAX_DOUBLE, MAX_DOUBLE),
    DISTANCE: lambda value: _number(value, 0.0, MAX_DISTANCE_KM),
}


def check_after(after: tuple[Any, ...], kinds: tuple[str, ...]) -> None:
    """BadCursor unless `after` holds exactly one valid value per sort key, in order."""
    if len(after) != len(kinds):
        raise BadCursor(f"holds {len(after)} sort values where this search sorts by {len(kinds)}")
    for position, (value, kind) in enumerate(zip(after, kinds, strict=True)):
        if not VALUE_CHECKS[kind](value):
            raise BadCursor(f"sort value {position + 1} is not a valid {kind}")


def _clock(raw: Any) -> dt.datetime:
    if not isinstance(raw, str) or len(raw) > MAX_CLOCK_CHARS:
        raise BadCursor("is malformed")
    try:
        now = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise BadCursor("is malformed") from exc
    if now.tzinfo is None or not CLOCK_YEARS[0] <= now.year <= CLOCK_YEARS[1]:
        raise BadCursor("is malformed")
    return now


def _payload(data: Any) -> Cursor:
    """The cursor in a signed payload, every field checked for its type and size."""
    if not isinstance(data, dict) or set(data) != PAYLOAD_KEYS:
        raise BadCursor("is malformed")
    sort, after, digest, mode = data["s"], data["a"], data["q"], data["m"]
    if not isinstance(sort, str) or not 0 < len(sort) <= MAX_SORT_NAME_CHARS:
        raise BadCursor("is malformed")
    if not isinstance(digest, str) or len(digest) != DIGEST_CHARS:
        raise BadCursor("is malformed")
    if not isinstance(mode, str) or mode not in MATCH_MODES:
        raise BadCursor("is malformed")
    if not isinstance(after, list) or not 1 <= len(after) <= len(VALUE_CHECKS):
        raise BadCursor("is malformed")
    if not all(any(check(value) for check in VALUE_CHECKS.values()) for value in after):
        raise BadCursor("is malformed")
    return Cursor(sort, tuple(after), _clock(data["n"]), digest, mode)


def decode_cursor(raw: str, secret: str) -> Cursor:
    """The cursor inside `raw`, or BadCursor if it was not issued by us or is malformed.

    Which values the sort needs is known only once the search is (see
    `check_after`); here each value must merely be one some sort could use.
    """
    if not raw or len(raw) > MAX_CURSOR_CHARS:
        raise BadCursor("is empty or too long")
    try:
        data = _serializer(secret).loads(raw)
    except BadData as exc:
        raise BadCursor("is not a cursor from a previous response") from exc
    except (ValueError, TypeError, RecursionError) as exc:  # signed, but not JSON we can read
        raise BadCursor("is malformed") from exc
    return _payload(data)
