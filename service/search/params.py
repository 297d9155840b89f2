"""Query-string -> SearchParams, with a 400 naming the parameter for anything invalid. Pure.

Nothing here trusts the query string: numbers are range-checked (NaN and
infinities refused), slugs must exist in the trees, the cursor must carry our
signature and belong to the same query. Unknown parameters are ignored, as
links carry tracking parameters that must not break a search.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from core.taxonomy import Tree
from core.text_input import ascii_digits, clean_text
from service.search.cursor import BadCursor, check_after, decode_cursor, query_digest
from service.search.facets import CONDITIONS
from service.search.filters import usd_bound
from service.search.geo import MAX_ZOOM
from service.search.query import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS, SearchParams, sort_value_kinds

MAX_QUERY_CHARS = 200
MAX_DEPTH = 10_000  # OpenSearch's max_result_window: deeper needs the cursor
MAX_RADIUS_KM = 500
MAX_POSTED_WITHIN_DAYS = 365
MAX_PRICE = Decimal("1000000000000")  # as for ads: above any real price, even in SYP
MAX_SELECTED = 20  # values per multi-select facet
CURRENCIES = ("SYP", "USD")
DEFAULT_CURRENCY = "SYP"  # the local currency, as for ads posted without one
PAGING_ARGS = ("page", "cursor", "size")


class BadParameter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Context:
    """What parsing needs beyond the query string: trees, the rate, the clock, the cursor key."""

    categories: Tree
    areas: Tree
    syp_per_usd: Decimal = Decimal("13000")
    now: dt.datetime | None = None
    secret: str = ""


def _raw(args: Mapping[str, str], name: str) -> str | None:
    raw = args.get(name)
    if raw is None:
        return None
    raw = ascii_digits(str(raw)).strip()
    return raw or None


def _int(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _raw(args, name)
    if raw is None:
        return default
    if len(raw) > 12 or not raw.lstrip("+-").isdecimal():  # isdigit() accepts "²", int() does not
        raise BadParameter(name, "must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return value


def _float(args: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    raw = _raw(args, name)
    if raw is None:
        return None
    try:
        value = float(raw) if len(raw) <= 32 else math.nan
    except ValueError as exc:
        raise BadParameter(name, "must be a number") from exc
    if not math.isfinite(value) or not low <= value <= high:
        raise BadParameter(name, f"must be a number between {low:g} and {high:g}")
    return value


def _price(args: Mapping[str, str], name: str) -> Decimal | None:
    raw = _raw(args, name)
    if raw is None:
        return None
    try:
        value = Decimal(raw.replace(",", "")) if len(raw) <= 32 else Decimal("NaN")
    except InvalidOperation as exc:
        raise BadParameter(name, "must be a number") from exc
    if not value.is_finite() or not 0 <= value < MAX_PRICE:
        raise BadParameter(name, f"must be a number from 0 to below {MAX_PRICE}")
    return value


def _bool(args: Mapping[str, str], name: str, default: bool | None) -> bool | None:
    raw = _raw(args, name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise BadParameter(name, "must be true or false")


def _values(args: Mapping[str, str], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else ([args[name]] if name in args else [])
    values = [part.strip() for value in raw for part in str(value).split(",") if part.strip()]
    if len(values) > MAX_SELECTED:
        raise BadParameter(name, f"at most {MAX_SELECTED} values")
    return list(dict.fromkeys(values))


def _slugs(args: Mapping[str, str], name: str, tree: Tree) -> tuple[int, ...]:
    ids = []
    for slug in _values(args, name):
        node = tree.get(slug)
        if node is None:
            raise BadParameter(name, f"unknown {name} {slug[:64]!r}")
        ids.append(node.id)
    return tuple(dict.fromkeys(ids))


def _choices(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = _values(args, name)
    for value in values:
        if value not in allowed:
            raise BadParameter(name, f"must be one of {', '.join(allowed)}")
    return tuple(values)


def _query(args: Mapping[str, str]) -> str:
    raw = str(args.get("q", "") or "")
    q = clean_text(raw[: MAX_QUERY_CHARS * 4])
    if len(raw) > MAX_QUERY_CHARS * 4 or len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"must be at most {MAX_QUERY_CHARS} characters")
    return q


def parse_point(args: Mapping[str, str]) -> tuple[tuple[float, float] | None, float | None]:
    lat, lon = _float(args, "lat", -90, 90), _float(args, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise BadParameter("lat" if lat is None else "lon", "lat and lon must be given together")
    radius = _float(args, "radius_km", 0, MAX_RADIUS_KM)
    if radius is not None and lat is None:
        raise BadParameter("radius_km", "needs lat and lon")
    if radius is not None and radius <= 0:
        raise BadParameter("radius_km", f"must be above 0 and at most {MAX_RADIUS_KM}")
    return (None if lat is None or lon is None else (lat, lon)), radius


def parse_bbox(args: Mapping[str, str], required: bool = False) -> tuple[float, float, float, float] | None:
    """`bbox=west,south,east,north` in degrees (the GeoJSON order)."""
    raw = _raw(args, "bbox")
    if raw is None:
        if required:
            raise BadParameter("bbox", "is required: west,south,east,north")
        return None
    parts = raw.split(",")
    try:
        west, south, east, north = (float(part) for part in parts) if len(parts) == 4 else ()
    except ValueError as exc:
        raise BadParameter("bbox", "must be four numbers: west,south,east,north") from exc
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadParameter("bbox", "must be finite numbers")
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BadParameter("bbox", "must satisfy -180 <= west <= east <= 180 and -90 <= south <= north <= 90")
    return west, south, east, north


def _prices(args: Mapping[str, str], ctx: Context) -> dict[str, Any]:
    currency = (_raw(args, "currency") or DEFAULT_CURRENCY).upper()
    if currency not in CURRENCIES:
        raise BadParameter("currency", f"must be one of {', '.join(CURRENCIES)}")
    low, high = _price(args, "price_min"), _price(args, "price_max")
    if low is not None and high is not None and low > high:
        raise BadParameter("price_min", "must not be above price_max")

    def usd(value: Decimal | None) -> float | None:
        return None if value is None else usd_bound(value, currency, ctx.syp_per_usd)

    return {"currency": currency, "price_min_usd": usd(low), "price_max_usd": usd(high),
            "syp_per_usd": ctx.syp_per_usd}


def cursor_digest(args: Mapping[str, str]) -> str:
    """Digest of every argument but the paging ones: a cursor only continues its own search."""
    getlist = getattr(args, "getlist", None)
    pairs = [(key, str(value)) for key in args if key not in PAGING_ARGS
             for value in (getlist(key) if getlist else [args[key]])]
    return query_digest({"args": sorted(pairs)})


def _paging(args: Mapping[str, str], ctx: Context, sort: str) -> dict[str, Any]:
    size = _int(args, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page = _int(args, "page", 1, 1, MAX_DEPTH)
    if page * size > MAX_DEPTH:
        raise BadParameter("page", f"page x size must stay within {MAX_DEPTH}; use cursor to go deeper")
    raw = args.get("cursor")
    if not raw:
        return {"page": page, "size": size, "now": ctx.now}
    if page != 1:
        raise BadParameter("page", "cannot be combined with cursor")
    try:
        cursor = decode_cursor(str(raw), ctx.secret)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    if cursor.sort != sort or cursor.query_digest != cursor_digest(args):
        raise BadParameter("cursor", "belongs to a different search")
    return {"page": 1, "size": size, "search_after": cursor.after, "now": cursor.now,
            "match_mode": cursor.match_mode}


def check_cursor_fits(params: SearchParams) -> None:
    """BadParameter("cursor") unless the cursor's values fit the search as finally built.

    Called once query understanding has had its say: cutting the only words
    out of q turns a scored sort into a browse sort with one value fewer.
    """
    if params.search_after is None:
        return
    try:
        check_after(params.search_after, sort_value_kinds(params))
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc


def parse_search_args(args: Mapping[str, str], categories: Tree, areas: Tree,
                      ctx: Context | None = None) -> SearchParams:
    ctx = ctx or Context(categories, areas)
    q = _query(args)
    point, radius = parse_point(args)
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort", f"must be one of {', '.join(SORTS)}")
    if sort == "distance" and point is None:
        raise BadParameter("sort", "distance needs lat and lon")
    return SearchParams(
        q=q, sort=sort, point=point, radius_km=radius, bbox=parse_bbox(args),
        category_ids=_slugs(args, "category", categories),
        area_ids=_slugs(args, "area", areas),
        conditions=_choices(args, "condition", CONDITIONS),
        has_images=_bool(args, "has_images", None),
        posted_within_days=(None if _raw(args, "posted_within") is None
                            else _int(args, "posted_within", 0, 1, MAX_POSTED_WITHIN_DAYS)),
        facets=bool(_bool(args, "facets", True)),
        **_prices(args, ctx), **_paging(args, ctx, sort),
    )


def parse_zoom(args: Mapping[str, str]) -> int:
    if _raw(args, "zoom") is None:
        raise BadParameter("zoom", f"is required: a whole number from 0 to {MAX_ZOOM}")
    return _int(args, "zoom", 0, 0, MAX_ZOOM)


def wants_understanding(args: Mapping[str, str]) -> bool:
    return bool(_bool(args, "understand", True))
