"""The PostgreSQL full-text baseline: the same query mix answered by SQL alone.

What a team would build without a search engine: the `arabic` text search
configuration over title and description with a GIN index, filters as WHERE
clauses, facet counts with GROUPING SETS, and LIMIT/OFFSET paging. Each search
is two statements (a page of hits, then total + facet counts), as our API is
one engine request carrying hits and aggregations. Pure except `ensure_fts_index`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.models import AdStatus
from core.money import DEFAULT_CURRENCY, Currency

# "bench_" indexes are the benchmarks' own: the data loader drops them (they would
# slow every load) and the benchmark that needs one builds it again.
FTS_INDEX = "bench_ads_fts"
DOCUMENT = "to_tsvector('arabic', a.title || ' ' || a.description)"
DISTANCE_KM = ("(2 * 6371 * asin(sqrt(power(sin(radians(a.lat - %(lat)s) / 2), 2) + cos(radians(%(lat)s)) "
               "* cos(radians(a.lat)) * power(sin(radians(a.lon - %(lon)s) / 2), 2))))")
PRICE_USD = f"(CASE WHEN a.currency = '{Currency.USD}' THEN a.price_amount ELSE a.price_amount / %(rate)s END)"


def ensure_fts_index(conn: Any) -> None:
    conn.execute(f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON ads USING gin "
                 f"((to_tsvector('arabic', title || ' ' || description)))")
    conn.execute("ANALYZE ads")


def _where(args: Mapping[str, str], descendants: Mapping[str, Mapping[str, list[int]]],
           rate: Decimal) -> tuple[list[str], dict[str, Any]]:
    clauses = [f"a.status = '{AdStatus.ACTIVE}'", "a.expires_at > now()"]
    params: dict[str, Any] = {"rate": float(rate)}  # JSON-friendly: params travel to the load client
    if args.get("q"):
        clauses.append(f"{DOCUMENT} @@ plainto_tsquery('arabic', %(q)s)")
        params["q"] = args["q"]
    for name, column in (("category", "category_id"), ("area", "area_id")):
        if args.get(name):
            ids = [i for slug in args[name].split(",") for i in descendants[name].get(slug, [])]
            clauses.append(f"a.{column} = ANY(%({name})s)")
            params[name] = ids
    if args.get("price_min") or args.get("price_max"):
        scale = Decimal(1) if args.get("currency", DEFAULT_CURRENCY).upper() == Currency.USD else rate
        params["lo"] = float(Decimal(args.get("price_min") or 0) / scale)
        params["hi"] = float(Decimal(args.get("price_max") or 10**15) / scale)
        clauses.append(f"{PRICE_USD} BETWEEN %(lo)s AND %(hi)s")
    if args.get("condition"):
        clauses.append("a.condition = ANY(%(conditions)s)")
        params["conditions"] = args["condition"].split(",")
    if args.get("has_images") in ("1", "true"):
        clauses.append("a.images::text <> '[]'")
    if args.get("lat") and args.get("lon"):
        params.update(lat=float(args["lat"]), lon=float(args["lon"]))
        clauses.append("a.lat IS NOT NULL")
        if args.get("radius_km"):
            clauses.append(f"{DISTANCE_KM} <= %(radius)s")
            params["radius"] = float(args["radius_km"])
    return clauses, params


def _order(args: Mapping[str, str]) -> str:
    sort = args.get("sort") or "relevance"
    if sort == "relevance" and args.get("q"):
        return f"ts_rank({DOCUMENT}, plainto_tsquery('arabic', %(q)s)) DESC, a.id DESC"
    if sort == "price_asc":
        return f"{PRICE_USD} ASC NULLS LAST, a.id"
    if sort == "price_desc":
        return f"{PRICE_USD} DESC NULLS LAST, a.id"
    if sort == "distance" and args.get("lat"):
        return f"{DISTANCE_KM} ASC, a.id"
    return "a.created_at DESC, a.id DESC"


def search_statements(args: Mapping[str, str], descendants: Mapping[str, Mapping[str, list[int]]],
                      rate: Decimal = Decimal(13000)) -> list[tuple[str, dict[str, Any]]]:
    """(SQL, params) pairs answering one search: the page, then total and facet counts."""
    clauses, params = _where(args, descendants, rate)
    where = " AND ".join(clauses)
    size = int(args.get("size") or 20)
    page = int(args.get("page") or 1)
    hits = (f"SELECT a.id, a.slug, a.title, a.price_amount, a.currency, a.created_at FROM ads a "
            f"WHERE {where} ORDER BY {_order(args)} LIMIT {size} OFFSET {(page - 1) * size}")
    facets = (f"SELECT a.category_id, a.area_id, count(*) FROM ads a WHERE {where} "
              "GROUP BY GROUPING SETS ((a.category_id), (a.area_id), ())")
    return [(hits, params), (facets, params)]


def descendants_by_slug(rows: list[tuple[int, int | None, str]]) -> dict[str, list[int]]:
    """slug -> ids of the node and everything under it, from (id, parent_id, slug) rows."""
    children: dict[int | None, list[int]] = {}
    for node_id, parent_id, _ in rows:
        children.setdefault(parent_id, []).append(node_id)

    def below(node_id: int) -> list[int]:
        found = [node_id]
        for child in children.get(node_id, []):
            found.extend(below(child))
        return found

    return {slug: below(node_id) for node_id, _, slug in rows}


def eval_ranked_ids(conn: Any, corpus: Mapping[str, int], queries: list[str]) -> list[list[int]]:
    """For each query, the ids of the corpus texts PostgreSQL returns, best first.

    The corpus goes into a temporary table (gone with the connection), ranked by
    ts_rank over the `arabic` configuration as in the latency baseline.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS eval_ads (id int PRIMARY KEY, title text NOT NULL)")
    conn.execute("TRUNCATE eval_ads")
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO eval_ads (id, title) VALUES (%s, %s)",
                        [(ad_id, text) for text, ad_id in corpus.items()])
    ranked = []
    for query in queries:
        rows = conn.execute(
            "SELECT id FROM eval_ads WHERE to_tsvector('arabic', title) @@ plainto_tsquery('arabic', %s) "
            "ORDER BY ts_rank(to_tsvector('arabic', title), plainto_tsquery('arabic', %s)) DESC, id",
            (query, query)).fetchall()
        ranked.append([row[0] for row in rows])
    return ranked
